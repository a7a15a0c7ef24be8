"""Statements: what the sources say, merged across sources, each with a cross-source status.

Facts from different sources that state the same thing become one statement listing every source
that makes it:

- *events*: the same event, however precisely each source dates it (below);
- *quantities*: the same topic and the same counted thing (``candidates``);
- *quotes*: the same words (syndicated copies);
- *relations*: the same subject, predicate and object.

**When two dated facts are one event.** A date alone is no evidence: two launches in one year
share a topic and a year. Two facts of different sources are *compatible* when all of these hold:

- the same topic (``knowledge/topics.yaml``: the kind of event, a signing, a launch, a landing;
  read from the date's own part of its sentence when the sentence holds several dates);
- their actors agree: one names none, or the countries of one's actors are among the other's
  (an agency or a person counts as its country, a station or mission as its operator's; media
  are channels, not actors): "SUPARCO and the China Manned Space Agency"
  and "China and Pakistan" are the same parties, "China and France" are not. Facts that both name
  missions must name a common one: Shenzhou-19 and Shenzhou-20 are two events whatever the dates;
- their dates can both hold: the periods overlap (a day inside a stated month, "the end of
  February" inside February, a year containing the month).

Compatible facts are gathered most precise first. A fact joins the statement of the compatible
facts already placed when they all belong to one statement (or to statements it can make one),
its date fits the days every member can hold, and its actors agree with the statement's (its
members' together). A coarser fact compatible with two
statements that are not one (a year, with a launch in April and another in October) joins
neither and stays a statement of its own: it cannot say which it means, so a year never bridges
two months, nor a month two days. It joins later only if those statements become one.

Statements whose dates cannot both hold are then joined in two cases only:

- a plan or schedule and a later source's report of the same topic and a shared actor, dated on or
  after the plan: what was promised and what happened;
- two sources that say the same thing in the same words but for the date (the date expressions
  differ, both dates lie in one calendar year): a copy whose date was changed, the one case where a
  different date is evidence of a disagreement rather than of another event. Otherwise facts
  whose dates cannot both hold stay separate statements.

A syndicated copy (the same text, or most of its sentences, ``inputs/copies.py``) says what its
original says: a sentence of it with the date written the same way is the original's date and
statement, whatever the topic ("will launch on Thursday", reprinted three days later, is not the
next Thursday).

A statement is dated by its most precise source (``date_source``; of a plan and its report, by
the report; where sources disagree, among the dates that agree with the latest source's) and
lists the other sources' own words for the date (``other_wordings``).

**Status**: *consistent* when every source agrees; *updated* when an earlier source planned or
scheduled it and a later one reports it, or a later source gives a date or number that cannot hold
with the earlier one's; *conflicting* when sources published the same day disagree: numbers that
differ, or dates that cannot both hold (February and March; a day outside the stated period). A
month and a day inside it, or a year and a month of it, agree. Conflicting wins over updated.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..datapackage import TABLES_BY_NAME, plain_rows
from ..errors import InputError
from ..facts.dates import period_bounds
from ..facts.extract import Facts
from ..inputs.copies import Library
from ..inputs.curated import load_entries
from ..inputs.sources import Source

OTHER = "other"


@dataclass(frozen=True)
class Topic:
    topic_id: str
    label: str
    cues: re.Pattern[str]


def load_topics(path: Path) -> list[Topic]:
    """``topics.yaml``, validated: every entry with an id, a label and cues."""
    topics, seen = [], set()
    for entry in load_entries(path):
        entry.require("id", "label", "cues", "source")
        topic_id = str(entry["id"])
        if not re.fullmatch(r"[a-z_]+", topic_id) or topic_id == OTHER:
            raise entry.fail(f"topic id {topic_id!r} must be lower-case letters (and not {OTHER!r})",
                             fix="rename it", key="id")
        if topic_id in seen:
            raise entry.fail(f"topic {topic_id!r} is listed twice", fix="merge the two entries", key="id")
        cues = entry["cues"]
        if not isinstance(cues, list) or not all(isinstance(c, str) and c.strip() for c in cues):
            raise entry.fail("cues must be a list of words or phrases", fix="write cues: [word, phrase]",
                             key="cues")
        seen.add(topic_id)
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(c.strip()) for c in cues) + r")\b", re.I)
        topics.append(Topic(topic_id, str(entry["label"]), pattern))
    if not topics:
        raise InputError(path, "no topics", line=1, fix="restore topics.yaml from git")
    return topics


def topic_of(sentence: str, topics: list[Topic]) -> str:
    return next((t.topic_id for t in topics if t.cues.search(sentence)), OTHER)


class _TopicsOf(dict):
    """Sentence → topic, each sentence read once (syndicated copies repeat sentences, and a
    sentence holding several facts is asked about once per fact)."""

    def __init__(self, topics: list[Topic]) -> None:
        super().__init__()
        self.topics = topics

    def __missing__(self, sentence: str) -> str:
        self[sentence] = found = topic_of(sentence, self.topics)
        return found


@dataclass
class _Fact:
    table: str
    fact_id: str
    source_id: str
    published: dt.date
    topic: str
    actors: frozenset[str]
    key: tuple  # what must agree for two facts to be one statement (beyond topic and actors)
    first: dt.date | None = None
    last: dt.date | None = None
    status: str = ""  # an event's: reported | scheduled | planned
    value: tuple = ()  # a quantity's (low, high), an event's (first, last) day
    text: str = ""
    precision: str = ""
    dated: tuple[str, str] = ("", "")  # an event's date and date_end, as in the events table
    words: str = ""  # an event's date expression, as its source writes it
    countries: frozenset[str] = frozenset()  # the actors' countries (media left out)
    missions: frozenset[str] = frozenset()  # the missions named: each is one event
    plain: tuple = ()  # an event's sentence without its dates and dateline, and which date it is
    original: _Fact | None = None  # the same sentence's date in the article this one copies

    @property
    def days(self) -> int:
        return (self.last - self.first).days if self.first and self.last else 0


@dataclass
class _Group:
    facts: list[_Fact] = field(default_factory=list)


def build_statements(facts: Facts, topics: list[Topic]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``statements`` and ``statement_facts`` tables of the data package."""
    published = {s.source_id: s.published for s in facts.sources}
    sentence_actors = _sentence_actors(facts)
    groups: list[_Group] = []
    topic = _TopicsOf(topics)
    groups += _cluster_events(_event_facts(facts, topic, published))
    groups += _by_key(_quantity_facts(facts, topic, published, sentence_actors))
    groups += _by_key(_quote_facts(facts, published))
    groups += _by_key(_relation_facts(facts, published))
    rows, links = [], []
    order = sorted(groups, key=lambda g: (min(f.published for f in g.facts), g.facts[0].table,
                                          min(f.fact_id for f in g.facts)))
    for number, group in enumerate(order, 1):
        statement_id = f"S{number:03d}"
        rows.append(_statement_row(statement_id, group))
        links += [{"statement_id": statement_id, "table": f.table, "fact_id": f.fact_id,
                   "source_id": f.source_id}
                  for f in sorted(group.facts, key=lambda f: (f.source_id, f.fact_id))]
    return TABLES_BY_NAME["statements"].frame(rows), TABLES_BY_NAME["statement_facts"].frame(links)


def _sentence_actors(facts: Facts) -> dict[tuple[str, int], frozenset[str]]:
    """Actors named in each sentence (source_id, sentence index)."""
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    mentions = facts["mentions"]
    for source_id, sentence, entity_id in zip(mentions.source_id.tolist(), mentions.sentence.tolist(),
                                              mentions.entity_id.tolist(), strict=True):
        found[(source_id, int(sentence))].add(entity_id)
    return {k: frozenset(v) for k, v in found.items()}


def _event_facts(facts: Facts, topic_of: _TopicsOf, published: dict[str, dt.date]) -> list[_Fact]:
    events = facts["events"]
    dates_in: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)  # every date of a sentence
    for source_id, sentence, start, end, rule in zip(
            events.source_id.tolist(), events.sentence_start.tolist(), events.start.tolist(),
            events.end.tolist(), events.rule.tolist(), strict=True):
        if rule != "clock":
            dates_in[(source_id, int(sentence))].append((int(start), int(end)))
    entities = facts.knowledge.gazetteer.entities
    read: dict[tuple[str, int], _DatedSentence] = {}
    out = []
    for e in plain_rows(events):
        if e.precision == "unresolved" or e.rule == "clock":
            continue
        key = (e.source_id, int(e.sentence_start))
        if key not in read:  # the sentence itself: a long one's description is cut around its date
            source = facts.by_id[e.source_id]
            read[key] = _DatedSentence.read(source, key[1], source.text[key[1]:int(e.sentence_end)],
                                            dates_in[key])
        sentence = read[key]
        first = period_bounds(e.date)[0]
        last = period_bounds(e.date_end or e.date)[1]
        actors = frozenset(a for a in e.actors.split("|") if a)
        named = [entities[a] for a in actors if a in entities]
        countries = frozenset(x.country or x.entity_id for x in named if x.type != "media")
        missions = frozenset(x.entity_id for x in named if x.type == "mission")
        part = sentence.parts[(int(e.start), int(e.end))]
        out.append(_Fact("events", e.event_id, e.source_id, published[e.source_id],
                         topic_of[part], actors, (), first, last, e.status,
                         (first, last), _without_dateline(facts, e.source_id, e.description),
                         e.precision, (e.date, e.date_end), e.evidence, countries, missions,
                         (sentence.plain, sentence.slots[(int(e.start), int(e.end))])))
    _dated_as_originals(facts.sources, out)
    return out


def _dated_as_originals(sources: list[Source], events: list[_Fact]) -> None:
    """A syndicated copy's sentence says what its original's says: where a copy (the same text,
    or most of its sentences, ``inputs/copies.py``) has the same sentence with the date written
    the same way, its date is read as the original's. "Will launch on Thursday", reprinted three
    days later, is the original's Thursday, not the next one."""
    library, original_of = Library([]), {}
    for source in sorted(sources, key=lambda s: (s.published, s.source_id)):
        copy = library.copy_of(source)
        if copy is not None:
            original_of[source.source_id] = copy.of
        library.add(source)
    if not original_of:
        return
    said = {(f.source_id, f.plain, _same_words(f.words)): f for f in events}
    for f in events:
        source, first = f.source_id, None
        while source in original_of:  # up to the first source with this sentence (copy_of looks back only)
            source = original_of[source]
            first = said.get((source, f.plain, _same_words(f.words))) or first
        if first is not None:
            f.first, f.last, f.value, f.dated = first.first, first.last, first.value, first.dated
            f.precision, f.status, f.original = first.precision, first.status, first


def _same_words(words: str) -> str:
    return " ".join(words.split()).casefold()


def _without_dateline(facts: Facts, source_id: str, sentence: str) -> str:
    """A sentence as a summary: without the ``BEIJING (Reuters) —`` that opens an article."""
    source = facts.by_id[source_id]
    if source.dateline:
        opening = source.text[source.dateline.start:source.dateline.end]
        return sentence.removeprefix(opening)
    return sentence


_JOINED = re.compile(r"[\s,]*(?:(?:and|or|to)\b|[-–])?\s*(?:(?:on|in|at|by)\b)?\s*", re.I)
_BEFORE_DATE = re.compile(r"\b(?:on|in|at|by|during|since|until|from|before|after|of|for)\s+$", re.I)


@dataclass(frozen=True)
class _DatedSentence:
    """What a sentence with dates says around them, read once however many dates it holds."""

    parts: dict[tuple[int, int], str]  # each date's span → the part its topic is read from
    plain: tuple[tuple[str, ...], ...]  # its words around the dates (and dateline), lower-cased
    slots: dict[tuple[int, int], int]  # each date's span → after which of those stretches it stands

    @classmethod
    def read(cls, source: Source, sentence_start: int, sentence: str,
             dates: list[tuple[int, int]]) -> _DatedSentence:
        """A date's topic is read from all of the sentence when it holds one date (or dates joined
        by "and", "or", "to", a comma or a dash: "on 24 April and 31 October"); else from the end
        of the date before it to the start of the date after. "An agreement signed in February …
        was a precursor the mission announced Wednesday" dates the agreement in February, not on
        Wednesday. The plain words leave out each date with the preposition before it, and the
        dateline: what two copies of one sentence share when only a date was changed ("on 10
        February" in one, "in late February" in the other)."""
        spans = sorted({(a - sentence_start, b - sentence_start) for a, b in dates})
        groups: list[list[tuple[int, int]]] = []
        for span in spans:
            if groups and _JOINED.fullmatch(sentence, groups[-1][-1][1], span[0]):
                groups[-1].append(span)
            else:
                groups.append([span])
        parts = {}
        for k, group in enumerate(groups):
            start = groups[k - 1][-1][1] if k else 0
            end = groups[k + 1][0][0] if k + 1 < len(groups) else len(sentence)
            parts.update({(a + sentence_start, b + sentence_start): sentence[start:end] for a, b in group})
        blank = list(spans)
        if source.dateline and source.dateline.start < sentence_start + len(sentence) \
                and source.dateline.end > sentence_start:
            blank.append((source.dateline.start - sentence_start, source.dateline.end - sentence_start))
        kept, reached, slots = [], 0, {}
        for start, end in sorted(blank):
            window = max(start - 16, reached, 0)
            before = _BEFORE_DATE.search(sentence, window, max(start, 0))
            kept.append(tuple(re.findall(r"\w+", sentence[reached:before.start() if before else
                                                           max(start, reached)].casefold())))
            slots[(start + sentence_start, end + sentence_start)] = len(kept)
            reached = max(reached, end)
        kept.append(tuple(re.findall(r"\w+", sentence[reached:].casefold())))
        return cls(parts, tuple(kept), slots)


def _overlap(a: _Fact, b: _Fact) -> bool:
    """The two dates can both hold: their periods share a day."""
    return a.first <= b.last and b.first <= a.last


def _actors_agree(a: _Fact | _Parties, b: _Fact | _Parties) -> bool:
    """Whether two facts may be about the same parties (see the module's docstring)."""
    if a.missions and b.missions and not a.missions & b.missions:
        return False
    if not a.actors or not b.actors:
        return True
    return a.countries <= b.countries or b.countries <= a.countries


def _an_outcome(a: _Fact, b: _Fact) -> bool:
    """One planned or scheduled it, a later source reports it (from its date on)."""
    plan, report = (a, b) if a.published <= b.published else (b, a)
    return (plan.status in ("planned", "scheduled") and report.status == "reported"
            and report.published > plan.published and report.last >= plan.first
            and report.precision in ("day", "month") and bool(plan.actors & report.actors))


def _same_words_other_date(a: _Fact, b: _Fact) -> bool:
    """The same sentence but for its date, the dates written differently, in one calendar year."""
    return (a.plain == b.plain and sum(len(words) for words in a.plain[0]) >= 3
            and _same_words(a.words) != _same_words(b.words)
            and a.first.year == a.last.year == b.first.year == b.last.year)


def _cluster_events(events: list[_Fact]) -> list[_Group]:
    """Events gathered into statements, most precise first (see the module's docstring)."""
    compatible: list[list[int]] = [[] for _ in events]
    joined: list[tuple[int, int]] = []
    by_topic: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(events):
        if e.topic != OTHER:
            by_topic[e.topic].append(i)
    for members in by_topic.values():
        # pairs across sources only, never within one: a long article's own events are not
        # compared with each other (that made one large source quadratic)
        by_source: dict[str, list[int]] = defaultdict(list)
        for i in members:
            by_source[events[i].source_id].append(i)
        blocks = list(by_source.values())
        for x, block in enumerate(blocks):
            later = [j for other in blocks[x + 1:] for j in other]
            for i, j in ((i, j) for i in block for j in later):
                a, b = events[i], events[j]
                if not _actors_agree(a, b):
                    continue
                if _overlap(a, b):
                    compatible[i].append(j)
                    compatible[j].append(i)
                elif _an_outcome(a, b) or _same_words_other_date(a, b):
                    joined.append((i, j))
    clusters = _Clusters(events)
    ambiguous = []
    for i in sorted(range(len(events)), key=lambda i: (events[i].days, events[i].published,
                                                       events[i].source_id, events[i].fact_id)):
        placed = {clusters.of(j) for j in compatible[i] if clusters.placed(j)}
        if not clusters.join(i, placed):
            ambiguous.append(i)
    index = {id(e): i for i, e in enumerate(events)}
    joined += [(i, index[id(e.original)]) for i, e in enumerate(events) if e.original is not None]
    for i, j in joined:  # and a copy's date is its original's, whatever the topic
        clusters.union(clusters.of(i), clusters.of(j))
    for i in ambiguous:  # statements it could not choose between may have become one
        own = clusters.of(i)
        others = {clusters.of(j) for j in compatible[i]} - {own}
        if len(others) == 1 and clusters.members(own) == [i] and clusters.fits(i, others):
            clusters.union(others.pop(), own)
    return [_Group([events[i] for i in sorted(members)]) for members in clusters.groups()]


@dataclass(frozen=True)
class _Parties:
    """The actors of a statement's facts together, to compare with a fact's."""

    actors: frozenset[str]
    countries: frozenset[str]
    missions: frozenset[str]

    @classmethod
    def of(cls, a: _Fact | _Parties, b: _Fact | _Parties | None = None) -> _Parties:
        """One fact's or statement's parties, or two together (a generator over the three names
        cost a tenth of a long article's statements)."""
        if b is None:
            return cls(a.actors, a.countries, a.missions)
        return cls(a.actors | b.actors, a.countries | b.countries, a.missions | b.missions)


class _Clusters:
    """Statements being gathered: each with its members and the days every member can hold."""

    def __init__(self, events: list[_Fact]) -> None:
        self.events = events
        self.cluster = [-1] * len(events)
        self.parent: list[int] = []
        self.core: list[tuple[dt.date, dt.date] | None] = []
        self.member: list[list[int]] = []
        self.parties: list[_Parties] = []  # each statement's actors together

    def placed(self, i: int) -> bool:
        return self.cluster[i] >= 0

    def of(self, i: int) -> int:
        c = self.cluster[i]
        while self.parent[c] != c:
            self.parent[c] = self.parent[self.parent[c]]
            c = self.parent[c]
        return c

    def members(self, c: int) -> list[int]:
        return self.member[c]

    def fits(self, i: int, clusters: set[int]) -> bool:
        """The fact's date can hold with every member's of these statements, and the actors of
        all of them agree (so that the fact may make them one). A statement joined from dates
        that cannot all hold (a plan and its report) has no date test left."""
        first, last = self._common(i, clusters)
        if first > last:
            return False
        parties = [self.events[i], *(self.parties[c] for c in clusters)]
        return all(_actors_agree(a, b) for x, a in enumerate(parties) for b in parties[x + 1:])

    def _common(self, i: int, clusters: set[int]) -> tuple[dt.date, dt.date]:
        first, last = self.events[i].first, self.events[i].last
        for c in clusters:
            if self.core[c] is not None:
                first, last = max(first, self.core[c][0]), min(last, self.core[c][1])
        return first, last

    def join(self, i: int, clusters: set[int]) -> bool:
        """Put a fact into the statement its compatible facts placed so far are in, making one
        of several when it fits them all; else into a statement of its own. False when it
        could not choose."""
        e = self.events[i]
        if not clusters or not self.fits(i, clusters):
            c = len(self.parent)
            self.parent.append(c)
            self.core.append((e.first, e.last))
            self.member.append([i])
            self.parties.append(_Parties.of(e))
            self.cluster[i] = c
            return not clusters
        core = self._common(i, clusters)
        target = min(clusters)
        for c in clusters - {target}:
            self.union(target, c)
        self.core[target] = core
        self.cluster[i] = target
        self.member[target].append(i)
        self.parties[target] = _Parties.of(self.parties[target], e)
        return True

    def union(self, a: int, b: int) -> None:
        if a == b:
            return
        a, b = min(a, b), max(a, b)
        self.parent[b] = a
        self.member[a] += self.member[b]
        self.member[b] = []
        self.parties[a] = _Parties.of(self.parties[a], self.parties[b])
        self.core[a] = None  # dates that cannot all hold: nothing more joins by its date

    def groups(self) -> list[list[int]]:
        return [m for c, m in enumerate(self.member) if m and self.parent[c] == c]


def _quantity_facts(facts: Facts, topic_of: _TopicsOf, published: dict[str, dt.date],
                    actors: dict[tuple[str, int], frozenset[str]]) -> list[_Fact]:
    out = []
    by_id = facts.by_id
    for q in facts["quantities"].itertuples():
        if not q.unit or q.kind == "ordinal":
            continue
        source = by_id[q.source_id]
        index = bisect.bisect_right(source.sentence_starts, q.start) - 1
        sentence = source.sentences[index]
        topic = topic_of[sentence.text]
        low = q.low if pd.notna(q.low) else q.value
        high = q.high if pd.notna(q.high) else q.value
        out.append(_Fact("quantities", q.quantity_id, q.source_id, published[q.source_id], topic,
                         actors.get((q.source_id, index), frozenset()),
                         ("quantity", topic, _singular(q.unit)), value=(low, high), text=q.text))
    return out


def _quote_facts(facts: Facts, published: dict[str, dt.date]) -> list[_Fact]:
    out = []
    names = _names(facts)
    for q in facts["quotes"].itertuples():
        words = re.sub(r"\W+", " ", q.text).strip().casefold()
        speaker = names.get(q.speaker_id) or q.speaker_name  # a summary is read: names, not ids
        out.append(_Fact("quotes", q.quote_id, q.source_id, published[q.source_id], "quote",
                         frozenset([q.speaker_id] if q.speaker_id else []), ("quote", words),
                         text=f"{speaker or 'unattributed'}: “{q.text}”"))
    return out


def _names(facts: Facts) -> dict[str, str]:
    entities = facts["entities"]
    return dict(zip(entities.entity_id.tolist(), entities.name.tolist(), strict=True))


def _relation_facts(facts: Facts, published: dict[str, dt.date]) -> list[_Fact]:
    out = []
    names = _names(facts)
    for r in facts["relations"].itertuples():
        out.append(_Fact("relations", r.relation_id, r.source_id, published[r.source_id], "relation",
                         frozenset([r.subject_id, r.object_id]),
                         ("relation", r.subject_id, r.predicate, r.object_id),
                         text=f"{names.get(r.subject_id, r.subject_id)} {r.predicate.replace('_', ' ')} "
                              f"{names.get(r.object_id, r.object_id)}"))
    return out


def _by_key(facts: list[_Fact]) -> list[_Group]:
    groups: dict[tuple, _Group] = defaultdict(_Group)
    for f in facts:
        groups[f.key].facts.append(f)
    return list(groups.values())


def _singular(word: str) -> str:
    word = word.lower()
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _status(group: _Group) -> str:
    sources = {f.source_id for f in group.facts}
    if len(sources) < 2:
        return "single source"
    table = group.facts[0].table
    if table in ("quotes", "relations"):
        return "consistent"
    agree = _dates_agree if table == "events" else _values_agree
    by_day: dict[dt.date, set] = defaultdict(set)
    said: dict[dt.date, dict[str, set]] = defaultdict(lambda: defaultdict(set))  # by day and source
    for f in group.facts:
        by_day[f.published].add(f.value)
        said[f.published][f.source_id].add(f.value)
    for of_day in said.values():
        versions = list(of_day.values())
        if any(not agree(a, b) for i, a in enumerate(versions) for b in versions[i + 1:]):
            return "conflicting"  # two sources of the same day with nothing in common
    if table == "events":
        days = sorted(by_day)
        planned = any(f.status in ("planned", "scheduled") and f.published == days[0]
                      for f in group.facts)
        reported = any(f.status == "reported" and f.published > days[0] for f in group.facts)
        if planned and reported:
            return "updated"
    days = sorted(by_day)
    revised = any(not agree(by_day[a], by_day[b]) for a, b in itertools.pairwise(days))
    return "updated" if revised else "consistent"


def _values_agree(a: set, b: set) -> bool:
    """Two sources' numbers agree when they give one the same."""
    return bool(a & b)


def _dates_agree(a: set[tuple[dt.date, dt.date]], b: set[tuple[dt.date, dt.date]]) -> bool:
    """Two sources' dates agree when one of each can both hold: a month and a day in it do."""
    return any(x[0] <= y[1] and y[0] <= x[1] for x in a for y in b)


def _shown(members: list[_Fact]) -> _Fact:
    """The event fact whose date a statement shows: of a plan and its report, the report's; among
    the dates that can hold with the latest source's, the most precise (the latest of equals)."""
    reported = [f for f in members if f.status == "reported"]
    pool = reported or members
    latest = max(pool, key=lambda f: (f.published, f.source_id, f.fact_id))
    agreeing = [f for f in pool if _overlap(f, latest)]
    return max(agreeing, key=lambda f: (-f.days, f.published, f.source_id, f.fact_id))


def _other_wordings(members: list[_Fact], shown: _Fact) -> str:
    """The other sources' words for the date, each once with the sources that wrote it."""
    sources_of: dict[str, list[str]] = {}
    for f in members:
        if f is not shown:
            said = sources_of.setdefault(" ".join(f.words.split()), [])
            if f.source_id not in said:
                said.append(f.source_id)
    return "; ".join(f"“{words}” ({', '.join(ids)})" for words, ids in sources_of.items())


def wordings(other_wordings: str) -> list[tuple[str, list[str]]]:
    """A statement's ``other_wordings`` read back: each wording with the source_ids that wrote it."""
    return [(words, ids.split(", ")) for words, ids in re.findall(r"“(.+?)” \(([^)]+)\)", other_wordings)]


def _statement_row(statement_id: str, group: _Group) -> dict:
    members = sorted(group.facts, key=lambda f: (f.published, f.source_id, f.fact_id))
    sources = list(dict.fromkeys(f.source_id for f in members))
    first, latest = members[0], members[-1]
    kind = {"events": "event", "quantities": "quantity", "quotes": "quote",
            "relations": "relation"}[first.table]
    date = date_end = precision = date_source = date_words = others = ""
    if first.table == "events":
        shown = _shown(members)
        (date, date_end), precision, date_source = shown.dated, shown.precision, shown.source_id
        date_words = " ".join(shown.words.split())
        others = _other_wordings(members, shown)
        summary = shortened(shown.text, 200)
    elif first.table == "quantities":  # what each source said, in the order they said it
        summary = "; ".join(dict.fromkeys(f.text for f in members))
    else:
        summary = latest.text
    actors = sorted(set().union(*(f.actors for f in members)))
    return {"statement_id": statement_id, "kind": kind, "topic": first.topic, "actors": "|".join(actors),
            "date": date, "date_end": date_end, "precision": precision, "date_source": date_source,
            "date_words": date_words, "other_wordings": others, "status": _status(group),
            "sources": "|".join(sources), "n_sources": len(sources), "first_source": sources[0],
            "latest_source": sources[-1], "summary": summary}


def shortened(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters at most, with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
