"""A corpus run stopped dead (as by `kill -9`) at any point of its life leaves a folder that the
next run repairs: its tables are then those of a fresh run. And two runs never write one folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.corpus.engines import InProcess
from analysis.corpus.run import extract_corpus
from analysis.errors import InputError
from analysis.stops import CORPUS_POINTS as POINTS
from analysis.stops import ENV
from tests.stopped_child import wait_stopped
from tests.test_corpus import KNOWLEDGE, archive, assert_same_tables, records, tables, write_records


def run(source: Path, out: Path) -> None:
    extract_corpus(source, out, InProcess(), KNOWLEDGE, batch_size=4)


def stopped_at(point: str, source: Path, out: Path) -> None:
    """The run in a child process that ends at ``point`` with ``os._exit``, as a kill would."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.environ[ENV] = point
            run(source, out)
        finally:
            os._exit(code)  # reached only when the point was not
    wait_stopped(pid, point, "the run")


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An archive, and the same archive later (four documents new, four changed, two gone),
    each with the corpus a fresh run makes of it."""
    folder = tmp_path_factory.mktemp("stops")
    # two months only, so that a month rewritten for its changed documents holds unchanged ones
    rows = [{**r, "published": f"2025-0{4 + i % 2}-{i % 28 + 1:02d}"}
            for i, r in enumerate(records(archive(folder / "all.jsonl", 16)))]
    later = [{**r, "text": r["text"] + "\n\nA line added later."} if i % 4 == 0 else r
             for i, r in enumerate(rows[2:])]
    paths = {"first": write_records(folder / "first.jsonl", rows[:12]),
             "later": write_records(folder / "later.jsonl", later)}
    for name, source in list(paths.items()):
        run(source, folder / f"fresh-{name}")
        paths[f"fresh-{name}"] = folder / f"fresh-{name}"
    return paths


@pytest.mark.parametrize("point", POINTS)
def test_a_run_stopped_dead_at_any_point_is_repaired_by_the_next(story: dict[str, Path], tmp_path: Path,
                                                                 point: str, capsys) -> None:
    """A first run, then a later one, each stopped at the point and run again. The later case
    once emptied a corpus: stopped after its ledger was written but before the manifest named its
    files, a run left a ledger saying every document was done over tables that had lost the
    run's rows, and no later run put them back."""
    out = tmp_path / "corpus"
    stopped_at(point, story["first"], out)
    run(story["first"], out)
    assert_same_tables(out, story["fresh-first"])
    stopped_at(point, story["later"], out)
    # until the run commits, its folder cannot be reported on: one line saying how to repair it
    committed = POINTS.index(point) >= POINTS.index("committed")
    assert main(["corpus", "report", str(out), "--actors", "pakistan,china"]) == (0 if committed else 2)
    err = capsys.readouterr().err
    assert committed or err.startswith(f"error: {out}: the last extraction into this folder did not finish")
    run(story["later"], out)
    assert_same_tables(out, story["fresh-later"])
    assert len(tables(out)["sources"]) == len(records(story["later"]))


def test_a_second_run_into_the_same_folder_is_refused_while_the_first_runs(story: dict[str, Path],
                                                                          tmp_path: Path) -> None:
    import fcntl

    out = tmp_path / "corpus"
    run(story["first"], out)
    with open(out / ".lock", "a") as held:  # as a run in another process holds it
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(InputError, match="another corpus run is writing to this folder"):
            run(story["later"], out)
    assert_same_tables(out, story["fresh-first"])  # the refused run changed nothing
    run(story["later"], out)  # and once the first is done, the folder is free again
    assert_same_tables(out, story["fresh-later"])


@pytest.mark.parametrize("point", ["merged", "ledger written"])
def test_a_run_stopped_after_rewriting_months_then_an_archive_changed_back_loses_nothing(
        story: dict[str, Path], tmp_path: Path, point: str) -> None:
    """A run stopped once it had rewritten the months of its changed and removed documents, then
    the archive as it was before: those documents are unchanged for the ledger, whose run never
    committed, so their rows must still be the ones of the last committed run. Rewriting a month
    in place once lost them (the README's old "Known limit")."""
    out = tmp_path / "corpus"
    run(story["first"], out)
    stopped_at(point, story["later"], out)
    run(story["first"], out)
    assert_same_tables(out, story["fresh-first"])
