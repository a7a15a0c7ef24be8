"""The ledger: each document's content hash and outcome, and the knowledge version they rest on.

A re-run extracts only the documents whose hash is new or changed; a different knowledge version
(the gazetteer, the vocabulary or the extraction code changed) extracts everything again.

During a run the bookkeeping lives in an on-disk DuckDB database (``RunBook``), not in Python
objects: the ids read so far, the previous ledger and the run's outcomes grow with the archive,
and a driver holding them in dictionaries grew by kilobytes per document. DuckDB keeps them
within a memory limit and spills beyond it, so the driver stays flat at any corpus size. The
questions each chunk read asks of them (read before? unchanged?) go to B-trees of the same ids
(``admission.AdmissionIndex``): DuckDB answers them only by scanning.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..atomic_files import replace_with
from ..paths import CorpusFolder
from .admission import AdmissionIndex
from .archive import Document
from .extract import Outcome
from .store import connect, run_of

LEDGER_SCHEMA = pa.schema([("id", pa.string()), ("where", pa.string()), ("sha256", pa.string()),
                           ("month", pa.string()), ("error", pa.string())])
BOOK_MEMORY = "128MB"
# The new ledger is joined and sorted this many ids at a time (a few tens of megabytes of rows:
# well inside BOOK_MEMORY), and streamed to its file in record batches of LEDGER_BATCH_ROWS.
LEDGER_PASS_ROWS = 250_000
LEDGER_BATCH_ROWS = 50_000
INSERT_ROWS = 20_000  # rows held for a table before they are inserted (a few megabytes)


# The folder's layout: a folder of another layout is extracted again from scratch (2: month files
# named after their run, rewrites copy-on-write, the manifest naming what a run replaced).
LAYOUT = 2


@dataclass
class Ledger:
    """The manifest's side of the ledger: the knowledge version, the runs whose month files
    stand, the files the last run replaced, and whether a run is under way. The entries stay on
    disk (``ledger-RUN.parquet``)."""

    version: str = ""
    runs: list[str] = field(default_factory=list)  # runs whose month files (run-ID-N.parquet) stand
    running: str = ""  # set while a run is under way: found at the start, the last run was interrupted
    entries: Path | None = None  # the last run's ledger, when there is a readable one
    replaced: list[str] = field(default_factory=list)  # files the last run replaced (removed after it)
    layout: int = LAYOUT  # the folder's, when its manifest names another

    @classmethod
    def load(cls, folder: CorpusFolder) -> Ledger:
        """The last run's ledger, the one its manifest names; an empty one when there is none (or
        it cannot be read, or the folder has another layout)."""
        try:
            manifest = json.loads(folder.manifest.read_text(encoding="utf-8"))
            entries = folder.root / str(manifest.get("ledger", folder.ledger.name))
            pq.read_schema(entries)
            if manifest.get("layout") != LAYOUT:
                return cls(layout=manifest.get("layout") or 1)  # 1: before layouts were named
            return cls(str(manifest.get("knowledge_version", "")), list(manifest.get("runs", [])),
                       str(manifest.get("running", "")), entries,
                       [str(path) for path in manifest.get("replaced", [])])
        except (OSError, ValueError, TypeError, AttributeError, pa.ArrowException):
            return cls()

    def mark_running(self, folder: CorpusFolder, run_id: str) -> None:
        """Say in the manifest that a run is under way, before it changes any table."""
        manifest = {"layout": LAYOUT, "knowledge_version": self.version, "runs": self.runs,
                    "running": run_id}
        if folder.manifest.is_file():
            manifest = {**json.loads(folder.manifest.read_text(encoding="utf-8")), **manifest}
        _replace(folder.manifest, lambda tmp: tmp.write_text(json.dumps(manifest, indent=2) + "\n",
                                                             encoding="utf-8"))

    def save_manifest(self, folder: CorpusFolder, summary: dict, ledger: Path) -> None:
        """The run's commit: one rename of the manifest that names the run's ledger, the runs
        whose files stand and the files the run replaced. Until then the previous manifest names
        the previous ledger and runs, so a run stopped anywhere before leaves the previous state
        (its files are removed, its documents extracted again, by the next run)."""
        manifest = {"layout": LAYOUT, "knowledge_version": self.version, "runs": self.runs,
                    "replaced": self.replaced, "ledger": ledger.name, **summary}
        _replace(folder.manifest, lambda tmp: tmp.write_text(json.dumps(manifest, indent=2) + "\n",
                                                             encoding="utf-8"))

    def month_files(self, folder: CorpusFolder, table: str) -> list[Path]:
        """A table's month files as the manifest has them: those of the runs that stand, less
        those the last run replaced (which it removes right after its commit)."""
        replaced = set(self.replaced)
        return sorted(p for p in folder.table(table).glob("month=*/*.parquet")
                      if run_of(p) in self.runs and p.relative_to(folder.root).as_posix() not in replaced)


class RunBook:
    """One run's bookkeeping in DuckDB: the previous ledger (``old``), the ids read (``seen``,
    first occurrence), the duplicates, and the outcomes of the documents extracted or refused;
    ``index`` answers admission's lookups in ``old`` and ``seen``."""

    def __init__(self, folder: CorpusFolder, previous: Path | None) -> None:
        self.folder = folder
        self.path = folder.root / "_run.duckdb"
        self.spill = folder.root / "_run.tmp"
        self.lookups = folder.root / "_run.ids"
        self.pending: dict[str, dict[str, list]] = {}  # rows not yet inserted, by table
        self.close(remove=True)  # left by an interrupted run
        # One thread: with two, writing the ledger under a small limit failed now and then (each
        # thread holds buffers of its own), and the extraction beside it needs the cores more.
        self.con = connect(self.spill, BOOK_MEMORY, threads=1, database=self.path)
        columns = 'id VARCHAR, "where" VARCHAR, sha256 VARCHAR, month VARCHAR, error VARCHAR'
        if previous is not None:
            self.con.execute(f"CREATE TABLE old AS SELECT * FROM read_parquet('{_quoted(str(previous))}')")
        else:
            self.con.execute(f"CREATE TABLE old ({columns})")
        self.con.execute('CREATE TABLE seen (id VARCHAR, "where" VARCHAR)')
        old = self.con.sql("SELECT id, sha256 FROM old").to_arrow_reader(LEDGER_BATCH_ROWS)
        self.index = AdmissionIndex(self.lookups, (
            zip(b.column("id").to_pylist(), b.column("sha256").to_pylist(), strict=True) for b in old))
        self.con.execute(f"CREATE TABLE outcomes ({columns})")
        self.con.execute('CREATE TABLE duplicates (id VARCHAR, "where" VARCHAR, error VARCHAR)')

    def admit(self, documents: list[Document]) -> tuple[list[Document], int]:
        """Of a chunk read from the archive, the documents to extract, and how many are unchanged
        (same hash as in the previous ledger). A repeated id is a duplicate (the first is kept);
        a document that could not be read is an outcome with its problem. The ids are looked up
        in the run's ``AdmissionIndex``, so a chunk costs the same however many came before."""
        first: dict[str, str] = {}
        duplicates: list[tuple[str, str, str]] = []
        chunk: list[Document] = []
        for doc in documents:
            if doc.doc_id in first:
                duplicates.append((doc.doc_id, doc.where, first[doc.doc_id]))
                continue
            first[doc.doc_id] = doc.where
            chunk.append(doc)
        earlier, last = self.index.look_up([d.doc_id for d in chunk])
        unchanged = {d.doc_id for d in chunk if d.sha256 != "" and last.get(d.doc_id, "") == d.sha256}
        duplicates += [(d.doc_id, d.where, earlier[d.doc_id]) for d in chunk if d.doc_id in earlier]
        fresh = [d for d in chunk if d.doc_id not in earlier]
        self.index.add([d.doc_id for d in fresh], [d.where for d in fresh])
        self._insert("seen", {"id": [d.doc_id for d in fresh], "where": [d.where for d in fresh]})
        self._insert("duplicates", {
            "id": [i for i, _, _ in duplicates], "where": [w for _, w, _ in duplicates],
            "error": [f"duplicate id (first read at {f}): only the first is kept" for _, _, f in duplicates]})
        self.record([Outcome(d.doc_id, d.where, "", error=d.problem) for d in fresh if d.problem])
        wanted = [d for d in fresh if not d.problem and d.doc_id not in unchanged]
        return wanted, sum(1 for d in fresh if d.doc_id in unchanged)

    def record(self, outcomes: Iterable[Outcome]) -> None:
        outcomes = list(outcomes)
        self._insert("outcomes", {
            "id": [o.doc_id for o in outcomes], "where": [o.where for o in outcomes],
            "sha256": [o.sha256 for o in outcomes], "month": [o.month for o in outcomes],
            "error": [o.error for o in outcomes]})

    def _insert(self, table: str, columns: dict[str, list]) -> None:
        """Rows for ``table``, inserted ``INSERT_ROWS`` at a time: an INSERT costs DuckDB a few
        milliseconds however few its rows (a commit to its log), and one per batch of outcomes
        and per chunk read took most of the bookkeeping's time."""
        if not columns or not next(iter(columns.values())):
            return
        pending = self.pending.setdefault(table, {name: [] for name in columns})
        for name, values in columns.items():
            pending[name].extend(values)
        if len(pending[next(iter(pending))]) >= INSERT_ROWS:
            self._flush(table)

    def _flush(self, *tables: str) -> None:
        """Insert the rows still held for ``tables`` (all of them by default): before a read."""
        for table in tables or list(self.pending):
            self.con.register("rows", pa.table(self.pending.pop(table)))
            self.con.execute(f"INSERT INTO {table} SELECT * FROM rows")
            self.con.unregister("rows")

    def write_stale(self, path: Path) -> tuple[set[str], int]:
        """The ids whose rows must go (extracted again, or gone from the archive), written to
        ``path`` for the merge; returns the months they were in and how many ids are gone."""
        self._flush()
        self.con.execute("CREATE OR REPLACE TEMP VIEW gone AS "
                         "SELECT id, month FROM old WHERE id NOT IN (SELECT id FROM seen)")
        self.con.execute(f"COPY (SELECT id AS source_id FROM outcomes UNION SELECT id FROM gone) "
                         f"TO '{_quoted(str(path))}' (FORMAT parquet)")
        months = {m for (m,) in self.con.execute(
            "SELECT DISTINCT o.month FROM old o WHERE o.month <> '' AND (o.id IN (SELECT id FROM outcomes) "
            "OR o.id IN (SELECT id FROM gone))").fetchall()}
        ((removed,),) = self.con.execute("SELECT count(*) FROM gone").fetchall()
        return months, int(removed)

    def write_ledger(self, path: Path) -> None:
        """The new ledger: every id read, with its outcome this run or, if unchanged, the last,
        sorted by id.

        Written a range of ids at a time (``LEDGER_PASS_ROWS`` each, cut at quantiles of the ids
        read): joined whole, the ids read, the outcomes and the last ledger made hash tables of
        every row, and with the sort after them they outgrew DuckDB's memory limit (a
        1,000,000-document run died there after 24 minutes). A range's rows are streamed into
        the file, so neither DuckDB nor this process holds more than one range."""
        self._flush()
        seen = self.count("seen")
        passes = max(1, -(-seen // LEDGER_PASS_ROWS))
        cuts: list[str] = []
        if passes > 1:
            ((cuts,),) = self.con.execute(
                "SELECT quantile_disc(id, ?) FROM seen", [[i / passes for i in range(1, passes)]]).fetchall()
        within = "id >= $low AND ($high IS NULL OR id < $high)"  # every id is at least ''
        query = ('SELECT s.id, s."where", coalesce(n.sha256, o.sha256) AS sha256, '
                 "coalesce(n.month, o.month) AS month, coalesce(n.error, o.error) AS error "
                 f"FROM (SELECT * FROM seen WHERE {within}) s "
                 f"LEFT JOIN (SELECT * FROM outcomes WHERE {within}) n USING (id) "
                 f"LEFT JOIN (SELECT * FROM old WHERE {within}) o USING (id) ORDER BY s.id")

        def write(tmp: Path) -> None:
            with pq.ParquetWriter(tmp, LEDGER_SCHEMA, compression="zstd") as writer:
                for low, high in pairwise(["", *sorted(set(cuts)), None]):
                    rows = self.con.sql(query, params={"low": low, "high": high})
                    for batch in rows.to_arrow_reader(LEDGER_BATCH_ROWS):
                        writer.write_batch(batch.cast(LEDGER_SCHEMA))

        _replace(path, write)
        self.written = path

    def errors(self) -> pa.Table:
        """Documents refused or failed (from the new ledger), and duplicates: id, where, error."""
        self._flush()
        return self.con.sql(
            f"SELECT id, \"where\", error FROM read_parquet('{_quoted(str(self.written))}') "
            "WHERE error <> '' UNION ALL SELECT * FROM duplicates "
            'ORDER BY id, "where", error').to_arrow_table()

    def count(self, table: str) -> int:
        self._flush()
        ((n,),) = self.con.execute(f"SELECT count(*) FROM {table}").fetchall()
        return int(n)

    def close(self, remove: bool = True) -> None:
        index = getattr(self, "index", None)
        if index is not None:
            index.close()
            self.index = None
        con = getattr(self, "con", None)
        if con is not None:
            con.close()
            self.con = None
        if remove:
            for path in (self.path, self.path.with_name(self.path.name + ".wal"), self.lookups):
                path.unlink(missing_ok=True)
            shutil.rmtree(self.spill, ignore_errors=True)


def _quoted(text: str) -> str:
    return text.replace("'", "''")


def _replace(path: Path, write) -> None:
    replace_with(path, write)
