"""One extraction run, from an archive to a corpus folder.

Stream the archive, skip what the ledger says is done, batch the rest through an engine, merge
the parts into the month partitions, record the ledger.

The driver holds one batch being read, the batches in flight, and the ledger (an id, a hash and
a month per document); facts only pass through the workers and the part files.
"""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import InputError
from ..paths import CorpusFolder, ProjectPaths
from .archive import Archive, Document
from .engines import Batch, Engine, InProcess
from .extract import CorpusKnowledge, Outcome
from .ledger import Entry, Ledger
from .store import merge, write_table


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


def extract_corpus(source: Path, out: Path, engine: Engine, knowledge_folder: Path, *,
                   batch_size: int = 200, progress: Callable[[int], None] | None = None) -> Summary:
    """Extract ``source`` (an :class:`Archive`) into the corpus folder ``out``."""
    started = time.perf_counter()
    if batch_size < 1:
        raise InputError(out, f"batch size {batch_size} must be at least 1", fix="give 1 or more")
    archive = Archive(source)
    if out.exists() and not out.is_dir():
        raise InputError(out, "is a file, not a folder", fix="give a folder for the corpus tables")
    folder = CorpusFolder(out.resolve())
    folder.root.mkdir(parents=True, exist_ok=True)
    knowledge = CorpusKnowledge.load(knowledge_folder)
    ledger = Ledger.load(folder)
    summary = Summary(full=ledger.version != knowledge.version)
    if summary.full:  # another gazetteer or extractor: nothing of the last run stands
        for path in [*folder.root.glob("*/month=*"), folder.ledger, folder.manifest]:
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
        ledger = Ledger(knowledge.version)
    interrupted = ledger.running  # the last run stopped before recording its ledger
    for path in folder.root.glob("*/month=*/run-*.parquet"):
        if path.name.split("-")[1] not in ledger.runs:  # added by a run that never finished
            path.unlink()
    shutil.rmtree(folder.parts, ignore_errors=True)
    run_id = uuid.uuid4().hex[:12]
    ledger.mark_running(folder, run_id)

    seen: dict[str, str] = {}  # id → where it was first read
    duplicates: list[Outcome] = []
    outcomes: dict[str, Outcome] = {}

    def pending() -> Iterator[Document]:
        for doc in archive.documents():
            if doc.doc_id in seen:
                duplicates.append(Outcome(doc.doc_id, doc.where, doc.sha256,
                                          error=f"duplicate id (first read at {seen[doc.doc_id]}): "
                                                "only the first is kept"))
                continue
            seen[doc.doc_id] = doc.where
            if doc.problem:  # decided here: nothing to extract
                outcomes[doc.doc_id] = Outcome(doc.doc_id, doc.where, "", error=doc.problem)
                continue
            known = ledger.entries.get(doc.doc_id)
            if known is not None and known.sha256 == doc.sha256:
                summary.unchanged += 1
                continue
            yield doc

    def batches() -> Iterator[Batch]:
        batch: list[Document] = []
        number = 0
        for doc in pending():
            batch.append(doc)
            if len(batch) == batch_size:
                yield f"b{number:07d}", batch
                number, batch = number + 1, []
        if batch:
            yield f"b{number:07d}", batch

    for done in engine.run(batches(), knowledge, str(folder.parts)):
        for outcome in done:
            outcomes[outcome.doc_id] = outcome
        summary.extracted += len(done)
        if progress:
            progress(len(done))

    removed = {i for i in ledger.entries if i not in seen}
    stale = set(outcomes) | removed  # their old rows go; new rows come from the parts
    stale_months = {e.month for i in stale if (e := ledger.entries.get(i)) is not None and e.month}
    merge(folder, stale, stale_months, run_id, rewrite_all=interrupted)
    shutil.rmtree(folder.parts, ignore_errors=True)
    runs = sorted({p.name.split("-")[1] for p in folder.root.glob("*/month=*/run-*.parquet")})

    entries = {i: Entry(seen[i], e.sha256, e.month, e.error) for i, e in ledger.entries.items() if i in seen}
    entries.update({o.doc_id: Entry(o.where, o.sha256, o.month, o.error) for o in outcomes.values()})
    ledger = Ledger(knowledge.version, entries, runs)
    errors = sorted([(i, e.where, e.error) for i, e in entries.items() if e.error]
                    + [(o.doc_id, o.where, o.error) for o in duplicates])
    write_table(dict(zip(("id", "where", "error"), map(list, zip(*errors, strict=True)) if errors
                         else ([], [], []), strict=True)), "errors", folder.errors)
    gazetteer = knowledge.knowledge.gazetteer.frame()
    write_table({c: gazetteer[c].tolist() for c in gazetteer.columns}, "entities", folder.entities)
    summary.documents = len(seen)
    summary.removed = len(removed)
    summary.errors = len(errors)
    summary.seconds = time.perf_counter() - started
    ledger.save(folder, {"last_run": {k: v for k, v in asdict(summary).items() if k != "seconds"}})
    return summary


def extract_sample(out: Path, paths: ProjectPaths | None = None) -> Path:
    """The repository's sample archive, extracted in this process into ``out``: the corpus
    notebook's default corpus, small enough to make on every run."""
    paths = paths or ProjectPaths.default()
    extract_corpus(paths.sample_corpus, out, InProcess(), paths.knowledge)
    return out
