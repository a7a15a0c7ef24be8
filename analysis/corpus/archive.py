"""Reading an archive (seed files, a Parquet / JSON Lines export, WARC files), streamed.

The input is a folder of seed-format articles, an export, or WARC files (a crawl, such as Common
Crawl's CC-NEWS). Every document becomes a :class:`Document`: its id and the bytes of a seed
file (header line, then text), which is what the ledger hashes and what a worker parses with the
briefing's own ``parse_source``; a WARC record's document holds the page's bytes instead (``page``), which the
worker turns into an article (``inputs/pages.py``), so the text extraction runs on the workers,
not in the driver. Provenance (``url``, ``retrieved``, ``original_sha256``) comes from a WARC
record's target URI and WARC-Date, optional columns of an export, or a seed's sidecar. A document
that cannot be read carries its ``problem`` instead and ends in the errors table; only problems
with the whole input (no such file, a missing column, not Parquet, a truncated or oversized WARC
record) raise :class:`InputError`, and a WARC input is checked whole before anything is written.
Nothing holds more than one Parquet record batch, one line or one WARC record at a time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import InputError, first_line
from ..inputs.pages import MAX_PAGE_BYTES
from ..inputs.provenance import FIELDS as PROVENANCE
from ..inputs.provenance import provenance_problem, read_provenance
from ..inputs.sources import MAX_SOURCE_BYTES, seed_bytes

COLUMNS = ("id", "published", "outlet", "authors", "text")
WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")
# An id names the file `corpus select` writes, so it must be a safe file name.
DOCUMENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
FORMATS = ("a folder of seed-format *.txt articles or of WARC files, a .parquet file, a .jsonl file or a "
           ".warc / .warc.gz file")


@dataclass(frozen=True)
class Document:
    """One archive document as read: the bytes of a seed file, or the problem that stopped it."""

    doc_id: str
    where: str
    raw: bytes = b""
    problem: str = ""
    page: bool = False  # ``raw`` is a web page's bytes (a WARC record), not a seed file's
    url: str = ""
    retrieved: str = ""
    original_sha256: str = ""

    @cached_property  # the ledger, the engines and the errors table all ask
    def sha256(self) -> str:
        """What the ledger compares between runs: the bytes, and the provenance when there is one."""
        if self.problem:
            return ""
        digest = hashlib.sha256(self.raw)
        if self.page or self.url or self.retrieved or self.original_sha256:
            digest.update(f"\0{self.page}\0{self.url}\0{self.retrieved}\0{self.original_sha256}".encode())
        return digest.hexdigest()


class Archive:
    """An input of documents, streamed in order; ``size`` when known without reading it all."""

    def __init__(self, path: Path, scanning: Callable[[int, int], None] | None = None) -> None:
        """``scanning(done, total)``: bytes of WARC input checked so far, for a progress bar."""
        self.path = Path(path)
        self._pages: int | None = None
        if not self.path.exists():
            raise InputError(self.path, "no such file or folder", fix=f"give {FORMATS}")
        if self.path.is_dir():
            self.kind = "folder"
            if self._warc_files():
                self._pages = scan_warcs(self._warc_files(), scanning)
        elif self.path.name.endswith(WARC_SUFFIXES):
            self.kind = "warc"
            self._pages = scan_warcs([self.path], scanning)
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
        if self.kind == "warc":
            return self._pages
        if self.kind == "folder":
            return sum(1 for _ in self._article_names()) + (self._pages or 0)
        if self.kind == "parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(self.path).metadata.num_rows
        return None

    def documents(self) -> Iterator[Document]:
        reader = {"folder": self._folder, "parquet": self._parquet, "jsonl": self._jsonl,
                  "warc": lambda: read_warc(self.path)}[self.kind]
        return reader()

    # -- a folder of seed files ------------------------------------------------------------------

    def _article_names(self) -> list[str]:
        with os.scandir(self.path) as entries:
            return sorted(e.name for e in entries if e.name.endswith(".txt"))

    def _warc_files(self) -> list[Path]:
        with os.scandir(self.path) as entries:
            return sorted(self.path / e.name for e in entries if e.name.endswith(WARC_SUFFIXES))

    def _folder(self) -> Iterator[Document]:
        for name in self._article_names():
            path = self.path / name
            yield _read_file(path, Path(name).stem, f"{self.path.name}/{name}")
        for path in self._warc_files():
            yield from read_warc(path, f"{self.path.name}/{path.name}")

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
        names = pq.ParquetFile(self.path).schema_arrow.names
        columns = [*COLUMNS, *(c for c in PROVENANCE if c in names)]
        for batch in pq.ParquetFile(self.path).iter_batches(batch_size=1024, columns=columns):
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
    try:
        provenance = read_provenance(path)  # the sidecar `add` wrote beside it
    except InputError as exc:
        return Document(doc_id, where, problem=f"its provenance sidecar: {exc.problem}")
    if provenance is None:
        return Document(doc_id, where, raw)
    return Document(doc_id, where, raw, url=provenance.url, retrieved=provenance.retrieved,
                    original_sha256=provenance.original_sha256)


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
    given = {f: record.get(f) for f in PROVENANCE if record.get(f) is not None}
    if not given:
        return Document(doc_id, where, raw)
    url, retrieved, original = (str(given.get(f, "")) for f in PROVENANCE)
    problem = provenance_problem(url, retrieved, original)
    if problem:
        return Document(doc_id, where, problem=problem)
    return Document(doc_id, where, raw, url=url, retrieved=retrieved, original_sha256=original)


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


# -- WARC files ------------------------------------------------------------------------------------

def page_id(url: str) -> str:
    """A document id from a page's URL (host and path, as a safe file name): the same page in two
    crawls is the same document, and ``corpus select`` names its seed after it."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    query = f"-{parts.query}" if parts.query else ""
    name = (parts.hostname or "").removeprefix("www.") + parts.path + query
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-._")
    if len(name) > 150 or not name:
        name = f"{name[:130].rstrip('-._')}-{hashlib.sha256(url.encode()).hexdigest()[:12]}".lstrip("-")
    return name


def _is_page(record) -> bool:
    """A response with an HTML body and status 200: what a news article in a crawl is."""
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = (record.http_headers.get_statuscode() or "").strip()
    kind = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return status == "200" and kind in HTML_TYPES


def _warc_problem(path: Path, number: int, problem: str) -> InputError:
    return InputError(path, f"record {number}: {problem}; nothing was read",
                      fix="repair or re-download the WARC file, or leave it out")


def scan_warcs(paths: list[Path], scanning: Callable[[int, int], None] | None = None) -> int:
    """Check WARC files whole before a run starts, and count their pages: a truncated record, or
    a page that is larger than the limit once decompressed (a gzip bomb), stops the input with one
    line before anything is written. Every HTML response is read once, within the limit."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    total = sum(p.stat().st_size for p in paths)
    done, pages = 0, 0
    for path in paths:
        number = 0
        try:  # warcio writes its own warnings to stderr: a damaged record is said here, in one line
            with path.open("rb") as handle, contextlib.redirect_stderr(io.StringIO()):
                records = ArchiveIterator(handle, no_record_parse=False)
                for record in records:
                    number += 1
                    if getattr(record, "format", "warc") != "warc":
                        raise InputError(path, "not a WARC file (an ARC file, or other text)",
                                         fix="give .warc or .warc.gz files as a crawler writes them")
                    if record.length is None or not record.rec_type or records.err_count:
                        raise _warc_problem(path, number, "its headers are damaged or cut off (a truncated "
                                                          "or damaged file)")
                    if not _is_page(record):
                        while record.raw_stream.read(2**20):  # to its end: is it all there?
                            pass
                        if getattr(record.raw_stream, "limit", 0) > 0:
                            raise _warc_problem(path, number, "is cut off (a truncated file)")
                        continue
                    limit = MAX_PAGE_BYTES // 2**20
                    if record.length > MAX_PAGE_BYTES + 65536:
                        raise _warc_problem(path, number, f"declares {record.length / 2**20:.0f} MB, more "
                                                          f"than the {limit} MB limit for a web page")
                    body = record.content_stream().read(MAX_PAGE_BYTES + 1)
                    if len(body) > MAX_PAGE_BYTES:
                        raise _warc_problem(path, number, f"decompresses to more than the {limit} MB limit "
                                                          "for a web page (a gzip bomb?)")
                    record.raw_stream.read(MAX_PAGE_BYTES)  # what is left after the HTTP body's end
                    missing = getattr(record.raw_stream, "limit", 0)
                    if missing > 0:
                        raise _warc_problem(path, number, f"is cut off: {missing:,} of its {record.length:,} "
                                                          "bytes are missing (a truncated file)")
                    pages += 1
                    if scanning:
                        scanning(done + records.offset, total)
                if records.err_count:
                    raise _warc_problem(path, number, "a record's length does not match its content (a "
                                                      "damaged file)")
                if records.offset < path.stat().st_size:
                    raise _warc_problem(path, number + 1, "is cut off before its end (a truncated file)")
        except ArchiveLoadFailed as exc:
            raise InputError(path, f"not a readable WARC file ({first_line(exc)})",
                             fix="give .warc or .warc.gz files as a crawler writes them") from None
        except (OSError, EOFError, ValueError) as exc:
            if isinstance(exc, InputError):
                raise
            raise _warc_problem(path, number, f"cannot be read ({first_line(exc)})") from None
        done += path.stat().st_size
    return pages


def read_warc(path: Path, name: str | None = None) -> Iterator[Document]:
    """Each page of a WARC file as a document holding the page's bytes, its URL and WARC-Date
    (checked by :func:`scan_warcs` first)."""
    from warcio.archiveiterator import ArchiveIterator

    name = name or path.name
    with path.open("rb") as handle:
        for number, record in enumerate(ArchiveIterator(handle), 1):
            if not _is_page(record):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            where = f"{name}:record {number}"
            body = record.content_stream().read(MAX_PAGE_BYTES + 1)
            retrieved = record.rec_headers.get_header("WARC-Date") or ""
            if not url or provenance_problem(url, retrieved, "0" * 64):
                yield Document(where, where, problem="a response without an http(s) WARC-Target-URI and a "
                                                     "WARC-Date")
                continue
            yield Document(page_id(url), where, body, page=True, url=url, retrieved=retrieved)
