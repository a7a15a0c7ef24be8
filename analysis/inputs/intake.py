"""``analysis add``: saved pages, URLs, feeds and plain texts become seeds, with their provenance.

Everything given is read (and fetched) first, and each article is checked as the seed it will be
(``parse_source``), before anything is written: one bad input stops the whole add with one line,
and ``seeds/`` is left as it was. Then each article is compared with the sources already there
(``copies.py``): the same URL or text is skipped with a note, a syndicated copy is added and said
to be one. A seed is named from its date and a slug of its headline; its provenance goes to the
sidecar beside it (``provenance.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic_files import write_bytes
from ..errors import InputError
from ..paths import shown_path, slug
from .copies import Copy, Library
from .feeds import looks_like_feed, read_feed
from .pages import MAX_PAGE_BYTES, Article, Metadata, PageProblem, page_problem, read_page
from .provenance import Provenance, sidecar_path, utc_now
from .sources import HEADER, MAX_SOURCE_BYTES, Source, load_sources, parse_source

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
SLUG_CHARS = 60
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


@dataclass(frozen=True)
class Incoming:
    """One article read from what was given, with where it came from (for messages)."""

    origin: str
    article: Article | None = None  # a page or feed item
    raw: bytes = b""  # a plain text's seed bytes (header line first)
    title: str = ""


@dataclass
class Added:
    """What an add did, in the order the articles were given."""

    notes: list[tuple[str, Source | None, Copy | None]] = field(default_factory=list)  # origin, written, copy

    @property
    def sources(self) -> list[Source]:
        return [source for _, source, _ in self.notes if source is not None]


Fetcher = Callable[[str], object]


def add_articles(targets: list[str], seeds: Path, given: Metadata, *, fetcher: Fetcher | None = None,
                 progress: Callable[[str], None] | None = None) -> Added:
    """Read every target, then write the new seeds; :class:`InputError` before writing anything."""
    from .fetch import fetch

    fetcher = fetcher or fetch
    incoming = []
    for target in targets:
        for item in _read_target(target, given, fetcher):
            incoming.append(item)
            if progress:
                progress(item.origin)
    existing = load_sources(seeds) if seeds.is_dir() and any(seeds.glob("*.txt")) else []
    library = Library(existing)
    taken = {p.name for p in seeds.glob("*")} if seeds.is_dir() else set()
    planned: list[tuple[Path, bytes, Provenance | None, Source]] = []
    added = Added()
    for item in incoming:
        raw = item.article.seed_bytes() if item.article else item.raw
        provenance = item.article.provenance if item.article else None
        name = _free_name(_stem(raw, item.article.title if item.article else item.title), taken)
        path = seeds / f"{name}.txt"
        try:
            source = parse_source(raw, path, provenance)
        except InputError as exc:  # what add made must read back; say which input it came from
            raise InputError(item.origin, exc.problem, fix=exc.fix) from None
        copy = library.copy_of(source)
        if copy and copy.kind != "syndicated copy":
            added.notes.append((item.origin, None, copy))
            continue
        taken.add(path.name)
        library.add(source)
        planned.append((path, raw, provenance, source))
        added.notes.append((item.origin, source, copy))
    if planned:
        seeds.mkdir(parents=True, exist_ok=True)
    for path, raw, provenance, _ in planned:
        write_bytes(path, raw)
        if provenance is not None:
            try:
                write_bytes(sidecar_path(path), provenance.json_bytes())
            except BaseException:
                path.unlink(missing_ok=True)  # a seed without the provenance it was read with: not kept
                raise
    return added


def _read_target(target: str, given: Metadata, fetcher: Fetcher) -> Iterator[Incoming]:
    scheme = SCHEME.match(target)
    if scheme and len(scheme.group(1)) > 1 and not Path(target).exists():
        if scheme.group(1).lower() not in ("http", "https"):
            raise InputError(target, "is not an http(s) address", fix="give an http:// or https:// URL, "
                                                                      "or a saved page's file")
        yield from _read_url(target, given, fetcher)
        return
    path = Path(target)
    if not path.exists():
        raise InputError(path, "no such file or folder", fix="give a saved page (.html), a feed (.xml), "
                                                             "a .txt article or a URL")
    if path.is_dir():  # a folder: the pages in it ("Web page, complete" keeps NAME.html and NAME_files/)
        pages = sorted(p for p in path.iterdir() if p.suffix.lower() in PAGE_SUFFIXES and p.is_file())
        if not pages:
            raise InputError(path, "holds no saved page (.html or .htm)", fix="give the saved page's .html")
        for page in pages:
            yield from _read_file(page, given, fetcher)
        return
    yield from _read_file(path, given, fetcher)


def _read_file(path: Path, given: Metadata, fetcher: Fetcher) -> Iterator[Incoming]:
    if not path.is_file():
        raise InputError(path, "is not a regular file", fix="give a saved page, a feed or a .txt article")
    with path.open("rb") as handle:
        raw = handle.read(MAX_PAGE_BYTES + 1)
    where = shown_path(path)
    suffix = path.suffix.lower()
    if suffix == ".txt":
        yield _plain_text(path, raw, given)
        return
    if suffix in FEED_SUFFIXES or (suffix not in PAGE_SUFFIXES and looks_like_feed(raw)):
        yield from _feed_items(where, raw, given, fetcher)
        return
    yield Incoming(where, _page(where, raw, "", utc_now(), given))


def _read_url(url: str, given: Metadata, fetcher: Fetcher, item_of: str = "") -> Iterator[Incoming]:
    """The page or feed at ``url``; ``item_of``: the feed whose item links here, whose link must be
    a page (a feed linking to a feed, or to itself, was followed until Python's recursion limit)."""
    try:
        fetched = fetcher(url)
    except PageProblem as exc:
        raise InputError(url, exc.problem, fix=exc.fix) from None
    if looks_like_feed(fetched.body, fetched.content_type):
        if item_of:
            raise InputError(item_of, f"links to a feed ({url[:80]}), not to an article's page",
                             fix="add that feed itself, or give the articles' pages")
        yield from _feed_items(url, fetched.body, given, fetcher)
        return
    yield Incoming(url, _page(url, fetched.body, fetched.url, fetched.retrieved, given))


def _page(where: str, raw: bytes, url: str, retrieved: str, given: Metadata) -> Article:
    try:
        return read_page(raw, url, retrieved=retrieved, given=given)
    except PageProblem as exc:
        raise InputError(where, exc.problem, fix=exc.fix) from None


def _feed_items(where: str, raw: bytes, given: Metadata, fetcher: Fetcher) -> Iterator[Incoming]:
    """Each item: from its own full text when the feed carries it, else from its page."""
    try:
        feed = read_feed(raw)
    except PageProblem as exc:
        raise InputError(where, exc.problem, fix=exc.fix) from None
    for number, item in enumerate(feed.items, 1):
        origin = f"{where} item {number}"
        if item.content:
            page = f"<html><head><title></title></head><body><article><h1>{_escaped(item.title)}</h1>" \
                   f"{item.content}</article></body></html>".encode()
            meta = Metadata(given.published or item.published, given.authors or item.authors,
                            given.outlet or feed.title)
            article = _page(origin, page, item.link, utc_now(), meta)
            if item.title:  # the item's own title, not one the fragment's markup suggests
                article = Article(" ".join(item.title.split()), article.paragraphs, article.published,
                                  article.authors, article.outlet, article.provenance)
            yield Incoming(origin, article)
        elif item.link:
            for found in _read_url(item.link, given, fetcher, item_of=origin):
                yield Incoming(f"{origin} ({item.link})", found.article)
        else:
            raise InputError(origin, "has neither a full text nor a link", fix="give a feed whose items link "
                                                                               "to their articles")


def _escaped(text: str) -> str:
    import html

    return html.escape(text)


def _plain_text(path: Path, raw: bytes, given: Metadata) -> Incoming:
    """A ``.txt``: as it is when it has a header line, else with one made from the flags."""
    where = shown_path(path)
    if len(raw) > MAX_SOURCE_BYTES:
        raise InputError(path, f"larger than the {MAX_SOURCE_BYTES // 2**20} MB limit for one article",
                         line=1, fix="check that this is a single news article saved as text")
    if page_problem(raw) and b"\x00" in raw[:65536]:
        raise InputError(path, "not a text file (binary data)", line=1, fix="give the article as UTF-8 text")
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte {exc.start})",
                         line=raw[: exc.start].count(b"\n") + 1, fix="re-save the file as UTF-8") from None
    first = text.split("\n", 1)[0].rstrip("\r")
    if HEADER.match(first):
        return Incoming(where, raw=raw, title=text.split("\n", 2)[1] if "\n" in text else path.stem)
    missing = [flag for flag, value in (("--date", given.published), ("--by", given.authors),
                                        ("--outlet", given.outlet)) if not value]
    if missing:
        raise InputError(path, f"has no header line and no {', '.join(missing)} to make one", line=1,
                         fix=f"pass {' '.join(f + ' …' for f in missing)}, or add the header line yourself")
    body = text.strip("\n")
    if not body.strip():
        raise InputError(path, "the file is empty", line=1, fix="put the article's text in it")
    article = Article("", tuple(p for p in re.split(r"\n[ \t]*\n", body) if p.strip()), given.published,
                      given.authors, given.outlet)
    return Incoming(where, raw=article.seed_bytes(), title=body.split("\n", 1)[0])


def _stem(raw: bytes, title: str) -> str:
    """``YYYY-MM-DD_slug-of-the-headline`` (the date from the header line)."""
    header = HEADER.match(raw.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r"))
    date = header["date"] if header else "undated"
    words = slug(title or "article")[:SLUG_CHARS + 1]
    if len(words) > SLUG_CHARS:
        words = words[:SLUG_CHARS].rsplit("-", 1)[0]
    return f"{date}_{words or 'article'}"


def _free_name(stem: str, taken: set[str]) -> str:
    name, number = stem, 1
    while f"{name}.txt" in taken or sidecar_path(Path(f"{name}.txt")).name in taken:
        number += 1
        name = f"{stem}-{number}"
    return name
