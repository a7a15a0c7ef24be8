"""Reading hand-curated YAML with line numbers, so every validation error can name file:line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError


class Entry(dict):
    """A mapping from a curated file that remembers where it was written."""

    path: Path
    line: int
    key_lines: dict[str, int]

    def fail(self, problem: str, fix: str = "", key: str | None = None) -> InputError:
        """An error at this entry, or at the line of one of its keys."""
        line = getattr(self, "key_lines", {}).get(key, self.line)
        return InputError(self.path, problem, line=line, fix=fix)

    def require(self, *keys: str) -> None:
        for key in keys:
            if self.get(key) in (None, "", []):
                raise self.fail(f"missing required field {key!r}", fix=f"add `{key}:` to this entry")


# libyaml's parser when PyYAML has it (10× faster; same marks, so the same line numbers).
class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Entry:
    entry = Entry(loader.construct_mapping(node, deep=True))
    entry.line = node.start_mark.line + 1
    entry.key_lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    return entry


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode) -> int:
    """An integer, or a YAML error at its line: Python refuses to read one of more than 4,300
    digits (``ValueError``), which was a traceback."""
    try:
        return loader.construct_yaml_int(node)
    except ValueError:
        digits = sum(c.isdigit() for c in str(node.value))
        raise yaml.constructor.ConstructorError(None, None, f"a whole number of {digits:,} digits",
                                                node.start_mark) from None


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def load_yaml(path: Path) -> Any:
    """Parse a curated YAML file; every mapping in it is a :class:`Entry` with ``path`` and ``line``."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "curated data file not found", fix="restore it from git")
    try:
        text = path.read_text(encoding="utf-8")
        _refuse_anchors(path, text)
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(path, f"not valid YAML: {getattr(exc, 'problem', exc)}",
                         line=mark.line + 1 if mark else None, fix="fix the YAML syntax") from None
    except UnicodeDecodeError:
        raise InputError(path, "not valid UTF-8", fix="re-save the file as UTF-8") from None
    _stamp(data, path)
    return data


def _refuse_anchors(path: Path, text: str) -> None:
    """Anchors and aliases (``&a``, ``*a``) are refused before anything is built: ten levels of
    nine aliases each ("billion laughs") expand a few lines into 10⁹ values and take the machine.
    Curated data never needs them; each entry spells out its values."""
    for event in yaml.parse(text, Loader=_LineLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            kind = "alias" if isinstance(event, yaml.AliasEvent) else "anchor"
            raise InputError(path, f"a YAML {kind} ({'*' if kind == 'alias' else '&'}{event.anchor}) is not "
                                   "allowed in curated data", line=event.start_mark.line + 1,
                             fix="write the values out in each entry")


def load_entries(path: Path) -> list[Entry]:
    """A YAML file whose top level is a list of mappings."""
    data = load_yaml(path)
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(r, Entry) for r in data):
        raise InputError(path, "expected a list of entries (`- key: value`)", line=1,
                         fix="make each entry a mapping under a leading dash")
    return data


def _stamp(node: Any, path: Path) -> None:
    if isinstance(node, Entry):
        node.path = path
        for value in node.values():
            _stamp(value, path)
    elif isinstance(node, list):
        for item in node:
            _stamp(item, path)
