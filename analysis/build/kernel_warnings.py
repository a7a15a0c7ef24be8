"""Warnings raised while the build (or nbval) runs a notebook go to the terminal, not into outputs.

A warning printed in a cell would be published in the briefing (a red box, with the machine's path
to the code that raised it) and would make the stored notebook depend on where the project lives.
The build starts each kernel with ``ANALYSIS_WARNINGS_LOG`` naming a file; ``analysis`` is imported
by every notebook's first cell and then sends warnings there, one JSON line each. The build reads
the file after the notebook ran and prints each warning once, without paths. A kernel started
by hand (JupyterLab) has no such variable and shows warnings as usual.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from pathlib import Path

ENV = "ANALYSIS_WARNINGS_LOG"


def route_to_log() -> None:
    """In a kernel the build or the tests started, write warnings to the named file."""
    target = os.environ.get(ENV)
    if not target or "ipykernel" not in sys.modules:  # a build or test process keeps its own
        return

    def write(message, category, filename, lineno, file=None, line=None) -> None:
        with open(target, "a", encoding="utf-8") as log:
            log.write(json.dumps({"category": category.__name__, "message": str(message)}) + "\n")

    warnings.showwarning = write


def read_log(path: Path, root: Path) -> list[str]:
    """The warnings a kernel wrote, each once, in order, as ``Category: message`` with the
    project's folder taken out of any path."""
    if not path.is_file():
        return []
    seen: dict[str, None] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
            text = f"{entry['category']}: {entry['message']}"
        except (ValueError, KeyError, TypeError):
            continue
        seen.setdefault(without_root(text, root), None)
    return list(seen)


def without_root(text: str, root: Path) -> str:
    """A message with the project's folder taken out of the paths it names."""
    return text.replace(f"{root.resolve()}/", "").replace(f"{root}/", "")
