"""Files replaced in one rename, through a temporary file that nobody else can have planted.

A fixed temporary name beside the target (``.NAME.tmp``) can be made in advance as a link to a
file elsewhere, which the write then overwrites, or as a folder, which stops the write half-way.
Here the temporary file is created by ``tempfile.mkstemp`` in the target's folder: a fresh,
unpredictable name opened with ``O_CREAT | O_EXCL`` (never an existing file or link), then
renamed over the target, so a reader sees the old file or the new one, never a part. The file
gets the target's mode, or for a new one what ``open`` would give (0666 less the umask): mkstemp
makes it 0600, which left seeds and notebooks unreadable to the rest of a desk's group.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def replace_with(path: Path, write: Callable[[Path], None]) -> None:
    """Make ``path`` anew: ``write(tmp)`` fills a private temporary file, renamed over ``path``."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_bytes(path: Path, data: bytes) -> None:
    """``path`` holds ``data``, replaced in one rename."""
    replace_with(path, lambda tmp: tmp.write_bytes(data))
