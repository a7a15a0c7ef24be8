"""Where batches run: in this process, or on a dask.distributed cluster (local or remote).

Both take the same batches and call the same ``extract_batch``; an engine only decides where.
The dask engine leaves scheduling to dask: batches are submitted as futures, a bounded number
at a time (so the driver never reads far ahead of the workers), and collected with
``as_completed`` as they finish, in whatever order and on whichever worker dask chose.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Protocol

from .archive import Document
from .extract import CorpusKnowledge, Outcome, extract_batch

Batch = tuple[str, list[Document]]  # (name, documents)


class Engine(Protocol):
    name: str

    def run(self, batches: Iterable[Batch], knowledge: CorpusKnowledge,
            parts: str) -> Iterator[list[Outcome]]:
        """Each batch's outcomes, as batches finish."""
        ...


class InProcess:
    """One batch after another in this process: no service to start."""

    name = "inprocess"

    def run(self, batches: Iterable[Batch], knowledge: CorpusKnowledge,
            parts: str) -> Iterator[list[Outcome]]:
        for name, documents in batches:
            yield extract_batch(documents, knowledge, parts, name)


class OnDask:
    """Batches as dask.distributed futures: on a ``LocalCluster`` with one single-threaded worker
    process per core (the extractors are pure Python: threads would share one GIL), or on the
    cluster whose scheduler ``address`` is given. The output folder must be reachable from every
    worker, since workers write their part files themselves."""

    name = "dask"

    def __init__(self, address: str | None = None, workers: int | None = None,
                 in_flight_per_worker: int = 2) -> None:
        self.address = address
        self.workers = workers or os.cpu_count() or 1
        self.in_flight_per_worker = in_flight_per_worker
        self.client = None

    def __enter__(self) -> OnDask:
        from distributed import Client, LocalCluster

        if self.address:
            self.client = Client(self.address, timeout="20s")
        else:
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=40)
            self.client = Client(cluster)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            cluster = None if self.address else self.client.cluster
            self.client.close()
            if cluster is not None:
                cluster.close()
            self.client = None

    @property
    def threads(self) -> int:
        return max(1, sum(self.client.nthreads().values())) if self.client else self.workers

    def run(self, batches: Iterable[Batch], knowledge: CorpusKnowledge,
            parts: str) -> Iterator[list[Outcome]]:
        from distributed import as_completed

        client = self.client
        if client is None:
            raise RuntimeError("use the dask engine in a with-block")
        shared = client.scatter(knowledge, broadcast=True, hash=False)
        batches = iter(batches)
        documents: dict = {}

        def submit(batch: Batch):
            name, docs = batch
            future = client.submit(extract_batch, docs, shared, parts, name, key=f"extract-{name}",
                                   pure=False)
            documents[future.key] = batch
            return future

        window = self.threads * self.in_flight_per_worker
        pending = as_completed([submit(b) for b in islice(batches, window)])
        for future in pending:
            name, docs = documents.pop(future.key)
            try:
                outcomes = future.result()
            except Exception as exc:  # a worker died under the batch, dask gave up on it
                why = f"batch {name} failed: {type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}"
                outcomes = [Outcome(d.doc_id, d.where, d.sha256, error=why) for d in docs]
            future.release()
            for batch in islice(batches, 1):
                pending.add(submit(batch))
            yield outcomes
