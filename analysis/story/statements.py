"""Statements: what the sources say, merged across sources, each with a cross-source status.

Facts from different sources that state the same thing become one statement listing every source
that makes it:

- *events*: the same topic (``knowledge/topics.yaml``), a shared actor (or none named) and dates
  that overlap; a plan or schedule and a later source's report of the same topic and actors,
  dated on or after the plan, are one statement too (what was promised, and what happened);
- *quantities*: the same topic and the same counted thing (``candidates``);
- *quotes*: the same words (syndicated copies);
- *relations*: the same subject, predicate and object.

Status: *consistent* when every source agrees; *updated* when an earlier source planned or
scheduled it and a later one reports it, or a later source gives another date or number;
*conflicting* when sources published the same day disagree. Conflicting wins over updated.
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
from ..inputs.curated import load_entries

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
    value: tuple = ()  # a quantity's (low, high), an event's (date, date_end)
    text: str = ""
    precision: str = ""


@dataclass
class _Group:
    facts: list[_Fact] = field(default_factory=list)


def build_statements(facts: Facts, topics: list[Topic]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``statements`` and ``statement_facts`` tables of the data package."""
    published = {s.source_id: s.published for s in facts.sources}
    sentence_actors = _sentence_actors(facts)
    groups: list[_Group] = []
    groups += _cluster_events(_event_facts(facts, topics, published))
    groups += _by_key(_quantity_facts(facts, topics, published, sentence_actors))
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


def _event_facts(facts: Facts, topics: list[Topic], published: dict[str, dt.date]) -> list[_Fact]:
    out = []
    for e in plain_rows(facts["events"]):
        if e.precision == "unresolved" or e.rule == "clock":
            continue
        first = period_bounds(e.date)[0]
        last = period_bounds(e.date_end or e.date)[1]
        actors = frozenset(a for a in e.actors.split("|") if a)
        out.append(_Fact("events", e.event_id, e.source_id, published[e.source_id],
                         topic_of(e.description, topics), actors, (), first, last, e.status,
                         (e.date, e.date_end), _without_dateline(facts, e.source_id, e.description),
                         e.precision))
    return out


def _without_dateline(facts: Facts, source_id: str, sentence: str) -> str:
    """A sentence as a summary: without the ``BEIJING (Reuters) —`` that opens an article."""
    source = facts.by_id[source_id]
    if source.dateline:
        opening = source.text[source.dateline.start:source.dateline.end]
        return sentence.removeprefix(opening)
    return sentence


def _cluster_events(events: list[_Fact]) -> list[_Group]:
    """Union of events with the same topic, a shared actor (or none) and overlapping dates; then
    a plan joined to the later report of its topic and actors."""
    parent = list(range(len(events)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def same_actors(a: _Fact, b: _Fact) -> bool:
        return not a.actors or not b.actors or bool(a.actors & b.actors)

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
                a, b = (events[i], events[j]) if i < j else (events[j], events[i])
                if not same_actors(a, b):
                    continue
                overlap = a.first <= b.last and b.first <= a.last
                plan, report = (a, b) if a.published <= b.published else (b, a)
                outcome = (plan.status in ("planned", "scheduled") and report.status == "reported"
                           and report.published > plan.published and report.last >= plan.first
                           and report.precision in ("day", "month") and plan.actors & report.actors)
                if overlap or outcome:
                    parent[find(i)] = find(j)
    groups: dict[int, _Group] = defaultdict(_Group)
    for i, e in enumerate(events):
        groups[find(i)].facts.append(e)
    return list(groups.values())


def _quantity_facts(facts: Facts, topics: list[Topic], published: dict[str, dt.date],
                    actors: dict[tuple[str, int], frozenset[str]]) -> list[_Fact]:
    out = []
    by_id = facts.by_id
    for q in facts["quantities"].itertuples():
        if not q.unit or q.kind == "ordinal":
            continue
        source = by_id[q.source_id]
        index = bisect.bisect_right(source.sentence_starts, q.start) - 1
        sentence = source.sentences[index]
        topic = topic_of(sentence.text, topics)
        low = q.low if pd.notna(q.low) else q.value
        high = q.high if pd.notna(q.high) else q.value
        out.append(_Fact("quantities", q.quantity_id, q.source_id, published[q.source_id], topic,
                         actors.get((q.source_id, index), frozenset()),
                         ("quantity", topic, _singular(q.unit)), value=(low, high), text=q.text))
    return out


def _quote_facts(facts: Facts, published: dict[str, dt.date]) -> list[_Fact]:
    out = []
    for q in facts["quotes"].itertuples():
        words = re.sub(r"\W+", " ", q.text).strip().casefold()
        speaker = q.speaker_id or q.speaker_name
        out.append(_Fact("quotes", q.quote_id, q.source_id, published[q.source_id], "quote",
                         frozenset([q.speaker_id] if q.speaker_id else []), ("quote", words),
                         text=f"{speaker or 'unattributed'}: “{q.text}”"))
    return out


def _relation_facts(facts: Facts, published: dict[str, dt.date]) -> list[_Fact]:
    out = []
    for r in facts["relations"].itertuples():
        out.append(_Fact("relations", r.relation_id, r.source_id, published[r.source_id], "relation",
                         frozenset([r.subject_id, r.object_id]),
                         ("relation", r.subject_id, r.predicate, r.object_id),
                         text=f"{r.subject_id} {r.predicate.replace('_', ' ')} {r.object_id}"))
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
    by_day: dict[dt.date, set] = defaultdict(set)
    said: dict[tuple[dt.date, str], set] = defaultdict(set)  # what each source says, by day
    for f in group.facts:
        by_day[f.published].add(f.value)
        said[(f.published, f.source_id)].add(f.value)
    for day in by_day:
        versions = [values for (d, _), values in said.items() if d == day]
        if any(not (a & b) for i, a in enumerate(versions) for b in versions[i + 1:]):
            return "conflicting"  # two sources of the same day with nothing in common
    if table == "events":
        days = sorted(by_day)
        planned = any(f.status in ("planned", "scheduled") and f.published == days[0]
                      for f in group.facts)
        reported = any(f.status == "reported" and f.published > days[0] for f in group.facts)
        if planned and reported:
            return "updated"
    days = sorted(by_day)
    revised = any(not (by_day[a] & by_day[b]) for a, b in itertools.pairwise(days))
    return "updated" if revised else "consistent"


def _statement_row(statement_id: str, group: _Group) -> dict:
    members = sorted(group.facts, key=lambda f: (f.published, f.source_id, f.fact_id))
    sources = list(dict.fromkeys(f.source_id for f in members))
    first, latest = members[0], members[-1]
    kind = {"events": "event", "quantities": "quantity", "quotes": "quote",
            "relations": "relation"}[first.table]
    date = date_end = precision = ""
    if first.table == "events":
        date, date_end = latest.value
        precision = latest.precision
    if first.table == "quantities":  # what each source said, in the order they said it
        summary = "; ".join(dict.fromkeys(f.text for f in members))
    else:
        summary = latest.text if first.table != "events" else shortened(latest.text, 200)
    actors = sorted(set().union(*(f.actors for f in members)))
    return {"statement_id": statement_id, "kind": kind, "topic": first.topic, "actors": "|".join(actors),
            "date": date, "date_end": date_end, "precision": precision, "status": _status(group),
            "sources": "|".join(sources), "n_sources": len(sources), "first_source": sources[0],
            "latest_source": sources[-1], "summary": summary}


def shortened(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters at most, with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
