"""Copies among articles: the same page twice, the same text twice, or a syndicated copy.

Wire copy runs in many outlets with another headline, a paragraph cut or a line added. An
article whose URL or whole text (whitespace and case aside) is already a source adds nothing and
is skipped; one that shares most of its sentences with a source is a *syndicated copy*: added,
since which outlets carried a story is part of it, and reported as such (the story's statements
then count its quotations once, as ``story/statements.py`` does for the same words).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass

from .sources import Source

SHARED = 0.5  # of a new article's sentences found in one source: a syndicated copy of it
MIN_SENTENCE_WORDS = 6  # shorter sentences ("He declined to comment.") say nothing of copying


@dataclass(frozen=True)
class Copy:
    kind: str  # "same URL", "same text" or "syndicated copy"
    of: str  # the source_id it copies
    share: float = 1.0  # of its sentences found in that source


def _normal(text: str) -> str:
    text = text.lower().replace("’", "'").replace("“", '"').replace("”", '"')
    return " ".join(re.sub(r"[^\w'\" ]+", " ", text).split())


def _sentences(source: Source) -> set[str]:
    keys = (_normal(s.text) for s in source.sentences)
    return {hashlib.blake2b(k.encode(), digest_size=12).hexdigest() for k in keys
            if len(k.split()) >= MIN_SENTENCE_WORDS}


class Library:
    """The sources an article is compared with: the project's, and those added before it."""

    def __init__(self, sources: list[Source]) -> None:
        self.by_url: dict[str, str] = {}
        self.by_text: dict[str, str] = {}
        self.sentences: dict[str, list[str]] = defaultdict(list)
        for source in sources:
            self.add(source)

    def add(self, source: Source) -> None:
        url = source.provenance.url if source.provenance else ""
        if url:
            self.by_url.setdefault(url, source.source_id)
        self.by_text.setdefault(_fingerprint(source.text), source.source_id)
        for key in _sentences(source):
            self.sentences[key].append(source.source_id)

    def copy_of(self, source: Source) -> Copy | None:
        url = source.provenance.url if source.provenance else ""
        if url and url in self.by_url:
            return Copy("same URL", self.by_url[url])
        same = self.by_text.get(_fingerprint(source.text))
        if same:
            return Copy("same text", same)
        keys = _sentences(source)
        if not keys:
            return None
        counts: dict[str, int] = defaultdict(int)
        for key in keys:
            for source_id in dict.fromkeys(self.sentences.get(key, ())):
                counts[source_id] += 1
        if not counts:
            return None
        best = max(sorted(counts), key=counts.__getitem__)
        share = counts[best] / len(keys)
        return Copy("syndicated copy", best, share) if share >= SHARED else None


def _fingerprint(text: str) -> str:
    return hashlib.sha256(_normal(text).encode()).hexdigest()
