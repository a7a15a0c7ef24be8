"""The briefing's content: key judgements, numbered figures, the watch list and the evidence.

Prose lives in ``knowledge/judgements.yaml`` as templates; every number in it is filled from
``numbers()``, computed from the facts and the record. Every judgement and finding links to
evidence items (a passage of a source with its offsets, or a reference row) rendered in the
briefing's evidence section. All source text is HTML-escaped before it reaches the page.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import string
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from .curated import Record, load_records
from .facts import Facts, extract_facts
from .network import ActorGraph, metrics
from .paths import ProjectPaths
from .record import clause, judge, load_checks, months_between, period_bounds
from .record_charts import satellite_launches
from .reference_tables import SPECS, PublicRecord

CONFIDENCE = {"high": "well supported by several independent rows of the record",
              "moderate": "supported, but resting on one source or on a plan not yet carried out",
              "low": "a reading of the reporting's framing rather than a checked fact"}
ORDINALS = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth", "eleventh", "twelfth"]


@dataclass
class Briefing:
    """Everything the briefing shows, computed once from the sources, curation and record."""

    paths: ProjectPaths
    facts: Facts
    record: PublicRecord

    @classmethod
    def assemble(cls, paths: ProjectPaths | None = None) -> Briefing:
        paths = paths or ProjectPaths.default()
        facts = extract_facts(paths)
        record = PublicRecord.load(paths.reference)
        facts.tables["claims"] = judge(facts, record)
        return cls(paths, facts, record)

    @property
    def claims(self) -> pd.DataFrame:
        return self.facts["claims"]

    @property
    def published(self) -> str:
        return max(s.published for s in self.facts.sources).isoformat()

    @cached_property
    def actors(self) -> ActorGraph:
        return ActorGraph.from_facts(self.facts)

    @cached_property
    def metrics(self) -> pd.DataFrame:
        return metrics(self.actors)

    # --- numbers used in prose ---------------------------------------------------------------

    @cached_property
    def numbers(self) -> dict[str, Any]:
        r = self.record
        stations = r.station_visitors
        chinese = stations[stations.host == "China"]
        soviet = stations[stations.host.str.startswith("Soviet")]
        launches = satellite_launches(r)
        others = launches[~launches.launched_by_china.astype(bool)]
        crewed = r.crewed_missions[r.crewed_missions.crew_size > 0]
        sz20 = r.crewed_missions.set_index("mission").loc["Shenzhou-20"]
        to_station = crewed[(crewed.destination == "Tiangong") & (crewed.launch_utc <= sz20.launch_utc)]
        assembled = pd.Timestamp("2022-11-03", tz="UTC")
        on_station = crewed[crewed.destination == "Tiangong"]
        recent = on_station[on_station.launch_utc.map(lambda t: t.year) >= 2022]
        recent_years = (on_station.launch_utc.max().year - 2022 + 1) if len(recent) else 0
        since = int((to_station.launch_utc > assembled).sum())
        counts = self.claims.verdict.value_counts()
        quantities = self.facts["quantities"]
        ninth = quantities[(quantities.kind == "ordinal") & quantities.unit.eq("mission")]
        bridges = self.metrics[(self.metrics.bridging > 0)
                               & ~self.metrics.entity_id.isin(["china", "pakistan"])]
        companies = self.metrics[self.metrics.type == "company"]
        relations = self.facts["relations"]
        intents = relations[relations.qualifier == "intent"]
        mentions = self.facts["mentions"].entity_id.value_counts()
        # The same record rows the verdicts rest on (checks.yaml), not a second search.
        checks = load_checks(self.paths.knowledge / "checks.yaml", self.facts)
        after = r.after_article_timeline
        plan_words = checks["training-and-flight-date"]["plan"]
        plan = after[after.event.str.contains(plan_words, regex=False)]
        shortlist = after[after.event.str.contains(checks["shortlist-next-month"]["outcome"], regex=False)]
        planned_by = self.facts["events"].query("evidence == 'next month'")
        return {
            "published": self.published,
            "record_as_of": r.as_of,
            "chinese_stations": len(chinese),
            "chinese_station_foreign": int(chinese.foreign_nationalities_count.fillna(0).sum()),
            "soviet_foreign": int(soviet.foreign_nationalities_count.fillna(0).sum()),
            "first_guest_station": stations[stations.foreign_nationalities_count.fillna(0) > 0]
            .sort_values("crewed_from").iloc[0].station,
            "tiangong_crewed_from": int(stations.set_index("station").loc["Tiangong (CSS)", "crewed_from"]),
            "pak_launches": len(launches),
            "pak_by_china": int(launches.launched_by_china.sum()),
            "pak_share_china": f"{launches.launched_by_china.mean():.0%}",
            "last_other_launch_year": others.date.max()[:4] if len(others) else "ever",
            "sz20_launch_utc": sz20.launch_utc.strftime("%H:%M UTC on %d %B %Y"),
            "sz20_crew": int(sz20.crew_size),
            "sz20_overall_ordinal": ORDINALS[len(to_station)],
            "sz20_since_ordinal": ORDINALS[since],
            "ninth_words": ninth.iloc[0].text if len(ninth) else "",
            "supported": int(counts.get("supported", 0)),
            "checkable": int((self.claims.verdict != "opinion").sum()),
            "not_supported": int((~self.claims.verdict.isin(["supported", "opinion"])).sum()),
            "top_bridges": _and([*bridges.sort_values("bridging", ascending=False).name.head(3)]),
            "companies": _and(list(companies.name)) or "no company",
            "company_intents": len(intents[intents.subject_id.isin(companies.entity_id)]),
            "us_mentions": _times(int(mentions.get("united_states", 0))),
            "china_mentions": int(mentions.get("china", 0)),
            "pakistan_mentions": int(mentions.get("pakistan", 0)),
            "top_non_state": self.metrics[self.metrics.type != "country"].iloc[0]["name"],
            "crews_per_year_since_2022": f"{len(recent) / (recent_years or 1):.0f}",
            "flight_plan": clause(plan.iloc[-1].event, plan_words) if len(plan) else "no plan reported",
            "flight_plan_date": plan.iloc[-1].date if len(plan) else "",
            "shortlist_date": shortlist.iloc[0].date if len(shortlist) else "",
            "shortlist_planned": planned_by.iloc[0].date if len(planned_by) else "",
            "shortlist_delay_months": months_between(period_bounds(planned_by.iloc[0].date)[1],
                                                      dt.date.fromisoformat(shortlist.iloc[0].date))
            if len(planned_by) and len(shortlist) else "",
        }

    # --- key judgements ----------------------------------------------------------------------

    def judgements(self, path: Path | None = None) -> list[Judgement]:
        path = path or self.paths.knowledge / "judgements.yaml"
        found = []
        for record in load_records(path):
            record.require("id", "confidence", "text", "evidence")
            if record["confidence"] not in CONFIDENCE:
                raise record.fail(f"unknown confidence {record['confidence']!r}",
                                  fix=f"use one of: {', '.join(CONFIDENCE)}")
            text = _fill(record, self.numbers)
            evidence = [self.evidence(ref, record) for ref in record["evidence"]]
            found.append(Judgement(record["id"], record["confidence"], text, evidence))
        if not 3 <= len(found) <= 6:
            raise load_records(path)[0].fail(f"{len(found)} key judgements; a briefing states 3 to 6",
                                             fix="merge or drop judgements")
        return found

    # --- evidence ----------------------------------------------------------------------------

    def evidence(self, ref: str, record: Record | None = None) -> Evidence:
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
                speaker = names.get(q.speaker_id, "unresolved speaker")
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
        if record is not None:
            raise record.fail(problem, fix="use claim:ID, quote:SPEAKER_ID, relation:S:PREDICATE:O "
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
        spec = next(s for s in SPECS if s.name == table)
        frame = getattr(self.record, table)
        row = frame[frame[spec.key].astype(str) == key].iloc[0]
        summary = "; ".join(f"{c.name}: {_cell(row[c.name])}" for c in spec.columns
                            if c.name not in ("sources", "notes") and _cell(row[c.name]))
        flag = " · rests on background knowledge only" if row.bk else ""
        return Evidence(f"row-{table}-{_slug(key)}", f"{key} ({spec.file})", html.escape(summary),
                        f"analysis/reference/{row.ref}{flag}", f"sources: {row.sources}")

    # --- what to watch -----------------------------------------------------------------------

    def watch_list(self) -> pd.DataFrame:
        """The article's scheduled and planned items, with their status as of the record."""
        claims = self.claims
        rows = []
        for claim in claims[claims.kind.isin(["schedule", "time"])
                            | claims.claim_id.eq("first-foreign-national")].itertuples():
            events = self.facts["events"]
            inside = events[(events.source_id == claim.source_id) & (events.start >= claim.start)
                            & (events.end <= claim.end)]
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


def _fill(record: Record, numbers: dict[str, Any]) -> str:
    fields = {name for _, name, _, _ in string.Formatter().parse(record["text"]) if name}
    missing = sorted(fields - set(numbers))
    if missing:
        raise record.fail(f"unknown value(s) {', '.join(missing)} in the text",
                          fix=f"use computed values: {', '.join(sorted(numbers))}")
    return record["text"].format_map(numbers)


def _times(count: int) -> str:
    return {0: "never", 1: "once", 2: "twice"}.get(count, f"{count} times")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def _cell(value: Any) -> str:
    if value is None or (not isinstance(value, (str, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, tuple):
        return "; ".join(value)
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return str(value)


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


# --- rendering (HTML fragments for the notebook's outputs) -----------------------------------

def judgements_html(judgements: list[Judgement]) -> str:
    items = []
    for j in judgements:
        links = " ".join(f'<a class="ev-link" href="#{e.anchor}">[{html.escape(e.label)}]</a>'
                         for e in j.evidence)
        items.append(f'<li id="kj-{j.judgement_id}"><span class="confidence confidence-{j.confidence}">'
                     f'{j.confidence} confidence</span> {html.escape(j.text)} '
                     f'<span class="evidence-links">Evidence: {links}</span></li>')
    return '<ol class="key-judgements">' + "".join(items) + "</ol>"


def evidence_html(items: list[Evidence]) -> str:
    seen, blocks = set(), []
    for e in items:
        if e.anchor in seen:
            continue
        seen.add(e.anchor)
        blocks.append(f'<div class="evidence" id="{e.anchor}"><p class="evidence-label">'
                      f'{html.escape(e.label)}</p><blockquote>{e.passage_html}</blockquote>'
                      f'<p class="evidence-where">{html.escape(e.where)}</p>'
                      f'<p class="evidence-note">{html.escape(e.note)}</p></div>')
    return '<div class="evidence-list">' + "".join(blocks) + "</div>"


def table_html(frame: pd.DataFrame, columns: dict[str, str], link: str | None = None) -> str:
    """A small escaped HTML table; ``link`` names a column of anchors to link the first cell to."""
    head = "".join(f"<th>{html.escape(label)}</th>" for label in columns.values())
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for i, name in enumerate(columns):
            value = html.escape(_cell(getattr(row, name)))
            if i == 0 and link:
                value = f'<a href="#{getattr(row, link)}">{value}</a>'
            cells.append(f"<td>{value}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="brief-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def captioned(fig: go.Figure, caption: str, takeaway: str, alt: str) -> go.Figure:
    """Attach caption, takeaway and alt text to a figure; the exporter numbers and renders them."""
    fig.update_layout(meta={"caption": caption, "takeaway": takeaway, "alt": alt})
    return fig
