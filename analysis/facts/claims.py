"""The claims register: checkable statements, each with its span in a source.

Curated claims come from ``knowledge/claims.yaml``. A source with no curated claim still gets a
register: every sentence with a dated event or a quantity becomes an automatic claim, so a new
article's checkable statements are listed, and checked by the generic checks
(``record.generic``), before anyone curates them.
"""

from __future__ import annotations

import re
import warnings
from bisect import bisect_left
from pathlib import Path

import pandas as pd

from ..datapackage import TABLES_BY_NAME
from ..inputs.curated import load_entries
from ..inputs.evidence import locate, source_of
from ..inputs.sources import Source, Span
from ..inputs.vocabulary import Vocabulary
from ..paths import shown_path


class ClaimsCapped(UserWarning):
    """A source held more sentences with dates or numbers than become automatic claims: said to
    the analyst by check and the build; a corpus run, whose claims nobody curates, does not say it
    once per document."""

CLAIM_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def curated_claims(path: Path, sources: dict[str, Source], vocabulary: Vocabulary) -> list[dict]:
    rows, seen = [], {}
    for entry in load_entries(path):
        entry.require("id", "source_id", "evidence", "kind", "topic")
        claim_id = str(entry["id"])
        if not CLAIM_ID.match(claim_id):
            raise entry.fail(f"claim id {claim_id!r} must be lower-case words joined by hyphens",
                             fix="rename it, e.g. launch-on-thursday")
        if claim_id in seen:
            raise entry.fail(f"duplicate claim id {claim_id!r} (first at line {seen[claim_id]})",
                             fix="give each claim its own id")
        seen[claim_id] = entry.line
        vocabulary.check(entry, "claim kind", entry["kind"])
        source = source_of(entry, sources)
        start, end = locate(entry, source, entry["evidence"])
        rows.append({"claim_id": claim_id, "source_id": source.source_id,
                     "text": source.text[start:end], "start": start, "end": end,
                     "kind": entry["kind"], "topic": str(entry["topic"]), "origin": "curated",
                     "line": entry.line})
    return rows


# Automatic claims per source: far more than any article holds (tens); a 5 MB file of dates
# would otherwise give tens of thousands, each checked against the record.
MAX_AUTOMATIC_CLAIMS = 1000


def automatic_claims(source: Source, event_offsets: list[int],
                     quantity_offsets: list[int]) -> list[dict]:
    """Sentences holding a dated event or a quantity, for a source nobody has curated yet."""
    rows = []
    events, quantities = sorted(event_offsets), sorted(quantity_offsets)

    def holds(offsets: list[int], sentence: Span) -> bool:  # one in [start, end)? in log time
        return bisect_left(offsets, sentence.end) > bisect_left(offsets, sentence.start)

    skipped = 0
    for number, sentence in enumerate(source.sentences):
        has_date = holds(events, sentence)
        if not has_date and not holds(quantities, sentence):
            continue
        if len(rows) == MAX_AUTOMATIC_CLAIMS:
            skipped += 1
            continue
        rows.append({"claim_id": f"{source.source_id}-s{number:03d}", "source_id": source.source_id,
                     "text": sentence.text, "start": sentence.start, "end": sentence.end,
                     "kind": "date" if has_date else "count", "topic": "automatic: not yet curated",
                     "origin": "automatic", "line": -1})
    if skipped:
        warnings.warn(f"{shown_path(source.path)}: {skipped:,} more sentences with dates or numbers "
                      f"after the first {MAX_AUTOMATIC_CLAIMS:,} were not made automatic claims — curate "
                      "the claims that matter in claims.yaml, or split the article", ClaimsCapped,
                      stacklevel=2)
    return rows


def claims_frame(curated: list[dict], sources: list[Source], events: pd.DataFrame,
                 quantities: pd.DataFrame) -> pd.DataFrame:
    covered = {row["source_id"] for row in curated}
    event_offsets = events.groupby("source_id")["start"].apply(list).to_dict()
    quantity_offsets = quantities.groupby("source_id")["start"].apply(list).to_dict()
    rows = list(curated)
    for source in sources:
        if source.source_id not in covered:
            rows.extend(automatic_claims(source, event_offsets.get(source.source_id, []),
                                         quantity_offsets.get(source.source_id, [])))
    verdicts = ("verdict", "method", "reference", "note", "as_of")  # filled by record.verdicts
    frame = TABLES_BY_NAME["claims"].frame(rows, derived=verdicts)
    for column in verdicts:
        frame[column] = ""
    return frame
