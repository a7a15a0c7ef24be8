"""Extraction in other house styles: scored against hand annotations, with floors.

The corpus (``tests/fixtures/styles/``) is short articles written for these tests, each in one
outlet's conventions (s14–s26 in the attribution structures of real outlets' published text), each
with a gold file annotated by hand. The floors: 97 % of dates and 95 % of clock times found and
resolved, 97 % of quotes with the right speaker, 95 % of the names worth curating suggested with
clean boundaries, and at most one noise suggestion per five articles.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import ProjectPaths
from analysis.facts.evaluation import misses, score_folder, table, totals
from analysis.facts.extract import extract_facts
from tests.conftest import STYLE_SCORES, _shared_dir
from tests.test_facts import run_cli

CORPUS = Path(__file__).parent / "fixtures" / "styles"


@pytest.fixture(scope="module")
def scores(seed_paths: ProjectPaths, tmp_path_factory: pytest.TempPathFactory):
    found = score_folder(CORPUS, seed_paths)
    (_shared_dir(tmp_path_factory) / STYLE_SCORES).write_text(table(found), encoding="utf-8")
    return found


def test_the_corpus_covers_at_least_ten_styles(scores) -> None:
    assert len(scores) >= 10 and len({s.style for s in scores}) == len(scores)


@pytest.mark.parametrize(("measure", "floor"), [("dates", 0.97), ("times", 0.95), ("quotes", 0.97),
                                                ("candidates", 0.95), ("datelines", 1.0)])
def test_recall_floor(scores, measure: str, floor: float) -> None:
    tally = totals(scores)[measure]
    assert tally.gold > 0
    assert tally.recall >= floor, f"{measure}: {tally.right}/{tally.gold}\n{table(scores)}\n{misses(scores)}"


def test_at_most_one_noise_suggestion_per_five_articles(scores) -> None:
    noise = sum(len(s.noise) for s in scores)
    assert noise <= len(scores) / 5, misses(scores)


def test_no_day_or_year_of_a_date_is_a_quantity(seed_paths: ProjectPaths) -> None:
    from analysis import load_sources, read_source

    sources = [*load_sources(seed_paths.seeds), *(read_source(p) for p in sorted(CORPUS.glob("*.txt")))]
    facts = extract_facts(seed_paths, sources=sources)
    events, quantities = facts["events"], facts["quantities"]
    for q in quantities.itertuples():
        same = events[events.source_id == q.source_id]
        assert not ((same.start < q.end) & (q.start < same.end)).any(), q.text


def test_pasted_stubs_pass_check_and_are_no_longer_suggested(scratch: Path, monkeypatch, capsys) -> None:
    for name in ("s01_ap_wire", "s03_pakistani_daily", "s05_newsletter_headline"):
        (scratch / "seeds" / f"{name}.txt").write_bytes((CORPUS / f"{name}.txt").read_bytes())
    before = run_cli(scratch, "candidates", monkeypatch=monkeypatch, capsys=capsys)
    stubs = run_cli(scratch, "candidates", "--yaml", monkeypatch=monkeypatch, capsys=capsys)
    assert stubs.returncode == 0 and "- id: tan_yuhang" in stubs.stdout and "type: person" in stubs.stdout
    entities = scratch / "analysis" / "knowledge" / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8") + "\n" + stubs.stdout, encoding="utf-8")
    check = run_cli(scratch, "check", monkeypatch=monkeypatch, capsys=capsys)
    assert check.returncode == 0, check.stderr
    after = run_cli(scratch, "candidates", monkeypatch=monkeypatch, capsys=capsys)
    assert after.stdout.count("\n") < before.stdout.count("\n") - 8, after.stdout
