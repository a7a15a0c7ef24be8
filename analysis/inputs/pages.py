"""Web pages as articles: the main text and metadata of a news page, read with trafilatura.

trafilatura (with htmldate for dates) finds the article's text among navigation, captions,
advertisements and related links, and its title, authors, date and site name in JSON-LD,
OpenGraph, ``<meta>`` tags and bylines; this module only decides what makes a usable article
(English text of some length, a date, an outlet) and writes it in the seed format: the headline,
then the paragraphs, separated by blank lines. No script of a page is ever run: the page is
parsed as markup, never rendered. trafilatura is imported only when a page is read (about 0.1 s
and 40 MB), so commands that read no page never pay for it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .provenance import Provenance, is_web_url
from .sources import MAX_SOURCE_BYTES, seed_bytes

# A news page is tens to hundreds of kilobytes of markup; one of this size is a mistake (a video,
# a dump, a page built to exhaust the parser).
MAX_PAGE_BYTES = 10 * 1024 * 1024
MIN_WORDS = 40  # fewer words of main text: a section front, a gallery, an error page, not an article
# Parts of a page that are never the article, whatever trafilatura makes of them: paywall and
# subscription prompts, share bars, newsletter boxes, related links.
PRUNED = ["//*[contains(@class,'paywall') or contains(@class,'subscribe') or contains(@class,'newsletter')"
          " or contains(@class,'share') or contains(@class,'related') or contains(@class,'promo')]",
          "//aside", "//figcaption"]
# Words that make up a quarter of any English text; under a tenth, the text is not English.
ENGLISH = frozenset("the and of to in a is was for on that said with as by it from at will has have be "
                    "are its his her their an this which who not but were had been".split())
LIVE_TYPES = ("liveblogposting",)


class PageProblem(ValueError):
    """Why a page gives no article: ``problem`` and the ``fix`` (a flag to pass, or what to do)."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(f"{problem} — {fix}")
        self.problem = problem
        self.fix = fix


@dataclass(frozen=True)
class Metadata:
    """What the user says about an article (``--date --by --outlet``): it wins over the page."""

    published: dt.date | None = None
    authors: tuple[str, ...] = ()
    outlet: str = ""


@dataclass(frozen=True)
class Article:
    """An article ready to be a seed: its text, metadata and where it came from."""

    title: str
    paragraphs: tuple[str, ...]
    published: dt.date
    authors: tuple[str, ...]
    outlet: str
    provenance: Provenance | None = field(default=None)

    @property
    def text(self) -> str:
        """The seed's body: a blank line, the headline and each paragraph, blank lines between."""
        return "\n" + "\n\n".join([self.title, *self.paragraphs] if self.title else self.paragraphs) + "\n"

    def seed_bytes(self) -> bytes:
        return seed_bytes(self.published, self.authors, self.outlet, self.text)


def page_problem(raw: bytes) -> str:
    """Why bytes cannot be a web page at all (too large, binary), or ``""``."""
    if len(raw) > MAX_PAGE_BYTES:
        return f"larger than the {MAX_PAGE_BYTES // 2**20} MB limit for a web page"
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"\x00" in raw[:65536] or not head.startswith(b"<"):
        return "not an HTML page (binary data, or text without markup)"
    return ""


def read_page(raw: bytes, url: str = "", *, retrieved: str = "", given: Metadata | None = None) -> Article:
    """The article in a page's bytes; :class:`PageProblem` when there is none to use."""
    problem = page_problem(raw)
    if problem:
        raise PageProblem(problem, "give the saved .html of a news article")
    import trafilatura  # the cost of importing it is paid only by those who read pages

    given = given or Metadata()
    found = trafilatura.bare_extraction(
        raw, url=url or None, with_metadata=True, include_comments=False, include_tables=False,
        include_images=False, favor_precision=True, prune_xpath=PRUNED,
        date_extraction_params={"extensive_search": False, "original_date": True})
    text = (found.text or "") if found is not None else ""
    lines = [_clean(line) for line in text.split("\n")]
    title = _clean(found.title or "") if found is not None else ""
    paragraphs = [p for p in lines if p]
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the headline as the page shows it: written once, on top
    words = sum(len(p.split()) for p in paragraphs)
    if words < MIN_WORDS:
        raise PageProblem(f"no article text found ({words} words of main text)",
                          "give the page of one article, not a section front, gallery or error page")
    declared = _declared_language(raw)
    if not _english(declared, paragraphs):
        said = f"lang={declared}" if declared else "by its words"
        raise PageProblem(f"not in English ({said}): the extractors read English only",
                          "add an English version of the article")
    linked = _json_ld(raw)
    page_url = next((u for u in (found.url if found is not None else "", linked.get("url", ""), url,
                                 _saved_from(raw)) if u and is_web_url(u)), "")
    published = given.published or _date(found.date if found is not None else None)
    if published is None:
        raise PageProblem("no publication date found in the page", "pass --date YYYY-MM-DD")
    outlet = given.outlet or _clean(found.sitename or "") or _host(page_url)
    if not outlet:
        raise PageProblem("no outlet (site name) found in the page", "pass --outlet NAME")
    authors = given.authors or _authors(found.author if found is not None else None) or _authors(
        "; ".join(linked.get("authors", [])))
    if linked.get("live") and linked.get("headline"):
        title = _clean(linked["headline"])  # a live blog's own headline, not its latest update's
    provenance = Provenance(page_url, retrieved, hashlib.sha256(raw).hexdigest())
    article = Article(title, tuple(paragraphs), published, authors, _outlet(outlet), provenance)
    if len(article.seed_bytes()) > MAX_SOURCE_BYTES:
        raise PageProblem(f"the article's text is larger than the {MAX_SOURCE_BYTES // 2**20} MB limit "
                          "for one article", "give the page of one article")
    return article


def _clean(text: str) -> str:
    """One line of text: whitespace collapsed (a header or paragraph never holds a newline)."""
    return " ".join(text.split())


def _outlet(outlet: str) -> str:
    """An outlet the header can hold whole: a double quote would end the quoted form early."""
    return _clean(outlet).replace('"', "'")


def _authors(author: str | None) -> tuple[str, ...]:
    """trafilatura's ``A; B`` (or a byline's ``A and B``) as names; commas would split a name in the
    header, so they go."""
    if not author:
        return ()
    names = re.split(r"\s*;\s*|\s+and\s+|\s*\|\s*", author)
    return tuple(dict.fromkeys(_clean(n.replace(",", " ")) for n in names if _clean(n.replace(",", " "))))


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.")


SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.I)


def _saved_from(raw: bytes) -> str:
    """The address a browser notes at the top of a page it saved (``<!-- saved from url=… -->``)."""
    match = SAVED_FROM.search(raw[:2048])
    return match.group(1).decode("ascii", "replace") if match else ""


LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.I)


def _declared_language(raw: bytes) -> str:
    """The page's declared language (``<html lang>``, else JSON-LD ``inLanguage``), or ``""``."""
    match = LANG.search(raw[:8192])
    if match:
        return match.group(1).decode("ascii").lower()
    return str(_json_ld(raw).get("language", ""))[:2].lower()


def _english(declared: str, paragraphs: list[str]) -> bool:
    if declared:
        return declared == "en"
    words = re.findall(r"[a-z]+", " ".join(paragraphs).lower())
    return bool(words) and sum(w in ENGLISH for w in words) / len(words) >= 0.1


JSON_LD = re.compile(rb"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", re.I | re.S)


def _json_ld(raw: bytes) -> dict:
    """What trafilatura leaves out of the top-level JSON-LD object: a live blog's own headline
    (it takes the latest update's) and its authors, the article's ``url`` and its language."""
    for block in JSON_LD.findall(raw[:2 * 2**20]):
        try:
            data = json.loads(block.decode("utf-8", "replace"))
        except (json.JSONDecodeError, RecursionError):
            continue
        for item in data if isinstance(data, list) else [data]:
            if not isinstance(item, dict):
                continue
            kind = str(item.get("@type", "")).lower()
            if not kind.endswith(("article", "posting")):
                continue
            author, page = item.get("author"), item.get("mainEntityOfPage")
            address = item.get("url") or (page.get("@id") if isinstance(page, dict) else page)
            people = author if isinstance(author, list) else [author]
            return {"headline": str(item.get("headline") or ""), "live": kind in LIVE_TYPES,
                    "language": str(item.get("inLanguage") or ""), "url": str(address or ""),
                    "authors": [str(p.get("name")) for p in people if isinstance(p, dict) and p.get("name")]}
    return {}
