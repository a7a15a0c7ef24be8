"""Quotes: quoted words in a source, who said them, and how they reached the article.

Rules, in order, over the words of the quote's sentence(s) that lie outside quotation marks:

1. *named*: a person named there (``said Quentin Parker``, ``Sharif … said``); failing a person,
   an organisation that is not the channel (``the agency said``);
2. *pronoun*: ``he/she/they said`` → the person named most recently before the quote;
3. *channel*: ``the statement added`` → whoever issued the statement, found in a nearby
   ``statement from X``.

The channel is the media entity after ``told`` / ``according to``, ``statement`` or ``press
conference`` when those words appear, else ``unstated``. Fragments of one sentence with the same
speaker form one utterance (a split quote), numbered by ``part``.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

import pandas as pd

from ..datapackage import TABLES_BY_NAME
from ..inputs.gazetteer import Gazetteer
from ..inputs.sources import Source, Span
from .mentions import Mention

OPEN_CLOSE = {"“": "”", '"': '"'}
SPEECH = re.compile(r"\b(said|says|say|told|tells|added|adds|stated|noted|emphasi[sz]ed|explained|"
                    r"warned|announced|according to|calling|called|lauded|expressed)\b")
PRONOUN_SPEECH = re.compile(r"\b(he|she|they)\s+(said|says|told|added|noted|explained)\b", re.I)
STATEMENT_CUE = re.compile(r"\b(?:the|a|in a|an?)\s+statement\b", re.I)
STATEMENT_FROM = re.compile(r"statement\s+(?:from|by|issued by)\s+", re.I)
CHANNEL_CUE = re.compile(r"\b(told|according to|in an interview with|speaking to)\s+$")
SPEAKER_TYPES = ("person",)
ORG_TYPES = ("agency", "institution", "company", "country", "intergovernmental organisation")


@dataclass(frozen=True)
class QuoteFragment:
    start: int  # of the words inside the marks
    end: int
    closed: bool


def find_fragments(source: Source) -> list[QuoteFragment]:
    """Quoted stretches per paragraph; an unclosed quote runs to the paragraph's end."""
    fragments = []
    for para in source.paragraphs:
        pos = para.start
        while pos < para.end:
            opening = min((i for i in (source.text.find(o, pos, para.end) for o in OPEN_CLOSE) if i >= 0),
                          default=-1)
            if opening < 0:
                break
            closing_mark = OPEN_CLOSE[source.text[opening]]
            closing = source.text.find(closing_mark, opening + 1, para.end)
            closed = closing >= 0
            end = closing if closed else para.end
            if end > opening + 1:
                fragments.append(QuoteFragment(opening + 1, end, closed))
            pos = end + 1
    return fragments


@dataclass
class Attribution:
    speaker_id: str | None
    method: str
    channel: str
    cue_start: int | None = None
    cue_end: int | None = None
    speaker_name: str = ""
    issuers: tuple[str, ...] = ()


class QuoteAttributor:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def _type(self, entity_id: str) -> str:
        return self.gazetteer[entity_id].type

    def attribute(self, source: Source, frag: QuoteFragment, context: Span,
                  outside: list[tuple[int, int]], mentions: list[Mention],
                  inside: _QuotedSpans) -> Attribution:
        """``mentions`` sorted by start; ``inside``: the source's quotations."""
        text = source.text
        window = mentions[bisect_left(mentions, context.start, key=_start):
                          bisect_left(mentions, context.end, key=_start)]
        ctx_mentions = [m for m in window if not inside.covers(m.start, margin=1)]
        channel, channel_ids = self._channel(text, outside, ctx_mentions)
        speech = [m for a, b in outside for m in SPEECH.finditer(text, a, b)]
        persons = [m for m in ctx_mentions if self._type(m.entity_id) in SPEAKER_TYPES
                   and not m.nested]
        if speech and persons:
            verb = speech[0]
            best = min(persons, key=lambda m: abs(m.start - verb.start()))
            return Attribution(best.entity_id, "named", channel, *_cue(best, verb))
        pronoun = next((m for a, b in outside for m in PRONOUN_SPEECH.finditer(text, a, b)), None)
        if pronoun:
            before = mentions[:bisect_left(mentions, frag.start, key=_start)]
            latest = next((m for m in reversed(before) if m.end <= frag.start
                           and self._type(m.entity_id) in SPEAKER_TYPES and not inside.covers(m.start)),
                          None)
            if latest is not None:
                return Attribution(latest.entity_id, "pronoun", channel, pronoun.start(), pronoun.end())
        if channel == "statement":
            issuer = self._statement_issuer(source, frag, mentions)
            cue = next((m for a, b in outside for m in STATEMENT_CUE.finditer(text, a, b)), None)
            if issuer and cue:
                return Attribution(issuer, "channel", channel, cue.start(), cue.end())
        orgs = [m for m in ctx_mentions if self._type(m.entity_id) in ORG_TYPES
                and m.entity_id not in channel_ids and not m.nested]
        if speech and orgs:
            verb = speech[0]
            best = min(orgs, key=lambda m: abs(m.start - verb.start()))
            return Attribution(best.entity_id, "named", channel, *_cue(best, verb))
        return Attribution(None, "unresolved", channel)

    def _channel(self, text: str, outside: list[tuple[int, int]],
                 mentions: list[Mention]) -> tuple[str, set[str]]:
        for m in mentions:
            if self._type(m.entity_id) == "media" and any(
                    CHANNEL_CUE.search(text[max(a, m.start - 40):m.start]) for a, b in outside
                    if a <= m.start <= b):
                return m.entity_id, {m.entity_id}
        if any(STATEMENT_CUE.search(text, a, b) for a, b in outside):
            return "statement", set()
        if any("press conference" in text[a:b] for a, b in outside):
            return "press conference", set()
        return "unstated", set()

    def _statement_issuer(self, source: Source, frag: QuoteFragment,
                          mentions: list[Mention]) -> str | None:
        """The entity after the nearest preceding 'statement from'."""
        text = source.text
        cues = _statement_cues(text)
        for cue in reversed(cues[:bisect_right(cues, frag.start, key=lambda m: m.end())]):
            near = mentions[bisect_left(mentions, cue.end(), key=_start):
                            bisect_right(mentions, cue.end() + 5, key=_start)]
            after = [m for m in near if not m.nested]
            if after:
                return after[0].entity_id
        return None


@functools.lru_cache(maxsize=8)
def _statement_cues(text: str) -> list[re.Match[str]]:
    """Every 'statement from' of a source, found once (not again for each quotation)."""
    return list(STATEMENT_FROM.finditer(text))


def _start(item) -> int:
    return item.start


class _QuotedSpans:
    """Is an offset inside a quotation? In log time (large sources have thousands of quotes)."""

    def __init__(self, quoted: list[QuoteFragment]) -> None:
        self.spans = sorted((q.start, q.end) for q in quoted)
        self.starts = [s for s, _ in self.spans]
        self.reach = list(accumulate((e for _, e in self.spans), max))  # furthest end so far

    def covers(self, offset: int, margin: int = 0) -> bool:
        """True when ``start - margin <= offset < end + margin`` for some quotation."""
        i = bisect_right(self.starts, offset + margin)
        return i > 0 and self.reach[i - 1] + margin > offset


def _cue(mention: Mention, verb: re.Match[str]) -> tuple[int, int]:
    return min(mention.start, verb.start()), max(mention.end, verb.end())


def quotes_frame(sources: list[Source], mentions: dict[str, list[Mention]],
                 gazetteer: Gazetteer) -> pd.DataFrame:
    attributor = QuoteAttributor(gazetteer)
    rows = []
    for source in sources:
        fragments = find_fragments(source)
        source_mentions = sorted(mentions.get(source.source_id, []), key=_start)
        inside = _QuotedSpans(fragments)
        starts = [q.start for q in fragments]
        previous: tuple[int, str | None] | None = None
        utterance = 0
        part = 0
        for frag in fragments:
            first = source.sentence_at(frag.start - 1)  # the opening mark sits in a sentence
            last = _sentence_at_or_before(source, frag.end)
            context = Span(first.start, last.end, source.text[first.start:last.end])
            # quotations are disjoint and in order: only the one before may reach into the context
            in_context = [q for q in fragments[max(0, bisect_left(starts, context.start) - 1):
                                               bisect_left(starts, context.end)]
                          if q.start < context.end and q.end > context.start]
            outside = _outside(context, in_context)
            who = attributor.attribute(source, frag, context, outside, source_mentions, inside)
            key = (first.start, who.speaker_id)
            if previous == key:
                part += 1
            else:
                utterance += 1
                part = 1
            previous = key
            rows.append({
                "source_id": source.source_id, "speaker_id": who.speaker_id or "",
                "speaker_name": who.speaker_name, "issuers": "|".join(who.issuers),
                "text": source.text[frag.start:frag.end], "start": frag.start, "end": frag.end,
                "channel": who.channel, "method": who.method,
                "utterance": f"{source.source_id}-U{utterance:02d}", "part": part,
                "closed": frag.closed,
                "cue": source.text[who.cue_start:who.cue_end] if who.cue_start is not None else "",
                "cue_start": who.cue_start if who.cue_start is not None else -1,
                "cue_end": who.cue_end if who.cue_end is not None else -1,
            })
    return TABLES_BY_NAME["quotes"].frame(rows)


def _sentence_at_or_before(source: Source, offset: int) -> Span:
    i = bisect_right(source.sentence_starts, offset) - 1
    return source.sentences[max(i, 0)]


def _outside(context: Span, fragments: list[QuoteFragment]) -> list[tuple[int, int]]:
    """Stretches of the context not inside quotation marks."""
    pieces, pos = [], context.start
    for q in sorted(fragments, key=lambda q: q.start):
        if q.start - 1 > pos:
            pieces.append((pos, max(pos, q.start - 1)))
        pos = max(pos, q.end + 1)
    if pos < context.end:
        pieces.append((pos, context.end))
    return pieces
