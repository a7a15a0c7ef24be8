"""The build: execute the notebooks in order, export the briefing, publish atomically.

Everything is written to a staging folder under ``.build/`` first and moved into
``notebooks/``, ``reports/`` and ``figures/`` only when every step succeeded, so a
failed or interrupted build never touches the last good outputs.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from . import export, network
from .datapackage import write_package
from .facts import extract_facts
from .network import ActorGraph
from .paths import ROOT_ENV, ProjectPaths
from .record import judge
from .reference_tables import PublicRecord

KERNEL = "python3"
CELL_TIMEOUT_S = 600
BRIEFING_TITLE = "China's space diplomacy: a Pakistani astronaut for Tiangong"


class BuildFailed(RuntimeError):
    """A step of the build failed; the message says which notebook, cell or step, and why."""


@dataclass
class BuildReport:
    notebooks: list[tuple[str, float]] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def discover_notebooks(paths: ProjectPaths) -> list[Path]:
    """Numbered notebooks in order; the last one is the briefing."""
    found = sorted(paths.notebooks.glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise BuildFailed(f"{paths.relative(paths.notebooks)}: no numbered notebooks (NN_name.ipynb)")
    return found


def execute_notebook(path: Path, workdir: Path) -> nbformat.NotebookNode:
    """Run every cell with nbclient in the project's environment and normalise volatile metadata."""
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="kernel-") as sockets:
        # IPC sockets instead of TCP on loopback: nothing listens on a port.
        km = KernelManager(kernel_name=KERNEL, transport="ipc",
                           connection_file=str(Path(sockets) / "kernel.json"))
        client = NotebookClient(
            nb, km=km, kernel_name=KERNEL, timeout=CELL_TIMEOUT_S, record_timing=False,
            resources={"metadata": {"path": str(workdir)}},
        )
        failure: CellExecutionError | None = None
        try:
            client.execute()
        except CellExecutionError as exc:
            failure = exc
        finally:
            if km.has_kernel:  # nbclient leaves a kernel manager it was given running
                km.shutdown_kernel(now=True)
    if failure is not None:
        number, error = _failing_cell(nb)
        detail = error or str(failure).strip().splitlines()[-1]
        raise BuildFailed(f"{path.name}: cell {number} failed: {detail}") from None
    return normalise(nb)


def _failing_cell(nb: nbformat.NotebookNode) -> tuple[int | str, str]:
    for number, cell in enumerate(nb.cells, 1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return number, f"{out.get('ename')}: {out.get('evalue')}"
    return "?", ""


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Keep only metadata that does not change between machines or runs."""
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": KERNEL}
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
    return nb


def build(paths: ProjectPaths | None = None, *, pdf: bool = True, figures: bool = True,
          say: Callable[[str], None] = print) -> BuildReport:
    paths = paths or ProjectPaths.default()
    started = time.perf_counter()
    report = BuildReport()
    # Read and check every input before any kernel starts: bad input fails fast, outputs untouched.
    facts = extract_facts(paths)
    record = PublicRecord.load(paths.reference)
    facts.tables["claims"] = judge(facts, record)
    sources = facts.sources
    notebooks = discover_notebooks(paths)
    as_of = max(s.published for s in sources).isoformat()
    _kernel_environment(paths)
    paths.staging.mkdir(exist_ok=True)
    _remove_stale_stages(paths)
    stage = Path(tempfile.mkdtemp(prefix="stage-", dir=paths.staging))
    try:
        say(f"Building from {len(sources)} source(s) and {len(notebooks)} notebook(s)")
        data = stage / "reports" / "data"
        actors = ActorGraph.from_facts(facts)
        actor_metrics = network.metrics(actors)
        written = write_package(facts, data, {"network_metrics": actor_metrics})
        network.export_graph(actors, actor_metrics, data, modified=as_of)
        say(f"data package: {len(written) - 1} tables and the network (GraphML, GEXF, JSON) in "
            "reports/data/")
        executed: list[tuple[Path, nbformat.NotebookNode]] = []
        for i, path in enumerate(notebooks, 1):
            say(f"[{i}/{len(notebooks)}] {path.name} …")
            t0 = time.perf_counter()
            nb = execute_notebook(path, paths.notebooks)
            took = time.perf_counter() - t0
            report.notebooks.append((path.name, took))
            say(f"[{i}/{len(notebooks)}] {path.name} ok ({took:.1f} s)")
            staged = stage / "notebooks" / path.name
            staged.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, staged)
            executed.append((path, nb))
        briefing_nb = executed[-1][1]
        reports = stage / "reports"
        html_path = reports / "briefing.html"
        html_path.write_text(export.notebook_to_html(briefing_nb, BRIEFING_TITLE), encoding="utf-8")
        say("briefing.html written")
        if pdf:
            t0 = time.perf_counter()
            export.print_pdf(html_path, reports / "briefing.pdf", title=BRIEFING_TITLE,
                             as_of=f"article {as_of} · record as of {record.as_of}")
            say(f"briefing.pdf printed ({time.perf_counter() - t0:.1f} s)")
        if figures:
            t0 = time.perf_counter()
            export.write_static_figures(export.plotly_figures(briefing_nb), stage / "figures")
            say(f"static figures written ({time.perf_counter() - t0:.1f} s)")
        report.outputs = _publish(stage, paths)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    shutil.rmtree(stage, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    say(f"Done in {report.seconds:.1f} s: {_summary(report.outputs, paths)}")
    return report


def _kernel_environment(paths: ProjectPaths) -> None:
    """Kernels inherit our environment: this interpreter first on PATH, this project root."""
    bindir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bindir:
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    os.environ[ROOT_ENV] = str(paths.root)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


def _remove_stale_stages(paths: ProjectPaths) -> None:
    """Stages left by a killed build are garbage: the outputs were never touched."""
    for old in paths.staging.glob("stage-*"):
        shutil.rmtree(old, ignore_errors=True)


# Folders the build owns entirely: files there that the build no longer writes are removed.
OWNED = ("reports/data", "figures")


def _publish(stage: Path, paths: ProjectPaths) -> list[Path]:
    """Move every staged file into place; each file is replaced atomically (os.replace)."""
    published = []
    for staged in sorted(p for p in stage.rglob("*") if p.is_file()):
        target = paths.root / staged.relative_to(stage)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, target)
        published.append(target)
    for owned in OWNED:
        if (stage / owned).is_dir():
            keep = {p for p in published if p.is_relative_to(paths.root / owned)}
            for old in (paths.root / owned).glob("*"):
                if old.is_file() and old not in keep and old.name != "README.md":
                    old.unlink()
    return published


def _summary(outputs: list[Path], paths: ProjectPaths) -> str:
    groups: dict[str, int] = {}
    for path in outputs:
        folder = paths.relative(path.parent)
        groups[folder] = groups.get(folder, 0) + 1
    return ", ".join(f"{folder}/ ({n} file{'s' if n > 1 else ''})" for folder, n in sorted(groups.items()))
