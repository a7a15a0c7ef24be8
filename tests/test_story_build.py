"""The briefing built from a story of several sources, its edition of an earlier date, and what
the next edition says is new: end to end, in a scratch copy with the fixture story in seeds/."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from pathlib import Path

import pytest

from analysis.briefing.story import SHOWN_DATES, short_dates
from analysis.datapackage import read_table
from tests.reader_text import main_body_pages, pdf_pages
from tests.scratch import copy_project, run_build, stub_notebooks
from tests.test_reproducible import files

pytestmark = [pytest.mark.e2e, pytest.mark.long_chain]
STORY = Path(__file__).parent / "fixtures" / "story"
DAY = "2025-04-24"
# A source a year before the seed: the briefing's per-source history then rebuilds judgements
# from it alone, where the seed's entities are absent (this once published warnings with paths).
EARLY = Path(__file__).parent / "fixtures" / "articles" / "050_paksat_2024.txt"


# Far apart: 25 hours between their clocks, so a date taken from local time differs in one of them.
TZ, OTHER_TZ = "Pacific/Kiritimati", "Pacific/Pago_Pago"
# The story's own build prints its PDF (its pages are tested); the edition and the build elsewhere
# do not need one.
BUILD = ("--previous", f"editions/{DAY}/reports/data", "--no-figures")
MAIN_BODY_PAGES = 12


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("story-build"), seed_only=True)
    for article in [*STORY.glob("*.txt"), EARLY]:
        shutil.copy(article, root / "seeds" / article.name)
    # These tests read the data and the briefing: the other notebooks are stubs, to save time.
    # Every notebook runs on several sources, and is built again in another time zone and folder,
    # in CI's rehearsal of an added article (scripts/try-user-article: make report, make test).
    stub_notebooks(root, keep=("09_briefing",), code=())
    edition = run_build(root, "--as-of", DAY, "--no-pdf", "--no-figures", env={"TZ": TZ})
    assert edition.returncode == 0, edition.stderr
    built = run_build(root, *BUILD, env={"TZ": TZ})
    assert built.returncode == 0, built.stderr
    return root


def test_the_story_builds_to_the_same_bytes_in_another_time_zone_and_folder(
        story: Path, tmp_path: Path) -> None:
    """Several dated sources, an edition and a previous edition: built again elsewhere, in a time
    zone 25 hours away, every notebook, table and the briefing are byte for byte the same."""
    other = copy_project(tmp_path / "elsewhere", source=story)
    previous = Path("editions", DAY, "reports", "data")
    shutil.copytree(story / previous, other / previous)
    again = run_build(other, *BUILD, "--no-pdf", env={"TZ": OTHER_TZ})
    assert again.returncode == 0, again.stderr
    patterns = ("notebooks/*.ipynb", "notebooks/*.py", "reports/data/*", "reports/briefing.html")
    first, second = files(story, *patterns), files(other, *patterns)
    assert len(first) > 20 and first.keys() == second.keys()
    assert sorted(name for name in first if first[name] != second[name]) == []


def prose(page: str) -> str:
    """The briefing's own words: without the quoted passages of the evidence section and tables
    of source text, without markup."""
    page = re.sub(r"<blockquote>.*?</blockquote>", " ", page, flags=re.S)
    page = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_briefing_names_every_source_and_never_a_single_article(story: Path) -> None:
    page = (story / "reports/briefing.html").read_text(encoding="utf-8")
    sources = read_table(story / "reports/data/sources.csv")
    words = prose(page)
    for row in sources.itertuples():
        assert f"{row.outlet}" in words and row.published in words
    mentions = [m.start() for m in re.finditer(r"\bthe article\b", words, re.I)]
    assert mentions == [], [words[max(0, i - 80): i + 40] for i in mentions]
    assert "What the 7 sources said" in words
    assert "How the story moved" in words and "Key judgements changed" in words


def test_the_statements_show_the_story_moves(story: Path) -> None:
    statements = read_table(story / "reports/data/statements.csv")
    quote = statements[statements.summary.str.contains("proud moment")]
    assert quote.n_sources.astype(int).tolist() == [2]
    assert set(statements.status) >= {"updated", "conflicting", "consistent", "single source"}


def test_the_edition_of_an_earlier_date_holds_only_what_was_known_then(story: Path) -> None:
    edition = story / "editions" / DAY
    sources = read_table(edition / "reports/data/sources.csv")
    assert set(sources.published) == {"2024-05-31", DAY}
    claims = read_table(edition / "reports/data/claims.csv")
    assert (claims.as_of <= DAY).all()
    assert not (story / "editions" / DAY / "reports/briefing.pdf").exists()  # --no-pdf was honoured
    page = (edition / "reports/briefing.html").read_text(encoding="utf-8")
    assert f"Not stated in the edition of {DAY}" in prose(page)


def test_the_next_edition_says_what_is_new_since_the_previous_one(story: Path) -> None:
    words = prose((story / "reports/briefing.html").read_text(encoding="utf-8"))
    assert "New since the previous edition" in words
    assert "New sources (2)" in words and "Changed verdicts" in words


def test_the_story_and_its_edition_read_in_plain_words(story: Path) -> None:
    """Several sources, an edition and what is new since it: no code, id or column name in what a
    reader sees (a statement's topic, a speaker's id), and no sentence twice."""
    from tests.reader_text import codes_in, data_ids, repeated_sentences, visible_blocks

    for root in (story, story / "editions" / DAY):
        page = (root / "reports/briefing.html").read_text(encoding="utf-8")
        assert codes_in(page, data_ids(root / "reports/data")) == {}, root
        assert repeated_sentences(page) == {}, root
    new = " ".join(visible_blocks((story / "reports/briefing.html").read_text(encoding="utf-8")))
    assert "New statements" in new and not re.search(r"\b(?:quote|relation|other): ", new)


def test_the_printed_story_keeps_its_page_budget_and_names_every_source_on_its_first_pages(
        story: Path) -> None:
    """Seven sources from five outlets: the main body stays within 12 A4 pages, and pages 1 and 2
    name every outlet with its articles' dates (the sources table, which names them too, starts
    after the key judgements: two of six dates once showed on no page before the third)."""
    pdf = story / "reports/briefing.pdf"
    assert main_body_pages(pdf) <= MAIN_BODY_PAGES
    first = " ".join(pdf_pages(pdf)[:2])
    sources = read_table(story / "reports/data/sources.csv")
    assert f"{len(sources)} articles from {sources.outlet.nunique()} outlets" in first
    for outlet, published in sources.groupby("outlet").published:
        days = [dt.date.fromisoformat(day) for day in published]
        assert len(days) <= SHOWN_DATES  # so each date is listed, none summed up in a span
        assert f"{outlet} ({short_dates(days)})" in first, outlet
