"""The bad-input corpus (tests/bad_inputs/cases.yaml): every case gives one clear line and exit
code 2, or, for input that is merely unusual, exact handling. The hostile shapes, which also
carry a bound of time and memory, run in ``test_hostile_inputs``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bad_input_corpus import CASES, apply, assert_expected, bounded, run_check
from tests.scratch import copy_project

ORDINARY = [c for c in CASES if not bounded(c)]


def test_the_corpus_is_broad() -> None:
    assert len(CASES) >= 80
    assert len({c["id"] for c in CASES}) == len(CASES)
    assert sum(bounded(c) for c in CASES) >= 16  # the red team's six rows and ten more shapes


@pytest.mark.parametrize("case", ORDINARY, ids=[c["id"] for c in ORDINARY])
def test_case(case: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    root = copy_project(tmp_path / "project", seed_only=True)
    line = apply(case, root)
    assert_expected(case, run_check(root, monkeypatch, capsys), line)
