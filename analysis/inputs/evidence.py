"""Locating curated evidence in a source: the one place where hand-typed text meets offsets."""

from __future__ import annotations

from .curated import Entry
from .sources import Source


def locate(entry: Entry, source: Source, evidence: str, field: str = "evidence") -> tuple[int, int]:
    """Offsets of ``evidence`` in the source; fails on absent or ambiguous text, naming file:line."""
    if not isinstance(evidence, str) or not evidence.strip():
        raise entry.fail(f"{field} is empty", fix="copy the exact words from the source")
    hits = []
    pos = source.text.find(evidence)
    while pos >= 0:
        hits.append(pos)
        pos = source.text.find(evidence, pos + 1)
    if not hits:
        hint = ""
        if evidence.replace("'", "’") in source.text or evidence.replace("’", "'") in source.text:
            hint = " (the source uses the other apostrophe)"
        raise entry.fail(f"{field} {evidence[:60]!r} does not occur in source {source.source_id}{hint}",
                         fix="copy the words exactly as they stand in the source")
    occurrence = entry.get("occurrence")
    if occurrence is not None and (not isinstance(occurrence, int) or isinstance(occurrence, bool)
                                   or occurrence < 1):
        raise entry.fail(f"occurrence {occurrence!r} is not a positive whole number",
                         fix="write occurrence: 1 for the first time the words appear, 2 for the second")
    if len(hits) > 1 and occurrence is None:
        raise entry.fail(f"{field} occurs {len(hits)} times in {source.source_id}",
                         fix="add `occurrence: N` (1-based) or quote more words")
    index = int(occurrence or 1) - 1
    if not 0 <= index < len(hits):
        raise entry.fail(f"occurrence {occurrence} but the evidence occurs {len(hits)} time(s)",
                         fix=f"use a number from 1 to {len(hits)}")
    return hits[index], hits[index] + len(evidence)


def source_of(entry: Entry, sources: dict[str, Source]) -> Source:
    source_id = entry.get("source_id")
    if source_id not in sources:
        raise entry.fail(f"source_id {source_id!r} is not a file in seeds/",
                         fix=f"use one of: {', '.join(sorted(sources))}")
    return sources[source_id]
