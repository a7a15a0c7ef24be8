"""Claims checked against the public record: a verdict for every claim, computed where possible.

Each curated claim has an entry in ``knowledge/checks.yaml`` naming a check below and its
parameters. A check reads what the article claimed from the facts extracted inside the claim's
span (dates, clock times, counts), compares it with the reference tables, and returns a verdict
from the fixed vocabulary with the reference rows it rests on and a one-line note.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pandas as pd

from ..errors import InputError
from ..facts.dates import period_bounds
from ..facts.extract import Facts
from ..facts.quantities import ORDINALS
from ..inputs.curated import Record, load_records
from .tables import PublicRecord


@dataclass(frozen=True)
class Verdict:
    verdict: str
    method: str  # computed | typed | rule | automatic
    reference: str
    note: str
    values: dict = field(default_factory=dict)  # what the check computed, for prose


def ordinal_word(number: int) -> str:
    words = {v: k for k, v in ORDINALS.items()}
    return words.get(number, f"{number}th")


@dataclass(frozen=True)
class Claim:
    """A claim with the facts extracted inside its span: what the article asserted."""

    row: pd.Series
    events: pd.DataFrame
    quantities: pd.DataFrame
    published: dt.date

    def event(self, precision: str | None = None) -> pd.Series:
        events = self.events if precision is None else self.events[self.events.precision == precision]
        if events.empty:
            raise ValueError(f"claim {self.row.claim_id!r}: no date in its words")
        return events.iloc[0]

    def quantity(self, kind: str | None = None) -> pd.Series:
        quantities = self.quantities if kind is None else self.quantities[self.quantities.kind == kind]
        if quantities.empty:
            raise ValueError(f"claim {self.row.claim_id!r}: no number in its words")
        return quantities.iloc[0]


def _mission(record: PublicRecord, name: str) -> pd.Series:
    rows = record.crewed_missions[record.crewed_missions.mission == name]
    if rows.empty:
        raise ValueError(f"mission {name!r} is not in crewed_missions.csv")
    return rows.iloc[0]


def _station(record: PublicRecord, name: str) -> pd.Series:
    rows = record.station_visitors[record.station_visitors.station == name]
    if rows.empty:
        raise ValueError(f"station {name!r} is not in station_visitors.csv")
    return rows.iloc[0]


def _after(record: PublicRecord, contains: str) -> pd.DataFrame:
    rows = record.after_article_timeline
    found = rows[rows.event.str.contains(contains, regex=False)]
    if found.empty:
        raise ValueError(f"no event in after_article_timeline.csv contains {contains!r}")
    return found


def _milestone(record: PublicRecord, contains: str) -> pd.Series:
    rows = record.pakistan_space_milestones
    found = rows[rows.item.str.contains(contains, regex=False)]
    if found.empty:
        raise ValueError(f"no item in pakistan_space_milestones.csv contains {contains!r}")
    return found.iloc[0]


def clause(text: str, words: str) -> str:
    """The clause of a reference cell that holds ``words`` (cells list several facts)."""
    parts = [p.strip().rstrip(".") for p in re.split(r";|\.\s", text)]
    return next((p for p in parts if words in p), text)


def months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


# --- the checks ---------------------------------------------------------------------------------
# Each returns a verdict and the values it computed; the briefing's prose reads those values.

def crewed_missions_since(claim: Claim, record: PublicRecord, p: Record) -> Verdict:
    ordinal = claim.quantity("ordinal")
    stated = int(ordinal.value)
    mission = _mission(record, p["mission"])
    crewed = record.crewed_missions[(record.crewed_missions.destination == p["destination"])
                                    & (record.crewed_missions.crew_size > 0)
                                    & (record.crewed_missions.launch_utc <= mission.launch_utc)]
    since = dt.datetime.fromisoformat(str(p["since"])).replace(tzinfo=dt.UTC)
    overall, after = len(crewed), int((crewed.launch_utc > since).sum())
    refs = "; ".join(crewed.ref)
    values = {"mission": p["mission"], "destination": p["destination"], "since_date": str(p["since"]),
              "stated": stated, "stated_words": ordinal.text, "overall": overall, "since": after,
              "overall_ordinal": ordinal_word(overall), "since_ordinal": ordinal_word(after)}
    counts = (f"{p['mission']} was crewed mission no. {overall} to {p['destination']} overall and "
              f"no. {after} since full assembly on {p['since']} ({p['since_source']})")
    if stated == after:
        return Verdict("supported", "computed", refs, counts, values)
    if stated == overall:
        return Verdict("partly correct", "computed", refs,
                       f"{counts}: '{ordinal.text}' counts every crew to {p['destination']}, not only "
                       "those since assembly", values)
    return Verdict("contradicted", "computed", refs, f"{counts}; the article says {stated}", values)


def launch_time(claim: Claim, record: PublicRecord, p: Record) -> Verdict:
    event = claim.events[claim.events.time_utc != ""]
    if event.empty:
        raise ValueError(f"claim {claim.row.claim_id!r}: no clock time in its words")
    stated = event.iloc[0]
    mission = _mission(record, p["mission"])
    actual = mission.launch_utc.strftime("%Y-%m-%dT%H:%MZ")
    zones = f"; the two clock times agree ({stated.time_check})" if stated.time_check.startswith(
        "consistent") else f"; {stated.time_check}" if stated.time_check else ""
    values = {"mission": p["mission"], "stated_utc": stated.time_utc, "launch_utc": actual,
              "launch_utc_text": mission.launch_utc.strftime("%H:%M UTC on %d %B %Y")}
    verdict = "supported" if stated.time_utc == actual else "contradicted"
    return Verdict(verdict, "computed", mission.ref, f"stated {stated.time_utc}, launched {actual}{zones}",
                   values)


def launch_day_and_crew(claim: Claim, record: PublicRecord, p: Record) -> Verdict:
    day = claim.event("day").date
    crew = int(claim.quantity("count").value)
    mission = _mission(record, p["mission"])
    local_day = str(mission.launch_local)[:10]
    ok_day, ok_crew = day == local_day, crew == mission.crew_size
    ok_destination = mission.destination == p["destination"]
    note = (f"stated {day} with {crew} astronauts to {p['destination']}; launched {local_day} (local) "
            f"with {mission.crew_size} to {mission.destination}")
    verdict = "supported" if ok_day and ok_crew and ok_destination else \
        "partly correct" if ok_day or ok_crew else "contradicted"
    return Verdict(verdict, "computed", mission.ref, note,
                   {"mission": p["mission"], "day": local_day, "crew": int(mission.crew_size)})


def return_date(claim: Claim, record: PublicRecord, p: Record) -> Verdict:
    stated = claim.event("day").date
    mission = _mission(record, p["mission"])
    if pd.isna(mission.landing_utc):
        return Verdict("unverifiable", "computed", mission.ref, "no landing recorded",
                       {"scheduled": stated})
    landed = mission.landing_utc.astimezone(ZoneInfo(p["timezone"])).date()
    late = (landed - dt.date.fromisoformat(stated)).days
    values = {"mission": p["mission"], "scheduled": stated, "landed": landed.isoformat(),
              "days_late": late}
    note = f"scheduled for {stated}; landed {landed} local time ({mission.landing_note})"
    if late == 0:
        return Verdict("supported", "computed", mission.ref, note, values)
    return Verdict("outdated", "computed", mission.ref,
                   f"{note}: {abs(late)} day(s) {'late' if late > 0 else 'early'}", values)


def operating_stations(claim: Claim, record: PublicRecord, p: Record) -> Verdict:
    stated = int(claim.quantity("count").value)
    year = claim.published.year
    stations = record.station_visitors
    operating = stations[(stations.crewed_from <= year)
                         & (stations.crewed_to.isna() | (stations.crewed_to >= year))]
    note = f"operating in {year}: {', '.join(operating.station)}"
    verdict = "supported" if len(operating) == stated else "contradicted"
    return Verdict(verdict, "computed", "; ".join(operating.ref), f"{note} ({len(operating)})",
                   {"count": len(operating), "stations": ", ".join(operating.station), "year": year})


def station_year(claim: Claim, record: PublicRecord, p: Record) -> Verdict:
    stated = int(claim.event("year").date)
    station = _station(record, p["station"])
    actual = station[p["field"]]
    values = {"station": p["station"], "stated": stated}
    if pd.isna(actual):
        return Verdict("unverifiable", "computed", station.ref, f"{p['field']} not stated", values)
    verdict = "supported" if int(actual) == stated else "contradicted"
    return Verdict(verdict, "computed", station.ref,
                   f"stated {stated}; {p['station']} {p['field']} = {int(actual)}",
                   {**values, "year": int(actual)})


def no_foreign_visitors(claim: Claim, record: PublicRecord, p: Record) -> Verdict:
    stations = record.station_visitors
    stations = stations[stations.host == p["host"]]
    if "station" in p:
        stations = stations[stations.station == p["station"]]
    foreign = int(stations.foreign_nationalities_count.fillna(0).sum())
    names = ", ".join(stations.station)
    values = {"foreign": foreign, "stations": names, "station_count": len(stations),
              "crewed_from": int(stations.crewed_from.min()) if len(stations) else None}
    if foreign == 0:
        return Verdict("supported", "computed", "; ".join(stations.ref),
                       f"{names}: no foreign national aboard, still true as of {record.as_of}", values)
    return Verdict("contradicted", "computed", "; ".join(stations.ref),
                   f"{names}: {foreign} foreign nationalities hosted", values)


def pending_plan(claim: Claim, record: PublicRecord, p: Record) -> Verdict:
    """A plan whose outcome lies beyond the record: unverifiable, with its status as of the record."""
    latest = _after(record, p["plan"]).iloc[-1]
    refs = [latest.ref]
    plan = clause(latest.event, p["plan"])
    values = {"plan_date": latest.date, "plan": plan, "as_of": record.as_of}
    status = f"as of {record.as_of} still planned ({latest.date}: {plan})"
    if "station" in p:
        station = _station(record, p["station"])
        refs.append(station.ref)
        count = station.foreign_nationalities_count
        if pd.notna(count) and count > 0:
            return Verdict("supported", "computed", "; ".join(refs),
                           f"{p['station']} has hosted a foreign national", values)
        status = f"no foreign national aboard {p['station']} yet; {status}"
    if not claim.events.empty:
        _, last = period_bounds(claim.event().date)
        if dt.date.fromisoformat(record.as_of) > last:
            return Verdict("outdated", "computed", "; ".join(refs),
                           f"planned by {last}, not reported by {record.as_of}; {status}", values)
    return Verdict("unverifiable", "computed", "; ".join(refs), status, values)


def milestone_in_period(claim: Claim, record: PublicRecord, p: Record) -> Verdict:
    period = claim.event()
    first, last = period_bounds(period.date)
    milestone = _milestone(record, p["item"])
    when, _ = period_bounds(milestone.date)
    in_period = first <= when <= last
    by_china = p.get("launched_by_china")
    ok_china = by_china is None or bool(milestone.launched_by_china) == by_china
    note = f"stated {period.evidence} = {period.date}; {milestone['item']} dated {milestone.date}"
    if by_china is not None:
        note += f", launched by China: {str(bool(milestone.launched_by_china)).lower()}"
    verdict = "supported" if in_period and ok_china else "partly correct" if in_period or ok_china \
        else "contradicted"
    return Verdict(verdict, "computed", milestone.ref, note,
                   {"item": milestone["item"], "date": milestone.date, "year": milestone.date[:4]})


def programme_age(claim: Claim, record: PublicRecord, p: Record) -> Verdict:
    stated = claim.quantity("age")
    milestone = _milestone(record, p["item"])
    founded = dt.date.fromisoformat(milestone.date)
    age = claim.published.year - founded.year - (
        (claim.published.month, claim.published.day) < (founded.month, founded.day))
    low = -math.inf if pd.isna(stated.low) else stated.low
    high = math.inf if pd.isna(stated.high) else stated.high
    verdict = "supported" if low <= age <= high else "contradicted"
    return Verdict(verdict, "computed", milestone.ref,
                   f"founded {founded}; {age} years old on {claim.published} (stated: {stated.text})",
                   {"founded": founded.isoformat(), "age": age})


def reported_after(claim: Claim, record: PublicRecord, p: Record) -> Verdict:
    rows = _after(record, p["contains"])
    row = rows.iloc[0]
    note = f"{row.date}: {row.event}"
    values = {"date": row.date, "event": clause(row.event, p["contains"])}
    if p.get("number_in_text"):
        stated = claim.quantity()
        number = f"{stated.value:g}"
        if number not in row.event:
            return Verdict("contradicted", "computed", row.ref, f"{note} (the article says {number})",
                           values)
    if p.get("unchecked"):
        note += f"; not checked: {p['unchecked']}"
    return Verdict("supported", "computed", "; ".join(rows.ref), note, values)


def schedule_vs_outcome(claim: Claim, record: PublicRecord, p: Record) -> Verdict:
    planned = claim.event()
    _, last = period_bounds(planned.date)
    outcome = _after(record, p["outcome"]).iloc[0]
    happened = dt.date.fromisoformat(outcome.date)
    late = months_between(last, happened)
    values = {"planned_by": last.isoformat(), "happened": happened.isoformat(),
              "months_late": max(late, 0), "outcome": clause(outcome.event, p["outcome"])}
    note = f"planned by {last} ({planned.evidence}); happened {happened}: {values['outcome']}"
    if happened <= last:
        return Verdict("supported", "computed", outcome.ref, note, values)
    return Verdict("outdated", "computed", outcome.ref, f"{note}: about {late} months later than planned",
                   values)


def typed(claim: Claim, record: PublicRecord, p: Record) -> Verdict:
    return Verdict(p["verdict"], "typed", p.get("reference", ""), f"typed: {p['note']}")


CHECKS: dict[str, Callable[[Claim, PublicRecord, Record], Verdict]] = {
    f.__name__: f for f in (crewed_missions_since, launch_time, launch_day_and_crew, return_date,
                            operating_stations, station_year, no_foreign_visitors, pending_plan,
                            milestone_in_period, programme_age, reported_after, schedule_vs_outcome,
                            typed)
}


def load_checks(path, facts: Facts) -> dict[str, Record]:
    checks: dict[str, Record] = {}
    claim_ids = set(facts["claims"].claim_id)
    for record in load_records(path):
        record.require("claim", "check")
        if record["claim"] not in claim_ids:
            raise record.fail(f"claim {record['claim']!r} is not in claims.yaml",
                              fix="correct the id or add the claim")
        if record["claim"] in checks:
            raise record.fail(f"claim {record['claim']!r} has two checks", fix="keep one")
        if record["check"] not in CHECKS:
            raise record.fail(f"unknown check {record['check']!r}",
                              fix=f"use one of: {', '.join(sorted(CHECKS))}")
        if record["check"] == "typed":
            record.require("verdict", "note")
            facts.knowledge.vocabulary.check(record, "verdict", record["verdict"])
        checks[record["claim"]] = record
    return checks


def claim_span(table: pd.DataFrame, claim) -> pd.DataFrame:
    """Rows of an offset table (events, quantities) that lie within a claim's span."""
    return table[(table.source_id == claim.source_id) & (table.start >= claim.start)
                 & (table.end <= claim.end)]


def judge(facts: Facts, record: PublicRecord) -> pd.DataFrame:
    """The claims table with every verdict filled; a curated claim without one stops the build."""
    return assess(facts, record).claims


@dataclass(frozen=True)
class Assessment:
    claims: pd.DataFrame  # the claims table with verdicts
    values: dict[str, dict]  # claim_id → what its check computed


def assess(facts: Facts, record: PublicRecord) -> Assessment:
    """Every claim judged; also returns the values each check computed."""
    paths_knowledge = facts.knowledge.claims_path.parent
    checks = load_checks(paths_knowledge / "checks.yaml", facts)
    published = {s.source_id: s.published for s in facts.sources}
    claims = facts["claims"].copy()
    values: dict[str, dict] = {}
    events, quantities = facts["events"], facts["quantities"]
    columns: dict[str, list[str]] = {"verdict": [], "method": [], "reference": [], "note": []}
    for _, row in claims.iterrows():
        if row.origin == "automatic":
            verdict = Verdict("unverifiable", "automatic", "",
                              "not yet reviewed: add it to claims.yaml and checks.yaml")
        elif row.kind == "opinion":
            verdict = Verdict("opinion", "rule", "", "a judgement, not a checkable fact")
        elif row.claim_id in checks:
            spec = checks[row.claim_id]
            # only a checked claim needs the facts in its span (a large uncurated source has thousands)
            claim = Claim(row, claim_span(events, row), claim_span(quantities, row),
                          published[row.source_id])
            try:
                verdict = CHECKS[spec["check"]](claim, record, spec)
            except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
                raise spec.fail(f"check {spec['check']!r} failed for claim {row.claim_id!r}: {exc}",
                                fix="correct the parameters or the claim's evidence") from None
        else:
            raise InputError(facts.knowledge.claims_path, f"claim {row.claim_id!r} has no verdict",
                             line=int(row.line), fix="add a check for it in checks.yaml")
        for name in columns:
            columns[name].append(getattr(verdict, name))
        values[row.claim_id] = verdict.values
    for name, column in columns.items():
        claims[name] = column
    claims["as_of"] = record.as_of
    return Assessment(claims, values)
