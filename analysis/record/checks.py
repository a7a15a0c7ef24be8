"""The checks a curated claim can name in ``knowledge/checks.yaml``, each declared beside its code.

A check reads what the article claimed from the facts inside the claim's span (dates, clock
times, counts), compares it with the reference tables, and returns a verdict with the reference
rows it rests on, a one-line note, and the values it computed for the briefing's prose. Each is
registered with :func:`check`, which declares its parameters (``needs``, ``may``) and the values
it ``computes``, so ``checks.yaml`` and ``judgements.yaml`` are validated before any check runs.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, available_timezones

import pandas as pd

from ..facts.dates import period_bounds
from ..facts.quantities import ORDINALS
from ..inputs.curated import Entry
from ..wording import Wording, plural
from .tables import PublicRecord


class NotInRecord(ValueError):
    """A claim's words or a check's parameters name something the facts or the record lack:
    a data problem, reported at the claim's entry in ``checks.yaml``."""


# Parameter kinds: each validates a value from checks.yaml and says what it expects.
@dataclass(frozen=True)
class Kind:
    expects: str
    valid: Callable[[object], bool]


def _is_date(value: object) -> bool:
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    return isinstance(value, (str, dt.date))


TEXT = Kind("text", lambda v: isinstance(v, str) and bool(v.strip()))
DATE = Kind("an ISO date in quotes, e.g. \"2022-11-03\"", _is_date)
FLAG = Kind("true or false", lambda v: isinstance(v, bool))
TIMEZONE = Kind("an IANA time zone, e.g. Asia/Shanghai",
                lambda v: isinstance(v, str) and v in available_timezones())
STATION_YEARS = Kind("a year column of station_visitors.csv: crewed_from, crewed_to or first_module_launched",
                     lambda v: v in ("crewed_from", "crewed_to", "first_module_launched"))


@dataclass(frozen=True)
class Verdict:
    verdict: str
    method: str  # computed | typed | rule | computed (generic: …) | generic
    reference: str
    note: str
    values: dict = field(default_factory=dict)  # what the check computed, for prose


def ordinal_word(number: int) -> str:
    """An ordinal as the briefing writes it: in words to twelfth, in digits beyond ("15th", "21st")."""
    words = {v: k for k, v in ORDINALS.items() if v <= 12}
    if number in words:
        return words[number]
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


@dataclass(frozen=True)
class Claim:
    """A claim with the facts extracted inside its span: what the article asserted."""

    row: tuple  # a named tuple of the claims table
    events: pd.DataFrame
    quantities: pd.DataFrame
    published: dt.date

    def event(self, precision: str | None = None) -> pd.Series:
        events = self.events[self.events.precision != "unresolved"] if precision is None else \
            self.events[self.events.precision == precision]
        if events.empty:
            raise NotInRecord(f"claim {self.row.claim_id!r}: no date in its words")
        return events.iloc[0]

    def quantity(self, kind: str | None = None) -> pd.Series:
        quantities = self.quantities if kind is None else self.quantities[self.quantities.kind == kind]
        if quantities.empty:
            raise NotInRecord(f"claim {self.row.claim_id!r}: no number in its words")
        return quantities.iloc[0]


def _mission(record: PublicRecord, name: str) -> pd.Series:
    rows = record.crewed_missions[record.crewed_missions.mission == name]
    if rows.empty:
        raise NotInRecord(f"mission {name!r} is not in crewed_missions.csv")
    return rows.iloc[0]


def _station(record: PublicRecord, name: str) -> pd.Series:
    rows = record.station_visitors[record.station_visitors.station == name]
    if rows.empty:
        raise NotInRecord(f"station {name!r} is not in station_visitors.csv")
    return rows.iloc[0]


def _after(record: PublicRecord, contains: str) -> pd.DataFrame:
    rows = record.after_article_timeline
    found = rows[rows.event.str.contains(contains, regex=False)]
    if found.empty:
        raise NotInRecord(f"no event in after_article_timeline.csv contains {contains!r}")
    return found


def _milestone(record: PublicRecord, contains: str) -> pd.Series:
    rows = record.pakistan_space_milestones
    found = rows[rows.item.str.contains(contains, regex=False)]
    if found.empty:
        raise NotInRecord(f"no item in pakistan_space_milestones.csv contains {contains!r}")
    return found.iloc[0]


def clause(text: str, words: str) -> str:
    """The clause of a reference cell that holds ``words`` (cells list several facts)."""
    parts = [p.strip().rstrip(".") for p in re.split(r";|\.\s", text)]
    return next((p for p in parts if words in p), text)


def months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


@dataclass(frozen=True)
class Check:
    """A check, its parameters (required and optional, by kind) and the values it computes."""

    run: Callable[[Claim, PublicRecord, Entry], Verdict]
    needs: dict[str, Kind]
    may: dict[str, Kind]
    computes: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.run.__name__

    def validate(self, entry: Entry) -> None:
        """Every parameter declared and of its kind; fails at the entry's file:line."""
        given = {k: v for k, v in entry.items() if k not in ("claim", "check")}
        allowed = {**self.needs, **self.may}
        for key in given:
            if key not in allowed:
                raise entry.fail(f"check {self.name!r} takes no parameter {key!r}",
                                 fix=f"its parameters are: {', '.join(allowed) or 'none'}", key=key)
        for key in self.needs:
            if key not in given:
                raise entry.fail(f"check {self.name!r} needs parameter {key!r} ({self.needs[key].expects})",
                                 fix=f"add `{key}:` to this entry")
        for key, value in given.items():
            if not allowed[key].valid(value):
                raise entry.fail(f"parameter {key!r} is {value!r}, expected {allowed[key].expects}",
                                 fix=f"correct `{key}:`", key=key)


CHECKS: dict[str, Check] = {}


def check(*, needs: dict[str, Kind] | None = None, may: dict[str, Kind] | None = None,
          computes: tuple[str, ...] = ()) -> Callable:
    """Register a check under its function name, with what it reads and what it computes."""

    def register(run: Callable[[Claim, PublicRecord, Entry], Verdict]) -> Callable:
        CHECKS[run.__name__] = Check(run, needs or {}, may or {}, computes)
        return run

    return register


# --- the checks ---------------------------------------------------------------------------------
# Each returns a verdict and the values it computed; the briefing's prose reads those values.

@check(needs={"mission": TEXT, "destination": TEXT, "since": DATE, "since_source": TEXT},
       computes=("mission", "destination", "since_date", "stated", "stated_words", "overall", "since",
                 "overall_ordinal", "since_ordinal"))
def crewed_missions_since(claim: Claim, record: PublicRecord, p: Entry) -> Verdict:
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


@check(needs={"mission": TEXT}, computes=("mission", "stated_utc", "launch_utc", "launch_utc_text"))
def launch_time(claim: Claim, record: PublicRecord, p: Entry) -> Verdict:
    event = claim.events[claim.events.time_utc != ""]
    if event.empty:
        raise NotInRecord(f"claim {claim.row.claim_id!r}: no clock time in its words")
    stated = event.iloc[0]
    mission = _mission(record, p["mission"])
    actual = mission.launch_utc.strftime("%Y-%m-%dT%H:%MZ")
    values = {"mission": p["mission"], "stated_utc": stated.time_utc, "launch_utc": actual,
              "launch_utc_text": _utc_words(actual)}
    verdict = "supported" if stated.time_utc == actual else "contradicted"
    note = (f"stated {_utc_words(stated.time_utc)}, launched {_utc_words(actual)}"
            f"{_clocks_words(stated.time_check)}")
    return Verdict(verdict, "computed", mission.ref, note, values)


def _utc_words(instant: str) -> str:
    """``2025-04-24T09:17Z`` as prose says it: ``09:17 UTC on 24 April 2025``."""
    moment = dt.datetime.strptime(instant, "%Y-%m-%dT%H:%MZ")
    return f"{moment:%H:%M} UTC on {moment.day} {moment:%B %Y}"


def _clocks_words(check: str) -> str:
    """An event's ``time_check`` (``consistent: 5:17 p.m. … → 09:17Z = 5:17 a.m. ET → 09:17Z``) as
    a clause: the clock times the sentence gives, and whether they are the same instant."""
    if not check:
        return ""
    agreement, _, readings = check.partition(": ")
    clocks = [reading.rpartition(" → ") for reading in readings.split(" = ")]
    said = " and ".join(text for text, _, _ in clocks)
    if agreement == "consistent":
        return f"; the sentence's clock times, {said}, are the same instant"
    each = ", ".join(f"{text} is {utc.removesuffix('Z')} UTC" for text, _, utc in clocks)
    return f"; the sentence's clock times disagree: {each}"


@check(needs={"mission": TEXT, "destination": TEXT}, computes=("mission", "day", "crew"))
def launch_day_and_crew(claim: Claim, record: PublicRecord, p: Entry) -> Verdict:
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


@check(needs={"mission": TEXT, "timezone": TIMEZONE},
       computes=("mission", "scheduled", "landed", "days_late"))
def return_date(claim: Claim, record: PublicRecord, p: Entry) -> Verdict:
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
                   f"{note}: {plural(abs(late), 'day')} {'late' if late > 0 else 'early'}", values)


@check(computes=("count", "stations", "year"))
def operating_stations(claim: Claim, record: PublicRecord, p: Entry) -> Verdict:
    stated = int(claim.quantity("count").value)
    year = claim.published.year
    stations = record.station_visitors
    operating = stations[(stations.crewed_from <= year)
                         & (stations.crewed_to.isna() | (stations.crewed_to >= year))]
    note = f"operating in {year}: {', '.join(operating.station)}"
    verdict = "supported" if len(operating) == stated else "contradicted"
    return Verdict(verdict, "computed", "; ".join(operating.ref), f"{note} ({len(operating)})",
                   {"count": len(operating), "stations": ", ".join(operating.station), "year": year})


@check(needs={"station": TEXT, "field": STATION_YEARS}, computes=("station", "stated", "year"))
def station_year(claim: Claim, record: PublicRecord, p: Entry) -> Verdict:
    stated = int(claim.event("year").date)
    station = _station(record, p["station"])
    actual = station[p["field"]]
    values = {"station": p["station"], "stated": stated}
    field = Wording.beside(p.path).of("reference_columns", p["field"])
    if pd.isna(actual):
        return Verdict("unverifiable", "computed", station.ref, f"{field}: not in the record", values)
    verdict = "supported" if int(actual) == stated else "contradicted"
    return Verdict(verdict, "computed", station.ref, f"stated {stated}; {p['station']} {field} {int(actual)}",
                   {**values, "year": int(actual)})


@check(needs={"host": TEXT}, may={"station": TEXT},
       computes=("foreign", "foreign_text", "stations", "station_count", "crewed_from"))
def no_foreign_visitors(claim: Claim, record: PublicRecord, p: Entry) -> Verdict:
    stations = record.station_visitors
    stations = stations[stations.host == p["host"]]
    if "station" in p:
        stations = stations[stations.station == p["station"]]
    foreign = int(stations.foreign_nationalities_count.fillna(0).sum())
    names = ", ".join(stations.station)
    guests = "no foreign nationals" if foreign == 0 else \
        f"guests of {plural(foreign, 'foreign nationality', 'foreign nationalities')}"
    values = {"foreign": foreign, "foreign_text": guests, "stations": names, "station_count": len(stations),
              "crewed_from": int(stations.crewed_from.min()) if len(stations) else None}
    if foreign == 0:
        return Verdict("supported", "computed", "; ".join(stations.ref),
                       f"{names}: no foreign national aboard, still true as of {record.as_of}", values)
    return Verdict("contradicted", "computed", "; ".join(stations.ref),
                   f"{names}: {foreign} foreign nationalities hosted", values)


@check(needs={"plan": TEXT}, may={"station": TEXT}, computes=("plan_date", "plan", "as_of"))
def pending_plan(claim: Claim, record: PublicRecord, p: Entry) -> Verdict:
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


@check(needs={"item": TEXT}, may={"launched_by_china": FLAG}, computes=("item", "date", "year"))
def milestone_in_period(claim: Claim, record: PublicRecord, p: Entry) -> Verdict:
    period = claim.event()
    first, last = period_bounds(period.date)
    milestone = _milestone(record, p["item"])
    when, _ = period_bounds(milestone.date)
    in_period = first <= when <= last
    by_china = p.get("launched_by_china")
    ok_china = by_china is None or bool(milestone.launched_by_china) == by_china
    note = f"stated {period.evidence}, that is {period.date}; {milestone['item']} dated {milestone.date}"
    if by_china is not None:
        note += ", launched by China" if bool(milestone.launched_by_china) else ", not launched by China"
    verdict = "supported" if in_period and ok_china else "partly correct" if in_period or ok_china \
        else "contradicted"
    return Verdict(verdict, "computed", milestone.ref, note,
                   {"item": milestone["item"], "date": milestone.date, "year": milestone.date[:4]})


@check(needs={"item": TEXT}, computes=("founded", "age"))
def programme_age(claim: Claim, record: PublicRecord, p: Entry) -> Verdict:
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


@check(needs={"contains": TEXT}, may={"number_in_text": FLAG, "unchecked": TEXT},
       computes=("date", "event"))
def reported_after(claim: Claim, record: PublicRecord, p: Entry) -> Verdict:
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


@check(needs={"outcome": TEXT}, computes=("planned_by", "happened", "months_late", "outcome"))
def schedule_vs_outcome(claim: Claim, record: PublicRecord, p: Entry) -> Verdict:
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


@check(needs={"verdict": TEXT, "note": TEXT}, may={"reference": TEXT})
def typed(claim: Claim, record: PublicRecord, p: Entry) -> Verdict:
    return Verdict(p["verdict"], "typed", p.get("reference", ""), str(p["note"]))
