"""Judgement and caption templates filled from computed values, and nothing else.

``str.format_map`` would let a template reach any attribute of a value
(``{record_as_of.__class__.__mro__[1].__subclasses__}`` printed a memory address, so two builds
differed) and fail with a traceback on a format spec that does not fit (``{x:d}`` on a word).
Here a field is a declared name with at most two keys (``{check[CLAIM_ID][NAME]}``), with no
conversion and a plain format spec; anything else is a :class:`TemplateError` saying which field.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

FIELD = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<keys>(?:\[[^\[\]]+\]){0,2})$")
KEY = re.compile(r"\[([^\[\]]+)\]")
# fill and alignment, a sign, a width, a thousands separator, a precision and a number type
PLAIN_SPEC = re.compile(r"^(?:.?[<>^])?[+\- ]?\d{0,3}[,_]?(?:\.\d{1,2})?[dfegs%]?$")


class TemplateError(ValueError):
    """A template field that is not a declared value, or whose format does not fit it."""


class MissingValue(TemplateError, KeyError):
    """A declared name whose key the values lack (an edition's record may not hold it yet)."""


def fields(template: str) -> list[str]:
    """The field names of a template, in order."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def fill(template: str, values: Mapping[str, Any]) -> str:
    """The template with each field replaced by its value."""
    out = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:  # a lone brace
        raise TemplateError(f"the text is not a template: {exc}") from None
    for literal, name, spec, conversion in parsed:
        out.append(literal)
        if name is None:
            continue
        out.append(_field(name, spec or "", conversion, values))
    return "".join(out)


def _field(name: str, spec: str, conversion: str | None, values: Mapping[str, Any]) -> str:
    shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
    match = FIELD.match(name)
    if not match or conversion:
        raise TemplateError(f"{shown} is not a value name (NAME, NAME[KEY] or NAME[KEY][KEY]; no "
                            "attributes, no conversions)")
    if match["name"] not in values:
        raise TemplateError(f"{shown}: unknown value {match['name']!r}")
    if not PLAIN_SPEC.match(spec):
        raise TemplateError(f"{shown}: {spec!r} is not a plain format (such as ',', '.0%' or '.1f')")
    value = values[match["name"]]
    for key in KEY.findall(match["keys"]):
        if not isinstance(value, Mapping):
            raise TemplateError(f"{shown}: {match['name']!r} has no keys")
        if key not in value:
            raise MissingValue(f"{shown}: no value {key!r}")
        value = value[key]
    if isinstance(value, Mapping | list | tuple | set):
        raise TemplateError(f"{shown} is a table of values, not one: name a key")
    try:
        return format(value, spec)
    except (ValueError, TypeError):
        raise TemplateError(f"{shown}: the format {spec!r} does not fit the value {value!r}") from None
