"""The briefing's content: key judgements, numbered figures, the watch list and the evidence.

Prose lives in ``knowledge/judgements.yaml`` as templates; every number in it is filled from
``numbers()``, computed from the facts and the record. Every judgement and finding links to
evidence items (a passage of a source with its offsets, or a reference row) rendered in the
briefing's evidence section. All source text is HTML-escaped before it reaches the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..facts.extract import Facts, extract_facts
from ..inputs.curated import Entry, load_entries
from ..inputs.sources import Source
from ..markup import text
from ..network.graph import SIDES, ActorGraph, metrics
from ..paths import ProjectPaths, slug
from ..record.charts import satellite_launches
from ..record.checks import CHECKS
from ..record.tables import SPECS, PublicRecord
from ..record.verdicts import assess, claim_span, load_checks
from ..story.editions import Edition, EditionDiff, compare
from ..story.statements import OTHER, Topic, build_statements, load_topics
from ..wording import Wording, count_word, plural
from . import story
from .html import cell_text
from .templates import MissingValue, TemplateError, fields, fill

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
        record = PublicRecord.load(paths.reference, paths.as_of)
        checks = load_checks(paths.curated.checks, facts)
        check_judgement_values(paths.curated.judgements, checks)  # before any check runs
        assessment = assess(facts, record, checks)
        facts.tables["claims"] = assessment.claims
        briefing = cls(paths, facts, record, assessment.values)
        _ = briefing.words  # a code without words stops here, naming wording.yaml and what to add
        return briefing

    @property
    def claims(self) -> pd.DataFrame:
        return self.facts["claims"]

    @property
    def published(self) -> str:
        """The latest source's date."""
        return max(s.published for s in self.facts.sources).isoformat()

    @property
    def source_dates(self) -> tuple[str, str]:
        """The first and the latest source's publication dates (ISO)."""
        dates = sorted(s.published for s in self.facts.sources)
        return dates[0].isoformat(), dates[-1].isoformat()

    @property
    def source_span(self) -> str:
        """When the sources were published: one date, or the first to the last."""
        dates = sorted({s.published for s in self.facts.sources})
        first, last = story.long_date(dates[0]), story.long_date(dates[-1])
        return first if first == last else f"{first} to {last}"

    @cached_property
    def statements(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """What the sources say, merged across sources (``statements``, ``statement_facts``)."""
        return build_statements(self.facts, self.topics)

    @cached_property
    def topics(self) -> list[Topic]:
        return load_topics(self.paths.curated.topics)

    @cached_property
    def words(self) -> Wording:
        """``wording.yaml``, checked to name every code this briefing may show a reader."""
        words = Wording.load(self.paths.curated.wording)
        words.require("reference_tables", [spec.name for spec in SPECS])
        words.require("reference_columns", [c.name for spec in SPECS for c in spec.columns])
        words.require("verdict_methods", sorted(set(self.claims.method)))
        words.require("attributions", sorted(set(self.facts["quotes"].method)))
        entities = set(self.facts["entities"].entity_id)
        words.require("channels", sorted(set(self.facts["quotes"].channel) - entities))
        words.require("relation_origins", sorted(set(self.facts["relations"].origin)))
        words.require("data_tables", list(self.facts.tables))
        return words

    def opening(self) -> str:
        """The line under the title: which sources, when, and the record's date (Markdown)."""
        sources = sorted(self.facts.sources, key=lambda s: (s.published, s.source_id))
        if len(sources) <= 4:
            listed = "; ".join(text(f"{s.outlet}, {story.long_date(s.published)}"
                                    + (f", by {' and '.join(s.authors)}" if s.authors else ""))
                               for s in sources)
        else:  # every outlet with its dates, so the first page says who reported what when
            outlets = len({s.outlet for s in sources})
            tabled = story.shown_sources(self.facts, self.statements[0])  # named first when capped
            listed = (f"{plural(len(sources), 'article')} from {plural(outlets, 'outlet')}: "
                      + text(story.outlets_list(sources, tabled)))
        label = "Source" if len(sources) == 1 else "Sources"
        said = "the source said" if len(sources) == 1 else f"the {len(sources)} sources said"
        return (f"**{label}:** {listed}.  \n**What {said}** is dated {text(self.source_span)}; "
                f"**what happened since** is known up to {self.record.as_of}, the latest date in the "
                "reference tables.")

    def story_takeaway(self) -> str:
        statements = self.statements[0]
        if len(self.facts.sources) == 1:
            return ("One source so far: every statement rests on it alone; later sources will show "
                    "here what they confirm, update or contradict.")
        counts = statements[statements.n_sources > 1].status.value_counts()
        latest = max(self.facts.sources, key=lambda s: (s.published, s.source_id))
        updated, conflicting = int(counts.get("updated", 0)), int(counts.get("conflicting", 0))
        updated_text = plural(updated, "statement was", "statements were", zero="no")
        conflicting_text = plural(conflicting, "statement is", "statements are", zero="no")
        return (f"{updated_text[:1].upper()}{updated_text[1:]} updated by a later source and "
                f"{conflicting_text} contradicted between same-day sources; the latest source is "
                f"{story.said_by(latest)}.")

    def takeaway(self, template: str) -> str:
        """A caption's takeaway filled from ``numbers`` (as the judgements are); in an edition
        whose record lacks a value, a sentence saying so instead."""
        try:
            return fill(template, self.numbers)
        except MissingValue:
            if not self.record.cut:
                raise
            return (f"The record as of {self.record.cut} does not yet show what this chart's "
                    "takeaway rests on.")

    def since_previous(self) -> EditionDiff | None:
        """What is new since the previous edition, when the build was given one (``--previous``)."""
        if self.paths.previous_data is None:
            return None
        statements, links = self.statements
        current = Edition(None, {**self.facts.tables, "statements": statements, "statement_facts": links})
        return compare(Edition.read(self.paths.previous_data), current)

    def limitations(self) -> str:
        """What the briefing cannot say, given how many sources it rests on (Markdown)."""
        sources = self.facts.sources
        outlets = len({s.outlet for s in sources})
        if len(sources) == 1:
            base = ("One article is a thin base: the network shows how this reporting connects the "
                    "actors, not the full relationship.")
        else:
            base = (f"{len(sources)} sources from {outlets} outlets, many repeating one another: agreement "
                    "between copies of one report is not independent confirmation, and the network shows "
                    "how this reporting connects the actors, not the full relationship.")
        return (f"**Limitations.** {base} Co-mention is a lead, not a tie. The record ends on its as-of "
                "date; anything later, including whether the flight took place, is outside it. Rule-based "
                "extraction can miss unusual phrasing; the candidate list in the facts notebook shows names "
                "not yet curated.")

    def sources_table(self) -> pd.DataFrame:
        """The sources table (``story.sources_table``) with the key judgements each changed. Only
        the sources the table shows on their own are compared one by one; the others, summed up
        in its last row, are compared a run of consecutive sources at a time, so the judgements
        are rebuilt at most about twice per row shown, however many sources there are."""
        order = [str(e["id"]) for e in self.judgement_entries]
        shown = story.shown_sources(self.facts, self.statements[0])
        changed: dict[str, str] = {}
        for run, ids in self.judgement_changes(shown).items():
            for source_id in run:
                changed[source_id] = ", ".join(str(order.index(j) + 1) for j in ids)
        if len(self.facts.sources) > 1:
            first = min(self.facts.sources, key=lambda s: (s.published, s.source_id))
            changed[first.source_id] = "all (first source)"
        return story.sources_table(self.facts, self.statements[0], self.topics, changed)

    def story_moves(self) -> tuple[pd.DataFrame, int]:
        return story.story_moves(self.facts, self.statements[0], self.topic_labels)

    @property
    def topic_labels(self) -> dict[str, str]:
        """Topic id → the words a reader sees, the facts of no curated topic included."""
        words = self.words
        return {t.topic_id: t.label for t in self.topics} | {
            OTHER: words.of("labels", "other_topic"), "quote": words.of("labels", "quote_statement"),
            "relation": words.of("labels", "relation_statement")}

    @cached_property
    def claim_groups(self) -> pd.DataFrame:
        """The claims, one row per statement however many sources make it."""
        return story.claim_groups(self.facts, *self.statements)

    @cached_property
    def quote_groups(self) -> pd.DataFrame:
        """The quotations, a syndicated one once."""
        return story.quote_groups(self.facts, self.statements[1])

    def stated_by(self, ref: str, sources: str) -> Evidence:
        """Evidence for a statement several sources make: the best passage, and who else said it."""
        found = self.evidence(ref)
        ids = sources.split("|")
        if len(ids) < 2:
            return found
        named = story.sources_phrase(ids, self.facts, 6)
        dates = self._dates_as_written(ref)
        also = f"Stated by {len(ids)} sources: {named}" + (f". {dates}." if dates else "")
        return replace(found, also=also)

    def _dates_as_written(self, ref: str) -> str:
        """For a claim about an event several sources date differently: how each worded it."""
        groups = self.claim_groups
        group = groups[groups.claim_id == ref.removeprefix("claim:")]
        if not ref.startswith("claim:") or group.empty or not group.iloc[0].statement_id:
            return ""
        statement = self.statements[0].set_index("statement_id").loc[group.iloc[0].statement_id]
        return story.dates_as_written(statement, self.facts)

    def cited_evidence(self, judgements: list[Judgement], claim_ids: Iterable[str],
                       quote_ids: Iterable[str], noted: Collection[str] = ()) -> list[Evidence]:
        """The evidence section: what the judgements cite, then the claims and quotations the main
        body lists (representatives of ``claim_groups`` and ``quote_groups``), each once and with
        the other sources that state it. Only what the page links to: at a thousand sources,
        every claim's passage made an annex of a thousand pages (all are in the data package).
        A claim in ``noted`` has its check's note in the main body already: here, its verdict
        alone."""
        groups = {f"claim-{g.claim_id}": (f"claim:{g.claim_id}", g.sources)
                  for g in self.claim_groups.itertuples()}
        groups |= {f"quote-{q.quote_id}": (f"quote:{q.quote_id}", q.sources)
                   for q in self.quote_groups.itertuples()}
        items: dict[str, Evidence] = {}
        for e in (e for j in judgements for e in j.evidence):
            if e.anchor not in items:
                items[e.anchor] = self.stated_by(*groups[e.anchor]) if e.anchor in groups else e
        listed = {f"claim-{c}" for c in claim_ids} | {f"quote-{q}" for q in quote_ids}
        for anchor in groups:  # in the order of the groups: claims, then quotations
            if anchor in listed and anchor not in items:
                items[anchor] = self.stated_by(*groups[anchor])
        claims = self._claims_by_id
        for claim_id in noted:
            anchor = f"claim-{claim_id}"
            if anchor in items and claim_id in claims.index:
                row = claims.loc[claim_id]
                items[anchor] = replace(items[anchor], note=self.verdict_note(row.verdict, row.method)
                                        + " (why: in the main body)")
        return list(items.values())

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
        intents = int((investing.qualifier == "intent").sum())
        investments = int((investing.qualifier != "intent").sum())
        mentions = self.facts["mentions"].entity_id.value_counts()
        sources = self.facts.sources
        said = {s.source_id: story.said_by(s) for s in sources}
        curated = list(dict.fromkeys(self.claims[self.claims.origin == "curated"].source_id))
        return {
            "published": self.published,
            "claim_source": dict(zip(self.claims.claim_id, self.claims.source_id.map(said), strict=True)),
            "relation_source": {f"{r.subject_id}:{r.predicate}:{r.object_id}": said[r.source_id]
                                for r in self.facts["relations"].itertuples()},
            "curated_sources": _and([said[x] for x in curated]) or "no source",
            "sources_text": "that article" if len(sources) == 1 else f"the {len(sources):,} sources",
            "latest_report": {t.topic_id: self._latest_report(t) for t in self.topics},
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
            "company_relations_text": plural(len(company_relations), "curated relation"),
            "company_intents": intents,
            "company_intents_text": f"{count_word(intents)} {'record' if intents > 1 else 'records'}",
            "company_investments": investments,
            "company_investments_text": count_word(investments),
            "mentions": {e: int(c) for e, c in mentions.items()},
            "mentions_text": {e: _times(int(c)) for e, c in mentions.items()},
        }

    def _latest_report(self, topic: Topic) -> str:
        """A sentence naming the latest source that reports what an earlier source planned or
        scheduled on this topic (the two merged into one statement) — or saying none does yet."""
        latest = self._latest_reports.get(topic.topic_id)
        name = topic.label[0].lower() + topic.label[1:]
        if latest is None:
            return f"No later source reports how the plans on {name} turned out."
        return f"The latest source to report on {name} is {story.said_by(latest)}."

    @cached_property
    def _latest_reports(self) -> dict[str, Source]:
        """Per topic, the latest source reporting a planned event of an earlier source: one pass
        over the statements' links (a source of thousands of statements made a pass per topic,
        with a lookup per statement, the briefing's slowest step)."""
        statements, links = self.statements
        events = self.facts["events"]
        status = dict(zip(events.event_id.tolist(), events.status.tolist(), strict=True))
        by_id = self.facts.by_id
        event_statements = statements[statements.kind == "event"]
        topic_of = dict(zip(event_statements.statement_id.tolist(), event_statements.topic.tolist(),
                            strict=True))
        merged = links[(links.table == "events") & links.statement_id.isin(topic_of)]
        facts_of: dict[str, list[tuple[Source, str]]] = {}
        columns = (merged[c].tolist() for c in ("statement_id", "fact_id", "source_id"))
        for statement_id, fact_id, source_id in zip(*columns, strict=True):
            facts_of.setdefault(statement_id, []).append((by_id[source_id], status[fact_id]))
        latest: dict[str, Source] = {}
        for statement_id, facts in facts_of.items():
            planned = [s.published for s, st in facts if st in ("planned", "scheduled")]
            if not planned:
                continue
            topic = topic_of[statement_id]
            for source, st in facts:
                if st == "reported" and source.published > min(planned):
                    latest[topic] = max(latest.get(topic, source), source,
                                        key=lambda s: (s.published, s.source_id))
        return latest

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
            try:
                text = _fill(entry, self.numbers)
                evidence = [self.evidence(ref, entry) for ref in entry["evidence"]]
            except InputError:
                if not self.record.cut:
                    raise
                text = (f"Not stated in the edition of {self.record.cut}: what this judgement rests on "
                        "was not yet published or recorded by then.")
                evidence = []
            found.append(Judgement(entry["id"], entry["confidence"], text, evidence))
        return found

    def edition(self, source_ids: set[str]) -> Briefing:
        """The briefing as it would read with only these sources (claims keep their verdicts:
        a claim is checked against the record, not against other sources)."""
        facts = self.facts.restricted(source_ids)
        facts.tables["claims"] = self.claims[self.claims.source_id.isin(source_ids)].reset_index(drop=True)
        kept = set(facts["claims"].claim_id)
        values = {k: v for k, v in self.values.items() if k in kept}
        edition = Briefing(self.paths, facts, self.record, values)
        for shared in ("topics", "judgement_entries", "words"):  # curated files: the same for every edition
            edition.__dict__[shared] = getattr(self, shared)
        return edition

    def judgement_changes(self, alone: Collection[str] | None = None) -> dict[tuple[str, ...], list[str]]:
        """Which key judgements read differently once a source, or a run of sources, is included:
        the judgements' text in the edition with the sources before it, against the edition with
        it too (oldest first). Each source in ``alone`` (by default every source) is a run of its
        own; consecutive others form one run, whose change is what reads differently after it
        than before it. The first source states them all; a judgement that cannot be stated yet
        (its claim's source is still to come) is stated by the source that makes it possible."""
        order = sorted(self.facts.sources, key=lambda s: (s.published, s.source_id))
        alone = {s.source_id for s in order} if alone is None else set(alone)
        runs: list[list[Source]] = []
        for source in order:
            if source.source_id in alone or not runs or runs[-1][-1].source_id in alone:
                runs.append([source])
            else:
                runs[-1].append(source)
        adding = set(self.statements[0].first_source)
        changes: dict[tuple[str, ...], list[str]] = {}
        before: dict[str, str] = {}
        seen = 0
        for run in runs:
            seen += len(run)
            ids = tuple(s.source_id for s in run)
            if not adding.intersection(ids):  # copies of what was said: they can shift counts only
                changes[ids] = []
                continue
            edition = self if seen == len(order) else self.edition({s.source_id for s in order[:seen]})
            labels = [story.said_by(s) for s in order[:seen]]
            now = {j: _gist(text, labels) for j, text in edition.judgement_texts().items()}
            changes[ids] = [j for j, text in now.items() if before.get(j) != text]
            before = now
        return changes

    @cached_property
    def judgement_entries(self) -> list[Entry]:
        """``judgements.yaml``, read once for this briefing and every edition made from it."""
        return load_entries(self.paths.curated.judgements)

    def judgement_texts(self) -> dict[str, str]:
        """Each judgement's filled text; one whose values this edition lacks is left out."""
        texts = {}
        for entry in self.judgement_entries:
            try:
                texts[str(entry["id"])] = _fill(entry, self.numbers)
            except InputError:
                continue
        return texts

    # --- evidence ----------------------------------------------------------------------------

    def evidence(self, ref: str, entry: Entry | None = None) -> Evidence:
        """Resolve ``claim:ID``, ``quote:SPEAKER``, ``relation:S:PREDICATE:O`` or ``row:TABLE:KEY``."""
        kind, _, rest = ref.partition(":")
        try:
            if kind == "claim":
                row = self._claims_by_id.loc[rest]
                return self._span(f"claim-{rest}", row.topic, row.source_id, row.start, row.end,
                                  self.verdict_note(row.verdict, row.method, row.note))
            if kind == "quote":
                quotes = self.facts["quotes"]
                if re.fullmatch(r"Q\d+", rest):
                    q = self._quotes_by_id.loc[rest]
                    anchor = f"quote-{rest}"
                else:  # a speaker: their longest quotation where a source names them stands for them
                    rows = quotes[quotes.speaker_id == rest]
                    q = rows.assign(_named=rows.method != "named", _length=-rows.text.str.len()).sort_values(
                        ["_named", "_length"], kind="stable").iloc[0]
                    anchor = f"quote-{rest}"
                names = self.facts["entities"].set_index("entity_id")["name"]
                speaker = names.get(q.speaker_id) or q.speaker_name or self.words.of("labels",
                                                                                    "unresolved_speaker")
                channel = self.words.channel(q.channel, names.to_dict())
                named = self.words.of("attributions", q.method)
                cue = f", in “{q.cue}”" if q.cue else ""
                return self._span(anchor, f"{speaker}, quoted", q.source_id, int(q.start), int(q.end),
                                  f"Channel: {channel} · speaker: {named}{cue}")
            if kind == "relation":
                s, predicate, o = rest.split(":")
                relations = self.facts["relations"]
                row = relations[(relations.subject_id == s) & (relations.predicate == predicate)
                                & (relations.object_id == o)].iloc[0]
                names = self.facts["entities"].set_index("entity_id")["name"]
                label = f"{names[s]} {predicate.replace('_', ' ')} {names[o]}"
                origin = self.words.of("relation_origins", row.origin)
                return self._span(f"relation-{s}-{predicate}-{o}", label, row.source_id, int(row.start),
                                  int(row.end), f"Relation: {origin}")
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

    @cached_property
    def _claims_by_id(self) -> pd.DataFrame:
        return self.claims.set_index("claim_id")

    @cached_property
    def _quotes_by_id(self) -> pd.DataFrame:
        return self.facts["quotes"].set_index("quote_id")

    def _span(self, anchor: str, label: str, source_id: str, start: int, end: int, note: str) -> Evidence:
        source = self.facts.by_id[source_id]
        first = source.sentence_at(start)
        last = source.sentence_at(max(start, end - 1))
        before = source.text[first.start:start]
        words = source.text[start:end]
        after = source.text[end:last.end]
        passage = (f"{html.escape(before)}<mark>{html.escape(words)}</mark>{html.escape(after)}")
        where = (f"{source.outlet}, {story.long_date(source.published)}, characters {start}–{end} of "
                 f"{self.paths.relative(source.path)}")
        return Evidence(anchor, label, passage, where, note,
                        passage=Passage(source.text[first.start:last.end],
                                        ((start - first.start, end - first.start),)))

    def _row(self, table: str, key: str) -> Evidence:
        spec = next((s for s in SPECS if s.name == table), None)
        if spec is None:
            raise KeyError(f"no reference table {table!r}")
        frame = getattr(self.record, table)
        row = frame[frame[spec.key].astype(str) == key].iloc[0]
        words = self.words

        def value(column: str) -> str:
            cell = row[column]
            return words.of("answers", bool(cell)) if isinstance(cell, (bool, np.bool_)) else cell_text(cell)

        summary = "; ".join(f"{words.of('reference_columns', c.name)}: {value(c.name)}" for c in spec.columns
                            if c.name not in ("sources", "notes", "background_only") and value(c.name))
        flag = "; it rests on background knowledge only" if row.bk else ""
        name = words.of("reference_tables", table)
        where = (f"Reference table of {name}, line {row.line} of "
                 f"{self.paths.relative(self.paths.reference)}/{spec.file}{flag}")
        return Evidence(f"row-{table}-{slug(key)}", f"{key} ({name})", html.escape(summary), where,
                        f"Sources: {row.sources}")

    def verdict_note(self, verdict: str, method: str, note: str = "") -> str:
        """A claim's verdict and how it was reached, as a label (the same for many claims), then
        why, in words (``note``: the check's note, said once)."""
        how = self.words.of("verdict_methods", method)
        return f"Verdict: {verdict}, {how}" + (f" — {note.rstrip('.')}." if note else "")

    # --- what to watch -----------------------------------------------------------------------

    def watch_list(self, limit: int = story.SHOWN_WATCH) -> tuple[pd.DataFrame, int]:
        """The sources' scheduled and planned items, with their status as of the record: each
        statement once (linked to the claim that stands for it in the evidence), curated ones
        first; and how many more there are."""
        claims = self.claims
        stands_for = {m: g.claim_id for g in self.claim_groups.itertuples() for m in g.members.split("|")}
        scheduled = claims[claims.kind.isin(["schedule", "time"])]
        ranked = scheduled.assign(_automatic=scheduled.origin == "automatic").sort_values(
            "_automatic", kind="stable")
        chosen: dict[str, Any] = {}
        for claim in ranked.itertuples():
            chosen.setdefault(stands_for.get(claim.claim_id, claim.claim_id), claim)
        rows = []
        for representative, claim in sorted(list(chosen.items())[:limit], key=lambda kv: kv[1].Index):
            inside = claim_span(self.facts["events"], claim)
            said = ", ".join(f"{e.date} ({e.status})" for e in inside.itertuples()) or "(no date)"
            rows.append({"item": claim.topic, "said": said, "verdict": claim.verdict, "status": claim.note,
                         "anchor": f"claim-{representative}", "claim_id": representative})
        return (pd.DataFrame(rows, columns=["item", "said", "verdict", "status", "anchor", "claim_id"]),
                max(len(chosen) - limit, 0))


@dataclass(frozen=True)
class Evidence:
    anchor: str
    label: str
    passage_html: str  # escaped; the evidence words wrapped in <mark>
    where: str
    note: str
    also: str = ""  # the other sources that state the same, when several do
    passage: Passage | None = None  # a source's sentences, when the evidence is a source's words


@dataclass(frozen=True)
class Passage:
    """Whole sentences of a source, with the words relied on: items resting on the same sentences
    (in one source, or in syndicated copies) are shown as one passage with all their words marked."""

    text: str
    marks: tuple[tuple[int, int], ...]  # offsets in ``text`` of the words relied on

    def html(self, marks: list[tuple[int, int]]) -> str:
        """The passage escaped, the words of every mark (merged where they overlap) in ``<mark>``."""
        merged: list[list[int]] = []
        for start, end in sorted(marks):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        parts, at = [], 0
        for start, end in merged:
            parts += [html.escape(self.text[at:start]), "<mark>", html.escape(self.text[start:end]),
                      "</mark>"]
            at = end
        return "".join(parts) + html.escape(self.text[at:])


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
        for field in fields(str(entry.get("text", ""))):
            if re.split(r"[.\[]", field)[0] != "check":
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
    missing = sorted({f for f in fields(entry["text"]) if re.split(r"[.\[!:]", f)[0] not in numbers})
    if missing:
        raise entry.fail(f"unknown value(s) {', '.join(missing)} in the text",
                         fix=f"use computed values: {', '.join(sorted(numbers))}")
    try:
        return fill(entry["text"], numbers)
    except MissingValue as exc:
        raise entry.fail(f"no computed value {exc.args[0]} in the text",
                         fix="check the claim id and the value name (see the claim's check)") from None
    except TemplateError as exc:
        raise entry.fail(str(exc), fix="write {NAME} or {NAME[KEY]}, with a plain format if any") from None


def _per_year(missions: pd.DataFrame) -> str:
    """Launches per calendar year, from the first year with one to the last."""
    if missions.empty:
        return "0"
    years = missions.launch_utc.map(lambda t: t.year)
    return f"{len(missions) / (years.max() - years.min() + 1):.1g}"


def _gist(judgement: str, labels: list[str]) -> str:
    """A judgement without its counts and source names: what a new source must change for the
    judgement to say something else (every source moves the counts; that is not news)."""
    for label in sorted(labels, key=len, reverse=True):
        judgement = judgement.replace(label, "a source")
    judgement = judgement.replace("that article", "the # sources")  # {sources_text} of one source
    return re.sub(r"\b(?:\d[\d,.]* times|\d[\d,.]*%?|not once|once|twice|never|none|one|no)\b", "#",
                  judgement)


def _times(count: int) -> str:
    return {0: "not once", 1: "once", 2: "twice"}.get(count, f"{count:,} times")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""
