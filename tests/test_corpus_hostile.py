"""Hostile documents in an archive (issue 27): each is extracted within one article's budget of
memory and time (``analysis/facts/budget.py``) or becomes one row of the errors table saying which
it exceeded, and the other documents of its batch are extracted."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from analysis.corpus import extract as corpus_extract
from analysis.corpus.engines import InProcess, OnDask
from analysis.corpus.run import extract_corpus
from analysis.corpus.synthetic import synthetic_records, write_corpus
from analysis.facts import budget
from tests.bad_input_corpus import hostile_articles
from tests.factories import ROOT

KNOWLEDGE = ROOT / "analysis" / "knowledge"
REASONS = ("memory exceeded: extracting it needed more than", "time exceeded: extracting it took more than")


def archive(folder: Path, ordinary: int, hostile: dict[str, str]) -> Path:
    """Synthetic articles (seed files) with the hostile ones among them."""
    write_corpus(synthetic_records(ordinary, 11), folder)
    for name, text in hostile.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def outcome(out: Path) -> tuple[set[str], dict[str, str]]:
    """The ids extracted, and the errors by id."""
    sources = set(duckdb.sql(f"SELECT source_id FROM read_parquet('{out}/sources/*/*.parquet')")
                  .df().source_id)
    errors = pq.read_table(out / "errors.parquet").to_pandas()
    return sources, dict(zip(errors.id, errors.error, strict=True))


def test_a_document_over_its_memory_or_time_is_one_error_row_and_its_batch_is_extracted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two stand-ins for shapes nobody foresaw: one that allocates without end, one that never
    ends. The watcher stops each, with the reason, and the batch's other documents go on."""
    folder = archive(tmp_path / "archive", 12, {})
    names = sorted(p.stem for p in folder.glob("*.txt"))
    greedy, endless = names[3], names[8]
    real_each, real_one = corpus_extract.facts_of_each, corpus_extract.facts_of

    def run_wild(sources) -> None:
        if any(s.source_id == greedy for s in sources):
            held = []
            while True:
                held.append(bytearray(8 * 1024 * 1024))
                held[-1][::4096] = b"x" * len(held[-1][::4096])  # touched: resident, not reserved only
        if any(s.source_id == endless for s in sources):
            while True:
                pass

    def each(sources, *args):
        run_wild(sources)
        return real_each(sources, *args)

    def one(source, *args):
        run_wild([source])
        return real_one(source, *args)

    monkeypatch.setattr(corpus_extract, "facts_of_each", each)
    monkeypatch.setattr(corpus_extract, "facts_of", one)
    monkeypatch.setenv(budget.MEMORY_ENV, "200")
    monkeypatch.setenv(budget.SECONDS_ENV, "2")
    started = time.perf_counter()
    summary = extract_corpus(folder, tmp_path / "out", InProcess(), KNOWLEDGE, batch_size=6)
    extracted, errors = outcome(tmp_path / "out")
    assert extracted == set(names) - {greedy, endless}
    assert errors == {greedy: "memory exceeded: extracting it needed more than 200 MB",
                      endless: "time exceeded: extracting it took more than 2 s"}
    assert summary.errors == 2
    assert time.perf_counter() - started < 60  # each batch stopped once, each document once


def test_hostile_articles_among_ordinary_ones_are_extracted_or_stopped_with_a_reason(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bad-input corpus's hostile articles (those under 120 KB: all of them among 1,000 is
    benchmarks/large_article.py --corpus) in an archive of ordinary ones, under a budget tight
    enough (1 s) that the costlier ones exceed it: every ordinary document is extracted, every
    hostile one extracted or stopped with its reason."""
    hostile = hostile_articles(ROOT, most_bytes=120_000)
    assert len(hostile) >= 9
    folder = archive(tmp_path / "archive", 60, hostile)
    monkeypatch.setenv(budget.MEMORY_ENV, "300")
    monkeypatch.setenv(budget.SECONDS_ENV, "1")
    summary = extract_corpus(folder, tmp_path / "out", InProcess(), KNOWLEDGE, batch_size=20)
    extracted, errors = outcome(tmp_path / "out")
    ordinary = {p.stem for p in folder.glob("*.txt")} - set(hostile)
    assert ordinary <= extracted
    assert extracted | set(errors) == ordinary | set(hostile)
    assert all(e.startswith(REASONS) for e in errors.values()), errors
    print(f"{len(hostile)} hostile articles: {len(errors)} stopped", errors)
    assert summary.documents == len(ordinary) + len(hostile)


def test_on_dask_a_document_over_its_memory_is_one_error_row(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The same on a dask worker: the budget is the worker's (its environment sets it), and the
    worker goes on with the next documents."""
    big = hostile_articles(ROOT)["hostile-article-repeated-to-5-mb"]
    folder = archive(tmp_path / "archive", 8, {"big": big})
    monkeypatch.setenv(budget.MEMORY_ENV, "60")  # an ordinary 5 MB article needs about 200 MB
    with OnDask(workers=1) as engine:
        summary = extract_corpus(folder, tmp_path / "out", engine, KNOWLEDGE, batch_size=4)
    extracted, errors = outcome(tmp_path / "out")
    assert errors == {"big": "memory exceeded: extracting it needed more than 60 MB"}
    assert len(extracted) == 8 and summary.errors == 1


def test_a_document_past_the_automatic_claims_cap_says_nothing_on_the_terminal(
        tmp_path: Path, capsys: pytest.CaptureFixture, recwarn: pytest.WarningsRecorder) -> None:
    """The cap's warning is for an analyst curating claims (check, the build); a corpus run printed
    it raw, with the machine's path, once per long document (on dask it went to the workers' logs)."""
    from analysis.cli import main
    from analysis.facts.claims import MAX_AUTOMATIC_CLAIMS
    from tests.test_corpus import write_records

    body = "".join(f"The agency said on {n % 28 + 1} March 2020 that {n} launches were due.\n\n"
                   for n in range(MAX_AUTOMATIC_CLAIMS + 5))
    source = write_records(tmp_path / "archive.jsonl", [
        {"id": "long", "published": "2025-04-24", "outlet": "Wire", "authors": ["Ann Bell"], "text": body}])
    assert main(["corpus", "extract", str(source), "--out", str(tmp_path / "out")]) == 0
    out, err = capsys.readouterr()
    assert "Warning" not in out + err and "automatic claims" not in out + err, out + err
    assert not [w for w in recwarn if "automatic claims" in str(w.message)]  # what a terminal would show
    files = f"{tmp_path}/out/claims/*/*.parquet"
    ((claims,),) = duckdb.sql(f"SELECT count(*) FROM read_parquet('{files}')").fetchall()
    assert claims == MAX_AUTOMATIC_CLAIMS
