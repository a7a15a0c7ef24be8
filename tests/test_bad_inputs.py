"""The bad-input corpus (tests/bad_inputs/cases.yaml): every case gives one clear line and exit
code 2, or, for input that is merely unusual, exact handling."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml

from analysis import ProjectPaths
from analysis.cli import main
from analysis.facts.extract import extract_facts
from tests.scratch import copy_project

CASES = yaml.safe_load((Path(__file__).parent / "bad_inputs" / "cases.yaml").read_text(encoding="utf-8"))
VALID_HEADER = " date 2025-04-24 By Jane Doe, CNN\n\n"


def test_the_corpus_is_broad() -> None:
    assert len(CASES) >= 20
    assert len({c["id"] for c in CASES}) == len(CASES)


def apply(case: dict, root: Path) -> int | None:
    """Make the case's change; return the line it wrote (1-based) where that is meaningful."""
    if "write" in case:
        spec = case["write"]
        path = root / spec["path"]
        if "hex" in spec:
            path.write_bytes(bytes.fromhex(spec["hex"]))
        elif "repeat" in spec:  # a header and a first part, then one unit written many times
            path.write_text(spec["text"] + spec["unit"] * spec["repeat"] + spec.get("tail", ""),
                            encoding="utf-8")
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
        text = spec["text"]
        path.write_text(before + text, encoding="utf-8")
        start = len(before) + len(text) - len(text.lstrip("\n"))
        return (before + text)[:start].count("\n") + 1
    spec = case["replace"]
    path = root / spec["path"]
    before = path.read_bytes().decode("utf-8")
    assert spec["old"] in before, f"case {case['id']}: {spec['old']!r} not in {spec['path']}"
    path.write_bytes(before.replace(spec["old"], spec["new"], 1).encode("utf-8"))
    return before[: before.index(spec["old"])].count("\n") + 1


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    root = copy_project(tmp_path / "project", seed_only=True)
    line = apply(case, root)
    expect = case["expect"]
    monkeypatch.setenv("ANALYSIS_PROJECT_ROOT", str(root))
    monkeypatch.chdir(root)
    started = time.perf_counter()
    code = main(["check"])
    seconds = time.perf_counter() - started
    out, err = capsys.readouterr()
    assert seconds <= expect.get("seconds", float("inf")), f"{case['id']}: {seconds:.1f} s"
    assert code == expect["exit"], f"{case['id']}: exit {code}\n{out}\n{err}"
    where = expect.get("where")
    at = f"{where}:{line if expect.get('line') == 'edit' else expect.get('line', '')}"
    if code:
        lines = err.strip().splitlines()
        assert len(lines) == 1, f"one line expected, got:\n{err}"
        assert expect["message"] in lines[0]
        assert lines[0].startswith(f"error: {at.rstrip(':')}"), lines[0]
        assert " — " in lines[0], "the message says what to do"
        return
    assert out.startswith("OK:")
    if "warning" in expect:
        warning = next(w for w in err.splitlines() if expect["warning"] in w)
        assert warning.startswith(f"warning: {at}")
    if "source" in expect:
        facts = extract_facts(ProjectPaths(root))
        source = facts.by_id[expect["source"]]
        tables = {name: frame[frame.source_id == source.source_id] for name, frame in facts.tables.items()
                  if "source_id" in frame}
        for name, frame in tables.items():
            for row in frame.itertuples():
                if hasattr(row, "start") and hasattr(row, "text"):
                    assert source.text[row.start:row.end] == row.text, (name, row)
        assert set(expect.get("mentions", [])) <= set(tables["mentions"].entity_id)
        if "quotes" in expect:
            assert len(tables["quotes"]) == expect["quotes"]
        if "speakers" in expect:
            assert set(tables["quotes"].speaker_id) == set(expect["speakers"])
        if "unclosed" in expect:
            assert int((~tables["quotes"].closed).sum()) == expect["unclosed"]
