"""The story across sources: the fixture story (tests/fixtures/story/) merged into statements."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from analysis import ProjectPaths
from analysis.facts.extract import extract_facts
from analysis.story.statements import build_statements, load_topics

STORY = Path(__file__).parent / "fixtures" / "story"


@pytest.fixture(scope="module")
def statements(story_paths: ProjectPaths):
    paths = story_paths
    facts = extract_facts(paths)
    table, links = build_statements(facts, load_topics(paths.curated.topics))
    return table, links, facts


def one(table, **where):
    rows = table
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def statement_of(statements, table: str, source_id: str, words: str):
    """The statement holding the fact of ``table`` in ``source_id`` whose words contain ``words``."""
    statements_table, links, facts = statements
    frame = facts[table]
    column = {"events": "description", "quantities": "text", "quotes": "text"}[table]
    id_column = frame.columns[0]
    rows = frame[(frame.source_id == source_id) & frame[column].str.contains(words, regex=False)]
    assert len(rows), (source_id, words)
    ids = set(links[(links.table == table) & links.fact_id.isin(rows[id_column])].statement_id)
    assert len(ids) == 1, ids
    return one(statements_table, statement_id=ids.pop())


def test_a_syndicated_quotation_is_one_statement_from_two_sources(statements) -> None:
    table, _, _ = statements
    quote = one(table[table.summary.str.contains("proud moment")], kind="quote")
    assert quote.n_sources == 2 and quote.status == "consistent"
    assert quote.sources == "201_wire_announcement|202_syndicated_copy"


def test_the_agreement_stated_by_every_source_is_one_statement(statements) -> None:
    agreement = statement_of(statements, "events", "203_same_day_other_count", "was signed in February")
    assert agreement.topic == "agreement"
    assert agreement.date == "2025-02" and agreement.status == "consistent"
    assert set(agreement.sources.split("|")) == {"000_615d141f3fb52d67", "201_wire_announcement",
                                                 "202_syndicated_copy", "203_same_day_other_count",
                                                 "205_shortlist"}
    assert agreement.n_sources == 5


def test_a_scheduled_launch_reported_the_next_day_is_updated(statements) -> None:
    launch = statement_of(statements, "events", "204_launch_reported", "launched on Thursday")
    assert launch.topic == "launch"
    assert launch.status == "updated" and launch.latest_source == "204_launch_reported"
    assert launch.date == "2025-04-24"


def test_the_planned_list_and_the_later_shortlist_are_one_updated_statement(statements) -> None:
    selection = statement_of(statements, "events", "201_wire_announcement", "list of five to 10")
    assert selection.topic == "selection"
    assert selection.status == "updated"
    assert selection.first_source == "000_615d141f3fb52d67" and selection.latest_source == "205_shortlist"


def test_two_same_day_counts_that_disagree_are_conflicting(statements) -> None:
    _, links, facts = statements
    counts = statement_of(statements, "quantities", "203_same_day_other_count", "10 to 15")
    assert counts.status == "conflicting" and counts.topic == "selection"
    merged = links[links.statement_id == counts.statement_id]
    texts = set(facts["quantities"].set_index("quantity_id").loc[merged.fact_id, "text"])
    assert {"five to 10 candidates", "10 to 15 candidates"} <= texts


def test_every_fact_row_is_in_exactly_one_statement(statements) -> None:
    table, links, facts = statements
    assert not links.duplicated(["table", "fact_id"]).any()
    assert set(links.statement_id) == set(table.statement_id)
    assert (table.n_sources == table.sources.str.count(r"\|") + 1).all()
    quotes = set(facts["quotes"].quote_id)
    assert quotes == set(links[links.table == "quotes"].fact_id)


def test_a_speaker_the_gazetteer_lacks_is_shown_by_name(statements) -> None:
    from analysis.facts.extract import UNRESOLVED, quote_summary, speakers

    _, _, facts = statements
    assert "Imran Sheikh" in set(speakers(facts)) and "Imran Sheikh" in set(quote_summary(facts).speaker)
    assert UNRESOLVED not in set(speakers(facts))


# --- the briefing's view of the story --------------------------------------------------------


@pytest.fixture(scope="module")
def briefing(story_paths: ProjectPaths):
    from analysis.briefing.content import Briefing

    return Briefing.assemble(story_paths)


def test_story_lanes_mark_each_source_once_per_topic_with_its_most_notable_status(briefing) -> None:
    from analysis.story.charts import story_chart, story_lanes

    statements, _ = briefing.statements
    lanes = story_lanes(statements, briefing.facts.sources, briefing.topics)
    assert not lanes.duplicated(["topic", "source_id"]).any()
    of_203 = lanes[lanes.source_id == "203_same_day_other_count"]
    selection = of_203[of_203.topic == "Astronaut selection"]
    assert selection.status.tolist() == ["conflicting"]  # its count disagrees with same-day sources
    launch = lanes[(lanes.topic == "Launches") & (lanes.source_id == "204_launch_reported")]
    assert launch.status.tolist() == ["updated"]
    figure = story_chart(lanes, briefing.topics, "t")
    shown = {trace.name for trace in figure.data}
    assert {"sources disagree the same day", "updated by a later source"} <= shown
    assert figure.layout.xaxis.title.text and figure.layout.title.text == "t"


def test_a_syndicated_quotation_is_listed_once_with_its_two_sources(briefing) -> None:
    groups = briefing.quote_groups
    proud = groups[groups.text.str.contains("proud moment")]
    assert len(proud) == 1 and proud.iloc[0].n_sources == 2
    assert len(groups) < len(briefing.facts["quotes"])


def test_claims_of_the_same_statement_in_several_sources_are_one_row(briefing) -> None:
    groups = briefing.claim_groups
    claims = briefing.claims
    assert sorted("|".join(groups.members).split("|")) == sorted(claims.claim_id)  # none lost, none twice
    curated = claims[claims.origin == "curated"]
    assert set(curated.claim_id) <= set(groups.claim_id)  # a curated claim always stands for its group
    shared = groups[groups.n_sources > 1]
    assert len(shared), "the fixture story repeats statements across sources"
    for row in shared.itertuples():
        sources = [claims.set_index("claim_id").source_id[m] for m in row.members.split("|")]
        assert len(sources) == len(set(sources))  # claims of one source never merge


def test_each_source_says_which_key_judgements_it_changed(briefing) -> None:
    changes = {run: ids for (run,), ids in briefing.judgement_changes().items()}  # one source per run
    assert set(changes) == {s.source_id for s in briefing.facts.sources}
    assert len(changes["000_615d141f3fb52d67"]) == len(briefing.judgement_texts())  # the first states all
    assert changes["202_syndicated_copy"] == []  # a copy adds nothing
    assert "timetable" in changes["205_shortlist"]  # the shortlist reports the selection's outcome
    assert "205_shortlist" not in briefing.edition({"000_615d141f3fb52d67"}).facts.by_id


def test_an_edition_of_some_sources_is_what_extracting_them_alone_gives(briefing, statements) -> None:
    _, _, facts = statements
    kept = {"000_615d141f3fb52d67", "204_launch_reported"}
    alone = extract_facts(briefing.paths, sources=[s for s in facts.sources if s.source_id in kept])
    edition = facts.restricted(kept)
    for table in ("mentions", "quotes", "events", "quantities", "relations"):
        columns = [c for c in alone[table].columns
                   if not c.endswith("_id") or c in ("source_id", "entity_id")]
        left = alone[table][columns].reset_index(drop=True)
        right = edition[table][columns].reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, check_dtype=False)


def test_many_sources_are_summed_up_after_the_first_twelve(briefing) -> None:
    from analysis.briefing.story import sources_table

    statements, _ = briefing.statements
    changed = {s.source_id: "1" for s in briefing.facts.sources}
    table = sources_table(briefing.facts, statements, briefing.topics, changed, limit=3)
    assert len(table) == 3
    assert table.iloc[0].source_id == "000_615d141f3fb52d67"  # the first source always shows
    assert table.iloc[-1].source == f"{len(briefing.facts.sources) - 2} more sources"


def test_the_opening_names_every_outlet_with_its_dates(briefing) -> None:
    """Six sources: the line under the title says how many articles from how many outlets and
    names each outlet with its articles' dates (it once named only the first and the latest,
    and the sources table that names the others starts after the key judgements)."""
    from analysis.briefing.story import short_dates

    opening = briefing.opening()
    sources = briefing.facts.sources
    outlets = {s.outlet for s in sources}
    assert len(sources) > 4 and f"{len(sources)} articles from {len(outlets)} outlets: " in opening
    for outlet in outlets:
        days = [s.published for s in sources if s.outlet == outlet]
        assert f"{outlet} ({short_dates(days)})" in opening.replace("\\", ""), outlet
    assert "more article" not in opening


def test_dates_are_listed_with_each_month_and_year_said_once() -> None:
    from analysis.briefing.story import short_dates

    april, march = dt.date(2025, 4, 24), dt.date(2026, 3, 3)
    assert short_dates([april]) == "24 Apr 2025"
    assert short_dates([april + dt.timedelta(1), april, march, april]) == "24, 25 Apr 2025 and 3 Mar 2026"
    assert short_dates([dt.date(2025, 2, 28), dt.date(2025, 3, 4)]) == "28 Feb and 4 Mar 2025"
    assert short_dates([april, april + dt.timedelta(3)], "to") == "24 to 27 Apr 2025"


def test_the_outlets_list_keeps_its_length_at_any_number_of_sources(briefing) -> None:
    """Beyond the outlets it names, the list counts the rest and says where they are listed;
    the outlets of the sources the table shows come first, then those with most articles, and an
    outlet of many dates gives their count and span."""
    from analysis.briefing.story import SHOWN_DATES, SHOWN_OUTLETS, outlets_list

    seed = briefing.facts.by_id["000_615d141f3fb52d67"]
    many = [replace(seed, source_id=f"s{n:03d}", outlet=f"Outlet {n % 30:02d}",
                    published=seed.published + dt.timedelta(days=n)) for n in range(90)]
    listed = outlets_list([seed, *many], first=["000_615d141f3fb52d67", "s029"])
    named = re.findall(r"(CNN|Outlet \d\d) \(", listed)
    assert len(named) == SHOWN_OUTLETS and {"CNN", "Outlet 29"} <= set(named)
    hidden = 30 - (SHOWN_OUTLETS - 1)
    assert listed.endswith(f"; and {3 * hidden} more articles from {hidden} outlets, "
                           "each listed in sources.csv")
    assert "; Outlet 00 (24 Apr, 24 May and 23 Jun 2025); " in listed
    same_day = outlets_list([seed, replace(seed, source_id="copy")])
    assert same_day == "CNN (2 articles: 24 Apr 2025)"
    crowded = outlets_list([replace(seed, source_id=f"c{n}", published=seed.published + dt.timedelta(days=n))
                            for n in range(SHOWN_DATES + 1)])
    assert crowded == f"CNN ({SHOWN_DATES + 1} articles, 24 to {24 + SHOWN_DATES} Apr 2025)"


def test_sources_compared_in_runs_rebuild_the_judgements_once_per_run(briefing, monkeypatch) -> None:
    """The sources the table shows alone are compared one by one, the others a run at a time: a
    source shown alone reads as it does when every source is compared alone, and the judgements
    are rebuilt at most once per run, however many sources a run holds."""
    from analysis.briefing.content import Briefing

    order = sorted(briefing.facts.sources, key=lambda s: (s.published, s.source_id))
    alone = {order[0].source_id, "205_shortlist"}
    every = briefing.judgement_changes()
    built = []
    original = Briefing.edition
    monkeypatch.setattr(Briefing, "edition", lambda self, ids: built.append(len(ids)) or original(self, ids))
    runs = briefing.judgement_changes(alone)
    assert [len(run) for run in runs] == [1, len(order) - 2, 1] and len(built) <= len(runs)
    assert runs[("205_shortlist",)] == every[("205_shortlist",)]
    assert runs[(order[0].source_id,)] == every[(order[0].source_id,)]
    middle = next(run for run in runs if len(run) > 1)
    assert set(runs[middle]) <= {j for run, ids in every.items() if set(run) <= set(middle) for j in ids}
