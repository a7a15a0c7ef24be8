"""Provenance of an article read from the web: its address, when it was read, the page's hash.

It lives in a sidecar beside the seed (``seeds/NAME.source.json`` for ``seeds/NAME.txt``), so the
seed format stays as it is and a hand-typed seed needs none. ``sources.csv`` carries the three
values (empty for a seed without a sidecar). A sidecar is small JSON with sorted keys, so the same
provenance is always the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

SUFFIX = ".source.json"
FIELDS = ("url", "retrieved", "original_sha256")
SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_SIDECAR_BYTES = 64 * 1024  # three short values: anything larger is not a sidecar


@dataclass(frozen=True)
class Provenance:
    url: str  # the page's address (its canonical URL, if it names one); "" if a saved page names none
    retrieved: str  # when it was read, UTC, ISO 8601 to the second (a WARC record's WARC-Date)
    original_sha256: str  # hash of the page's bytes as read (before its text was extracted)

    def json_bytes(self) -> bytes:
        return (json.dumps({f: getattr(self, f) for f in FIELDS}, indent=2, sort_keys=True,
                           ensure_ascii=False) + "\n").encode("utf-8")

    def as_row(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in FIELDS}


NO_PROVENANCE = {f: "" for f in FIELDS}


def sidecar_path(seed: Path) -> Path:
    """``seeds/NAME.source.json`` for ``seeds/NAME.txt``."""
    return seed.with_name(seed.stem + SUFFIX)


def seed_of(sidecar: Path) -> Path:
    return sidecar.with_name(sidecar.name.removesuffix(SUFFIX) + ".txt")


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def is_web_url(url: str) -> bool:
    return bool(re.match(r"https?://[^\s/]+", url, re.I)) and not any(c.isspace() for c in url)


def read_provenance(seed: Path) -> Provenance | None:
    """The sidecar beside a seed, validated; None when there is none."""
    path = sidecar_path(seed)
    if not path.exists() and not path.is_symlink():
        return None
    fix = "correct it, or delete it (the article stays, without its web provenance)"
    if not path.is_file():
        raise InputError(path, "is not a regular file", line=1, fix=fix)
    with path.open("rb") as handle:
        raw = handle.read(MAX_SIDECAR_BYTES + 1)
    if len(raw) > MAX_SIDECAR_BYTES:
        raise InputError(path, "is too large for a provenance sidecar", line=1, fix=fix)
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(path, "not valid UTF-8", line=1, fix=fix) from None
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not valid JSON ({exc.msg})", line=exc.lineno, fix=fix) from None
    except RecursionError:
        raise InputError(path, "not valid JSON (nested too deep)", line=1, fix=fix) from None
    if not isinstance(data, dict):
        raise InputError(path, f"must be a JSON object with {', '.join(FIELDS)}", line=1, fix=fix)
    missing = [f for f in FIELDS if not isinstance(data.get(f), str)]
    unknown = sorted(set(data) - set(FIELDS))
    if missing or unknown:
        what = (f"missing {', '.join(missing)}" if missing else "") + (
            ("; " if missing else "") + f"unknown key(s) {', '.join(unknown)}" if unknown else "")
        raise InputError(path, f"{what} (a sidecar holds exactly {', '.join(FIELDS)}, as text)", line=1,
                         fix=fix)
    problem = provenance_problem(data["url"], data["retrieved"], data["original_sha256"])
    if problem:
        raise InputError(path, problem, line=_line_of(raw, problem.split()[0]), fix=fix)
    return Provenance(data["url"], data["retrieved"], data["original_sha256"])


def provenance_problem(url: str, retrieved: str, original_sha256: str) -> str:
    """What is wrong with these values, or ``""``; the message starts with the field's name."""
    if url and not is_web_url(url):
        return f"url {url[:80]!r} is not an http(s) address (or empty)"
    try:
        when = dt.datetime.fromisoformat(retrieved.replace("Z", "+00:00"))
    except ValueError:
        return f"retrieved {retrieved[:40]!r} is not an ISO 8601 time (2025-04-24T10:15:00Z)"
    if when.tzinfo is None:
        return f"retrieved {retrieved!r} has no time zone (write it in UTC, ending in Z)"
    if not SHA256.fullmatch(original_sha256):
        return "original_sha256 is not 64 lower-case hex digits"
    return ""


def _line_of(raw: bytes, key: str) -> int:
    """The line of ``"key":`` in the sidecar (1 when not found)."""
    text = raw.decode("utf-8", "replace")
    at = text.find(f'"{key}"')
    return text[:at].count("\n") + 1 if at >= 0 else 1
