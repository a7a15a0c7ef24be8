"""Editions: the briefing as of a date (sources and record cut to it) and what changed since."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import ProjectPaths
from analysis.briefing.content import Briefing
from analysis.build.edition import edition_date
from analysis.errors import InputError
from analysis.inputs.sources import load_sources
from analysis.record.tables import PublicRecord
from analysis.story.editions import Edition, compare, describe
from tests.scratch import ROOT

STORY = Path(__file__).parent / "fixtures" / "story"
DAY = "2025-04-24"  # the seed's date: the launch report (25 April) and the shortlist (2026) come later


@pytest.fixture(scope="module")
def story_root(story_paths: ProjectPaths) -> Path:
    return story_paths.root


def current(briefing: Briefing) -> Edition:
    statements, links = briefing.statements
    return Edition(None, {**briefing.facts.tables, "statements": statements, "statement_facts": links})


@pytest.fixture(scope="module")
def editions(story_root: Path) -> tuple[Briefing, Briefing]:
    return Briefing.assemble(ProjectPaths(story_root, as_of=DAY)), Briefing.assemble(ProjectPaths(story_root))


def test_the_record_as_of_a_date_knows_nothing_later() -> None:
    full = PublicRecord.load(ROOT / "analysis/reference")
    cut = PublicRecord.load(ROOT / "analysis/reference", as_of="2025-04-27")
    assert cut.as_of <= "2025-04-27" < full.as_of
    assert "Shenzhou-20" in set(cut.crewed_missions.mission)
    assert "Shenzhou-21" not in set(cut.crewed_missions.mission)
    landing = cut.crewed_missions.set_index("mission").landing_utc
    assert pd.isna(landing["Shenzhou-19"])  # it landed on 30 April: not yet known on the 27th
    assert (cut.after_article_timeline.date <= "2025-04-27").all()
    kept = cut.crewed_missions.line.tolist()
    assert kept == full.crewed_missions.line.tolist()[: len(kept)]  # rows keep their file lines


def test_sources_as_of_a_date_are_those_published_by_then(story_root: Path) -> None:
    dates = [s.published.isoformat() for s in load_sources(story_root / "seeds", until=DAY)]
    assert dates and max(dates) == DAY
    assert len(load_sources(story_root / "seeds")) > len(dates)
    with pytest.raises(InputError, match="no source was published by 2020-01-01"):
        load_sources(story_root / "seeds", until="2020-01-01")


@pytest.mark.parametrize("bad", ["2025-02-30", "24/04/2025", "2025-4-24", "soon"])
def test_an_edition_date_must_be_a_real_iso_date(bad: str) -> None:
    with pytest.raises(InputError, match="is not a date"):
        edition_date(bad)
    assert edition_date("2025-04-24") == "2025-04-24"


@pytest.mark.parametrize("later", ["9999-12-31", "2999-01-01"])
def test_an_edition_date_after_today_is_one_line(later: str, capsys) -> None:
    """The last day of the calendar once overflowed the record's cut (a traceback)."""
    from analysis.cli import main

    assert main(["build", "--as-of", later, "--no-pdf"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: --as-of: {later} is after today"), err


def test_an_edition_states_what_it_can_and_says_what_it_cannot(editions) -> None:
    early, _ = editions
    assert {s.published.isoformat() for s in early.facts.sources} == {DAY}
    texts = {j.judgement_id: j.text for j in early.judgements()}
    assert texts["timetable"].startswith(f"Not stated in the edition of {DAY}")  # the shortlist came later
    assert "Not stated" not in texts["details-hold"]
    shortlist = early.claims.set_index("claim_id").loc["shortlist-next-month"]
    assert shortlist.verdict == "unverifiable" and f"as of {DAY}" in shortlist.note


def test_the_difference_lists_new_sources_resolved_schedules_and_changed_verdicts(editions) -> None:
    early, late = editions
    diff = compare(current(early), current(late))
    assert set(diff.new_sources.source_id) == {"204_launch_reported", "205_shortlist"}
    assert "launch" in set(diff.resolved.topic)  # scheduled for the 24th, reported launched on the 25th
    verdicts = diff.changed_verdicts.set_index("claim_id")
    assert verdicts.loc["shortlist-next-month"].was == "unverifiable"
    assert verdicts.loc["shortlist-next-month"].now == "outdated"
    assert set(diff.new_statements.statement_id) <= set(current(late).tables["statements"].statement_id)
    text = describe(diff, Path("old"), Path("new"))
    assert "New sources: 2" in text and "205_shortlist" in text
    assert diff.removed_sources.empty and diff.removed_statements.empty  # the story only grew
    same = compare(current(late), current(late))
    assert same.empty and "none" in describe(same, Path("a"), Path("a"))


def test_the_difference_lists_sources_and_statements_that_are_gone(editions) -> None:
    """Compared the other way (the later edition as the old one), what the earlier one lacks is
    gone: once never reported, so a source taken out of seeds/ went unmentioned."""
    early, late = editions
    back = compare(current(late), current(early))
    assert set(back.removed_sources.source_id) == {"204_launch_reported", "205_shortlist"}
    assert back.new_sources.empty and not back.removed_statements.empty
    gone = set(back.removed_statements.statement_id)
    late_statements = current(late).tables["statements"]
    only_later = late_statements[late_statements.statement_id.isin(gone)]
    assert only_later.sources.str.contains("204_launch_reported|205_shortlist").all()
    text = describe(back, Path("new"), Path("old"))
    assert "Sources no longer in it: 2" in text and "Statements no source makes any more:" in text


def test_diff_names_a_folder_that_is_not_a_data_package(tmp_path: Path, capsys) -> None:
    from analysis.cli import main

    (tmp_path / "sources.csv").write_text("source_id\n", encoding="utf-8")
    assert main(["diff", str(tmp_path), "--new", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "missing statements, statement_facts" in err


def _cut(path: Path, keep: float, at_line_end: bool) -> None:
    data = path.read_bytes()
    end = int(len(data) * keep)
    end = data.rindex(b"\n", 0, end) + 1 if at_line_end else data.index(b",", end)  # mid-row or between rows
    path.write_bytes(data[:end])


def _drop_column(path: Path, column: str) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns=[column]).to_csv(path, index=False, lineterminator="\n")


def _set_cell(path: Path, column: str, value: str) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[1, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")


TAMPERED = {  # each: how the copy is damaged, and the words of the one line that says so
    "a missing column": (lambda d: _drop_column(d / "events.csv", "start"), "events.csv:1: no column start"),
    "a non-numeric number": (lambda d: _set_cell(d / "events.csv", "start", "twelve"),
                             "events.csv:3: start 'twelve' is not a whole number"),
    "a file cut mid-row": (lambda d: _cut(d / "statement_facts.csv", 0.5, at_line_end=False),
                           "statement_facts.csv:"),
    "a file cut between rows": (lambda d: _cut(d / "events.csv", 0.5, at_line_end=True),
                                "is not in events.csv"),
    "a wrong encoding": (lambda d: (d / "sources.csv").write_bytes(
        (d / "sources.csv").read_text(encoding="utf-8").encode("utf-16")), "sources.csv:1: not UTF-8 text"),
    "Latin-1 text": (lambda d: (d / "claims.csv").write_bytes(
        (d / "claims.csv").read_bytes().replace("’".encode(), b"\x92")), "claims.csv:"),
}


@pytest.mark.parametrize("case", TAMPERED)
def test_diff_given_a_tampered_csv_answers_one_line_with_exit_2(case: str, tmp_path: Path, capsys) -> None:
    """Each once ended in a traceback (KeyError, ValueError, UnicodeDecodeError, AttributeError)
    and exit 1."""
    import shutil

    from analysis.cli import main

    good = shutil.copytree(ROOT / "reports" / "data", tmp_path / "good")
    assert main(["diff", str(good), "--new", str(good)]) == 0
    capsys.readouterr()
    tampered = shutil.copytree(good, tmp_path / "tampered")
    damage, words = TAMPERED[case]
    damage(tampered)
    for old, new in ((tampered, good), (good, tampered)):
        assert main(["diff", str(old), "--new", str(new)]) == 2
        captured = capsys.readouterr()
        err = captured.err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("error: ") and words in err[0], captured.err
        assert "tampered" in err[0] and " — " in err[0] and not captured.out


def test_diff_reads_a_package_whose_cell_holds_a_long_text(tmp_path: Path, capsys) -> None:
    """A quotation or a statement's list of sources past 131,072 characters (the csv module's
    default limit) was refused as a file 'cut short'."""
    import shutil

    from analysis.cli import main

    good = shutil.copytree(ROOT / "reports" / "data", tmp_path / "good")
    long = shutil.copytree(good, tmp_path / "long")
    _set_cell(long / "quotes.csv", "text", "word " * 40_000)
    assert main(["diff", str(good), "--new", str(long)]) == 0, capsys.readouterr().err
