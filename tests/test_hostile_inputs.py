"""Hostile shapes of article and curated file (tests/bad_inputs/cases.yaml, the cases with a
bound): each is checked within its bound of CPU seconds and peak memory, and extracted exactly
(or refused with one line). Before issue 27 some of them took minutes or gigabytes; the bounds
are generous (a test, not a benchmark: ``benchmarks/large_article.py --hostile`` prints the
times)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import ProjectPaths
from analysis.facts import budget
from analysis.facts.budget import Budget, OverBudget
from analysis.facts.extract import extract_facts
from tests.bad_input_corpus import CASES, apply, assert_expected, bounded, run_check
from tests.scratch import copy_project

HOSTILE = [c for c in CASES if bounded(c)]


@pytest.mark.parametrize("case", HOSTILE, ids=[c["id"] for c in HOSTILE])
def test_hostile_case(case: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    root = copy_project(tmp_path / "project", seed_only=True)
    line = apply(case, root)
    assert_expected(case, run_check(root, monkeypatch, capsys), line)


def test_an_article_over_the_memory_ceiling_stops_check_with_one_line(tmp_path: Path) -> None:
    """The ceiling (analysis/facts/budget.py), set low enough that an article of 10,000 dates in
    one sentence (about 190 MB) exceeds it: one line naming the article, exit 2. In a process of
    its own, as a user runs it: a test worker holds memory freed by earlier tests, which the
    extraction would reuse without the process growing."""
    root = copy_project(tmp_path / "project", seed_only=True)
    apply(next(c for c in HOSTILE if c["id"] == "hostile-10000-dates-in-one-sentence"), root)
    env = {**os.environ, "ANALYSIS_PROJECT_ROOT": str(root), budget.MEMORY_ENV: "60"}
    run = subprocess.run([sys.executable, "-m", "analysis", "check"], env=env, cwd=root,
                         capture_output=True, text=True, timeout=300)
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 2 and len(lines) == 1, run.stderr[-3000:]
    assert lines[0].startswith("error: seeds/900_dates.txt:1: extracting this article needed more than "
                               "60 MB of memory — split it into shorter articles, or raise "
                               "ANALYSIS_MEMORY_CEILING_MB")


def test_a_budget_stops_a_block_over_its_time_or_memory_and_lifts_itself(tmp_path: Path) -> None:
    """What a notebook kernel or a dask worker needs: stopped, with the reason, and the process's
    data limit as it was, so that the next extraction runs as before."""
    limits = resource.getrlimit(resource.RLIMIT_DATA)
    with pytest.raises(OverBudget, match="time exceeded: extracting it took more than 1 s"), \
            Budget(seconds=1):
        while True:
            pass
    held = []
    with pytest.raises(OverBudget, match="memory exceeded: extracting it needed more than 50 MB"), Budget(50):
        while True:
            held.append(bytearray(4 * 1024 * 1024))
            held[-1][::4096] = b"x" * len(held[-1][::4096])
    held.clear()
    assert resource.getrlimit(resource.RLIMIT_DATA) == limits
    with Budget(50, 5):  # within both: nothing happens
        sum(range(100_000))
    assert extract_facts(ProjectPaths(copy_project(tmp_path / "project", seed_only=True))).sources
