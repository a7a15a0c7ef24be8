"""Curated data fails loudly: each bad row gives one error naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import InputError, ProjectPaths
from analysis.facts.extract import extract_facts


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, entry: str) -> int:
    """Append an entry; return the line it starts on."""
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    line = text.count("\n") + 1
    path.write_text(text + entry, encoding="utf-8")
    return line


def failure(root: Path) -> InputError:
    with pytest.raises(InputError) as info:
        extract_facts(ProjectPaths(root))
    return info.value


def knowledge(root: Path, name: str) -> Path:
    return root / "analysis" / "knowledge" / name


@pytest.mark.parametrize(("entry", "message"), [
    ("- id: china2\n  name: China again\n  type: country\n  aliases: [Beijing]\n  source: test\n",
     "alias 'Beijing' is also an alias of 'china'"),
    ("- id: saturn\n  name: Saturn\n  type: planet\n  source: test\n", "unknown entity type 'planet'"),
    ("- id: china\n  name: China\n  type: country\n  source: test\n", "duplicate id 'china'"),
    ("- id: nasa\n  name: NASA\n  type: agency\n  country: mars\n  source: test\n",
     "country 'mars' is not a country entity"),
    ("- id: nasa\n  name: NASA\n  type: agency\n", "missing required field 'source'"),
    ("- id: NASA!\n  name: NASA\n  type: agency\n  source: test\n", "must be lower-case"),
    ("- id: nasa\n  name: NASA\n  type: agency\n  qid: 123\n  source: test\n", "not a Wikidata id"),
])
def test_bad_gazetteer_rows(scratch: Path, entry: str, message: str) -> None:
    line = append(knowledge(scratch, "entities.yaml"), entry)
    error = failure(scratch)
    assert message in str(error)
    assert error.path.endswith("entities.yaml") and error.line == line
    assert f"entities.yaml:{line}: " in str(error)


RELATION = ("- subject: {s}\n  predicate: {p}\n  object: {o}\n  source_id: 000_615d141f3fb52d67\n"
            "  evidence: {e}\n")


@pytest.mark.parametrize(("fields", "message"), [
    ({"s": "nasa", "p": "cooperates_with", "o": "china", "e": "China"}, "subject 'nasa' is not an entity"),
    ({"s": "china", "p": "loves", "o": "pakistan", "e": "China"}, "unknown predicate 'loves'"),
    ({"s": "china", "p": "cooperates_with", "o": "china", "e": "China"}, "to itself"),
    ({"s": "china", "p": "cooperates_with", "o": "pakistan", "e": "words not in the article"},
     "does not occur in source"),
    ({"s": "china", "p": "cooperates_with", "o": "pakistan", "e": "the two countries"}, "occurs 2 times"),
])
def test_bad_relations(scratch: Path, fields: dict, message: str) -> None:
    line = append(knowledge(scratch, "relations.yaml"), RELATION.format(**fields))
    error = failure(scratch)
    assert message in str(error)
    assert error.line == line and error.path.endswith("relations.yaml")


def test_relation_with_unknown_source(scratch: Path) -> None:
    entry = RELATION.format(s="china", p="cooperates_with", o="pakistan", e="China").replace(
        "000_615d141f3fb52d67", "999_missing")
    line = append(knowledge(scratch, "relations.yaml"), entry)
    error = failure(scratch)
    assert "source_id '999_missing' is not a file in seeds/" in str(error) and error.line == line


def test_bad_claims(scratch: Path) -> None:
    line = append(knowledge(scratch, "claims.yaml"),
                  "- id: x\n  source_id: 000_615d141f3fb52d67\n  evidence: China\n  kind: rumour\n"
                  "  topic: t\n")
    error = failure(scratch)
    assert "unknown claim kind 'rumour'" in str(error) and error.line == line


def test_yaml_syntax_error_names_the_line(scratch: Path) -> None:
    append(knowledge(scratch, "entities.yaml"), "- id: [unclosed\n")
    error = failure(scratch)
    assert "not valid YAML" in str(error) and error.line is not None


def test_curly_apostrophe_hint(scratch: Path) -> None:
    append(knowledge(scratch, "relations.yaml"),
           RELATION.format(s="china", p="cooperates_with", o="pakistan", e="Pakistan's space agency SUPARCO"))
    assert "the source uses the other apostrophe" in str(failure(scratch))
