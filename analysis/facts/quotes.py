"""Quotes: quoted words in a source, who said them, and how they reached the article.

Where the quotation stands is exact (the marks, :mod:`.quote_marks`). Who said it is read from the
parse of its sentence first (:mod:`.reporting`: the subject of the reporting verb, across
appositives and inversion), then, for a pronoun, a surname, a role (``the spokesperson``) or a
speaker named only after the quotation, from the people the passage is about
(:mod:`.discourse`). Where the sentence has no reporting clause the parse can read (or the source
has more quotations than are parsed), the patterns of :mod:`.speakers` answer, in order:

1. *named*: a name next to a speech verb (``said Quentin Parker``, ``spokesman Gao Ruiming told
   reporters``, ``Tan added`` → the full name used before); a gazetteer entity when the name is
   one; failing that, a gazetteer person near a speech verb;
2. *anonymous*: ``a SUPARCO official said``;
3. *organisation*: ``the ministry said`` → the ``Ministry of Planning`` named before;
4. *channel*: ``the statement said`` → whoever issued the statement (``statement from X``, or
   the subject of ``… said in a joint statement``), in ``issuers``;
5. *pronoun*: ``he/she/they said`` → the person the passage is about;
6. *named*: an organisation near a speech verb (``according to the agency``);
7. *continuation*: no attribution of its own, but the same paragraph's quote before it, a
   quotation running on from the paragraph above, or a statement read out after an
   introducing paragraph ending in a colon (whose issuer that paragraph names).

``method`` says what kind of speaker it is (named, anonymous, organisation, channel, pronoun,
continuation, unresolved); ``resolution`` says how it was found: ``parse`` (the subject of the
reporting verb in the parse), ``rule`` (the patterns), ``pronoun``, ``surname``, ``noun`` (``the
spokesperson``, ``the ministry``), ``cataphora`` (named after the quotation), ``issuer`` (a
statement's or release's issuer), ``continuation``, or ``unresolved``.

The channel is the media entity after ``told`` / ``according to``, ``statement`` or ``press
conference`` when those words appear, else ``unstated``. Fragments of one sentence with the same
speaker form one utterance (a split quote), numbered by ``part``.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace

import pandas as pd

from ..datapackage import TABLES_BY_NAME
from ..inputs.gazetteer import Gazetteer
from ..inputs.sources import Source, Span
from .discourse import Discourse, Referent
from .mentions import Mention
from .quote_marks import QuoteFragment, find_fragments
from .reporting import Cue, reporting_cue, subject_before
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
from .syntax import MAX_PARSED, WINDOW, Context, Parse, parse_contexts

__all__ = ["QuoteFragment", "find_fragments", "quotes_frame"]

SPEECH = re.compile(rf"\b(?:{VERBS}|calling|called|lauded|expressed)\b")
STATEMENT_CUE = re.compile(r"\b(?:the|a|in a|an?)\s+(?:joint\s+)?(?:statement|press release)\b", re.I)
STATEMENT_FROM = re.compile(r"statement\s+(?:from|by|issued by)\s+", re.I)
CHANNEL_CUE = re.compile(r"\b(told|according to|in an interview with|speaking to|talking to)\s+$")
ISSUED_FOR = re.compile(r"\b(?:on behalf of|issued by|from|by)\s+(?:the\s+)?$", re.I)
SPEAKER_TYPES = ("person",)
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
    resolution: str = "rule"


@dataclass
class _Memory:
    last: Attribution | None = None  # the previous fragment's attribution
    last_paragraph: int = -1
    standalone_speaker: Attribution | None = None  # a statement read out, paragraph by paragraph


@dataclass
class _Quotation:
    """One fragment with the sentence(s) around it: what both the parse and the patterns read."""

    fragment: QuoteFragment
    context: Span  # the sentence(s), cut to ``WINDOW`` characters either side of the marks
    sentence_start: int  # where the first of them starts: fragments of one utterance share it
    outside: list[tuple[int, int]]
    parse_context: Context | None = None
    after_subject: bool = False  # parsed for the subject of the sentence before it


class QuoteAttributor:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def _type(self, entity_id: str) -> str:
        return self.gazetteer[entity_id].type

    def attribute(self, source: Source, frag: QuoteFragment, context: Span,
                  outside: list[tuple[int, int]], mentions: list[Mention],
                  inside: Spans, memory: _Memory, discourse: Discourse,
                  cue: Cue | None = None) -> Attribution:
        """``mentions`` sorted by start; ``inside``: the source's quotations; ``cue``: what the
        parse read of the reporting clause, when it found one."""
        text = source.text
        window = mentions[bisect_left(mentions, context.start, key=_start):
                          bisect_left(mentions, context.end, key=_start)]
        ctx_mentions = [m for m in window if not inside.covers(m.start, margin=1)]
        channel, channel_ids = self._channel(text, outside, ctx_mentions)
        if cue is not None and not cue.lead:
            found = self._from_cue(source, frag, cue, ctx_mentions, mentions, channel, channel_ids, discourse)
            if found is not None:
                return found
        phrases = [p for a, b in outside for p in speaker_phrases(text, a, b)]
        speech = [m for a, b in outside for m in SPEECH.finditer(text, a, b)]

        named = [p for p in phrases if p.kind == "name" and p.with_verb]
        if named:
            phrase = min(named, key=lambda p: _distance(p, frag))
            return self._named_phrase(phrase, ctx_mentions, channel, channel_ids, discourse)
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
            return self._organisation_noun(text, p.start, p.name, text[p.start:p.end], channel,
                                           p.cue_start, p.cue_end, "rule")
        if channel == "statement":
            found = self._statement(source, frag, outside, mentions)
            if found:
                return replace(found, channel=channel)
        if "pronoun" in kinds:
            p = kinds["pronoun"]
            referent = discourse.pronoun(frag.start, p.gender)
            if referent is not None:
                return self._referred(referent.person, "pronoun", channel, p.cue_start, p.cue_end, "pronoun")
        orgs = [m for m in ctx_mentions if self._type(m.entity_id) in ORG_TYPES
                and m.entity_id not in channel_ids and not m.nested]
        if speech and orgs:
            verb = speech[0]
            best = min(orgs, key=lambda m: abs(m.start - verb.start()))
            return Attribution(best.entity_id, "named", channel, *_cue(best, verb),
                               speaker_name=self.gazetteer[best.entity_id].name)
        found = self._continuation(source, frag, channel, memory, mentions)
        if found.method == "unresolved" and cue is not None and cue.lead:
            # a quotation standing alone after a sentence about its speaker
            led = self._from_cue(source, frag, cue, ctx_mentions, mentions, channel, channel_ids, discourse)
            if led is not None and led.speaker_name:
                return replace(led, resolution="subject", method="continuation")
        return found

    # --- from the parse ---------------------------------------------------------------------

    def _from_cue(self, source: Source, frag: QuoteFragment, cue: Cue, mentions: list[Mention],
                  all_mentions: list[Mention], channel: str, channel_ids: set[str],
                  discourse: Discourse) -> Attribution | None:
        text = source.text
        at = (cue.cue_start, cue.cue_end)
        entity = self._entity_at(cue, mentions, channel_ids)
        if cue.kind in ("name", "surname", "organisation") and entity is not None:
            return Attribution(entity, "named", channel, *at, speaker_name=self.gazetteer[entity].name,
                               resolution="parse")
        if cue.kind == "name":
            return Attribution(None, "named", channel, *at, speaker_name=cue.name, resolution="parse")
        if cue.kind == "surname":
            person = discourse.full_name(cue.name, min(cue.start, frag.start))
            if person is not None:
                return self._referred(person, "named", channel, *at, "surname")
            return Attribution(None, "named", channel, *at, speaker_name=cue.name, resolution="parse")
        if cue.kind == "organisation":
            if cue.name.islower():  # "the ministry": the one named before, else the words
                return self._organisation_noun(text, cue.start, cue.name, text[cue.start:cue.end], channel,
                                               *at, "noun")
            entity = self._entity_named(cue.name)
            return Attribution(entity, "named", channel, *at,
                               speaker_name=self.gazetteer[entity].name if entity else cue.name,
                               resolution="parse")
        if cue.kind == "pronoun":
            return self._pronoun(source, frag, cue, channel, discourse)
        if cue.kind == "role":
            person = discourse.with_role(set(cue.roles), min(cue.start, frag.start))
            if person is not None:
                return self._referred(person, "named", channel, *at, "noun")
            return Attribution(None, "anonymous", channel, *at, speaker_name=cue.name, resolution="parse")
        if cue.kind == "statement" and cue.issuer is not None:  # "a statement from the embassy"
            start, end = cue.issuer_head or cue.issuer
            entity = next((m.entity_id for m in all_mentions if m.start < end and start < m.end
                           and not m.nested and self._type(m.entity_id) in ISSUER_TYPES), None)
            words = text[cue.issuer[0]:cue.issuer[1]]
            return Attribution(entity, "channel", "statement", *at, issuers=(entity or words,),
                               speaker_name=self.gazetteer[entity].name if entity else words,
                               resolution="issuer")
        if cue.kind == "statement":
            found = self._statement(source, frag, [(cue.cue_start, cue.cue_end)], all_mentions,
                                    cue=(cue.cue_start, cue.cue_end))
            return replace(found, resolution="issuer") if found else None
        if cue.kind == "anonymous":
            return Attribution(None, "anonymous", channel, *at, speaker_name=cue.name, resolution="parse")
        return None

    def _pronoun(self, source: Source, frag: QuoteFragment, cue: Cue, channel: str,
                 discourse: Discourse) -> Attribution | None:
        at = (cue.cue_start, cue.cue_end)
        referent = discourse.pronoun(min(cue.start, frag.start), cue.gender)
        if cue.gender in ("male", "female", "") and (referent is None or referent.person.anonymous):
            paragraph = _paragraph_index(source, frag.start)
            until = source.paragraphs[min(paragraph + 1, len(source.paragraphs) - 1)].end
            named = discourse.named_after(max(cue.end, frag.end), until, cue.gender)
            if named is not None:
                if referent is not None:
                    referent.person.named_as = named
                return self._referred(named, "pronoun", channel, *at, "cataphora")
        if referent is None:
            return None
        person = referent.person
        if cue.gender in ("male", "female") and not person.gender:
            person.gender = cue.gender  # "he" once, "he" again
        if person.anonymous:
            return Attribution(None, "anonymous", channel, *at, speaker_name=person.name,
                               resolution="pronoun")
        return self._referred(person, "pronoun", channel, *at, "pronoun")

    def _referred(self, person: Referent, method: str, channel: str, cue_start: int | None,
                  cue_end: int | None, resolution: str) -> Attribution:
        name = self.gazetteer[person.entity_id].name if person.entity_id else person.name
        method = "organisation" if person.organisation and method == "pronoun" and not person.entity_id \
            else method
        return Attribution(person.entity_id, method, channel, cue_start, cue_end, speaker_name=name,
                           resolution=resolution)

    def _entity_at(self, cue: Cue, mentions: list[Mention], channel_ids: set[str]) -> str | None:
        """The gazetteer entity the speaker words are built on (not the channel's, not a nested one,
        not a possessor or demonym before the head: ``Pakistan's foreign ministry``)."""
        start, end = cue.head
        for m in mentions:
            if m.start < end and start < m.end and m.entity_id not in channel_ids and not m.nested \
                    and self._type(m.entity_id) != "media":
                return m.entity_id
        return None

    # --- from the patterns ------------------------------------------------------------------

    def _named_phrase(self, phrase: Phrase, mentions: list[Mention], channel: str, channel_ids: set[str],
                      discourse: Discourse) -> Attribution:
        entity = next((m.entity_id for m in mentions if m.start < phrase.end and phrase.start < m.end
                       and m.entity_id not in channel_ids), None)
        name = phrase.name
        resolution = "rule"
        if entity is None and " " not in name:  # a surname after the first full mention
            earlier = discourse.full_name(name, phrase.start)
            if earlier is not None:
                name, entity, resolution = earlier.name, earlier.entity_id, "surname"
        if entity is not None:
            name = self.gazetteer[entity].name
        return Attribution(entity, "named", channel, phrase.cue_start, phrase.cue_end, speaker_name=name,
                           resolution=resolution)

    def _organisation_noun(self, text: str, start: int, noun: str, words: str, channel: str,
                           cue_start: int | None, cue_end: int | None, resolution: str) -> Attribution:
        name = organisation_named_before(text, start, noun)
        entity = self._entity_named(name) if name else None
        # unnamed before ("the ministry said in a statement"): the noun phrase still says who
        return Attribution(entity, "organisation", channel, cue_start, cue_end, speaker_name=name or words,
                           resolution=resolution if name else "parse" if resolution == "noun" else resolution)

    def _entity_named(self, name: str) -> str | None:
        alias = self.gazetteer.aliases.get(name)
        return alias.entity_id if alias else None

    def _statement(self, source: Source, frag: QuoteFragment, outside: list[tuple[int, int]],
                   mentions: list[Mention], cue: tuple[int, int] | None = None) -> Attribution | None:
        text = source.text
        if cue is None:
            found = next((m for a, b in outside for m in STATEMENT_SAID.finditer(text, a, b)), None) or next(
                (m for a, b in outside for m in STATEMENT_CUE.finditer(text, a, b)), None)
            if found is None:
                return None
            cue = found.span()
        issuer = self._statement_issuer(source, frag, mentions)
        if issuer:
            return Attribution(issuer, "channel", "statement", *cue, speaker_name=self.gazetteer[issuer].name,
                               issuers=(issuer,), resolution="issuer")
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
                           *cue, speaker_name="the statement", issuers=issuers, resolution="issuer")

    def _continuation(self, source: Source, frag: QuoteFragment, channel: str,
                      memory: _Memory, mentions: list[Mention]) -> Attribution:
        previous = memory.last
        paragraph = _paragraph_index(source, frag.start)
        if previous is not None and previous.method != "unresolved":
            same_paragraph = memory.last_paragraph == paragraph
            if frag.runs_on or same_paragraph:
                return replace(previous, method="continuation", cue_start=None, cue_end=None,
                               resolution="continuation")
        if _stands_alone(source, frag, paragraph):
            if memory.standalone_speaker is not None and memory.last_paragraph == paragraph - 1:
                return replace(memory.standalone_speaker, cue_start=None, cue_end=None)
            intro = source.paragraphs[paragraph - 1] if paragraph else None
            if intro is not None and intro.text.rstrip().endswith(":"):
                issuer = self._issuer_of(source.text, intro, mentions)
                if issuer is not None:
                    return Attribution(issuer, "channel", "statement", issuers=(issuer,),
                                       speaker_name=self.gazetteer[issuer].name, resolution="issuer")
                phrases = [p for p in speaker_phrases(source.text, intro.start, intro.end)
                           if p.kind == "name"]
                if phrases:
                    return Attribution(None, "continuation", channel, speaker_name=phrases[-1].name,
                                       resolution="continuation")
        return Attribution(None, "unresolved", channel, resolution="unresolved")

    def _issuer_of(self, text: str, intro: Span, mentions: list[Mention]) -> str | None:
        """The organisation a paragraph introducing a statement names as its issuer: the one after
        ``on behalf of`` / ``issued by`` / ``from``, else the only one it names."""
        known = [m for m in mentions[bisect_left(mentions, intro.start, key=_start):
                                     bisect_left(mentions, intro.end, key=_start)]
                 if self._type(m.entity_id) in ISSUER_TYPES and not m.nested]
        after = [m for m in known if ISSUED_FOR.search(text[max(intro.start, m.start - 40):m.start])]
        if after:
            return after[0].entity_id
        ids = list(dict.fromkeys(m.entity_id for m in known))
        return ids[0] if len(ids) == 1 else None

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


def _quotations(source: Source, fragments: list[QuoteFragment]) -> list[_Quotation]:
    """Each fragment with its sentence(s), the stretches outside quotation marks, and the context
    to parse (none when nothing outside the marks could attribute it, or past ``MAX_PARSED``)."""
    starts = [q.start for q in fragments]
    found = []
    for frag in fragments:
        first = source.sentence_at(frag.start - 1)  # the opening mark sits in a sentence
        last = _sentence_at_or_before(source, frag.end)
        # no attribution reaches further than WINDOW from the marks: a sentence of 5,000 quotations
        # must not hand each of them the other 4,999 to read (it took minutes and gigabytes)
        lo, hi = max(first.start, frag.start - 1 - WINDOW), min(last.end, frag.end + 1 + WINDOW)
        context = Span(lo, hi, source.text[lo:hi])
        # quotations are disjoint and in order: only the one before may reach into the context
        in_context = [q for q in fragments[max(0, bisect_left(starts, context.start) - 1):
                                           bisect_left(starts, context.end)]
                      if q.start < context.end and q.end > context.start]
        outside = _outside(context, in_context)
        found.append(_Quotation(frag, context, first.start, outside))
    parsed = 0
    inside = Spans((q.start, q.end) for q in fragments)
    for quotation in found:
        if parsed == MAX_PARSED:
            break
        if any(_WORD.search(source.text, a, b) for a, b in quotation.outside):
            quotation.parse_context = _window(quotation.fragment, quotation.context, fragments, starts)
            parsed += 1
            continue
        before = _sentence_before(source, quotation.sentence_start)
        if before is not None and not inside.overlaps(before.start, before.end) \
                and before.end - before.start <= 2 * WINDOW:
            # a quotation standing alone after a sentence about someone: that sentence's subject
            quotation.parse_context = Context(before.start, quotation.context.end,
                                              ((quotation.fragment.start, quotation.fragment.end),))
            quotation.after_subject = True
            parsed += 1
    return found


def _sentence_before(source: Source, offset: int) -> Span | None:
    """The sentence before the one starting at ``offset``, in the same paragraph."""
    i = bisect_left(source.sentence_starts, offset) - 1
    if i < 0 or _paragraph_index(source, source.sentences[i].start) != _paragraph_index(source, offset):
        return None
    return source.sentences[i]


_WORD = re.compile(r"[A-Za-z]{2}")


def _window(frag: QuoteFragment, context: Span, fragments: list[QuoteFragment], starts: list[int]) -> Context:
    """The context to parse: the quotation's sentence(s), cut to ``WINDOW`` characters either side,
    never through another quotation; every quotation inside it masked."""
    lo, hi = max(context.start, frag.start - 1 - WINDOW), min(context.end, frag.end + 1 + WINDOW)
    near = fragments[max(0, bisect_left(starts, lo) - 1):bisect_left(starts, hi)]
    quotations = []
    for q in near:
        if q.end <= lo or q.start >= hi:
            continue
        if q.start < lo:
            lo = min(q.end + 1, frag.start - 1)
            continue
        if q.end > hi:
            hi = max(q.start - 1, frag.end + 1)
            continue
        quotations.append((q.start, q.end))
    return Context(lo, hi, tuple(q for q in quotations if lo < q[0] and q[1] < hi))


def quotes_frame(sources: list[Source], mentions: dict[str, list[Mention]],
                 gazetteer: Gazetteer) -> pd.DataFrame:
    attributor = QuoteAttributor(gazetteer)
    prepared = []
    contexts: dict[tuple[str, Context], int] = {}
    for source in sources:
        quotations = _quotations(source, find_fragments(source))
        for q in quotations:
            if q.parse_context is not None:
                contexts.setdefault((source.source_id, q.parse_context), len(contexts))
        prepared.append((source, quotations))
    parses = _parse_all(sources, contexts)
    rows = []
    for source, quotations in prepared:
        source_mentions = sorted(mentions.get(source.source_id, []), key=_start)
        inside = Spans((q.fragment.start, q.fragment.end) for q in quotations)
        discourse = Discourse(source, source_mentions, gazetteer, inside)
        previous: tuple[int, str | None] | None = None
        memory = _Memory()
        utterance = 0
        part = 0
        for q in quotations:
            frag = q.fragment
            cue = None
            if q.parse_context is not None:
                parse = parses[contexts[(source.source_id, q.parse_context)]]
                cue = (subject_before(parse, frag.start, frag.end, source.text) if q.after_subject
                       else reporting_cue(parse, frag.start, frag.end, source.text))
            who = attributor.attribute(source, frag, q.context, q.outside, source_mentions, inside, memory,
                                       discourse, cue)
            _remember(memory, discourse, source, frag, who, gazetteer, cue)
            key = (q.sentence_start, who.speaker_id or who.speaker_name or None)
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
                "channel": who.channel, "method": who.method, "resolution": who.resolution,
                "utterance": f"{source.source_id}-U{utterance:02d}", "part": part,
                "closed": frag.closed,
                "cue": source.text[who.cue_start:who.cue_end] if who.cue_start is not None else "",
                "cue_start": who.cue_start if who.cue_start is not None else -1,
                "cue_end": who.cue_end if who.cue_end is not None else -1,
            })
    return TABLES_BY_NAME["quotes"].frame(rows)


def _parse_all(sources: list[Source], contexts: dict[tuple[str, Context], int]) -> list[Parse]:
    """Every context of every source in one pass of the pipeline (a batch parses faster than
    its documents one by one)."""
    if not contexts:
        return []
    by_id = {s.source_id: s for s in sources}
    return parse_contexts((by_id[source_id].text, context) for source_id, context in contexts)


def _remember(memory: _Memory, discourse: Discourse, source: Source, frag: QuoteFragment, who: Attribution,
              gazetteer: Gazetteer, cue: Cue | None) -> None:
    paragraph = _paragraph_index(source, frag.start)
    if who.speaker_name and who.method not in ("continuation", "pronoun") and who.resolution != "cataphora":
        organisation = who.method in ("organisation", "channel") or (
            who.speaker_id is not None and gazetteer[who.speaker_id].type != "person") or (
            cue is not None and cue.kind == "organisation")
        at = frag.start
        if who.cue_start is not None:
            found = source.text.find(who.speaker_name, who.cue_start, who.cue_end)
            at = found if found >= 0 else who.cue_start
        gender = cue.gender if cue is not None and cue.kind in ("name", "surname", "role") else ""
        if not gender and who.cue_start is not None and at >= 0:
            gender = gender_before(source.text, at)
        roles = set(cue.roles) if cue is not None else set()
        discourse.add(Referent(frag.start, who.speaker_name, who.speaker_id, gender, roles,
                               organisation, speaker=True, anonymous=who.method == "anonymous"))
    if _stands_alone(source, frag, paragraph) and who.method in ("continuation", "channel") \
            and who.cue_start is None:
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
