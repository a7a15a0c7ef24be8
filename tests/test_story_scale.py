"""Any number of sources: a thousand sources of every kind build, and the main body keeps its
length (the judgements' history across sources is bounded, every long list is capped and says
where the rest is)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from analysis.briefing.story import SHOWN_FLAGGED, SHOWN_OUTLETS, SHOWN_QUOTES, SHOWN_SOURCES
from analysis.corpus.synthetic import syndicated_copies, synthetic_records, write_corpus
from analysis.datapackage import read_table
from analysis.inputs.sources import read_source
from tests.reader_text import main_body_pages, pdf_pages
from tests.scratch import SEED_ID, copy_project, run_build, stub_notebooks
from tests.test_story_build import prose

SOURCES = 1000
MAIN_BODY_PAGES = 12


FIXTURES = Path(__file__).parent / "fixtures"
COPIES = 30  # syndicated copies of the seed


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A thousand sources of every kind the briefing meets: the seed, 30 syndicated copies of it,
    the fixture story, the agreement worded five ways, an article in every house style, and
    one-paragraph briefs for the rest; built with the briefing notebook alone (the others are
    stubs: they do not depend on the number of sources any differently) and its PDF."""
    root = copy_project(tmp_path_factory.mktemp("thousand"), seed_only=True)
    for folder in ("story", "agreement", "styles"):
        for article in (FIXTURES / folder).glob("*.txt"):
            shutil.copy(article, root / "seeds" / article.name)
    write_corpus(syndicated_copies(read_source(root / "seeds" / f"{SEED_ID}.txt"), COPIES), root / "seeds")
    held = len(list((root / "seeds").glob("*.txt")))
    write_corpus(synthetic_records(SOURCES - held, seed=29, paragraphs=1), root / "seeds")
    stub_notebooks(root, keep=("09_briefing",), code=())
    built = run_build(root, "--no-figures")
    assert built.returncode == 0, built.stderr
    return root


@pytest.mark.e2e
def test_a_thousand_sources_build_to_a_main_body_of_at_most_twelve_pages(thousand: Path) -> None:
    assert len(list((thousand / "seeds").glob("*.txt"))) == SOURCES
    assert main_body_pages(thousand / "reports/briefing.pdf") <= MAIN_BODY_PAGES


@pytest.mark.e2e
def test_the_first_page_says_how_many_sources_and_outlets_and_names_the_outlets(thousand: Path) -> None:
    """However many sources, the opening names the outlets it has room for, each with its dates,
    and counts the rest: all of it on the first page."""
    sources = read_table(thousand / "reports/data/sources.csv")
    first = pdf_pages(thousand / "reports/briefing.pdf")[0]
    opening = first[first.index("Sources: "):first.index("What the ")].rstrip()
    assert opening.startswith(f"Sources: {SOURCES:,} articles from {sources.outlet.nunique()} outlets: ")
    named = [o for o in sources.outlet.unique() if f"{o} (" in opening]
    oldest = sources.sort_values(["published", "source_id"]).outlet.iloc[0]
    assert len(named) == SHOWN_OUTLETS and oldest in named
    rest = sources[~sources.outlet.isin(named)]
    assert opening.endswith(f"and {len(rest):,} more articles from {rest.outlet.nunique()} outlets, "
                            "each listed in sources.csv.")


@pytest.mark.e2e
def test_the_long_lists_are_capped_and_say_where_the_rest_is(thousand: Path) -> None:
    page = (thousand / "reports/briefing.html").read_text(encoding="utf-8")
    words = " ".join(prose(page).split())
    tables = re.findall(r'<table class="brief-table">.*?</table>', page, flags=re.S)
    rows = [table.count("<tr>") - 1 for table in tables]  # minus the header row
    assert rows[0] <= SHOWN_SOURCES and f"{SOURCES - SHOWN_SOURCES + 1} more sources" in words
    assert max(rows) <= max(SHOWN_SOURCES, SHOWN_QUOTES, SHOWN_FLAGGED)
    assert "more quotations are in quotes.csv" in words
    assert re.search(r"The passages of the other \d+ claims and \d+ quotations are in claims.csv", words)
    evidence = page.count('<div class="evidence"')
    assert evidence < 120, evidence  # what the page links to, not every claim of a thousand sources


def test_check_warns_above_the_measured_number_of_sources_and_says_what_to_do(
        scratch: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    from analysis.briefing import story
    from tests.test_facts import run_cli

    quiet = run_cli(scratch, "check", monkeypatch=monkeypatch, capsys=capsys)
    assert quiet.returncode == 0 and "sources, more than" not in quiet.stderr
    monkeypatch.setattr(story, "MEASURED_SOURCES", 0)  # the one seed is now one too many
    crowded = run_cli(scratch, "check", monkeypatch=monkeypatch, capsys=capsys)
    assert crowded.returncode == 0
    line = next(x for x in crowded.stderr.splitlines() if "more than the 0" in x)
    assert line.startswith("warning: seeds holds 1 source,") and "corpus select --since" in line


def test_select_says_how_many_it_wrote_and_warns_when_the_folder_holds_too_many(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    from analysis.briefing import story
    from analysis.cli import main
    from analysis.corpus.engines import InProcess
    from analysis.corpus.run import extract_corpus
    from analysis.paths import ProjectPaths

    write_corpus(synthetic_records(12, seed=3), tmp_path / "archive.jsonl")
    extract_corpus(tmp_path / "archive.jsonl", tmp_path / "corpus", InProcess(),
                   ProjectPaths.default().knowledge)
    monkeypatch.setattr(story, "MEASURED_SOURCES", 2)
    seeds = tmp_path / "seeds"
    args = ["corpus", "select", str(tmp_path / "corpus"), "--actors", "pakistan", "--to", str(seeds)]
    assert main(args) == 0
    out, err = capsys.readouterr()
    held = len(list(seeds.glob("*.txt")))
    assert held > 2 and out.startswith(f"{held} articles written to ") and f"holds {held} sources" in out
    assert f"holds {held} sources, more than the 2 a briefing is measured" in err and "--since" in err


@pytest.mark.e2e
def test_a_thousand_sources_draw_nothing_over_anything_else(thousand: Path) -> None:
    """The charts of many sources (a mark per week, the most quoted speakers, a crowded network)
    at print and phone width, and the page's text: no codes, no sentence twice."""
    from tests.reader_text import codes_in, data_ids, repeated_sentences
    from tests.test_page_layout import layout_problems

    page = (thousand / "reports/briefing.html").read_text(encoding="utf-8")
    assert codes_in(page, data_ids(thousand / "reports/data")) == {}
    assert repeated_sentences(page) == {}
    found = layout_problems(thousand / "reports/briefing.html")
    assert found == [], found
