"""The corpus run's bookkeeping stays within DuckDB's memory limit however many documents it
holds: a 1,000,000-document run once died writing its ledger (OutOfMemoryException)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pyarrow as pa
import pyarrow.parquet as pq

from analysis.corpus import ledger
from analysis.corpus.archive import Document
from analysis.paths import CorpusFolder

DOCUMENTS = 100_000


def test_the_ledger_of_many_documents_is_written_within_a_small_memory_limit(tmp_path: Path,
                                                                              monkeypatch) -> None:
    """100,000 documents' rows under a 16 MB limit, as 1,000,000 under the real 128 MB: joined
    whole, the ids read, the outcomes and the last ledger did not fit. A re-run's ledger: every
    id read, with this run's outcome where it has one, else the last ledger's."""
    monkeypatch.setattr(ledger, "BOOK_MEMORY", "16MB")
    monkeypatch.setattr(ledger, "LEDGER_PASS_ROWS", 10_000, raising=False)
    ids = [f"doc-{i:08d}" for i in range(DOCUMENTS)]
    previous = tmp_path / "ledger-before.parquet"  # the last run's, holding every other document
    pq.write_table(pa.table({"id": ids[::2], "where": [f"a.jsonl:{i}" for i in range(0, DOCUMENTS, 2)],
                             "sha256": [f"old{i}" for i in range(0, DOCUMENTS, 2)],
                             "month": ["2025-01"] * len(ids[::2]), "error": [""] * len(ids[::2])},
                            schema=ledger.LEDGER_SCHEMA), previous)
    book = ledger.RunBook(CorpusFolder(tmp_path), previous)
    read = ids[DOCUMENTS // 10:]  # the first tenth gone from the archive
    book._insert("seen", {"id": read, "where": [f"b.jsonl:{i}" for i in range(len(read))]})
    done = [i for i in read if int(i[4:]) % 3 == 0]  # extracted this run; the rest unchanged
    book._insert("outcomes", {"id": done, "where": ["b"] * len(done), "sha256": [f"new{i}" for i in done],
                              "month": ["2025-02"] * len(done), "error": [""] * len(done)})
    book.write_ledger(tmp_path / "ledger-after.parquet")
    book.close()
    written = pq.read_table(tmp_path / "ledger-after.parquet").to_pylist()
    assert [row["id"] for row in written] == read  # every id read, once, in order
    for row in written[::997]:
        number = int(row["id"][4:])
        expected = (f"new{row['id']}" if number % 3 == 0 else f"old{number}" if number % 2 == 0 else None)
        assert row["sha256"] == expected, row


def test_admitting_a_chunk_takes_the_same_work_however_many_ids_were_read_before(tmp_path: Path) -> None:
    """Work counted, not timed: admission joined each chunk in DuckDB against every id read
    before it and the whole last ledger, so a run's admission grew with the square of the
    archive (71 s at 1,000,000 documents). Each chunk's lookups now probe B-trees: SQLite's
    virtual-machine steps for a chunk (a probe is one step however deep the tree) are the same
    after 1,000 ids as after 20,000, where a scan takes twenty times as many; and admission reads
    nothing from DuckDB, where every query scans."""
    chunk, chunks = 1_000, 21

    def doc_id(i: int) -> str:  # in no order, as a crawl's ids are
        return f"doc-{i * 2654435761 % 2**32:010d}"

    previous = tmp_path / "ledger-before.parquet"  # the last run's: every other document
    last = range(0, chunk * chunks, 2)
    pq.write_table(pa.table({"id": [doc_id(i) for i in last], "where": [f"a.jsonl:{i}" for i in last],
                             "sha256": [Document(doc_id(i), "", f"text {i}".encode()).sha256 for i in last],
                             "month": ["2025-01"] * len(last), "error": [""] * len(last)},
                            schema=ledger.LEDGER_SCHEMA), previous)
    book = ledger.RunBook(CorpusFolder(tmp_path), previous)
    steps = [0]
    book.index.con.set_progress_handler(lambda: steps.__setitem__(0, steps[0] + 1), 100)
    queries: list[str] = []
    con = book.con
    book.con = SimpleNamespace(execute=lambda sql, *a: queries.append(sql) or con.execute(sql, *a),
                               register=con.register, unregister=con.unregister)
    work, unchanged, extract = [], 0, 0
    for n in range(chunks):
        docs = [Document(doc_id(i), f"b.jsonl:{i}", f"text {i}{'' if i % 4 else ' changed'}".encode())
                for i in range(n * chunk, (n + 1) * chunk)]
        docs += docs[:10]  # read twice: duplicates
        before = steps[0]
        wanted, same = book.admit(docs)
        work.append(steps[0] - before)
        unchanged += same
        extract += len(wanted)
    book.con = con
    assert book.count("seen") == chunk * chunks
    assert unchanged == len([i for i in last if i % 4])  # the last ledger's, unchanged
    assert extract == chunk * chunks - unchanged
    assert book.count("duplicates") == 10 * chunks
    book.close()
    assert work[-1] < 1.2 * work[1], work  # after 1,000 ids read and after 20,000
    assert all(sql.startswith("INSERT") for sql in queries), queries
