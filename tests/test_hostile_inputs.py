"""Hostile shapes of article and curated file (tests/bad_inputs/cases.yaml, the cases with a
bound): each is checked within its bound of CPU seconds and peak memory, and extracted exactly
(or refused with one line). Before issue 27 some of them took minutes or gigabytes; the bounds
are generous (a test, not a benchmark: ``benchmarks/large_article.py --hostile`` prints the
times)."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest

from analysis.facts import budget
from analysis.facts.budget import Budget, OverBudget
from tests.bad_input_corpus import CASES, apply, assert_expected, bounded, run_check
from tests.scratch import copy_project

HOSTILE = [c for c in CASES if bounded(c)]


@pytest.mark.parametrize("case", HOSTILE, ids=[c["id"] for c in HOSTILE])
def test_hostile_case(case: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    root = copy_project(tmp_path / "project", seed_only=True)
    line = apply(case, root)
    assert_expected(case, run_check(root, monkeypatch, capsys), line)


def test_an_article_over_the_memory_ceiling_stops_check_with_one_line_and_the_process_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """The ceiling (analysis/facts/budget.py), set low enough that an article of 10,000 dates in
    one sentence (about 190 MB) exceeds it: one line naming the article, exit 2; the process's
    data limit is as it was, and the next extraction in the same process (a notebook kernel's)
    works."""
    limits = resource.getrlimit(resource.RLIMIT_DATA)
    root = copy_project(tmp_path / "project", seed_only=True)
    apply(next(c for c in HOSTILE if c["id"] == "hostile-10000-dates-in-one-sentence"), root)
    monkeypatch.setenv(budget.MEMORY_ENV, "60")
    checked = run_check(root, monkeypatch, capsys)
    lines = checked.err.strip().splitlines()
    assert checked.code == 2 and len(lines) == 1, checked.err[-3000:]
    assert lines[0].startswith("error: seeds/900_dates.txt:1: extracting this article needed more than "
                               "60 MB of memory — split it into shorter articles, or raise "
                               "ANALYSIS_MEMORY_CEILING_MB")
    assert resource.getrlimit(resource.RLIMIT_DATA) == limits
    (root / "seeds" / "900_dates.txt").unlink()
    assert run_check(root, monkeypatch, capsys).code == 0


def test_a_budget_stops_a_block_over_its_time_or_memory_and_lifts_itself() -> None:
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
