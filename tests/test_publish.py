"""Publishing is all or nothing: an output folder that cannot be written stops the build before
the first move, and a move that fails half-way puts every previous output back."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.build import publish
from analysis.paths import JOURNAL
from tests.conftest import QUICK
from tests.scratch import build_here, copy_built, snapshot


@pytest.fixture
def project(built_stubs: Path, tmp_path: Path) -> Path:
    return copy_built(built_stubs, tmp_path / "project")

pytestmark = pytest.mark.e2e



def change_the_briefing(root: Path) -> None:
    """An input edit that makes the build run the data package and every notebook again."""
    with (root / "analysis" / "knowledge" / "entities.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")


@pytest.mark.skipif(shutil.which("setpriv") is None or os.geteuid() != 0, reason="needs setpriv as root")
def test_a_read_only_reports_folder_stops_the_build_before_anything_moves(project: Path) -> None:
    before = snapshot(project)
    change_the_briefing(project)
    for path in [project / "reports", *(project / "reports").rglob("*")]:
        path.chmod(path.stat().st_mode & ~0o222)
    try:
        # as a user without root's override of file permissions
        run = subprocess.run(
            ["setpriv", "--inh-caps=-dac_override,-dac_read_search",
             "--bounding-set=-dac_override,-dac_read_search", sys.executable, "-m", "analysis", "build",
             *QUICK],
            cwd=project, env={**os.environ, "ANALYSIS_PROJECT_ROOT": str(project)},
            capture_output=True, text=True, timeout=300)
    finally:
        for path in [project / "reports", *(project / "reports").rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stderr.strip().splitlines()
    assert lines[0].startswith("build failed: reports") and "cannot write there" in lines[0], run.stderr
    assert "Traceback" not in run.stderr
    assert snapshot(project) == before


def test_a_move_failing_half_way_puts_the_previous_outputs_back(project: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(project)
    change_the_briefing(project)
    real_move, moved = publish._move, []

    def failing_move(source: Path, target: Path) -> None:
        if len(moved) == 5:
            raise OSError(errno.EROFS, "Read-only file system", str(target))
        moved.append(target)
        real_move(source, target)

    monkeypatch.setattr(publish, "_move", failing_move)
    run = build_here(project, *QUICK)
    assert run.returncode == 1 and len(moved) == 5
    assert "Read-only file system while publishing — the previous outputs were put back" in run.stderr
    assert snapshot(project) == before
    assert not (project / ".build" / JOURNAL).exists()
    monkeypatch.setattr(publish, "_move", real_move)
    assert build_here(project, *QUICK).returncode == 0  # and it builds again


def test_moves_across_file_systems_still_publish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source, target = tmp_path / "stage" / "a.csv", tmp_path / "reports" / "a.csv"
    source.parent.mkdir()
    source.write_text("new", encoding="utf-8")
    real_replace = os.replace

    def replace(a, b):
        if Path(a) == source:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_replace(a, b)

    monkeypatch.setattr(publish.os, "replace", replace)
    publish._move(source, target)
    assert target.read_text(encoding="utf-8") == "new" and not source.exists()


def test_a_full_disk_is_one_line_and_touches_nothing(project: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis.build import static_charts

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(project / ".build" / "stage"))

    before = snapshot(project)
    change_the_briefing(project)
    monkeypatch.setattr(static_charts, "add_static_images", full_disk)
    run = build_here(project, *QUICK)
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "No space left on device — free space" in lines[0], run.stderr
    assert snapshot(project) == before
    assert not list((project / ".build").glob("stage-*"))


def test_a_deleted_notebook_is_reported_once(project: Path) -> None:
    (project / "notebooks" / "02_network.ipynb").unlink()
    stale = build_here(project, *QUICK)  # its entry in the graph must go too: said, with the fix
    assert stale.returncode == 2 and "notebooks/graph.yaml:" in stale.stderr
    assert "'02_network' is not a notebook" in stale.stderr
    assert "remove its entry" in stale.stderr
    graph = project / "notebooks" / "graph.yaml"
    text = graph.read_text(encoding="utf-8")
    graph.write_text(text[:text.index("02_network:")] + text[text.index("03_record:"):], encoding="utf-8")
    run = build_here(project, *QUICK)
    assert run.returncode == 0, run.stderr
    assert "warning: notebooks/02_network.ipynb was deleted since the last build" in run.stdout
    assert "was deleted" not in build_here(project, *QUICK).stdout


def test_an_input_changed_during_the_build_publishes_nothing(project: Path) -> None:
    """A source moved away while the notebooks run: the data step read it, the notebooks may not
    have; nothing is published or recorded, and the next build is consistent."""
    second = project / "seeds" / "100_wire_shortlist.txt"
    shutil.copy(Path(__file__).parent / "fixtures" / "articles" / second.name, second)
    before = snapshot(project)
    env = {**os.environ, "ANALYSIS_PROJECT_ROOT": str(project), "STUB_SLEEP": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "build", *QUICK], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("data package"):
            break
    aside = project.parent / second.name
    second.rename(aside)  # while the notebook sleeps
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, out + err
    assert "changed while the build was running; nothing was published" in err
    assert snapshot(project) == before
    aside.rename(second)
    again = build_here(project, *QUICK)
    assert again.returncode == 0 and "data package: cached" not in again.stdout, again.stderr
    assert "100_wire_shortlist" in (project / "reports" / "data" / "sources.csv").read_text(encoding="utf-8")


def test_a_stage_removed_during_the_build_publishes_nothing(project: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """`make clean` while a build runs removes `.build/` and its stage: say so, publish nothing."""
    from analysis.build import run as build

    real_check = build._check_unchanged

    def clean_meanwhile(plan, planned):
        real_check(plan, planned)
        for stage in (project / ".build").glob("stage-*"):
            shutil.rmtree(stage)

    before = snapshot(project)
    change_the_briefing(project)
    monkeypatch.setattr(build, "_check_unchanged", clean_meanwhile)
    run = build_here(project, *QUICK)
    assert run.returncode == 1
    assert "the staging folder was removed while the build ran" in run.stderr
    assert snapshot(project) == before


def test_a_briefing_rebuilt_without_its_pdf_and_figures_removes_the_older_ones(project: Path) -> None:
    """An older PDF beside a newer HTML would pass for the same briefing: a build that rebuilds
    the HTML with --no-pdf (or --no-figures) removes the older prints when it publishes, and
    says so; a build with nothing to rebuild leaves them."""
    pdf, figure = project / "reports" / "briefing.pdf", project / "figures" / "figure-01-chart.svg"
    for older in (pdf, figure):
        older.parent.mkdir(parents=True, exist_ok=True)
        older.write_bytes(b"printed by an earlier build")
    untouched = build_here(project, *QUICK)
    assert untouched.returncode == 0 and "Up to date" in untouched.stdout and pdf.is_file()
    (project / "notebooks" / "09_briefing.py").unlink()  # rewritten by the build
    notebook = project / "notebooks" / "09_briefing.ipynb"
    notebook.write_text(notebook.read_text(encoding="utf-8").replace("# 09_briefing", "# 09_briefing, again"),
                        encoding="utf-8")
    run = build_here(project, *QUICK)
    assert run.returncode == 0, run.stderr
    assert not pdf.exists() and not figure.exists()
    assert "note: removed reports/briefing.pdf and 1 file in figures/" in run.stdout
    assert "without --no-pdf and --no-figures" in run.stdout
