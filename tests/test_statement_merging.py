"""Merging what sources say of one event however precisely each dates it, and keeping apart what
may be two events (analysis/story/statements.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from analysis.facts.extract import Facts, fact_tables
from analysis.inputs.sources import load_sources
from analysis.story.statements import build_statements, load_topics, wordings
from tests.factories import ROOT, make_source, project_knowledge

AGREEMENT = Path(__file__).parent / "fixtures" / "agreement"
KNOWLEDGE = project_knowledge()
TOPICS = load_topics(ROOT / "analysis" / "knowledge" / "topics.yaml")


def statements_of(sources) -> tuple[pd.DataFrame, pd.DataFrame, Facts]:
    facts = Facts(sources, KNOWLEDGE, fact_tables(sources, KNOWLEDGE, curated=False))
    return (*build_statements(facts, TOPICS), facts)


def written(*articles: tuple[str, str]) -> tuple[pd.DataFrame, pd.DataFrame, Facts]:
    """Statements of one-sentence articles (publication date, text), one source each."""
    return statements_of([make_source(text, f"s{i}", dt.date.fromisoformat(day))
                          for i, (day, text) in enumerate(articles, 1)])


def on_topic(table: pd.DataFrame, topic: str) -> pd.DataFrame:
    return table[(table.kind == "event") & (table.topic == topic)]


def said(others: str) -> dict[str, str]:
    """source_id → its words for the date, from a statement's ``other_wordings``."""
    return {source_id: words for words, ids in wordings(others) for source_id in ids}


@pytest.fixture(scope="module")
def agreement():
    return statements_of(load_sources(AGREEMENT))


def test_one_event_worded_five_ways_is_one_statement_with_five_sources(agreement) -> None:
    table, links, facts = agreement
    statements = on_topic(table, "agreement")
    assert len(statements) == 1, statements
    row = statements.iloc[0]
    five = {s.source_id for s in facts.sources}
    assert len(five) == 5 and row.n_sources == 5 and set(row.sources.split("|")) == five
    events = facts["events"]
    signing = events[events.description.str.contains("agreement|accord")]
    assert set(links[links.statement_id == row.statement_id].fact_id) == set(signing.event_id)
    # 303 ("In 2025") and 305 ("in February of this year") were published the same day: a year
    # and a month of it can both hold, so the sources agree
    assert row.status == "consistent"


def test_the_statement_is_dated_by_its_most_precise_source_and_lists_the_others(agreement) -> None:
    table, _, _ = agreement
    row = on_topic(table, "agreement").iloc[0]
    # "the end of February" (302) and "late February" (304) are the last third of February; the
    # later of the two is shown, the other four wordings are listed with their sources
    assert (row.date, row.date_end, row.precision, row.date_source) == (
        "2025-02-21", "2025-02-28", "period", "304_late_february")
    assert "late February" in row.summary
    assert row.date_words == "late February"
    assert said(row.other_wordings) == {
        "301_signed_in_february": "February", "302_end_of_february": "the end of February this year",
        "303_in_2025": "2025", "305_february_of_this_year": "February of this year"}


def test_a_day_inside_the_stated_month_dates_the_statement() -> None:
    table, _, _ = written(("2025-03-02", "China and Pakistan signed an agreement in February."),
                          ("2025-03-05", "The agreement was signed on 28 February in Islamabad."))
    row = on_topic(table, "agreement")
    assert len(row) == 1 and row.iloc[0].n_sources == 2 and row.iloc[0].status == "consistent"
    assert (row.iloc[0].date, row.iloc[0].precision, row.iloc[0].date_source) == ("2025-02-28", "day", "s2")
    assert said(row.iloc[0].other_wordings) == {"s1": "February"} and row.iloc[0].date_words == "28 February"


def test_parties_named_as_agencies_or_as_their_countries_are_the_same_parties() -> None:
    table, _, _ = written(
        ("2025-03-02", "SUPARCO and the China Manned Space Agency signed an agreement in February."),
        ("2025-03-03", "China and Pakistan signed an agreement in February."))
    assert on_topic(table, "agreement").n_sources.tolist() == [2]


def test_an_agreement_with_another_country_is_another_agreement() -> None:
    table, _, _ = written(("2025-03-02", "China and Pakistan signed an agreement in February."),
                          ("2025-03-03", "China and France signed an agreement in February."))
    assert on_topic(table, "agreement").n_sources.tolist() == [1, 1]


def test_two_launches_of_one_year_stay_apart_and_a_year_between_them_joins_neither() -> None:
    table, _, _ = written(("2025-04-25", "Shenzhou-20 lifted off from Jiuquan on 24 April."),
                          ("2025-11-01", "Shenzhou-21 lifted off from Jiuquan on 31 October."),
                          ("2025-12-01", "China launched a crewed mission from Jiuquan in 2025."))
    launches = on_topic(table, "launch")
    assert sorted(launches.date) == ["2025", "2025-04-24", "2025-10-31"]
    assert set(launches.n_sources) == {1}


def test_two_missions_are_two_events_even_when_their_dates_fit() -> None:
    table, _, _ = written(("2025-11-20", "The Shenzhou-19 crew returned to Earth in 2025."),
                          ("2025-11-20", "The Shenzhou-20 crew returned to Earth in 2025."))
    assert on_topic(table, "landing").n_sources.tolist() == [1, 1]


@pytest.mark.parametrize(("first", "second", "status"), [
    (("2025-03-05", "The two space agencies signed the agreement in February."),
     ("2025-03-05", "The two space agencies signed the agreement in March."), "conflicting"),
    (("2025-03-05", "The agreement was signed on 10 February, officials said."),
     ("2025-03-05", "The agreement was signed in late February, officials said."), "conflicting"),
    (("2025-03-05", "The two space agencies signed the agreement in February."),
     ("2025-03-06", "The two space agencies signed the agreement in March."), "updated"),
])
def test_the_same_words_with_dates_that_cannot_both_hold_are_one_statement_that_moved(
        first, second, status) -> None:
    table, _, _ = written(first, second)
    row = on_topic(table, "agreement")
    assert len(row) == 1 and row.iloc[0].n_sources == 2 and row.iloc[0].status == status


def test_a_late_copy_is_dated_as_its_original() -> None:
    """Reprinted a week later, "lifted off on Thursday" would read as another Thursday: a copy
    says what its original said."""
    sentence = "Shenzhou-20 lifted off on Thursday from the Jiuquan launch centre."
    table, _, _ = written(("2025-04-24", sentence), ("2025-05-02", sentence))
    launch = on_topic(table, "launch")
    assert launch[["date", "n_sources", "status"]].values.tolist() == [["2025-04-24", 2, "consistent"]]


def test_the_same_sentence_in_two_articles_that_are_no_copies_keeps_its_own_date() -> None:
    """The same words a week apart in two different articles may be two launches."""
    sentence = "Shenzhou-20 lifted off on Thursday."
    table, _, _ = written(
        ("2025-04-24", f"Crowds gathered in the desert before dawn to watch it. {sentence} "
                       "Families waved flags near the gate of the launch centre."),
        ("2025-05-02", f"Engineers checked the capsule again and again last night. {sentence} "
                       "The crew then rested for most of the following morning."))
    launches = on_topic(table, "launch")
    assert sorted(launches.date) == ["2025-04-24", "2025-05-01"], launches
    assert set(launches.n_sources) == {1}


def test_diff_shows_whose_date_a_statement_shows_and_the_others_words(agreement) -> None:
    from analysis.story.editions import Edition, compare, describe

    def edition(sources) -> Edition:
        table, links, facts = statements_of(sources)
        return Edition(None, {**facts.tables, "statements": table, "statement_facts": links})

    sources = load_sources(AGREEMENT)
    first = [s for s in sources if s.source_id == "301_signed_in_february"]
    diff = compare(edition(first), edition(sources))
    changed = diff.changed_statements[diff.changed_statements.topic == "agreement"]
    assert changed[["was", "now"]].values.tolist() == [["single source", "consistent"]]
    text = describe(diff, Path("old"), Path("new"))
    dated = [line.strip() for line in text.splitlines() if line.strip().startswith("dated 2025-02-21")]
    assert dated == ["dated 2025-02-21 to 2025-02-28 by 304_late_february (“late February”); the others: "
                     + on_topic(agreement[0], "agreement").iloc[0].other_wordings]
    assert "“2025” (303_in_2025)" in dated[0]


def test_the_briefing_says_how_each_source_dated_the_event_a_claim_rests_on(tmp_path: Path) -> None:
    """The seed's curated claim on the February agreement, stated by six sources in five wordings."""
    import shutil

    from analysis import ProjectPaths
    from analysis.briefing.content import Briefing
    from tests.scratch import copy_project

    root = copy_project(tmp_path / "project", seed_only=True)
    for article in AGREEMENT.glob("*.txt"):
        shutil.copy(article, root / "seeds" / article.name)
    briefing = Briefing.assemble(ProjectPaths(root))
    group = briefing.claim_groups.set_index("claim_id").loc["agreement-in-february"]
    assert group.n_sources == 6
    also = briefing.stated_by("claim:agreement-in-february", group.sources).also
    assert also.startswith("Stated by 6 sources: ")
    assert "Dated as Fixture Gazette, Lahore 2025-04-25 wrote it, “late February”, the most precise" in also
    for words, outlet in [("the end of February this year", "Fixture Orbit Weekly 2025-03-12"),
                          ("2025", "Fixture Evening Post 2025-04-24"),
                          ("February of this year", "Fixture Science Desk 2025-04-24")]:
        assert f"“{words}” ({outlet})" in also
    assert "“February” (The Fixture Tribune 2025-03-04; CNN 2025-04-24)" in also


def test_a_second_date_of_a_sentence_takes_its_topic_from_its_own_words() -> None:
    """The seed's "An agreement signed in February … was a precursor the mission announced
    Wednesday": Wednesday is no date of the agreement, so a year of it has one candidate."""
    table, _, _ = written(
        ("2025-04-24", "An agreement signed in February was a precursor to the mission announced "
                       "on Wednesday."),
        ("2025-04-25", "China and Pakistan signed an agreement in 2025."))
    assert on_topic(table, "agreement").n_sources.tolist() == [2]
    wednesday = table[table.date == "2025-04-23"]
    assert wednesday.topic.tolist() == ["other"]


def test_dates_joined_by_and_share_their_sentence_topic() -> None:
    table, _, _ = written(("2025-11-05", "Shenzhou-20 and Shenzhou-21 lifted off on 24 April and "
                                         "31 October."))
    assert sorted(on_topic(table, "launch").date) == ["2025-04-24", "2025-10-31"]


def test_copies_of_a_sentence_with_two_dates_pair_each_date_with_its_own() -> None:
    """Two copies of one sentence are the same words but for the date only date for date: the
    arrival of one copy is no other date of the other's return."""
    sentence = "The Shenzhou-20 crew, who arrived on 24 April, will return in early November."
    table, _, _ = written(("2025-05-01", sentence), ("2025-05-02", sentence))
    events = table[table.kind == "event"]
    assert sorted(events.date) == ["2025-04-24", "2025-11-01"]
    assert set(events.status) == {"consistent"} and set(events.n_sources) == {2}
