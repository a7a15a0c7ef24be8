"""Shared fixtures: the seed-only project for tests of the code, and one built briefing per test
session (shared by the pytest-xdist workers) for the end-to-end tests that only read it."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from filelock import FileLock
from hypothesis import settings

from analysis import ProjectPaths
from analysis.build.kernel_warnings import ENV as KERNEL_WARNINGS_ENV
from tests import shared_build
from tests.scratch import BuildRun, build_here, copy_built, copy_project, stub_notebooks

# nbval's kernels, like the build's, send warnings to a log instead of into the outputs they compare.
os.environ.setdefault(KERNEL_WARNINGS_ENV, os.path.join(tempfile.gettempdir(), "nbval-warnings.jsonl"))

# Timing is never a test here: a busy 2-core CI machine must not fail a property test.
settings.register_profile("project", deadline=None)
settings.load_profile("project")


def _shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the whole run: under xdist the workers' base folders share a parent."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> BuildRun:
    """One full build (notebooks, HTML, PDF, figures) of a scratch copy, read by every worker.
    It was started in the background when the tests were collected (see below); tests must not
    change it: they take ``built_copy`` for that."""
    result = shared_build.wait(_shared_dir(tmp_path_factory))
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture
def built_copy(built_project: BuildRun, tmp_path: Path) -> Path:
    """A private copy of the built project (outputs and cache included) to change on purpose."""
    return copy_built(built_project.root, tmp_path / "built")


QUICK = ("--no-pdf", "--no-figures")  # publishing is the same for every file; no browser needed
STUB_NOTEBOOKS = ("01_facts", "02_network", "03_record", "04_corpus", "09_briefing")
SLEEPING_CELL = "import os, time\ntime.sleep(float(os.environ.get('STUB_SLEEP', '0')))\nprint({name!r})"


@pytest.fixture(scope="session")
def built_stubs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built project whose notebooks are stubs (headings; the first also has a cell that sleeps
    while the variable STUB_SLEEP says so): for tests of the build's mechanics, which copy it
    (``copy_built``)."""
    shared = _shared_dir(tmp_path_factory)
    root = shared / "built-stubs"
    with FileLock(str(shared / "built-stubs.lock")):  # made once, by the first worker to ask
        if not (root / ".build" / "cache.json").is_file():
            copy_project(root, seed_only=True)
            stub_notebooks(root, code=(STUB_NOTEBOOKS[0],), cell=SLEEPING_CELL)  # one kernel
            first = build_here(root, *QUICK)
            assert first.returncode == 0, first.stderr
    return root


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
    from analysis.facts.extract import extract_facts

    return extract_facts(seed_paths)


@pytest.fixture(scope="session")
def story_paths(tmp_path_factory: pytest.TempPathFactory) -> ProjectPaths:
    """The seed and the fixture story (tests/fixtures/story/): a story told by six sources."""
    root = copy_project(tmp_path_factory.mktemp("story"), seed_only=True)
    for article in (Path(__file__).parent / "fixtures" / "story").glob("*.txt"):
        shutil.copy(article, root / "seeds" / article.name)
    return ProjectPaths(root)



# Test modules are scheduled on xdist workers in this order: the long chains first (modules
# whose tests share a fixture of several builds or a cluster), then unit tests, then end-to-end
# tests that make their own builds, then those that read the shared build (started in the
# background at collection, so it is ready by then), and last the notebooks (nbval): small units
# that fill both workers to the end.
def _phase(item: pytest.Item) -> int:
    if item.get_closest_marker("long_chain") is not None:
        return -1  # a long module of dependent steps: started first, so that it never ends last
    if item.path.suffix == ".ipynb":
        return 3
    if item.get_closest_marker("e2e") is None:
        return 0
    return 2 if {"built_project", "built_copy"} & set(item.fixturenames) else 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    phase: dict[Path, int] = {}
    for item in items:
        own = _phase(item)
        phase[item.path] = max(phase.get(item.path, own), own)
    items.sort(key=lambda item: phase[item.path])  # stable: a module's own order is kept


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the shared build as soon as the selected tests are known (after ``-m``/``-k``), to
    run beside the unit tests, so that nobody waits for it later."""
    if not session.config.option.collectonly and any(_phase(item) == 2 for item in session.items):
        shared_build.start(_shared_dir(session.config._tmp_path_factory))  # type: ignore[attr-defined]


STYLE_SCORES = "style-scores.txt"


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    """The style corpus's per-article scores, written by tests/test_styles.py on any worker."""
    factory = getattr(config, "_tmp_path_factory", None)
    table = factory.getbasetemp() / STYLE_SCORES if factory is not None else None
    if table is not None and table.is_file():
        terminalreporter.write_sep("-", "extraction scores on the house-style corpus (tests/fixtures/styles)")
        terminalreporter.write_line(table.read_text(encoding="utf-8"))
