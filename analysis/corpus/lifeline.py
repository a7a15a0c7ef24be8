"""A local dask cluster's lifeline to the run that started it: its processes end with the run.

The dask engine's local cluster is a scheduler and a nanny per worker, each a process the driver
(``corpus extract``) started, and each nanny's worker a process of its own. When the driver ends
normally it closes them; killed (``kill -9``, an out-of-memory killer), it cannot, and they kept
running for minutes, holding hundreds of megabytes. So the scheduler and every nanny load this
module as a dask preload (``dask_setup``) and watch their parent: once it is no longer the driver
(the driver died and they were handed to another process), they end their own children and then
themselves. A worker ends with its nanny (dask's own watch of the pipe between them).

A watch, rather than Linux's ``PR_SET_PDEATHSIG``: that signal follows the death of the parent
*thread* that started the process (here the driver's dask event-loop thread), not of the driver,
and exists on Linux only.
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import suppress

ENV = "ANALYSIS_CLUSTER_DRIVER"  # the driver's process id, in the cluster's environment
POLL_S = 0.25


def dask_setup(service: object) -> None:
    """Called by dask in each process that preloads this module (scheduler, nanny)."""
    driver = os.environ.get(ENV)
    if driver:
        watch(int(driver))


def watch(driver: int) -> None:
    """End this process (and its children) as soon as its parent is no longer ``driver``."""
    if os.getppid() != driver:  # gone already, while this process started
        _end()
    threading.Thread(target=_poll, args=(driver,), name="driver-lifeline", daemon=True).start()


def _poll(driver: int) -> None:
    while os.getppid() == driver:
        time.sleep(POLL_S)
    _end()


def _end() -> None:
    import psutil

    for child in psutil.Process().children(recursive=True):
        with suppress(psutil.Error):
            child.kill()
    os._exit(1)
