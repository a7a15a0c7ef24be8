"""The bad-input corpus (tests/bad_inputs/cases.yaml): reading the cases, writing each into a
scratch project, and running `check` there while measuring what it took.

Two test modules run the corpus: ``test_bad_inputs`` the cases without bounds, ``test_hostile_inputs``
the hostile shapes, which carry a bound of CPU seconds and peak memory (``seconds``, ``memory_mb``).
They are two modules so that pytest-xdist runs them on two workers side by side.
"""

from __future__ import annotations

import ctypes
import gc
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from analysis.cli import main
from analysis.facts.extract import Facts

CASES = yaml.safe_load((Path(__file__).parent / "bad_inputs" / "cases.yaml").read_text(encoding="utf-8"))
VALID_HEADER = " date 2025-04-24 By Jane Doe, CNN\n\n"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def bounded(case: dict) -> bool:
    """A hostile shape: the case asserts a bound of time and memory."""
    return "memory_mb" in case["expect"]


def invented_name(n: int) -> str:
    """A distinct capitalised word for each ``n`` (``Bab``, ``Bad``, …): thousands of different
    people, none of them a word the extractors know."""
    letters, n = "", n + 27
    while n:
        n, r = divmod(n, 20)
        letters = "bdfgklmnprstvzhjcwxq"[r] + "aeiou"[n % 5] + letters
    return letters.capitalize()


def fields(n: int) -> dict[str, object]:
    """What a numbered unit may use: its number, a date made from it and an invented name."""
    return {"n": n, "day": n % 28 + 1, "month": MONTHS[n % 12], "year": 1990 + n % 35,
            "name": invented_name(n)}


def _units(spec: dict, root: Path) -> str:
    """The text a spec writes: ``text``, then ``unit`` (or the body of the file ``unit_from``)
    ``repeat`` times (formatted with :func:`fields` when ``numbered``), then ``tail``."""
    if "repeat" not in spec:
        return spec["text"]
    unit = spec.get("unit")
    if "unit_from" in spec:
        unit = (root / spec["unit_from"]).read_text(encoding="utf-8").split("\n", 1)[1].strip() + "\n\n"
    body = "".join(unit.format(**fields(n)) for n in range(spec["repeat"])) if spec.get("numbered") \
        else unit * spec["repeat"]
    return spec["text"] + body + spec.get("tail", "")


def hostile_articles(root: Path, *, most_bytes: int | None = None) -> dict[str, str]:
    """The hostile shapes that are one article (a seed file's text, header line first), by case
    id, for an archive (``root``: the project whose seed a unit may be made of). ``most_bytes``
    leaves out the larger ones."""
    articles = {}
    for case in CASES:
        spec = case.get("write", {})
        if bounded(case) and spec.get("path", "").startswith("seeds/") and "count" not in spec:
            text = _units(spec, root)
            if most_bytes is None or len(text.encode()) <= most_bytes:
                articles[case["id"]] = text
    return articles


def apply(case: dict, root: Path) -> int | None:
    """Make the case's change; return the line it wrote (1-based) where that is meaningful."""
    if "write" in case:
        spec = case["write"]
        path = root / spec["path"]
        if "hex" in spec:
            path.write_bytes(bytes.fromhex(spec["hex"]))
        elif "count" in spec:  # many files, each path and text formatted with its number
            for n in range(spec["count"]):
                (root / spec["path"].format(**fields(n))).write_text(spec["text"].format(**fields(n)),
                                                                     encoding="utf-8")
        elif "repeat" in spec:  # a header and a first part, then one unit written many times
            path.write_text(_units(spec, root), encoding="utf-8")
        elif "size_mb" in spec:
            filler = ("China and Pakistan. " * 50 + "\n\n").encode()
            with path.open("wb") as handle:
                handle.write(VALID_HEADER.encode())
                for _ in range(spec["size_mb"] * 1024 * 1024 // len(filler) + 1):
                    handle.write(filler)
        else:
            path.write_bytes(spec["text"].encode("utf-8"))
        return None
    if "make" in case:  # a special file: fifo, folder, or link (to a path, or to a file outside)
        spec = case["make"]
        path = root / spec["path"]
        if spec["kind"] == "fifo":
            os.mkfifo(path)
        elif spec["kind"] == "folder":
            path.mkdir()
        elif spec["kind"] == "link-outside":
            outside = root.parent / "outside.txt"
            outside.write_text(VALID_HEADER + "China and Pakistan met.\n", encoding="utf-8")
            path.symlink_to(outside)
        else:
            path.symlink_to(spec["target"])
        return None
    if "append" in case:
        spec = case["append"]
        path = root / spec["path"]
        before = path.read_text(encoding="utf-8")
        text = _units(spec, root)
        path.write_text(before + text, encoding="utf-8")
        start = len(before) + len(text) - len(text.lstrip("\n"))
        return (before + text)[:start].count("\n") + 1
    spec = case["replace"]
    path = root / spec["path"]
    before = path.read_bytes().decode("utf-8")
    assert spec["old"] in before, f"case {case['id']}: {spec['old']!r} not in {spec['path']}"
    path.write_bytes(before.replace(spec["old"], spec["new"], 1).encode("utf-8"))
    return before[: before.index(spec["old"])].count("\n") + 1


@dataclass
class Checked:
    """One run of ``check``: its exit code and output, the facts it extracted, and its cost."""

    code: int
    out: str
    err: str
    seconds: float  # of CPU: a machine busy with other work stretches the wall time, not this
    memory_mb: float  # its peak resident memory above what the process held before it began
    facts: list[Facts] = field(default_factory=list)


def _status(key: str) -> int:
    """A field of /proc/self/status, in kB."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M).group(1))


def run_check(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> Checked:
    """``check`` on ``root``, in this process (no interpreter start-up). Memory earlier tests freed
    is handed back to the system and the peak of resident memory reset (Linux's ``clear_refs``),
    so the peak less what the worker then held is this run's own, whatever ran before it on the
    worker (which held 400 to 600 MB more after some tests than a fresh one did)."""
    from analysis.briefing import content

    facts: list[Facts] = []
    extract = content.extract_facts

    def keep(*args, **kwargs):  # the facts check extracted, so a test need not extract them again
        facts.append(extract(*args, **kwargs))
        return facts[-1]

    monkeypatch.setattr(content, "extract_facts", keep)
    monkeypatch.setenv("ANALYSIS_PROJECT_ROOT", str(root))
    monkeypatch.chdir(root)
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # memory earlier tests freed goes back to the system
    held = _status("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")
    started = time.process_time()
    code = main(["check"])
    seconds = time.process_time() - started
    memory_mb = (_status("VmHWM") - held) / 1024
    out, err = capsys.readouterr()
    return Checked(code, out, err, seconds, memory_mb, facts)


def assert_expected(case: dict, checked: Checked, line: int | None) -> None:
    """Everything the case expects of the run."""
    expect = case["expect"]
    code, out, err = checked.code, checked.out, checked.err
    print(f"{case['id']}: {checked.seconds:.1f} s of CPU, {checked.memory_mb:,.0f} MB at the peak")
    assert checked.seconds <= expect.get("seconds", float("inf")), \
        f"{case['id']}: {checked.seconds:.1f} s of CPU"
    assert checked.memory_mb <= expect.get("memory_mb", float("inf")), \
        f"{case['id']}: {checked.memory_mb:,.0f} MB at the peak"
    assert code == expect["exit"], f"{case['id']}: exit {code}\n{out}\n{err[-3000:]}"
    where = expect.get("where")
    at = f"{where}:{line if expect.get('line') == 'edit' else expect.get('line', '')}"
    if code:
        lines = err.strip().splitlines()
        assert len(lines) == 1, f"one line expected, got:\n{err[:3000]}"
        assert expect["message"] in lines[0]
        assert lines[0].startswith(f"error: {at.rstrip(':')}"), lines[0]
        assert " — " in lines[0], "the message says what to do"
        assert len(lines[0]) <= 2000, f"one readable line, not {len(lines[0]):,} characters"
        return
    assert out.startswith("OK:")
    if "warning" in expect:
        warning = next(w for w in err.splitlines() if expect["warning"] in w)
        assert warning.startswith(f"warning: {at}")
    if "source" in expect:
        facts = checked.facts[0]
        source = facts.by_id[expect["source"]]
        tables = {name: frame[frame.source_id == source.source_id] for name, frame in facts.tables.items()
                  if "source_id" in frame}
        for name, frame in tables.items():
            if {"start", "end", "text"} <= set(frame.columns):
                columns = (frame[c].tolist() for c in ("start", "end", "text"))
                wrong = [(s, e, t) for s, e, t in zip(*columns, strict=True) if source.text[s:e] != t]
                assert not wrong, (name, wrong[:3])
        assert set(expect.get("mentions", [])) <= set(tables["mentions"].entity_id)
        if "quotes" in expect:
            assert len(tables["quotes"]) == expect["quotes"]
        if "speakers" in expect:
            assert set(tables["quotes"].speaker_id) == set(expect["speakers"])
        if "unclosed" in expect:
            assert int((~tables["quotes"].closed).sum()) == expect["unclosed"]
        for name, count in expect.get("rows", {}).items():
            assert len(tables[name]) == count, f"{name}: {len(tables[name])} rows, expected {count}"
    if "sources" in expect:
        assert len(checked.facts[0].sources) == expect["sources"]
