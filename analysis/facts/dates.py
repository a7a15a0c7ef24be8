"""Date expressions in news text, resolved against the source's publication date.

Rules (each result says which one fired, in ``rule``):

- weekday names → that day of the Monday–Sunday week of publication;
- ``yesterday`` / ``today`` / ``tomorrow``;
- ``last year`` / ``this year`` / ``next year`` and ``last month`` / ``this month`` / ``next month``;
- a month name, with ``next year`` / ``last year`` / a year / a day number if given; alone, the
  nearest such month that agrees with the tense around it (past → on or before the publication
  month, future → after it);
- a four-digit year (1900–2099);
- clock times with a zone (``5:17 p.m. … local time``, ``5:17 a.m. ET``) → UTC, attached to the
  day expression of the same sentence.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..inputs.calendar_words import MONTHS, WEEKDAYS, ZONES

_MONTH = "|".join(MONTHS)
_WEEKDAY = "|".join(WEEKDAYS)
DATE_EXPRESSION = re.compile(
    rf"(?P<month_expr>(?:(?<=in )|(?<=In )|(?<=by )|(?<=until )|(?<=since )|(?<=from )|(?<=of ))?"
    rf"\b(?P<month>{_MONTH})(?:\s+(?P<mday>[1-9]|[12]\d|3[01])\b(?!:))?"
    rf"(?:,?\s+(?P<myear>(?:19|20)\d{{2}})\b|\s+(?P<mrel>next|last|this)\s+year\b)?)"
    rf"|(?P<weekday>\b(?:{_WEEKDAY})\b)"
    rf"|(?P<relday>\b(?:yesterday|today|tomorrow)\b)"
    rf"|(?P<rel>\b(?:[Ll]ast|[Nn]ext|[Tt]his)\s+(?P<relunit>year|month)\b)"
    rf"|(?P<year>(?<![\d.:,-])\b(?:19|20)\d{{2}}\b(?![-\d]|\s*(?:a\.m|p\.m)))"
)
# Where a date expression can begin; the full pattern is tried only there (much faster).
DATE_TRIGGER = re.compile(rf"\b(?:{_MONTH}|{_WEEKDAY}|yesterday|today|tomorrow|[Ll]ast|[Nn]ext|[Tt]his|"
                          r"(?:19|20)\d\d)")
CLOCK = re.compile(
    r"(?P<h>1[0-2]|0?[1-9]):(?P<m>[0-5]\d)\s*(?P<ampm>a\.m\.|p\.m\.|am\b|pm\b)"
    r"(?P<gap>[^().;]{0,40}?)\s*\(?\b(?P<zone>local time|" + "|".join(ZONES) + r")\b"
)
FUTURE = re.compile(r"\b(will|shall|scheduled|plans?|planned|planning|set to|expected to|due to|"
                    r"as early as|going to|is to|are to|over the next|next)\b", re.I)
PAST = re.compile(r"\b(was|were|had|did|ago|last|[a-z]+ed)\b(?!\s+to\b)", re.I)


def period_bounds(date: str) -> tuple[dt.date, dt.date]:
    """First and last day of an ISO date that may be partial (YYYY, YYYY-MM or YYYY-MM-DD);
    raises ValueError for a date that does not exist."""
    parts = [int(p) for p in date.split("-")]
    if not 1 <= len(parts) <= 3:
        raise ValueError(f"not an ISO date: {date!r}")
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        return (dt.date(parts[0], parts[1], 1),
                dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1]))
    day = dt.date(*parts)
    return day, day


@dataclass(frozen=True)
class ResolvedDate:
    start: int
    end: int
    text: str
    date: str  # ISO, partial allowed: YYYY, YYYY-MM, YYYY-MM-DD
    precision: str  # day | month | year | period | decade | unresolved
    rule: str
    date_end: str = ""  # the end of a range or period
    anchor: str = ""  # empty: the publication date

    @property
    def first_day(self) -> dt.date:
        return period_bounds(self.date)[0]


@dataclass(frozen=True)
class ClockTime:
    start: int
    end: int
    text: str
    local: str  # HH:MM as written, 24-hour
    zone: str  # IANA name
    utc: dt.datetime | None  # set once a day is known


def tense_near(text: str, start: int, clause_start: int) -> str:
    """'future' or 'past' from the words of the clause leading to a date expression."""
    window = text[max(clause_start, start - 80):start]
    window = re.split(r"[,;:—–]\s", window)[-1] if re.search(r"[,;:—–]\s", window) else window
    if FUTURE.search(window):
        return "future"
    if PAST.search(window):
        return "past"
    sentence_tail = text[clause_start:start + 60]
    return "future" if FUTURE.search(sentence_tail) else "past"


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def resolve_dates(text: str, published: dt.date, start: int = 0, end: int | None = None,
                  *, clause_start: int | None = None) -> list[ResolvedDate]:
    """Every date expression in ``text[start:end]``, resolved against ``published``."""
    end = len(text) if end is None else end
    clause_start = start if clause_start is None else clause_start
    found = []
    reached = start
    for trigger in DATE_TRIGGER.finditer(text, start, end):
        if trigger.start() < reached:
            continue
        m = DATE_EXPRESSION.match(text, trigger.start(), end)
        if not m or m.end() == m.start():
            continue
        reached = m.end()
        resolved = _resolve(m, text, published, clause_start)
        if resolved:
            found.append(resolved)
    return found


def _resolve(m: re.Match[str], text: str, published: dt.date, clause_start: int) -> ResolvedDate | None:
    s, e = m.start(), m.end()
    if m["month"]:
        month = MONTHS[m["month"]]
        if m["month"] == "May" and not (m["mday"] or m["myear"] or m["mrel"]
                                        or text[max(0, s - 3):s] in ("in ", "In ")):
            return None  # the modal verb, not the month
        if m["myear"]:
            year, rule = int(m["myear"]), "month-year"
        elif m["mrel"]:
            year = published.year + {"next": 1, "last": -1, "this": 0}[m["mrel"]]
            rule = f"month-{m['mrel']}-year"
        else:
            tense = tense_near(text, s, clause_start)
            if tense == "future":
                year = published.year if month > published.month or (
                    month == published.month and m["mday"] and int(m["mday"]) >= published.day
                ) else published.year + 1
            else:
                year = published.year if month <= published.month else published.year - 1
            rule = f"month-nearest-{tense}"
        if m["mday"]:
            day = int(m["mday"])
            if day > calendar.monthrange(year, month)[1]:
                return None
            return ResolvedDate(s, e, text[s:e], f"{year:04d}-{month:02d}-{day:02d}", "day",
                                rule.replace("month", "month-day", 1))
        return ResolvedDate(s, e, text[s:e], f"{year:04d}-{month:02d}", "month", rule)
    if m["weekday"]:
        monday = published - dt.timedelta(days=published.weekday())
        day = monday + dt.timedelta(days=WEEKDAYS[m["weekday"]])
        return ResolvedDate(s, e, text[s:e], day.isoformat(), "day", "weekday-of-publication-week")
    if m["relday"]:
        delta = {"yesterday": -1, "today": 0, "tomorrow": 1}[m["relday"]]
        day = published + dt.timedelta(days=delta)
        return ResolvedDate(s, e, text[s:e], day.isoformat(), "day", f"relative-{m['relday']}")
    if m["rel"]:
        word = m["rel"].split()[0].lower()
        delta = {"last": -1, "next": 1, "this": 0}[word]
        if m["relunit"] == "year":
            return ResolvedDate(s, e, text[s:e], f"{published.year + delta:04d}", "year",
                                f"relative-{word}-year")
        year, month = _shift_month(published.year, published.month, delta)
        return ResolvedDate(s, e, text[s:e], f"{year:04d}-{month:02d}", "month", f"relative-{word}-month")
    if m["year"]:
        return ResolvedDate(s, e, text[s:e], m["year"], "year", "year")
    return None


def find_clock_times(text: str, start: int, end: int) -> list[tuple[re.Match[str], str | None]]:
    """Clock times in a stretch, each with its zone (IANA name, or None for 'local time')."""
    found = []
    for m in CLOCK.finditer(text, start, end):
        zone = m["zone"]
        found.append((m, None if zone == "local time" else ZONES[zone]))
    return found


def to_utc(day: dt.date, hour: int, minute: int, ampm: str, zone: str) -> dt.datetime:
    hour = hour % 12 + (12 if ampm.lower().startswith("p") else 0)
    local = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone))
    return local.astimezone(dt.UTC)


def clock_in_utc(m: re.Match[str], day: dt.date, zone: str) -> dt.datetime:
    """A clock time found by ``find_clock_times`` on a known day, in UTC.

    A zone other than the local one may fall on the previous or next calendar day
    (5:17 p.m. in Beijing is 5:17 a.m. in New York on the same day; 1 a.m. would not be):
    the day is taken as the local day and the UTC instant follows from it.
    """
    return to_utc(day, int(m["h"]), int(m["m"]), m["ampm"], zone)
