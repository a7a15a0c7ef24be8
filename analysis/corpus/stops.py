"""Named points of a corpus run where a test can stop the process dead, as a kill would.

A run must leave its folder recoverable wherever it is stopped: the tests set
``ANALYSIS_STOP_AT`` to one of :data:`POINTS` and the process ends there with ``os._exit`` (no
``finally``, no flush), then check that the next run gives the tables of a fresh one. Unset, as
in every ordinary run, :func:`reached` costs one dictionary look-up.
"""

from __future__ import annotations

import os

ENV = "ANALYSIS_STOP_AT"
# In the order a run reaches them.
POINTS = ("marked running", "extracted", "month set aside", "merged", "ledger written",
          "errors written", "committed", "cleaned")
STOPPED = 137  # the exit status of a process killed by SIGKILL, as a shell reports it


def reached(point: str) -> None:
    """End the process here if the tests asked for it."""
    if os.environ.get(ENV) == point:
        os._exit(STOPPED)
