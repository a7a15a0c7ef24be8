"""The fixed vocabularies (entity types, relation predicates), read from ``knowledge/vocabulary.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .curated import Entry, load_yaml


@dataclass(frozen=True)
class Predicate:
    name: str
    directed: bool
    description: str


@dataclass(frozen=True)
class Vocabulary:
    entity_types: dict[str, str]
    predicates: dict[str, Predicate]
    claim_kinds: dict[str, str]
    verdicts: dict[str, str]

    @classmethod
    def load(cls, path: Path) -> Vocabulary:
        data = load_yaml(path)
        sections = {"entity_types", "predicates", "claim_kinds", "verdicts"}
        if not isinstance(data, Entry) or not sections <= set(data):
            raise InputError(path, f"expected sections: {', '.join(sorted(sections))}", line=1,
                             fix="restore vocabulary.yaml from git")
        predicates = {}
        for name, spec in data["predicates"].items():
            if not isinstance(spec, Entry) or not isinstance(spec.get("directed"), bool):
                line = spec.line if isinstance(spec, Entry) else None
                raise InputError(path, f"predicate {name!r} needs `directed: true|false`", line=line,
                                 fix="add directed: true or directed: false")
            predicates[name] = Predicate(name, spec["directed"], str(spec.get("description", "")))
        return cls(dict(data["entity_types"]), predicates, dict(data["claim_kinds"]),
                   dict(data["verdicts"]))

    def check(self, entry: Entry, vocabulary: str, value: object) -> None:
        """Fail naming file and line when ``value`` is not in one of the fixed vocabularies."""
        allowed = {"entity type": self.entity_types, "predicate": self.predicates,
                   "claim kind": self.claim_kinds, "verdict": self.verdicts}[vocabulary]
        if not isinstance(value, str) or value not in allowed:
            raise entry.fail(f"unknown {vocabulary} {value!r}",
                             fix=f"use one of: {', '.join(sorted(allowed))}")
