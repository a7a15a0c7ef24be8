"""Shared fixtures: a built briefing, in a scratch copy of the project, to inspect."""

from __future__ import annotations

import pytest

from tests.scratch import BuildRun, copy_project, run_build


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> BuildRun:
    """One full build (notebooks, HTML, PDF, figures) of a scratch copy, shared by the e2e tests."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    run = run_build(root)
    assert run.returncode == 0, f"build failed:\n{run.stdout}\n{run.stderr}"
    return run


@pytest.fixture
def scratch(tmp_path):
    """A fresh copy of the project's inputs (seeds, notebooks, analysis) to break on purpose."""
    return copy_project(tmp_path / "project")
