"""Shared fixtures: the seed-only project for tests of the code, and one built briefing per test
session (shared by the pytest-xdist workers) for the end-to-end tests that only read it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from filelock import FileLock
from hypothesis import settings

from analysis import ProjectPaths
from tests.scratch import BuildRun, copy_built, copy_project, run_build

# Timing is never a test here: a busy 2-core CI machine must not fail a property test.
settings.register_profile("project", deadline=None)
settings.load_profile("project")


def _shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the whole run: under xdist the workers' base folders share a parent."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> BuildRun:
    """One full build (notebooks, HTML, PDF, figures) of a scratch copy, made by whichever worker
    asks first and read by all. Tests must not change it: they take ``built_copy`` for that."""
    shared = _shared_dir(tmp_path_factory)
    record = shared / "built-project.json"
    with FileLock(str(shared / "built-project.lock")):
        if record.is_file():
            run = BuildRun.load(record)
        else:
            root = copy_project(shared / "built-project")
            run = run_build(root)
            run.save(record)
    assert run.returncode == 0, f"build failed:\n{run.stdout}\n{run.stderr}"
    return run


@pytest.fixture
def built_copy(built_project: BuildRun, tmp_path: Path) -> Path:
    """A private copy of the built project (outputs and cache included) to change on purpose."""
    return copy_built(built_project.root, tmp_path / "built")


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A fresh copy of the project's inputs (the seed, notebooks, analysis) to break on purpose."""
    return copy_project(tmp_path / "project", seed_only=True)


@pytest.fixture(scope="session")
def seed_paths(tmp_path_factory: pytest.TempPathFactory) -> ProjectPaths:
    """The project with only the shipped seed article: what the seed-specific tests are about."""
    return ProjectPaths(copy_project(tmp_path_factory.mktemp("seed"), seed_only=True))


@pytest.fixture(scope="session")
def seed_facts(seed_paths: ProjectPaths):
    from analysis.facts import extract_facts

    return extract_facts(seed_paths)

