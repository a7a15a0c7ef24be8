"""Relations between entities: curated ones with their evidence, and ones derived from quotes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..datapackage import TABLES_BY_NAME
from ..inputs.curated import load_entries
from ..inputs.evidence import locate, source_of
from ..inputs.gazetteer import Gazetteer
from ..inputs.sources import Source
from ..inputs.vocabulary import Vocabulary
from .mentions import Mention

QUALIFIERS = {"", "intent", "reported", "planned", "scheduled"}


def curated_relations(path: Path, sources: dict[str, Source], gazetteer: Gazetteer,
                      vocabulary: Vocabulary) -> list[dict]:
    rows = []
    for entry in load_entries(path):
        entry.require("subject", "predicate", "object", "source_id", "evidence")
        for role in ("subject", "object"):
            if entry[role] not in gazetteer:
                raise entry.fail(f"{role} {entry[role]!r} is not an entity in {gazetteer.path.name}",
                                 fix="add it to the gazetteer or correct the id")
        vocabulary.check(entry, "predicate", entry["predicate"])
        if entry["subject"] == entry["object"]:
            raise entry.fail(f"relation from {entry['subject']!r} to itself",
                             fix="a relation needs two different entities")
        qualifier = str(entry.get("qualifier") or "")
        if qualifier not in QUALIFIERS:
            raise entry.fail(f"unknown qualifier {qualifier!r}",
                             fix=f"use one of: {', '.join(sorted(QUALIFIERS - {''}))}")
        source = source_of(entry, sources)
        start, end = locate(entry, source, entry["evidence"])
        rows.append({
            "subject_id": entry["subject"], "predicate": entry["predicate"],
            "object_id": entry["object"],
            "directed": vocabulary.predicates[entry["predicate"]].directed,
            "source_id": source.source_id, "evidence": source.text[start:end], "start": start,
            "end": end, "origin": "curated", "qualifier": qualifier,
            "note": str(entry.get("note") or ""), "line": entry.line,
        })
    return rows


def quoted_by_relations(quotes: pd.DataFrame, mentions: dict[str, list[Mention]],
                        sources: dict[str, Source], gazetteer: Gazetteer) -> list[dict]:
    """speaker --quoted_by--> media, for quotes that reached the article through a named outlet.

    The evidence runs from the attribution cue to the outlet's name ("he told Reuters news agency").
    """
    rows, seen = [], set()
    for q in quotes.itertuples():
        if not q.speaker_id or q.channel not in gazetteer or gazetteer[q.channel].type != "media":
            continue
        if (q.speaker_id, q.channel, q.source_id) in seen or q.cue_start < 0:
            continue
        channel = next((m for m in mentions.get(q.source_id, [])
                        if m.entity_id == q.channel and m.start >= q.cue_start), None)
        if channel is None:
            continue
        start, end = int(q.cue_start), channel.end
        seen.add((q.speaker_id, q.channel, q.source_id))
        rows.append({
            "subject_id": q.speaker_id, "predicate": "quoted_by", "object_id": q.channel,
            "directed": True, "source_id": q.source_id, "evidence": sources[q.source_id].text[start:end],
            "start": start, "end": end, "origin": "derived", "qualifier": "reported",
            "note": f"quote {q.quote_id}", "line": -1,
        })
    return rows


def relations_frame(rows: list[dict]) -> pd.DataFrame:
    return TABLES_BY_NAME["relations"].frame(rows)
