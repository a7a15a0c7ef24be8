"""The corpus folder's tables: a run's part files merged into month partitions, with DuckDB.

Each table lives in ``TABLE/month=YYYY-MM/`` (hive style), in files named after the run that
wrote them (``run-ID-0.parquet``). At the end of a run, a month that held documents extracted
again or gone from the archive is rewritten: its previous rows less theirs, plus the run's new
rows, sorted by document and row id. A month that only gains new documents gets one more file
and is not rewritten, so a re-run with 1 % new documents writes about 1 % of the data (until a
month holds ``MONTH_FILES`` files: then it is merged into one). Either way the tables hold
exactly the rows of a fresh run. DuckDB sorts within a memory limit and spills to disk beyond
it, so the merge stays bounded whatever the corpus size.

A rewrite is copy-on-write: the merged month is a new file beside the files it replaces, which
stay until the run's manifest has named them as replaced (see ``run.py``). Until that rename, the
run's files are the ones to drop and the old ones stand; after it, the other way round. So a run
stopped anywhere loses nothing, and a table's merge started again (dask runs a task again when
its worker dies) simply writes the same new files again.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..atomic_files import replace_with
from ..facts import syntax
from ..paths import CorpusFolder
from ..stops import reached
from .extract import PARTITIONED, arrow_schema, table_schema

# DuckDB's buffers, and the Parquet writers' row groups (one open writer per month while a table
# is written): both bounded, so the driver's peak does not grow with the corpus.
MEMORY_LIMIT = "160MB"
ROW_GROUP_ROWS = 16_384
ROW_GROUP_BYTES = "16MB"  # and at most this much: 16,384 articles' texts would be 80 MB
SPLIT_BATCH_BYTES = 2**20  # read at a time by the first pass of a large merge (as rows: 200
# articles' texts, or 10,000 mentions): larger batches made DuckDB's streaming hold more
SPLIT_HELD_BYTES = 16 * 2**20  # rows held by month in that pass before the largest month is written
FEW_BYTES = 4 * 2**20  # rows to merge small enough to sort in memory in one go (Parquet's uncompressed
# size, which dictionary-encoded columns make several times smaller than the rows in memory)
# A month that only gains documents gets one more file per run; once it holds this many, the
# next run that adds to it merges them into one, so a corpus kept up to date for months does
# not become thousands of small files that every query must open.
MONTH_FILES = 8
WRITE_THREADS = 2  # writing a small merge's month files
# A month file of a few rows is compressed with snappy, not zstd: zstd's set-up per column costs
# more than compressing a few rows, and a 1 % re-run writes one such file per table and month
# (their writes took a third less time). Larger files keep zstd, whose files are a quarter smaller.
FEW_ROWS_BYTES = 32 * 2**10  # in memory (Arrow): a 1 % re-run at 10,000 documents writes at most 8 KiB


def connect(scratch: Path | None = None, memory_limit: str = MEMORY_LIMIT, threads: int | None = None,
            database: Path | None = None) -> duckdb.DuckDBPyConnection:
    """An embedded DuckDB with a memory limit (and a spill folder when given; ``threads``, else
    one per core), in memory or in the file ``database``."""
    # every table is written sorted by its key, so the order rows arrive in never matters; no
    # progress bars of DuckDB's own on the terminal (a 1,000,000-document merge drew a dozen)
    config: dict = {"memory_limit": memory_limit, "preserve_insertion_order": False}
    if threads:
        config["threads"] = threads
    con = duckdb.connect(str(database) if database else ":memory:", config=config)
    # in a Jupyter kernel without ipywidgets DuckDB refuses to change the setting (and draws none)
    with suppress(duckdb.InvalidInputException):
        con.execute("SET enable_progress_bar = false")
    if scratch is not None:
        scratch.mkdir(parents=True, exist_ok=True)
        con.execute(f"SET temp_directory = {sql_text(str(scratch))}")
    return con


@dataclass(frozen=True)
class RunMerge:
    """What each table's merge of one run reads: the run, the runs whose month files stand (only
    their files are merged: a file of any other run is one no manifest stands on, perhaps still
    being written by a task of a run whose driver died), and the ids whose previous rows go.

    The run's part files and merge scratch live in folders named after the run, so nothing a
    task of an earlier, dead run still writes can reach this one."""

    root: str
    run_id: str
    committed: tuple[str, ...]
    stale: str  # a Parquet file of the ids (``source_id``) whose previous rows must go
    stale_months: tuple[str, ...]  # the months holding them

    @property
    def folder(self) -> CorpusFolder:
        return CorpusFolder(Path(self.root))

    @property
    def parts(self) -> Path:
        return self.folder.run_parts(self.run_id)

    @property
    def scratch(self) -> Path:
        return self.folder.run_scratch(self.run_id)

    def month_files(self, table: str, month: str) -> list[Path]:
        """A month's files that stand."""
        return sorted(p for p in self.folder.month(table, month).glob("*.parquet")
                      if run_of(p) in self.committed)


def merge_plan(merge: RunMerge, side_by_side: bool = False) -> list[tuple]:
    """The run's merge as calls of ``merge_tables``: one for every table, or with
    ``side_by_side`` one per table, largest first. The tables are independent, so an engine with
    several workers may run them side by side (on dask, on the workers, which see the folder
    already), and the largest starting first keeps the last one from running alone; one call
    saves an engine that runs them one after another a DuckDB per table (20 ms each, a fifth of a
    small re-run's merge).

    Each table's merge rewrites the months holding stale rows and adds the new rows of the
    others as new files."""
    def parts_bytes(table: str) -> int:
        return sum(p.stat().st_size for p in merge.parts.glob(f"*/{table}.parquet"))

    tables = sorted(PARTITIONED, key=lambda table: (-parts_bytes(table), table))
    groups = [[table] for table in tables] if side_by_side else [tables]
    return [(merge, group, side_by_side) for group in groups]


def merge_tables(merge: RunMerge, tables: list[str], side_by_side: bool = False) -> list[str]:
    """Some tables' merge (see ``merge_plan``), with a DuckDB and a spill folder of their own;
    returns the files the run replaces (relative to the folder), to be removed once it commits.

    The parser's memory is let go first (``syntax.release``): on a worker that extracted, it sat
    beside DuckDB's. Merges run side by side (one per worker) take one DuckDB thread each, so that
    between them they use as many threads as the workers have cores, each DuckDB holding one
    thread's buffers rather than one per core.

    Started again after being cut off (a worker died), a merge first removes what its earlier
    start wrote, then does the same again: the files it replaces are still there and still the
    same, since nothing is removed before the run commits."""
    spill = merge.scratch / f"spill-{tables[0]}"
    for table in tables:
        for path in merge.folder.table(table).glob(f"month=*/{run_file(merge.run_id, '*')}"):
            path.unlink()  # written by an earlier start of this merge
        shutil.rmtree(merge.scratch / table, ignore_errors=True)
    shutil.rmtree(spill, ignore_errors=True)
    syntax.release()
    databases = MergeDatabases(spill, 1 if side_by_side else None, merge.stale)
    con = databases.open()
    replaced: list[str] = []
    try:
        for table in tables:
            replaced += _merge_table(con, databases, merge, table)
            shutil.rmtree(merge.scratch / table, ignore_errors=True)
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    return replaced


@dataclass(frozen=True)
class MergeDatabases:
    """How a merge opens its DuckDBs: one for the whole merge, and one of its own for the first
    pass of a large table's (``_split``), closed before the sorts start. DuckDB keeps what it
    learnt of every file a connection read until the connection closes: the split reads every
    part file of the run (5,000 of them at 1,000,000 documents), and what it kept, some 50 MB,
    sat under the sorts' buffers at a worker's peak."""

    spill: Path
    threads: int | None
    stale: str  # the ``stale`` view's file (see RunMerge)
    memory_limit: str = MEMORY_LIMIT

    def open(self) -> duckdb.DuckDBPyConnection:
        con = connect(self.spill, self.memory_limit, threads=self.threads)
        con.execute(f"CREATE VIEW stale AS SELECT source_id FROM read_parquet({sql_text(self.stale)})")
        return con


def run_file(run_id: str, number: int | str = 0) -> str:
    """The name of a month file a run writes: the run's id in it says whether it stands (the
    manifest lists the runs whose files do)."""
    return f"run-{run_id}-{number}.parquet"


def run_of(path: Path) -> str:
    """The id of the run that wrote a month file (``run-ID-N.parquet``); empty for another name."""
    parts = path.name.split("-")
    return parts[1] if len(parts) == 3 and parts[0] == "run" else ""


def _merge_table(con: duckdb.DuckDBPyConnection, databases: MergeDatabases, merge: RunMerge,
                 table: str) -> list[str]:
    folder = merge.folder
    parts = sorted(str(p) for p in merge.parts.glob(f"*/{table}.parquet"))
    new_months = set()
    if parts:
        new_months = {m for (m,) in con.execute(
            f"SELECT DISTINCT month FROM read_parquet({sql_list(parts)})").fetchall()}
    standing = {m: merge.month_files(table, m) for m in new_months | set(merge.stale_months)}
    existing = {m for m, files in standing.items() if files}
    crowded = {m for m in existing & new_months if len(standing[m]) >= MONTH_FILES}
    rewritten = sorted((existing & set(merge.stale_months)) | crowded)
    added = sorted(new_months - set(rewritten))
    schema = table_schema(table)
    columns = ", ".join(ident(c) for c in schema.columns)
    key = ", ".join(ident(c) for c in dict.fromkeys(["source_id", *schema.primary_key]))
    new_rows = f"SELECT {columns}, month FROM read_parquet({sql_list(parts)})" if parts else ""
    name = run_file(merge.run_id)
    replaced: list[str] = []
    writes = []
    if rewritten:
        old_files = [str(p) for m in rewritten for p in standing[m]]
        selects = [f"SELECT {columns}, month FROM read_parquet({sql_list(old_files)}, "
                   "hive_partitioning = true, hive_types = {'month': VARCHAR}) "
                   "WHERE source_id NOT IN (SELECT source_id FROM stale)"]  # a month with files
        if new_rows:
            selects.append(f"SELECT * FROM ({new_rows}) WHERE month IN ({sql_values(rewritten)})")
        writes.append((rewritten, " UNION ALL ".join(selects), old_files + parts))
        replaced += [Path(p).relative_to(folder.root).as_posix() for p in old_files]
    if added:
        writes.append((added, f"SELECT * FROM ({new_rows}) WHERE month IN ({sql_values(added)})", parts))
    for months, rows, files in writes:
        staging = _write(con, databases, merge.scratch / table, table, rows, key, name, months,
                         _size(files))
        for month in months:
            merged = staging / f"month={month}" / name
            if merged.is_file():  # a month whose rows are all gone gets no file
                target = folder.month(table, month)
                target.mkdir(parents=True, exist_ok=True)
                merged.rename(target / name)
                reached("month written")
    return replaced


def remove_month_files(folder: CorpusFolder, files: list[str]) -> None:
    """Month files (relative to the folder) no run stands on any more, and the months they leave
    empty: after a commit, those the run replaced; before a run, those of a run that never
    committed."""
    for relative in files:
        path = folder.root / relative
        path.unlink(missing_ok=True)
        with suppress(OSError):
            path.parent.rmdir()  # only when empty: a month whose rows are all gone


def _write(con: duckdb.DuckDBPyConnection, databases: MergeDatabases, scratch: Path, table: str,
           rows: str, key: str, name: str, months: list[str], size: tuple[int, int]) -> Path:
    """Rows written sorted into a staging folder in ``scratch``, one sub-folder per month
    holding a file ``name``.

    Two passes, each bounded: the rows split by month as they come (``_split``: no sort, and at
    most ``SPLIT_HELD_BYTES`` held), then each month sorted on its own (one sort and one open
    writer at a time).
    Sorting everything in one partitioned COPY ran out of its memory at 100,000 documents;
    filtering the whole input once per month read it thirty times. ``size`` is the rows' count
    and uncompressed bytes: when the bytes are at most ``FEW_BYTES`` (a re-run's new documents),
    one sort in memory and a write per month cost less than two passes of statements per month."""
    staging = scratch / "merged"
    split = scratch / "split"
    for path in (staging, split):
        shutil.rmtree(path, ignore_errors=True)
    rows_in, bytes_in = size
    if bytes_in <= FEW_BYTES:
        data = con.sql(f"SELECT * FROM ({rows}) ORDER BY month, {key}").to_arrow_table()
        schema = arrow_schema(table_schema(table))

        def write(month_rows: tuple[str, pa.Table]) -> None:
            month, rows_of_month = month_rows
            out = staging / f"month={month}"
            out.mkdir(parents=True)
            compression = "snappy" if rows_of_month.nbytes <= FEW_ROWS_BYTES else "zstd"
            pq.write_table(rows_of_month.cast(schema), out / name, compression=compression,
                           row_group_size=ROW_GROUP_ROWS)

        # a month whose rows are all gone is gone; a small file costs more to open and close than
        # to fill (1.3 ms), much of it without the GIL: on two threads a re-run's writes (one file
        # per table and month) took 40 % less time
        with ThreadPoolExecutor(WRITE_THREADS) as threads:
            list(threads.map(write, _months(data)))
        return staging
    with closing(databases.open()) as reading:
        _split(reading, rows, split,
               batch_rows=min(max(SPLIT_BATCH_BYTES * rows_in // max(bytes_in, 1), 1024), 2**17))
    pa.default_memory_pool().release_unused()  # the split's batches, before the sorts' buffers
    for month in months:
        files = sorted(str(p) for p in (split / f"month={month}").glob("*.parquet"))
        if not files:  # every row of the month is gone: so is the month
            continue
        out = staging / f"month={month}"
        out.mkdir(parents=True)
        con.execute(f"COPY (SELECT * FROM read_parquet({sql_list(files)}, hive_partitioning = false) "
                    f"ORDER BY {key}) "
                    f"TO {sql_text(str(out / name))} "
                    f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_ROWS}, "
                    f"ROW_GROUP_SIZE_BYTES '{ROW_GROUP_BYTES}')")
    shutil.rmtree(split, ignore_errors=True)
    return staging


def _split(con: duckdb.DuckDBPyConnection, rows: str, split: Path, batch_rows: int) -> None:
    """Pass one: the rows streamed in record batches of ``batch_rows``, each batch's rows copied
    out by month and held until ``SPLIT_HELD_BYTES`` are held, then the month holding most
    appended to its file in ``split/month=M/`` as one row group: a batch and the held rows in
    memory. (A Parquet writer keeps every row group's metadata until it closes: a row group per
    batch and month, 322 batches by 30 months of a 1,000,000-document events table, held 150 MB
    of it. Slices of a batch, rather than copies, would keep whole batches alive; DuckDB's own
    partitioned COPY keeps a writer's buffers per month and ran out of its 160 MB at 300,000
    documents' texts.)"""
    writers: dict[str, pq.ParquetWriter] = {}
    held: dict[str, list[pa.Table]] = {}
    held_bytes: dict[str, int] = {}

    def append(month: str) -> None:
        data = pa.concat_tables(held.pop(month))
        del held_bytes[month]
        if month not in writers:
            path = split / f"month={month}" / "rows.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            writers[month] = pq.ParquetWriter(path, data.schema, compression="none",
                                             write_statistics=False)  # footers stay small
        writers[month].write_table(data, row_group_size=data.num_rows or None)

    try:
        for batch in con.sql(f"SELECT * FROM ({rows})").to_arrow_reader(batch_rows):
            data = pa.Table.from_batches([batch])
            months = data.column("month")
            for month in pc.unique(months).to_pylist():
                copy = data.filter(pc.equal(months, month)).drop_columns(["month"])
                held.setdefault(month, []).append(copy)
                held_bytes[month] = held_bytes.get(month, 0) + copy.nbytes
            del data, months, batch
            while sum(held_bytes.values()) > SPLIT_HELD_BYTES:
                append(max(held_bytes, key=lambda month: held_bytes[month]))
        for month in list(held):
            append(month)
    finally:
        for writer in writers.values():
            writer.close()


def _months(data: pa.Table) -> Iterator[tuple[str, pa.Table]]:
    """Each month's rows of a table sorted by month, without the month column."""
    start = 0
    for count in pc.value_counts(data.column("month")):  # months in order of first appearance
        month, n = count["values"].as_py(), count["counts"].as_py()
        yield month, data.slice(start, n).drop_columns(["month"])
        start += n


def _size(files: list[str]) -> tuple[int, int]:
    """Rows and uncompressed bytes of Parquet files, from their footers."""
    rows = size = 0
    for path in files:
        meta = pq.ParquetFile(path).metadata
        rows += meta.num_rows
        size += sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    return rows, size


def write_table(frame_rows: dict[str, list], table: str, path: Path) -> None:
    """A small unpartitioned table (entities, errors) with its schema's types."""
    data = pa.table(frame_rows, schema=arrow_schema(table_schema(table)))
    replace_with(path, lambda tmp: pq.write_table(data, tmp, compression="zstd"))


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sql_values(values: list[str]) -> str:
    return ", ".join(sql_text(v) for v in values)


def sql_list(values: list[str]) -> str:
    return "[" + ", ".join(sql_text(v) for v in values) + "]"
