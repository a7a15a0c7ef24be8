"""How an article is built: paragraphs, how much of each is quotation, which names recur.

A first, model-free look at a source, useful before any curation.
"""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from .sources import Source

WORD = re.compile(r"[\w’'-]+")
QUOTED = re.compile(r"“[^”]*”?")
NAME = re.compile(r"\b[A-Z][\w’'-]*(?:\s+(?:of\s+)?[A-Z][\w’'-]*)*")
STOP = {"The", "A", "An", "It", "On", "In", "Since", "During", "Last", "Under", "While", "They",
        "When", "Ali", "Sharif", "Parker", "This", "That"}


def paragraph_profile(source: Source) -> pd.DataFrame:
    rows = []
    for number, para in enumerate(source.paragraphs, 1):
        words = len(WORD.findall(para.text))
        quoted = sum(len(WORD.findall(m.group())) for m in QUOTED.finditer(para.text))
        rows.append({"source_id": source.source_id, "paragraph": number, "start": para.start,
                     "end": para.end, "words": words, "quoted_words": quoted,
                     "narrative_words": words - quoted})
    return pd.DataFrame(rows)


def recurring_names(source: Source, top: int = 12) -> pd.DataFrame:
    """Capitalised word runs, counted; a rough list before the gazetteer exists."""
    counts: Counter[str] = Counter()
    for sentence in source.sentences:
        for m in NAME.finditer(sentence.text):
            name = re.sub(r"’s$", "", m.group())
            if (m.start() == 0 and name in STOP) or name in STOP:
                continue
            counts[name] += 1
    frame = pd.DataFrame(counts.most_common(), columns=["name", "count"])
    return frame.sort_values(["count", "name"], ascending=[False, True]).head(top).reset_index(drop=True)
