"""Questions to a corpus folder, answered by embedded DuckDB straight from the Parquet partitions.

The story is the briefing's: its actors are the ones the briefing's own sources (``seeds/``)
name most, or those given; a corpus document *carries the story* when it names at least two of
them (or the only one given). Every answer is a small, fully ordered pandas frame, so the
report and the notebook print the same thing every time.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from ..errors import InputError
from ..facts.extract import extract_facts, mention_counts
from ..paths import CorpusFolder, ProjectPaths
from .extract import PARTITIONED, table_schema
from .ledger import LAYOUT, Ledger
from .store import connect, ident, sql_list, sql_text

STORY_ACTORS = 5
NOT_ACTORS = ("media",)  # outlets carry the story; they are not its actors
DUCK_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN",
              "date": "DATE"}


def story_actors(paths: ProjectPaths | None = None, count: int = STORY_ACTORS) -> list[str]:
    """The entities the briefing's sources name most (outlets aside), most named first."""
    counts = mention_counts(extract_facts(paths or ProjectPaths.default()))
    return counts[~counts.type.isin(NOT_ACTORS)].entity_id.head(count).tolist()


class Corpus:
    """A corpus folder opened for queries: one DuckDB view per table over its month partitions."""

    def __init__(self, root: Path, memory_limit: str = "1GB") -> None:
        self.folder = CorpusFolder(Path(root))
        self._stories: dict[tuple[str, ...], str] = {}  # actors → temporary table of their documents
        if not self.folder.manifest.is_file():
            raise InputError(root, "is not a corpus folder (no corpus.json)",
                             fix="run `python -m analysis corpus extract INPUT --out FOLDER` first")
        ledger = Ledger.load(self.folder)
        if ledger.layout != LAYOUT:  # its files are named otherwise: none would be read
            raise InputError(root, "was extracted by an earlier version of this project (another "
                             "folder layout)", fix="run `python -m analysis corpus extract INPUT --out "
                                                   "FOLDER` again: it extracts the archive anew")
        if ledger.running or not self.folder.entities.is_file():
            # its tables may hold rows of a run that never committed, or none at all
            raise InputError(root, "the last extraction into this folder did not finish",
                             fix="run the same `python -m analysis corpus extract INPUT --out FOLDER` "
                                 "again: it repairs the folder")
        self.con: duckdb.DuckDBPyConnection = connect(memory_limit=memory_limit)
        for table in PARTITIONED:
            files = [str(p) for p in ledger.month_files(self.folder, table)]
            if files:
                source = (f"read_parquet({sql_list(files)}, hive_partitioning = true, "
                          "hive_types = {'month': VARCHAR})")
                self.con.execute(f"CREATE VIEW {table} AS SELECT * FROM {source}")
            else:  # no row yet: the columns all the same, so every query still runs
                columns = ", ".join(f"NULL::{DUCK_TYPES[t]} AS {ident(n)}"
                                    for n, t, _ in table_schema(table).fields)
                self.con.execute(f"CREATE VIEW {table} AS SELECT {columns}, NULL::VARCHAR AS month "
                                 "WHERE false")
        for name, path in (("entities", self.folder.entities), ("errors", self.folder.errors)):
            self.con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({sql_text(str(path))})")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    def _story(self, actors: list[str]) -> str:
        """The documents carrying the story, as a SQL subquery: a temporary table made once per
        set of actors, since every section of the report asks (each would scan all mentions)."""
        key = tuple(sorted(set(actors)))
        if key not in self._stories:
            self._check(actors)
            name = f"story_{len(self._stories)}"
            need = min(2, len(key))
            self.con.execute(f"CREATE TEMP TABLE {name} AS SELECT source_id FROM entity_counts "
                             f"WHERE entity_id IN ({_in(list(key))}) GROUP BY source_id "
                             f"HAVING count(*) >= {need}")
            self._stories[key] = name
        return f"(SELECT source_id FROM {self._stories[key]})"

    def _check(self, actors: list[str]) -> None:
        known = set(self.query("SELECT entity_id FROM entities").entity_id)
        unknown = [a for a in actors if a not in known]
        if unknown or not actors:
            raise InputError(self.folder.entities, f"unknown actor(s) {', '.join(unknown) or '(none given)'}",
                             fix="give entity ids from analysis/knowledge/entities.yaml")

    def size(self) -> dict[str, int]:
        """Rows of the main tables (documents: extracted ones)."""
        counts = {t: int(self.query(f"SELECT count(*) AS n FROM {t}").n[0])
                  for t in ("sources", "mentions", "quotes", "events", "candidates", "errors")}
        return {"documents": counts.pop("sources"), **counts}

    def mentions_per_week(self, actors: list[str]) -> pd.DataFrame:
        """Mentions of each actor per week (weeks start on Monday), in the documents carrying the story."""
        return self.query(f"""
            SELECT CAST(date_trunc('week', s.published) AS DATE) AS week, c.entity_id, e.name,
                   CAST(sum(c.mentions) AS BIGINT) AS mentions, count(*) AS documents
            FROM entity_counts c JOIN sources s USING (source_id) JOIN entities e USING (entity_id)
            WHERE c.entity_id IN ({_in(actors)}) AND c.source_id IN {self._story(actors)}
            GROUP BY ALL ORDER BY week, c.entity_id""")

    def outlets(self, actors: list[str], top: int = 15) -> pd.DataFrame:
        """The outlets that carry the story: documents, first and last date."""
        return self.query(f"""
            SELECT outlet, count(*) AS documents, min(published) AS first, max(published) AS last
            FROM sources WHERE source_id IN {self._story(actors)}
            GROUP BY outlet ORDER BY documents DESC, outlet LIMIT {int(top)}""")

    def speakers(self, actors: list[str], top: int = 15) -> pd.DataFrame:
        """Who the story's documents quote most: the gazetteer's name, else the words naming them."""
        return self.query(f"""
            SELECT coalesce(e.name, nullif(q.speaker_name, ''), '(unresolved)') AS speaker,
                   count(*) AS quotes, count(DISTINCT q.source_id) AS documents,
                   CAST(sum(q.words) AS BIGINT) AS words
            FROM quotes q LEFT JOIN entities e ON e.entity_id = q.speaker_id
            WHERE q.source_id IN {self._story(actors)}
            GROUP BY speaker ORDER BY quotes DESC, speaker LIMIT {int(top)}""")

    def candidates(self, actors: list[str], top: int = 20) -> pd.DataFrame:
        """Names the gazetteer lacks, most widespread first: curation leads, with the date first seen."""
        return self.query(f"""
            WITH found AS (  -- a name in a document, under a type: one row each
                SELECT text AS name, type, source_id, count(*) AS n FROM candidates
                WHERE source_id IN {self._story(actors)} GROUP BY ALL),
            typed AS (  -- the type a name has most often (ties: the first in order)
                SELECT name, first(type ORDER BY n DESC, type) AS type
                FROM (SELECT name, type, sum(n) AS n FROM found GROUP BY ALL) GROUP BY name),
            documents AS (SELECT name, source_id, sum(n) AS n FROM found GROUP BY ALL)
            SELECT d.name, t.type, count(*) AS documents, CAST(sum(d.n) AS BIGINT) AS occurrences,
                   min(s.published) AS first_seen
            FROM documents d JOIN typed t USING (name) JOIN sources s USING (source_id)
            GROUP BY d.name, t.type ORDER BY documents DESC, occurrences DESC, d.name LIMIT {int(top)}""")

    def errors(self) -> pd.DataFrame:
        return self.query("SELECT * FROM errors ORDER BY id, \"where\"")

    def selection(self, actors: list[str], since: str | None = None,
                  until: str | None = None) -> pd.DataFrame:
        """Documents naming every one of ``actors``, published in [since, until]: id, header, text
        and provenance."""
        self._check(actors)
        bounds = "".join([" AND s.published >= CAST(? AS DATE)" if since else "",
                          " AND s.published <= CAST(? AS DATE)" if until else ""])
        return self.query(f"""
            SELECT d.source_id, s.published, d.header, d.text, s.url, s.retrieved, s.original_sha256
            FROM documents d JOIN sources s USING (source_id)
            WHERE d.source_id IN (SELECT source_id FROM entity_counts WHERE entity_id IN ({_in(actors)})
                                  GROUP BY source_id HAVING count(*) = {len(set(actors))})
            {bounds} ORDER BY s.published, d.source_id""", [v for v in (since, until) if v])


def _in(values: list[str]) -> str:
    return ", ".join(sql_text(v) for v in values)
