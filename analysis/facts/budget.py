"""What extracting an article may cost: a ceiling of memory, and on the corpus's workers of time.

An article of a shape nobody foresaw then stops with one line (or one row of the corpus's
errors) instead of taking the machine.

A :class:`Budget` is a block of work watched by a thread of its own. Every 20 ms the watcher
reads the process's memory in use (Linux's ``RssAnon``: what Python, numpy and Arrow allocate
and touch) and the time taken; past the ceiling or the seconds it interrupts the block's thread
between two of its Python steps, and the block ends with :class:`OverBudget`, with memory still
to spare for ending it cleanly. Behind the watcher, the process's data limit (``RLIMIT_DATA``,
which counts memory reserved as well as used) is set at twice the ceiling, for an allocation too
large or too fast to be watched: past it an allocation fails outright (a ``MemoryError``, also
:class:`OverBudget`). Both are lifted when the block ends, so a notebook kernel, a dask worker or
``check`` goes on as before.

The ceiling: 1 GB over what the process held when the block began for one article of up to the
5 MB limit (an ordinary article of 5 MB needs about 260 MB more), and as much again for every further
5 MB of text when several articles are extracted at once (:func:`scaled`);
``ANALYSIS_MEMORY_CEILING_MB`` sets it for one article (0: none). The time: 120 s for one
article (an ordinary one of 5 MB takes 10 to 20 s), only on the corpus's workers
(``ANALYSIS_ARTICLE_SECONDS``; 0: none); ``check`` and the build have none, since someone is
watching them and Ctrl-C stops them.

Limits: Linux only (elsewhere neither is watched); one long step of C code (a regular expression,
a parse) is interrupted only when it returns; the data limit is the whole process's, so its other
threads (a kernel's messaging, a dask worker's heartbeat) share it while a block runs, and blocks
running at once in several threads of one process share the first one's limit; spaCy's parse
runs outside that limit (:func:`lifted`), since its matrix library ends the process when an
allocation fails.
"""

from __future__ import annotations

import ctypes
import os
import re
import resource
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError

MEMORY_ENV = "ANALYSIS_MEMORY_CEILING_MB"
SECONDS_ENV = "ANALYSIS_ARTICLE_SECONDS"
ARTICLE_MB = 1024
ARTICLE_SECONDS = 120
WATCH_EVERY = 0.02  # seconds between two looks at the block
BACKSTOP = 2  # the data limit over the data at the start, as a multiple of the ceiling
_STATUS = Path("/proc/self/status")


class OverBudget(Exception):
    """The block took more memory or time than allowed: ``what`` is "memory" or "time"."""

    def __init__(self, what: str, limit: float) -> None:
        self.what = what
        self.limit = limit
        super().__init__(self.reason)

    @property
    def reason(self) -> str:
        if self.what == "memory":
            return f"memory exceeded: extracting it needed more than {self.limit:,.0f} MB"
        return f"time exceeded: extracting it took more than {self.limit:,.0f} s"


class Stopped(BaseException):
    """What the watcher raises into the block's thread. A BaseException, as Ctrl-C's is, so that
    no library's ``except Exception`` takes it for a failure of its own and carries on. It
    surfaces as such (not as :class:`OverBudget`) only when it arrived just as the block was
    ending; :func:`overrun` tells the two apart and tidies up."""


def article_megabytes() -> int:
    """The ceiling for one article, in MB (``ANALYSIS_MEMORY_CEILING_MB``; 0 means none)."""
    return _setting(MEMORY_ENV, ARTICLE_MB)


def article_seconds() -> int:
    """The time one article may take on a corpus worker (``ANALYSIS_ARTICLE_SECONDS``; 0: none)."""
    return _setting(SECONDS_ENV, ARTICLE_SECONDS)


def _setting(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        return max(int(float(text)), 0)
    except ValueError:
        raise InputError(name, f"{text!r} is not a number", fix="give a whole number, or 0 for no limit") \
            from None


def scaled(limit: float, text_characters: int) -> float:
    """The limit for articles of this much text together: one article's for each 5 MB of it (the
    most one article may hold), and never less than one article's."""
    return max(limit, limit * text_characters / (5 * 1024 * 1024)) if limit else 0


def data_bytes() -> int | None:
    """The process's data now (``VmData``: what ``RLIMIT_DATA`` counts, reserved or not), or None
    off Linux."""
    return _status("VmData")


def used_bytes() -> int | None:
    """The process's own memory in use now (``RssAnon``: resident, not file-backed), or None off
    Linux. What the watcher counts: allocators reserve far more data than they use (Arrow's
    mimalloc reserved a gigabyte for a 5 MB article that used 300 MB)."""
    return _status("RssAnon")


def _status(field: str) -> int | None:
    try:
        found = re.search(rf"^{field}:\s+(\d+) kB", _STATUS.read_text(), re.M)
    except OSError:
        return None
    return int(found.group(1)) * 1024 if found else None


def memory_now() -> tuple[int, int] | None:
    """What a :class:`Budget` counts from: the memory in use and the data (None off Linux)."""
    used, data = used_bytes(), data_bytes()
    return None if used is None or data is None else (used, data)


# --- the process's data limit, shared by the blocks that run at once ------------------------------

_lock = threading.Lock()
_active = 0  # blocks with a data limit, in any thread of this process
_saved: tuple[int, int] | None = None  # the limits before the first of them
_limit = 0  # the data limit they run under, in bytes


def _limit_data(limit: int) -> None:
    global _active, _saved, _limit
    with _lock:
        if not _active:
            _saved = resource.getrlimit(resource.RLIMIT_DATA)
            soft, hard = _saved
            _limit = min([limit] + [b for b in (soft, hard) if b != resource.RLIM_INFINITY])
            resource.setrlimit(resource.RLIMIT_DATA, (_limit, hard))
        _active += 1


def _unlimit_data() -> None:
    global _active
    with _lock:
        _active = max(_active - 1, 0)
        if not _active and _saved is not None:
            resource.setrlimit(resource.RLIMIT_DATA, _saved)


@contextmanager
def lifted() -> Iterator[None]:
    """Run the block without the data limit (put back after it): for work bounded by construction
    whose library ends the process instead of failing an allocation (spaCy's matrix library
    does, and loading its pipeline allocates a few hundred megabytes, once per process)."""
    with _lock:
        lift = bool(_active) and _saved is not None
        if lift:
            resource.setrlimit(resource.RLIMIT_DATA, _saved)
    try:
        yield
    finally:
        if lift:
            with _lock:
                if _active and _saved is not None:
                    resource.setrlimit(resource.RLIMIT_DATA, (_limit, _saved[1]))


# --- a watched block -------------------------------------------------------------------------------


class Budget:
    """``with Budget(megabytes, seconds):`` runs the block within both (0: not that one).

    ``since``: the memory to count from (:func:`memory_now`) instead of what the process holds on
    entering. A block tried again after one that ran out counts from where that one began, so the
    memory the first left mapped (free, but not given back to the system) does not add to its
    room."""

    def __init__(self, megabytes: float = 0, seconds: float = 0,
                 since: tuple[int, int] | None = None) -> None:
        self.megabytes = megabytes
        self.seconds = seconds
        self.since = since
        self.fired = ""  # "memory" or "time", once the watcher has stopped the block
        self._thread = 0
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._limited = False
        self._ceiling = 0

    def __enter__(self) -> Budget:
        used, data = (used_bytes(), data_bytes()) if self.megabytes else (None, None)
        if (used is None or data is None) and not self.seconds:
            return self
        self._thread = threading.get_ident()
        watcher = threading.Thread(target=self._watch, name="budget", daemon=True)
        watcher.start()  # before the data limit: a thread's stack counts as data
        if used is not None and data is not None:
            room = int(self.megabytes * 1024 * 1024)
            base = (used, data) if self.since is None else self.since
            self._ceiling = base[0] + room
            _limit_data(base[1] + int(room * BACKSTOP))
            self._limited = True
        return self

    def _watch(self) -> None:
        started = time.monotonic()
        while not self._done.wait(WATCH_EVERY):
            if self._ceiling and (used_bytes() or 0) > self._ceiling:
                self._stop("memory")
                return
            if self.seconds and time.monotonic() - started > self.seconds:
                self._stop("time")
                return

    def _stop(self, what: str) -> None:
        with self._lock:
            if not self._done.is_set():
                self.fired = what
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._thread),
                                                           ctypes.py_object(Stopped))

    def __exit__(self, kind: type | None, exc: BaseException | None, traceback: object) -> bool:
        if not self._thread:
            return False
        with self._lock:
            self._done.set()
            if self.fired:  # raised, perhaps not yet delivered (the block ended just then): withdrawn
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._thread), None)
        if self._limited:
            self._limited = False
            _unlimit_data()
        if isinstance(exc, Stopped):
            raise self.overbudget() from None
        if self.megabytes and isinstance(exc, Exception) and _out_of_memory(exc):
            raise OverBudget("memory", self.megabytes) from None
        return False

    def overbudget(self) -> OverBudget:
        what = self.fired or "time"
        return OverBudget(what, self.megabytes if what == "memory" else self.seconds)


def overrun(budget: Budget, exc: BaseException) -> OverBudget | None:
    """``exc`` as the :class:`OverBudget` it stands for, when it is one, or the watcher's stop that
    arrived just as the block ended (the data limit is then lifted here); else None."""
    if isinstance(exc, OverBudget):
        return exc
    if isinstance(exc, Stopped):
        if budget._limited:
            budget._limited = False
            _unlimit_data()
        return budget.overbudget()
    return None


_OUT_OF_MEMORY = (MemoryError, SystemError)  # a SystemError: an extension that failed to allocate


def _out_of_memory(exc: BaseException) -> bool:
    """Did running out of memory cause this (past the data limit)? A ``MemoryError`` (Arrow's
    included), one behind it, or a ``SystemError`` (an extension that failed an allocation and
    returned without an exception)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, _OUT_OF_MEMORY):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
