"""Quotes: quoted words in a source, who said them, and how they reached the article.

Rules, in order, over the words of the quote's sentence(s) that lie outside quotation marks:

1. *named*: a name next to a speech verb (``said Quentin Parker``, ``spokesman Gao Ruiming told
   reporters``, ``Tan added`` → the full name used before); a gazetteer entity when the name is
   one; failing that, a gazetteer person near a speech verb;
2. *anonymous*: ``a SUPARCO official said``;
3. *organisation*: ``the ministry said`` → the ``Ministry of Planning`` named before;
4. *channel*: ``the statement said`` → whoever issued the statement (``statement from X``, or
   the subject of ``… said in a joint statement``), in ``issuers``;
5. *pronoun*: ``he/she/they said`` → the person last named or quoted before, whose gender (from
   ``spokeswoman``, ``Mr``…) does not rule it out;
6. *named*: an organisation near a speech verb (``according to the agency``);
7. *continuation*: no attribution of its own, but the same paragraph's quote before it, a
   quotation running on from the paragraph above, or a statement read out after an
   introducing paragraph ending in a colon.

The channel is the media entity after ``told`` / ``according to``, ``statement`` or ``press
conference`` when those words appear, else ``unstated``. Fragments of one sentence with the same
speaker form one utterance (a split quote), numbered by ``part``.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import islice

import pandas as pd

from ..datapackage import TABLES_BY_NAME
from ..inputs.gazetteer import Gazetteer
from ..inputs.sources import Source, Span
from .mentions import Mention
from .quote_marks import QuoteFragment, find_fragments
from .spans import Spans
from .speakers import (
    ACRONYM,
    STATEMENT_SAID,
    VERBS,
    Phrase,
    gender_before,
    organisation_named_before,
    speaker_phrases,
    statement_issuer_span,
)

__all__ = ["QuoteFragment", "find_fragments", "quotes_frame"]

SPEECH = re.compile(rf"\b(?:{VERBS}|calling|called|lauded|expressed)\b")
STATEMENT_CUE = re.compile(r"\b(?:the|a|in a|an?)\s+(?:joint\s+)?statement\b", re.I)
STATEMENT_FROM = re.compile(r"statement\s+(?:from|by|issued by)\s+", re.I)
CHANNEL_CUE = re.compile(r"\b(told|according to|in an interview with|speaking to)\s+$")
SPEAKER_TYPES = ("person",)
# How many people back a pronoun may reach: no passage refers further, and a bound keeps an
# article of thousands of speakers of one gender linear.
LOOKBACK = 200
ORG_TYPES = ("agency", "institution", "company", "country", "intergovernmental organisation")
ISSUER_TYPES = ("agency", "institution", "company", "intergovernmental organisation")


@dataclass
class Attribution:
    speaker_id: str | None
    method: str
    channel: str
    cue_start: int | None = None
    cue_end: int | None = None
    speaker_name: str = ""
    issuers: tuple[str, ...] = ()


@dataclass
class Speaker:
    """Someone named or quoted so far in a source: what a pronoun or surname can refer to."""

    offset: int
    name: str
    entity_id: str | None = None
    gender: str = ""
    organisation: bool = False


@dataclass
class _Memory:
    speakers: list[Speaker] = field(default_factory=list)
    last: Attribution | None = None  # the previous fragment's attribution
    last_paragraph: int = -1
    standalone_speaker: Attribution | None = None  # a statement read out, paragraph by paragraph


class QuoteAttributor:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._persons_of: list[Mention] | None = None
        self._persons_found: list[Mention] = []

    def _type(self, entity_id: str) -> str:
        return self.gazetteer[entity_id].type

    def attribute(self, source: Source, frag: QuoteFragment, context: Span,
                  outside: list[tuple[int, int]], mentions: list[Mention],
                  inside: Spans, memory: _Memory | None = None) -> Attribution:
        """``mentions`` sorted by start; ``inside``: the source's quotations."""
        memory = memory or _Memory()
        text = source.text
        window = mentions[bisect_left(mentions, context.start, key=_start):
                          bisect_left(mentions, context.end, key=_start)]
        ctx_mentions = [m for m in window if not inside.covers(m.start, margin=1)]
        channel, channel_ids = self._channel(text, outside, ctx_mentions)
        phrases = [p for a, b in outside for p in speaker_phrases(text, a, b)]
        speech = [m for a, b in outside for m in SPEECH.finditer(text, a, b)]

        named = [p for p in phrases if p.kind == "name" and p.with_verb]
        if named:
            phrase = min(named, key=lambda p: _distance(p, frag))
            return self._named_phrase(phrase, ctx_mentions, channel, channel_ids, memory)
        persons = [m for m in ctx_mentions if self._type(m.entity_id) in SPEAKER_TYPES and not m.nested]
        if speech and persons:
            verb = speech[0]
            best = min(persons, key=lambda m: abs(m.start - verb.start()))
            return Attribution(best.entity_id, "named", channel, *_cue(best, verb),
                               speaker_name=self.gazetteer[best.entity_id].name)
        kinds = {p.kind: p for p in sorted(phrases, key=lambda p: _distance(p, frag), reverse=True)}
        if "anonymous" in kinds:
            p = kinds["anonymous"]
            return Attribution(None, "anonymous", channel, p.cue_start, p.cue_end, speaker_name=p.name)
        if "organisation" in kinds:
            p = kinds["organisation"]
            name = organisation_named_before(text, p.start, p.name)
            entity = self._entity_named(name) if name else None
            # unnamed before ("the ministry said in a statement"): the noun phrase still says who
            return Attribution(entity, "organisation", channel, p.cue_start, p.cue_end,
                               speaker_name=name or text[p.start:p.end])
        if channel == "statement":
            found = self._statement(source, frag, outside, mentions)
            if found:
                return replace(found, channel=channel)
        if "pronoun" in kinds:
            p = kinds["pronoun"]
            referent = self._referent(source, frag, p.gender, mentions, inside, memory)
            if referent is not None:
                return Attribution(referent.entity_id, "pronoun", channel, p.cue_start, p.cue_end,
                                   speaker_name=referent.name)
        orgs = [m for m in ctx_mentions if self._type(m.entity_id) in ORG_TYPES
                and m.entity_id not in channel_ids and not m.nested]
        if speech and orgs:
            verb = speech[0]
            best = min(orgs, key=lambda m: abs(m.start - verb.start()))
            return Attribution(best.entity_id, "named", channel, *_cue(best, verb),
                               speaker_name=self.gazetteer[best.entity_id].name)
        return self._continuation(source, frag, channel, memory)

    def _named_phrase(self, phrase: Phrase, mentions: list[Mention], channel: str, channel_ids: set[str],
                      memory: _Memory) -> Attribution:
        entity = next((m.entity_id for m in mentions if m.start < phrase.end and phrase.start < m.end
                       and m.entity_id not in channel_ids), None)
        name = phrase.name
        if entity is None and " " not in name:  # a surname after the first full mention
            earlier = next((s for s in reversed(memory.speakers) if not s.organisation
                            and name in s.name.split()), None)
            if earlier is not None:
                name, entity = earlier.name, earlier.entity_id
        if entity is not None:
            name = self.gazetteer[entity].name
        return Attribution(entity, "named", channel, phrase.cue_start, phrase.cue_end, speaker_name=name)

    def _entity_named(self, name: str) -> str | None:
        alias = self.gazetteer.aliases.get(name)
        return alias.entity_id if alias else None

    def _statement(self, source: Source, frag: QuoteFragment, outside: list[tuple[int, int]],
                   mentions: list[Mention]) -> Attribution | None:
        text = source.text
        cue = next((m for a, b in outside for m in STATEMENT_SAID.finditer(text, a, b)), None) or next(
            (m for a, b in outside for m in STATEMENT_CUE.finditer(text, a, b)), None)
        if cue is None:
            return None
        issuer = self._statement_issuer(source, frag, mentions)
        if issuer:
            return Attribution(issuer, "channel", "statement", cue.start(), cue.end(),
                               speaker_name=self.gazetteer[issuer].name, issuers=(issuer,))
        span = statement_issuer_span(text, frag.start)
        if span is None:
            return None
        a, b = span
        known = [m for m in mentions if a <= m.start < b and self._type(m.entity_id) in ISSUER_TYPES]
        ids = list(dict.fromkeys(m.entity_id for m in known))
        covered = [(m.start, m.end) for m in known]
        acronyms = [m.group() for m in ACRONYM.finditer(text, a, b)
                    if not any(s <= m.start() < e for s, e in covered)]
        issuers = tuple(dict.fromkeys([*acronyms, *ids]))
        if not issuers:
            return None
        return Attribution(ids[0] if len(ids) == 1 and not acronyms else None, "channel", "statement",
                           cue.start(), cue.end(), speaker_name="the statement", issuers=issuers)

    def _referent(self, source: Source, frag: QuoteFragment, gender: str, mentions: list[Mention],
                  inside: Spans, memory: _Memory) -> Speaker | None:
        """The latest person named or quoted before the quote whose gender does not rule it out."""
        for person in islice(self._people_before(source, frag.start, mentions, inside, memory), LOOKBACK):
            if gender == "plural":
                if person.organisation or person.gender == "plural":
                    return person
                continue
            if person.organisation or person.gender == "plural":
                continue
            if not person.gender or person.gender == gender:
                return person
        return None

    def _people_before(self, source: Source, offset: int, mentions: list[Mention], inside: Spans,
                       memory: _Memory) -> Iterator[Speaker]:
        """Persons named (outside quotation marks) and speakers quoted before ``offset``, latest
        first: both lists are in text order, so they are merged backwards, lazily (sorting them
        for every quotation made a source of thousands of quotations quadratic)."""
        persons = self._persons(mentions)
        i = bisect_left(persons, offset, key=_start) - 1
        j = bisect_left(memory.speakers, offset, key=lambda s: s.offset) - 1
        while i >= 0 or j >= 0:
            m = persons[i] if i >= 0 else None
            if m is not None and (j < 0 or m.start > memory.speakers[j].offset):
                i -= 1
                if m.end <= offset and not inside.covers(m.start):
                    yield Speaker(m.start, self.gazetteer[m.entity_id].name, m.entity_id,
                                  gender_before(source.text, m.start))
            else:
                yield memory.speakers[j]  # at the same offset, the speaker quoted comes first
                j -= 1

    def _persons(self, mentions: list[Mention]) -> list[Mention]:
        """The mentions of persons, kept for the source whose mentions these are."""
        if self._persons_of is not mentions:
            self._persons_of = mentions
            self._persons_found = [m for m in mentions if self._type(m.entity_id) in SPEAKER_TYPES]
        return self._persons_found

    def _continuation(self, source: Source, frag: QuoteFragment, channel: str,
                      memory: _Memory) -> Attribution:
        previous = memory.last
        paragraph = _paragraph_index(source, frag.start)
        if previous is not None and previous.method != "unresolved":
            same_paragraph = memory.last_paragraph == paragraph
            if frag.runs_on or same_paragraph:
                return replace(previous, method="continuation", cue_start=None, cue_end=None)
        if _stands_alone(source, frag, paragraph):
            if memory.standalone_speaker is not None and memory.last_paragraph == paragraph - 1:
                return replace(memory.standalone_speaker, cue_start=None, cue_end=None)
            intro = source.paragraphs[paragraph - 1] if paragraph else None
            if intro is not None and intro.text.rstrip().endswith(":"):
                phrases = [p for p in speaker_phrases(source.text, intro.start, intro.end)
                           if p.kind == "name"]
                if phrases:
                    return Attribution(None, "continuation", channel, speaker_name=phrases[-1].name)
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


def _distance(phrase: Phrase, frag: QuoteFragment) -> int:
    return min(abs(phrase.start - frag.end), abs(frag.start - phrase.end))


def _paragraph_index(source: Source, offset: int) -> int:
    return max(bisect_right(source.paragraph_starts, offset) - 1, 0)


def _stands_alone(source: Source, frag: QuoteFragment, paragraph: int) -> bool:
    """The quotation is its paragraph: the marks open it and close (or end) it."""
    para = source.paragraphs[paragraph]
    return frag.start - 1 == para.start and para.end - frag.end <= 2


@functools.lru_cache(maxsize=8)
def _statement_cues(text: str) -> list[re.Match[str]]:
    """Every 'statement from' of a source, found once (not again for each quotation)."""
    return list(STATEMENT_FROM.finditer(text))


def _start(item) -> int:
    return item.start


def _cue(mention: Mention, verb: re.Match[str]) -> tuple[int, int]:
    return min(mention.start, verb.start()), max(mention.end, verb.end())


def quotes_frame(sources: list[Source], mentions: dict[str, list[Mention]],
                 gazetteer: Gazetteer) -> pd.DataFrame:
    attributor = QuoteAttributor(gazetteer)
    rows = []
    for source in sources:
        fragments = find_fragments(source)
        source_mentions = sorted(mentions.get(source.source_id, []), key=_start)
        inside = Spans((q.start, q.end) for q in fragments)
        starts = [q.start for q in fragments]
        previous: tuple[int, str | None] | None = None
        memory = _Memory()
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
            who = attributor.attribute(source, frag, context, outside, source_mentions, inside, memory)
            _remember(memory, source, frag, who, gazetteer)
            key = (first.start, who.speaker_id or who.speaker_name or None)
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


def _remember(memory: _Memory, source: Source, frag: QuoteFragment, who: Attribution,
              gazetteer: Gazetteer) -> None:
    paragraph = _paragraph_index(source, frag.start)
    if who.speaker_name and who.method not in ("continuation", "pronoun"):
        organisation = who.method in ("organisation", "channel") or (
            who.speaker_id is not None and gazetteer[who.speaker_id].type != "person")
        at = -1 if who.cue_start is None else source.text.find(who.speaker_name, who.cue_start, who.cue_end)
        gender = gender_before(source.text, at) if at >= 0 else ""
        memory.speakers.append(Speaker(frag.start, who.speaker_name, who.speaker_id, gender, organisation))
    if _stands_alone(source, frag, paragraph) and who.method == "continuation":
        memory.standalone_speaker = who
    elif not _stands_alone(source, frag, paragraph):
        memory.standalone_speaker = None
    memory.last, memory.last_paragraph = who, paragraph


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
