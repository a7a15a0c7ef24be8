"""Reading an archive: a folder of seed-format articles, or a Parquet / JSON Lines export, streamed.

Every document becomes a :class:`Document`: its id and the bytes of a seed file (header line,
then text), which is what the ledger hashes and what a worker parses with the briefing's own
``parse_source``. A document that cannot be read carries its ``problem`` instead and ends in the
errors table; only problems with the whole input (no such file, a missing column, not Parquet)
raise :class:`InputError`. Nothing holds more than one Parquet record batch or one line at a time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import InputError, first_line
from ..inputs.sources import MAX_SOURCE_BYTES, seed_bytes

COLUMNS = ("id", "published", "outlet", "authors", "text")
# An id names the file `corpus select` writes, so it must be a safe file name.
DOCUMENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
FORMATS = "a folder of seed-format *.txt articles, a .parquet file or a .jsonl file"


@dataclass(frozen=True)
class Document:
    """One archive document as read: the bytes of a seed file, or the problem that stopped it."""

    doc_id: str
    where: str
    raw: bytes = b""
    problem: str = ""

    @cached_property  # the ledger, the engines and the errors table all ask
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest() if not self.problem else ""


class Archive:
    """An input of documents, streamed in order; ``size`` when known without reading it all."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise InputError(self.path, "no such file or folder", fix=f"give {FORMATS}")
        if self.path.is_dir():
            self.kind = "folder"
        elif self.path.suffix == ".parquet":
            self.kind = "parquet"
            self._check_parquet()
        elif self.path.suffix in (".jsonl", ".ndjson"):
            self.kind = "jsonl"
            for _ in self._jsonl():  # the first record stands for the export's columns
                break
        else:
            raise InputError(self.path, f"unknown input format {self.path.suffix or '(no suffix)'!r}",
                             fix=f"give {FORMATS}")

    @property
    def size(self) -> int | None:
        if self.kind == "folder":
            return sum(1 for _ in self._article_names())
        if self.kind == "parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(self.path).metadata.num_rows
        return None

    def documents(self) -> Iterator[Document]:
        reader = {"folder": self._folder, "parquet": self._parquet, "jsonl": self._jsonl}[self.kind]
        return reader()

    # -- a folder of seed files ------------------------------------------------------------------

    def _article_names(self) -> list[str]:
        with os.scandir(self.path) as entries:
            return sorted(e.name for e in entries if e.name.endswith(".txt"))

    def _folder(self) -> Iterator[Document]:
        for name in self._article_names():
            path = self.path / name
            yield _read_file(path, Path(name).stem, f"{self.path.name}/{name}")

    # -- tables: Parquet and JSON Lines -----------------------------------------------------------

    def _check_parquet(self) -> None:
        import pyarrow.parquet as pq

        try:
            names = pq.ParquetFile(self.path).schema_arrow.names
        except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
            raise InputError(self.path, f"not a readable Parquet file ({first_line(exc)})",
                             fix="export the archive as Parquet or JSON Lines") from None
        _require_columns(self.path, names, line=None)

    def _parquet(self) -> Iterator[Document]:
        import pyarrow.parquet as pq

        row = 0
        for batch in pq.ParquetFile(self.path).iter_batches(batch_size=1024, columns=list(COLUMNS)):
            for record in batch.to_pylist():
                row += 1
                yield _from_record(record, f"{self.path.name}:row {row}", f"{self.path.name}:row{row}")

    def _jsonl(self) -> Iterator[Document]:
        checked = False
        with self.path.open("rb") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                where = f"{self.path.name}:{number}"
                try:  # invalid UTF-8 survives as surrogates, so the record's id can still be read
                    record = json.loads(line.decode("utf-8", "surrogateescape"))
                except json.JSONDecodeError as exc:
                    yield Document(where, where, problem=f"not a JSON object ({exc.msg})")
                    continue
                except RecursionError:  # arrays or objects nested thousands deep: no article
                    yield Document(where, where, problem="not a JSON object (nested too deep)")
                    continue
                if not isinstance(record, dict):
                    yield Document(where, where, problem="not a JSON object")
                    continue
                if not checked:  # the first record stands for the export's columns
                    _require_columns(self.path, list(record), line=number)
                    checked = True
                yield _from_record(record, where, where)


def _require_columns(path: Path, names: list[str], line: int | None) -> None:
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        found = ", ".join(names) or "none"
        raise InputError(path, f"missing column(s) {', '.join(missing)} (found: {found})",
                         line=line, fix=f"export the columns {', '.join(COLUMNS)}")


def _read_file(path: Path, doc_id: str, where: str) -> Document:
    """A seed file's bytes, with the checks ``read_source`` makes before parsing."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return Document(doc_id, where, problem="not a regular file (a folder, pipe or device)")
        with path.open("rb") as handle:
            raw = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        return Document(doc_id, where, problem=f"unreadable: {exc.strerror or exc}")
    if len(raw) > MAX_SOURCE_BYTES:
        return Document(doc_id, where, problem=f"larger than the {MAX_SOURCE_BYTES // 2**20} MB limit "
                                               "for one article")
    return Document(doc_id, where, raw)


def _from_record(record: dict, fallback_id: str, where: str) -> Document:
    doc_id = record.get("id")
    doc_id = str(doc_id) if doc_id is not None and str(doc_id).strip() else fallback_id
    missing = [c for c in COLUMNS if record.get(c) is None]
    if missing:
        return Document(doc_id, where, problem=f"no {', '.join(missing)}")
    if not DOCUMENT_ID.fullmatch(doc_id):
        return Document(doc_id, where, problem="id must be letters, digits, '.', '_' or '-' (it names "
                                               "a file), at most 200 characters")
    try:
        published = _date(record["published"])
    except ValueError:
        return Document(doc_id, where, problem=f"published {record['published']!r} is not a date")
    text = record["text"]
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Document(doc_id, where, problem=f"text is not valid UTF-8 (byte 0x{text[exc.start]:02x} "
                                                   f"at byte {exc.start})")
    outlet = str(record["outlet"]).strip()
    authors = _authors(record["authors"])
    if "\n" in outlet or any("\n" in a for a in authors):
        return Document(doc_id, where, problem="outlet and authors must fit on the header line")
    try:
        raw = seed_bytes(published, authors, outlet, str(text))
    except UnicodeEncodeError:  # surrogates left by the JSON Lines reader: the line was not UTF-8
        return Document(doc_id, where, problem="text is not valid UTF-8")
    if len(raw) > MAX_SOURCE_BYTES:
        return Document(doc_id, where, problem=f"larger than the {MAX_SOURCE_BYTES // 2**20} MB limit "
                                               "for one article")
    return Document(doc_id, where, raw)


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip()[:10])


def _authors(value: object) -> list[str]:
    """A list, or one string with authors separated by ``|``, ``;`` or ``and``."""
    names = value if isinstance(value, list | tuple) else re.split(r"\s*[|;]\s*|\s+and\s+", str(value))
    return [str(n).strip() for n in names if str(n).strip()]
