"""The corpus folder's tables: a run's part files merged into month partitions, with DuckDB.

Each table lives in ``TABLE/month=YYYY-MM/`` (hive style). At the end of a run, only the months
the run touched are rewritten: their previous rows, less those of the documents extracted again
or gone from the archive, plus the run's new rows, sorted by document and row id. A re-run
therefore holds exactly the rows a fresh run would, in the same order. DuckDB sorts within a
memory limit and spills to disk beyond it, so the merge stays bounded whatever the corpus size.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ..paths import CorpusFolder
from .extract import PARTITIONED, arrow_schema, table_schema

MEMORY_LIMIT = "256MB"


def connect(scratch: Path | None = None, memory_limit: str = MEMORY_LIMIT) -> duckdb.DuckDBPyConnection:
    """An embedded DuckDB with a memory limit (and a spill folder when given)."""
    con = duckdb.connect(config={"memory_limit": memory_limit, "preserve_insertion_order": True})
    if scratch is not None:
        scratch.mkdir(parents=True, exist_ok=True)
        con.execute(f"SET temp_directory = {sql_text(str(scratch))}")
    return con


def merge(folder: CorpusFolder, stale: set[str], stale_months: set[str]) -> None:
    """Rewrite the months the run touched: old rows of untouched documents plus the new parts."""
    con = connect(folder.scratch)
    con.register("stale", pa.table({"source_id": pa.array(sorted(stale), pa.string())}))
    try:
        for table in PARTITIONED:
            _merge_table(con, folder, table, stale_months)
    finally:
        con.close()
        shutil.rmtree(folder.scratch, ignore_errors=True)


def _merge_table(con: duckdb.DuckDBPyConnection, folder: CorpusFolder, table: str,
                 stale_months: set[str]) -> None:
    parts = sorted(str(p) for p in folder.parts.glob(f"*/{table}.parquet"))
    new_months = set()
    if parts:
        new_months = {m for (m,) in con.execute(
            f"SELECT DISTINCT month FROM read_parquet({sql_list(parts)})").fetchall()}
    touched = sorted(new_months | {m for m in stale_months if folder.month(table, m).is_dir()})
    if not touched:
        return
    schema = table_schema(table)
    columns = ", ".join(ident(c) for c in schema.columns)
    key = ", ".join(ident(c) for c in dict.fromkeys(["source_id", *schema.primary_key]))
    old_files = sorted(str(p) for m in touched for p in folder.month(table, m).glob("*.parquet"))
    selects = []
    if old_files:
        selects.append(f"SELECT {columns}, month FROM read_parquet({sql_list(old_files)}, "
                       "hive_partitioning = true, hive_types = {'month': VARCHAR}) "
                       "WHERE source_id NOT IN (SELECT source_id FROM stale)")
    if parts:
        selects.append(f"SELECT {columns}, month FROM read_parquet({sql_list(parts)})")
    staging = folder.scratch / "merged" / table
    shutil.rmtree(staging, ignore_errors=True)
    staging.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY (SELECT * FROM ({' UNION ALL '.join(selects)}) ORDER BY month, {key}) "
                f"TO {sql_text(str(staging))} (FORMAT parquet, PARTITION_BY (month), "
                "COMPRESSION zstd, FILENAME_PATTERN 'part{i}')")
    for month in touched:
        target = folder.month(table, month)
        shutil.rmtree(target, ignore_errors=True)
        merged = staging / f"month={month}"
        if merged.is_dir():
            target.parent.mkdir(parents=True, exist_ok=True)
            merged.rename(target)


def write_table(frame_rows: dict[str, list], table: str, path: Path) -> None:
    """A small unpartitioned table (entities, errors) with its schema's types."""
    data = pa.table(frame_rows, schema=arrow_schema(table_schema(table)))
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(data, tmp, compression="zstd")
    tmp.replace(path)


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sql_list(values: list[str]) -> str:
    return "[" + ", ".join(sql_text(v) for v in values) + "]"
