"""Where quotations stand: double or single marks, and quotations running on across paragraphs.

The newspaper convention lets a quotation run into the next paragraph without a closing mark.

A single mark is read as a quotation mark only where it can open or close one: opening after a
space, a bracket or the start of a paragraph and before a word; closing after a word and before
a space or punctuation. An apostrophe inside a word (``Pakistan's``, ``China’s``) is neither.
Single quotes inside a double-quoted passage are a nested quotation and stay part of it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..inputs.sources import Source

DOUBLE = {"“": "”", '"': '"'}
SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[—–]))[‘'](?=[^\s'‘’])")
SINGLE_CLOSE = re.compile(r"(?<=[^\s'‘’])[’'](?=[\s,.;:!?)\]—–]|$)")


@dataclass(frozen=True)
class QuoteFragment:
    start: int  # of the words inside the marks
    end: int
    closed: bool
    runs_on: bool = False  # opened a paragraph that continues an unclosed quotation before it


@functools.lru_cache(maxsize=64)  # quotes, candidates and the paragraph profile all ask
def find_fragments(source: Source) -> list[QuoteFragment]:
    """Quoted stretches per paragraph; an unclosed quote runs to the paragraph's end."""
    fragments: list[QuoteFragment] = []
    text = source.text
    for para in source.paragraphs:
        found = _double_quoted(text, para.start, para.end)
        found += _single_quoted(text, para.start, para.end, found)
        found.sort(key=lambda f: f.start)
        if found and fragments and not fragments[-1].closed and found[0].start == para.start + 1:
            found[0] = QuoteFragment(found[0].start, found[0].end, found[0].closed, runs_on=True)
        fragments += found
    return fragments


def _double_quoted(text: str, start: int, end: int) -> list[QuoteFragment]:
    found = []
    pos = start
    while pos < end:
        opening = min((i for i in (text.find(o, pos, end) for o in DOUBLE) if i >= 0), default=-1)
        if opening < 0:
            break
        closing = text.find(DOUBLE[text[opening]], opening + 1, end)
        closed = closing >= 0
        stop = closing if closed else end
        if stop > opening + 1:
            found.append(QuoteFragment(opening + 1, stop, closed))
        pos = stop + 1
    return found


def _single_quoted(text: str, start: int, end: int, double: list[QuoteFragment]) -> list[QuoteFragment]:
    """Single-quoted stretches outside the double-quoted ones."""
    found = []
    pos = start
    while pos < end:
        opening = SINGLE_OPEN.search(text, pos, end)
        if not opening:
            break
        at = opening.start()
        inside = next((f for f in double if f.start - 1 <= at <= f.end), None)
        if inside is not None:
            pos = inside.end + 1
            continue
        closing = SINGLE_CLOSE.search(text, at + 2, end)
        if not closing:
            break  # an unclosed single mark is more often an apostrophe than a quotation
        found.append(QuoteFragment(at + 1, closing.start(), True))
        pos = closing.end()
    return found
