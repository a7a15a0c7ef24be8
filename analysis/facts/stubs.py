"""Gazetteer stubs for suggested names: YAML an analyst can paste into ``entities.yaml``.

Each stub is valid as it stands (``python -m analysis check`` accepts it): a unique id made from
the name, the guessed type, the name and any surname the source also uses alone as aliases, and a
``source`` saying where the name was seen, for the analyst to replace with the identification.
"""

from __future__ import annotations

import json
import re
import unicodedata

import pandas as pd

from ..inputs.gazetteer import Gazetteer, alias_key


def stub_id(name: str, taken: set[str]) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_") or "entity"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def entity_stubs(candidates: pd.DataFrame, texts: dict[str, str], gazetteer: Gazetteer) -> str:
    """One stub per distinct suggested name, in order of first appearance."""
    taken = set(gazetteer.entities)
    known = {alias_key(a) for a in gazetteer.aliases}
    blocks = []
    seen: set[str] = set()
    for row in candidates.sort_values(["source_id", "start"]).itertuples():
        if row.text in seen or alias_key(row.text) in known:
            continue
        seen.add(row.text)
        text = texts[row.source_id]
        aliases = [row.text]
        words = row.text.split()
        if row.type == "person" and len(words) > 1:
            rest = text.replace(row.text, " ")  # the name in full, masked
            for word in (words[0], words[-1]):  # a surname used alone in the source
                alone = re.search(rf"(?<![\w’'-]){re.escape(word)}(?![\w’'-])", rest)
                if alone and alias_key(word) not in known and word not in aliases:
                    aliases.append(word)
        known.update(alias_key(a) for a in aliases)
        context = re.sub(r"\s+", " ", text[max(0, row.start - 40):row.end + 40]).strip()
        seen_at = (f"suggested from {row.source_id}@{row.start}: …{context}… — replace with where the "
                   "identification comes from")
        blocks.append("\n".join([
            f"- id: {stub_id(row.text, taken)}",
            f"  name: {json.dumps(row.text, ensure_ascii=False)}",
            f"  type: {row.type}",
            f"  aliases: [{', '.join(json.dumps(a, ensure_ascii=False) for a in aliases)}]",
            f"  source: {json.dumps(seen_at, ensure_ascii=False)}",
        ]))
    return "\n\n".join(blocks) + ("\n" if blocks else "")
