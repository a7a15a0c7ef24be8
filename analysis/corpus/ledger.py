"""The ledger: each document's content hash and outcome, and the knowledge version they rest on.

A re-run extracts only the documents whose hash is new or changed; a different knowledge version
(the gazetteer, the vocabulary or the extraction code changed) extracts everything again.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..paths import CorpusFolder

LEDGER_SCHEMA = pa.schema([("id", pa.string()), ("where", pa.string()), ("sha256", pa.string()),
                           ("month", pa.string()), ("error", pa.string())])


@dataclass(frozen=True)
class Entry:
    where: str
    sha256: str
    month: str = ""
    error: str = ""


@dataclass
class Ledger:
    version: str = ""
    entries: dict[str, Entry] = field(default_factory=dict)
    runs: list[str] = field(default_factory=list)  # runs whose added files (run-ID-N.parquet) stand
    running: str = ""  # set while a run is under way: found at the start, the last run was interrupted

    @classmethod
    def load(cls, folder: CorpusFolder) -> Ledger:
        """The last run's ledger; an empty one when there is none (or it cannot be read)."""
        try:
            manifest = json.loads(folder.manifest.read_text(encoding="utf-8"))
            table = pq.read_table(folder.ledger, schema=LEDGER_SCHEMA)
        except (OSError, ValueError, pa.ArrowException):
            return cls()
        columns = [table.column(c).to_pylist() for c in LEDGER_SCHEMA.names]
        entries = {i: Entry(w, s, m, e) for i, w, s, m, e in zip(*columns, strict=True)}
        return cls(str(manifest.get("knowledge_version", "")), entries, list(manifest.get("runs", [])),
                   str(manifest.get("running", "")))

    def mark_running(self, folder: CorpusFolder, run_id: str) -> None:
        """Say in the manifest that a run is under way, before it changes any table."""
        manifest = {"knowledge_version": self.version, "runs": self.runs, "running": run_id}
        if folder.manifest.is_file():
            manifest = {**json.loads(folder.manifest.read_text(encoding="utf-8")), **manifest}
        _replace(folder.manifest, lambda tmp: tmp.write_text(json.dumps(manifest, indent=2) + "\n",
                                                             encoding="utf-8"))

    def save(self, folder: CorpusFolder, summary: dict) -> None:
        """The ledger, then the manifest naming its version: written last, so an interrupted run
        leaves the previous pair (and re-extracts what it had not recorded)."""
        ids = sorted(self.entries)
        rows = [self.entries[i] for i in ids]
        table = pa.table([ids, [r.where for r in rows], [r.sha256 for r in rows], [r.month for r in rows],
                          [r.error for r in rows]], schema=LEDGER_SCHEMA)
        _replace(folder.ledger, lambda tmp: pq.write_table(table, tmp, compression="zstd"))
        manifest = {"knowledge_version": self.version, "runs": self.runs, **summary}
        _replace(folder.manifest, lambda tmp: tmp.write_text(json.dumps(manifest, indent=2) + "\n",
                                                             encoding="utf-8"))


def _replace(path: Path, write) -> None:
    tmp = path.with_name(path.name + ".tmp")
    write(tmp)
    os.replace(tmp, path)
