"""Benchmark: the corpus run's bookkeeping (``analysis.corpus.ledger.RunBook``) alone, at scale.

A 1,000,000-document extraction once died after 24 minutes with DuckDB's OutOfMemoryException in
the ledger (600,000 passed). This exercises exactly that step without extracting anything: the
documents the driver reads (synthetic ids and hashes, in chunks of ``READ_AHEAD`` as the run
admits them), their outcomes recorded as batches would report them, the ids to remove, the new
ledger and the errors table; first a run on an empty folder, then a re-run on its ledger with 1 %
of the documents changed, 1 % gone and 1 % new. Each run is a process of its own, so that its
peak resident memory (``ru_maxrss``) is its own; it prints one line per run: the time it took to
admit the documents (read, look up, record outcomes), that time in CPU seconds and per document
(which stays flat as the archive grows when admission is linear), and the time to finish.

    nice -n 15 .venv/bin/python benchmarks/ledger.py              # 1,000,000 documents
    nice -n 15 .venv/bin/python benchmarks/ledger.py 100000 300000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.corpus.archive import Document  # noqa: E402
from analysis.corpus.extract import Outcome  # noqa: E402
from analysis.corpus.ledger import RunBook  # noqa: E402
from analysis.corpus.run import READ_AHEAD  # noqa: E402
from analysis.paths import CorpusFolder  # noqa: E402

MONTHS = [f"{2020 + m // 12}-{m % 12 + 1:02d}" for m in range(72)]
ERROR_EVERY = 997  # about one document in a thousand is refused, as in a real archive


def doc_id(i: int) -> str:
    """The i-th document's id: in no order, as a crawl's are (ids in order would flatter the
    lookups, each landing next to the last)."""
    return f"doc-{i * 2654435761 % 2**32:010d}"


def documents(count: int, again: bool) -> Iterator[Document]:
    """The archive as read: on the re-run, every 100th changed, every 100th (offset 50) gone,
    and count // 100 new ones at the end."""
    for i in range(count):
        if again and i % 100 == 50:
            continue
        text = f"text {i} {'changed' if again and i % 100 == 0 else ''}"
        problem = "not UTF-8 (byte 12)" if i % ERROR_EVERY == 0 else ""
        yield Document(doc_id(i), f"archive.parquet:{i}", text.encode(), problem)
    if again:
        for i in range(count, count + count // 100):
            yield Document(doc_id(i), f"archive.parquet:{i}", f"text {i}".encode())


def one_run(count: int, folder: Path, again: bool) -> dict:
    corpus = CorpusFolder(folder)
    previous = folder / "ledger-first.parquet" if again else None
    started, cpu = time.perf_counter(), time.process_time()
    book = RunBook(corpus, previous)
    chunk: list[Document] = []
    extracted = unchanged = 0

    def admit() -> None:
        nonlocal extracted, unchanged
        wanted, same = book.admit(chunk)
        unchanged += same
        for start in range(0, len(wanted), 200):  # as batches of 200 finish
            batch = wanted[start:start + 200]
            book.record(Outcome(d.doc_id, d.where, d.sha256, MONTHS[int(d.doc_id[4:]) % len(MONTHS)])
                        for d in batch)
            extracted += len(batch)
        chunk.clear()

    for doc in documents(count, again):
        chunk.append(doc)
        if len(chunk) == READ_AHEAD:
            admit()
    admit()
    admitted, admitted_cpu = time.perf_counter(), time.process_time()
    stale = folder / "_stale.parquet"
    months, removed = book.write_stale(stale)
    ledger = folder / ("ledger-again.parquet" if again else "ledger-first.parquet")
    book.write_ledger(ledger)
    errors = book.errors().num_rows
    seen = book.count("seen")
    book.close()
    done = time.perf_counter()
    return {"run": "re-run" if again else "first", "documents": seen, "extracted": extracted,
            "unchanged": unchanged, "removed": removed, "errors": errors, "stale_months": len(months),
            "admit_s": admitted - started, "admit_cpu_s": admitted_cpu - cpu, "finish_s": done - admitted,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000_000])
    parser.add_argument("--one", nargs=3, metavar=("COUNT", "FOLDER", "AGAIN"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        count, folder, again = args.one
        print(json.dumps(one_run(int(count), Path(folder), again == "1")))
        return
    print(f"{'documents':>10} {'run':>7} {'admit s':>8} {'CPU s':>6} {'µs/doc':>7} {'finish s':>9} "
          f"{'peak MiB':>9}  check")
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="ledger-bench-") as tmp:
            for again in ("0", "1"):
                out = subprocess.run([sys.executable, __file__, "--one", str(size), tmp, again],
                                     capture_output=True, text=True, check=True).stdout
                r = json.loads(out)
                check = (f"{r['documents']:,} read, {r['extracted']:,} extracted, "
                         f"{r['unchanged']:,} unchanged, {r['removed']:,} removed, {r['errors']:,} errors")
                print(f"{size:>10,} {r['run']:>7} {r['admit_s']:>8.1f} {r['admit_cpu_s']:>6.1f} "
                      f"{r['admit_cpu_s'] / r['documents'] * 1e6:>7.0f} {r['finish_s']:>9.1f} "
                      f"{r['peak_mib']:>9.0f}  {check}", flush=True)


if __name__ == "__main__":
    main()
