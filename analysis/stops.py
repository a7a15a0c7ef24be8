"""Named points of a corpus run or a build where a test can stop the process dead, as a kill would.

A run must leave its folder recoverable wherever it is stopped, and a build its project: the
tests set ``ANALYSIS_STOP_AT`` to one of :data:`CORPUS_POINTS` or :data:`BUILD_POINTS` (``POINT``
or ``POINT#N``, the Nth time this process reaches it) and the process ends there with
``os._exit`` (no ``finally``, no flush), then check that the next run gives what a fresh one
does. The variable reaches a local dask cluster's workers too, so a point a worker reaches kills
the worker; with ``ANALYSIS_STOP_ONCE`` naming a file, only the first process to reach the
point stops (it creates the file), as one lost worker whose task dask then runs again elsewhere.
Unset, as in every ordinary run, :func:`reached` costs one dictionary look-up.
"""

from __future__ import annotations

import os

ENV = "ANALYSIS_STOP_AT"
ONCE_ENV = "ANALYSIS_STOP_ONCE"
# In the order a corpus run reaches them ("part written" and "month written" on the workers,
# on dask; each is reached once per batch or per month and table).
CORPUS_POINTS = ("marked running", "part written", "extracted", "month written", "merged", "ledger written",
                 "errors written", "committed", "cleaned")
# In the order a build reaches them: "carried" once a twin's edit is in its notebook (not yet
# recorded), "staged" once per step's files written into the stage (the data package, each
# executed notebook, each twin, the HTML), "renamed" after each rename of the publish (an output
# set aside, then its new version moved in), "cache written" once the cache's new version is
# written and not yet in place.
BUILD_POINTS = ("carried", "staged", "journal written", "renamed", "published", "journal removed",
                "cache written")
STOPPED = 137  # the exit status of a process killed by SIGKILL, as a shell reports it
_counts: dict[str, int] = {}


def reached(point: str) -> None:
    """End the process here if the tests asked for it."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    _counts[point] = _counts.get(point, 0) + 1
    name, _, nth = wanted.partition("#")
    if name != point or (nth and _counts[point] != int(nth)):
        return
    once = os.environ.get(ONCE_ENV)
    if once:
        try:
            os.close(os.open(once, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return  # another process stopped here already
    os._exit(STOPPED)


def counted() -> dict[str, int]:
    """How often this process reached each point while ``ANALYSIS_STOP_AT`` was set (to any
    value: a name no point has counts them without stopping)."""
    return dict(_counts)
