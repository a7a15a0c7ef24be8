"""Dated events: one row per date expression, with the sentence it dates, its actors and status.

Like a GDELT/ACLED event table (date, precision, actors, pointer to the source), but every row
keeps the verbatim words it rests on. ``status`` compares the resolved date with publication:

- *reported*: before publication, or the same period told in the past tense;
- *scheduled*: after publication (or the same day, told in the future) with a day-precise date;
- *planned*: after publication with only a month or a year.
"""

from __future__ import annotations

import datetime as dt
import itertools
from bisect import bisect_left

import pandas as pd

from ..datapackage import TABLES_BY_NAME
from ..inputs.gazetteer import Gazetteer
from ..inputs.sources import Source, Span
from .dates import ResolvedDate, clock_in_utc, find_clock_times, resolve_dates, tense_near
from .mentions import Mention


def _period(date: dt.date, precision: str) -> tuple[int, ...]:
    return {"year": (date.year,), "month": (date.year, date.month),
            "day": (date.year, date.month, date.day)}[precision]


def status_of(resolved: ResolvedDate, published: dt.date, tense: str) -> str:
    when = _period(resolved.first_day, resolved.precision)
    now = _period(published, resolved.precision)
    if when < now or (when == now and tense == "past"):
        return "reported"
    return "scheduled" if resolved.precision == "day" else "planned"


def _local_zone(source: Source, sentence: Span, mentions: list[Mention], gazetteer: Gazetteer) -> str | None:
    """'local time' is the zone of the first place, mission or actor with a country in the sentence,
    else in the sentences before it."""
    split = bisect_left(mentions, sentence.start, key=_start)  # mentions are sorted by start
    in_sentence = mentions[split:bisect_left(mentions, sentence.end, key=_start)]
    for m in itertools.chain(in_sentence, reversed(mentions[:split])):
        zone = gazetteer.timezone_of(m.entity_id)
        if zone:
            return zone
    return None


def _start(mention: Mention) -> int:
    return mention.start


def events_for(source: Source, mentions: list[Mention], gazetteer: Gazetteer) -> list[dict]:
    mentions = sorted(mentions, key=_start)
    rows = []
    for sentence in source.sentences:
        resolved = resolve_dates(source.text, source.published, sentence.start, sentence.end,
                                 clause_start=sentence.start)
        if not resolved:
            continue
        clocks = find_clock_times(source.text, sentence.start, sentence.end)
        within = mentions[bisect_left(mentions, sentence.start, key=_start):
                          bisect_left(mentions, sentence.end, key=_start)]
        actors = list(dict.fromkeys(m.entity_id for m in within if not m.nested))
        for r in resolved:
            tense = tense_near(source.text, r.start, sentence.start)
            row = {
                "source_id": source.source_id, "date": r.date, "date_end": r.date_end,
                "precision": r.precision, "status": status_of(r, source.published, tense), "rule": r.rule,
                "anchor": r.anchor or f"published {source.published.isoformat()}", "evidence": r.text,
                "start": r.start, "end": r.end, "time_utc": "", "time_evidence": "",
                "time_start": -1, "time_end": -1, "time_check": "", "description": sentence.text,
                "sentence_start": sentence.start, "sentence_end": sentence.end,
                "actors": "|".join(actors),
            }
            if r.precision == "day" and clocks:
                _attach_clocks(row, r, clocks, source, sentence, mentions, gazetteer)
            rows.append(row)
    return rows


def _attach_clocks(row: dict, r: ResolvedDate, clocks: list, source: Source, sentence: Span,
                   mentions: list[Mention], gazetteer: Gazetteer) -> None:
    """Clock times belong to the day expression inside or nearest after them in the sentence."""
    nearest = [(m, zone) for m, zone in clocks if m.start() <= r.start <= m.end() + 20]
    if not nearest:
        return
    instants = []
    for m, zone in clocks:
        zone = zone or _local_zone(source, sentence, mentions, gazetteer)
        if zone:
            instants.append((m, clock_in_utc(m, r.first_day, zone)))
    if not instants:
        return
    first, utc = instants[0]
    row["time_utc"] = utc.strftime("%Y-%m-%dT%H:%MZ")
    row["time_evidence"] = first.group()
    row["time_start"], row["time_end"] = first.start(), first.end()
    if len(instants) > 1:
        agree = len({u for _, u in instants}) == 1
        row["time_check"] = ("consistent: " if agree else "inconsistent: ") + " = ".join(
            f"{m.group()} → {u:%H:%MZ}" for m, u in instants)


def events_frame(sources: list[Source], mentions: dict[str, list[Mention]],
                 gazetteer: Gazetteer) -> pd.DataFrame:
    rows = [row for s in sources for row in events_for(s, mentions.get(s.source_id, []), gazetteer)]
    return TABLES_BY_NAME["events"].frame(rows)
