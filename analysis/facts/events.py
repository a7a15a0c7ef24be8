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
from .dates import Clock, ResolvedDate, clock_in_utc, find_clock_times, resolve_in_sentences, tense_near
from .mentions import Mention


def _period(date: dt.date, precision: str) -> tuple[int, ...]:
    return {"year": (date.year,), "month": (date.year, date.month),
            "day": (date.year, date.month, date.day)}[precision]


def status_of(resolved: ResolvedDate, published: dt.date, tense: str) -> str:
    """Reported when it lies before publication (or spans it, told in the past tense);
    scheduled when a day after it; planned when a longer stretch after it."""
    if resolved.precision == "unresolved":
        return "reported" if tense == "past" else "planned"
    if resolved.precision in ("day", "month", "year"):
        when = _period(resolved.first_day, resolved.precision)
        now = _period(published, resolved.precision)
        before = when < now or (when == now and tense == "past") if not resolved.date_end else \
            _period(resolved.last_day, resolved.precision) < now
    else:
        before = resolved.last_day < published
    spans = resolved.first_day <= published <= resolved.last_day
    if before or (spans and tense == "past"):
        return "reported"
    return "scheduled" if resolved.precision == "day" and not resolved.date_end else "planned"


def _local_zone(source: Source, sentence: Span, mentions: list[Mention], gazetteer: Gazetteer) -> str | None:
    """'local time' is the zone of the first place, mission or actor with a country in the sentence,
    else in the sentences before it, else of the dateline's place."""
    split = bisect_left(mentions, sentence.start, key=_start)  # mentions are sorted by start
    in_sentence = mentions[split:bisect_left(mentions, sentence.end, key=_start)]
    for m in itertools.chain(in_sentence, reversed(mentions[:split])):
        zone = gazetteer.timezone_of(m.entity_id)
        if zone:
            return zone
    return gazetteer.timezone_of_place(source.dateline_place) if source.dateline_place else None


def _start(mention: Mention) -> int:
    return mention.start


def events_for(source: Source, mentions: list[Mention], gazetteer: Gazetteer) -> list[dict]:
    mentions = sorted(mentions, key=_start)
    rows = []
    last_day: ResolvedDate | None = None  # the latest day-precise date so far: a bare clock's day
    sentences = source.sentences
    dated = resolve_in_sentences(source.text, source.published, [(s.start, s.end) for s in sentences])
    all_clocks = find_clock_times(source.text, 0, len(source.text))
    clock_starts = [c.start for c in all_clocks]
    for sentence, resolved in zip(sentences, dated, strict=True):
        clocks = all_clocks[bisect_left(clock_starts, sentence.start):bisect_left(clock_starts, sentence.end)]
        if not resolved and not clocks:
            continue
        within = mentions[bisect_left(mentions, sentence.start, key=_start):
                          bisect_left(mentions, sentence.end, key=_start)]
        actors = "|".join(dict.fromkeys(m.entity_id for m in within if not m.nested))
        owners = _clock_owners(clocks, resolved)
        for r in resolved:
            tense = tense_near(source.text, r.start, sentence.start, r.end)
            rows.append(_row(source, r, status_of(r, source.published, tense), sentence, actors))
            mine = [c for c, owner in zip(clocks, owners, strict=True) if owner is r]
            if mine:
                _attach_clocks(rows[-1], r.first_day, mine, source, sentence, mentions, gazetteer)
        bare = [c for c, owner in zip(clocks, owners, strict=True) if owner is None]
        if bare:  # a clock with no date of its own: on the day last named, or the publication day
            anchor = last_day
            day = anchor.first_day if anchor else source.published
            r = ResolvedDate(bare[0].start, bare[0].end, bare[0].text, day.isoformat(), "day", "clock",
                             anchor=f"{anchor.text} ({anchor.date})" if anchor else "")
            tense = tense_near(source.text, r.start, sentence.start, r.end)
            rows.append(_row(source, r, status_of(r, source.published, tense), sentence, actors))
            _attach_clocks(rows[-1], day, bare, source, sentence, mentions, gazetteer)
        days = [r for r in resolved if r.precision == "day" and not r.date_end]
        last_day = days[-1] if days else last_day
    return rows


# A sentence longer than this describes each of its dates by the words around it: every row
# holding the whole of a 160,000-character sentence of 10,000 dates took gigabytes.
DESCRIPTION_MAX = 1_000


def description(sentence: Span, r: ResolvedDate) -> str:
    """The sentence a date is in, or, for a very long one, ``DESCRIPTION_MAX`` characters around
    the date, cut at spaces and marked with an ellipsis where cut."""
    if sentence.end - sentence.start <= DESCRIPTION_MAX:
        return sentence.text
    text, half = sentence.text, DESCRIPTION_MAX // 2
    lo, hi = max(0, r.start - sentence.start - half), min(len(text), r.end - sentence.start + half)
    if lo:
        space = text.find(" ", lo, r.start - sentence.start)
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.rfind(" ", r.end - sentence.start, hi)
        hi = space if space >= 0 else hi
    return ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")


def _row(source: Source, r: ResolvedDate, status: str, sentence: Span, actors: str) -> dict:
    return {
        "source_id": source.source_id, "date": r.date, "date_end": r.date_end, "precision": r.precision,
        "status": status, "rule": r.rule, "anchor": r.anchor or f"published {source.published.isoformat()}",
        "evidence": r.text, "start": r.start, "end": r.end, "time_utc": "", "time_evidence": "",
        "time_start": -1, "time_end": -1, "time_check": "", "description": description(sentence, r),
        "sentence_start": sentence.start, "sentence_end": sentence.end, "actors": actors,
    }


def _clock_owners(clocks: list[Clock], resolved: list[ResolvedDate]) -> list[ResolvedDate | None]:
    """Each clock belongs to the day it stands next to: one starting within a few words after it
    (``at 11:44 p.m. on Oct. 31``), else one ending just before it (``on 2025-10-31 (15:44 UTC)``).
    Clocks written side by side (``12:11 p.m. Beijing time (0411 GMT)``) share an owner."""
    days = [r for r in resolved if r.precision == "day" and not r.date_end]
    owners: list[ResolvedDate | None] = []
    for i, clock in enumerate(clocks):
        inside = [r for r in days if clock.start <= r.start < clock.end]  # 5:17 p.m. on Thursday local time
        after = inside or [r for r in days if 0 <= r.start - clock.end <= 25]
        before = [r for r in days if 0 <= clock.start - r.end <= 4]
        if i and clock.start - clocks[i - 1].end <= 3:
            owners.append(owners[-1])
        else:
            owners.append(after[0] if after else before[-1] if before else None)
    return owners


def _attach_clocks(row: dict, day: dt.date, clocks: list[Clock], source: Source, sentence: Span,
                   mentions: list[Mention], gazetteer: Gazetteer) -> None:
    instants = []
    for clock in clocks:
        zone = clock.zone or _local_zone(source, sentence, mentions, gazetteer)
        if zone:
            instants.append((clock, clock_in_utc(clock, day, zone)))
    if not instants:
        return
    first, utc = instants[0]
    row["time_utc"] = utc.strftime("%Y-%m-%dT%H:%MZ")
    row["time_evidence"] = first.text
    row["time_start"], row["time_end"] = first.start, first.end
    if len(instants) > 1:
        agree = len({u for _, u in instants}) == 1
        row["time_check"] = ("consistent: " if agree else "inconsistent: ") + " = ".join(
            f"{c.text} → {u:%H:%MZ}" for c, u in instants)


def events_frame(sources: list[Source], mentions: dict[str, list[Mention]],
                 gazetteer: Gazetteer) -> pd.DataFrame:
    rows = [row for s in sources for row in events_for(s, mentions.get(s.source_id, []), gazetteer)]
    return TABLES_BY_NAME["events"].frame(rows)
