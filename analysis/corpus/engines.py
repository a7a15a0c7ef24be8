"""Where batches run: in this process, or on a dask.distributed cluster (local or remote).

Both take the same batches and call the same ``extract_batch``; an engine only decides where.
The dask engine leaves scheduling to dask: batches are submitted as futures, a bounded number
at a time (so the driver never reads far ahead of the workers), and collected with
``as_completed`` as they finish, in whatever order and on whichever worker dask chose. The
merge at the end goes through the engine too (``each``): on dask, one task per table on the
workers, side by side; in-process, every table in one call.

A batch's documents travel as a file in the run's parts folder, not inside the task: the task
is a few hundred bytes, so neither the driver nor the scheduler serialises, holds or forwards a
megabyte per batch (with the documents in the task, a local run's driver grew past 900 MB at
300,000 documents). The workers already need that folder, since they write their parts there.
The run's knowledge travels the same way, once per run, and is read once per worker.
"""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Protocol, TypeVar

from ..errors import InputError, RunFailed, first_line
from . import lifeline
from .archive import Document
from .extract import CorpusKnowledge, Outcome, code_version, extract_batch
from .store import merge_tables

Batch = tuple[str, list[Document]]  # (name, documents)
T = TypeVar("T")


class Engine(Protocol):
    name: str
    threads: int  # batches it runs at once

    def check_output(self, folder: Path) -> None:
        """Stop (``InputError``) before a run starts when its output folder cannot be used."""
        ...

    def run(self, batches: Iterable[Batch], knowledge: CorpusKnowledge,
            parts: str) -> Iterator[list[Outcome]]:
        """Each batch's outcomes, as batches finish."""
        ...

    def each(self, function: Callable[..., T], calls: list[tuple]) -> list[T]:
        """``function(*arguments)`` for each of ``calls``, independent of each other, in any
        order or side by side, and their results in the order of ``calls``; the first failure is
        raised once all have ended."""
        ...


def _gone() -> tuple[type[BaseException], ...]:
    """What dask raises when the cluster itself is gone: the connection closed, the futures
    cancelled. (Imported only when one is caught.)"""
    from concurrent.futures import CancelledError

    from distributed.comm.core import CommClosedError

    return CancelledError, CommClosedError


def _lost() -> tuple[type[BaseException], ...]:
    """And what it raises for a task it gave up on after the workers running it died."""
    from distributed.scheduler import KilledWorker

    return (KilledWorker, *_gone())


class InProcess:
    """One batch after another in this process: no service to start."""

    name = "inprocess"
    threads = 1

    def check_output(self, folder: Path) -> None:
        pass

    def run(self, batches: Iterable[Batch], knowledge: CorpusKnowledge,
            parts: str) -> Iterator[list[Outcome]]:
        for name, documents in batches:
            yield extract_batch(documents, knowledge, parts, name)

    def each(self, function: Callable[..., T], calls: list[tuple]) -> list[T]:
        return [function(*arguments) for arguments in calls]


def extract_batch_file(path: str, knowledge: str, parts: str, name: str) -> list[Outcome]:
    """``extract_batch`` on the documents the driver left in ``path``, with the knowledge it
    left in the file ``knowledge`` (see the module's note)."""
    with open(path, "rb") as handle:
        documents = pickle.load(handle)
    return extract_batch(documents, _knowledge(knowledge), parts, name)


_LOADED: dict[str, CorpusKnowledge] = {}  # per worker process: the run's knowledge, read once


def _knowledge(path: str) -> CorpusKnowledge:
    """The knowledge of the run whose file this is (each run has a folder of its own), read once
    per process. A file, not data scattered to the workers: scattered data lived only in the
    workers' memory, and a worker killed at the wrong moment took a run's last copy with it (dask
    then cancelled every batch: "already forgotten")."""
    if path not in _LOADED:
        with open(path, "rb") as handle:
            loaded = pickle.load(handle)
        _LOADED.clear()  # the last run's
        _LOADED[path] = loaded
    return _LOADED[path]


# The environment the local cluster's processes start with (dask reads its config from there).
# On a machine whose every core runs an extractor, each core dask's own periodic work takes is a
# core's share the extractors lose, so:
# - the workers' statistical profiler is off: it samples their threads every 10 ms, taking the
#   GIL from the extractors (pure Python) each time, and nobody reads those profiles here;
# - the event-loop tick (a check for blocked loops, only ever logged), the system monitor (for a
#   dashboard there is none of), the nannies' memory check and work stealing (batches are alike)
#   run every second or more rather than every 20 to 500 ms: idle, the five processes of a
#   two-worker cluster took 1.2 s of CPU per 10 s with dask's defaults, 0.2 s with these;
# - the scheduler logs warnings only: ``SubprocessScheduler`` pipes its log to nobody until it
#   exits, and a full pipe would stall it (64 KiB holds hundreds of warnings).
CLUSTER_ENVIRONMENT = {"DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False",
                       "DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL": "1s",
                       "DASK_DISTRIBUTED__ADMIN__SYSTEM_MONITOR__INTERVAL": "5s",
                       "DASK_DISTRIBUTED__WORKER__MEMORY__MONITOR_INTERVAL": "1s",
                       "DASK_DISTRIBUTED__SCHEDULER__WORK_STEALING_INTERVAL": "1s",
                       "DASK_LOGGING__DISTRIBUTED": "warning"}


class OnDask:
    """Batches as dask.distributed futures: on a local cluster with one single-threaded worker
    process per core (the extractors are pure Python: threads would share one GIL), or on the
    cluster whose scheduler ``address`` is given. The output folder must be reachable from every
    worker, since workers read their batches from it and write their part files there.

    The local cluster runs its scheduler in a process of its own (dask's ``SubprocessCluster``):
    in a ``LocalCluster`` the scheduler shares the driver's process, whose memory then grows with
    every task the scheduler remembers. That scheduler imports the tasks' modules as it starts:
    it unpickles every task, so it would import the extractors (and pandas, pyarrow, DuckDB) at
    the first one anyway, taking most of a second of a core from the workers."""

    name = "dask"
    connect_timeout = "20s"  # for a scheduler at ``address`` to answer

    def __init__(self, address: str | None = None, workers: int | None = None,
                 in_flight_per_worker: int = 2) -> None:
        self.address = address
        self.workers = workers or os.cpu_count() or 1
        self.in_flight_per_worker = in_flight_per_worker
        self.client = None

    def __enter__(self) -> OnDask:
        from distributed import Client
        from distributed.deploy.subprocess import SubprocessCluster

        if self.address:
            try:
                self.client = Client(self.address, timeout=self.connect_timeout)
            except OSError as exc:
                raise InputError("--scheduler",
                                 f"no dask scheduler answers at {self.address}: {first_line(exc)}",
                                 fix="start one (`dask scheduler`) or give its address") from None
            self._check_workers()
            return self
        environment = {**CLUSTER_ENVIRONMENT, lifeline.ENV: str(os.getpid())}
        saved = {k: os.environ.get(k) for k in environment}
        os.environ.update(environment)
        try:
            cluster = SubprocessCluster(
                n_workers=self.workers, threads_per_worker=1, dashboard_address=None,
                silence_logs=logging.CRITICAL,  # a lost worker is said in one line, by the driver
                scheduler_kwargs={"preload": [lifeline.__name__, __name__, merge_tables.__module__]},
                worker_kwargs={"preload_nanny": [lifeline.__name__]})
        except Exception as exc:
            raise InputError("--engine dask", f"the local dask cluster did not start: {first_line(exc)}",
                             fix="run in-process (the default engine) or give --scheduler") from None
        finally:
            for key, value in saved.items():
                os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
        self.client = Client(cluster)
        self.client.wait_for_workers(self.workers, timeout=120)
        self._check_workers()
        return self

    def _check_workers(self) -> None:
        """Every worker must run the driver's extraction code: other code would write other facts
        under this run's knowledge version. Asking also loads the extractors on each worker,
        before the first batch rather than during it."""
        try:
            versions = self.client.run(code_version)
        except Exception as exc:  # the project is not installed there, or does not import
            self.__exit__()
            raise InputError("--engine dask",
                             f"the dask workers cannot load the extractors: {first_line(exc)}",
                             fix="install this project on every worker (pip install -e .)") from None
        here = code_version()
        others = sorted(worker for worker, version in versions.items() if version != here)
        if others:
            self.__exit__()
            raise InputError("--engine dask", f"worker(s) {', '.join(others)} run other extraction code "
                             f"than this driver", fix="install the same commit on every worker")

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            cluster = None if self.address else self.client.cluster
            self.client.close()
            if cluster is not None:
                cluster.close()
            self.client = None

    def check_output(self, folder: Path) -> None:
        """Every worker must see the output folder, since batches and parts pass through it: on
        a cluster, a folder local to the driver would fail every batch, one by one."""
        client = self._connected()
        probe = folder / f".probe-{uuid.uuid4().hex[:12]}"
        probe.write_bytes(b"")
        try:
            seen = client.run(os.path.isfile, str(probe))
        finally:
            probe.unlink(missing_ok=True)
        blind = sorted(worker for worker, ok in seen.items() if not ok)
        if blind:
            raise InputError(folder, f"dask worker(s) {', '.join(blind)} cannot see this folder",
                             fix="give --out a folder on a file system every worker shares, at the same path")

    def each(self, function: Callable[..., T], calls: list[tuple]) -> list[T]:
        """The calls as tasks, in the order given (dask starts earlier tasks first)."""
        from distributed import wait

        client = self._connected()
        futures = [client.submit(function, *arguments, pure=False) for arguments in calls]
        wait(futures)  # every call ends before the driver goes on (or raises)
        try:
            return [future.result() for future in futures]
        except _lost() as exc:
            raise RunFailed(f"the dask cluster lost the {function.__name__} task(s) ({type(exc).__name__}: "
                            f"{first_line(exc)}) — nothing of this run was kept; run the same command "
                            "again") from None

    def _connected(self):
        """The client, outside of which the engine has no cluster to use."""
        if self.client is None:
            raise RuntimeError("use the dask engine in a with-block")
        return self.client

    @property
    def threads(self) -> int:
        return max(1, sum(self.client.nthreads().values())) if self.client else self.workers

    def run(self, batches: Iterable[Batch], knowledge: CorpusKnowledge,
            parts: str) -> Iterator[list[Outcome]]:
        from distributed import as_completed

        client = self._connected()
        batches = iter(batches)
        documents: dict = {}
        run = uuid.uuid4().hex[:8]  # task keys of their own: never one of an earlier run's
        inbox = Path(parts) / "_inbox"
        inbox.mkdir(parents=True, exist_ok=True)
        shared = str(inbox / "knowledge.pickle")
        with open(shared, "wb") as handle:
            pickle.dump(knowledge, handle, protocol=pickle.HIGHEST_PROTOCOL)

        def submit(batch: Batch):
            name, docs = batch
            path = inbox / f"{name}.pickle"
            with open(path, "wb") as handle:
                pickle.dump(docs, handle, protocol=pickle.HIGHEST_PROTOCOL)
            future = client.submit(extract_batch_file, str(path), shared, parts, name,
                                   key=f"extract-{run}-{name}", pure=False)
            # only what an error row needs: the texts stay in the file, not in the driver
            documents[future.key] = (name, [(d.doc_id, d.where, d.sha256) for d in docs], path)
            return future

        window = self.threads * self.in_flight_per_worker
        pending = as_completed([submit(b) for b in islice(batches, window)])
        for future in pending:
            name, docs, path = documents.pop(future.key)
            try:
                outcomes = future.result()
            except _gone() as exc:  # the cluster itself: no batch can finish
                raise RunFailed(f"the dask cluster went away while extracting batch {name} "
                                f"({type(exc).__name__}: {first_line(exc)}) — nothing of this run was "
                                "kept; run the same command again") from None
            except Exception as exc:  # dask gave up on the batch (its workers died under it), or it failed
                why = f"batch {name} failed: {type(exc).__name__}: {first_line(exc)}"
                # no hash in the ledger: the next run tries these documents again
                outcomes = [Outcome(doc_id, where, "", error=why) for doc_id, where, _ in docs]
                shutil.rmtree(Path(parts) / name, ignore_errors=True)  # none of its rows stand
            future.release()
            path.unlink(missing_ok=True)
            for batch in islice(batches, 1):
                pending.add(submit(batch))
            yield outcomes

