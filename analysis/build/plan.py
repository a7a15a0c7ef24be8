"""The build's steps and their cache: what each step reads, and whether it must run again.

Keys are content hashes, never timestamps. Each step's key is a hash of its parts (each file it
reads, the code files, the pins, a notebook's cells, the notebooks it runs after); the manifest
keeps the parts, so a stale step can say why it must run. A notebook re-runs when its cells, a
file it reads (``notebooks/graph.yaml``), an upstream notebook's outputs, the ``analysis`` code
or the dependency pins change. Little beyond the standard library, so that a build with nothing
to do answers in well under a second.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..paths import ALL_INPUTS, CODE, DATA_EXCLUDES, NOTEBOOK_ENVIRONMENT, PINS
from .graph import NotebookGraph

VERSION = 2


def _files(root: Path, patterns: tuple[str, ...] | list[str]) -> list[Path]:
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in root.glob(pattern) if p.is_file())
    return sorted(found)


def file_hashes(root: Path, patterns: tuple[str, ...] | list[str],
                exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """The hash of every file matching the patterns, by its path relative to ``root``. A file
    removed between the listing and the reading is absent, as the next listing finds it (an
    input moved away while a build runs is then an input that changed, not a traceback)."""
    hashes = {}
    for path in _files(root, patterns):
        relative = path.relative_to(root).as_posix()
        if relative not in exclude:
            try:
                hashes[relative] = file_hash(path)
            except FileNotFoundError:
                continue
    return hashes


def digest_files(root: Path, patterns: tuple[str, ...] | list[str], exclude: tuple[str, ...] = ()) -> str:
    """One hash over the names and bytes of every file matching the patterns."""
    return _hash(*(f"{name}={value}" for name, value in file_hashes(root, patterns, exclude).items()))


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
    def read(cls, path: Path, inputs: tuple[str, ...] = ALL_INPUTS,
             after: tuple[str, ...] = ()) -> NotebookSpec:
        """The notebook's cells; :class:`InputError` (file:line) if unusable."""
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
        moved = sorted(k for k in ("inputs", "after") if k in meta)
        if moved:
            raise InputError(path, f"declares {moved} in its metadata; the notebook graph is declared "
                                   "in notebooks/graph.yaml", fix="move them there as `reads:` and `after:` "
                                   "and delete metadata 'analysis' (JupyterLab: Notebook metadata)")
        cells = [(c.get("cell_type"), "".join(c.get("source", ""))) for c in nb.get("cells", [])]
        cells_hash = hashlib.sha256(json.dumps(cells).encode()).hexdigest()
        return cls(path, tuple(inputs), tuple(after), cells_hash)


@dataclass
class Plan:
    """Keys of every step for the current state of the project, and the parts behind each key."""

    root: Path
    notebooks: list[NotebookSpec]
    graph: NotebookGraph
    code: dict[str, str]  # file → hash
    pins: str
    data_parts: dict[str, str]
    parts_by_key: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def make(cls, root: Path, notebook_paths: list[Path]) -> Plan:
        graph = NotebookGraph.load(root, [p.stem for p in notebook_paths])
        code = file_hashes(root, CODE)
        # the interpreter that runs the kernels counts as a pin too
        pins = _hash(digest_files(root, PINS), sys.version)
        specs = [NotebookSpec.read(p, graph.of(p.stem).reads, graph.of(p.stem).after) for p in notebook_paths]
        data_parts = {**_prefixed("code", code), "pins": pins,
                      **_prefixed("input", file_hashes(root, ALL_INPUTS, DATA_EXCLUDES))}
        return cls(root, specs, graph, code, pins, data_parts)

    def _key(self, step: str, parts: dict[str, str]) -> str:
        key = _hash(step, json.dumps(parts, sort_keys=True))
        self.parts_by_key[key] = parts
        return key

    @property
    def data_key(self) -> str:
        return self._key("data", self.data_parts)

    def notebook_key(self, spec: NotebookSpec, upstream_outputs: dict[str, str]) -> str:
        """``upstream_outputs``: file hash of each notebook it runs after (as executed)."""
        return self._key("notebook", {
            "cells": spec.cells_hash, "pins": self.pins, **_prefixed("code", self.code),
            **_prefixed("input", file_hashes(self.root, spec.inputs)),
            **{f"after {a}": upstream_outputs[a] for a in sorted(spec.after)},
            **_environment()})

    def html_key(self, briefing_hash: str) -> str:
        return self._key("html", {"briefing": briefing_hash, "pins": self.pins,
                                  **_prefixed("code", self.code)})

    def print_key(self, briefing_hash: str, pdf: bool, figures: bool) -> str:
        """The PDF's running header names the article and record dates: every input counts."""
        return self._key("print", {
            "briefing": briefing_hash, "pins": self.pins, **_prefixed("code", self.code),
            **_prefixed("input", file_hashes(self.root, ALL_INPUTS)),
            "options": f"pdf={pdf} figures={figures}",
            # the PDF's date stamps: a new SOURCE_DATE_EPOCH must print again
            "epoch": os.environ.get("SOURCE_DATE_EPOCH", "")})

    def waves(self) -> list[list[NotebookSpec]]:
        """Notebooks grouped so that each runs after everything it declares; order kept."""
        by_name = {s.name: s for s in self.notebooks}
        return [[by_name[n] for n in wave] for wave in self.graph.order(list(by_name))]


def _prefixed(prefix: str, hashes: dict[str, str]) -> dict[str, str]:
    return {f"{prefix} {name}": value for name, value in hashes.items()}


def _environment() -> dict[str, str]:
    """The notebooks' environment variables that are set, each with the hashes of the files that
    say what is in the folder it names (a corpus extracted again changes its manifest)."""
    parts = {}
    for name, stamps in NOTEBOOK_ENVIRONMENT.items():
        value = os.environ.get(name)
        if value:
            files = [Path(value) / stamp for stamp in stamps]
            parts[f"environment {name}"] = _hash(value, *(file_hash(f) if f.is_file() else "" for f in files))
    return parts


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


# How a changed part reads in `python -m analysis graph`.
PART_WORDS = {"cells": "its cells were edited", "pins": "the dependency pins or the Python version changed",
              "briefing": "the briefing notebook changed", "options": "other --pdf/--figures options",
              "epoch": "a different SOURCE_DATE_EPOCH"}


def why_stale(old: dict[str, str] | None, new: dict[str, str]) -> list[str]:
    """Plain reasons a step's parts differ from the ones it was last built with."""
    if old is None:
        return ["never built (or built before reasons were recorded)"]
    reasons = []
    for part in sorted(set(old) | set(new)):
        if old.get(part) == new.get(part):
            continue
        kind, _, name = part.partition(" ")
        change = "added" if part not in old else "removed" if part not in new else "changed"
        if kind in ("code", "input"):
            reasons.append(f"{name} {change}")
        elif kind == "after":
            reasons.append(f"runs after {name}, whose outputs changed")
        else:
            reasons.append(PART_WORDS.get(part, part))
    return reasons


class Manifest:
    """What the last successful build produced: per step, its key and the hashes of its outputs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # files the build changed on the analyst's behalf since the last successful build (a
        # twin's edit carried into its notebook): their hashes count as written by the build
        self.carried: dict[str, str] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self.steps = data["steps"] if data.get("version") == VERSION else {}
            self.carried = dict(data.get("carried", {})) if data.get("version") == VERSION else {}
        except (OSError, ValueError, KeyError, TypeError):
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
        if relative in self.carried:
            return self.carried[relative]
        for entry in self.steps.values():
            found = entry.get("outputs", {}).get(relative)
            if found is not None:
                return found
        return None

    def reasons(self, step: str, key: str, parts: dict[str, str], root: Path) -> list[str]:
        """Why the step must run again; empty when it is fresh."""
        entry = self.steps.get(step)
        if entry is None:
            return ["never built"]
        if entry.get("key") != key:
            return why_stale(entry.get("parts"), parts) or ["built by another version of the build"]
        return [f"{relative} was edited or deleted since it was built"
                for relative, expected in entry.get("outputs", {}).items()
                if not (root / relative).is_file() or file_hash(root / relative) != expected]

    def record(self, step: str, key: str, root: Path, outputs: list[Path],
               parts: dict[str, str] | None = None) -> None:
        self.steps[step] = {"key": key, "outputs": {p.relative_to(root).as_posix(): file_hash(p)
                                                    for p in sorted(outputs)}}
        if parts is not None:
            self.steps[step]["parts"] = parts

    def remember_carried(self, root: Path, paths: list[Path]) -> None:
        """Record, at once, files the build has just changed in the analyst's folder, so that a
        build failing later still knows them as its own (and an edit after it is seen as one)."""
        self.carried.update({p.relative_to(root).as_posix(): file_hash(p) for p in paths})
        self.save()

    def save(self) -> None:
        from ..atomic_files import replace_with
        from ..stops import reached

        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": VERSION, "steps": self.steps}
        if self.carried:
            data["carried"] = self.carried

        def write(tmp: Path) -> None:
            tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
            reached("cache written")  # written, not yet in place

        replace_with(self.path, write)
