"""Sources: news articles in ``seeds/``, read exactly as written.

Every offset elsewhere in the project is a Python string index into ``Source.text``
(the body after the header line), so evidence can always be checked with
``source.text[start:end]``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..paths import shown_path
from .calendar_words import WEEKDAYS, ZONES
from .opening import Dateline, display_lines, find_dateline
from .provenance import NO_PROVENANCE, SUFFIX, Provenance, read_provenance, seed_of

if TYPE_CHECKING:
    import pandas as pd

# The outlet follows the byline's last comma; an outlet that holds a comma itself ("Dawn,
# Karachi") is written in double quotes, as `corpus select` writes it.
HEADER = re.compile(
    r"^[ \t]*date[ \t]+(?P<date>.+?)[ \t]+By[ \t]+(?P<byline>.+?),[ \t]*"
    r"(?:\"(?P<quoted>[^\"]+)\"|(?P<outlet>[^,]+?))[ \t]*$"
)
HEADER_FORMAT = "' date YYYY-MM-DD By AUTHOR and AUTHOR, OUTLET'"


ANONYMOUS = "Staff"  # the byline of an article without authors: the header needs one


def header_outlet(outlet: str) -> str:
    """An outlet as the header writes it: in double quotes when it holds a comma."""
    return f'"{outlet}"' if "," in outlet else outlet


def seed_bytes(published: dt.date, authors: list[str] | tuple[str, ...], outlet: str, text: str) -> bytes:
    """An article as a seed file: the header line, a newline, the text (``corpus select`` and
    ``add`` write exactly these bytes)."""
    byline = " and ".join(authors) or ANONYMOUS
    return f" date {published.isoformat()} By {byline}, {header_outlet(outlet)}\n{text}".encode()


PARAGRAPH_BREAK = re.compile(r"(?:\r?\n)[ \t]*(?:\r?\n)+")
# A sentence ends at . ! or ? (optionally followed by a closing quote or bracket)
# when whitespace and an opening quote, bracket, digit or capital letter follow.
SENTENCE_END = re.compile(r"[.!?][\"”’)]*(?=\s+[\"“‘(A-Z0-9])")
# A news article is tens of kilobytes; a file this large is a mistake (a data dump, a PDF saved
# as text) and would make every step slow.
MAX_SOURCE_BYTES = 5 * 1024 * 1024
ABBREVIATIONS = ("a.m.", "p.m.", "Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "St.", "U.S.", "U.K.",
                 "No.", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.", "vs.", "e.g.",
                 "i.e.", "Gen.", "Lt.", "Col.", "Sen.", "Rep.", "Inc.", "Co.", "Corp.", "Ltd.")


@dataclass(frozen=True)
class Span:
    """A stretch of a source's body: ``text == source.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Source:
    source_id: str
    path: Path
    published: dt.date
    authors: tuple[str, ...]
    outlet: str
    sha256: str
    header: str
    body_offset: int
    text: str = field(repr=False)
    provenance: Provenance | None = field(default=None, repr=False)  # the sidecar of a page read from the web

    @cached_property
    def paragraphs(self) -> tuple[Span, ...]:
        return tuple(_paragraphs(self.text))

    @cached_property
    def paragraph_starts(self) -> list[int]:
        return [p.start for p in self.paragraphs]

    @cached_property
    def sentences(self) -> tuple[Span, ...]:
        return tuple(s for p in self.paragraphs for s in _sentences(self.text, p))

    @cached_property
    def sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    @cached_property
    def display(self) -> tuple[Span, ...]:
        """A headline and standfirst above the text, when the article keeps them."""
        count = display_lines(self.text, [(p.start, p.end) for p in self.paragraphs])
        return self.paragraphs[:count]

    @cached_property
    def dateline(self) -> Dateline | None:
        """``BEIJING, Nov. 25 (Xinhua) --`` and the like, opening the first paragraph of text."""
        rest = self.paragraphs[len(self.display):]
        return find_dateline(self.text, rest[0].start, rest[0].end) if rest else None

    @property
    def dateline_place(self) -> str:
        return self.dateline.place if self.dateline else ""

    @property
    def dateline_outlet(self) -> str:
        return self.dateline.outlet if self.dateline else ""

    def sentence_at(self, offset: int) -> Span:
        i = bisect.bisect_right(self.sentence_starts, offset) - 1  # sentences are in order
        if i >= 0 and self.sentences[i].start <= offset < self.sentences[i].end:
            return self.sentences[i]
        raise IndexError(f"{self.source_id}: offset {offset} is not inside a sentence")


def _paragraphs(text: str) -> Iterator[Span]:
    position = 0
    for brk in [*PARAGRAPH_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        chunk = text[position:end]
        stripped = chunk.strip()
        if stripped:
            start = position + chunk.index(stripped)
            yield Span(start, start + len(stripped), stripped)
        if brk:
            position = brk.end()


def _sentences(text: str, paragraph: Span) -> Iterator[Span]:
    start = paragraph.start
    for match in SENTENCE_END.finditer(text, paragraph.start, paragraph.end):
        end = match.end()
        if text[start:end].endswith(ABBREVIATIONS) and not text[start:end].endswith(("p.m.", "a.m.")):
            continue
        if text[start:end].endswith(("p.m.", "a.m.")) and not _next_starts_sentence(text, end):
            continue
        yield _trimmed(text, start, end)
        start = end
        while start < paragraph.end and text[start].isspace():
            start += 1
    if start < paragraph.end:
        yield _trimmed(text, start, paragraph.end)


def _next_starts_sentence(text: str, end: int) -> bool:
    """After a.m./p.m. a new sentence starts only with a capitalised word that is no weekday."""
    following = text[end:end + 40].lstrip()
    return bool(following) and following[0].isupper() and not following.startswith(
        (*ZONES, "local", *WEEKDAYS))


def _trimmed(text: str, start: int, end: int) -> Span:
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, text[start:end])


def read_source(path: Path) -> Source:
    """Read one seed file; raise :class:`InputError` naming the file and line when it is unusable."""
    path = Path(path)
    try:
        info = path.stat()
    except OSError:
        raise InputError(path, "is a link to nothing (its target is missing)", line=1,
                         fix="remove the link, or copy the article itself into seeds/") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "is not a regular file (a folder, pipe or device)", line=1,
                         fix="save the article as a plain text file, or move this out of seeds/")
    with path.open("rb") as handle:  # never more than the limit, whatever the size says
        raw = handle.read(MAX_SOURCE_BYTES + 1)
    if len(raw) > MAX_SOURCE_BYTES:
        size = max(info.st_size, len(raw))
        raise InputError(path, f"{size / 1024 / 1024:.1f} MB is larger than the "
                               f"{MAX_SOURCE_BYTES // 1024 // 1024} MB limit for one article", line=1,
                         fix="check that this is a single news article saved as text")
    return parse_source(raw, path, read_provenance(path))


def parse_source(raw: bytes, path: Path, provenance: Provenance | None = None) -> Source:
    """A source from the bytes of a seed file (header line, then the text), wherever they were
    read from; ``path`` names it (its stem is the id). Raises :class:`InputError` as ``read_source``."""
    if not raw.strip():
        raise InputError(path, "the file is empty", line=1,
                         fix=f"put the article in it with a header line {HEADER_FORMAT}")
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(path, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte {exc.start})",
                         line=line, fix="re-save the file as UTF-8") from None
    decoded = decoded.removeprefix("\ufeff")
    newline = decoded.find("\n")
    header_line = decoded if newline < 0 else decoded[:newline]
    body_offset = len(decoded) if newline < 0 else newline + 1
    match = HEADER.match(header_line.rstrip("\r"))
    if not match:
        raise InputError(path, f"first line is not a header like {HEADER_FORMAT}", line=1,
                         fix="add or correct the header line")
    try:
        published = dt.date.fromisoformat(match["date"])
    except ValueError:
        raise InputError(path, f"header date {match['date']!r} is not a real YYYY-MM-DD date",
                         line=1, fix="correct the date in the header line") from None
    _warn_if_implausible(path, published)
    body = decoded[body_offset:]
    if not body.strip():
        raise InputError(path, "the article has a header but no text", line=2,
                         fix="add the article text below the header line")
    return Source(
        source_id=path.stem,
        path=path,
        published=published,
        authors=split_byline(match["byline"]),
        outlet=(match["quoted"] if match["quoted"] is not None else match["outlet"]).strip(),
        sha256=hashlib.sha256(raw).hexdigest(),
        header=header_line.rstrip("\r"),
        body_offset=body_offset,
        text=body,
        provenance=provenance,
    )


def split_byline(byline: str) -> tuple[str, ...]:
    parts = re.split(r",\s*|\s+and\s+", byline.strip())
    return tuple(p.strip() for p in parts if p.strip())


EARLIEST_PLAUSIBLE = dt.date(1957, 1, 1)  # the space age: no source on this story is older


def _warn_if_implausible(path: Path, published: dt.date) -> None:
    """A real but unlikely date (a typo such as 2099) is accepted, with a warning naming it."""
    import warnings

    today = dt.date.today()
    if published > today or published < EARLIEST_PLAUSIBLE:
        when = f"after today ({today})" if published > today else f"before {EARLIEST_PLAUSIBLE.year}"
        warnings.warn(f"{shown_path(path)}:1: header date {published} is {when} — check the date in the "
                      "header line", stacklevel=3)


def load_sources(seeds_dir: Path, until: str | None = None) -> list[Source]:
    """Every ``*.txt`` in the seeds folder, in file-name order (stable ids, stable tables); with
    ``until`` (an edition's date), only those published by then."""
    seeds_dir = Path(seeds_dir)
    if not seeds_dir.is_dir():
        raise InputError(seeds_dir, "the seeds folder does not exist",
                         fix="create it and put at least one article in it")
    paths = sorted(seeds_dir.glob("*.txt"))
    if not paths:
        raise InputError(seeds_dir, "no *.txt articles found", fix="add an article to seeds/")
    project = seeds_dir.resolve().parent
    for path in paths:
        if path.is_symlink() and not path.resolve().is_relative_to(project):
            raise InputError(path, f"is a link to {path.resolve()}, outside the project", line=1,
                             fix="copy the article into seeds/ instead, so the project holds its sources")
    sources = [read_source(p) for p in paths]
    _warn_of_orphan_sidecars(seeds_dir)
    if until:
        sources = [s for s in sources if s.published.isoformat() <= until]
        if not sources:
            raise InputError(seeds_dir, f"no source was published by {until}",
                             fix="choose a later --as-of date")
    return sources


def _warn_of_orphan_sidecars(seeds_dir: Path) -> None:
    """A provenance sidecar whose article is gone says nothing; it is probably a leftover."""
    import warnings

    for sidecar in sorted(seeds_dir.glob(f"*{SUFFIX}")):
        if not seed_of(sidecar).exists():
            warnings.warn(f"{shown_path(sidecar)}:1: no {seed_of(sidecar).name} beside this provenance "
                          "sidecar — delete it, or put the article back", stacklevel=3)


def sources_frame(sources: list[Source], root: Path | None = None) -> pd.DataFrame:
    """One row per source: the ``sources`` table of the data package."""
    from ..datapackage import TABLES_BY_NAME  # pandas, only when a table is asked for

    def shown(path: Path) -> str:  # never an absolute path: the table must not depend on the machine
        relative = shown_path(path, root) if root is not None else path.name
        return path.name if Path(relative).is_absolute() else relative

    return TABLES_BY_NAME["sources"].frame({
        "source_id": s.source_id, "path": shown(s.path), "published": s.published.isoformat(),
        "outlet": s.outlet, "authors": "|".join(s.authors), "sha256": s.sha256,
        "body_offset": s.body_offset, "characters": len(s.text), "paragraphs": len(s.paragraphs),
        "sentences": len(s.sentences), "dateline_place": s.dateline_place,
        "dateline_outlet": s.dateline_outlet,
        **(s.provenance.as_row() if s.provenance else NO_PROVENANCE),
    } for s in sources)
