"""Hostile shapes of article and curated file (tests/bad_inputs/cases.yaml, the cases with a
bound): each is checked within its bound of CPU seconds and peak memory, and extracted exactly
(or refused with one line). Before issue 27 some of them took minutes or gigabytes; the bounds
are generous (a test, not a benchmark: ``benchmarks/large_article.py --hostile`` prints the
times)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bad_input_corpus import CASES, apply, assert_expected, bounded, run_check
from tests.scratch import copy_project

HOSTILE = [c for c in CASES if bounded(c)]


@pytest.mark.parametrize("case", HOSTILE, ids=[c["id"] for c in HOSTILE])
def test_hostile_case(case: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    root = copy_project(tmp_path / "project", seed_only=True)
    line = apply(case, root)
    assert_expected(case, run_check(root, monkeypatch, capsys), line)
