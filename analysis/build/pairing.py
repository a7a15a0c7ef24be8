"""Each notebook's plain-text twin: ``notebooks/NN_name.py`` in jupytext's ``py:percent`` form.

A ``.ipynb`` diff is JSON with outputs; its twin shows the same cells as a Python file, so a
change reads as a normal diff in review. The build keeps the two in step:

- the twin is rewritten from the notebook whenever the notebook's cells change;
- a twin edited by hand (its bytes differ from what the build last wrote or carried, or, with no
  build record, it is newer than the notebook) is carried into the notebook before the build
  plans anything, keeping the notebook's outputs, so the edit is executed and never overwritten;
  the pair is recorded at once, so a build that then fails does not mistake a reverted twin for
  an unedited one;
- when both were edited since the last build the build stops and says so: nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic_files import write_bytes
from ..stops import reached
from .plan import file_hash

if TYPE_CHECKING:
    import nbformat

FORMAT = "py:percent"
PAIRED = {"formats": "ipynb,py:percent"}


class PairingConflict(RuntimeError):
    """A notebook and its twin were both edited since the last build."""


def twin_path(notebook: Path) -> Path:
    return notebook.with_suffix(".py")


def twin_text(nb: nbformat.NotebookNode) -> str:
    import jupytext
    import nbformat

    nb = nbformat.from_dict(nb)
    nb.metadata["jupytext"] = dict(PAIRED)  # JupyterLab's jupytext extension keeps them paired too
    return jupytext.writes(nb, fmt=FORMAT)


def carry_edited_twins(notebooks: list[Path], recorded: Callable[[Path], str | None],
                       relative: Callable[[Path], str], say: Callable[[str], None],
                       carried: Callable[[Path, Path], None] = lambda notebook, twin: None) -> list[Path]:
    """Bring hand edits of twins into their notebooks; return the notebooks changed.

    ``recorded(path)``: the file's hash as the build last wrote it (or carried it), or None.
    ``carried(notebook, twin)`` records the pair at once: were the build to fail afterwards, a
    twin reverted by the analyst would otherwise look unedited next to a notebook that looks
    edited, and the reverted edit would be carried back in.
    """
    changed = []
    for notebook in notebooks:
        twin = twin_path(notebook)
        if not twin.is_file():
            continue  # the build writes it
        written = recorded(twin)
        if written == file_hash(twin):
            continue  # as the build wrote it (no jupytext import on a no-op build)
        import nbformat

        nb = nbformat.read(notebook, as_version=4)
        text = twin.read_text(encoding="utf-8")
        if text == twin_text(nb):
            continue
        if written is None:
            if twin.stat().st_mtime <= notebook.stat().st_mtime:
                continue  # no record: the newer file wins, as in jupytext; the twin is rewritten
        elif recorded(notebook) != file_hash(notebook):
            raise PairingConflict(
                f"{relative(notebook)} and {relative(twin)} were both edited since the last build — "
                f"keep one: undo the edit in the other (e.g. `git checkout {relative(twin)}`), then "
                "build again")
        merged = nbformat.writes(_merge(text, nb))
        merged += "" if merged.endswith("\n") else "\n"  # as nbformat.write ends a file
        write_bytes(notebook, merged.encode("utf-8"))  # one rename: a notebook is never half-written
        reached("carried")
        carried(notebook, twin)
        say(f"{relative(twin)} was edited: its cells were copied into {relative(notebook)}")
        changed.append(notebook)
    return changed


def _merge(text: str, nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The twin's cells with the notebook's outputs and metadata, where cells still match."""
    import jupytext
    from jupytext.combine import combine_inputs_with_outputs

    merged = combine_inputs_with_outputs(jupytext.reads(text, fmt=FORMAT), nb, fmt=FORMAT)
    merged.metadata.pop("jupytext", None)
    return merged
