"""The fixed vocabularies (entity types, relation predicates), read from ``knowledge/vocabulary.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .curated import Record, load_yaml
from .errors import InputError


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
        if not isinstance(data, Record) or not sections <= set(data):
            raise InputError(path, f"expected sections: {', '.join(sorted(sections))}", line=1,
                             fix="restore vocabulary.yaml from git")
        predicates = {}
        for name, spec in data["predicates"].items():
            if not isinstance(spec, Record) or not isinstance(spec.get("directed"), bool):
                line = spec.line if isinstance(spec, Record) else None
                raise InputError(path, f"predicate {name!r} needs `directed: true|false`", line=line,
                                 fix="add directed: true or directed: false")
            predicates[name] = Predicate(name, spec["directed"], str(spec.get("description", "")))
        return cls(dict(data["entity_types"]), predicates, dict(data["claim_kinds"]),
                   dict(data["verdicts"]))

    def check_type(self, record: Record, value: str) -> None:
        if not isinstance(value, str) or value not in self.entity_types:
            raise record.fail(f"unknown entity type {value!r}",
                              fix=f"use one of: {', '.join(sorted(self.entity_types))}")

    def check_predicate(self, record: Record, value: str) -> None:
        if not isinstance(value, str) or value not in self.predicates:
            raise record.fail(f"unknown predicate {value!r}",
                              fix=f"use one of: {', '.join(sorted(self.predicates))}")

    def check_claim_kind(self, record: Record, value: str) -> None:
        if not isinstance(value, str) or value not in self.claim_kinds:
            raise record.fail(f"unknown claim kind {value!r}",
                              fix=f"use one of: {', '.join(sorted(self.claim_kinds))}")
