"""The corpus path: the same facts per document however they are run, re-runs that extract only
what changed, and bad documents that end in the errors table while the rest is extracted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.cli import main
from analysis.corpus import extract as corpus_extract
from analysis.corpus.engines import InProcess, OnDask
from analysis.corpus.extract import PARTITIONED
from analysis.corpus.run import extract_corpus
from analysis.corpus.synthetic import synthetic_records, templates, write_corpus
from analysis.errors import InputError
from analysis.facts.extract import facts_of, facts_of_each
from analysis.facts.mentions import MentionFinder
from tests.factories import ROOT, project_knowledge

KNOWLEDGE = ROOT / "analysis" / "knowledge"
pytestmark = pytest.mark.long_chain  # one dask cluster for the module, and many small runs


def tables(folder: Path) -> dict[str, pd.DataFrame]:
    """Every partitioned table of a corpus folder, month included, sorted by every column."""
    out = {}
    for table in PARTITIONED:
        files = sorted(str(p) for p in (folder / table).glob("month=*/*.parquet"))
        out[table] = duckdb.sql(f"SELECT * FROM read_parquet({files}, hive_partitioning = true) "
                                "ORDER BY ALL").df() if files else pd.DataFrame()
    out["errors"] = pq.read_table(folder / "errors.parquet").to_pandas().sort_values(["id", "where"],
                                                                                      ignore_index=True)
    return out


def assert_same_tables(a: Path, b: Path) -> None:
    left, right = tables(a), tables(b)
    assert left.keys() == right.keys()
    for name in left:
        pd.testing.assert_frame_equal(left[name], right[name], obj=name)


def archive(path: Path, count: int, seed: int = 7) -> Path:
    write_corpus(synthetic_records(count, seed), path)
    return path


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_records(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_batch_gives_each_document_the_facts_it_has_alone() -> None:
    knowledge = project_knowledge()
    finder = MentionFinder(knowledge.gazetteer)
    sources = templates()
    batch = facts_of_each(sources, knowledge, finder)
    each_alone = [facts_of(s, knowledge, finder) for s in sources]
    checked = 0
    for name, frame in batch.items():
        alone = pd.concat([tables[name] for tables in each_alone], ignore_index=True)
        pd.testing.assert_frame_equal(frame.reset_index(drop=True), alone, check_dtype=False, obj=name)
        checked += len(frame)
    assert checked > 500
    assert batch["mentions"].groupby("source_id").mention_id.first().eq("M0001").all()


@pytest.fixture(scope="module")
def local_dask():
    """The engine's own local cluster (its scheduler in a process of its own, two workers),
    started once for the module: starting a cluster costs seconds of both cores."""
    with OnDask(workers=2) as engine:
        yield engine


@pytest.fixture(scope="module")
def cluster(local_dask):
    """A running cluster that the tests reach by its scheduler's address, as any other."""
    from types import SimpleNamespace

    return SimpleNamespace(scheduler_address=local_dask.client.scheduler.address)


def test_inprocess_and_dask_write_identical_tables(tmp_path: Path, cluster) -> None:
    source = archive(tmp_path / "archive.jsonl", 40)
    here = extract_corpus(source, tmp_path / "inprocess", InProcess(), KNOWLEDGE, batch_size=6)
    with OnDask(cluster.scheduler_address) as engine:
        engine.client.wait_for_workers(2, timeout=60)  # two workers share the batches
        workers = engine.client.scheduler_info()["workers"]
        there = extract_corpus(source, tmp_path / "dask", engine, KNOWLEDGE, batch_size=6)
    assert len(workers) == 2
    assert here.extracted == there.extracted == 40
    assert_same_tables(tmp_path / "inprocess", tmp_path / "dask")
    assert len(tables(tmp_path / "dask")["mentions"]) > 100


def test_the_merge_writes_the_same_tables_sorting_in_memory_or_in_two_passes(tmp_path: Path,
                                                                             monkeypatch) -> None:
    """Small merges sort in memory, large ones in two bounded passes: the same rows either way,
    for a first run and for a re-run that rewrites months."""
    from analysis.corpus import store

    rows = records(archive(tmp_path / "a.jsonl", 30))
    changed = [{**r, "text": r["text"] + "\n\nA line added later."} if i % 7 == 0 else r
               for i, r in enumerate(rows)]
    for way, few_bytes in (("memory", store.FEW_BYTES), ("passes", 0)):
        monkeypatch.setattr(store, "FEW_BYTES", few_bytes)
        for rows_now, name in ((rows[:24], "first.jsonl"), (changed, "then.jsonl")):
            extract_corpus(write_records(tmp_path / name, rows_now), tmp_path / way, InProcess(), KNOWLEDGE)
    assert_same_tables(tmp_path / "memory", tmp_path / "passes")
    assert len(tables(tmp_path / "passes")["mentions"]) > 100


def test_a_large_merge_stays_within_duckdbs_memory_limit_on_article_size_rows(tmp_path: Path) -> None:
    """Texts of 24,000 articles (about 100 MB) split and sorted into twelve months by a DuckDB
    allowed 48 MB: its own partitioned COPY ran out of memory on such rows at 300,000 documents."""
    from analysis.corpus import store
    from analysis.paths import CorpusFolder

    duckdb.sql(f"""COPY (SELECT 'doc-' || lpad(i::VARCHAR, 6, '0') AS source_id, 'header' AS header,
                          repeat('Words of an article of ordinary length. ', 110) || i::VARCHAR AS text,
                          '2025-' || lpad((i % 12 + 1)::VARCHAR, 2, '0') AS month
                   FROM range(24000) r(i) ORDER BY hash(i))
                   TO '{tmp_path / "parts.parquet"}' (ROW_GROUP_SIZE 200)""")  # a batch's part per group
    folder = CorpusFolder(tmp_path / "corpus")
    pq.write_table(pa.table({"source_id": pa.array([], pa.string())}), tmp_path / "stale.parquet")
    databases = store.MergeDatabases(folder.scratch, None, str(tmp_path / "stale.parquet"), "48MB")
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    parts = str(tmp_path / "parts.parquet")
    staging = store._write(databases.open(), databases, folder.scratch, "documents",
                           f"SELECT * FROM '{parts}'", "source_id", "m.parquet", months,
                           size=store._size([parts]))
    written = duckdb.sql(f"SELECT source_id, month FROM read_parquet('{staging}/*/*.parquet', "
                         "hive_partitioning = true, filename = true)").df()
    assert len(written) == written.source_id.nunique() == 24000
    assert (written.source_id.str[4:].astype(int) % 12 + 1 == written.month.str[5:].astype(int)).all()
    assert written.groupby("month").source_id.apply(lambda ids: ids.is_monotonic_increasing).all()


def test_the_first_pass_of_a_large_merge_writes_few_row_groups_per_month(tmp_path: Path,
                                                                        monkeypatch) -> None:
    """A Parquet writer keeps every row group's metadata until it closes: one row group per batch
    and month (at 1,000,000 documents, 322 batches by 30 months of the events table) held 150 MB
    of it in a merging worker. Rows are held by month and written in larger groups, whole."""
    from analysis.corpus import store

    duckdb.sql(f"""COPY (SELECT 'doc-' || lpad(i::VARCHAR, 5, '0') AS source_id,
                          repeat('Words of a short article. ', 80) || i::VARCHAR AS text,
                          '2025-' || lpad((i % 12 + 1)::VARCHAR, 2, '0') AS month
                   FROM range(6000) r(i) ORDER BY hash(i))
                   TO '{tmp_path / "parts.parquet"}'""")
    monkeypatch.setattr(store, "SPLIT_HELD_BYTES", 2 * 2**20)
    batches = 6000 // 100
    split = tmp_path / "split"
    store._split(store.connect(), f"SELECT * FROM '{tmp_path / 'parts.parquet'}'", split, batch_rows=100)
    files = sorted(split.glob("month=*/*.parquet"))
    assert len(files) == 12
    assert all(pq.ParquetFile(f).metadata.num_row_groups <= batches // 4 for f in files)
    written = duckdb.sql(f"SELECT source_id, text, month FROM read_parquet('{split}/*/*.parquet', "
                         "hive_partitioning = true) ORDER BY source_id").df()
    expected = duckdb.sql(f"SELECT * FROM '{tmp_path / 'parts.parquet'}' ORDER BY source_id").df()
    pd.testing.assert_frame_equal(written, expected)


def test_a_month_fed_by_many_runs_is_merged_before_it_fills_with_files(tmp_path: Path,
                                                                       monkeypatch) -> None:
    from analysis.corpus import store

    monkeypatch.setattr(store, "MONTH_FILES", 3)
    rows = [{**r, "published": f"2025-03-{i + 1:02d}"}  # every document in one month
            for i, r in enumerate(records(archive(tmp_path / "a.jsonl", 12)))]
    out = tmp_path / "out"
    counts = []
    for size in range(6, 13):  # a first run of six documents, then one more document per run
        extract_corpus(write_records(tmp_path / "now.jsonl", rows[:size]), out, InProcess(), KNOWLEDGE)
        counts.append(len(list((out / "sources" / "month=2025-03").glob("*.parquet"))))
    assert max(counts) == 3 and 1 in counts[1:]  # it grew to the limit, then was merged
    extract_corpus(tmp_path / "now.jsonl", tmp_path / "fresh", InProcess(), KNOWLEDGE)
    assert_same_tables(out, tmp_path / "fresh")


def test_a_warc_on_dask_writes_the_tables_it_writes_in_process(tmp_path: Path, cluster) -> None:
    """The pages become articles on the workers (the documents carry the pages' bytes)."""
    from tests.web_archives import page_records, write_warc

    source = write_warc(tmp_path / "crawl.warc.gz", page_records())
    extract_corpus(source, tmp_path / "inprocess", InProcess(), KNOWLEDGE, batch_size=3)
    with OnDask(cluster.scheduler_address) as engine:
        there = extract_corpus(source, tmp_path / "dask", engine, KNOWLEDGE, batch_size=3)
    assert there.extracted == 8 and there.errors == 2
    assert_same_tables(tmp_path / "inprocess", tmp_path / "dask")


def test_a_merge_cut_off_and_started_again_writes_the_tables_of_a_fresh_run(tmp_path: Path,
                                                                           monkeypatch) -> None:
    """Dask runs a task again when its worker dies: a table's merge cut off after it wrote its
    months and started again gives the same tables (it once added the run's rows twice, then
    stopped the run instead)."""
    from analysis.corpus import store

    class WorkerDied(Exception):
        pass

    class Rescheduling(InProcess):  # as dask does when a task's worker dies
        threads = 2  # so each table's merge is a call of its own, as on dask

        def each(self, function, calls):
            results = []
            for arguments in calls:
                try:
                    results.append(function(*arguments))
                except WorkerDied:
                    results.append(function(*arguments))
            return results

    died = []

    def dies_after_mentions(con, databases, merge, table):
        replaced = merge_table(con, databases, merge, table)
        if table == "mentions" and not died:
            died.append(table)
            raise WorkerDied
        return replaced

    rows = records(archive(tmp_path / "all.jsonl", 30))
    changed = [{**r, "text": r["text"] + "\n\nA line added later."} if i % 5 == 0 else r
               for i, r in enumerate(rows)]
    before = write_records(tmp_path / "before.jsonl", rows[:24])
    extract_corpus(before, tmp_path / "out", InProcess(), KNOWLEDGE)
    after = write_records(tmp_path / "after.jsonl", changed)
    merge_table = store._merge_table
    monkeypatch.setattr(store, "_merge_table", dies_after_mentions)
    extract_corpus(after, tmp_path / "out", Rescheduling(), KNOWLEDGE)
    assert died == ["mentions"]
    extract_corpus(after, tmp_path / "fresh", InProcess(), KNOWLEDGE)
    assert_same_tables(tmp_path / "out", tmp_path / "fresh")


def test_a_cluster_whose_workers_cannot_see_the_output_folder_stops_first(tmp_path: Path) -> None:
    class Workers:  # a cluster where one of two workers runs on a machine without the folder
        def run(self, function, path):
            return {"tcp://10.0.0.1:1": function(path), "tcp://10.0.0.2:1": False}

    engine = OnDask("tcp://10.0.0.1:8786")
    engine.client = Workers()
    with pytest.raises(InputError, match=r"worker\(s\) tcp://10.0.0.2:1 cannot see this folder"):
        extract_corpus(archive(tmp_path / "a.jsonl", 3), tmp_path / "out", engine, KNOWLEDGE)
    assert list((tmp_path / "out").iterdir()) == []  # nothing written, not even the probe


def test_workers_running_other_extraction_code_are_refused() -> None:
    class Workers:  # one worker has another commit installed
        def run(self, function):
            return {"tcp://10.0.0.1:1": function(), "tcp://10.0.0.2:1": "0123456789abcdef"}

        def close(self):
            self.closed = True

    engine = OnDask("tcp://10.0.0.1:8786")
    engine.client = client = Workers()
    with pytest.raises(InputError, match=r"worker\(s\) tcp://10.0.0.2:1 run other extraction code"):
        engine._check_workers()
    assert client.closed and engine.client is None


def test_the_local_cluster_keeps_its_scheduler_out_of_the_driver(tmp_path: Path, local_dask) -> None:
    """The default dask engine: the scheduler in a process of its own (a scheduler inside the
    driver held every task it saw) that imported the tasks' code as it started, workers without
    the profiler and with dask's periodic checks slowed down, the same tables as in-process, and
    no batch file left behind."""
    import os
    import sys

    import dask

    source = archive(tmp_path / "archive.jsonl", 24)
    extract_corpus(source, tmp_path / "inprocess", InProcess(), KNOWLEDGE, batch_size=5)
    client = local_dask.client  # the module's cluster, as `OnDask(workers=2)` starts it
    preloaded = client.run_on_scheduler(
        lambda: {"analysis.corpus.extract", "analysis.corpus.store"} <= set(sys.modules))
    extract_corpus(source, tmp_path / "dask", local_dask, KNOWLEDGE, batch_size=5)
    scheduler_pid = client.run_on_scheduler(os.getpid)
    settings = client.run(lambda: (dask.config.get("distributed.worker.profile.enabled"),
                                   dask.config.get("distributed.admin.tick.interval")))
    assert scheduler_pid != os.getpid()
    assert preloaded
    assert list(settings.values()) == [(False, "1s"), (False, "1s")]
    assert_same_tables(tmp_path / "inprocess", tmp_path / "dask")
    assert not list((tmp_path / "dask").rglob("*.pickle"))


def test_the_dask_engine_runs_each_call_on_the_workers_and_raises_the_first_failure(
        tmp_path: Path, cluster) -> None:
    """The merge's calls go to the workers (side by side), and a failing call is raised only once
    the others have ended, so none is cut off half-way through writing its table."""
    import os

    def note_pid(name: str, fail: bool) -> None:
        import os
        import time

        if fail:
            raise ValueError(f"call {name} failed")
        time.sleep(0.5)
        (tmp_path / name).write_text(str(os.getpid()))

    with OnDask(cluster.scheduler_address) as engine:
        engine.each(note_pid, [("a", False), ("b", False)])
        with pytest.raises(ValueError, match="call c failed"):
            engine.each(note_pid, [("c", True), ("d", False), ("e", False)])
    pids = {(tmp_path / name).read_text() for name in "abde"}
    assert str(os.getpid()) not in pids and len(pids) == 2  # both workers, neither the driver


def test_an_unreachable_scheduler_stops_with_one_line(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(OnDask, "connect_timeout", "1s")
    source = archive(tmp_path / "archive.jsonl", 3)
    code = main(["corpus", "extract", str(source), "--out", str(tmp_path / "out"), "--engine", "dask",
                 "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert err[0].startswith("error: --scheduler: no dask scheduler answers at tcp://127.0.0.1:9")


def test_a_batch_lost_on_a_worker_becomes_error_rows_and_the_run_goes_on(tmp_path: Path, cluster,
                                                                         monkeypatch) -> None:
    import pickle
    from types import SimpleNamespace

    from analysis.corpus import engines

    def dump(documents, handle, protocol):  # the second batch's file arrives damaged
        damaged = isinstance(documents, list) and documents[0].doc_id == second
        handle.write(b"not a pickle" if damaged else pickle.dumps(documents))

    source = archive(tmp_path / "archive.jsonl", 12)
    second = records(source)[4]["id"]
    monkeypatch.setattr(engines, "pickle", SimpleNamespace(dump=dump, load=pickle.load, HIGHEST_PROTOCOL=5))
    with OnDask(cluster.scheduler_address) as engine:
        summary = extract_corpus(source, tmp_path / "out", engine, KNOWLEDGE, batch_size=4)
    errors = tables(tmp_path / "out")["errors"]
    assert summary.extracted == 12 and summary.errors == 4
    assert sorted(errors.id) == sorted(r["id"] for r in records(source)[4:8])
    assert errors.error.str.startswith("batch b0000001 failed: UnpicklingError").all()
    assert tables(tmp_path / "out")["sources"].source_id.nunique() == 8
    # not the documents' fault: the next run tries them again
    monkeypatch.undo()
    again = extract_corpus(source, tmp_path / "out", InProcess(), KNOWLEDGE, batch_size=4)
    assert (again.extracted, again.unchanged, again.errors) == (4, 8, 0)
    extract_corpus(source, tmp_path / "fresh", InProcess(), KNOWLEDGE)
    assert_same_tables(tmp_path / "out", tmp_path / "fresh")


def test_tables_are_partitioned_by_publication_month(tmp_path: Path) -> None:
    source = archive(tmp_path / "archive.jsonl", 25)
    extract_corpus(source, tmp_path / "out", InProcess(), KNOWLEDGE, batch_size=10)
    months = {r["published"][:7] for r in records(source)}
    assert {p.name for p in (tmp_path / "out" / "sources").iterdir()} == {f"month={m}" for m in months}
    sources = tables(tmp_path / "out")["sources"]
    assert (sources.published.astype(str).str[:7] == sources.month).all()
    assert "month" not in pq.read_schema(next((tmp_path / "out" / "mentions").glob("*/*.parquet"))).names


def test_a_rerun_extracts_only_new_and_changed_documents_and_matches_a_fresh_run(tmp_path: Path) -> None:
    rows = records(archive(tmp_path / "all.jsonl", 36))
    first, later = rows[:30], rows[30:]
    before = write_records(tmp_path / "before.jsonl", first)
    extract_corpus(before, tmp_path / "out", InProcess(), KNOWLEDGE, batch_size=8)
    changed = dict(first[4], text=first[4]["text"] + "\nSUPARCO said on Friday that 12 candidates remain.\n")
    after_rows = [*first[:4], changed, *first[5:29], *later]  # one changed, one gone, six new
    after = write_records(tmp_path / "after.jsonl", after_rows)
    rerun = extract_corpus(after, tmp_path / "out", InProcess(), KNOWLEDGE, batch_size=8)
    assert (rerun.extracted, rerun.unchanged, rerun.removed, rerun.full) == (7, 28, 1, False)
    extract_corpus(after, tmp_path / "fresh", InProcess(), KNOWLEDGE, batch_size=8)
    assert_same_tables(tmp_path / "out", tmp_path / "fresh")
    sources = tables(tmp_path / "out")["sources"]
    assert sources.source_id.is_unique and first[29]["id"] not in set(sources.source_id)
    again = extract_corpus(after, tmp_path / "out", InProcess(), KNOWLEDGE, batch_size=8)
    assert (again.extracted, again.unchanged) == (0, 35)


def test_changed_knowledge_extracts_everything_again(tmp_path: Path) -> None:
    knowledge = shutil.copytree(KNOWLEDGE, tmp_path / "knowledge")
    source = archive(tmp_path / "archive.jsonl", 12)
    extract_corpus(source, tmp_path / "out", InProcess(), knowledge)
    assert extract_corpus(source, tmp_path / "out", InProcess(), knowledge).extracted == 0
    with (knowledge / "entities.yaml").open("a", encoding="utf-8") as entities:
        entities.write("\n# a curator's note\n")
    rerun = extract_corpus(source, tmp_path / "out", InProcess(), knowledge)
    assert rerun.full and rerun.extracted == 12 and rerun.unchanged == 0


def good_article(body: str = "Pakistan and China signed an agreement on Tiangong in February.") -> bytes:
    return f" date 2025-03-04 By A Writer, Test Wire\n\n{body}\n".encode()


def test_bad_documents_go_to_the_errors_table_and_the_rest_is_extracted(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good1.txt").write_bytes(good_article())
    (folder / "good2.txt").write_bytes(good_article("SUPARCO said 12 candidates remain."))
    latin1 = good_article("Café talk about Tiangong.").replace("é".encode(), b"\xe9")
    (folder / "latin1.txt").write_bytes(latin1)
    (folder / "no_text.txt").write_bytes(b" date 2025-03-04 By A Writer, Test Wire\n\n")
    (folder / "no_header.txt").write_bytes(b"Pakistan and China met.\n")
    (folder / "folder.txt").mkdir()
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    summary = extract_corpus(folder, tmp_path / "out", InProcess(), KNOWLEDGE)
    out = tables(tmp_path / "out")
    assert sorted(out["sources"].source_id) == ["good1", "good2"]
    errors = dict(zip(out["errors"].id, out["errors"].error, strict=True))
    assert sorted(errors) == ["folder", "gone", "latin1", "no_header", "no_text"]
    assert "UTF-8" in errors["latin1"] and "no text" in errors["no_text"]
    assert "header" in errors["no_header"] and "regular file" in errors["folder"]
    assert "unreadable" in errors["gone"]
    assert all("\n" not in e for e in errors.values())
    assert summary.errors == 5


def test_a_record_nested_thousands_deep_is_one_error_row_and_the_run_goes_on(tmp_path: Path) -> None:
    """json.loads on a line of 100,000 nested arrays raised RecursionError and ended the run."""
    good = {"id": "a1", "published": "2025-03-04", "outlet": "Test Wire", "authors": ["A Writer"],
            "text": "Pakistan and China signed an agreement on Tiangong in February."}
    source = tmp_path / "export.jsonl"
    source.write_text(json.dumps(good) + "\n" + "[" * 100_000 + "]" * 100_000 + "\n"
                      + json.dumps(dict(good, id="b2")) + "\n", encoding="utf-8")
    summary = extract_corpus(source, tmp_path / "out", InProcess(), KNOWLEDGE)
    out = tables(tmp_path / "out")
    assert summary.errors == 1 and sorted(out["sources"].source_id) == ["a1", "b2"]
    assert out["errors"].to_dict("records") == [
        {"id": "export.jsonl:2", "where": "export.jsonl:2", "error": "not a JSON object (nested too deep)"}]


def test_bad_records_of_an_export_go_to_the_errors_table(tmp_path: Path) -> None:
    good = {"id": "a1", "published": "2025-03-04", "outlet": "Test Wire", "authors": ["A Writer"],
            "text": "Pakistan and China signed an agreement on Tiangong in February."}
    lines = [json.dumps(good), json.dumps(dict(good, text="Another one about SUPARCO.")),  # duplicate id
             json.dumps(dict(good, id="empty", text="   ")),
             json.dumps(dict(good, id="late", published="someday")),
             json.dumps(dict(good, id="../escape")),
             "{not json",
             json.dumps(dict(good, id="b2"))]
    raw = ("\n".join(lines) + "\n").encode()
    latin1 = json.dumps(dict(good, id="bytes", text="Caf\u00e9")).encode().replace(b"Caf\\u00e9", b"Caf\xe9")
    raw += latin1 + b"\n"
    source = tmp_path / "export.jsonl"
    source.write_bytes(raw)
    extract_corpus(source, tmp_path / "out", InProcess(), KNOWLEDGE)
    out = tables(tmp_path / "out")
    assert sorted(out["sources"].source_id) == ["a1", "b2"]
    errors = out["errors"]
    by_id = errors.groupby("id").error.apply(list).to_dict()
    assert set(by_id) == {"a1", "empty", "late", "../escape", "export.jsonl:6", "bytes"}
    assert "duplicate id" in by_id["a1"][0] and "export.jsonl:1" in by_id["a1"][0]
    assert "no text" in by_id["empty"][0] and "not a date" in by_id["late"][0]
    assert "UTF-8" in by_id["bytes"][0] and "JSON" in by_id["export.jsonl:6"][0]
    assert errors.loc[errors.id == "a1", "where"].tolist() == ["export.jsonl:2"]


def test_a_failing_document_does_not_stop_its_batch(tmp_path: Path, monkeypatch) -> None:
    rows = records(archive(tmp_path / "archive.jsonl", 10))
    victim = rows[3]["id"]
    real_each, real_one = corpus_extract.facts_of_each, corpus_extract.facts_of

    def each(sources, *args):
        if any(s.source_id == victim for s in sources):
            raise RuntimeError("boom")
        return real_each(sources, *args)

    def one(source, *args):
        if source.source_id == victim:
            raise RuntimeError("boom\nsecond line")
        return real_one(source, *args)

    monkeypatch.setattr(corpus_extract, "facts_of_each", each)
    monkeypatch.setattr(corpus_extract, "facts_of", one)
    extract_corpus(tmp_path / "archive.jsonl", tmp_path / "out", InProcess(), KNOWLEDGE, batch_size=5)
    out = tables(tmp_path / "out")
    assert len(out["sources"]) == 9 and victim not in set(out["sources"].source_id)
    assert out["errors"].error.tolist() == ["extraction failed: RuntimeError: boom"]


def test_whole_run_problems_stop_with_one_line_and_code_2(tmp_path: Path, capsys) -> None:
    out = str(tmp_path / "out")
    parquet = tmp_path / "export.parquet"
    no_authors = {"id": ["a"], "published": ["2025-01-01"], "outlet": ["X"], "text": ["t"]}
    pq.write_table(pa.table(no_authors), parquet)
    jsonl = write_records(tmp_path / "export.jsonl", [{"id": "a", "published": "2025-01-01", "text": "t"}])
    not_parquet = tmp_path / "broken.parquet"
    not_parquet.write_text("hello")
    cases = {parquet: "missing column(s) authors", jsonl: "missing column(s) outlet, authors",
             not_parquet: "not a readable Parquet file", tmp_path / "absent.jsonl": "no such file",
             tmp_path / "export.csv": "unknown input format"}
    (tmp_path / "export.csv").write_text("id\n")
    for path, problem in cases.items():
        assert main(["corpus", "extract", str(path), "--out", out]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and problem in err and err.count("\n") == 1, err
    assert not (tmp_path / "out" / "corpus.json").exists()


def test_the_command_extracts_and_says_what_it_did(tmp_path: Path, capsys) -> None:
    source = archive(tmp_path / "archive.parquet", 15)
    assert main(["corpus", "extract", str(source), "--out", str(tmp_path / "out"), "--batch-size", "4"]) == 0
    first = capsys.readouterr().out
    assert "15 documents: 15 extracted" in first
    assert main(["corpus", "extract", str(source), "--out", str(tmp_path / "out")]) == 0
    assert "0 extracted" in capsys.readouterr().out
    manifest = json.loads((tmp_path / "out" / "corpus.json").read_text())
    assert manifest["last_run"]["unchanged"] == 15


def test_new_documents_add_files_and_an_interrupted_run_leaves_no_duplicates(tmp_path: Path) -> None:
    rows = records(archive(tmp_path / "all.jsonl", 30))
    before = write_records(tmp_path / "before.jsonl", rows[:24])
    extract_corpus(before, tmp_path / "out", InProcess(), KNOWLEDGE, batch_size=8)
    untouched = {p: p.stat().st_mtime_ns for p in (tmp_path / "out" / "mentions").glob("*/*.parquet")}
    first = set((tmp_path / "out" / "sources").glob("*/*.parquet"))
    after = write_records(tmp_path / "after.jsonl", rows)  # six new documents, nothing changed
    assert extract_corpus(after, tmp_path / "out", InProcess(), KNOWLEDGE).extracted == 6
    added = set((tmp_path / "out" / "sources").glob("*/*.parquet")) - first
    assert untouched and added and all(p.stat().st_mtime_ns == t for p, t in untouched.items())
    # an interrupted run: a file it added, and the manifest still saying it runs
    month = next((tmp_path / "out" / "mentions").glob("month=*"))
    shutil.copy(next(month.glob("*.parquet")), month / "run-0123456789ab-0.parquet")
    manifest = tmp_path / "out" / "corpus.json"
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "running": "0123456789ab"}))
    extract_corpus(after, tmp_path / "out", InProcess(), KNOWLEDGE)
    extract_corpus(after, tmp_path / "fresh", InProcess(), KNOWLEDGE)
    assert_same_tables(tmp_path / "out", tmp_path / "fresh")
    assert "running" not in json.loads(manifest.read_text())


def test_a_folder_of_an_earlier_layout_is_refused_by_report_and_extracted_anew(tmp_path: Path,
                                                                               capsys) -> None:
    """Month files are now named after their run and only those the manifest names are read: a
    folder written before (its files named part0) would have read as empty."""
    source = archive(tmp_path / "archive.jsonl", 6)
    extract_corpus(source, tmp_path / "out", InProcess(), KNOWLEDGE)
    manifest = tmp_path / "out" / "corpus.json"
    old = {k: v for k, v in json.loads(manifest.read_text()).items() if k not in ("layout", "replaced")}
    manifest.write_text(json.dumps(old))
    for month in (tmp_path / "out").glob("*/month=*"):
        for path in month.glob("*.parquet"):
            path.rename(month / "part0.parquet")
    assert main(["corpus", "report", str(tmp_path / "out"), "--actors", "pakistan,china"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "was extracted by an earlier version of this project" in err[0], err
    assert extract_corpus(source, tmp_path / "out", InProcess(), KNOWLEDGE).full
    extract_corpus(source, tmp_path / "fresh", InProcess(), KNOWLEDGE)
    assert_same_tables(tmp_path / "out", tmp_path / "fresh")
    assert not list((tmp_path / "out").rglob("part0.parquet"))
