"""The notebook graph, ``notebooks/graph.yaml``: what each notebook reads and what it runs after.

Declared in one readable file rather than in hidden notebook metadata, and validated like every
curated input (errors name file:line). A notebook the file does not list reads every input and
runs after nothing: the safe default. The numbering of notebooks is their reading order; only
``after`` orders their execution.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..paths import ALL_INPUTS, NOTEBOOK_GRAPH

KEYS = ("reads", "after")


@dataclass(frozen=True)
class Declaration:
    reads: tuple[str, ...] = ALL_INPUTS
    after: tuple[str, ...] = ()
    line: int | None = None  # in graph.yaml; None when the notebook is not listed

    @property
    def declared(self) -> bool:
        return self.line is not None


@dataclass(frozen=True)
class NotebookGraph:
    path: Path
    declarations: dict[str, Declaration]

    def of(self, name: str) -> Declaration:
        return self.declarations.get(name, Declaration())

    @classmethod
    def load(cls, root: Path, notebooks: list[str]) -> NotebookGraph:
        """Read and check the graph against the notebooks present and the files under ``root``."""
        path = root / NOTEBOOK_GRAPH
        if not path.is_file():
            return cls(path, {})
        from ..inputs.curated import Entry, load_yaml

        data = load_yaml(path)
        if data is None:
            return cls(path, {})
        if not isinstance(data, Entry):
            raise InputError(path, "expected one entry per notebook (`01_facts:` with `reads:` and "
                                   "`after:` under it)", line=1, fix="see the comment at the top of the file")
        declarations = {}
        for name, spec in data.items():
            line = data.key_lines.get(str(name), data.line)
            if str(name) not in notebooks:
                raise InputError(path, f"{name!r} is not a notebook in notebooks/", line=line,
                                 fix=f"remove its entry, or correct the name ({', '.join(notebooks)})")
            if not isinstance(spec, Entry):
                raise InputError(path, f"{name}: expected `reads:` and `after:` lists under it", line=line,
                                 fix="indent them under the notebook's name")
            for key in spec:
                if key not in KEYS:
                    raise spec.fail(f"{name}: unknown key {key!r}", fix="use `reads:` and `after:`", key=key)
            lists = {}
            for key in KEYS:
                value = spec.get(key, [])
                if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                    raise spec.fail(f"{name}: `{key}` must be a list of names", key=key,
                                    fix=f"write it as `{key}: [first, second]`")
                lists[key] = tuple(value)
            for other in lists["after"]:
                if other not in notebooks:
                    raise spec.fail(f"{name}: runs after unknown notebook {other!r}", key="after",
                                    fix=f"use one of: {', '.join(n for n in notebooks if n != name)}")
            for pattern in lists["reads"]:
                if not any(p.is_file() for p in root.glob(pattern)):
                    raise spec.fail(f"{name}: declared input {pattern!r} matches no file", key="reads",
                                    fix="correct the pattern (paths are relative to the project root)")
            declarations[str(name)] = Declaration(lists["reads"] or ALL_INPUTS, lists["after"], line)
        graph = cls(path, declarations)
        graph.order(notebooks)  # a cycle is an input error too
        return graph

    def order(self, notebooks: list[str]) -> list[list[str]]:
        """Notebooks in waves: each runs after everything it declares; reading order kept."""
        done: set[str] = set()
        remaining = list(notebooks)
        waves = []
        while remaining:
            ready = [n for n in remaining if set(self.of(n).after) <= done]
            if not ready:
                first = min(remaining, key=lambda n: self.of(n).line or 0)
                raise InputError(self.path, f"notebooks run after each other in a cycle: {remaining}",
                                 line=self.of(first).line, fix="remove one of the `after` entries")
            waves.append(ready)
            done.update(ready)
            remaining = [n for n in remaining if n not in ready]
        return waves
