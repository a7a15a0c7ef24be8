"""Generic checks: verdicts for uncurated claims, read from the reference tables with no per-claim curation.

A new article about something the record lists should get computed verdicts before anyone writes
a line of ``checks.yaml``. An automatic claim is one sentence; these checks look in it for what the
record's tables are keyed on, and compare what the sentence states with the row:

- a *Shenzhou mission* named in the words (``Shenzhou-21``, ``Shenzhou 21``, ``Shenzhou XXI``):
  the date of its launch or return (the launch or landing word nearest the date says which), its
  crew size (a count of astronauts or crew, or *uncrewed*), and its place in the sequence of
  crewed missions (*the 10th crewed mission to Tiangong*, *China's 16th crewed spaceflight*, *the
  15th crewed spaceflight under China's Shenzhou program*, *the 15th time China has sent
  astronauts into orbit*) against ``crewed_missions.csv``, which lists every crewed Shenzhou
  flight. A sentence that names no mission (*The mission is the 15th crewed spaceflight …*) is
  about the one the three sentences before it name, when they name exactly one;
- a *count of China's crewed flights* (*China has flown 15 crewed missions*, *its 10 crewed
  missions to Tiangong*) against the crewed rows launched by the article's date (or, since an
  article may count a launch it announces, within three days after it; or not yet on its day);
  a count in a plan, or as of another date the sentence gives, is left alone;
- a *space station* named (from ``station_visitors.csv`` and the gazetteer's aliases for it):
  whether it has hosted a foreigner, and the year it was first crewed;
- a *Pakistani satellite* named by its designator (``HS-1``, ``PakSat-MM1``): its launch date
  against ``pakistan_space_milestones.csv``.

An ordinal or count is checked only when the words say it counts crewed flights (*crewed*,
*manned*, *human* in the counted thing itself, a *crew*, or *the Nth time … sent astronauts*).
One that counts every flight (*the 35th flight mission of China's manned space program*, *the
fifteenth flight overall of the Shenzhou program*, *the 15th Shenzhou spacecraft*) includes
uncrewed ships, cargo craft and modules the record does not list: it stays *unverifiable*,
with that reason, never forced onto the crewed sequence.

A date is compared at the precision the sentence gives it (a day, a month, a year, a range); a
launch on the Beijing date or the UTC date both count, as reports use either. A reported event on
another date is *contradicted*; a scheduled or planned one that happened on another date is
*outdated* (the schedule slipped), as the curated ``return_date`` check says. A sentence with no
such statement stays *unverifiable*, with the reason: what it names that the record lacks, or that
it names nothing the record lists.

The cue words below are grammar (how English reports a launch or a crew), not facts: the facts
all come from the reference tables, so a new row there is checked with no change here.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pandas as pd

from ..facts.dates import period_bounds
from ..inputs.gazetteer import Gazetteer
from ..wording import plural
from .checks import Verdict, ordinal_word
from .tables import PublicRecord

BEIJING = ZoneInfo("Asia/Shanghai")  # the record's local times are Beijing time (its README)
TABLE_LABELS = {"crewed_missions": "mission table", "station_visitors": "station visitors",
                "pakistan_space_milestones": "Pakistani milestones"}

# What kind of event a date belongs to: the cue nearest the date in its sentence.
LAUNCH = r"launch(?:ed|es|ing)?|lift(?:ed|s)? off|liftoff|blast(?:ed|s)? off|took off|flew|sent"
LANDING = r"return(?:ed|s|ing)?|land(?:ed|s|ing)?|touch(?:ed|es)? down|came back|back (?:on|to) Earth"
DOCKING = r"dock(?:ed|s|ing)?|berth(?:ed|s|ing)?|arriv(?:ed|es|ing)|reached"
EVENT_CUES = re.compile(rf"\b(?:(?P<launch>{LAUNCH})|(?P<landing>{LANDING})|(?P<docking>{DOCKING}))\b",
                        re.I)
# What a count of people aboard is counted in (the quantity's head noun).
CREW_UNITS = {"astronaut", "astronauts", "crew", "crews", "crew members", "crewmembers", "taikonaut",
              "taikonauts", "spacefarers", "yuhangyuan"}
# A count is a mission's crew only when carried: "carrying three astronauts", "with three astronauts".
CREW_CUE = re.compile(r"(?:\b(?:carrying|carried|carries|with|sent|sending|sends|flew|flying|took|taking|"
                      r"ferrying|ferried|brought|bringing)\s+(?:a crew of\s+)?|['’]s\s+)$", re.I)
# Words between a name and what is said of it that start another clause: the two are not linked.
CLAUSE_BREAK = re.compile(r"[;:—–()]|\b(?:where|which|whose|who|while|but|so that)\b", re.I)
NEAR = 60  # characters: how far a cue word may stand from the date or number it qualifies
LINK_REACH = 400  # characters: no mission further from a date or number than this is what it is about
UNCREWED = re.compile(r"\b(?:uncrewed|unmanned|robotic|unpiloted)\s+(?:[\w-]+\s+){0,1}$", re.I)
# Which sequence an ordinal counts in, from the words that follow it.
SEQUENCES = (
    ("after_assembly_seq", re.compile(r"\b(?:since|after)\b[^.;]*\b(?:assembl|complet)", re.I),
     "crewed mission since Tiangong's full assembly"),
    ("app_dev_phase_seq", re.compile(r"\bapplication and development\b", re.I),
     "crewed mission of the application and development phase"),
    ("destination", re.compile(r"\b(?:Tiangong|station|rotation)\b", re.I),
     "crewed mission to {destination}"),
    ("overall", re.compile(r""), "Chinese crewed mission"),
)
# What an ordinal or a count numbers, from the words right after its number: crewed flights only
# when they say so of the counted thing itself ("15th crewed spaceflight under China's program";
# not "35th flight mission of China's manned space program", every flight of the programme).
CREWED = re.compile(r"\b(?:crewed|manned|human|piloted)\b", re.I)
FLIGHTS = re.compile(r"^(?:(?:space)?flights?|missions?|launch(?:es)?|spacecraft|spaceships?|ships?|"
                     r"voyages?|trips?|rotations?)$", re.I)
CREWS = re.compile(r"^crews?$", re.I)
PHRASE_END = re.compile(r"^(?:of|to|under|in|into|for|since|by|from|with|that|which|who|and|or|as|at|"
                        r"on|headed|bound|launched|is|was|has|had|will|so|far|overall|ever|yet)$", re.I)
PROGRAMME = re.compile(r"\b(?:program(?:me)?|project|Shenzhou)\b|\boverall\b", re.I)
# Whose count it is: "China's", "the country's", "its"; not "his third flight", "Pakistan's first".
OWNER = re.compile(r"(?:\b(?:his|her|their|my|our|your)|(?<!China)(?<!country)(?<!nation)(?<!Beijing)"
                   r"(?<!program)(?<!programme)(?<!Shenzhou)['’]s)\s+$", re.I)
# A count of some of them only: "the first crewed mission to carry mice", "… with a civilian aboard".
SUBSET = re.compile(r"to\s+(?!(?:the|a|an|its|their|this|that|orbit|space|visit|reach|dock|fly|travel|go|"
                    r"head)\b)[a-z]+\b|(?i:with|carrying|including|featuring|without|that|which|whose|led|"
                    r"commanded)\b")
SENT_PEOPLE = re.compile(r"\b(?:sent|send|sending|flown|flew|fly|flying|put|carried|launched)\b[^.;]*?"
                         r"\b(?:astronauts?|taikonauts?|crews?|people|humans?|yuhangyuan)\b", re.I)
SINCE = re.compile(r"\b(?:since|first)\b[^,;.]{0,25}$", re.I)  # a count's start, not its date
CHINA = re.compile(r"\b(?:China|Chinese|Shenzhou|Beijing)\b")
# Another country's or company's programme in the sentence: a count may be theirs.
OTHERS = re.compile(r"\b(?:NASA|Roscosmos|Russia\w*|Soviet|U\.S\.|United States|America\w*|India\w*|"
                    r"SpaceX|Soyuz|Gaganyaan|Apollo|ISS|International Space Station|Europe\w*|ESA)\b")
# A count within a year, or from an event the record does not mark ("the second crewed mission this
# year", "the first since the debris strike"): the record could be read so, but is not, here.
YEARLY = re.compile(r"\b(?:this|that|the|last|next|a)\s+year\b|\b(?:in|of|during|for)\s+(?:19|20)\d\d\b|"
                    r"\bannual\b", re.I)
SINCE_WHAT = re.compile(r"\b(?:since|after)\b(?P<rest>[^.;]{0,60})", re.I)
WINDOW = 300  # characters after an ordinal or count that say what it counts
SOON = dt.timedelta(days=3)  # a launch an article announces may already be in its count
PLACES = re.compile(r"\bTiangong\b(?:[-\s]?[12]\b)?|\b(?:space\s+)?(?:station|lab(?:oratory)?)s?\b", re.I)
# A station statement about foreigners, and whether it says "none yet".
FOREIGN = re.compile(r"\bforeign(?:ers?|\s+(?:national|astronaut|visitor|crew|guest)s?)\b|\bnon-Chinese\b|"
                     r"\binternational (?:astronaut|crew|visitor)s?\b|\bonly (?:hosted )?Chinese\b", re.I)
NONE_YET = re.compile(r"\b(?:no|not|never|only|yet to|none)\b", re.I)  # just before the foreign words
PLANNED = re.compile(r"\b(?:will|would|to become|to be|plans?|planned|expected|set to|scheduled)\b", re.I)
STATION_YEAR = re.compile(r"\b(?:since|crewed|operat\w*|opened|began|started|occupied|launched)\b", re.I)
FROM_CHINA = re.compile(r"\b(?:from|by) China\b|\bChinese (?:rocket|launcher|launch vehicle)\b|"
                        r"\bLong March\b", re.I)
# A satellite designator in the milestone table: PakSat-MM1, HS-1, PRSC-EO1, Badr-B, ICUBE-Q.
DESIGNATOR = re.compile(r"\b[A-Z][A-Za-z]*(?:-[A-Z0-9]+)+\b|\b[A-Z]{2,}[a-z]*\s[A-Z]{2,}-\d+\b")
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def _roman(numeral: str) -> int | None:
    values = [ROMAN.get(c) for c in numeral]
    if None in values:
        return None
    total = 0
    for value, following in zip(values, [*values[1:], 0], strict=True):
        total += -value if value < following else value  # type: ignore[operator]
    return total


@dataclass(frozen=True)
class Sentence:
    """An automatic claim with the facts inside its span, as plain rows (``events`` and
    ``quantities`` table rows): thousands of sentences are read, so no DataFrame per sentence."""

    row: tuple  # the claim: a named tuple of the claims table
    events: list  # namedtuples of the events table
    quantities: list  # namedtuples of the quantities table
    published: dt.date
    before: str = ""  # the sentences before it in its source (up to three): whom "the mission" is


@dataclass(frozen=True)
class Named:
    """Something from the record named in a claim's words, and where."""

    kind: str  # mission | station | satellite
    key: str  # the table's key: mission, station or item
    start: int  # offset in the claim's sentence
    end: int
    in_record: bool = True  # a Shenzhou mission the table does not (yet) list


@dataclass
class Finding:
    """One comparison of a statement in the claim with one reference row."""

    verdict: str
    table: str
    key: str
    ref: str  # file:line
    note: str
    subject: str  # what was checked, for the claims table's title

    @property
    def evidence(self) -> str:
        """The row as the briefing's evidence resolver names it."""
        return f"row:{self.table}:{self.key}"


@dataclass
class GenericChecks:
    """The record's names compiled once; :meth:`judge` then reads one claim at a time."""

    record: PublicRecord
    gazetteer: Gazetteer
    missions: dict[str, pd.Series] = field(init=False)
    mission_pattern: re.Pattern[str] = field(init=False)
    station_pattern: re.Pattern[str] = field(init=False)
    station_names: dict[str, str] = field(init=False)  # lower-case name or alias → station key
    satellite_pattern: re.Pattern[str] | None = field(init=False)
    satellites: dict[str, str] = field(init=False)  # designator → item
    milestones: pd.DataFrame = field(init=False)  # pakistan_space_milestones by item

    def __post_init__(self) -> None:
        missions = self.record.crewed_missions
        self.missions = {row.mission: row for _, row in missions.iterrows()}
        prefixes = sorted({m.rsplit("-", 1)[0] for m in self.missions}, key=len, reverse=True)
        self.mission_pattern = re.compile(
            rf"\b(?P<prefix>{'|'.join(map(re.escape, prefixes))})[-–\s]?(?P<number>\d{{1,3}}|[IVXL]+)\b")
        self.station_names = {}
        for key in self.record.station_visitors.station:
            variants = {key, *(part.strip() for part in re.split(r"[()]", key) if part.strip())}
            entity_aliases = {a.text for e in self.gazetteer.entities.values() if e.type == "station"
                              for a in e.aliases if {x.text for x in e.aliases} & variants}
            for name in variants | entity_aliases:
                self.station_names.setdefault(name.lower(), key)
        names = sorted(self.station_names, key=len, reverse=True)
        self.station_pattern = re.compile(
            rf"\b(?:{'|'.join(map(re.escape, names))})\b(?![-–]\s?\d)", re.I)
        self.milestones = self.record.pakistan_space_milestones.set_index("item")
        self.satellites = {}
        for item in self.record.pakistan_space_milestones.item:
            for designator in DESIGNATOR.findall(item):
                self.satellites.setdefault(designator, item)
        self.satellite_pattern = re.compile(
            rf"\b(?:{'|'.join(map(re.escape, sorted(self.satellites, key=len, reverse=True)))})\b") \
            if self.satellites else None

    # --- what the words name ---------------------------------------------------------------

    def named(self, text: str) -> list[Named]:
        found = []
        for m in self.mission_pattern.finditer(text):
            number = m["number"]
            value = int(number) if number.isdigit() else _roman(number)
            if value is None:
                continue
            key = f"{m['prefix']}-{value}"
            found.append(Named("mission", key, m.start(), m.end(), key in self.missions))
        for m in self.station_pattern.finditer(text):
            found.append(Named("station", self.station_names[m.group().lower()], m.start(), m.end()))
        if self.satellite_pattern is not None:
            for m in self.satellite_pattern.finditer(text):
                found.append(Named("satellite", self.satellites[m.group()], m.start(), m.end()))
        return sorted(found, key=lambda n: n.start)

    # --- the verdict -------------------------------------------------------------------------

    def judge(self, claim: Sentence) -> tuple[Verdict, str]:
        """The claim's verdict and a short title saying what was checked."""
        text, offset = claim.row.text, int(claim.row.start)
        named = self.named(text)
        findings: list[Finding] = []
        used_events: set[str] = set()
        findings += self._mission_events(claim, named, offset, used_events)
        findings += self._crews(claim, named, offset)
        findings += self._ordinals(claim, named, offset)
        findings += self._counts(claim)
        findings += self._satellites(claim, named, offset, used_events)
        findings += self._stations(claim, named, offset, used_events)
        if not findings:
            return Verdict("unverifiable", "generic", "", self._why_not(claim, named)), _excerpt(text)
        return _combined(findings, self.record.as_of), _title(findings)

    def _mission_events(self, claim: Sentence, named: list[Named], offset: int,
                        used: set[str]) -> Iterable[Finding]:
        missions = [n for n in named if n.kind == "mission" and n.in_record]
        for event in _dated(claim.events):
            at = int(event.start) - offset
            mission = _linked(claim.row.text, _nearest(missions, at), at)
            cue = _nearest_cue(claim.row.text, at)
            if mission is None or cue is None or cue == "docking":
                continue
            used.add(event.event_id)
            yield self._mission_date(self.missions[mission.key], cue, event)

    def _mission_date(self, row: pd.Series, cue: str, event: pd.Series) -> Finding:
        first, last = _bounds(event)
        stated = _stated(event)
        if cue == "launch":
            local = dt.date.fromisoformat(str(row.launch_local).lstrip("~")[:10])
            days, what = {local, row.launch_utc.date()}, "launched"
            when = f"{local} Beijing time" + ("" if row.launch_utc.date() == local
                                               else f" ({row.launch_utc.date()} UTC)")
        else:
            if pd.isna(row.landing_utc):
                said = f": {row.landing_note}" if row.landing_note else ""
                return Finding("unverifiable", "crewed_missions", row.mission, row.ref,
                               f"record: no landing of the {row.mission} crew recorded ({row.ref}{said})",
                               f"{row.mission} return")
            local = row.landing_utc.astimezone(BEIJING).date()
            days, what = {local, row.landing_utc.date()}, "landed"
            when = f"{local} Beijing time" + ("" if row.landing_utc.date() == local
                                               else f" ({row.landing_utc.date()} UTC)")
        subject = f"{row.mission} {'launch' if cue == 'launch' else 'return'} date"
        note = f"stated {stated}; record: {row.mission} {what} {when} ({row.ref})"
        if any(first <= day <= last for day in days):
            return Finding("supported", "crewed_missions", row.mission, row.ref, note, subject)
        if event.status in ("scheduled", "planned"):
            late = (min(days) - last).days if min(days) > last else (max(days) - first).days
            slip = f"{plural(abs(late), 'day')} {'late' if late > 0 else 'early'}"
            return Finding("outdated", "crewed_missions", row.mission, row.ref, f"{note}: {slip}", subject)
        return Finding("contradicted", "crewed_missions", row.mission, row.ref, note, subject)

    def _crews(self, claim: Sentence, named: list[Named], offset: int) -> Iterable[Finding]:
        missions = [n for n in named if n.kind == "mission" and n.in_record]
        text = claim.row.text
        for mission in missions:  # "the uncrewed Shenzhou-22"
            if UNCREWED.search(text, max(0, mission.start - NEAR), mission.start):
                row = self.missions[mission.key]
                verdict = "supported" if row.crew_size == 0 else "contradicted"
                yield Finding(verdict, "crewed_missions", row.mission, row.ref,
                              f"stated uncrewed; record: {row.mission} crew of {row.crew_size} ({row.ref})",
                              f"{row.mission} crew")
        counts = [q for q in claim.quantities if q.kind == "count" and q.unit.lower() in CREW_UNITS]
        for quantity in counts:
            at = int(quantity.start) - offset
            mission = _linked(text, _nearest(missions, at), at)
            if mission is None or not CREW_CUE.search(text[max(0, at - 30):at]):
                continue
            row = self.missions[mission.key]
            verdict = "supported" if quantity.value == row.crew_size else "contradicted"
            yield Finding(verdict, "crewed_missions", row.mission, row.ref,
                          f"stated {quantity.text}; record: {row.mission} flew with a crew of "
                          f"{row.crew_size} ({row.ref})", f"{row.mission} crew")

    def _ordinals(self, claim: Sentence, named: list[Named], offset: int) -> Iterable[Finding]:
        missions = [n for n in named if n.kind == "mission" and n.in_record]
        text = claim.row.text
        told_once = False
        for quantity in (q for q in claim.quantities if q.kind == "ordinal"):
            at = int(quantity.start) - offset
            counted = _counted(text, at)
            if counted is None:
                continue
            mission, told = _linked(text, _nearest(missions, at), at), ""
            if mission is None and not any(n.kind == "mission" for n in named):
                mission, told = self._mission_before(claim)
                told, told_once = ("" if told_once else told), True
            if mission is None:
                continue
            row = self.missions[mission.key]
            if counted == "every flight":
                yield Finding("unverifiable", "crewed_missions", row.mission, row.ref,
                              f"'{quantity.text}' {EVERY_FLIGHT} ({row.mission} was the "
                              f"{ordinal_word(self._position(row, 'overall', '')[0] or 0)} crewed, "
                              f"counted up to {row.ref}){told}", f"{row.mission} in sequence")
                continue
            sequence = self._sequence(re.split(r"[;,]|\band\b", text[at:at + WINDOW])[0], row.destination)
            if sequence is None:
                continue
            position, label, counted_as = self._position(row, *sequence)
            if position is None:
                continue
            stated = int(quantity.value)
            verdict = "supported" if stated == position else "contradicted"
            yield Finding(verdict, "crewed_missions", row.mission, row.ref,
                          f"stated {quantity.text}; record: {row.mission} was the "
                          f"{ordinal_word(position)} {label} ({counted_as}){told}",
                          f"{row.mission} in sequence")

    def _sequence(self, words: str, destination: str) -> tuple[str, str] | None:
        """Which sequence the words after an ordinal or count say it numbers; None for a count
        within a year or from an event the record does not mark (a "since" other than the
        station's assembly, or a year after the sequence began)."""
        since = SINCE_WHAT.search(words)
        if YEARLY.search(words[:since.start()] if since else words):
            return None
        column, label = next((column, label) for column, pattern, label in SEQUENCES if pattern.search(words))
        if since and column != "after_assembly_seq":
            year = re.search(r"\b(?:19|20)\d\d\b", since["rest"])
            missions = self.record.crewed_missions
            crewed = missions[missions.crew_size > 0]
            if column == "destination":
                crewed = crewed[crewed.destination == destination]
            if year is None or crewed.empty or int(year.group()) > crewed.launch_utc.min().year:
                return None
        return column, label

    def _mission_before(self, claim: Sentence) -> tuple[Named | None, str]:
        """The mission a sentence naming none is about: the one the sentences before it name, when
        they name exactly one the record lists."""
        keys = {n.key for n in self.named(claim.before) if n.kind == "mission"}
        if len(keys) != 1 or next(iter(keys)) not in self.missions:
            return None, ""
        key = keys.pop()
        return Named("mission", key, -1, -1), f"; the mission named before: {key}"

    def _counts(self, claim: Sentence) -> Iterable[Finding]:
        """"China has flown 15 crewed missions": the crewed rows launched by the article's date."""
        text = claim.row.text
        if not CHINA.search(text) or OTHERS.search(text) or PLANNED.search(text) \
                or any(e.status in ("scheduled", "planned") for e in claim.events):
            return
        offset = int(claim.row.start)
        counts = [q for q in claim.quantities if q.kind == "count" and pd.notna(q.value)
                  and _counted(text, int(q.start) - offset) == "crewed"]
        if not counts or any(not SINCE.search(text[max(0, int(e.start) - offset - 40):int(e.start) - offset])
                             for e in claim.events):
            return  # none, or a count as of a date the sentence gives, not as of the article's
        for quantity in counts:
            at = int(quantity.start) - offset
            words = re.split(r"[;,]|\band\b", text[at:at + WINDOW])[0]
            places = PLACES.findall(re.split(r"[;,.]", text[at:at + WINDOW])[0])
            if len(places) > 1:  # "to Tiangong-1 and Tiangong-2": a sum over destinations
                continue
            lab = re.search(r"\bTiangong[-\s]?(?P<n>[12])\b", words)  # the space labs of 2011 and 2016
            destination = f"Tiangong-{lab['n']}" if lab else "Tiangong"
            sequence = self._sequence(words, destination)
            found = self._count(claim, quantity, *sequence, destination) if sequence else None
            if found is not None:
                yield found

    def _count(self, claim: Sentence, quantity, column: str, label: str, destination: str) -> Finding | None:
        missions = self.record.crewed_missions
        crewed = missions[missions.crew_size > 0].copy()
        crewed["day"] = [dt.date.fromisoformat(str(x).lstrip("~")[:10]) for x in crewed.launch_local]
        if column == "destination":
            crewed = crewed[crewed.destination == destination]
            label = f"crewed flights to {destination}"
        elif column != "overall":
            crewed = crewed[crewed[column].notna()]
            label = label.replace("crewed mission", "crewed flights")
        else:
            label = "crewed Shenzhou flights"
        day = claim.published
        by_day = crewed[crewed.day <= day]
        if by_day.empty:  # an article from before China's first crewed flight
            return None
        latest = by_day.iloc[-1]
        note = (f"stated {quantity.text}; record: {len(by_day)} {label} launched by {day}, the latest "
                f"{latest.mission} on {latest.day} ({latest.ref})")
        if dt.date.fromisoformat(self.record.as_of) < day + SOON:
            return Finding("unverifiable", "crewed_missions", latest.mission, latest.ref,
                           f"{note}; the record ends {self.record.as_of}, before the article's count can be "
                           "settled", "count of crewed flights")
        stated = int(quantity.value)
        before = crewed[crewed.day < day]
        soon = crewed[crewed.day <= day + SOON]
        verdict, row = "contradicted", latest
        if stated == len(by_day):
            verdict = "supported"
        elif stated == len(before) and not before.empty:  # written before that day's launch
            verdict, row = "supported", before.iloc[-1]
            note += f"; {len(before)} before that day, the latest {row.mission} ({row.ref})"
        elif stated == len(soon):  # counting a launch it announces
            verdict, row = "supported", soon.iloc[-1]
            note += f"; {len(soon)} with {row.mission} on {row.day} ({row.ref}), which it may count"
        return Finding(verdict, "crewed_missions", row.mission, row.ref, note, "count of crewed flights")

    def _position(self, row: pd.Series, column: str, label: str) -> tuple[int | None, str, str]:
        """The mission's number in a sequence, and how it was counted: the table's own numbering
        for the two phases it numbers, else the crewed rows launched up to the mission's."""
        if row.crew_size == 0:  # an uncrewed ship has no place among crewed missions
            return None, label, row.ref
        if column in ("after_assembly_seq", "app_dev_phase_seq"):
            value = row[column]
            return (None if pd.isna(value) else int(value)), label, f"{row.ref}, column {column}"
        missions = self.record.crewed_missions
        crewed = missions[(missions.crew_size > 0) & (missions.launch_utc <= row.launch_utc)]
        if column == "destination":
            crewed = crewed[crewed.destination == row.destination]
            label = label.format(destination=row.destination)
        return len(crewed), label, f"counted up to {row.ref}"

    def _satellites(self, claim: Sentence, named: list[Named], offset: int,
                    used: set[str]) -> Iterable[Finding]:
        satellites = [n for n in named if n.kind == "satellite"]
        milestones = self.milestones
        for event in _dated(claim.events):
            if event.event_id in used:
                continue
            satellite = _nearest(satellites, int(event.start) - offset)
            if satellite is None:
                continue
            used.add(event.event_id)
            row = milestones.loc[satellite.key]
            first, last = _bounds(event)
            start, end = period_bounds(row.date)
            days = {start, end} | ({row.launch_utc.date()} if pd.notna(row.launch_utc) else set())
            ok_date = any(first <= d <= last for d in days) or (start <= first and last <= end)
            name = claim.row.text[satellite.start:satellite.end]
            note = f"stated {_stated(event)}; record: {satellite.key} dated {row.date} ({row.ref})"
            ok_china = True
            if FROM_CHINA.search(claim.row.text) and pd.notna(row.launched_by_china):
                ok_china = bool(row.launched_by_china)
                note += ", launched by China" if ok_china else ", not launched by China"
            verdict = "supported" if ok_date and ok_china else \
                "partly correct" if ok_date or ok_china else "contradicted"
            yield Finding(verdict, "pakistan_space_milestones", satellite.key, row.ref, note,
                          f"{name} launch date")

    def _stations(self, claim: Sentence, named: list[Named], offset: int,
                  used: set[str]) -> Iterable[Finding]:
        stations = [n for n in named if n.kind == "station"]
        if not stations:
            return
        visitors = self.record.station_visitors.set_index("station")
        text = claim.row.text
        foreign = FOREIGN.search(text)
        if foreign:
            station = _nearest(stations, foreign.start())
            row = visitors.loc[station.key]
            count = row.foreign_nationalities_count
            hosted = f"{int(count)} foreign nationalities" if pd.notna(count) else "foreign visitors"
            record = (f"record: {station.key} has hosted {hosted}" if pd.isna(count) or count > 0 else
                      f"record: no foreign national aboard {station.key} as of {self.record.as_of}") \
                + f" ({row.ref})"
            planned = PLANNED.search(text) or any(e.status in ("scheduled", "planned") for e in claim.events)
            says_none = NONE_YET.search(text[max(0, foreign.start() - 50):foreign.start()])
            subject = f"{station.key}: foreign visitors"
            if planned and not says_none:
                yield Finding("unverifiable", "station_visitors", station.key, row.ref,
                              f"a plan; {record}", subject)
            elif not says_none and count == 0 and claim.published.isoformat() > self.record.as_of:
                yield Finding("unverifiable", "station_visitors", station.key, row.ref,
                              f"reported after the record ends; {record}", subject)
            elif pd.notna(count):
                verdict = "supported" if (count == 0) == bool(says_none) else "contradicted"
                yield Finding(verdict, "station_visitors", station.key, row.ref,
                              f"stated {'none' if says_none else 'a foreign visitor'}; {record}", subject)
        for event in _dated(claim.events):  # "Tiangong, crewed since 2021"; "the ISS, launched in 1998"
            at = int(event.start) - offset
            cue = list(STATION_YEAR.finditer(text[max(0, at - 40):at]))
            if event.event_id in used or event.precision != "year" or event.status != "reported" or not cue:
                continue
            station = _nearest(stations, at)
            row = visitors.loc[station.key]
            used.add(event.event_id)
            launched = _nearest_cue(text, at) == "launch" and pd.notna(row.first_module_launched)
            column, what = ("first_module_launched", "first module launched") if launched else \
                ("crewed_from", "crewed from")
            verdict = "supported" if int(event.date) == row[column] else "contradicted"
            yield Finding(verdict, "station_visitors", station.key, row.ref,
                          f"stated {event.evidence}; record: {station.key} {what} {row[column]} ({row.ref})",
                          f"{station.key}: {what}")

    def _why_not(self, claim: Sentence, named: list[Named]) -> str:
        """The reason no generic check applies, as specific as the words allow."""
        beyond = [n.key for n in named if n.kind == "mission" and not n.in_record]
        if beyond:
            last = max(self.missions.values(), key=lambda r: r.launch_utc)
            return (f"names {', '.join(dict.fromkeys(beyond))}, not in crewed_missions.csv (its latest "
                    f"row: {last.mission}, launched {last.launch_utc:%Y-%m-%d})")
        unchecked = _unchecked(claim)
        every = [q.text for q in claim.quantities if q.kind == "ordinal"
                 and _counted(claim.row.text, int(q.start) - int(claim.row.start)) == "every flight"]
        if every and (named or CHINA.search(claim.row.text)):
            return f"'{every[0]}' {EVERY_FLIGHT}; {unchecked}"
        if not named:
            return f"no mission, station or satellite in the record is named in these words; {unchecked}"
        names = ", ".join(dict.fromkeys(n.key for n in named))
        if any(m.group("docking") for m in EVENT_CUES.finditer(claim.row.text)):
            return f"names {names}; the record has launch and landing dates, not docking; {unchecked}"
        return (f"names {names}, but no date, crew, sequence or visitor in these words is tied to "
                f"a row of the record; {unchecked}")


EVERY_FLIGHT = "counts every flight, crewed or not; the record lists crewed flights only"


def sentences_before(source, start: int, count: int = 3) -> str:
    """The text of the (up to) ``count`` sentences before the one at ``start``."""
    i = bisect.bisect_right(source.sentence_starts, start) - 1
    if i <= 0:
        return ""
    return source.text[source.sentences[max(0, i - count)].start:source.sentences[i].start]


def _counted(text: str, at: int) -> str | None:
    """What the ordinal or count at ``at`` numbers: "crewed" flights, "every flight" of a
    programme, or None (something else: an anniversary, an astronaut)."""
    after = text[at:at + WINDOW]
    first = re.match(r"\S+", after)
    if first is None:
        return None
    rest = after[first.end():]
    words, tail = [], rest
    for word in re.finditer(r"[\w'’-]+|[^\w\s]", rest):
        if not re.match(r"[\w'’-]", word.group()) or PHRASE_END.match(word.group()) or len(words) == 4:
            tail = rest[word.start():]
            break
        words.append(word.group())
    if not words or OWNER.search(text[max(0, at - 20):at]) or SUBSET.match(tail):
        return None
    if words[0].lower() in ("time", "times"):  # "the 15th time China has sent astronauts into orbit"
        return "crewed" if SENT_PEOPLE.search(text) else None
    if any(CREWS.match(w) for w in words):
        return "crewed"
    if not any(FLIGHTS.match(w) for w in words):
        return None
    if any(CREWED.match(w) for w in words):
        return "crewed"
    # a flight of a programme, counted with its uncrewed ships ("35th flight mission of China's manned
    # space program", "fifteenth flight overall"), not someone's flight ("his third flight")
    return "every flight" if PROGRAMME.search(re.split(r"[;,.]", rest)[0]) else None


def _dated(events: list) -> list:
    return [e for e in events if e.precision not in ("unresolved", "decade")]


def _bounds(event) -> tuple[dt.date, dt.date]:
    return period_bounds(event.date)[0], period_bounds(event.date_end or event.date)[1]


def _stated(event) -> str:
    date = event.date + (f" to {event.date_end}" if event.date_end else "")
    return f"'{event.evidence}', that is {date} ({event.status})"


def _nearest(named: list[Named], at: int) -> Named | None:
    """The name nearest before ``at`` (the subject usually comes first), else the first after.
    ``named`` is in text order and disjoint, so a bisection finds it: a sentence naming thousands
    of missions beside thousands of dates was otherwise scanned once per date."""
    i = bisect.bisect_right(named, at, key=_end)
    if i:
        return named[i - 1]
    j = bisect.bisect_left(named, at, key=_start)
    return named[j] if j < len(named) else None


def _start(named: Named) -> int:
    return named.start


def _end(named: Named) -> int:
    return named.end


def _linked(text: str, named: Named | None, at: int) -> Named | None:
    """``named`` if nothing between it and offset ``at`` starts another clause, else None."""
    if named is None or (at - named.end if named.end <= at else named.start - at) > LINK_REACH:
        return None
    between = text[named.end:at] if named.end <= at else text[at:named.start]
    return None if CLAUSE_BREAK.search(between) else named


def _nearest_cue(text: str, at: int) -> str | None:
    """The launch, landing or docking word nearest before the date (else just after it), within
    ``NEAR`` characters and the same clause: the verb the date belongs to."""
    # only the words near the date: a sentence of thousands of dates is not read once per date
    cues = [(m.start(), m.end(), m.lastgroup) for m in EVENT_CUES.finditer(text, max(0, at - 2 * NEAR),
                                                                            at + NEAR)]
    before = [c for c in cues if c[1] <= at and at - c[1] <= NEAR
              and not CLAUSE_BREAK.search(text[c[1]:at]) and "," not in text[c[1]:at]]
    if before:
        return before[-1][2]
    after = [c for c in cues if c[0] >= at and c[0] - at <= NEAR // 2
             and not CLAUSE_BREAK.search(text[at:c[0]]) and "," not in text[at:c[0]]]
    return after[0][2] if after else None


def _unchecked(claim: Sentence) -> str:
    dates = [f"'{e.evidence}'" for e in claim.events]
    numbers = [f"'{q.text}'" for q in claim.quantities]
    for noun, words in (("date", dates), ("number", numbers)):
        if words:
            plural, verb = ("s", "stay") if len(words) > 1 else ("", "stays")
            return f"its {noun}{plural} {', '.join(words)} {verb} unchecked"
    return "nothing in it is checkable"


def _combined(findings: list[Finding], as_of: str) -> Verdict:
    """One verdict for a sentence: a part that is wrong makes it partly correct, at best."""
    settled = [f for f in findings if f.verdict != "unverifiable"] or findings
    verdicts = {f.verdict for f in settled}
    if len(verdicts) == 1:
        verdict = verdicts.pop()
    elif verdicts <= {"supported", "outdated"}:
        verdict = "outdated"
    elif "supported" in verdicts or "partly correct" in verdicts:
        verdict = "partly correct"
    else:
        verdict = "contradicted"
    tables = " + ".join(dict.fromkeys(TABLE_LABELS[f.table] for f in findings))
    refs = "; ".join(dict.fromkeys(f.ref for f in findings))
    return Verdict(verdict, f"computed (generic: {tables})", refs, "; ".join(f.note for f in findings),
                   {"evidence": list(dict.fromkeys(f.evidence for f in findings)), "as_of": as_of})


def _title(findings: list[Finding]) -> str:
    return "; ".join(dict.fromkeys(f.subject for f in findings))


def _excerpt(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
