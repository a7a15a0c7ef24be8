"""Candidate entities: names in a source that the gazetteer does not know yet, ready to curate.

Capitalised word runs (allowing inner "of", "the" and "and" when no "the" follows) and
designators (``Shenzhou-21``, ``Long March 2F``), minus anything a mention already covers,
calendar words, time zones and their abbreviations. Skipped: the headline and standfirst, the
dateline, the byline's authors, the outlet's own name, a reporting/editing footer, a capitalised
word that only ever opens a sentence (or a quotation at a sentence start), and a surname once its
full name is suggested. A possessive is split off (``Pakistan's Institute of Space Technology`` →
``Institute of Space Technology``); a known name that opens a longer one is kept inside it
(``Pakistan Space Center``, ``China Academy of Space Technology``). Each name carries a guessed
type (``name_types``) so that ``python -m analysis candidates --yaml`` prints stubs to paste.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ..datapackage import TABLES_BY_NAME
from ..inputs.calendar_words import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS, ZONES
from ..inputs.sources import Source
from .mentions import Mention
from .name_types import AGENCY_HEADS, DIGIT, INSTITUTION_HEADS, guess_type
from .quote_marks import find_fragments
from .speakers import OFFICE_OF

WORD = r"[A-Z][\w’'.&-]*[\w]"
# A designator has a few words before its number: at most five (unbounded, a run of 100,000
# capitalised words was tried from each of its words to its end, and took minutes).
DESIGNATOR = re.compile(r"\b[A-Z][\w’']*(?:[- ][A-Z][\w’']*){0,4}-\d+[A-Z]?\b"
                        r"|\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,4}\s+\d{1,2}[A-Z]?\b(?![-,.:]\d)"  # Long March 2
                        r"|\b[A-Z][A-Za-z]*[a-z][A-Z]*-[A-Z]+\d+[A-Z]?\b")  # PakSat-MM1, PRSC-EO1
# Lower-case particles inside a person's name: Naveed ul Hassan, Ahmad bin Said, Ursula von der Leyen.
PARTICLES = r"de|du|da|di|del|al|bin|ibn|ul|ur|ud|van|von|der|le|la|el"
NAME_RUN = re.compile(rf"\b{WORD}(?:\s+(?:(?:of|and(?!\s+the\b)|the|{PARTICLES})\s+)*{WORD})*")
CALENDAR = set(MONTHS) | set(WEEKDAYS) | set(MONTH_ABBREVIATIONS)
IGNORED = CALENDAR | set(ZONES) | {"I", "A", "An", "The", "It", "He", "She", "They", "We", "This",
                                   "That", "These", "Those", "On", "In", "At", "By", "For", "As",
                                   "But", "And", "Or", "If", "When", "While", "Since", "Under",
                                   "During", "After", "Before", "Last", "Next", "AM", "PM", "Our",
                                   "Their", "His", "Her", "Its", "My", "Your", "Federal", "Minister",
                                   "Mr", "Ms", "Mrs", "Dr", "Prof", "Sir", "Chairman", "Chairwoman",
                                   "Spokesman", "Spokeswoman", "Spokesperson", "Deputy", "Ambassador",
                                   "Commander", "Director", "Professor"}
FOOTER = re.compile(r"^\(?(?:Reporting|Writing|Editing|Additional reporting|Compiled)\s+by\b")
# A subheading in the body: a short paragraph without sentence punctuation ("Selection under way").
SUBHEADING = re.compile(r"^[A-Z][^.!?:;\"“”\n]{0,80}[^.!?:;,\"“”’)\s]$")
# Names that end a list joined by "and" stay one name only when they end like an organisation's or
# a programme's (Space and Upper Atmosphere Research Commission, Belt and Road Initiative).
LIST_END = {"Initiative", "Programme", "Program", "Corridor", "Project", "Plan", "Technology", "Affairs",
            "Development", "Research"}
# A capitalised verb form opening a sentence before a name ("Joining Chen are …", "Speaking to …").
VERB_OPENING = re.compile(r"[A-Z][a-z]{3,}(?:ing|ed)")
ORG_HEADS = AGENCY_HEADS | INSTITUTION_HEADS
TOKEN = re.compile(r"[\w’'.&-]+")
ONE_WORD = re.compile(r"\s*[A-Z]\w+\s*")
INNER_OF = re.compile(r"\sof\s")


def candidates_for(source: Source, mentions: list[Mention], speakers: set[str] | None = None,
                   quotations: list[int] | None = None) -> list[dict]:
    """``quotations``: where the source's quotations start (default: found again here)."""
    text = source.text
    covered = sorted((m.start, m.end) for m in mentions)
    possessive_ends = {m.end for m in mentions if m.possessive}
    skipped = _skipped(source)
    sentence_starts = _sentence_starts(source, quotations)
    spans: dict[tuple[int, int], str] = {}
    for m in DESIGNATOR.finditer(text):
        trimmed = _trim(text, m.start(), m.end(), designator=True)  # "The Tianzhou-9" → "Tianzhou-9"
        if trimmed:
            spans[trimmed] = "designator"
    designators = sorted(spans)  # disjoint matches, in order
    compounds: set[tuple[int, int]] = set()
    elsewhere: dict[str, bool] = {}
    for m in _runs(text, speakers or set(), sentence_starts):
        pieces = _uncovered(m.start(), m.end(), covered)
        whole = _trim(text, m.start(), m.end())
        if whole and pieces and pieces != [(m.start(), m.end())] and _compound(text, whole, pieces,
                                                                              possessive_ends):
            compounds.add(whole)  # "Astronaut Centre of China": a new name around a known one
            continue
        for start, end in pieces:
            if start in possessive_ends or text[start:start + 2] in ("’s", "'s"):
                start += 2  # "Pakistan's Institute …": the possessive belongs to the known name
            if end < m.end() and ONE_WORD.fullmatch(text, start, end) and OFFICE_OF.search(
                    text[max(0, start - 5):start]):
                continue  # "Minister for Planning Karim Yusufzai": an office before a known name
            trimmed = _trim(text, start, end)
            if trimmed is None:
                continue
            start, end = trimmed
            word = text[start:end]
            if " " not in word and start in sentence_starts:
                if word not in elsewhere:  # asked once per word: "Yes" opening 5,000 quotations
                    elsewhere[word] = _capitalised_elsewhere(text, word, sentence_starts, covered)
                if not elsewhere[word]:
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
    own = {source.outlet, source.outlet.removeprefix("The "), *source.authors, source.dateline_outlet} - {""}
    kept = {span: kind for span, kind in kept.items()
            if not _inside_any(span, skipped) and text[span[0]:span[1]] not in own}
    names = {text[s:e] for s, e in kept}
    ends = _name_ends(n.split() for n in names if " " in n)
    kept = {span: kind for span, kind in kept.items() if not _surname_of(text[span[0]:span[1]], ends)}
    speakers = speakers or set()
    return [{"source_id": source.source_id, "text": text[s:e], "start": s, "end": e, "kind": kind,
             "type": guess_type(text[s:e], kind, text[max(0, s - 30):s], text[e:e + 30], speakers)}
            for (s, e), kind in sorted(kept.items())]


@dataclass(frozen=True)
class _Run:
    """A stretch of capitalised words (``re.Match``-like: start, end)."""

    begin: int
    finish: int

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish


PERSON_OF = re.compile(r"\s+of\s+(?:the\s+)?(?=[A-Z])")
TITLE = re.compile(r"^(?:Dr|Mr|Mrs|Ms|Prof|Professor|Sir)\.?\s+")


def _runs(text: str, speakers: set[str], sentence_starts: set[int]) -> list[_Run]:
    """Capitalised runs, with a person cut from where they work: ``Helen Achterberg of the
    University of Leiden`` is two names when its first part is a quoted speaker or has a title;
    names listed with "and" are names each (``Wu Fei and Zhang Hongzhang``), and a verb form
    opening a sentence is not part of the name after it (``Joining Chen``)."""
    runs = []
    for whole in NAME_RUN.finditer(text):
        for m in _listed(text, whole, sentence_starts):
            runs += _cut(text, m, speakers)
    return runs


def _listed(text: str, run: re.Match[str], sentence_starts: set[int]) -> list[_Run]:
    words = run.group()
    start = run.start()
    opening = VERB_OPENING.match(words)
    if opening and " " in words and start in sentence_starts:
        start += opening.end() + 1
        words = text[start:run.end()]
    if " and " not in words or INNER_OF.search(words) or words.split()[-1] in ORG_HEADS | LIST_END:
        return [_Run(start, run.end())]
    parts, pos = [], start
    for m in re.finditer(r"\s+and\s+", words):
        parts.append(_Run(pos, start + m.start()))
        pos = start + m.end()
    parts.append(_Run(pos, run.end()))
    return parts


def _cut(text: str, m: _Run, speakers: set[str]) -> list[_Run]:
    cut = PERSON_OF.search(text, m.start(), m.end()) if " of " in text[m.start():m.end()] else None
    if cut:
        left = text[m.start():cut.start()]
        if TITLE.sub("", left) in speakers or TITLE.match(left):
            return [_Run(m.start(), cut.start()), _Run(cut.end(), m.end())]
    return [m]


def _compound(text: str, whole: tuple[int, int], pieces: list[tuple[int, int]],
              possessive_ends: set[int]) -> bool:
    """A known name inside a longer new one: joined by "of" (``Astronaut Centre of China``), or
    opening a name that ends in an organisation's head (``Pakistan Space Center``)."""
    words = text[whole[0]:whole[1]]
    if any(p[0] in possessive_ends for p in pieces):
        return False
    if not any(_trim(text, *p) for p in pieces):
        return False
    if INNER_OF.search(words):
        return True
    return words.split()[-1] in ORG_HEADS and len(words.split()) >= 3


def _name_ends(full_names: Iterable[list[str]]) -> set[str]:
    """The first and last words of the longer suggested names, as a set: a source naming
    thousands of people asks about each of its single words once, not once per name."""
    return {word for words in full_names for word in (words[0], words[-1])}


def _surname_of(name: str, ends: set[str]) -> bool:
    """A single word that is the first or last word of a longer suggested name (``Tan`` of
    ``Tan Yuhang``, ``Yusufzai`` of ``Karim Yusufzai``)."""
    return " " not in name and name in ends


def _skipped(source: Source) -> list[tuple[int, int]]:
    """Headline, standfirst, dateline and footer: display text, not the story's names."""
    spans = [(p.start, p.end) for p in source.display]
    if source.dateline:
        spans.append((source.dateline.start, source.dateline.end))
    spans += [(p.start, p.end) for p in source.paragraphs if FOOTER.match(p.text)]
    spans += [(p.start, p.end) for p in source.paragraphs[len(source.display) + 1:]
              if SUBHEADING.match(p.text) and len(p.text.split()) <= 10]
    return spans


def _sentence_starts(source: Source, quotations: list[int] | None) -> set[int]:
    """Where a sentence begins, also where a quotation or the text after the dateline begins."""
    starts = set()
    for sentence in source.sentences:
        starts.add(sentence.start)
        if source.text[sentence.start:sentence.start + 1] in "“\"‘'(":
            starts.add(sentence.start + 1)
    starts.update(quotations if quotations is not None else (q.start for q in find_fragments(source)))
    if source.dateline:
        starts.add(source.dateline.end)
    return starts


def _inside_any(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in spans)


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


def _trim(text: str, start: int, end: int, designator: bool = False) -> tuple[int, int] | None:
    """Drop calendar words, pronouns and lower-case leftovers from both ends of a run (a
    designator keeps its end: ``Long March 2F``). A run also ends after a word with a digit
    (``PRSC-EO1`` of ``PRSC-EO1 Earth``), and a run just after ``for``/``of`` of three words or
    more loses its first, which belongs to an office (``Minister for Planning Karim Yusufzai``)."""
    tokens = list(TOKEN.finditer(text[start:end]))
    while tokens and (tokens[0].group() in IGNORED or not tokens[0].group()[0].isupper()):
        tokens.pop(0)
    if designator:
        return _span_of(text, start, tokens)
    if len(tokens) > 1 and DIGIT.search(text, start, end):
        digit = next((i for i, t in enumerate(tokens[:-1]) if DIGIT.search(t.group())), None)
        tokens = tokens if digit is None else tokens[:digit + 1]
    while tokens and (tokens[-1].group() in IGNORED or not tokens[-1].group()[0].isupper()):
        tokens.pop()
    if len(tokens) >= 3 and OFFICE_OF.search(text[max(0, start + tokens[0].start() - 5):
                                                                start + tokens[0].start()]):
        tokens.pop(0)
    return _span_of(text, start, tokens)


def _span_of(text: str, start: int, tokens: list[re.Match[str]]) -> tuple[int, int] | None:
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


def _capitalised_elsewhere(text: str, word: str, sentence_starts: set[int],
                           covered: list[tuple[int, int]]) -> bool:
    """Does ``word`` also stand somewhere other than at a sentence start, outside a known name
    (``Space`` inside ``China Manned Space Agency`` does not count)? Indexed once per text: a
    long source would otherwise be scanned again for every sentence-initial word."""
    short = len(text) < _INDEX_FROM and len(sentence_starts) < _INDEX_AFTER
    if short or not re.fullmatch(r"\w+", word):  # short text, or not a plain token
        starts = [m.start() for m in re.finditer(rf"\b{re.escape(word)}\b", text)]
    else:
        starts = _word_starts(text).get(word, [])
    return any(start not in sentence_starts and not _covered(start, covered) for start in starts)


def _covered(offset: int, covered: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(covered, (offset, float("inf"))) - 1
    return any(s <= offset < e for s, e in covered[max(0, i - 3):i + 1])


_INDEX_FROM = 50_000  # characters: below this a scan per word is cheaper than indexing every word
_INDEX_AFTER = 200  # sentence starts: more words to ask about than this, and the index is cheaper


@functools.lru_cache(maxsize=8)
def _word_starts(text: str) -> dict[str, list[int]]:
    starts: dict[str, list[int]] = {}
    for m in re.finditer(r"\w+", text):
        starts.setdefault(m.group(), []).append(m.start())
    return starts


def candidates_frame(sources: list[Source], mentions: dict[str, list[Mention]],
                     quotes: pd.DataFrame | None = None) -> pd.DataFrame:
    """``quotes``: names a source quotes are people, whatever else their context says."""
    speakers: dict[str, set[str]] = {}
    quotations: dict[str, list[int]] | None = None
    if quotes is not None:
        quotations = {}
        columns = (quotes[c].tolist() for c in ("source_id", "start", "speaker_id", "speaker_name"))
        for source_id, start, speaker_id, speaker_name in zip(*columns, strict=True):
            quotations.setdefault(source_id, []).append(start)
            if speaker_name and not speaker_id:
                speakers.setdefault(source_id, set()).add(speaker_name)
    rows = [r for s in sources
            for r in candidates_for(s, mentions.get(s.source_id, []), speakers.get(s.source_id),
                                    None if quotations is None else quotations.get(s.source_id, []))]
    frame = TABLES_BY_NAME["candidates"].frame(rows, derived=("occurrences",))
    frame["occurrences"] = frame.groupby(["source_id", "text"])["text"].transform("size") \
        if not frame.empty else pd.Series(dtype=int)
    return frame
