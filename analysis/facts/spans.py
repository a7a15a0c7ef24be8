"""Spans of one source (quotations, dates) asked about in log time: large sources have thousands.

Sorted by start, with the running maximum of their ends, so that whether any span covers an
offset, or overlaps a range, is one bisection however the spans nest or overlap.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate


class Spans:
    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.reach = list(accumulate((b for _, b in ordered), max))  # furthest end so far

    def covers(self, offset: int, margin: int = 0) -> bool:
        """True when ``start - margin <= offset < end + margin`` for some span."""
        i = bisect_right(self.starts, offset + margin)
        return i > 0 and self.reach[i - 1] + margin > offset

    def overlaps(self, start: int, end: int) -> bool:
        """True when some span shares a character with ``[start, end)``."""
        before = bisect_left(self.starts, end)  # the spans that begin before the range ends
        return before > 0 and self.reach[before - 1] > start
