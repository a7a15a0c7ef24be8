"""Moving a finished build's staged outputs into place: all of them, or none.

1. Every destination folder is checked first (created if missing, a file written and removed),
   so a read-only ``reports/`` or a full disk stops the build before the first move.
2. The moves are written to a journal, with paths relative to the project root; a build killed
   half-way is completed by the next one (the stage is complete by then). A journal written for
   another root (a copied project) is ignored, with a warning.
3. Each file replaced is kept aside until every move succeeded; if one fails, the moves already
   made are undone and the previous outputs are back as they were.

Moves across file systems (``.build`` on another mount) copy, then rename within the target
folder, so each file still appears at once.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from ..paths import JOURNAL, OWNED, ProjectPaths
from ..stops import reached

KEPT = ".previous"  # suffix of a replaced output, kept until the publish succeeded


class PublishFailed(RuntimeError):
    """Nothing was published (or everything was put back); the message says where and what to do."""


def publish(stage: Path, paths: ProjectPaths, remove: Sequence[Path] = ()) -> list[Path]:
    """Move every staged file into place, then delete the outputs in ``remove`` (older prints of
    a briefing rebuilt without them); return the published paths."""
    moves = [(staged.relative_to(paths.root).as_posix(), staged.relative_to(stage).as_posix())
             for staged in sorted(p for p in stage.rglob("*") if p.is_file())]
    removed = [p.relative_to(paths.root).as_posix() for p in remove]
    _check_writable(paths, {Path(target).parent for _, target in moves} | set(map(Path, OWNED))
                    | {Path(p).parent for p in removed})
    journal = paths.staging / JOURNAL
    tmp = journal.with_suffix(".tmp")
    tmp.write_text(json.dumps({"root": str(paths.root), "moves": moves, "remove": removed,
                               "owned": [o for o in OWNED if (stage / o).is_dir()]}), encoding="utf-8")
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if _main_thread() else None
    try:
        tmp.replace(journal)
        reached("journal written")
        try:
            _apply(json.loads(journal.read_text(encoding="utf-8")), paths, undo_on_error=True)
            reached("published")
        finally:
            journal.unlink()  # done, or undone: either way nothing is left to complete
        reached("journal removed")
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    return [paths.root / target for _, target in moves]


def finish_interrupted_publish(paths: ProjectPaths, say: Callable[[str], None]) -> None:
    """A build killed while moving its outputs left a journal: complete the moves."""
    journal = paths.staging / JOURNAL
    if not journal.is_file():
        return
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
        root = plan["root"]
    except (ValueError, KeyError, TypeError):
        root = None
    if root != str(paths.root):
        journal.unlink()
        say(f"warning: {paths.relative(journal)} was written for another project folder ({root}); "
            "ignored — its build's outputs there are not touched")
        return
    _apply(plan, paths, undo_on_error=False)
    journal.unlink()
    say("completed the publishing step of an interrupted build")


def _check_writable(paths: ProjectPaths, folders: set[Path]) -> None:
    for folder in sorted(folders):
        where = paths.root / folder
        try:
            where.mkdir(parents=True, exist_ok=True)
            handle, probe = tempfile.mkstemp(prefix=".write-check-", dir=where)
            os.close(handle)
            os.unlink(probe)
        except OSError as exc:
            raise PublishFailed(f"{paths.relative(where)}: cannot write there ({exc.strerror}) — make it "
                                f"writable (e.g. `chmod -R u+w {paths.relative(where)}`) or free space, "
                                "then build again; nothing was published") from None


def _apply(plan: dict, paths: ProjectPaths, *, undo_on_error: bool) -> None:
    root = paths.root
    done: list[tuple[Path, Path | None]] = []  # (target, kept previous version or None)
    try:
        for source, target in plan["moves"]:
            source, target = root / source, root / target
            if not source.exists():
                continue  # moved by the interrupted run
            kept = None
            if target.exists():
                kept = target.with_name(target.name + KEPT)
                os.replace(target, kept)
                reached("renamed")
            done.append((target, kept))
            _move(source, target)
            reached("renamed")
    except OSError as exc:
        if not undo_on_error:
            raise
        for target, kept in reversed(done):
            if kept is not None:
                os.replace(kept, target)
            else:
                target.unlink(missing_ok=True)
        raise PublishFailed(f"{paths.relative(Path(exc.filename or target))}: {exc.strerror} while "
                            "publishing — the previous outputs were put back; fix the cause and build "
                            "again") from None
    published = {root / target for _, target in plan["moves"]}
    for owned in plan["owned"]:
        for old in (root / owned).glob("*"):
            if old.is_file() and old not in published and old.name != "README.md":
                old.unlink()
    for old in plan.get("remove", []):
        (root / old).unlink(missing_ok=True)
    for _target, kept in done:
        if kept is not None:
            kept.unlink(missing_ok=True)
    for _, target in plan["moves"]:  # left by a run killed between the two renames
        (root / target).with_name(Path(target).name + KEPT).unlink(missing_ok=True)


def _move(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target`` atomically; across file systems, copy next to the target
    first, then rename there."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        tmp = target.with_name(f".{target.name}.incoming")
        shutil.copy2(source, tmp)
        os.replace(tmp, target)
        source.unlink()


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
