"""The story across sources: the fixture story (tests/fixtures/story/) merged into statements."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import ProjectPaths
from analysis.facts.extract import extract_facts
from analysis.story.statements import build_statements, load_topics

STORY = Path(__file__).parent / "fixtures" / "story"


@pytest.fixture(scope="module")
def statements(tmp_path_factory: pytest.TempPathFactory, seed_paths: ProjectPaths):
    root = tmp_path_factory.mktemp("story")
    shutil.copytree(seed_paths.root, root, dirs_exist_ok=True)
    for article in STORY.glob("*.txt"):
        shutil.copy(article, root / "seeds" / article.name)
    paths = ProjectPaths(root)
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
