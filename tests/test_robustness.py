"""Robustness: interrupted builds keep the last good outputs, hostile sources stay inert text,
and the parsers survive any input (hypothesis)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import InputError, ProjectPaths, read_source
from analysis.browser import open_page
from analysis.build import JOURNAL, finish_interrupted_publish
from analysis.export import wait_for_charts
from analysis.mentions import MentionFinder
from analysis.quotes import quotes_frame
from tests.factories import make_source, project_knowledge
from tests.scratch import copy_project, run_build

OUTPUT_FOLDERS = ("reports", "figures", "notebooks")


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for folder in OUTPUT_FOLDERS
            for p in sorted((root / folder).rglob("*")) if p.is_file()}


def interrupt_build(root: Path, sig: signal.Signals, delay: float) -> subprocess.CompletedProcess:
    """Start a forced build, wait until its notebooks are executing, then send ``sig``."""
    env = {**os.environ, "ANALYSIS_PROJECT_ROOT": str(root)}
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "build", "--force"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("data package"):
            break
    time.sleep(delay)  # kernels are starting or running now
    os.killpg(proc.pid, sig) if sig == signal.SIGKILL else proc.send_signal(sig)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.e2e
@pytest.mark.parametrize(("sig", "delay"), [(signal.SIGKILL, 1.5), (signal.SIGINT, 1.5),
                                             (signal.SIGINT, 3.5)],
                         ids=["killed", "ctrl-c-early", "ctrl-c-while-running"])
def test_interrupted_build_leaves_previous_outputs_intact(built_copy: Path, sig, delay) -> None:
    root = built_copy
    before = snapshot(root)
    assert len(before) > 30
    result = interrupt_build(root, sig, delay)
    assert result.returncode != 0
    if sig == signal.SIGINT:
        assert result.returncode == 130 and "previous outputs are untouched" in result.stderr
    assert snapshot(root) == before
    time.sleep(0.5)
    # the next build cleans up after the interrupted one and is consistent again
    again = run_build(root, "--no-pdf", "--no-figures")
    assert again.returncode == 0, again.stderr
    assert not list((root / ".build").glob("stage-*"))


def test_publish_journal_is_completed_after_a_crash(tmp_path: Path) -> None:
    paths = ProjectPaths(tmp_path)
    stage = tmp_path / ".build" / "stage-x"
    (stage / "reports").mkdir(parents=True)
    (stage / "reports" / "briefing.html").write_text("new", encoding="utf-8")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "briefing.html").write_text("old", encoding="utf-8")
    (tmp_path / "reports" / "briefing.pdf").write_text("already moved", encoding="utf-8")
    moves = [[str(stage / "reports" / name), str(tmp_path / "reports" / name)]
             for name in ("briefing.html", "briefing.pdf")]
    journal = {"stage": str(stage), "owned": [], "moves": moves}
    (tmp_path / ".build" / JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    said = []
    finish_interrupted_publish(paths, said.append)
    assert (tmp_path / "reports" / "briefing.html").read_text(encoding="utf-8") == "new"
    assert (tmp_path / "reports" / "briefing.pdf").read_text(encoding="utf-8") == "already moved"
    assert not (tmp_path / ".build" / JOURNAL).exists() and said


HOSTILE = (
    " date 2025-04-25 By <script>window.__pwned='author'</script> and Eve, "
    "Evil<img src=x onerror=\"window.__pwned='outlet'\">\n\n"
    "China said on Monday that “<script>window.__pwned='quote'</script> "
    "<img src=x onerror=\"window.__pwned='img'\"> "
    "<a href=\"javascript:window.__pwned='link'\">click</a>” according to Amjad Ali.\n\n"
    "Pakistan replied on Tuesday with <iframe src=\"https://example.com/\"></iframe> and "
    "<b onmouseover=\"window.__pwned='b'\">bold</b>.\n"
)


@pytest.mark.e2e
def test_hostile_source_renders_as_text_and_runs_nothing(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (root / "seeds" / "666_hostile.txt").write_text(HOSTILE, encoding="utf-8")
    run = run_build(root, "--no-pdf", "--no-figures")
    assert run.returncode == 0, run.stderr
    html = (root / "reports" / "briefing.html").read_text(encoding="utf-8")
    assert "window.__pwned" in html  # the text is there …
    live_tags = re.findall(r"<(?:script|img|iframe|a|b)\b[^>]*__pwned", html)
    assert live_tags == [], live_tags  # … only as escaped text, never as a tag
    dialogs = []
    with open_page(root / "reports" / "briefing.html") as (page, log):
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        wait_for_charts(page)
        page.hover("text=click", timeout=2000) if page.locator("text=click").count() else None
        text = page.inner_text("body")
        pwned = page.evaluate("() => window.__pwned === undefined ? null : window.__pwned")
        frames = page.evaluate("() => document.querySelectorAll('iframe').length")
        javascript_links = page.evaluate(
            "() => document.querySelectorAll('a[href^=\"javascript:\"]').length")
    assert pwned is None and dialogs == [] and frames == 0 and javascript_links == 0
    assert "<script>window.__pwned='quote'</script>" in text  # shown to the reader as text
    assert log.external_requests == [], log.external_requests
    assert log.console_errors == [], log.console_errors


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
