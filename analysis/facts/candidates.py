"""Candidate entities: names in a source that the gazetteer does not know yet.

Capitalised word runs (allowing inner "of", "and", "the") and designators such as
``Shenzhou-21`` or ``Chang'e-6``, minus anything a mention already covers, calendar words and
time zones. A capitalised word that only ever opens a sentence is ignored: it is likely just
an ordinary word.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re

import pandas as pd

from ..datapackage import TABLES_BY_NAME
from ..inputs.calendar_words import MONTHS, WEEKDAYS, ZONES
from ..inputs.sources import Source
from .mentions import Mention

WORD = r"[A-Z][\w’'.&-]*[\w]"
DESIGNATOR = re.compile(r"\b[A-Z][\w’']*(?:[- ][A-Z][\w’']*)*-\d+[A-Z]?\b")
NAME_RUN = re.compile(rf"\b{WORD}(?:\s+(?:(?:of|and|the|de|du|al|bin)\s+)*{WORD})*")
CALENDAR = set(MONTHS) | set(WEEKDAYS)
IGNORED = CALENDAR | set(ZONES) | {"I", "A", "An", "The", "It", "He", "She", "They", "We", "This",
                                   "That", "These", "Those", "On", "In", "At", "By", "For", "As",
                                   "But", "And", "Or", "If", "When", "While", "Since", "Under",
                                   "During", "After", "Before", "Last", "Next"}


def candidates_for(source: Source, mentions: list[Mention]) -> list[dict]:
    text = source.text
    covered = sorted((m.start, m.end) for m in mentions)
    sentence_starts = {s.start for s in source.sentences}
    spans: dict[tuple[int, int], str] = {}
    for m in DESIGNATOR.finditer(text):
        trimmed = _trim(text, m.start(), m.end())  # "The Tianzhou-9" → "Tianzhou-9"
        if trimmed:
            spans[trimmed] = "designator"
    designators = sorted(spans)  # disjoint matches, in order
    compounds: set[tuple[int, int]] = set()
    for m in NAME_RUN.finditer(text):
        pieces = _uncovered(m.start(), m.end(), covered)
        whole = _trim(text, m.start(), m.end())
        if whole and re.search(r"\s(?:of|and)\s", text[whole[0]:whole[1]]) and pieces and \
                pieces != [(m.start(), m.end())] and any(_trim(text, *p) for p in pieces):
            compounds.add(whole)  # "Astronaut Centre of China": a new name around a known one
            continue
        for start, end in pieces:
            trimmed = _trim(text, start, end)
            if trimmed is None:
                continue
            start, end = trimmed
            single = " " not in text[start:end]
            if single and start in sentence_starts and not _capitalised_elsewhere(
                    text, text[start:end], sentence_starts):
                continue
            if not _within_designator(designators, start, end):  # runs never nest in each other
                spans.setdefault((start, end), "name")
    covered_starts = [s for s, _ in covered]
    reach = list(itertools.accumulate((e for _, e in covered), max))  # furthest mention end so far

    def overlaps_a_mention(span: tuple[int, int]) -> bool:
        i = bisect.bisect_left(covered_starts, span[1])  # mentions starting before the span ends
        return i > 0 and reach[i - 1] > span[0]

    kept = {span: kind for span, kind in spans.items() if not overlaps_a_mention(span)}
    kept.update({span: "name" for span in compounds})
    return [{"source_id": source.source_id, "text": text[s:e], "start": s, "end": e, "kind": kind,
             "type": ""} for (s, e), kind in sorted(kept.items())]


def _uncovered(start: int, end: int, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Parts of a run outside every mention (a run may hold a known name and an unknown one)."""
    pieces, pos = [], start
    first = max(bisect.bisect_left(covered, (start, start)) - 1, 0)  # covered is sorted
    for i in range(first, len(covered)):  # neither a copy nor a walk from the list's start
        s, e = covered[i]
        if s >= end:
            break
        if e <= pos:
            continue
        if s > pos:
            pieces.append((pos, s))
        pos = max(pos, e)
    if pos < end:
        pieces.append((pos, end))
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop calendar words, pronouns and lower-case leftovers from both ends of a run."""
    tokens = [t for t in re.finditer(r"[\w’'.&-]+", text[start:end])]
    while tokens and (tokens[0].group() in IGNORED or not tokens[0].group()[0].isupper()):
        tokens.pop(0)
    while tokens and (tokens[-1].group() in IGNORED or not tokens[-1].group()[0].isupper()):
        tokens.pop()
    if not tokens:
        return None
    s, e = start + tokens[0].start(), start + tokens[-1].end()
    while e > s and text[e - 1] in "’'.-":
        e -= 1
    if text[e - 2:e] in ("’s", "'s"):
        e -= 2
    return (s, e) if e > s else None


def _within_designator(designators: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_right(designators, (start, float("inf"))) - 1  # the last one starting at or before
    return i >= 0 and designators[i][1] >= end


def _capitalised_elsewhere(text: str, word: str, sentence_starts: set[int]) -> bool:
    """Does ``word`` also stand somewhere other than at a sentence start? (Indexed once per text:
    a long source would otherwise be scanned again for every sentence-initial word.)"""
    if len(text) < _INDEX_FROM or not re.fullmatch(r"\w+", word):  # short text, or not a plain token
        return any(m.start() not in sentence_starts for m in re.finditer(rf"\b{re.escape(word)}\b", text))
    return any(start not in sentence_starts for start in _word_starts(text).get(word, ()))


_INDEX_FROM = 50_000  # characters: below this a scan per word is cheaper than indexing every word


@functools.lru_cache(maxsize=8)
def _word_starts(text: str) -> dict[str, list[int]]:
    starts: dict[str, list[int]] = {}
    for m in re.finditer(r"\w+", text):
        starts.setdefault(m.group(), []).append(m.start())
    return starts


def candidates_frame(sources: list[Source], mentions: dict[str, list[Mention]]) -> pd.DataFrame:
    rows = [r for s in sources for r in candidates_for(s, mentions.get(s.source_id, []))]
    frame = TABLES_BY_NAME["candidates"].frame(rows, derived=("occurrences",))
    frame["occurrences"] = frame.groupby(["source_id", "text"])["text"].transform("size") \
        if not frame.empty else pd.Series(dtype=int)
    return frame
