"""One extraction run, from an archive to a corpus folder.

Stream the archive, skip what the ledger says is done, batch the rest through an engine, merge
the parts into the month partitions, record the ledger.

The driver holds the documents read ahead (a thousand), the batches in flight and a DuckDB
database of the bookkeeping (``ledger.RunBook``, bounded and spilled to disk); facts only pass
through the workers and the part files.
"""

from __future__ import annotations

import fcntl
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import InputError
from ..paths import CorpusFolder, ProjectPaths
from ..stops import reached
from .archive import Archive, Document
from .engines import Batch, Engine, InProcess
from .extract import CorpusKnowledge
from .ledger import Ledger, RunBook
from .store import RunMerge, merge_plan, merge_tables, remove_month_files, run_of, write_table


@dataclass
class Summary:
    """What a run did, for the command's last lines and the manifest."""

    documents: int = 0  # distinct ids read
    extracted: int = 0  # sent to the engine this run
    unchanged: int = 0  # skipped: same hash, same knowledge
    removed: int = 0  # in the last run, gone from the archive now
    errors: int = 0  # rows of the errors table
    full: bool = True  # everything extracted (first run, or the knowledge changed)
    seconds: float = 0.0
    extracting: float = 0.0  # of which reading and extracting (the engine's share; the rest is the merge)


READ_AHEAD = 1000  # documents read and checked against the ledger at a time
LOCK = ".lock"


def extract_corpus(source: Path | Archive, out: Path, engine: Engine, knowledge_folder: Path, *,
                   batch_size: int = 200, progress: Callable[[int], None] | None = None) -> Summary:
    """Extract ``source`` (an :class:`Archive`, or its path) into the corpus folder ``out``."""
    started = time.perf_counter()
    if batch_size < 1:
        raise InputError(out, f"batch size {batch_size} must be at least 1", fix="give 1 or more")
    archive = source if isinstance(source, Archive) else Archive(source)  # checked once (a WARC: whole)
    if out.exists() and not out.is_dir():
        raise InputError(out, "is a file, not a folder", fix="give a folder for the corpus tables")
    folder = CorpusFolder(out.resolve())
    folder.root.mkdir(parents=True, exist_ok=True)
    engine.check_output(folder.root)  # before anything is written there, even the lock
    with _only_run(folder):
        return _extract(archive, folder, engine, knowledge_folder, batch_size, progress, started)


@contextmanager
def _only_run(folder: CorpusFolder) -> Iterator[None]:
    """One run at a time per corpus folder: two at once each wrote every table's rows (a lock
    file held for the run; the system releases it when the process ends, however it ends)."""
    with open(folder.root / LOCK, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(folder.root, "another corpus run is writing to this folder",
                             fix="wait for it to finish, or give another --out") from None
        yield


def _extract(archive: Archive, folder: CorpusFolder, engine: Engine, knowledge_folder: Path,
             batch_size: int, progress: Callable[[int], None] | None, started: float) -> Summary:
    knowledge = CorpusKnowledge.load(knowledge_folder)
    ledger = Ledger.load(folder)
    summary = Summary(full=ledger.version != knowledge.version)
    if summary.full:  # another gazetteer or extractor (or folder layout): nothing of the last run stands
        for path in [*folder.root.glob("*/month=*"), *folder.root.glob("*/.set-aside-month=*"),
                     *folder.ledgers(), folder.manifest]:
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
        ledger = Ledger(knowledge.version)
    _drop_uncommitted(folder, ledger)
    run_id = uuid.uuid4().hex[:12]
    ledger.mark_running(folder, run_id)
    reached("marked running")
    book = RunBook(folder, ledger.entries)
    try:
        def batches() -> Iterator[Batch]:
            number, batch = 0, []
            for chunk in _chunks(archive.documents(), READ_AHEAD):
                wanted, unchanged = book.admit(chunk)
                summary.unchanged += unchanged
                for doc in wanted:
                    batch.append(doc)
                    if len(batch) == batch_size:
                        yield f"b{number:07d}", batch
                        number, batch = number + 1, []
            if batch:
                yield f"b{number:07d}", batch

        for done in engine.run(batches(), knowledge, str(folder.run_parts(run_id))):
            book.record(done)
            summary.extracted += len(done)
            if progress:
                progress(len(done))

        summary.extracting = time.perf_counter() - started
        reached("extracted")
        stale = folder.run_scratch(run_id) / "stale.parquet"
        stale.parent.mkdir(parents=True, exist_ok=True)
        stale_months, summary.removed = book.write_stale(stale)
        merge = RunMerge(str(folder.root), run_id, (*ledger.runs, run_id), str(stale),
                         tuple(sorted(stale_months)))
        replaced = sorted(path for paths in engine.each(merge_tables, merge_plan(merge, engine.threads > 1))
                          for path in paths)
        reached("merged")
        stale.unlink(missing_ok=True)
        _clear_working_files(folder)
        gone = set(replaced)
        runs = sorted({run_of(p) for p in folder.root.glob("*/month=*/run-*.parquet")
                       if run_of(p) in merge.committed and p.relative_to(folder.root).as_posix() not in gone})
        entries = folder.run_ledger(run_id)
        book.write_ledger(entries)
        reached("ledger written")
        errors = book.errors()
        write_table({name: errors.column(name).to_pylist() for name in ("id", "where", "error")}, "errors",
                    folder.errors)
        reached("errors written")
        summary.documents = book.count("seen")
        summary.errors = errors.num_rows
    finally:
        book.close()
    gazetteer = knowledge.knowledge.gazetteer.frame()
    write_table({c: gazetteer[c].tolist() for c in gazetteer.columns}, "entities", folder.entities)
    summary.seconds = time.perf_counter() - started
    Ledger(knowledge.version, runs, replaced=replaced).save_manifest(
        folder, {"last_run": {k: v for k, v in asdict(summary).items()
                              if k not in ("seconds", "extracting")}}, entries)
    reached("committed")
    remove_month_files(folder, replaced)
    for path in folder.ledgers():  # the previous run's, now replaced
        if path != entries:
            path.unlink()
    reached("cleaned")
    return summary


def _drop_uncommitted(folder: CorpusFolder, ledger: Ledger) -> None:
    """What a run stopped before its commit left (its month files, its ledger, its working
    files), and what the last committed run replaced but was stopped before removing."""
    uncommitted = [p.relative_to(folder.root).as_posix() for p in folder.root.glob("*/month=*/*.parquet")
                   if run_of(p) not in ledger.runs]
    remove_month_files(folder, [*ledger.replaced, *uncommitted])
    for path in folder.ledgers():
        if path != ledger.entries:
            path.unlink()
    _clear_working_files(folder)


def _clear_working_files(folder: CorpusFolder) -> None:
    """The batches, part files and merge scratch of a run: kept only while it runs."""
    for path in (folder.parts, folder.scratch):
        shutil.rmtree(path, ignore_errors=True)


def _chunks(documents: Iterator[Document], size: int) -> Iterator[list[Document]]:
    """The archive read ``size`` documents at a time: the driver's read-ahead."""
    chunk: list[Document] = []
    for doc in documents:
        chunk.append(doc)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract_sample(out: Path, paths: ProjectPaths | None = None) -> Path:
    """The repository's sample archive, extracted in this process into ``out``: the corpus
    notebook's default corpus, small enough to make on every run."""
    paths = paths or ProjectPaths.default()
    extract_corpus(paths.sample_corpus, out, InProcess(), paths.knowledge)
    return out
