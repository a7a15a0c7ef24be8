"""How an article opens: a headline and standfirst above the text, and the dateline before it.

House styles differ (``BEIJING (AP) —``, ``ISLAMABAD, Feb 7 (Reuters) -``, ``ISLAMABAD:``,
``BEIJING, Nov. 25 (Xinhua) --``, ``(CNN) —``). The dateline's words name the outlet and the
place of filing, not actors of the story, so extractors skip them; a headline and a standfirst
are display text in title case, so name suggestions skip them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The place: one to four capitalised words (all capitals, or title case when a colon follows);
# then an optional date, an optional (OUTLET), and the separator.
_PLACE = (r"(?P<place>[A-Z][A-Z.'’-]+(?:[ ][A-Z][A-Z.'’-]+){0,3}"
          r"|[A-Z][a-z]+(?:[ ][A-Z][a-z]+){0,2}(?=:|[ ]*\([A-Z]))")  # Beijing (AFP) -, New Delhi:
_DATE = r"(?:,[ ]+(?P<date>(?:[A-Z][a-z]{2,8}\.?[ ]+\d{1,2}|\d{1,2}[ ]+[A-Z][a-z]{2,8})(?:,?[ ]+\d{4})?))"
_OUTLET = r"(?:[ ]*\((?P<outlet>[A-Z][^()\n]{0,40})\))"
# The country or state a wire adds after the place: "JIUQUAN, China, April 24 (Reuters) -".
_REGION = (r"(?:,[ ]+(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?[ ]+\d)"
           r"[A-Z][a-z]+(?:[ ][A-Z][a-z]+)?)")
DATELINE = re.compile(rf"(?:{_PLACE}{_REGION}?{_DATE}?)?{_OUTLET}?[ ]*(?P<sep>—|–|--|-|:)[ ]*")
_PLAIN_TITLE = re.compile(r"[^.!?\"”’)]$")  # a display line ends without sentence punctuation
MAX_DISPLAY_LINE = 220  # characters: longer opening paragraphs are text, not a headline


@dataclass(frozen=True)
class Dateline:
    start: int
    end: int  # where the article's first sentence begins
    place: str
    outlet: str


def find_dateline(text: str, paragraph_start: int, paragraph_end: int) -> Dateline | None:
    """The dateline at the start of a paragraph, if the paragraph has one."""
    m = DATELINE.match(text, paragraph_start, paragraph_end)
    if not m or m.end() >= paragraph_end:
        return None
    if m["sep"] == "-" and text[m.end(): m.end() + 1].islower():
        return None  # a hyphenated word, not a separator
    if not (m["place"] or m["outlet"]) or not (m["outlet"] or m["sep"] != "-" or m["date"]):
        return None
    return Dateline(m.start(), m.end(), m["place"] or "", (m["outlet"] or "").strip())


def display_lines(text: str, paragraphs: list[tuple[int, int]]) -> int:
    """How many paragraphs at the top are a headline or standfirst: short, no sentence ending,
    before the first paragraph that reads as text."""
    count = 0
    for start, end in paragraphs[:2]:
        words = text[start:end]
        if end - start > MAX_DISPLAY_LINE or not _PLAIN_TITLE.search(words) or "\n" in words:
            break
        count += 1
    return count if count < len(paragraphs) else 0
