"""Two clean builds of the same inputs give byte-identical outputs (its own module, so that
pytest-xdist can run this full build beside the cache tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scratch import BuildRun, copy_project, run_build

pytestmark = pytest.mark.e2e


def test_two_clean_builds_are_byte_identical(built_project: BuildRun, tmp_path: Path) -> None:
    other = copy_project(tmp_path / "again")
    assert run_build(other).returncode == 0
    first = built_project.root
    compared = 0
    for folder in ("reports", "figures", "notebooks"):
        for path in sorted((first / folder).rglob("*")):
            if path.is_file():
                twin = other / path.relative_to(first)
                assert twin.read_bytes() == path.read_bytes(), f"{path.relative_to(first)} differs"
                compared += 1
    assert compared > 30
