"""The build graph and its cache: what each step reads, and whether it must run again.

Keys are content hashes, never timestamps. A notebook re-runs when its cells, a data file it
declares, an upstream notebook's outputs, the ``analysis`` code or the dependency pins change.
Standard library only, so that a build with nothing to do answers in well under a second.

A notebook declares what it reads in its metadata (JupyterLab: Notebook metadata)::

    "analysis": {"inputs": ["seeds/*.txt", "analysis/knowledge/entities.yaml"], "after": ["01_facts"]}

Without a declaration it depends on every input (the safe default).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..paths import ALL_INPUTS, CODE, DATA_EXCLUDES, PINS

VERSION = 1


def _files(root: Path, patterns: tuple[str, ...] | list[str]) -> list[Path]:
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in root.glob(pattern) if p.is_file())
    return sorted(found)


def digest_files(root: Path, patterns: tuple[str, ...] | list[str], exclude: tuple[str, ...] = ()) -> str:
    """One hash over the names and bytes of every file matching the patterns."""
    h = hashlib.sha256()
    for path in _files(root, patterns):
        if path.relative_to(root).as_posix() in exclude:
            continue
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class NotebookSpec:
    path: Path
    inputs: tuple[str, ...]
    after: tuple[str, ...]
    cells_hash: str  # cell types and sources only: outputs are what a run produces

    @property
    def name(self) -> str:
        return self.path.stem

    @classmethod
    def read(cls, path: Path) -> NotebookSpec:
        """The notebook's cells and declarations; :class:`InputError` (file:line) if unusable."""
        from ..errors import InputError

        restore = f"restore it with `git checkout {path.parent.name}/{path.name}` or fix it in JupyterLab"
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise InputError(path, "not valid UTF-8", fix=restore) from None
        except json.JSONDecodeError as exc:
            raise InputError(path, f"not valid notebook JSON ({exc.msg})", line=exc.lineno,
                             fix=restore) from None
        if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list) or not all(
                isinstance(c, dict) for c in nb["cells"]):
            raise InputError(path, "not a notebook (no list of cells)", line=1, fix=restore)
        meta = nb.get("metadata", {}).get("analysis", {}) if isinstance(nb.get("metadata"), dict) else {}
        for key in ("inputs", "after"):
            value = meta.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise InputError(path, f"metadata 'analysis.{key}' must be a list of names, not "
                                       f"{json.dumps(value)[:60]}", fix='write it as ["first", "second"]')
        cells = [(c.get("cell_type"), "".join(c.get("source", ""))) for c in nb.get("cells", [])]
        cells_hash = hashlib.sha256(json.dumps([cells, meta], sort_keys=True).encode()).hexdigest()
        return cls(path, tuple(meta.get("inputs", ALL_INPUTS)), tuple(meta.get("after", ())), cells_hash)


@dataclass
class Plan:
    """Keys of every step for the current state of the project."""

    root: Path
    notebooks: list[NotebookSpec]
    code: str
    pins: str
    data_key: str
    notebook_keys: dict[str, str] = field(default_factory=dict)

    @classmethod
    def make(cls, root: Path, notebook_paths: list[Path]) -> Plan:
        from ..errors import InputError

        code = digest_files(root, CODE)
        # the interpreter that runs the kernels counts as a pin too
        pins = _hash(digest_files(root, PINS), sys.version)
        specs = [NotebookSpec.read(p) for p in notebook_paths]
        known = {s.name for s in specs}
        for spec in specs:
            unknown = [a for a in spec.after if a not in known]
            if unknown:
                raise InputError(spec.path, f"metadata 'after' names unknown notebook(s) {unknown}",
                                 fix="correct 'analysis.after' in the notebook's metadata (JupyterLab: "
                                     "Notebook metadata)")
            empty = [pattern for pattern in spec.inputs if not _files(root, [pattern])]
            if empty:
                raise InputError(spec.path, f"declared input(s) {empty} match no file",
                                 fix="correct 'analysis.inputs' in the notebook's metadata")
        data_key = _hash("data", code, pins, digest_files(root, ALL_INPUTS, DATA_EXCLUDES))
        return cls(root, specs, code, pins, data_key)

    def notebook_key(self, spec: NotebookSpec, upstream_outputs: dict[str, str]) -> str:
        """``upstream_outputs``: file hash of each notebook it runs after (as executed)."""
        return _hash("notebook", spec.cells_hash, self.code, self.pins,
                     digest_files(self.root, list(spec.inputs)),
                     *(upstream_outputs[a] for a in sorted(spec.after)))

    def html_key(self, briefing_hash: str) -> str:
        return _hash("html", briefing_hash, self.code, self.pins)

    def print_key(self, briefing_hash: str, pdf: bool, figures: bool) -> str:
        """The PDF's running header names the article and record dates: every input counts."""
        return _hash("print", self.html_key(briefing_hash), digest_files(self.root, ALL_INPUTS),
                     f"pdf={pdf}", f"figures={figures}",
                     # the PDF's date stamps: a new SOURCE_DATE_EPOCH must print again
                     f"epoch={os.environ.get('SOURCE_DATE_EPOCH', '')}")

    def waves(self) -> list[list[NotebookSpec]]:
        """Notebooks grouped so that each runs after everything it declares; order kept."""
        done: set[str] = set()
        remaining = list(self.notebooks)
        waves = []
        while remaining:
            ready = [s for s in remaining if set(s.after) <= done]
            if not ready:
                raise ValueError(f"notebooks depend on each other in a cycle: {[s.name for s in remaining]}")
            waves.append(ready)
            done.update(s.name for s in ready)
            remaining = [s for s in remaining if s not in ready]
        return waves


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class Manifest:
    """What the last successful build produced: per step, its key and the hashes of its outputs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self.steps = data["steps"] if data.get("version") == VERSION else {}
        except (OSError, ValueError, KeyError):
            self.steps = {}

    def fresh(self, step: str, key: str, root: Path) -> bool:
        """True when the step ran with this key and its outputs are still exactly as written."""
        entry = self.steps.get(step)
        if not entry or entry.get("key") != key:
            return False
        for relative, expected in entry.get("outputs", {}).items():
            path = root / relative
            if not path.is_file() or file_hash(path) != expected:
                return False
        return True

    def output_hash(self, root: Path, path: Path) -> str | None:
        """The hash a recorded step wrote ``path`` with, or None when no step wrote it."""
        relative = path.relative_to(root).as_posix()
        for entry in self.steps.values():
            found = entry.get("outputs", {}).get(relative)
            if found is not None:
                return found
        return None

    def record(self, step: str, key: str, root: Path, outputs: list[Path]) -> None:
        self.steps[step] = {"key": key, "outputs": {p.relative_to(root).as_posix(): file_hash(p)
                                                    for p in sorted(outputs)}}

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"version": VERSION, "steps": self.steps}, indent=1, sort_keys=True),
                       encoding="utf-8")
        tmp.replace(self.path)
