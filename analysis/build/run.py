"""The build: facts and data package, notebooks, briefing export, published atomically.

Each step runs only when its inputs changed (see :mod:`analysis.cache`); independent notebooks
run at the same time. Everything is written to a staging folder under ``.build/`` first and
moved into ``notebooks/``, ``reports/`` and ``figures/`` only when every step succeeded, so a
failed or interrupted build never touches the last good outputs.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..paths import ALL_INPUTS, AS_OF_ENV, JOURNAL, LOCK, MANIFEST, ROOT_ENV, ProjectPaths
from ..stops import reached
from ..wording import plural
from .kernel_warnings import without_root
from .pairing import PairingConflict, carry_edited_twins, twin_path, twin_text
from .plan import Manifest, NotebookSpec, Plan, digest_files, file_hash
from .publish import PublishFailed, finish_interrupted_publish, publish


class BuildFailed(RuntimeError):
    """A step of the build failed; the message says which notebook, cell or step, and why."""


@dataclass
class BuildReport:
    executed: list[tuple[str, float]] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    steps: dict[str, str] = field(default_factory=dict)  # step → "rebuilt" | "cached"
    outputs: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        parts = [f"{len(self.executed)} notebook(s) executed", f"{len(self.cached)} cached"]
        parts += [f"{step} {state}" for step, state in self.steps.items()]
        return f"Done in {self.seconds:.1f} s: " + ", ".join(parts)


def discover_notebooks(paths: ProjectPaths) -> list[Path]:
    """Numbered notebooks in order. The briefing is the one named in ``paths.BRIEFING``; any
    other is an ordinary step, executed and published but never exported as the report."""
    found = sorted(p for p in paths.notebooks.glob("[0-9][0-9]_*.ipynb"))
    if paths.briefing_notebook not in found:
        raise InputError(paths.briefing_notebook, "the briefing notebook is missing",
                         fix=f"restore it (`git checkout {paths.relative(paths.briefing_notebook)}`)")
    return found


def build(paths: ProjectPaths | None = None, *, force: bool = False, pdf: bool = True,
          figures: bool = True, say: Callable[[str], None] = print) -> BuildReport:
    paths = paths or ProjectPaths.default()
    paths.staging.mkdir(exist_ok=True)
    with open(paths.staging / LOCK, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildFailed("another build of this project is running; wait for it to finish") from None
        return _build(paths, force=force, pdf=pdf, figures=figures, say=say)


def _build(paths: ProjectPaths, *, force: bool, pdf: bool, figures: bool,
           say: Callable[[str], None]) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport()
    finish_interrupted_publish(paths, say)  # first: a notebook may be half-way through its move
    notebooks = discover_notebooks(paths)
    _remove_stale_stages(paths)  # left by a killed build; safe: we hold the lock
    manifest = Manifest(paths.staging / MANIFEST)
    root = paths.root
    for notebook in notebooks:  # an unusable notebook is an input error (file:line), exit 2
        NotebookSpec.read(notebook)
    try:
        carry_edited_twins(notebooks, lambda p: manifest.output_hash(root, p), paths.relative, say,
                           lambda notebook, twin: manifest.remember_carried(root, [notebook, twin]))
    except PairingConflict as exc:
        raise BuildFailed(str(exc)) from None
    plan = Plan.make(paths.root, notebooks)  # the notebook graph: file:line errors
    _warn_deleted_notebooks(paths, manifest, notebooks, say)
    if force:
        manifest.steps = {}
    printing = pdf or figures
    twins = [twin_path(s.path) for s in plan.notebooks]

    # Fast path: nothing changed since the last build, and its outputs are intact.
    current = {s.name: file_hash(s.path) for s in plan.notebooks}
    keys = _keys(plan, current)
    briefing_now = current[paths.briefing_notebook.stem]
    if (manifest.fresh("data", plan.data_key, root)
            and all(manifest.fresh(f"notebook:{n}", k, root) for n, k in keys.items())
            and manifest.fresh("html", plan.html_key(briefing_now), root)
            and all(t.is_file() and manifest.output_hash(root, t) == file_hash(t) for t in twins)
            and (not printing or manifest.fresh("print", plan.print_key(briefing_now, pdf, figures),
                                                root))):
        report.cached = list(keys)
        report.steps = {"data": "cached", "report": "cached"}
        report.seconds = time.perf_counter() - started
        say(f"Up to date ({len(keys)} notebooks cached): nothing to rebuild. "
            "Use --force to rebuild everything.")
        return report

    inputs_at_start = _inputs_fingerprint(plan)
    stage = Path(tempfile.mkdtemp(prefix="stage-", dir=paths.staging))
    stale: list[Path] = []  # older prints of a briefing rebuilt without them: removed on publishing
    recorded: dict[str, tuple[str, list[Path]]] = {}
    try:
        _build_data(paths, plan, manifest, stage, report, recorded, say)
        latest = _build_notebooks(paths, plan, manifest, stage, report, recorded, say)
        recorded["twins"] = ("twins", _stage_twins(paths, latest, stage))
        briefing_path = latest[paths.briefing_notebook.stem]
        briefing_hash = file_hash(briefing_path)
        html_key = plan.html_key(briefing_hash)
        print_key = plan.print_key(briefing_hash, pdf, figures)
        html_fresh = manifest.fresh("html", html_key, root)
        print_fresh = not printing or manifest.fresh("print", print_key, root)
        if html_fresh and print_fresh:
            report.steps["report"] = "cached"
        else:
            _build_report(paths, briefing_path, stage, pdf, figures, say)
            report.steps["report"] = "rebuilt"
            recorded["html"] = (html_key, [paths.briefing_html])
            if printing:
                recorded["print"] = (print_key, [paths.briefing_pdf,
                                                 *(paths.figures / p.name for p in
                                                   sorted(ProjectPaths(stage).figures.glob("*")))])
            stale = _stale_prints(paths, pdf, figures)
        _check_unchanged(plan, current)
        _check_inputs_unchanged(paths, notebooks, inputs_at_start)
        if not stage.is_dir():
            raise BuildFailed(f"{paths.relative(stage)}: the staging folder was removed while the build "
                              "ran (`make clean`?); nothing was published — build again")
        try:
            report.outputs = publish(stage, paths, remove=stale)
        except PublishFailed as exc:
            raise BuildFailed(str(exc)) from None
        _say_removed(paths, stale, say)
    except BaseException:
        if not (paths.staging / JOURNAL).exists():  # a started publish needs the stage to finish
            shutil.rmtree(stage, ignore_errors=True)
        raise
    shutil.rmtree(stage, ignore_errors=True)
    for step, (key, outputs) in recorded.items():
        manifest.record(step, key, root, [p for p in outputs if p.is_file()], plan.parts_by_key.get(key))
    manifest.carried = {}  # what was carried is now recorded as built
    manifest.save()
    report.seconds = time.perf_counter() - started
    say(report.summary())
    return report


def _inputs_fingerprint(plan: Plan) -> tuple[str, ...]:
    return json.dumps(plan.code, sort_keys=True), plan.pins, digest_files(plan.root, ALL_INPUTS)


def _check_inputs_unchanged(paths: ProjectPaths, notebooks: list[Path], at_start: tuple[str, ...]) -> None:
    """Outputs are recorded under the keys of the inputs as they were when the build began: if an
    input changed (or vanished) meanwhile, some step may have read the new state, so nothing is
    published or recorded, and the next build starts from what is there then."""
    try:
        now = _inputs_fingerprint(Plan.make(paths.root, notebooks))
    except ValueError:  # a declared input vanished altogether
        now = ()
    if now != at_start:
        raise BuildFailed("an input (a source, a curated file, a reference table or the code) changed "
                          "while the build was running; nothing was published — build again")


def _warn_deleted_notebooks(paths: ProjectPaths, manifest: Manifest, notebooks: list[Path],
                            say: Callable[[str], None]) -> None:
    """A notebook the last build ran is gone: say so once (it may be a slip of the mouse)."""
    present = {p.stem for p in notebooks}
    gone = [step for step in sorted(manifest.steps)
            if step.startswith("notebook:") and step.partition(":")[2] not in present]
    for step in gone:
        where = paths.relative(paths.notebooks / f"{step.partition(':')[2]}.ipynb")
        say(f"warning: {where} was deleted since the last build — restore it with "
            f"`git checkout {where}` if that was not meant")
        del manifest.steps[step]
    if gone:
        manifest.save()  # said once, even when nothing else is rebuilt


def _check_unchanged(plan: Plan, planned: dict[str, str]) -> None:
    """A notebook saved (in JupyterLab, say) while the build ran must not be overwritten."""
    for spec in plan.notebooks:
        if file_hash(spec.path) != planned[spec.name]:
            raise BuildFailed(f"{spec.path.name} changed while the build was running; nothing was "
                              "published — save your work and build again")


def _stale_prints(paths: ProjectPaths, pdf: bool, figures: bool) -> list[Path]:
    """The PDF and figures a briefing rebuilt without them would leave behind: they show an
    older version, and nothing in the folder would say so."""
    old = [paths.briefing_pdf] if not pdf and paths.briefing_pdf.is_file() else []
    if not figures and paths.figures.is_dir():
        old += sorted(p for p in paths.figures.glob("*") if p.is_file() and p.name != "README.md")
    return old


def _say_removed(paths: ProjectPaths, removed: list[Path], say: Callable[[str], None]) -> None:
    if not removed:
        return
    pdf = [p for p in removed if p == paths.briefing_pdf]
    figures = len(removed) - len(pdf)
    named = [paths.relative(p) for p in pdf]
    named += [f"{plural(figures, 'file')} in {paths.relative(paths.figures)}/"] if figures else []
    options = " and ".join(o for o, gone in (("--no-pdf", pdf), ("--no-figures", figures)) if gone)
    say(f"note: removed {' and '.join(named)}: they showed the briefing before this build; build "
        f"without {options} to make them again")


def _keys(plan: Plan, outputs: dict[str, str]) -> dict[str, str]:
    return {s.name: plan.notebook_key(s, outputs) for s in plan.notebooks}


def _build_data(paths: ProjectPaths, plan: Plan, manifest: Manifest, stage: Path,
                report: BuildReport, recorded: dict, say: Callable[[str], None]) -> None:
    """Facts, verdicts, data package and network files. Reads and checks every input, so bad
    input stops the build here, before any kernel starts."""
    if manifest.fresh("data", plan.data_key, paths.root):
        report.steps["data"] = "cached"
        say("data package: cached")
        return
    from ..datapackage import write_package
    from ..facts.extract import extract_facts
    from ..network import graph as network
    from ..record.tables import PublicRecord
    from ..record.verdicts import judge
    from ..story.statements import build_statements, load_topics

    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:  # said on stdout, never before an error
        warnings.simplefilter("always")
        facts = extract_facts(paths)
        record = PublicRecord.load(paths.reference, paths.as_of)
        facts.tables["claims"] = judge(facts, record)
    for warning in dict.fromkeys(without_root(str(w.message), paths.root) for w in caught):
        say(f"warning: {warning}")
    data = ProjectPaths(stage).report_data
    actors = network.ActorGraph.from_facts(facts)
    actor_metrics = network.metrics(actors)
    statements, statement_facts = build_statements(facts, load_topics(paths.curated.topics))
    written = write_package({**facts.tables, "network_metrics": actor_metrics, "statements": statements,
                             "statement_facts": statement_facts}, data)
    as_of = max(s.published for s in facts.sources).isoformat()
    written += network.export_graph(actors, actor_metrics, data, modified=as_of)
    reached("staged")
    report.steps["data"] = "rebuilt"
    recorded["data"] = (plan.data_key, [paths.root / p.relative_to(stage) for p in written])
    say(f"data package: {len(written)} files in reports/data/ ({time.perf_counter() - t0:.1f} s)")


def _stage_twins(paths: ProjectPaths, latest: dict[str, Path], stage: Path) -> list[Path]:
    """Each notebook's plain-text twin, staged where it is missing or differs; returns every
    twin's published path (all are recorded, so a later hand edit is recognised)."""
    import nbformat

    targets = []
    for notebook in latest.values():
        target = twin_path(paths.notebooks / notebook.name)
        text = twin_text(nbformat.read(notebook, as_version=4))
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            staged = ProjectPaths(stage).notebooks / target.name
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_text(text, encoding="utf-8")
            reached("staged")
        targets.append(target)
    return targets


def _build_notebooks(paths: ProjectPaths, plan: Plan, manifest: Manifest, stage: Path,
                     report: BuildReport, recorded: dict, say: Callable[[str], None]) -> dict[str, Path]:
    """Execute stale notebooks wave by wave (independent ones together); return each notebook's
    path as it is now (the staged copy when it ran)."""
    outputs: dict[str, str] = {}
    latest: dict[str, Path] = {}
    progress = _Progress(say)
    for wave in plan.waves():
        stale: list[NotebookSpec] = []
        for spec in wave:
            key = plan.notebook_key(spec, outputs)
            if manifest.fresh(f"notebook:{spec.name}", key, paths.root):
                report.cached.append(spec.name)
                progress.cached(spec.path)
                latest[spec.name] = spec.path
            else:
                stale.append(spec)
            recorded[f"notebook:{spec.name}"] = (key, [spec.path])
        if stale:
            _execute(paths, stale, stage, report, progress)
            for spec in stale:
                latest[spec.name] = ProjectPaths(stage).notebooks / spec.path.name
        for spec in wave:
            outputs[spec.name] = file_hash(latest[spec.name])
    return latest


def _execute(paths: ProjectPaths, specs: list[NotebookSpec], stage: Path, report: BuildReport,
             progress: _Progress) -> None:
    import nbformat

    from .execute import NotebookFailed, execute_all

    _kernel_environment(paths)
    warned: dict[str, list[str]] = {}  # warning → the notebooks that raised it

    def heard(notebook: Path, lines: list[str]) -> None:
        for line in lines:
            warned.setdefault(line, []).append(notebook.name)

    try:
        done = execute_all([s.path for s in specs], paths.notebooks, progress.start,
                           lambda p, s: (report.executed.append((p.name, s)), progress.done(p, s)), heard)
    except NotebookFailed as exc:
        raise BuildFailed(str(exc)) from None
    finally:
        progress.close()
        for warning, names in warned.items():
            progress.say(f"warning: {', '.join(sorted(names))}: {warning}")
    from .static_charts import add_static_images, stored_notebooks

    drawn = add_static_images(list(done.values()), stored_notebooks(list(done)))
    if drawn:
        progress.line(f"  static images: {drawn} chart(s) drawn for viewers without plotly")
    for path, nb in done.items():
        staged = ProjectPaths(stage).notebooks / path.name
        staged.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, staged)
        reached("staged")


def _build_report(paths: ProjectPaths, briefing: Path, stage: Path, pdf: bool, figures: bool,
                  say: Callable[[str], None]) -> None:
    import nbformat

    from ..inputs.sources import load_sources
    from ..record.tables import PublicRecord
    from . import export

    t0 = time.perf_counter()
    staged = ProjectPaths(stage)
    staged.reports.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(briefing, as_version=4)
    html_path = staged.briefing_html
    title = export.notebook_title(nb) or briefing.stem
    html_path.write_text(export.notebook_to_html(nb, title), encoding="utf-8")
    reached("staged")
    say(f"briefing.html written ({time.perf_counter() - t0:.1f} s)")
    if pdf or figures:
        t0 = time.perf_counter()
        dates = sorted({s.published.isoformat() for s in load_sources(paths.seeds, until=paths.as_of)})
        span = f"source {dates[0]}" if len(dates) == 1 else f"sources {dates[0]} to {dates[-1]}"
        as_of = f"{span} · record as of {PublicRecord.load(paths.reference, paths.as_of).as_of}"
        export.print_pdf_and_figures(html_path, staged.briefing_pdf if pdf else None,
                                     staged.figures if figures else None,
                                     title=title, as_of=as_of)
        made = " and ".join(name for name, wanted in (("briefing.pdf", pdf), ("figures", figures)) if wanted)
        say(f"{made} written ({time.perf_counter() - t0:.1f} s)")


class _Progress:
    """Each notebook as it starts, finishes or is skipped, with its time and cache status; a
    spinner names the notebooks still running when the output is a terminal."""

    def __init__(self, say: Callable[[str], None]) -> None:
        from rich.console import Console

        self.say = say
        self.console = Console(highlight=False)
        self.running: dict[str, float] = {}
        self.status = None

    def start(self, path: Path) -> None:
        self.running[path.name] = time.perf_counter()
        self._update()

    def done(self, path: Path, seconds: float) -> None:
        self.running.pop(path.name, None)
        self.line(f"  [green]✓[/green] {path.name:<24} executed  {seconds:5.1f} s")
        self._update()

    def cached(self, path: Path) -> None:
        self.line(f"  [blue]•[/blue] {path.name:<24} cached")

    def close(self) -> None:
        if self.status is not None:
            self.status.stop()
            self.status = None

    def line(self, text: str) -> None:
        if self.say is print:
            self.console.print(text)
        else:
            from rich.text import Text

            self.say(Text.from_markup(text).plain)

    def _update(self) -> None:
        if not self.console.is_terminal or self.say is not print:
            return
        if self.running and self.status is None:
            self.status = self.console.status("")
            self.status.start()
        if self.status is not None:
            if self.running:
                self.status.update(f"running {', '.join(sorted(self.running))} …")
            else:
                self.status.stop()
                self.status = None


def _kernel_environment(paths: ProjectPaths) -> None:
    """Kernels inherit our environment: this interpreter first on PATH, this project root."""
    bindir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bindir:
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    os.environ[ROOT_ENV] = str(paths.root)
    if paths.as_of:  # an edition: the kernels read what was known on its date
        os.environ[AS_OF_ENV] = paths.as_of
    else:
        os.environ.pop(AS_OF_ENV, None)
    # Kernels import `analysis` from this project root: the code that was hashed is the code run.
    python_path = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if python_path[0] != str(paths.root):
        os.environ["PYTHONPATH"] = os.pathsep.join([str(paths.root), *filter(None, python_path)])
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


def _remove_stale_stages(paths: ProjectPaths) -> None:
    """Stages left by a killed build are garbage: the outputs were never touched. So is a cache
    written by a build killed before it was renamed into place."""
    for old in paths.staging.glob("stage-*"):
        shutil.rmtree(old, ignore_errors=True)
    for old in paths.staging.glob(f".{MANIFEST}.*.tmp"):
        old.unlink(missing_ok=True)
