"""From sources to facts: every table of the project, extracted and checked in one call.

``extract_facts()`` is what notebooks and the build call. Before returning, it checks that every
offset-bearing row round-trips: ``source.text[start:end]`` equals the row's text or evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..datapackage import TABLES_BY_NAME
from ..errors import InputError
from ..inputs.gazetteer import Gazetteer
from ..inputs.sources import Source, load_sources, sources_frame
from ..inputs.vocabulary import Vocabulary
from ..paths import KnowledgeFiles, ProjectPaths
from .budget import MEMORY_ENV, Budget, OverBudget, Stopped, article_megabytes, memory_now, overrun, scaled
from .candidates import candidates_frame
from .claims import claims_frame, curated_claims
from .events import events_frame
from .mentions import MentionFinder, mentions_frame
from .quantities import quantities_frame
from .quotes import quotes_frame
from .relations import curated_relations, quoted_by_relations, relations_frame

# Which column holds the verbatim words, per table with offsets into a source.
EVIDENCE_COLUMNS = {"mentions": "text", "quotes": "text", "events": "evidence",
                    "quantities": "text", "relations": "evidence", "claims": "text",
                    "candidates": "text"}


class ProvenanceError(AssertionError):
    """A fact whose offsets do not give back its words: a bug, never an input problem."""


@dataclass(frozen=True)
class Knowledge:
    """The curated files, validated."""

    vocabulary: Vocabulary
    gazetteer: Gazetteer
    relations_path: Path
    claims_path: Path
    checks_path: Path

    @classmethod
    def load(cls, folder: Path) -> Knowledge:
        files = KnowledgeFiles(folder)
        vocabulary = Vocabulary.load(files.vocabulary)
        gazetteer = Gazetteer.load(files.entities, vocabulary)
        return cls(vocabulary, gazetteer, files.relations, files.claims, files.checks)


@dataclass
class Facts:
    sources: list[Source]
    knowledge: Knowledge
    tables: dict[str, pd.DataFrame]

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]

    @cached_property
    def by_id(self) -> dict[str, Source]:
        """Sources by id, built once (callers look sources up once per fact row)."""
        return {s.source_id: s for s in self.sources}

    def restricted(self, source_ids: set[str]) -> Facts:
        """The facts of some sources only, as if the others had never been read: every extractor
        works per source, so filtering rows gives what extracting those sources alone would."""
        tables = {name: frame[frame.source_id.isin(source_ids)].reset_index(drop=True)
                  if "source_id" in frame else frame for name, frame in self.tables.items()}
        return Facts([s for s in self.sources if s.source_id in source_ids], self.knowledge, tables)

    def offset_rows(self) -> Iterator[tuple[str, int, str, int, int, str]]:
        """(table, row, source_id, start, end, words) for every row that points into a source."""
        for table, column in EVIDENCE_COLUMNS.items():
            frame = self.tables[table]
            columns = (frame[c].tolist() for c in ("source_id", "start", "end", column))
            for i, (source_id, start, end, words) in enumerate(zip(*columns, strict=True)):
                yield (table, i, source_id, int(start), int(end), words)


def extract_facts(paths: ProjectPaths | None = None, sources: list[Source] | None = None) -> Facts:
    """Every table of these sources (by default the project's), within a ceiling of memory
    (``budget``): an article that needs more stops with one line naming it."""
    paths = paths or ProjectPaths.default()
    sources = sources if sources is not None else load_sources(paths.seeds, until=paths.as_of)
    knowledge = Knowledge.load(paths.knowledge)

    def extract() -> Facts:
        facts = Facts(sources, knowledge, fact_tables(sources, knowledge, curated=True, root=paths.root))
        verify_provenance(facts)
        return facts

    return _within_ceiling(sources, knowledge, extract, paths.seeds)


def _within_ceiling(sources: list[Source], knowledge: Knowledge, extract: Callable[[], Facts],
                    folder: Path) -> Facts:
    """``extract()`` within the memory ceiling of these sources' text. Past it, each source is
    extracted alone, the longest first, within one article's ceiling counted from where the first
    try began, to name the one that needs more; that costs time only when the ceiling was reached."""
    limit = article_megabytes()
    together = scaled(limit, sum(len(s.text) for s in sources))
    since = memory_now()
    budget = Budget(together, since=since)
    try:
        with budget:
            return extract()
    except (OverBudget, Stopped) as exc:
        if overrun(budget, exc) is None:
            raise
    fix = f"split it into shorter articles, or raise {MEMORY_ENV} (now {limit:,} MB; 0 for no ceiling)"
    for source in sorted(sources, key=lambda s: len(s.text), reverse=True):
        budget = Budget(limit, since=since)
        try:
            with budget:
                fact_tables([source], knowledge, curated=False)
        except (OverBudget, Stopped) as exc:
            if overrun(budget, exc) is None:
                raise
            raise InputError(source.path, f"extracting this article needed more than {limit:,} MB of memory",
                             line=1, fix=fix) from None
    raise InputError(folder, f"extracting the {len(sources):,} sources together needed more than "
                             f"{together:,.0f} MB of memory", fix=fix.replace("split it", "split them"))


def facts_of(source: Source, knowledge: Knowledge,
             finder: MentionFinder | None = None) -> dict[str, pd.DataFrame]:
    """One document's fact tables, exactly as ``extract_facts`` gives them for that document alone,
    provenance checked: a pure function of the document and the knowledge, so an archive can be
    processed a document at a time on any machine.

    The curated relations and claims are left out (they name the briefing's own sources), and so
    is the gazetteer's table (the same for every document).
    """
    return facts_of_each([source], knowledge, finder)


def facts_of_each(sources: list[Source], knowledge: Knowledge,
                  finder: MentionFinder | None = None) -> dict[str, pd.DataFrame]:
    """``facts_of`` for several documents at once, each numbered as if extracted alone (``M0001``
    restarts with every document): building the tables once per batch instead of once per
    document is about ten times faster."""
    tables = fact_tables(sources, knowledge, curated=False, finder=finder)
    del tables["entities"]
    verify_provenance(Facts(sources, knowledge, tables))
    if len(sources) > 1:
        _number_per_document(tables)
    return tables


def _number_per_document(tables: dict[str, pd.DataFrame]) -> None:
    """Renumber the batch-wide ids (``M0001``…) within each document; a derived relation's note
    names its quote by the renumbered id."""
    renamed: dict[str, dict[str, str]] = {}
    for name, frame in tables.items():
        schema = TABLES_BY_NAME[name]
        if not schema.numbered or frame.empty:
            continue
        prefix, width = schema.numbered[0], int(schema.numbered[1:])
        column = schema.columns[0]
        numbers = frame.groupby("source_id", sort=False).cumcount() + 1
        new = [f"{prefix}{n:0{width}d}" for n in numbers.tolist()]
        renamed[name] = dict(zip(frame[column].tolist(), new, strict=True))
        frame[column] = new
    relations = tables["relations"]
    if "quotes" in renamed and not relations.empty:
        quote_ids = renamed["quotes"]
        relations["note"] = [f"quote {quote_ids[note[6:]]}" if note[6:] in quote_ids else note
                             for note in relations["note"].tolist()]


def fact_tables(sources: list[Source], knowledge: Knowledge, *, curated: bool, root: Path | None = None,
                finder: MentionFinder | None = None) -> dict[str, pd.DataFrame]:
    """Every table for these sources; ``curated`` adds the relations and claims of the knowledge
    files (which must then find their sources among these)."""
    gazetteer = knowledge.gazetteer
    by_id = {s.source_id: s for s in sources}
    finder = finder or MentionFinder(gazetteer)
    found = {s.source_id: finder.find(s) for s in sources}
    mentions = mentions_frame(sources, found)
    quotes = quotes_frame(sources, found, gazetteer)
    events = events_frame(sources, found, gazetteer)
    quantities = quantities_frame(sources, events)
    relations = relations_frame(
        (curated_relations(knowledge.relations_path, by_id, gazetteer, knowledge.vocabulary)
         if curated else [])
        + quoted_by_relations(quotes, found, by_id, gazetteer))
    claims = claims_frame(curated_claims(knowledge.claims_path, by_id, knowledge.vocabulary)
                          if curated else [], sources, events, quantities)
    tables = {
        "sources": sources_frame(sources, root),
        "entities": gazetteer.frame(),
        "mentions": mentions,
        "quotes": quotes,
        "events": events,
        "quantities": quantities,
        "relations": relations,
        "claims": claims,
        "candidates": candidates_frame(sources, found, quotes),
    }
    for name, frame in tables.items():
        TABLES_BY_NAME[name].conform(frame)
    return tables


def verify_provenance(facts: Facts) -> None:
    by_id = facts.by_id
    for table, row, source_id, start, end, words in facts.offset_rows():
        text = by_id[source_id].text
        if not (0 <= start <= end <= len(text)) or text[start:end] != words:
            raise ProvenanceError(f"{table} row {row}: {source_id}[{start}:{end}] is "
                                  f"{text[start:end]!r}, not {words!r}")


def mention_counts(facts: Facts) -> pd.DataFrame:
    """Mentions per entity (nested ones included), with name and type, most mentioned first."""
    entities = facts["entities"].set_index("entity_id")
    counts = facts["mentions"].groupby("entity_id").size().rename("mentions").reset_index()
    counts["name"] = counts.entity_id.map(entities["name"])
    counts["type"] = counts.entity_id.map(entities["type"])
    return counts.sort_values(["mentions", "name"], ascending=[False, True]).reset_index(drop=True)


UNRESOLVED = "(unresolved)"


def speakers(facts: Facts) -> pd.Series:
    """Each quotation's speaker as shown: the gazetteer's name, else the words that name them
    (``Tan Yuhang``, ``a SUPARCO official``), else ``(unresolved)``."""
    quotes = facts["quotes"]
    names = facts["entities"].set_index("entity_id")["name"]
    named = quotes.speaker_name.where(quotes.speaker_name != "", UNRESOLVED)
    return quotes.speaker_id.map(names).fillna(named)


def quote_words(text: pd.Series) -> pd.Series:
    """Words of each quoted text, split at white space: the briefing's and the corpus's count."""
    return text.str.split().str.len().astype("int64")


def quote_summary(facts: Facts) -> pd.DataFrame:
    """Who is quoted, how many words, and through which channel."""
    quotes = facts["quotes"].copy()
    names = facts["entities"].set_index("entity_id")["name"]
    quotes["speaker"] = speakers(facts)
    quotes["channel_name"] = quotes.channel.map(names).fillna(quotes.channel)
    quotes["words"] = quote_words(quotes.text)
    return (quotes.groupby(["speaker", "channel_name"], as_index=False)
            .agg(quotes=("quote_id", "size"), words=("words", "sum"))
            .sort_values(["words", "speaker"], ascending=[False, True]).reset_index(drop=True))
