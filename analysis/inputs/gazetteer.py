"""The entity gazetteer: who and what the sources can talk about, with every way they are named."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from ..datapackage import TABLES_BY_NAME
from ..errors import InputError
from .curated import Entry, load_entries
from .vocabulary import Vocabulary

ID_PATTERN = re.compile(r"^[a-z0-9_]+$")
QID_PATTERN = re.compile(r"^Q[1-9][0-9]*$")
# How a surface form designates its entity; the gazetteer field each comes from.
FORM_FIELDS = {"aliases": "alias", "demonyms": "demonym", "metonyms": "metonym",
               "descriptions": "description"}


def alias_key(text: str) -> str:
    """Aliases are matched with straight and curly apostrophes treated as the same character."""
    return text.replace("’", "'")


@dataclass(frozen=True)
class Alias:
    text: str
    entity_id: str
    form: str  # name | alias | abbreviation | demonym | metonym | description


@dataclass(frozen=True)
class Entity:
    entity_id: str
    name: str
    type: str
    country: str | None
    aliases: tuple[Alias, ...]
    qid: str | None
    source: str
    line: int
    timezone: str | None = None


class Gazetteer:
    """Validated entities plus an alias index; construction fails loudly on any bad row."""

    def __init__(self, entities: list[Entity], path: Path) -> None:
        self.path = path
        self.entities = {e.entity_id: e for e in entities}
        self.aliases = {a.text: a for e in entities for a in e.aliases}

    @classmethod
    def load(cls, path: Path, vocabulary: Vocabulary) -> Gazetteer:
        entries = load_entries(path)
        entities: list[Entity] = []
        seen_ids: dict[str, int] = {}
        seen_aliases: dict[str, tuple[str, int]] = {}
        for entry in entries:
            entity = _entity(entry, vocabulary)
            if entity.entity_id in seen_ids:
                raise entry.fail(f"duplicate id {entity.entity_id!r} (first at line "
                                  f"{seen_ids[entity.entity_id]})", fix="merge the two entries")
            seen_ids[entity.entity_id] = entry.line
            for alias in entity.aliases:
                key = alias_key(alias.text)  # matching treats ' and ’ alike, so must this check
                if key in seen_aliases and seen_aliases[key][0] != entity.entity_id:
                    other, line = seen_aliases[key]
                    raise entry.fail(f"alias {alias.text!r} is also an alias of {other!r} (line {line})",
                                     fix="keep each alias on one entity only")
                seen_aliases[key] = (entity.entity_id, entry.line)
            entities.append(entity)
        for entity, entry in zip(entities, entries, strict=True):
            if entity.country is not None:
                country = next((e for e in entities if e.entity_id == entity.country), None)
                if country is None or country.type != "country":
                    raise entry.fail(f"country {entity.country!r} is not a country entity in {path.name}",
                                     fix="use the id of an entry with `type: country`, or drop the field")
        if not entities:
            raise InputError(path, "the gazetteer has no entities", line=1,
                             fix="restore entities.yaml from git")
        return cls(entities, path)

    def __getitem__(self, entity_id: str) -> Entity:
        return self.entities[entity_id]

    def __contains__(self, entity_id: object) -> bool:
        return isinstance(entity_id, str) and entity_id in self.entities

    def timezone_of(self, entity_id: str) -> str | None:
        """The IANA zone of an entity's country, for reading 'local time'."""
        entity = self.entities.get(entity_id)
        country = self.entities.get(entity.country) if entity and entity.country else None
        return country.timezone if country else None

    def timezone_of_place(self, place: str) -> str | None:
        """The zone of a place as a dateline writes it (``BEIJING``, ``Islamabad``), when the
        gazetteer knows the name: the entity's own zone for a country, else its country's."""
        wanted = alias_key(place).casefold()
        alias = next((a for a in self.aliases.values() if alias_key(a.text).casefold() == wanted), None)
        if alias is None:
            return None
        entity = self.entities[alias.entity_id]
        return entity.timezone or self.timezone_of(entity.entity_id)

    def frame(self) -> pd.DataFrame:
        """The ``entities`` table: one row per entity, aliases joined with ``|``."""
        return TABLES_BY_NAME["entities"].frame({
            "entity_id": e.entity_id, "name": e.name, "type": e.type, "country": e.country or "",
            "aliases": "|".join(a.text for a in e.aliases), "qid": e.qid or "", "source": e.source,
        } for e in sorted(self.entities.values(), key=lambda e: e.entity_id))


def _entity(entry: Entry, vocabulary: Vocabulary) -> Entity:
    entry.require("id", "name", "type", "source")
    entity_id = str(entry["id"])
    if not ID_PATTERN.match(entity_id):
        raise entry.fail(f"id {entity_id!r} must be lower-case letters, digits and underscores",
                         fix="rename it, e.g. galaxy_space")
    vocabulary.check(entry, "entity type", entry["type"])
    qid = entry.get("qid")
    if qid is not None and not QID_PATTERN.match(str(qid)):
        raise entry.fail(f"qid {qid!r} is not a Wikidata id like Q148",
                         fix="correct it or remove the field")
    forms: list[Alias] = [Alias(str(entry["name"]), entity_id, "name")]
    listed = {forms[0].text}  # a set: an entry of 100,000 aliases was checked pair by pair
    for field_name, form in FORM_FIELDS.items():
        values = entry.get(field_name) or []
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            raise entry.fail(f"{field_name} must be a list of non-empty strings",
                             fix=f"write it as {field_name}: [First, Second]")
        for value in values:
            if value != value.strip():
                raise entry.fail(f"alias {value!r} has spaces at its ends; it would never match",
                                 fix="remove the spaces")
            if value == entry["name"]:
                continue
            if value in listed:
                raise entry.fail(f"alias {value!r} is listed twice", fix="remove the repeat")
            listed.add(value)
            kind = "abbreviation" if form == "alias" and value.replace(".", "").isupper() else form
            forms.append(Alias(value, entity_id, kind))
    timezone = entry.get("timezone")
    if timezone is not None:
        try:
            ZoneInfo(str(timezone))
        except (ZoneInfoNotFoundError, ValueError):
            raise entry.fail(f"timezone {timezone!r} is not an IANA zone name like Asia/Shanghai",
                             fix="use a name from the tz database") from None
    return Entity(entity_id, str(entry["name"]), str(entry["type"]), entry.get("country"),
                  tuple(forms), str(qid) if qid else None, str(entry["source"]), entry.line,
                  str(timezone) if timezone else None)
