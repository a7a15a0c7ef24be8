"""Admitting documents into a run: whether an id was read already, and its last hash, by B-tree.

Every chunk read from the archive asks both questions of every id read before it and of the last
ledger. Joined in DuckDB (which keeps no index it can probe within a memory limit: its ART indexes
must fit in memory, and a join scans the table), each chunk scanned both tables whole, so a run's
admission grew with the square of the archive (1.7 s at 100,000 documents, 71 s at 1,000,000).
Here both are B-trees in an on-disk SQLite file (the standard library's): a lookup reads a few
pages, whatever the number of ids, and SQLite holds at most ``CACHE_KIB`` of them in memory.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

# SQLite's page cache (negative: in KiB). The rest of the file stays on disk (and in the page
# cache of the system, which a process's resident memory does not count).
CACHE_KIB = 16 * 1024


class AdmissionIndex:
    """The ids read so far (with where each was first read) and the last ledger's hashes, keyed
    by id. A scratch file (``path``, new): written without a journal or syncing, and removed with
    the run's bookkeeping (a run stopped dead leaves it to the next run, which removes it)."""

    def __init__(self, path: Path, previous: Iterable[Iterable[tuple[str, str | None]]]) -> None:
        """``previous``: the last ledger's ``(id, sha256)`` rows, in batches."""
        self.con = sqlite3.connect(path)  # `with self.con`: one transaction, committed at its end
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "locking_mode = EXCLUSIVE",
                       f"cache_size = -{CACHE_KIB}"):
            self.con.execute(f"PRAGMA {pragma}")
        self.con.execute('CREATE TABLE seen (id TEXT PRIMARY KEY, "where" TEXT) WITHOUT ROWID')
        self.con.execute("CREATE TABLE old (id TEXT PRIMARY KEY, sha256 TEXT) WITHOUT ROWID")
        self.con.execute("CREATE TEMP TABLE chunk (id TEXT)")
        with self.con:
            for rows in previous:  # a ledger has each id once; OR IGNORE keeps the first all the same
                self.con.executemany("INSERT OR IGNORE INTO old VALUES (?, ?)", rows)

    def look_up(self, ids: list[str]) -> tuple[dict[str, str], dict[str, str | None]]:
        """Of ``ids`` (distinct), those read before, with where they were first read, and those
        in the last ledger, with their hash there. One probe of each B-tree per id."""
        with self.con:
            self.con.execute("DELETE FROM chunk")
            self.con.executemany("INSERT INTO chunk VALUES (?)", ((i,) for i in ids))
            earlier = dict(self.con.execute(
                'SELECT s.id, s."where" FROM chunk c JOIN seen s ON s.id = c.id').fetchall())
            last = dict(self.con.execute(
                "SELECT o.id, o.sha256 FROM chunk c JOIN old o ON o.id = c.id").fetchall())
        return earlier, last

    def add(self, ids: list[str], wheres: list[str]) -> None:
        """Ids read for the first time (none of them read before)."""
        with self.con:
            self.con.executemany('INSERT INTO seen VALUES (?, ?)', zip(ids, wheres, strict=True))

    def close(self) -> None:
        self.con.close()
