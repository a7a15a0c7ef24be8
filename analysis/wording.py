"""The reader's words for counts, codes, column names and ids.

What a reader sees of the data that the data holds as a code (a reference table's column, a
verdict's method, how a quotation's speaker is named, a channel, a relation's origin, a table's
name) is named in ``knowledge/wording.yaml``, in this one place, so that every page says the same
and a new code gets words once. Counts are said with their nouns (``1 source``, ``no sources``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import InputError
from .inputs.curated import Entry, load_yaml

SECTIONS = ("reference_tables", "reference_columns", "answers", "verdict_methods", "attributions",
            "channels", "relation_origins", "data_tables", "labels")
GENERIC = re.compile(r"^computed \(generic: (?P<tables>.+)\)$")


def plural(count: int, noun: str, nouns: str | None = None, *, zero: str | None = None) -> str:
    """``1 source``, ``3 sources``, ``1,200 sources``; with ``zero``, the word for none (``no
    sources``). Irregular plurals are given: ``plural(n, "statement was", "statements were")``."""
    many = nouns or _regular_plural(noun)
    if count == 0 and zero is not None:
        return f"{zero} {many}"
    return f"{count:,} {noun if count == 1 else many}"


def count_word(count: int) -> str:
    """A count as prose says it when its noun is understood: none, one, 2, 1,200."""
    return {0: "none", 1: "one"}.get(count, f"{count:,}")


def _regular_plural(noun: str) -> str:
    head, _, last = noun.rpartition(" ")
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}" if head else last


@dataclass(frozen=True)
class Wording:
    """``knowledge/wording.yaml``: section → code → words."""

    path: Path
    sections: dict[str, dict[str, str]]

    @classmethod
    def load(cls, path: Path) -> Wording:
        data = load_yaml(path)
        if not isinstance(data, Entry) or not set(SECTIONS) <= set(data):
            raise InputError(path, f"expected sections: {', '.join(SECTIONS)}", line=1,
                             fix="restore wording.yaml from git")
        sections = {}
        for name in SECTIONS:
            section = data[name]
            if not isinstance(section, Entry) or not all(isinstance(v, str) and v.strip()
                                                         for v in section.values()):
                raise InputError(path, f"section {name!r} must map each code to words",
                                 line=data.key_lines.get(name), fix="write `code: words` lines")
            sections[name] = {_key(k): v for k, v in section.items()}
        return cls(Path(path), sections)

    @staticmethod
    def beside(curated: Path) -> Wording:
        """The wording file in the folder of another curated file (a check's ``checks.yaml``)."""
        return _load(Path(curated).parent / "wording.yaml")

    def of(self, section: str, code: object) -> str:
        """The words for ``code``; a code without words stops with the file and what to add."""
        key = _key(code)
        words = self.sections[section].get(key)
        if words is None and section == "verdict_methods" and (match := GENERIC.match(key)):
            return self.sections[section]["computed (generic: {tables})"].format(tables=match["tables"])
        if words is None:
            raise InputError(self.path, f"no words for {key!r} in section {section!r}",
                             fix=f"add `{key}: <the words a reader sees>` under `{section}:`")
        return words

    def require(self, section: str, codes: object) -> None:
        """Every one of ``codes`` has words (``check`` and the build call this before building)."""
        for code in codes:
            self.of(section, code)

    def channel(self, code: str, names: dict[str, str]) -> str:
        """A quotation's channel: an outlet's name, or the words for ``unstated``, ``statement``."""
        return names.get(code) or self.of("channels", code)


def _key(code: object) -> str:
    """YAML reads ``true:`` as a boolean: codes are compared as lower-case text."""
    return str(code).lower() if isinstance(code, bool) else str(code)


@lru_cache(maxsize=8)
def _load(path: Path) -> Wording:
    return Wording.load(path)
