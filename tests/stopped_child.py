"""Waiting for a forked child told to stop dead at a named point (analysis/stops.py): the build's
and the corpus run's stop tests fork a child per point and must never wait forever, since a forked
child can hang on a lock another thread of the test worker held when it forked."""

from __future__ import annotations

import os
import signal
import time

import pytest

from analysis.stops import STOPPED

CHILD_TIMEOUT_S = 120


def wait_stopped(pid: int, point: str, what: str) -> None:
    """Wait for the child ``pid`` (killed after ``CHILD_TIMEOUT_S``, failing the test) and check
    that it ended at ``point``; ``what`` names it in messages ("the build", "the run")."""
    deadline = time.monotonic() + CHILD_TIMEOUT_S
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"{what} stopped at {point!r} did not end within {CHILD_TIMEOUT_S} s")
        time.sleep(0.02)
    assert os.waitstatus_to_exitcode(status) == STOPPED, f"{what} never reached {point!r}"
