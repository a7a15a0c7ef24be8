"""Scratch copies of the project and a way to build them, so tests never touch the repo's outputs.

Tests of the code run on scratch copies: ``copy_project(..., seed_only=True)`` holds just the
shipped seed article (the fixture the seed-specific assertions are about), so an analyst's own
articles in ``seeds/`` never turn ``make test`` red; ``copy_project(...)`` holds the sources as
they are, for checks that must hold for any valid set of sources.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("seeds", "notebooks", "analysis")
SEED_ID = "000_615d141f3fb52d67"
# What a copy of a built project takes besides the inputs: its outputs and the build cache.
BUILT = ("reports", "figures", ".build/cache.json")


def copy_project(target: Path, *, seed_only: bool = False, source: Path = ROOT) -> Path:
    """A copy with the inputs a build reads; outputs land in the copy, never in the repo. The
    compiled bytecode comes along (valid: copies keep their timestamps), so that the copy's
    kernels, started five at once, do not each compile ``analysis`` again."""
    # "*.pyc.*": a bytecode file another process is writing this instant (it is renamed into
    # place when done, so the copy can vanish under copytree)
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "*.pyc.*")
    for name in COPIED:
        shutil.copytree(source / name, target / name, ignore=ignore)
    if seed_only:
        for path in (target / "seeds").iterdir():
            if path.name != f"{SEED_ID}.txt":
                path.unlink()
    return target


def copy_built(source: Path, target: Path) -> Path:
    """A copy of a built scratch project, outputs and cache included, to change on purpose
    without disturbing the tests that read the shared build."""
    copy_project(target, source=source)
    for name in BUILT:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, target / name)
        elif path.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / name)
    return target


def stub_notebooks(root: Path, *, keep: tuple[str, ...] = (), code: tuple[str, ...] = ("01_facts",),
                   cell: str = "print({name!r})") -> list[str]:
    """Replace each notebook's cells by a heading, keeping notebooks/graph.yaml (what each reads and
    what it runs after): the smallest project on which the build graph behaves as the real one. Notebooks
    named in ``code`` also get one code cell, ``cell`` (the others need no kernel); those in
    ``keep`` stay as they are."""
    names = []
    for path in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        names.append(path.stem)
        if path.stem in keep:
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        nb["cells"] = [{"cell_type": "markdown", "id": "stub-0", "metadata": {},
                        "source": f"# {path.stem}"}]
        if path.stem in code:
            nb["cells"].append({"cell_type": "code", "id": "stub-1", "metadata": {}, "execution_count": None,
                                "outputs": [], "source": cell.format(name=path.stem)})
        path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
        path.with_suffix(".py").unlink(missing_ok=True)  # its plain-text twin: the build rewrites it
    return names


OUTPUT_FOLDERS = ("reports", "figures", "notebooks")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every output file's bytes, by project-relative path: to show that nothing changed."""
    return {str(p.relative_to(root)): p.read_bytes() for folder in OUTPUT_FOLDERS
            for p in sorted((root / folder).rglob("*")) if p.is_file()}


@dataclass
class BuildRun:
    root: Path
    returncode: int
    stdout: str
    stderr: str

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({**asdict(self), "root": str(self.root)}), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> BuildRun:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{**data, "root": Path(data["root"])})


def build_here(root: Path, *args: str, env: dict[str, str] | None = None) -> BuildRun:
    """``python -m analysis build ARGS`` for ``root``, run in this process: the same entry point
    without a new interpreter's start-up. The environment is restored afterwards (the build sets
    the kernels' variables in it)."""
    from analysis.cli import main

    saved = dict(os.environ)
    os.environ.update({"ANALYSIS_PROJECT_ROOT": str(root), **(env or {})})
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["build", *args])
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return BuildRun(root, code, out.getvalue(), err.getvalue())


def run_build(root: Path, *args: str, timeout: int = 600, env: dict[str, str] | None = None) -> BuildRun:
    """``python -m analysis build ARGS`` for ``root`` in a new process, as a user runs it."""
    env = {**os.environ, "ANALYSIS_PROJECT_ROOT": str(root), **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "analysis", "build", *args], env=env, cwd=root,
                          capture_output=True, text=True, timeout=timeout)
    return BuildRun(root, proc.returncode, proc.stdout, proc.stderr)
