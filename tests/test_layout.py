"""The package's layout is its architecture: stages import only the stages before them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "analysis"
# Lower ranks come first in the data flow; a module may import its own stage or an earlier one.
RANKS = {"paths": 0, "markup": 0, "style": 0, "atomic_files": 0, "stops": 0, "errors": 1, "datapackage": 1,
         "inputs": 2, "wording": 2.5, "facts": 3, "network": 4, "record": 4, "story": 4, "briefing": 5,
         "corpus": 5, "build": 6, "cli": 7}
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name not in ("__init__.py", "__main__.py"))


def stage(parts: tuple[str, ...]) -> str:
    return parts[0]


def imported(path: Path) -> set[tuple[str, ...]]:
    """The package modules a file imports (relative or absolute), as path parts inside ``analysis``."""
    here = path.relative_to(PACKAGE).parent.parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                target = (*base, *(node.module.split(".") if node.module else ()))
            elif node.module and node.module.split(".")[0] == "analysis":
                target = tuple(node.module.split(".")[1:])
            else:
                continue
            names = [(*target, a.name) for a in node.names] if not node.module else [target]
            found.update(n for n in names if n)
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_its_own_or_earlier_stages(path: Path) -> None:
    own = stage(path.relative_to(PACKAGE).with_suffix("").parts)
    assert own in RANKS, f"{path}: a new top-level module or stage needs a rank in this test"
    for target in imported(path):
        other = stage(target)
        if other == own:
            continue
        assert RANKS[other] < RANKS[own], f"{path.relative_to(PACKAGE)} imports {'.'.join(target)}"


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_says_what_it_is_for(path: Path) -> None:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert doc and doc.splitlines()[0].endswith("."), f"{path}: first docstring line, one sentence"
