"""A build stopped dead (as by `kill -9`) at any named point of its life, then built again,
publishes exactly what a build that was never stopped does, and leaves a consistent cache.

The project is the smallest that exercises every step without a kernel: stub notebooks (one
Markdown cell each), the seed, then a new source and a hand edit of the briefing's twin, so the
data package, every notebook, every twin and the HTML are staged and published, and the twin's
edit is carried into its notebook first."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from analysis import stops
from analysis.stops import BUILD_POINTS, ENV
from tests.conftest import QUICK
from tests.scratch import build_here, copy_built, copy_project, snapshot, stub_notebooks
from tests.stopped_child import wait_stopped

pytestmark = pytest.mark.e2e
ARTICLE = Path(__file__).parent / "fixtures" / "articles" / "100_wire_shortlist.txt"


def change(root: Path) -> None:
    """A new source, and the briefing's twin edited by hand."""
    shutil.copy(ARTICLE, root / "seeds" / ARTICLE.name)
    twin = root / "notebooks" / "09_briefing.py"
    twin.write_text(twin.read_text(encoding="utf-8").replace("# # 09_briefing", "# # 09_briefing, edited"),
                    encoding="utf-8")


@pytest.fixture(scope="module")
def before(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("before") / "project", seed_only=True)
    stub_notebooks(root, code=())
    assert build_here(root, *QUICK).returncode == 0
    return root


@pytest.fixture(scope="module")
def fresh(before: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The change, built without a stop."""
    root = copy_built(before, tmp_path_factory.mktemp("fresh") / "project")
    change(root)
    built = build_here(root, *QUICK)
    assert built.returncode == 0, built.stderr
    assert "09_briefing.py was edited" in built.stdout
    return root


def stopped_build(root: Path, point: str) -> None:
    """The build in a child process that ends at ``point`` with ``os._exit``, as a kill would."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            stops._counts.clear()  # this process counts from its own start
            build_here(root, *QUICK, env={ENV: point})
        finally:
            os._exit(1)  # reached only when the point was not
    wait_stopped(pid, point, "the build")


def occurrences(before: Path, tmp_path: Path) -> dict[str, int]:
    """How often the changed build reaches each point (counted, never stopped)."""
    root = copy_built(before, tmp_path / "counted")
    change(root)
    stops._counts.clear()
    assert build_here(root, *QUICK, env={ENV: "(counting)"}).returncode == 0
    return stops.counted()


def chosen(count: int) -> list[int]:
    """The first two, the middle two and the last two times a point is reached."""
    return sorted({n for n in (1, 2, count // 2, count // 2 + 1, count - 1, count) if 1 <= n <= count})


def test_a_build_stopped_dead_at_any_point_is_completed_by_the_next(before: Path, fresh: Path,
                                                                    tmp_path: Path) -> None:
    counts = occurrences(before, tmp_path)
    assert set(counts) == set(BUILD_POINTS), counts
    expected = snapshot(fresh)
    cache = (fresh / ".build" / "cache.json").read_bytes()
    for point in BUILD_POINTS:
        for n in chosen(counts[point]):
            at = f"{point}#{n}"
            root = copy_built(before, tmp_path / at.replace(" ", "-").replace("#", "-"))
            change(root)
            stopped_build(root, at)
            again = build_here(root, *QUICK)
            assert again.returncode == 0, (at, again.stdout, again.stderr)
            assert snapshot(root) == expected, at  # every published file, byte for byte
            assert (root / ".build" / "cache.json").read_bytes() == cache, at
            assert "Up to date" in build_here(root, *QUICK).stdout, at
            left = [p for p in (root / ".build").iterdir() if p.name not in ("cache.json", "lock")]
            left += [p for p in root.rglob("*.previous")]
            assert left == [], (at, left)  # no stage, journal, temporary cache or output set aside
            shutil.rmtree(root)


def test_an_input_removed_between_the_listing_and_the_reading_is_absent(tmp_path: Path, monkeypatch) -> None:
    """A seed moved away while a build computed its keys was a FileNotFoundError (exit 1, 'No such
    file or directory') instead of an input that changed while the build ran."""
    from analysis.build import plan

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(name, encoding="utf-8")
    listed = plan._files(tmp_path, ["*.txt"])
    (tmp_path / "b.txt").unlink()  # between the listing and the reading
    monkeypatch.setattr(plan, "_files", lambda root, patterns: listed)
    assert plan.file_hashes(tmp_path, ["*.txt"]) == {"a.txt": plan.file_hash(tmp_path / "a.txt")}
