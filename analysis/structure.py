"""How an article is built: paragraphs, and how much of each is quotation.

A first, model-free look at a source, useful before any curation.
"""

from __future__ import annotations

import re

import pandas as pd

from .sources import Source

WORD = re.compile(r"[\w’'-]+")
QUOTED = re.compile(r"“[^”]*”?")


def paragraph_profile(source: Source) -> pd.DataFrame:
    rows = []
    for number, para in enumerate(source.paragraphs, 1):
        words = len(WORD.findall(para.text))
        quoted = sum(len(WORD.findall(m.group())) for m in QUOTED.finditer(para.text))
        rows.append({"source_id": source.source_id, "paragraph": number, "start": para.start,
                     "end": para.end, "words": words, "quoted_words": quoted,
                     "narrative_words": words - quoted})
    return pd.DataFrame(rows)
