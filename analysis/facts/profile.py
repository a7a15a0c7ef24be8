"""How an article is built: paragraphs, and how much of each is quotation.

A first, model-free look at a source, useful before any curation.
"""

from __future__ import annotations

import re

import pandas as pd

from ..inputs.sources import Source
from .quotes import find_fragments

WORD = re.compile(r"[\w’'-]+")


def paragraph_profile(source: Source) -> pd.DataFrame:
    """Words per paragraph, split by whether they lie inside quotation marks (as the quote
    extractor finds them)."""
    fragments = find_fragments(source)
    rows = []
    for number, para in enumerate(source.paragraphs, 1):
        words = len(WORD.findall(para.text))
        quoted = sum(len(WORD.findall(source.text[f.start:f.end])) for f in fragments
                     if para.start <= f.start < para.end)
        rows.append({"source_id": source.source_id, "paragraph": number, "start": para.start,
                     "end": para.end, "words": words, "quoted_words": quoted,
                     "narrative_words": words - quoted})
    return pd.DataFrame(rows)
