"""The briefing's content: key judgements, numbered figures, the watch list and the evidence.

Prose lives in ``knowledge/judgements.yaml`` as templates; every number in it is filled from
``numbers()``, computed from the facts and the record. Every judgement and finding links to
evidence items (a passage of a source with its offsets, or a reference row) rendered in the
briefing's evidence section. All source text is HTML-escaped before it reaches the page.
"""

from __future__ import annotations

import html
import re
import string
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError
from ..facts.extract import Facts, extract_facts
from ..inputs.curated import Entry, load_entries
from ..network.graph import SIDES, ActorGraph, metrics
from ..paths import ProjectPaths, slug
from ..record.charts import satellite_launches
from ..record.checks import CHECKS
from ..record.tables import SPECS, PublicRecord
from ..record.verdicts import assess, claim_span, load_checks
from ..story.statements import Topic, build_statements, load_topics
from .html import cell_text

CONFIDENCE = {"high": "well supported by several independent rows of the record",
              "moderate": "supported, but resting on one source or on a plan not yet carried out",
              "low": "a reading of the reporting's framing rather than a checked fact"}


@dataclass
class Briefing:
    """Everything the briefing shows, computed once from the sources, curation and record."""

    paths: ProjectPaths
    facts: Facts
    record: PublicRecord
    values: dict[str, dict]  # claim_id → what its check computed

    @classmethod
    def assemble(cls, paths: ProjectPaths | None = None) -> Briefing:
        paths = paths or ProjectPaths.default()
        facts = extract_facts(paths)
        record = PublicRecord.load(paths.reference)
        checks = load_checks(paths.curated.checks, facts)
        check_judgement_values(paths.curated.judgements, checks)  # before any check runs
        assessment = assess(facts, record, checks)
        facts.tables["claims"] = assessment.claims
        return cls(paths, facts, record, assessment.values)

    @property
    def claims(self) -> pd.DataFrame:
        return self.facts["claims"]

    @property
    def published(self) -> str:
        """The latest source's date."""
        return max(s.published for s in self.facts.sources).isoformat()

    @property
    def source_span(self) -> str:
        """When the sources were published: one date, or the first to the last."""
        dates = sorted({s.published for s in self.facts.sources})
        first, last = f"{dates[0]:%d %B %Y}".lstrip("0"), f"{dates[-1]:%d %B %Y}".lstrip("0")
        return first if first == last else f"{first} to {last}"

    @cached_property
    def statements(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """What the sources say, merged across sources (``statements``, ``statement_facts``)."""
        return build_statements(self.facts, self.topics)

    @cached_property
    def topics(self) -> list[Topic]:
        return load_topics(self.paths.curated.topics)

    def sources_table(self) -> pd.DataFrame:
        """One row per source, oldest first: who, when, from where, and what it added that no
        earlier source had (the statements it was the first to make)."""
        statements, _ = self.statements
        labels = {t.topic_id: t.label for t in self.topics}
        rows = []
        for s in sorted(self.facts.sources, key=lambda s: (s.published, s.source_id)):
            first = statements[statements.first_source == s.source_id]
            topics = [labels[t] for t in dict.fromkeys(first[first.kind == "event"].topic) if t in labels]
            added = f"{len(first)} new" + (f": {', '.join(topics[:3])}" if topics else "")
            outlet = f"({s.dateline_outlet})" if s.dateline_outlet else ""
            dateline = " ".join(x for x in (s.dateline_place, outlet) if x)
            rows.append({"source": s.outlet, "date": f"{s.published:%Y-%m-%d}",
                         "byline": " and ".join(s.authors), "dateline": dateline,
                         "words": len(s.text.split()), "added": added, "source_id": s.source_id})
        return pd.DataFrame(rows)

    def story_moves(self) -> pd.DataFrame:
        """Statements made by more than one source that were updated or disagree, by topic."""
        statements, _ = self.statements
        labels = {t.topic_id: t.label for t in self.topics}
        outlets = {s.source_id: f"{s.outlet} {s.published:%Y-%m-%d}" for s in self.facts.sources}
        moved = statements[(statements.n_sources > 1) & statements.status.isin(["updated", "conflicting"])]
        return pd.DataFrame([{
            "topic": labels.get(r.topic, r.topic), "status": r.status,
            "sources": "; ".join(outlets[x] for x in r.sources.split("|")),
            "summary": r.summary, "statement_id": r.statement_id,
        } for r in moved.itertuples()], columns=["topic", "status", "sources", "summary", "statement_id"])

    @cached_property
    def actors(self) -> ActorGraph:
        return ActorGraph.from_facts(self.facts)

    @cached_property
    def metrics(self) -> pd.DataFrame:
        return metrics(self.actors)

    # --- numbers used in prose ---------------------------------------------------------------

    @cached_property
    def numbers(self) -> dict[str, Any]:
        """Every value the prose may use. Claim-specific values come from the claim's check
        (``check[CLAIM_ID][NAME]``); the rest are aggregates over the facts and the record."""
        r = self.record
        stations = r.station_visitors
        soviet = stations[stations.host.str.startswith("Soviet")]
        guests = stations[stations.foreign_nationalities_count.fillna(0) > 0].sort_values("crewed_from")
        launches = satellite_launches(r)
        by_china = launches.launched_by_china.astype(bool)
        crewed = r.crewed_missions[r.crewed_missions.crew_size > 0]
        reviewed = self.claims[self.claims.origin != "automatic"]  # automatic claims await review
        counts = reviewed.verdict.value_counts()
        bridges = self.metrics[(self.metrics.bridging > 0) & ~self.metrics.entity_id.isin(SIDES)]
        others = self.metrics[self.metrics.type != "country"]
        companies = self.metrics[self.metrics.type == "company"]
        relations = self.facts["relations"]
        company_relations = relations[relations.subject_id.isin(companies.entity_id)]
        investing = company_relations[company_relations.predicate == "invests_in"]
        mentions = self.facts["mentions"].entity_id.value_counts()
        return {
            "published": self.published,
            "record_as_of": r.as_of,
            "check": self.values,
            "soviet_foreign": int(soviet.foreign_nationalities_count.fillna(0).sum()),
            "first_guest_station": guests.iloc[0].station if len(guests) else "none",
            "pak_launches": len(launches),
            "pak_by_china": int(by_china.sum()),
            "pak_share_china": f"{by_china.mean():.0%}" if len(launches) else "0%",
            "last_other_launch_year": launches[~by_china].date.max()[:4] if (~by_china).any() else "ever",
            "crews_per_year": {d: _per_year(crewed[crewed.destination == d]) for d in
                               crewed.destination.unique()},
            "first_crew_year": {d: int(crewed[crewed.destination == d].launch_utc.min().year)
                                for d in crewed.destination.unique()},
            "supported": int(counts.get("supported", 0)),
            "checkable": int((reviewed.verdict != "opinion").sum()),
            "not_supported": int((~reviewed.verdict.isin(["supported", "opinion"])).sum()),
            "verdicts": {v: int(c) for v, c in counts.items()},
            "top_bridges": _and([*bridges.sort_values("bridging", ascending=False).name.head(3)]),
            "top_actors": _and(list(self.metrics.name.head(2))),
            "top_non_state": others.iloc[0]["name"] if len(others) else "none",
            "companies": _and(list(companies.name)) or "no company",
            "company_relations": len(company_relations),
            "company_intents": int((investing.qualifier == "intent").sum()),
            "company_investments": int((investing.qualifier != "intent").sum()),
            "mentions": {e: int(c) for e, c in mentions.items()},
            "mentions_text": {e: _times(int(c)) for e, c in mentions.items()},
        }

    # --- key judgements ----------------------------------------------------------------------

    def judgements(self, path: Path | None = None) -> list[Judgement]:
        path = path or self.paths.curated.judgements
        found = []
        entries = load_entries(path)
        if not 3 <= len(entries) <= 6:
            raise InputError(path, f"{len(entries)} key judgements; a briefing states 3 to 6",
                             line=entries[0].line if entries else 1, fix="merge, add or drop judgements")
        for entry in entries:
            entry.require("id", "confidence", "text", "evidence")
            if entry["confidence"] not in CONFIDENCE:
                raise entry.fail(f"unknown confidence {entry['confidence']!r}",
                                 fix=f"use one of: {', '.join(CONFIDENCE)}")
            text = _fill(entry, self.numbers)
            evidence = [self.evidence(ref, entry) for ref in entry["evidence"]]
            found.append(Judgement(entry["id"], entry["confidence"], text, evidence))
        return found

    # --- evidence ----------------------------------------------------------------------------

    def evidence(self, ref: str, entry: Entry | None = None) -> Evidence:
        """Resolve ``claim:ID``, ``quote:SPEAKER``, ``relation:S:PREDICATE:O`` or ``row:TABLE:KEY``."""
        kind, _, rest = ref.partition(":")
        try:
            if kind == "claim":
                row = self.claims.set_index("claim_id").loc[rest]
                return self._span(f"claim-{rest}", row.topic, row.source_id, row.start, row.end,
                                  f"verdict: {row.verdict} ({row.method}) — {row.note}")
            if kind == "quote":
                quotes = self.facts["quotes"]
                if re.fullmatch(r"Q\d+", rest):
                    q = quotes.set_index("quote_id").loc[rest]
                    anchor = f"quote-{rest}"
                else:  # a speaker: their longest quotation stands for them
                    rows = quotes[quotes.speaker_id == rest]
                    q = rows.loc[rows.text.str.len().idxmax()]
                    anchor = f"quote-{rest}"
                names = self.facts["entities"].set_index("entity_id")["name"]
                speaker = names.get(q.speaker_id) or q.speaker_name or "unresolved speaker"
                channel = names.get(q.channel, q.channel)
                return self._span(anchor, f"{speaker}, quoted", q.source_id, int(q.start), int(q.end),
                                  f"channel: {channel}; attribution ({q.method}): “{q.cue}”")
            if kind == "relation":
                s, predicate, o = rest.split(":")
                relations = self.facts["relations"]
                row = relations[(relations.subject_id == s) & (relations.predicate == predicate)
                                & (relations.object_id == o)].iloc[0]
                names = self.facts["entities"].set_index("entity_id")["name"]
                label = f"{names[s]} {predicate.replace('_', ' ')} {names[o]}"
                return self._span(f"relation-{s}-{predicate}-{o}", label,
                                  row.source_id, int(row.start), int(row.end), f"relation {row.relation_id}")
            if kind == "row":
                table, key = rest.split(":", 1)
                return self._row(table, key)
        except (KeyError, IndexError, ValueError):
            pass
        problem = f"evidence {ref!r} does not resolve"
        if entry is not None:
            raise entry.fail(problem, fix="use claim:ID, quote:SPEAKER_ID, relation:S:PREDICATE:O "
                                           "or row:TABLE:KEY with existing ids")
        raise KeyError(problem)

    def _span(self, anchor: str, label: str, source_id: str, start: int, end: int, note: str) -> Evidence:
        source = self.facts.by_id[source_id]
        first = source.sentence_at(start)
        last = source.sentence_at(max(start, end - 1))
        before = source.text[first.start:start]
        words = source.text[start:end]
        after = source.text[end:last.end]
        passage = (f"{html.escape(before)}<mark>{html.escape(words)}</mark>{html.escape(after)}")
        where = f"{source.outlet}, {source.published:%d %B %Y} · {source_id}, characters {start}–{end}"
        return Evidence(anchor, label, passage, where, note)

    def _row(self, table: str, key: str) -> Evidence:
        spec = next((s for s in SPECS if s.name == table), None)
        if spec is None:
            raise KeyError(f"no reference table {table!r}")
        frame = getattr(self.record, table)
        row = frame[frame[spec.key].astype(str) == key].iloc[0]
        summary = "; ".join(f"{c.name}: {cell_text(row[c.name])}" for c in spec.columns
                            if c.name not in ("sources", "notes") and cell_text(row[c.name]))
        flag = " · rests on background knowledge only" if row.bk else ""
        where = f"{self.paths.relative(self.paths.reference)}/{row.ref}{flag}"
        return Evidence(f"row-{table}-{slug(key)}", f"{key} ({spec.file})", html.escape(summary), where,
                        f"sources: {row.sources}")

    # --- what to watch -----------------------------------------------------------------------

    def watch_list(self) -> pd.DataFrame:
        """The article's scheduled and planned items, with their status as of the record."""
        claims = self.claims
        rows = []
        for claim in claims[claims.kind.isin(["schedule", "time"])].itertuples():
            inside = claim_span(self.facts["events"], claim)
            said = ", ".join(f"{e.date} ({e.status})" for e in inside.itertuples()) or "(no date)"
            rows.append({"item": claim.topic, "said": said, "verdict": claim.verdict,
                         "status": claim.note, "anchor": f"claim-{claim.claim_id}"})
        return pd.DataFrame(rows)


@dataclass(frozen=True)
class Evidence:
    anchor: str
    label: str
    passage_html: str  # escaped; the evidence words wrapped in <mark>
    where: str
    note: str


@dataclass(frozen=True)
class Judgement:
    judgement_id: str
    confidence: str
    text: str
    evidence: list[Evidence]


CHECK_VALUE = re.compile(r"^check\[([^\]]*)\]\[([^\]]*)\]$")


def check_judgement_values(path: Path, checks: dict[str, Entry]) -> None:
    """Every ``{check[CLAIM][NAME]}`` in ``judgements.yaml`` names a claim with a check in
    ``checks.yaml`` and a value that check declares it computes."""
    for entry in load_entries(path):
        for _, field, _, _ in string.Formatter().parse(str(entry.get("text", ""))):
            if not field or re.split(r"[.\[]", field)[0] != "check":
                continue
            match = CHECK_VALUE.match(field)
            if not match:
                raise entry.fail(f"{{{field}}} is not of the form {{check[CLAIM_ID][NAME]}}",
                                 fix="name a claim id and one of its check's values")
            claim, name = match.groups()
            if claim not in checks:
                raise entry.fail(f"{{{field}}}: claim {claim!r} has no entry in checks.yaml",
                                 fix=f"use one of: {', '.join(sorted(checks))}")
            declared = CHECKS[checks[claim]["check"]]
            if name not in declared.computes:
                raise entry.fail(f"{{{field}}}: check {declared.name!r} does not compute {name!r}",
                                 fix=f"use one of: {', '.join(declared.computes) or 'none'}")


def _fill(entry: Entry, numbers: dict[str, Any]) -> str:
    """Fill a template; ``{check[CLAIM][NAME]}`` reaches into a claim's computed values."""
    fields = [name for _, name, _, _ in string.Formatter().parse(entry["text"]) if name]
    missing = sorted({f for f in fields if re.split(r"[.\[]", f)[0] not in numbers})
    if missing:
        raise entry.fail(f"unknown value(s) {', '.join(missing)} in the text",
                         fix=f"use computed values: {', '.join(sorted(numbers))}")
    try:
        return entry["text"].format_map(numbers)
    except (KeyError, IndexError) as exc:
        raise entry.fail(f"no computed value {exc} in the text",
                         fix="check the claim id and the value name (see the claim's check)") from None


def _per_year(missions: pd.DataFrame) -> str:
    """Launches per calendar year, from the first year with one to the last."""
    if missions.empty:
        return "0"
    years = missions.launch_utc.map(lambda t: t.year)
    return f"{len(missions) / (years.max() - years.min() + 1):.1g}"


def _times(count: int) -> str:
    return {0: "never", 1: "once", 2: "twice"}.get(count, f"{count} times")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""
