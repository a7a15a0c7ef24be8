"""Date expressions in news text, in any house style, resolved against an anchor.

The anchor is the publication date, or for a relative day (``the previous day``) the nearest
day-precise date before it in the same sentence. Each result names the rule that fired.

- days: ``Oct. 30``, ``Oct 30`` (AP and wire abbreviations), ``October 30, 2025``,
  ``9 September``, ``28th February 2025``, ``2025-10-30``; ``Friday`` (the nearest such day that
  agrees with the tense: past → on or before publication, future → on or after);
  ``yesterday`` / ``today`` / ``tonight`` / ``tomorrow``; ``the previous day`` / ``the next day``;
- months: ``February``, ``February 2025``, ``October next year``, ``last September``, ``this month``;
  a bare month is the nearest one that agrees with the tense around it;
- years and decades: ``2021``, ``last year``, ``the 2030s``;
- ranges (``date`` … ``date_end``): ``Oct. 29-30``, ``between May and July``, ``from 2025 to 2029``,
  ``2025-29``;
- vague periods (precision ``period``): ``early``/``mid``/``late`` a month or year (thirds),
  ``the end of the year``, ``earlier``/``later this month``, ``the second half of the year``,
  ``last week``, ``the weekend``, seasons (``the autumn``, ``next spring``, ``winter 2025``: the
  meteorological seasons of the northern hemisphere);
- clock times with a zone (``11:44 p.m. local time``, ``03:22 Beijing time``, ``0411 GMT``,
  ``9 PM PKT``) → UTC, on the day of the date they belong to.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..inputs.calendar_words import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS, ZONES

_MONTH_NAME = "(?<!Long )(?:" + "|".join(MONTHS) + ")"  # a Long March rocket is no month
# "Sept." and "Oct." (AP) or "Oct" before a day number (wire copy); "May" is a name already.
_ABBREVIATED = "|".join(sorted(MONTH_ABBREVIATIONS, key=len, reverse=True))
_MONTH = rf"(?:{_MONTH_NAME}|(?:{_ABBREVIATED})\.)"
_MONTH_BEFORE_DAY = rf"(?:{_MONTH_NAME}|(?:{_ABBREVIATED})\.?)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_DASH = r"\s*[-–]\s*"


def _of_year(year: str, relative: str) -> str:
    """The year a month is of, written after it: "February 2025", "February of 2025", "February (of)
    this year"; part of the month's date, never a date of its own (a month and a year in one
    expression read as two events). ``year`` and ``relative`` name the groups."""
    return rf"(?:,?\s+|\s+of\s+)(?P<{year}>{_YEAR})\b|\s+(?:of\s+)?(?P<{relative}>next|last|this)\s+year\b"


PATTERNS: list[tuple[str, re.Pattern[str]]] = [(name, re.compile(pattern)) for name, pattern in [
    ("iso-day", rf"\b(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01])\b"),
    ("month-day-range", rf"\b(?P<month>{_MONTH_BEFORE_DAY})\s+(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY})\b"
                        rf"(?:,?\s+(?P<y>{_YEAR})\b)?"),
    ("day-month-range", rf"\b(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY})\s+(?P<month>{_MONTH})\b"
                        rf"(?:,?\s+(?P<y>{_YEAR})\b)?"),
    ("month-day", rf"\b(?P<month>{_MONTH_BEFORE_DAY})\s+(?P<d>{_DAY})\b(?![:.]\d)(?:,?\s+(?P<y>{_YEAR})\b)?"),
    ("day-month", rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<month>{_MONTH})\b(?:,?\s+(?P<y>{_YEAR})\b)?"),
    ("month-range", rf"\b(?:between|from)\s+(?P<m1>{_MONTH})\s+(?:and|to|until)\s+(?P<m2>{_MONTH})\b"
                    rf"(?:,?\s+(?P<y>{_YEAR})\b)?"),
    ("year-range", rf"\b(?:(?:between|from)\s+)?(?P<y1>{_YEAR})(?:\s+(?:to|and|until)\s+|{_DASH})"
                   rf"(?P<y2>{_YEAR}|\d\d)\b(?![-–]\d)"),
    ("decade", r"\b(?:the\s+)?(?P<decade>(?:19|20)\d0)[’']?s\b"),
    ("part-of-period", r"\b(?:(?:the\s+)?(?P<part>(?i:early|mid|late|end\s+of|beginning\s+of|start\s+of))"
                       r"(?:\s*-\s*|\s+)(?:the\s+)?)"
                       rf"(?P<target>(?P<tmonth>{_MONTH_NAME})(?:{_of_year('tmy', 'tmrel')})?"
                       rf"|(?P<tyear>{_YEAR})"
                       r"|(?P<trel>(?:this|next|last)\s+(?:year|month))|(?P<tthe>year|month))\b"),
    ("half-of-year", r"\b(?:the\s+)?(?P<half>first|second)\s+half\s+of\s+"
                     rf"(?:the\s+year|(?P<hrel>this|next|last)\s+year|(?P<hyear>{_YEAR}))\b"),
    ("earlier-later", r"\b(?P<side>[Ee]arlier|[Ll]ater)\s+this\s+(?P<unit>year|month|week)\b"),
    ("week", r"\b(?P<wrel>[Ll]ast|[Nn]ext|[Tt]his)\s+week\b"),
    ("weekend", r"\b(?P<kwrel>[Tt]he|[Ll]ast|[Nn]ext|[Tt]his)\s+weekend\b"),
    ("season", r"\b(?P<srel>[Tt]he|[Ll]ast|[Nn]ext|[Tt]his)\s+(?P<season>spring|summer|autumn|fall|winter)\b"
               rf"(?:\s+(?:of\s+)?(?P<syear>{_YEAR})\b)?"
               rf"|\b(?P<season2>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ww]inter)\s+(?:of\s+)?(?P<syear2>{_YEAR})\b"),
    ("relative-month-name", rf"\b(?P<mword>[Ll]ast|[Nn]ext|[Tt]his)\s+(?P<month>{_MONTH_NAME})\b"),
    ("month", rf"\b(?P<month>{_MONTH})(?:{_of_year('y', 'mrel')})?"),
    ("anchored-day", r"\b(?:the|that)\s+(?P<adir>previous|following|next|same)\s+day\b"
                     r"|\bthe\s+day\s+(?P<adir2>before|after)\b|\b(?P<adir3>that)\s+day\b"),
    ("ordinal-day", r"\b(?:on\s+)?the\s+(?P<od>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b"
                    r"(?!\s+(?:century|anniversary|time|floor|crew|mission|flight|of\s+[a-z]))"),
    ("relative-day", r"\b(?P<relday>yesterday|today|tonight|tomorrow"
                     r"|this\s+(?:morning|afternoon|evening))\b"),
    ("relative", r"\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s+(?P<relunit>year|month)\b"),
    ("weekday", rf"\b(?P<weekday>{'|'.join(WEEKDAYS)})\b"),
    ("year", rf"(?<![\d.:,-])\b(?P<year>{_YEAR})\b(?![-\d]|\s*(?:a\.m|p\.m))"),
]]
# Where each pattern can begin: its first word (or a digit), so that a pattern is tried only there.
_WORDS_OF = {
    "iso-day": ("#",), "month-day-range": ("@",), "day-month-range": ("#",), "month-day": ("@",),
    "day-month": ("#",), "month-range": ("between", "from"), "year-range": ("between", "from", "#"),
    "decade": ("the", "#"), "part-of-period": ("the", "early", "mid", "late", "end", "beginning", "start"),
    "half-of-year": ("the",), "earlier-later": ("earlier", "later"),
    "week": ("last", "next", "this"), "weekend": ("the", "last", "next", "this"),
    "season": ("the", "last", "next", "this", "spring", "summer", "autumn", "winter"),
    "relative-month-name": ("last", "next", "this"), "month": ("@",),
    "anchored-day": ("the", "that"), "ordinal-day": ("on", "the"),
    "relative-day": ("yesterday", "today", "tonight", "tomorrow", "this"),
    "relative": ("last", "next", "this"), "weekday": ("%",), "year": ("#",),
}
DISPATCH: dict[str, list[tuple[int, str, re.Pattern[str]]]] = {}
for _order, (_rule, _pattern) in enumerate(PATTERNS):
    for _word in _WORDS_OF[_rule]:
        DISPATCH.setdefault(_word, []).append((_order, _rule, _pattern))
# Trigger words, each with what must follow it for a date to be possible (common words such as
# "the" and "on" would otherwise try five patterns each, hundreds of times per article).
_NEEDS = {"the": r"\s+(?=early|mid|late|end|beginning|start|first|second|previous|following|next|same"
                 r"|day\b|weekend\b|spring\b|summer\b|autumn\b|fall\b|winter\b|\d)",
          "spring": r"\s+(?:of\s+)?\d", "summer": r"\s+(?:of\s+)?\d", "autumn": r"\s+(?:of\s+)?\d",
          "winter": r"\s+(?:of\s+)?\d",
          "on": r"\s+the\s+\d", "that": r"\s+(?=day|same|previous|following)\b",
          "from": r"\s+(?=\d|[A-Z])", "between": r"\s+(?=\d|[A-Z])", "end": r"\s+of\b",
          "beginning": r"\s+of\b", "start": r"\s+of\b"}
_TRIGGER_WORDS = sorted({w for words in _WORDS_OF.values() for w in words} - {"#", "@", "%"}, key=len,
                        reverse=True)
_WORD_ALTERNATIVES = "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}\\b{_NEEDS.get(w, '')}" for w in _TRIGGER_WORDS)
_FIRST_CHARACTERS = "".join(sorted({c for w in _TRIGGER_WORDS for c in (w[0], w[0].upper())}
                                   | {m[0] for m in MONTHS} | {d[0] for d in WEEKDAYS}))
START = re.compile(rf"(?<!\w)(?=[{_FIRST_CHARACTERS}0-9])(?:(?P<word>{_WORD_ALTERNATIVES})"
                   rf"|(?P<month>{_MONTH_NAME}|(?:{_ABBREVIATED})\b)|(?P<weekday>{'|'.join(WEEKDAYS)})\b"
                   r"|(?P<digit>\d))")
FUTURE = re.compile(r"\b((?:will|shall|would|could|to)\s+be\s+[a-z]+ed|will|shall|would|could|scheduled|"
                    r"plans? to|planned|planning|set to|expected|due|"
                    r"as early as|going to|is to|are to|over the next|next|hopes?|aims?)\b", re.I)
PAST = re.compile(r"\b(was|were|had|did|ago|last|since|said|told|met|began|took|gave|came|went|flew|left|"
                  r"made|held|sent|brought|won|saw)\b(?!\s+to\b)", re.I)
WEAK_PAST = re.compile(r"\b[a-z]+ed\b(?!\s+to\b)", re.I)  # "agreed", but also the adjective "manned"
# A past participle right before the date's preposition: the date is when that happened.
PARTICIPLE_BEFORE = re.compile(r"\b(?P<verb>[a-z]{3,}ed)\s+(?:in|on|at|during|since)\s+(?:the\s+)?"
                               r"(?:(?:end|start|beginning|middle)\s+of\s+|early\s+|late\s+|mid-?)?$")
CLAUSE_BREAK = re.compile(r"[,;:—–][\"”’']?\s|[\"”]\s")

# Clock times: 12-hour with or without minutes, 24-hour, or four-digit military, then a zone.
_ZONE_WORDS = "|".join(sorted((re.escape(z) for z in ZONES), key=len, reverse=True))
CLOCK = re.compile(
    r"(?=\d)(?<![\d:])(?:(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?\s*"
    r"(?P<ampm>[ap]\.m\.|[AP]\.M\.|[ap]m\b|[AP]M\b)"
    r"|(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?!\s*(?:[ap]\.?m\b|[AP]\.?M\b))"
    r"|(?P<hm>(?:[01]\d|2[0-3])[0-5]\d)(?=\s+(?:GMT|UTC)\b))"
    r"(?P<gap>[^().;\n]{0,40}?)\s*\(?\b(?P<zone>local time|" + _ZONE_WORDS + r")\b"
)
PARTS = {"early": (0, 1), "beginning of": (0, 1), "start of": (0, 1), "mid": (1, 2), "late": (2, 3),
         "end of": (2, 3)}


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
    date: str  # ISO, partial allowed: YYYY, YYYY-MM, YYYY-MM-DD; the start of a range or period
    precision: str  # day | month | year | period | decade | unresolved
    rule: str
    date_end: str = ""  # the end of a range or period
    anchor: str = ""  # empty: the publication date

    @property
    def first_day(self) -> dt.date:
        return period_bounds(self.date)[0]  # not for precision "unresolved" (no date)

    @property
    def last_day(self) -> dt.date:
        return period_bounds(self.date_end or self.date)[1]


@functools.lru_cache(maxsize=1024)  # the resolver and the event table ask about the same dates
def tense_near(text: str, start: int, clause_start: int, end: int | None = None) -> str:
    """'future' or 'past' from the verb nearest to a date expression: in its clause before it
    (the cue closest to the date wins: ``the plan agreed on``), else just after it
    (``on Oct. 29 went as planned``); past when nothing says."""
    window = text[max(clause_start, start - 80):start]
    breaks = list(CLAUSE_BREAK.finditer(window))
    window = window[breaks[-1].end():] if breaks else window
    cue = _last_cue(window)
    if cue:
        return cue
    after = text[end if end is not None else start:(end if end is not None else start) + 60]
    stop = CLAUSE_BREAK.search(after)
    clause_after = after[: stop.start()] if stop else after
    # then the next clause (``On Thursday, another mission will launch``), then past
    return _first_cue(clause_after) or _first_cue(after) or "past"


def _last_cue(words: str) -> str | None:
    """The cue closest to the end; a word ending in -ed counts only when nothing else speaks, or
    when it governs the date itself (``will fly under an agreement signed in February``)."""
    participle = PARTICIPLE_BEFORE.search(words)
    if participle and not FUTURE.fullmatch(participle["verb"]) and not re.search(
            r"\bbe\s+$", words[:participle.start()]):  # "would be released in January" looks ahead
        return "past"
    future = [m.end() for m in FUTURE.finditer(words)]
    past = [m.end() for m in PAST.finditer(words)]
    if future or past:
        return "future" if max(future, default=-1) >= max(past, default=-1) else "past"  # would be released
    return "past" if WEAK_PAST.search(words) else None


def _first_cue(words: str) -> str | None:
    future = next(FUTURE.finditer(words), None)
    past = next(PAST.finditer(words), None)
    if future or past:
        return "future" if past is None or (future is not None and future.start() < past.start()) else "past"
    return "past" if WEAK_PAST.search(words) else None


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month_number(word: str) -> int:
    word = word.rstrip(".")
    return MONTHS.get(word) or MONTH_ABBREVIATIONS[word]


def _nearest_month(month: int, published: dt.date, tense: str, day: int | None = None) -> int:
    """The year of the nearest such month (and day) that agrees with the tense."""
    if tense == "future":
        same_month_later = month == published.month and day is not None and day >= published.day
        later = month > published.month or same_month_later
        return published.year if later else published.year + 1
    earlier = month < published.month or (month == published.month and (day or 0) <= published.day)
    return published.year if earlier else published.year - 1


def resolve_dates(text: str, published: dt.date, start: int = 0, end: int | None = None,
                  *, clause_start: int | None = None) -> list[ResolvedDate]:
    """Every date expression in ``text[start:end]``, resolved; the longest match wins where
    expressions overlap (``Oct. 29-30`` is one range, not a day and a number)."""
    end = len(text) if end is None else end
    clause_start = start if clause_start is None else clause_start
    return _select(_matches(text, start, end), text, published, start, clause_start)


def resolve_in_sentences(text: str, published: dt.date,
                         sentences: list[tuple[int, int]]) -> list[list[ResolvedDate]]:
    """:func:`resolve_dates` for each sentence of a source, with each pattern run once over the
    whole text (a source has dozens of sentences; the patterns are the cost)."""
    if not sentences:
        return []
    per_sentence: list[list[tuple]] = [[] for _ in sentences]
    starts = [s for s, _ in sentences]
    for match in _matches(text, sentences[0][0], sentences[-1][1]):
        i = bisect.bisect_right(starts, match[0]) - 1
        if i >= 0 and match[4].end() <= sentences[i][1]:  # an expression never crosses a sentence
            per_sentence[i].append(match)
    return [_select(found, text, published, a, a) if found else []
            for found, (a, _) in zip(per_sentence, sentences, strict=True)]


def _matches(text: str, start: int, end: int) -> list[tuple]:
    """Every pattern tried where its first word stands (``START``), never along the whole text."""
    matches = []
    for trigger in START.finditer(text, start, end):
        word = trigger["word"]
        key = (word.split()[0].lower() if word else
               "@" if trigger["month"] else "%" if trigger["weekday"] else "#")
        for order, rule, pattern in DISPATCH.get(key, ()):
            m = pattern.match(text, trigger.start(), end)
            if m and m.end() > m.start():
                matches.append((m.start(), -(m.end() - m.start()), order, rule, m))
    return matches


def _select(matches: list[tuple], text: str, published: dt.date, start: int,
            clause_start: int) -> list[ResolvedDate]:
    found: list[ResolvedDate] = []
    reached = start
    for s, _, _, rule, m in sorted(matches, key=lambda x: x[:3]):
        if s < reached:
            continue
        resolved = _resolve(rule, m, text, published, clause_start, found)
        if resolved:
            found.append(resolved)
            reached = m.end()
    return found


def _resolve(rule: str, m: re.Match[str], text: str, published: dt.date, clause_start: int,
             before: list[ResolvedDate]) -> ResolvedDate | None:
    s, e = m.start(), m.end()

    def tense() -> str:
        return tense_near(text, s, clause_start, e)

    def result(date: str, precision: str, name: str = rule, date_end: str = "",
               anchor: str = "") -> ResolvedDate:
        return ResolvedDate(s, e, text[s:e], date, precision, name, date_end, anchor)

    if rule == "iso-day":
        return _day(result, int(m["y"]), int(m["m"]), int(m["d"]))
    if rule in ("month-day", "day-month"):
        month = month_number(m["month"])
        day = int(re.sub(r"\D", "", m["d"]))
        if m["month"] == "May" and rule == "day-month" and not m["y"]:
            pass  # "9 May" is the month; "May 9" too
        year = int(m["y"]) if m["y"] else _nearest_month(month, published, tense(), day)
        return _day(result, year, month, day, f"{rule}{'-year' if m['y'] else '-nearest-' + tense()}")
    if rule in ("month-day-range", "day-month-range"):
        month = month_number(m["month"])
        d1, d2 = (int(re.sub(r"\D", "", m[g])) for g in ("d1", "d2"))
        if d2 <= d1:
            return None
        year = int(m["y"]) if m["y"] else _nearest_month(month, published, tense(), d1)
        first = _day(result, year, month, d1)
        last = _day(result, year, month, d2)
        if not first or not last:
            return None
        return result(first.date, "day", date_end=last.date)
    if rule == "month-range":
        m1, m2 = month_number(m["m1"]), month_number(m["m2"])
        y1 = int(m["y"]) if m["y"] else _nearest_month(m1, published, tense())
        y2 = y1 if m2 >= m1 else y1 + 1
        return result(f"{y1:04d}-{m1:02d}", "month", date_end=f"{y2:04d}-{m2:02d}")
    if rule == "year-range":
        y1, tail = int(m["y1"]), m["y2"]
        y2 = int(tail) if len(tail) == 4 else y1 // 100 * 100 + int(tail)
        if not y1 < y2 <= y1 + 50:
            return None
        return result(f"{y1:04d}", "year", date_end=f"{y2:04d}")
    if rule == "decade":
        decade = int(m["decade"])
        return result(f"{decade:04d}", "decade", date_end=f"{decade + 9:04d}")
    if rule == "part-of-period":
        return _part_of_period(result, m, published, tense())
    if rule == "half-of-year":
        shift = {"next": 1, "last": -1}.get(m["hrel"] or "", 0)
        year = int(m["hyear"]) if m["hyear"] else published.year + shift
        first, last = (1, 6) if m["half"] == "first" else (7, 12)
        return result(f"{year:04d}-{first:02d}-01", "period",
                      date_end=period_bounds(f"{year:04d}-{last:02d}")[1].isoformat())
    if rule == "earlier-later":
        unit = m["unit"]
        if unit == "week":
            first = published - dt.timedelta(days=published.weekday())
            period = (first, first + dt.timedelta(days=6))
        else:
            period = period_bounds(f"{published.year:04d}" if unit == "year" else f"{published:%Y-%m}")
        if m["side"].lower() == "earlier":
            first, last = period[0], published - dt.timedelta(days=1)
        else:
            first, last = published + dt.timedelta(days=1), period[1]
        if last < first:
            return None
        return result(first.isoformat(), "period", date_end=last.isoformat())
    if rule == "week":
        delta = {"last": -7, "next": 7, "this": 0}[m["wrel"].lower()]
        monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(days=delta)
        return result(monday.isoformat(), "period", date_end=(monday + dt.timedelta(days=6)).isoformat())
    if rule == "weekend":
        word = m["kwrel"].lower()
        saturday = published + dt.timedelta(days=5 - published.weekday())  # of this week
        if word == "last" or (word == "the" and tense() == "past"):
            saturday -= dt.timedelta(days=7 if published.weekday() < 5 else 0)
        elif word == "next":  # "this weekend" is the week's own, also said on its Sunday
            saturday += dt.timedelta(days=7)
        return result(saturday.isoformat(), "period", date_end=(saturday + dt.timedelta(days=1)).isoformat())
    if rule == "season":
        return _season(result, m, published, tense)
    if rule == "relative-month-name":
        month = MONTHS[m["month"]]
        word = m["mword"].lower()
        if word == "this":
            year = published.year
        elif word == "last":
            year = published.year if month < published.month else published.year - 1
        else:
            year = published.year if month > published.month else published.year + 1
        return result(f"{year:04d}-{month:02d}", "month", f"month-{word}")
    if rule == "month":
        if m["month"] == "May" and not (m["y"] or m["mrel"] or text[max(0, s - 3):s] in ("in ", "In ")):
            return None  # the modal verb, not the month
        month = month_number(m["month"])
        if m["y"]:
            year, name = int(m["y"]), "month-year"
        elif m["mrel"]:
            year = published.year + {"next": 1, "last": -1, "this": 0}[m["mrel"]]
            name = f"month-{m['mrel']}-year"
        else:
            year, name = _nearest_month(month, published, tense()), f"month-nearest-{tense()}"
        return result(f"{year:04d}-{month:02d}", "month", name)
    if rule == "anchored-day":
        direction = m["adir"] or m["adir2"] or m["adir3"]
        delta = {"previous": -1, "before": -1, "same": 0, "that": 0}.get(direction, 1)
        days = [r for r in before if r.precision == "day" and not r.date_end]
        if days:
            anchor = days[-1]
            day = anchor.first_day + dt.timedelta(days=delta)
            return result(day.isoformat(), "day", anchor=f"{anchor.text} ({anchor.date})")
        if delta == 0:  # "that day" with no day before it in the sentence: kept, not guessed
            return result("", "unresolved")
        day = published + dt.timedelta(days=delta)
        return result(day.isoformat(), "day")
    if rule == "ordinal-day":
        months = [r for r in before if r.precision in ("day", "month") and not r.date_end]
        if not months:
            return result("", "unresolved")  # "on the 15th": a day of some month the text implies
        year, month = months[-1].date.split("-")[:2]
        return _day(result, int(year), int(month), int(m["od"]), "ordinal-day-of-month-before") or \
            result("", "unresolved")
    if rule == "relative-day":
        word = m["relday"].split()[0]
        delta = {"yesterday": -1, "today": 0, "tonight": 0, "this": 0, "tomorrow": 1}[word]
        day = published + dt.timedelta(days=delta)
        return result(day.isoformat(), "day", f"relative-{word}")
    if rule == "relative":
        word = m["rel"].lower()
        delta = {"last": -1, "next": 1, "this": 0}[word]
        if m["relunit"] == "year":
            return result(f"{published.year + delta:04d}", "year", f"relative-{word}-year")
        year, month = _shift_month(published.year, published.month, delta)
        return result(f"{year:04d}-{month:02d}", "month", f"relative-{word}-month")
    if rule == "weekday":
        offset = (WEEKDAYS[m["weekday"]] - published.weekday()) % 7
        if tense() == "future":
            day, name = published + dt.timedelta(days=offset), "weekday-next"
        else:
            day, name = published - dt.timedelta(days=(7 - offset) % 7), "weekday-last"
        return result(day.isoformat(), "day", name)
    if rule == "year":
        return result(m["year"], "year")
    return None


# Seasons as the meteorological ones of the northern hemisphere, where the story's actors are.
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _season(result, m: re.Match[str], published: dt.date, tense) -> ResolvedDate | None:
    """``the autumn`` (the nearest that agrees with the tense), ``last``/``next``/``this`` one, or
    one of a year: three months, a winter running into the next year."""
    season = (m["season"] or m["season2"]).lower()
    first_month = SEASONS[season]
    year_given = m["syear"] or m["syear2"]
    if season == "fall" and not year_given and (m["srel"] or "").lower() == "the":
        return None  # "the fall of …": the noun, far more often than the season
    if year_given:
        year = int(year_given)
    else:
        word = (m["srel"] or "the").lower()
        current = published.year if published.month >= first_month or first_month == 12 \
            else published.year - 1
        if first_month == 12 and published.month < 3:
            current = published.year - 1  # January–February belong to the winter begun in December
        start = dt.date(current, first_month, 1)
        in_it = start <= published < _season_end(start)
        if word == "this" or (word == "the" and in_it):
            year = current
        elif word == "last" or (word == "the" and tense() == "past"):
            year = current if not in_it and start < published else current - 1
        else:  # next, or "the" looking ahead
            year = current + 1 if start <= published else current
    start = dt.date(year, first_month, 1)
    last = _season_end(start) - dt.timedelta(days=1)
    return result(start.isoformat(), "period", date_end=last.isoformat())


def _season_end(start: dt.date) -> dt.date:
    year, month = _shift_month(start.year, start.month, 3)
    return dt.date(year, month, 1)


def _day(result, year: int, month: int, day: int, name: str | None = None) -> ResolvedDate | None:
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return result(f"{year:04d}-{month:02d}-{day:02d}", "day", *([name] if name else []))


def _part_of_period(result, m: re.Match[str], published: dt.date, tense: str) -> ResolvedDate | None:
    """``early``/``mid``/``late`` (or the ``end of``) a month or year: its first, middle or last third."""
    part = re.sub(r"\s+", " ", m["part"].lower())
    third = PARTS[part]
    if m["tmonth"]:
        month = MONTHS[m["tmonth"]]
        if m["tmy"]:
            year = int(m["tmy"])
        elif m["tmrel"]:
            year = published.year + {"next": 1, "last": -1, "this": 0}[m["tmrel"]]
        else:
            year = _nearest_month(month, published, tense)
        period = f"{year:04d}-{month:02d}"
    elif m["tyear"]:
        period = m["tyear"]
    else:
        words = (m["trel"] or f"this {m['tthe']}").split()
        delta = {"this": 0, "next": 1, "last": -1}[words[0]]
        if words[1] == "year":
            period = f"{published.year + delta:04d}"
        else:
            year, month = _shift_month(published.year, published.month, delta)
            period = f"{year:04d}-{month:02d}"
    first, last = period_bounds(period)
    if len(period) == 4:  # a year: January–April, May–August, September–December
        months = [(1, 4), (5, 8), (9, 12)][third[0]]
        first = dt.date(first.year, months[0], 1)
        last = period_bounds(f"{first.year:04d}-{months[1]:02d}")[1]
    else:  # a month: days 1–10, 11–20, 21–end
        starts = [1, 11, 21]
        first = first.replace(day=starts[third[0]])
        last = last if third[0] == 2 else first.replace(day=starts[third[0]] + 9)
    return result(first.isoformat(), "period", date_end=last.isoformat())


@dataclass(frozen=True)
class Clock:
    """A clock time with its zone, as written: ``11:44 p.m. local time``, ``0411 GMT``."""

    start: int
    end: int
    text: str
    hour: int  # 0–23
    minute: int
    zone: str | None  # IANA name; None for 'local time'


def find_clock_times(text: str, start: int, end: int) -> list[Clock]:
    """Clock times in a stretch, each with its zone (None for 'local time')."""
    return [c for c in _clocks(text) if start <= c.start and c.end <= end]


# A clock with no zone of its own, just before a bracketed one that has a zone: "5:17 p.m. (0917
# GMT)" writes the local time and its equivalent, so the first is local time.
BARE_CLOCK = re.compile(r"(?<![\d:])(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?\s*"
                        r"(?P<ampm>[ap]\.m\.|[AP]\.M\.|[ap]m\b|[AP]M\b)(?=\s*\(\s*\d)")


@functools.lru_cache(maxsize=16)  # events and quantities both ask, for every source
def _clocks(text: str) -> tuple[Clock, ...]:
    found = []
    zoned = list(CLOCK.finditer(text))
    zoned_starts = {m.start() for m in zoned}
    for m in BARE_CLOCK.finditer(text):
        inner = re.compile(r"\s*\(\s*").match(text, m.end())
        following = inner.end() if inner else -1
        if following in zoned_starts and not any(z.start() <= m.start() < z.end() for z in zoned):
            hour = int(m["h"]) % 12 + (12 if m["ampm"].lower().startswith("p") else 0)
            found.append(Clock(m.start(), m.end(), m.group(), hour, int(m["m"] or 0), None))
    for m in zoned:
        if m["ampm"]:
            hour = int(m["h"]) % 12 + (12 if m["ampm"].lower().startswith("p") else 0)
            minute = int(m["m"] or 0)
        elif m["h24"]:
            hour, minute = int(m["h24"]), int(m["m24"])
        else:
            hour, minute = int(m["hm"][:2]), int(m["hm"][2:])
        zone = m["zone"]
        found.append(Clock(m.start(), m.end(), m.group(), hour, minute,
                           None if zone == "local time" else ZONES[zone]))
    return tuple(sorted(found, key=lambda c: c.start))


def clock_in_utc(clock: Clock, day: dt.date, zone: str) -> dt.datetime:
    """A clock time on a known day, in UTC.

    A zone other than the local one may fall on the previous or next calendar day
    (5:17 p.m. in Beijing is 5:17 a.m. in New York on the same day; 1 a.m. would not be):
    the day is taken as the local day and the UTC instant follows from it.
    """
    local = dt.datetime(day.year, day.month, day.day, clock.hour, clock.minute, tzinfo=ZoneInfo(zone))
    return local.astimezone(dt.UTC)
