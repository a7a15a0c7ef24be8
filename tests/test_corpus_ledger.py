"""The corpus run's bookkeeping stays within DuckDB's memory limit however many documents it
holds: a 1,000,000-document run once died writing its ledger (OutOfMemoryException)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from analysis.corpus import ledger
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
