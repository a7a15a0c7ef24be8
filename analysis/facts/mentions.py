"""Mentions: every place a source names a gazetteer entity, by name, alias, demonym or description.

Matching is exact and case-sensitive on word boundaries, longest alias first, so
"China-Pakistan Economic Corridor" is one mention of the corridor, not of two countries.
Descriptions that contain another name ("China’s space station") also yield that name as a
nested mention, so the owner is not lost.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import pandas as pd

from ..datapackage import TABLES_BY_NAME
from ..inputs.gazetteer import Alias, Gazetteer, alias_key
from ..inputs.sources import Source

APOSTROPHES = "'’"
POSSESSIVE = re.compile(r"['’]s\b")


@dataclass(frozen=True)
class Mention:
    source_id: str
    entity_id: str
    start: int
    end: int
    text: str
    form: str
    possessive: bool
    nested: bool


def _alias_pattern(text: str) -> str:
    """Escape an alias, letting straight and curly apostrophes stand for each other."""
    return "".join(f"[{APOSTROPHES}]" if ch in APOSTROPHES else re.escape(ch) for ch in text)


class MentionFinder:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.by_key = {alias_key(a.text): a for a in gazetteer.aliases.values()}
        ordered = sorted(gazetteer.aliases, key=lambda t: (-len(t), t))
        alternation = "|".join(_alias_pattern(t) for t in ordered)
        self.pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w]|-\w)")
        plain = [t for t, a in gazetteer.aliases.items() if a.form != "description"]
        plain.sort(key=lambda t: (-len(t), t))
        self.inner = re.compile(rf"(?<![\w-])(?:{'|'.join(_alias_pattern(t) for t in plain)})(?![\w]|-\w)")

    def alias_of(self, text: str) -> Alias:
        return self.by_key[alias_key(text)]

    def find(self, source: Source) -> list[Mention]:
        """Every mention, except in the dateline: ``BEIJING (Reuters) —`` names where and through
        whom the story was filed, not an actor in it."""
        text = source.text
        found: list[Mention] = []
        skip = (source.dateline.start, source.dateline.end) if source.dateline else (0, 0)
        for match in self.pattern.finditer(text):
            if skip[0] <= match.start() < skip[1]:
                continue
            alias = self.alias_of(match.group())
            found.append(self._mention(source, alias, match.start(), match.end(), nested=False))
            if alias.form == "description":
                for inner in self.inner.finditer(text, match.start(), match.end()):
                    inner_alias = self.alias_of(inner.group())
                    if inner_alias.entity_id != alias.entity_id:
                        found.append(self._mention(source, inner_alias, inner.start(), inner.end(),
                                                   nested=True))
        return sorted(found, key=lambda m: (m.start, m.end, m.entity_id))

    @staticmethod
    def _mention(source: Source, alias: Alias, start: int, end: int, *, nested: bool) -> Mention:
        possessive = bool(POSSESSIVE.match(source.text, end))
        return Mention(source.source_id, alias.entity_id, start, end, source.text[start:end],
                       alias.form, possessive, nested)


def sentence_index(starts: list[int], offset: int) -> int:
    """Index of the sentence holding ``offset`` (or the one before a gap between sentences),
    given the sorted sentence start offsets."""
    return max(bisect.bisect_right(starts, offset) - 1, 0)


def mentions_frame(sources: list[Source], found: dict[str, list[Mention]]) -> pd.DataFrame:
    rows = []
    for source in sources:
        starts = [s.start for s in source.sentences]
        for m in found.get(source.source_id, []):
            rows.append({"source_id": m.source_id, "entity_id": m.entity_id, "start": m.start,
                         "end": m.end, "text": m.text, "form": m.form, "possessive": m.possessive,
                         "nested": m.nested, "sentence": sentence_index(starts, m.start)})
    return TABLES_BY_NAME["mentions"].frame(rows)
