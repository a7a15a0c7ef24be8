"""The briefing in plain words: no code, id or column name from the data in what a reader sees,
counts that agree with their nouns, each sentence shown once (tests/reader_text.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.wording import Wording, count_word, plural
from tests.reader_text import codes_in, data_ids, repeated_sentences, visible_blocks
from tests.scratch import BuildRun

WORDING = Path(__file__).resolve().parents[1] / "analysis" / "knowledge" / "wording.yaml"


@pytest.mark.e2e
def test_the_briefing_shows_no_code_id_or_column_name(built_project: BuildRun) -> None:
    page = (built_project.root / "reports/briefing.html").read_text(encoding="utf-8")
    assert codes_in(page, data_ids(built_project.root / "reports/data")) == {}


@pytest.mark.e2e
def test_the_briefing_says_each_sentence_once(built_project: BuildRun) -> None:
    page = (built_project.root / "reports/briefing.html").read_text(encoding="utf-8")
    assert repeated_sentences(page) == {}


@pytest.mark.e2e
def test_counts_agree_with_their_nouns(built_project: BuildRun) -> None:
    page = (built_project.root / "reports/briefing.html").read_text(encoding="utf-8")
    words = " ".join(visible_blocks(page))
    assert "had hosted no foreign nationals" in words  # not "hosted 0 foreign nationals"
    assert "one records a stated intent to invest and none a completed investment" in words
    assert " 0 a completed" not in words and " 1 records" not in words


def test_the_scan_finds_what_a_reader_must_not_see() -> None:
    """The scan itself: each kind of code the issue found in a briefing is caught, and file names,
    web addresses and the words around them are not."""
    page = ("<p>crewed_from: 2021; background_only: False</p><p>relation R018</p><p>09:17Z</p>"
            "<p>1 day(s) late</p><p>farhan_qureshi: said</p><p>000_615d141f3fb52d67, characters 9–107</p>"
            "<script>var after_assembly_seq = 1;</script><p>see claims.csv, seeds/000_615d141f3fb52d67.txt "
            "and https://example.org/a_b/c_d.html</p><table><tr><td>Same cell words here twice over.</td>"
            "<td>Same cell words here twice over.</td></tr></table>")
    found = {key.split(": ", 1)[1] for key in codes_in(page, {"000_615d141f3fb52d67"})}
    assert found >= {"crewed_from", "background_only", "False", "R018", "09:17Z", "y(s)", "farhan_qureshi",
                     "000_615d141f3fb52d67"}
    assert "after_assembly_seq" not in found and "a_b" not in found and "c_d" not in found
    twice = "<p>This sentence of eight words is said twice.</p>" * 2
    assert repeated_sentences(page) == {} and list(repeated_sentences(twice).values()) == [2]


def test_counts_read_as_prose() -> None:
    assert plural(1, "source") == "1 source" and plural(1200, "source") == "1,200 sources"
    assert plural(0, "foreign national", zero="no") == "no foreign nationals"
    assert plural(2, "statement was", "statements were") == "2 statements were"
    assert plural(3, "day") == "3 days" and plural(2, "country") == "2 countries"
    assert [count_word(n) for n in (0, 1, 2, 1500)] == ["none", "one", "2", "1,500"]


def test_a_code_without_words_names_the_file_and_what_to_add() -> None:
    words = Wording.load(WORDING)
    assert words.of("answers", True) == "yes"
    assert words.of("reference_columns", "crewed_from") == "crewed from"
    assert words.of("verdict_methods", "computed (generic: mission table)").endswith("(mission table)")
    with pytest.raises(InputError) as caught:
        words.of("attributions", "telepathy")
    assert "wording.yaml" in str(caught.value) and "add `telepathy:" in str(caught.value)


def test_check_refuses_a_reference_column_without_words(scratch: Path, monkeypatch, capsys) -> None:
    from tests.test_facts import run_cli

    wording = scratch / "analysis" / "knowledge" / "wording.yaml"
    wording.write_text(wording.read_text(encoding="utf-8").replace("  crewed_from: crewed from\n", ""),
                       encoding="utf-8")
    run = run_cli(scratch, "check", monkeypatch=monkeypatch, capsys=capsys)
    assert run.returncode == 2
    assert "wording.yaml: no words for 'crewed_from' in section 'reference_columns'" in run.stderr
