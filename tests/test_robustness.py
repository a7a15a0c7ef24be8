"""Robustness: a publish interrupted by a crash is completed, and the parsers survive any input
(hypothesis). Interrupted builds: test_interrupt.py; hostile sources: test_hostile.py."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import InputError, ProjectPaths, read_source
from analysis.build.publish import finish_interrupted_publish
from analysis.facts.mentions import MentionFinder
from analysis.facts.quotes import quotes_frame
from analysis.paths import JOURNAL
from tests.factories import make_source, project_knowledge


def test_publish_journal_is_completed_after_a_crash(tmp_path: Path) -> None:
    paths = ProjectPaths(tmp_path)
    stage = tmp_path / ".build" / "stage-x"
    (stage / "reports").mkdir(parents=True)
    (stage / "reports" / "briefing.html").write_text("new", encoding="utf-8")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "briefing.html").write_text("old", encoding="utf-8")
    (tmp_path / "reports" / "briefing.pdf").write_text("already moved", encoding="utf-8")
    moves = [[f".build/stage-x/reports/{name}", f"reports/{name}"]
             for name in ("briefing.html", "briefing.pdf")]
    journal = {"root": str(tmp_path), "owned": [], "moves": moves}
    (tmp_path / ".build" / JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    said = []
    finish_interrupted_publish(paths, said.append)
    assert (tmp_path / "reports" / "briefing.html").read_text(encoding="utf-8") == "new"
    assert (tmp_path / "reports" / "briefing.pdf").read_text(encoding="utf-8") == "already moved"
    assert not (tmp_path / ".build" / JOURNAL).exists() and said


def test_a_journal_from_another_project_folder_is_ignored(tmp_path: Path) -> None:
    """A project copied while a build was publishing must not move files into the original."""
    original, copy = tmp_path / "original", tmp_path / "copy"
    for root in (original, copy):
        (root / ".build" / "stage-x" / "reports").mkdir(parents=True)
        (root / ".build" / "stage-x" / "reports" / "briefing.html").write_text("staged", encoding="utf-8")
        (root / "reports").mkdir()
        (root / "reports" / "briefing.html").write_text("published", encoding="utf-8")
    journal = {"root": str(original), "owned": ["reports"],
               "moves": [[".build/stage-x/reports/briefing.html", "reports/briefing.html"]]}
    (copy / ".build" / JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    said = []
    finish_interrupted_publish(ProjectPaths(copy), said.append)
    assert said and said[0].startswith("warning: .build/publish.json was written for another project folder")
    for root in (original, copy):
        assert (root / "reports" / "briefing.html").read_text(encoding="utf-8") == "published"
    assert not (copy / ".build" / JOURNAL).exists()


HEADER_PIECES = st.sampled_from([" date ", "date", " By ", "By", " and ", ", ", ",", "CNN", "2025-04-24",
                                 "2025-02-30", "1999-12-31", "x", " ", "\t", "é", "’", "\r"])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(HEADER_PIECES, max_size=12).map("".join), st.text(max_size=80))
def test_header_parser_only_fails_with_the_documented_error(header: str, body: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.txt"
        path.write_bytes(f"{header}\n{body}".encode("utf-8", "surrogatepass"))
        try:
            source = read_source(path)
        except InputError as exc:
            assert exc.line is not None and "\n" not in str(exc)
            return
        assert isinstance(source.published, dt.date)
        raw = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
        assert raw[source.body_offset:] == source.text
        for span in (*source.paragraphs, *source.sentences):
            assert source.text[span.start:span.end] == span.text


GAZETTEER = project_knowledge().gazetteer
FINDER = MentionFinder(GAZETTEER)
QUOTE_TEXT = st.lists(st.sampled_from(["“", "”", '"', " said ", " he said", "Amjad Ali", "Reuters", " told ",
                                       "China", ".", ",", " the statement added", "\n\n", "word", " "]),
                      max_size=40).map("".join)


@settings(max_examples=300)
@given(QUOTE_TEXT)
def test_quote_extraction_never_crashes_and_offsets_are_exact(text: str) -> None:
    source = make_source(text if text.strip() else "x")
    quotes = quotes_frame([source], {source.source_id: FINDER.find(source)}, GAZETTEER)
    for q in quotes.itertuples():
        assert source.text[q.start:q.end] == q.text
        if q.cue_start >= 0:
            assert source.text[q.cue_start:q.cue_end] == q.cue


def test_a_reader_that_stops_early_is_not_an_error(scratch: Path) -> None:
    """`python -m analysis graph | head -1`: a closed pipe ends the command quietly (141, as SIGPIPE)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "ANALYSIS_PROJECT_ROOT": str(scratch)}
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "graph"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=scratch)
    proc.stdout.close()  # the reader is gone before the first line is written
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141, stderr
    assert stderr == ""
