"""Quantities: counts, ranges, ages, durations and ordinals written in words or digits.

``value`` is the number as stated; ``low``/``high`` bound it: a range fills both, "nearly 200"
gives high = 200, "more than 60" gives low = 60, an exact count gives all three. Durations
with two units ("six months to a year") are put in the first unit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd

from ..datapackage import TABLES_BY_NAME
from ..inputs.calendar_words import MONTHS
from ..inputs.sources import Source
from .dates import find_clock_times
from .spans import Spans

UNITS = """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen""".split()
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
WORD_VALUES = {w: i for i, w in enumerate(UNITS)} | TENS | {"dozen": 12}
_FIRST_ORDINALS = ("zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
                   "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth").split()
_TENS_ORDINALS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
                  "seventieth": 70, "eightieth": 80, "ninetieth": 90}
# "the fifteenth flight overall", "the thirty-fifth flight mission": a programme's count in words
ORDINALS = {w: i for i, w in enumerate(_FIRST_ORDINALS)} | _TENS_ORDINALS | {
    f"{tens}-{unit}": TENS[tens] + i for tens in TENS for i, unit in enumerate(_FIRST_ORDINALS[1:10], 1)}
APPROX = {"nearly": "high", "almost": "high", "up to": "high", "fewer than": "high", "less than": "high",
          "under": "high", "as many as": "high", "more than": "low", "over": "low", "at least": "low",
          "about": "around", "around": "around", "roughly": "around", "some": "around",
          "approximately": "around"}
# Durations are put in days to compare their two ends; reported in the coarser unit named.
DURATION_DAYS = {"day": 1, "week": 7, "month": 30.4375, "year": 365.25}

_WORD = "|".join(sorted([*WORD_VALUES, *TENS, "a dozen"], key=len, reverse=True))
NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|(?:{_WORD})(?:[- ](?:{'|'.join(UNITS[1:10])}))?)"
_APPROX = "|".join(sorted(APPROX, key=len, reverse=True))
_ORD = "|".join(sorted(ORDINALS, key=len, reverse=True))
QUANTITY = re.compile(
    rf"(?<![\w:-])(?:(?P<approx>{_APPROX})\s+)?"
    rf"(?:(?P<age>{NUM})-year-old"
    rf"|(?P<dlow>{NUM})\s+(?P<dunit>months?|years?|weeks?|days?)\s+to\s+(?:a|an|one|(?P<dhigh>{NUM}))\s+"
    rf"(?P<dunit2>months?|years?|weeks?|days?)\b"
    rf"|(?P<low>{NUM})\s+(?:to|-|–)\s+(?P<high>{NUM})(?![\w:])"
    rf"|(?P<ordinal>(?:{_ORD})|\d+(?:st|nd|rd|th))\b"
    rf"|(?P<value>{NUM})(?![\w:,.-]\d|\w|:))",
    re.I,
)
# Every quantity starts with a qualifier, a digit, a number word or an ordinal: matching only at
# those places is much faster than scanning every character with the full pattern.
TRIGGER = re.compile(rf"(?<![\w:-])(?:{_APPROX}|\d|{_WORD}|{_ORD})", re.I)
STOP = set("""a an the of for to from in on at by with across including and or but that which who whom
    whose will would is are was were be been being has have had as than into onto per over
    under between among during after before since while this these those its their his her our
    your my headed eventually then also aboard about around within""".split())
YEAR_LIKE = re.compile(r"^(1[89]|20)\d{2}$")
MONTH_BEFORE = re.compile(rf"({'|'.join(MONTHS)})\s+$")


def number(text: str) -> float:
    """A number written in digits or English words ('10', '1,200', 'five', 'twenty-one')."""
    t = re.sub(r"^an?\s+", "", text.lower().replace(",", "").strip())  # "a dozen"
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    total = 0
    for part in re.split(r"[- ]", t):
        if part in SCALES:
            total = max(total, 1) * SCALES[part]
        elif part in WORD_VALUES:
            total += WORD_VALUES[part]
        else:
            raise ValueError(f"not a number: {text!r}")
    return float(total)


def _unit(text: str, pos: int, end: int) -> tuple[str, int]:
    """The head noun of the words after a number ('intergovernmental … agreements' → agreements).

    Up to four lower-case words are read; a stop word ends the phrase before it, a plural ends
    it after it.
    """
    unit, unit_end = "", pos
    for word in _words_after(text, pos, end):
        if word.group(1) in STOP:
            break
        unit, unit_end = word.group(1), word.end(1)
        if len(unit) > 3 and unit.endswith("s") and not unit.endswith("ss"):
            break
    return unit, unit_end


def _words_after(text: str, pos: int, end: int) -> Iterator[re.Match[str]]:
    pattern = re.compile(r"[ \t]+([a-z][a-z-]*)(?=[\s,.;:’'”)]|$)")
    for _ in range(4):
        m = pattern.match(text, pos, end)
        if not m:
            return
        yield m
        pos = m.end()


def quantities_for(source: Source) -> list[dict]:
    text = source.text
    rows = []
    for para in source.paragraphs:
        reached = para.start
        for trigger in TRIGGER.finditer(text, para.start, para.end):
            if trigger.start() < reached:
                continue
            m = QUANTITY.match(text, trigger.start(), para.end)
            if not m:
                continue
            reached = m.end()
            row = _read(m, text, para.end)
            if row:
                rows.append({"source_id": source.source_id, **row})
    return rows


def _read(m: re.Match[str], text: str, limit: int) -> dict | None:
    approx = (m["approx"] or "").lower()
    start, end = m.start(), m.end()
    if m["age"]:
        value = number(m["age"])
        unit, kind, low, high = "years", "age", value, value
        end = m.end("age") + len("-year-old")
    elif m["dlow"]:
        first, second = m["dunit"].lower().rstrip("s"), m["dunit2"].lower().rstrip("s")
        unit = first  # both ends in the first unit named: "six months to a year" → 6–12 months
        low = number(m["dlow"])
        high = round((number(m["dhigh"]) if m["dhigh"] else 1.0) * DURATION_DAYS[second]
                     / DURATION_DAYS[first], 2)
        if high < low:
            low, high = high, low
        unit += "s"
        value, kind = None, "duration range"
    elif m["low"]:
        low, high = number(m["low"]), number(m["high"])
        unit, end = _unit(text, m.end(), limit)
        end = max(end, m.end())
        value, kind = None, "range"
    elif m["ordinal"]:
        word = m["ordinal"].lower()
        value = float(ORDINALS[word]) if word in ORDINALS else float(re.sub(r"\D", "", word))
        unit, end = _unit(text, m.end(), limit)
        if not unit:
            return None
        low = high = value
        kind = "ordinal"
    else:
        raw = m["value"]
        if YEAR_LIKE.match(raw) or MONTH_BEFORE.search(text[max(0, start - 12):start]):
            return None
        value = number(raw)
        unit, end = _unit(text, m.end(), limit)
        if raw.lower() == "one" and not unit:
            return None  # 'one of …', 'with one eventually …': a pronoun, not a count
        low = high = value
        kind = "count"
    if approx and value is not None:
        side = APPROX[approx]
        low = value if side == "low" else None
        high = value if side == "high" else None
    return {"value": value, "low": low, "high": high, "unit": unit, "kind": kind,
            "qualifier": approx, "text": text[start:end], "start": start, "end": end}


def quantities_frame(sources: list[Source], events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every quantity, except numbers that are part of a date in ``events`` or of a clock time
    (the 30 of ``Oct. 30``, the 2029 of ``2025-29``, ``0411 GMT``): those are dates, not counts."""
    taken: dict[str, list[tuple[int, int]]] = {}
    if events is not None:
        columns = (events[c].tolist() for c in ("source_id", "start", "end"))
        for source_id, start, end in zip(*columns, strict=True):
            taken.setdefault(source_id, []).append((start, end))
    rows = []
    for source in sources:
        spans = taken.get(source.source_id, [])
        spans += [(c.start, c.end) for c in find_clock_times(source.text, 0, len(source.text))]
        taken_spans = Spans(spans)
        rows += [row for row in quantities_for(source) if not taken_spans.overlaps(row["start"], row["end"])]
    return TABLES_BY_NAME["quantities"].frame(rows)
