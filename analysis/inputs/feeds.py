"""RSS and Atom feeds as lists of articles, read with feedparser.

A feed item becomes an article from its own full text when the feed carries it (``content:encoded``
or Atom ``content`` of at least ``MIN_WORDS``), with the item's date and authors and the feed's
title as the outlet; otherwise its link is read as a page. feedparser sanitises the items' HTML
(no scripts) and reads the dates of every RSS and Atom flavour. It is given bytes, never a URL,
so it never fetches anything itself.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .pages import MIN_WORDS, PageProblem

# A news feed holds the latest tens of items; thousands are a dump, or a feed built to make
# ``add`` fetch a site page by page.
MAX_FEED_ITEMS = 500
FEED_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S)


@dataclass(frozen=True)
class FeedItem:
    link: str
    title: str
    published: dt.date | None
    authors: tuple[str, ...]
    content: str  # the item's full text as HTML, or "" when the feed gives only a summary


@dataclass(frozen=True)
class Feed:
    title: str
    items: tuple[FeedItem, ...]


def looks_like_feed(raw: bytes, content_type: str = "") -> bool:
    kind = content_type.split(";")[0].strip().lower()
    return kind in ("application/rss+xml", "application/atom+xml") or bool(FEED_START.match(raw[:4096]))


def read_feed(raw: bytes) -> Feed:
    """The feed's items; :class:`PageProblem` for a feed that is broken, empty or too long."""
    import feedparser

    parsed = feedparser.parse(raw)
    entries = parsed.entries
    if not entries:
        why = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise PageProblem(f"a feed without items{why}", "give an RSS or Atom feed that lists articles")
    if len(entries) > MAX_FEED_ITEMS:
        raise PageProblem(f"the feed has {len(entries):,} items, more than the {MAX_FEED_ITEMS} an add "
                          "reads", "give a feed of the latest items, or the articles' own pages")
    title = " ".join(str(parsed.feed.get("title", "")).split())
    return Feed(title, tuple(_item(e) for e in entries))


def _item(entry) -> FeedItem:
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    published = dt.date(*when[:3]) if when else None
    names = [a.get("name", "") for a in entry.get("authors", []) if isinstance(a, dict)]
    if not any(names) and entry.get("author"):
        names = [entry["author"]]
    content = ""
    for part in entry.get("content", []):
        value = part.get("value", "")
        if len(re.sub(r"<[^>]+>", " ", value).split()) >= MIN_WORDS:
            content = value
            break
    return FeedItem(str(entry.get("link", "")), " ".join(str(entry.get("title", "")).split()), published,
                    tuple(n.strip() for n in names if n and n.strip()), content)
