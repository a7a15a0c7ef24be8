"""The corpus folder's tables: a run's part files merged into month partitions, with DuckDB.

Each table lives in ``TABLE/month=YYYY-MM/`` (hive style). At the end of a run, a month that held
documents extracted again or gone from the archive is rewritten: its previous rows less theirs,
plus the run's new rows, sorted by document and row id. A month that only gains new documents
gets one more file (``run-ID-N.parquet``) and is not rewritten, so a re-run with 1 % new
documents writes about 1 % of the data (until a month holds ``MONTH_FILES`` files: then it is
merged into one). Either way the tables hold exactly the rows of a fresh
run; a month's files are merged into one whenever it is rewritten. DuckDB sorts within a
memory limit and spills to disk beyond it, so the merge stays bounded whatever the corpus size.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..atomic_files import replace_with
from ..errors import InputError
from ..paths import CorpusFolder
from .extract import PARTITIONED, arrow_schema, table_schema
from .stops import reached

# DuckDB's buffers, and the Parquet writers' row groups (one open writer per month while a table
# is written): both bounded, so the driver's peak does not grow with the corpus.
MEMORY_LIMIT = "160MB"
ROW_GROUP_ROWS = 16_384
ROW_GROUP_BYTES = "16MB"  # and at most this much: 16,384 articles' texts would be 80 MB
SPLIT_BATCH_BYTES = 2**20  # read at a time by the first pass of a large merge (as rows: 200
# articles' texts, or 10,000 mentions): larger batches made DuckDB's streaming hold more
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


def connect(scratch: Path | None = None, memory_limit: str = MEMORY_LIMIT) -> duckdb.DuckDBPyConnection:
    """An embedded DuckDB with a memory limit (and a spill folder when given)."""
    # every table is written sorted by its key, so the order rows arrive in never matters
    con = duckdb.connect(config={"memory_limit": memory_limit, "preserve_insertion_order": False})
    if scratch is not None:
        scratch.mkdir(parents=True, exist_ok=True)
        con.execute(f"SET temp_directory = {sql_text(str(scratch))}")
    return con


def merge_plan(folder: CorpusFolder, stale: Path, stale_months: set[str], run_id: str,
               rewrite_all: bool = False, side_by_side: bool = False) -> list[tuple]:
    """The run's merge as calls of ``merge_tables``: one for every table, or with
    ``side_by_side`` one per table, largest first. The tables are independent, so an engine with
    several workers may run them side by side (on dask, on the workers, which see the folder
    already), and the largest starting first keeps the last one from running alone; one call
    saves an engine that runs them one after another a DuckDB per table (20 ms each, a fifth of a
    small re-run's merge).

    Each table's merge rewrites the months holding stale rows (every touched month when
    ``rewrite_all``: after an interrupted run, whose rows may be anywhere) and adds the new rows of
    the others as new files. ``stale`` is a Parquet file of the ids (``source_id``) whose previous
    rows must go."""
    def parts_bytes(table: str) -> int:
        return sum(p.stat().st_size for p in folder.parts.glob(f"*/{table}.parquet"))

    tables = sorted(PARTITIONED, key=lambda table: (-parts_bytes(table), table))
    groups = [[table] for table in tables] if side_by_side else [tables]
    return [(str(folder.root), group, str(stale), sorted(stale_months), run_id, rewrite_all)
            for group in groups]


def merge_tables(root: str, tables: list[str], stale: str, stale_months: list[str], run_id: str,
                 rewrite_all: bool) -> None:
    """Some tables' merge (see ``merge_plan``), with a DuckDB and a spill folder of their own.

    A table's merge runs once per run: dask runs a task again when its worker dies, and a merge
    cut off after renaming some months would add this run's rows to them twice. A second start
    stops instead, and the next run, finding this one unfinished, rewrites what it touched."""
    folder = CorpusFolder(Path(root))
    folder.scratch.mkdir(parents=True, exist_ok=True)
    for table in tables:
        try:
            (folder.scratch / f"merging-{table}").touch(exist_ok=False)
        except FileExistsError:
            raise InputError(folder.root, f"this run's merge of {table} started before and was cut off "
                             "(did a worker die?)", fix="extract again: the next run rewrites the months "
                             "this one touched") from None
    spill = folder.scratch / f"spill-{tables[0]}"
    con = connect(spill)
    con.execute(f"CREATE VIEW stale AS SELECT source_id FROM read_parquet({sql_text(stale)})")
    try:
        for table in tables:
            _merge_table(con, folder, table, set(stale_months), run_id, rewrite_all)
            shutil.rmtree(folder.scratch / table, ignore_errors=True)
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


def _merge_table(con: duckdb.DuckDBPyConnection, folder: CorpusFolder, table: str,
                 stale_months: set[str], run_id: str, rewrite_all: bool) -> None:
    parts = sorted(str(p) for p in folder.parts.glob(f"*/{table}.parquet"))
    new_months = set()
    if parts:
        new_months = {m for (m,) in con.execute(
            f"SELECT DISTINCT month FROM read_parquet({sql_list(parts)})").fetchall()}
    existing = {m for m in new_months | stale_months if folder.month(table, m).is_dir()}
    crowded = {m for m in existing & new_months
               if len(list(folder.month(table, m).glob("*.parquet"))) >= MONTH_FILES}
    rewritten = sorted(existing if rewrite_all else (existing & stale_months) | crowded)
    added = sorted(new_months - set(rewritten))
    schema = table_schema(table)
    columns = ", ".join(ident(c) for c in schema.columns)
    key = ", ".join(ident(c) for c in dict.fromkeys(["source_id", *schema.primary_key]))
    new_rows = f"SELECT {columns}, month FROM read_parquet({sql_list(parts)})" if parts else ""
    old_files = sorted(str(p) for m in rewritten for p in folder.month(table, m).glob("*.parquet"))
    for month in [m for m in rewritten if not old_files and not new_rows]:
        shutil.rmtree(folder.month(table, month))  # left empty by a run stopped as it moved files
    if rewritten and (old_files or new_rows):
        selects = [f"SELECT {columns}, month FROM read_parquet({sql_list(old_files)}, "
                   "hive_partitioning = true, hive_types = {'month': VARCHAR}) "
                   "WHERE source_id NOT IN (SELECT source_id FROM stale)"] if old_files else []
        if new_rows:
            selects.append(f"SELECT * FROM ({new_rows}) WHERE month IN ({sql_values(rewritten)})")
        staging = _write(con, folder, table, " UNION ALL ".join(selects), key, "part0", rewritten,
                         _size(old_files + parts))
        for month in rewritten:
            # the month's files are set aside, not deleted, until the merged month stands in
            # their place: a run stopped in between leaves a copy that the next one puts back
            target = folder.month(table, month)
            aside = set_aside(target)
            if target.is_dir():
                target.rename(aside)
            reached("month set aside")
            merged = staging / f"month={month}"
            if merged.is_dir():
                target.parent.mkdir(parents=True, exist_ok=True)
                merged.rename(target)
            shutil.rmtree(aside, ignore_errors=True)
    if added:
        rows = f"SELECT * FROM ({new_rows}) WHERE month IN ({sql_values(added)})"
        staging = _write(con, folder, table, rows, key, f"run-{run_id}-0", added, _size(parts))
        for month in added:
            target = folder.month(table, month)
            target.mkdir(parents=True, exist_ok=True)
            for path in sorted((staging / f"month={month}").glob("*.parquet")):
                path.rename(target / path.name)


def set_aside(month: Path) -> Path:
    """Where a month's files wait while their merged month replaces them: a hidden name, so no
    reader of ``month=*`` sees them twice."""
    return month.with_name(f".set-aside-{month.name}")


def restore_set_aside(folder: CorpusFolder) -> None:
    """After a run stopped mid-merge: a month set aside whose replacement never arrived is put
    back; one that was replaced is removed."""
    for aside in sorted(folder.root.glob("*/.set-aside-month=*")):
        month = aside.with_name(aside.name.removeprefix(".set-aside-"))
        if month.exists():
            shutil.rmtree(aside)
        else:
            aside.rename(month)


def _write(con: duckdb.DuckDBPyConnection, folder: CorpusFolder, table: str, rows: str, key: str,
           name: str, months: list[str], size: tuple[int, int]) -> Path:
    """Rows written sorted into a staging folder, one sub-folder per month holding ``name``.parquet.

    Two passes, each bounded: the rows split by month as they come (``_split``: no sort, so
    nothing to hold), then each month sorted on its own (one sort and one open writer at a time).
    Sorting everything in one partitioned COPY ran out of its memory at 100,000 documents;
    filtering the whole input once per month read it thirty times. ``size`` is the rows' count
    and uncompressed bytes: when the bytes are at most ``FEW_BYTES`` (a re-run's new documents),
    one sort in memory and a write per month cost less than two passes of statements per month."""
    staging = folder.scratch / table / "merged"
    split = folder.scratch / table / "split"
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
            pq.write_table(rows_of_month.cast(schema), out / f"{name}.parquet", compression=compression,
                           row_group_size=ROW_GROUP_ROWS)

        # a month whose rows are all gone is gone; a small file costs more to open and close than
        # to fill (1.3 ms), much of it without the GIL: on two threads a re-run's writes (one file
        # per table and month) took 40 % less time
        with ThreadPoolExecutor(WRITE_THREADS) as threads:
            list(threads.map(write, _months(data)))
        return staging
    _split(con, rows, split, batch_rows=min(max(SPLIT_BATCH_BYTES * rows_in // max(bytes_in, 1), 1024),
                                             2**17))
    for month in months:
        files = sorted(str(p) for p in (split / f"month={month}").glob("*.parquet"))
        if not files:  # every row of the month is gone: so is the month
            continue
        out = staging / f"month={month}"
        out.mkdir(parents=True)
        con.execute(f"COPY (SELECT * FROM read_parquet({sql_list(files)}, hive_partitioning = false) "
                    f"ORDER BY {key}) "
                    f"TO {sql_text(str(out / f'{name}.parquet'))} "
                    f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_ROWS}, "
                    f"ROW_GROUP_SIZE_BYTES '{ROW_GROUP_BYTES}')")
    shutil.rmtree(split, ignore_errors=True)
    return staging


def _split(con: duckdb.DuckDBPyConnection, rows: str, split: Path, batch_rows: int) -> None:
    """Pass one: the rows streamed in record batches of ``batch_rows``, each batch sorted by month
    and its months' rows appended to their own files in ``split/month=M/``: one batch in memory.
    (Holding rows per month until a few megabytes gathered kept whole batches alive through
    slices of them; DuckDB's own partitioned COPY keeps a writer's buffers per month and ran out
    of its 160 MB at 300,000 documents' texts.)"""
    writers: dict[str, pq.ParquetWriter] = {}
    try:
        for batch in con.sql(f"SELECT * FROM ({rows})").to_arrow_reader(batch_rows):
            for month, data in _months(pa.Table.from_batches([batch]).sort_by("month")):
                if month not in writers:
                    path = split / f"month={month}" / "rows.parquet"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    writers[month] = pq.ParquetWriter(path, data.schema, compression="none",
                                                     write_statistics=False)  # footers stay small
                writers[month].write_table(data)
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
