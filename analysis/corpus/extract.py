"""One batch of documents through the briefing's extractors, written as Parquet part files.

``extract_batch`` is the unit of work every engine runs, wherever it runs: it parses each
document with ``parse_source``, extracts the batch with ``facts_of_each`` (numbered per
document, as ``facts_of`` would), and writes one part file per table into the run's parts
folder. It returns only each document's outcome (month or one-line error), so the driver
never holds facts. A document that fails is isolated: when the batch fails, or takes more memory
or time than its text allows (``facts.budget``), each document is extracted alone within one
article's budget, and only the failing ones become errors ("memory exceeded: …", "time
exceeded: …" for a hostile one).
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..datapackage import (
    BOOL,
    CORPUS_ERRORS,
    CORPUS_QUOTES,
    DOCUMENTS,
    ENTITY_COUNTS,
    INT,
    NUM,
    STR,
    TABLES_BY_NAME,
    Table,
)
from ..errors import InputError, first_line
from ..facts.budget import Budget, OverBudget, Stopped, article_megabytes, article_seconds, overrun, scaled
from ..facts.claims import ClaimsCapped
from ..facts.extract import Knowledge, facts_of, facts_of_each, quote_words
from ..facts.mentions import MentionFinder
from ..inputs.pages import PageProblem, read_page
from ..inputs.provenance import Provenance
from ..inputs.sources import Source, parse_source
from ..paths import CORPUS_CODE, CORPUS_KNOWLEDGE, PACKAGE_DIR
from ..stops import reached
from .archive import Document

# The per-document tables a corpus folder holds, each partitioned by the document's month: the
# briefing's fact tables (quotes with their word counts), the mentions summed per document and
# entity (what the report's queries read: a fifth of the rows), and the documents themselves.
FACT_TABLES = ("sources", "mentions", "quotes", "events", "quantities", "relations", "claims", "candidates")
PARTITIONED = (*FACT_TABLES, "entity_counts", "documents")
CORPUS_SCHEMAS = {t.name: t for t in (DOCUMENTS, CORPUS_ERRORS, ENTITY_COUNTS, CORPUS_QUOTES)}
ARROW_TYPES = {STR: pa.string(), INT: pa.int64(), NUM: pa.float64(), BOOL: pa.bool_(), "date": pa.date32()}


def table_schema(name: str) -> Table:
    return CORPUS_SCHEMAS.get(name) or TABLES_BY_NAME[name]


def arrow_schema(table: Table, *, month: bool = False) -> pa.Schema:
    """The Parquet columns of a table: the data package's schema, plus ``month`` in part files."""
    fields = [pa.field(n, ARROW_TYPES[t]) for n, t, _ in table.fields]
    return pa.schema([*fields, pa.field("month", pa.string())] if month else fields)


@dataclass(frozen=True)
class CorpusKnowledge:
    """The curated knowledge a run reads, with its version (a change re-extracts everything)."""

    knowledge: Knowledge
    version: str

    @classmethod
    def load(cls, folder: Path) -> CorpusKnowledge:
        return cls(Knowledge.load(folder), knowledge_version(folder))


def knowledge_version(folder: Path) -> str:
    """Hash of the curated files and of the extraction code: what every document's facts rest on."""
    return _digest([folder / Path(p).name for p in CORPUS_KNOWLEDGE] + _code_files())


def code_version() -> str:
    """Hash of the extraction code alone, as installed where this runs (a dask worker compares)."""
    return _digest(_code_files())


def _code_files() -> list[Path]:
    return sorted(p for pattern in CORPUS_CODE for p in PACKAGE_DIR.parent.glob(pattern))


def _digest(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Outcome:
    """What became of one document: its month when extracted, else the one-line error."""

    doc_id: str
    where: str
    sha256: str
    month: str = ""
    error: str = ""


_FINDERS: dict[str, MentionFinder] = {}  # per process, per knowledge version: built once


def extract_batch(documents: list[Document], knowledge: CorpusKnowledge, parts: str,
                  name: str) -> list[Outcome]:
    """Extract a batch and write ``parts/NAME/TABLE.parquet``; return every document's outcome."""
    finder = _FINDERS.get(knowledge.version)
    if finder is None:
        finder = _FINDERS[knowledge.version] = MentionFinder(knowledge.knowledge.gazetteer)
    docs = {d.doc_id: d for d in documents}  # the driver makes ids unique
    outcomes: dict[str, Outcome] = {}
    sources: list[Source] = []
    for doc in documents:
        if doc.problem:
            outcomes[doc.doc_id] = Outcome(doc.doc_id, doc.where, doc.sha256, error=doc.problem)
            continue
        # a web page is read here, on the worker, within one article's budget too (a text is
        # only split into lines and paragraphs: no budget, and no watcher thread per document)
        budget = Budget(article_megabytes(), article_seconds()) if doc.page else Budget()
        try:
            with budget, warnings.catch_warnings():  # an unlikely date is still a date; the report shows it
                warnings.simplefilter("ignore")
                raw, provenance = _seed(doc)
                source = parse_source(raw, Path(f"{doc.doc_id}.txt"), provenance)
        except (Exception, Stopped) as exc:  # a page that trips the HTML libraries too: recorded
            over = overrun(budget, exc)
            error = (over.reason if over else exc.problem if isinstance(exc, PageProblem)
                     else first_line(exc) if isinstance(exc, InputError | OverBudget | Stopped)
                     else f"reading failed: {type(exc).__name__}: {first_line(exc)}")
            outcomes[doc.doc_id] = Outcome(doc.doc_id, doc.where, doc.sha256, error=error)
            continue
        sources.append(source)
    tables = _extract(sources, knowledge.knowledge, finder, outcomes, docs)
    extracted = [s for s in sources if s.source_id not in outcomes]
    months = {s.source_id: s.published.strftime("%Y-%m") for s in extracted}
    for s in extracted:  # the document's hash, as read: what the next run compares
        doc = docs[s.source_id]
        outcomes[s.source_id] = Outcome(s.source_id, doc.where, doc.sha256, months[s.source_id])
    if extracted:
        tables.update(_summaries(tables))
        tables["documents"] = pd.DataFrame({"source_id": [s.source_id for s in extracted],
                                            "header": [s.header for s in extracted],
                                            "text": [s.text for s in extracted]})
        # written aside, then renamed into place whole: the merge reads every part folder, and a
        # worker killed half-way through a batch must leave none (dask runs the batch again)
        folder = Path(parts) / name
        writing = Path(parts) / "_writing" / f"{name}-{uuid.uuid4().hex[:8]}"
        writing.mkdir(parents=True)
        for table, frame in tables.items():
            frame = frame[frame.source_id.isin(months)]  # rows of a document that failed alone are dropped
            if not frame.empty:
                write_part(frame, table, months, writing / f"{table}.parquet")
        shutil.rmtree(folder, ignore_errors=True)  # an earlier start's, if it got this far
        writing.rename(folder)
        reached("part written")
    return [outcomes[d.doc_id] for d in documents]


def _seed(doc: Document) -> tuple[bytes, Provenance | None]:
    """A document as the bytes of a seed file and its provenance: a web page (a WARC record)
    becomes its article here, on the worker, with the record's URL and WARC-Date."""
    if doc.page:
        article = read_page(doc.raw, doc.url, retrieved=doc.retrieved)
        return article.seed_bytes(), Provenance(doc.url, doc.retrieved, hashlib.sha256(doc.raw).hexdigest())
    if doc.url or doc.retrieved or doc.original_sha256:
        return doc.raw, Provenance(doc.url, doc.retrieved, doc.original_sha256)
    return doc.raw, None


def _extract(sources: list[Source], knowledge: Knowledge, finder: MentionFinder,
             outcomes: dict[str, Outcome], docs: dict[str, Document]) -> dict[str, pd.DataFrame]:
    """The batch's tables, within the memory and time of its text (``facts.budget``); when the
    batch fails or runs over, each document alone within one article's, failures recorded (a
    hostile document is one row of errors, its reason "memory exceeded" or "time exceeded")."""
    if not sources:
        return {}
    megabytes, seconds = article_megabytes(), article_seconds()
    text = sum(len(s.text) for s in sources)
    budget = Budget(scaled(megabytes, text), scaled(seconds, text))
    try:
        with budget, warnings.catch_warnings():
            warnings.simplefilter("ignore", ClaimsCapped)  # see ClaimsCapped (on dask: workers' logs)
            return facts_of_each(sources, knowledge, finder)
    except (Exception, Stopped) as exc:
        overrun(budget, exc)  # a stop that arrived just as the batch ended is tidied up
    pieces: dict[str, list[pd.DataFrame]] = {}
    for source in sources:
        budget = Budget(megabytes, seconds)
        try:
            with budget, warnings.catch_warnings():
                warnings.simplefilter("ignore", ClaimsCapped)
                tables = facts_of(source, knowledge, finder)
        except (Exception, Stopped) as exc:  # a bug meets an unusual article: recorded, the run goes on
            doc = docs[source.source_id]
            over = overrun(budget, exc)
            error = over.reason if over else f"extraction failed: {type(exc).__name__}: {first_line(exc)}"
            outcomes[source.source_id] = Outcome(source.source_id, doc.where, doc.sha256, error=error)
            continue
        for table, frame in tables.items():
            pieces.setdefault(table, []).append(frame)
    return {t: pd.concat(frames, ignore_index=True) for t, frames in pieces.items()}


def _summaries(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """What the corpus adds to the briefing's tables: each quote's words (counted as the
    briefing's speaker summary counts them) and the mentions summed per document and entity."""
    out = {}
    if "quotes" in tables:
        quotes = tables["quotes"].copy()
        quotes["words"] = quote_words(quotes.text)
        out["quotes"] = quotes
    if "mentions" in tables:
        out["entity_counts"] = (tables["mentions"].groupby(["source_id", "entity_id"], sort=True)
                                .size().rename("mentions").reset_index())
    return out


def write_part(frame: pd.DataFrame, table: str, months: dict[str, str], path: Path) -> None:
    """A table's rows as Parquet with the schema's types and each row's month. Uncompressed: a
    part is read once, by the merge, and deleted; compressing its columns cost a batch 1.5 %."""
    schema = arrow_schema(table_schema(table), month=True)
    columns = {}
    for field in schema:
        if field.name == "month":
            values = [months[s] for s in frame["source_id"].tolist()]
        elif field.type == pa.date32():
            values = [pd.Timestamp(v).date() for v in frame[field.name].tolist()]
        else:
            values = frame[field.name].tolist()
        columns[field.name] = pa.array(values, type=field.type, from_pandas=True)
    pq.write_table(pa.table(columns, schema=schema), path, compression="none")
