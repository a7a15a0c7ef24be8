"""The exported tables: one Frictionless Table Schema per table, the single list of its columns.

Extractors build their frames from it (:meth:`Table.frame`), the build writes the CSVs and
``datapackage.json`` from it, and a frame that disagrees with its schema stops the build. The
package follows Frictionless Data (Table Schema with primary and foreign keys), so
``frictionless validate reports/data/datapackage.json`` checks types, keys and references.
"""

from __future__ import annotations

import json
import re
from collections import namedtuple
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

STR, INT, NUM, BOOL = "string", "integer", "number", "boolean"
OFFSETS = [("start", INT, "first character, a Python index into the source body"),
           ("end", INT, "one past the last character")]


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    fields: list[tuple[str, str, str]]
    primary_key: list[str]
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)  # (column, table, column)
    numbered: str = ""  # ids of the first column: a prefix and a width, e.g. "M4" gives M0001, M0002, …

    @property
    def columns(self) -> list[str]:
        return [name for name, _, _ in self.fields]

    def frame(self, rows: Iterable, *, derived: tuple[str, ...] = ()) -> pd.DataFrame:
        """The table's frame from extracted rows, in schema order. Rows hold every column except
        the numbered id (added here) and the trailing ``derived`` ones (the caller fills them)."""
        given = self.columns[1 if self.numbered else 0: len(self.columns) - len(derived)]
        if list(derived) != self.columns[len(self.columns) - len(derived):]:
            raise ValueError(f"table {self.name}: derived columns {list(derived)} are not its last columns")
        frame = pd.DataFrame(list(rows), columns=given)
        if self.numbered:
            prefix, width = self.numbered[0], int(self.numbered[1:])
            frame.insert(0, self.columns[0], [f"{prefix}{i:0{width}d}" for i in range(1, len(frame) + 1)])
        return frame

    def conform(self, frame: pd.DataFrame) -> None:
        """A frame must have exactly the schema's columns, in order: the export relies on it."""
        if list(frame.columns) != self.columns:
            raise ValueError(f"table {self.name}: frame columns {list(frame.columns)} differ from "
                             f"its schema {self.columns}")

    def schema(self) -> dict:
        schema: dict = {
            "fields": [{"name": n, "type": t, "description": d} for n, t, d in self.fields],
            "primaryKey": self.primary_key,
            "missingValues": [""],
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [{"fields": c, "reference": {"resource": t, "fields": r}}
                                     for c, t, r in self.foreign_keys]
        return schema


SOURCE_FK = ("source_id", "sources", "source_id")
TABLES = [
    Table("sources", "One row per article in seeds/.", [
        ("source_id", STR, "file name without .txt"), ("path", STR, "path in the project"),
        ("published", "date", "publication date from the header"), ("outlet", STR, "news outlet"),
        ("authors", STR, "authors, |-separated"), ("sha256", STR, "hash of the file's bytes"),
        ("body_offset", INT, "characters before the body (the header line)"),
        ("characters", INT, "length of the body"), ("paragraphs", INT, ""), ("sentences", INT, ""),
        ("dateline_place", STR, "place of filing in the dateline (BEIJING, Nov. 25 (Xinhua) --)"),
        ("dateline_outlet", STR, "outlet named in the dateline"),
        ("url", STR, "the page's address, for an article read from the web (its provenance sidecar, "
                     "seeds/NAME.source.json); empty for a typed article"),
        ("retrieved", STR, "when the page was read, UTC, ISO 8601 (a WARC record's WARC-Date; "
                           "a saved file: when add read it)"),
        ("original_sha256", STR, "hash of the page's bytes as read, before its text was extracted"),
    ], ["source_id"]),
    Table("entities", "The curated gazetteer (analysis/knowledge/entities.yaml).", [
        ("entity_id", STR, ""), ("name", STR, ""), ("type", STR, "from the fixed type vocabulary"),
        ("country", STR, "entity_id of the entity's country"),
        ("aliases", STR, "every surface form, |-separated"),
        ("qid", STR, "Wikidata id, where checked"), ("source", STR, "where the identification comes from"),
    ], ["entity_id"], [("country", "entities", "entity_id")]),
    Table("mentions", "Every place a source names a gazetteer entity.", [
        ("mention_id", STR, ""), ("source_id", STR, ""), ("entity_id", STR, ""), *OFFSETS,
        ("text", STR, "the words, verbatim"),
        ("form", STR, "name, alias, abbreviation, demonym, metonym or description"),
        ("possessive", BOOL, "followed by ’s"), ("nested", BOOL, "inside a description of another entity"),
        ("sentence", INT, "0-based sentence index"),
    ], ["mention_id"], [SOURCE_FK, ("entity_id", "entities", "entity_id")], numbered="M4"),
    Table("quotes", "Quoted words with their speaker and channel.", [
        ("quote_id", STR, ""), ("source_id", STR, ""), ("speaker_id", STR, "entity_id of the speaker"),
        ("speaker_name", STR, "the words naming the speaker (Zhang Jingbo, a SUPARCO official, "
                              "the statement)"),
        ("issuers", STR, "who issued a quoted statement: entity_ids or names, |-separated"),
        ("text", STR, "the words inside the quotation marks"), *OFFSETS,
        ("channel", STR, "entity_id of a media outlet, 'statement', 'press conference' or 'unstated'"),
        ("method", STR, "what kind of speaker: named, anonymous, organisation, channel (a statement's "
                        "issuer), pronoun, continuation or unresolved"),
        ("resolution", STR, "how the speaker was found: parse (the reporting verb's subject), rule (the "
                            "patterns), pronoun, surname, noun (the spokesperson, the ministry), "
                            "cataphora (named after the quotation), issuer, continuation, subject (of the "
                            "sentence before a quotation that has no attribution) or unresolved"),
        ("utterance", STR, "fragments of one utterance share it"),
        ("part", INT, "fragment number within the utterance"), ("closed", BOOL, "closing mark found"),
        ("cue", STR, "the attribution words"), ("cue_start", INT, "-1 when no cue"), ("cue_end", INT, ""),
    ], ["quote_id"], [SOURCE_FK, ("speaker_id", "entities", "entity_id")], numbered="Q3"),
    Table("events", "One row per date expression, resolved against publication.", [
        ("event_id", STR, ""), ("source_id", STR, ""),
        ("date", STR, "ISO date, partial allowed; the first day of a period, the start of a range"),
        ("date_end", STR, "the end of a range or period (same form as date); empty for one date"),
        ("precision", STR, "day, month, year, period (a vague stretch: early, mid, late, last week), "
                           "decade, or unresolved (recognised but not resolvable)"),
        ("status", STR, "reported, scheduled or planned"),
        ("rule", STR, "the resolution rule that fired"),
        ("anchor", STR, "what it was resolved against: the publication date, or a date in its sentence"),
        ("evidence", STR, "the date expression"), *OFFSETS,
        ("time_utc", STR, "clock time in UTC, when given"), ("time_evidence", STR, ""),
        ("time_start", INT, "-1 when no time"), ("time_end", INT, ""),
        ("time_check", STR, "agreement of clock times given in two zones"),
        ("description", STR, "the sentence (one over 1,000 characters: the 1,000 around the date, "
                                      "… where cut)"), ("sentence_start", INT, ""), ("sentence_end", INT, ""),
        ("actors", STR, "entity_ids mentioned in the sentence, |-separated"),
    ], ["event_id"], [SOURCE_FK], numbered="E3"),
    Table("quantities", "Counts, ranges, ages, durations and ordinals.", [
        ("quantity_id", STR, ""), ("source_id", STR, ""), ("value", NUM, "as stated"),
        ("low", NUM, "lower bound"), ("high", NUM, "upper bound"), ("unit", STR, "head noun"),
        ("kind", STR, "count, range, age, duration range or ordinal"),
        ("qualifier", STR, "nearly, more than, …"), ("text", STR, ""), *OFFSETS,
    ], ["quantity_id"], [SOURCE_FK], numbered="N3"),
    Table("relations", "Typed relations between entities, each with its evidence.", [
        ("relation_id", STR, ""), ("subject_id", STR, ""), ("predicate", STR, "from the fixed vocabulary"),
        ("object_id", STR, ""), ("directed", BOOL, ""), ("source_id", STR, ""), ("evidence", STR, ""),
        *OFFSETS,
        ("origin", STR, "curated (relations.yaml) or derived (from quotes)"),
        ("qualifier", STR, "intent, reported, planned or scheduled"), ("note", STR, ""),
        ("line", INT, "line in relations.yaml; -1 when derived"),
    ], ["relation_id"], [SOURCE_FK, ("subject_id", "entities", "entity_id"),
                         ("object_id", "entities", "entity_id")], numbered="R3"),
    Table("claims", "The claims register, with verdicts against the public record.", [
        ("claim_id", STR, ""), ("source_id", STR, ""), ("text", STR, ""), *OFFSETS,
        ("kind", STR, "from the claim-kind vocabulary"), ("topic", STR, ""),
        ("origin", STR, "curated or automatic"), ("line", INT, "line in claims.yaml; -1 when automatic"),
        ("verdict", STR, "from the verdict vocabulary"),
        ("method", STR, "computed, typed or rule; for an automatic claim computed (generic: TABLE), or "
                        "generic when no generic check applied"),
        ("reference", STR, "reference rows the verdict rests on (file:line)"), ("note", STR, ""),
        ("as_of", STR, "date the verdict is true as of: the latest date in the reference tables"),
    ], ["claim_id"], [SOURCE_FK]),
    Table("candidates", "Names in sources that the gazetteer does not know yet.", [
        ("source_id", STR, ""), ("text", STR, ""), *OFFSETS, ("kind", STR, "name or designator"),
        ("type", STR, "guessed entity type, from the name's cues (person, agency, mission, …)"),
        ("occurrences", INT, "times the same text appears in the source"),
    ], ["source_id", "start", "end"], [SOURCE_FK]),
]
# Derived from the facts by the network step, not extracted from sources: no offsets.
NETWORK_METRICS = Table("network_metrics", "Centrality and community of each actor in the network.", [
    ("entity_id", STR, ""), ("name", STR, ""), ("short", STR, "label used in charts"), ("type", STR, ""),
    ("country", STR, ""), ("mentions", INT, ""), ("degree", INT, "distinct neighbours"),
    ("weighted_degree", NUM, "relations plus co-mention sentences"),
    ("betweenness", NUM, "normalised, distance = 1/weight"), ("pagerank", NUM, ""),
    ("eigenvector", NUM, ""), ("community", INT, "Louvain, fixed seed"),
    ("side", STR, "china, pakistan or other, by the entity's country"),
    ("bridging", NUM, "betweenness on China-side to Pakistan-side paths, strongest = 1"),
    ("neighbours", STR, "|-separated entity_ids"),
], ["entity_id"], [("entity_id", "entities", "entity_id")])
# Merged across sources by the story step (analysis/story/statements.py).
STATEMENTS = Table("statements", "What the sources say, merged across sources, with a cross-source status.", [
    ("statement_id", STR, ""), ("kind", STR, "event, quantity, quote or relation"),
    ("topic", STR, "from knowledge/topics.yaml; quote, relation or other"),
    ("actors", STR, "entity_ids, |-separated"),
    ("date", STR, "an event's date, as its most precise source gives it (of a plan and its report, "
                  "the report)"),
    ("date_end", STR, ""), ("precision", STR, ""),
    ("date_source", STR, "the source_id whose date an event's statement shows"),
    ("date_words", STR, "date_source's own words for the date"),
    ("other_wordings", STR, "the other sources' own words for an event's date: “words” (source_ids), "
                            ";-separated"),
    ("status", STR, "consistent, updated, conflicting or single source"),
    ("sources", STR, "source_ids, |-separated, oldest first"), ("n_sources", INT, ""),
    ("first_source", STR, ""), ("latest_source", STR, ""),
    ("summary", STR, "an event's sentence from date_source; a quantity's numbers from every source; a "
                     "quote's or relation's latest words"),
], ["statement_id"], [("first_source", "sources", "source_id"), ("latest_source", "sources", "source_id")])
STATEMENT_FACTS = Table("statement_facts", "Which fact rows each statement merges.", [
    ("statement_id", STR, ""), ("table", STR, "events, quantities, quotes or relations"),
    ("fact_id", STR, "the row's id in that table"), ("source_id", STR, ""),
], ["table", "fact_id"], [("statement_id", "statements", "statement_id"), SOURCE_FK])
TABLES_BY_NAME = {t.name: t for t in [*TABLES, NETWORK_METRICS, STATEMENTS, STATEMENT_FACTS]}
# A corpus folder (analysis/corpus) also keeps each document's words, so articles can be selected
# from it without the archive, and the documents it could not read or extract.
DOCUMENTS = Table("documents", "Each corpus document's header line and text, as a seed file holds them.", [
    ("source_id", STR, ""), ("header", STR, "the seed-format header line"),
    ("text", STR, "the body: what every offset indexes"),
], ["source_id"], [SOURCE_FK])
ENTITY_COUNTS = Table("entity_counts", "How often each corpus document names each entity: its mentions "
                      "summed per document, so that corpus queries need not read every mention.", [
    ("source_id", STR, ""), ("entity_id", STR, ""),
    ("mentions", INT, "rows of the mentions table for this document and entity"),
], ["source_id", "entity_id"], [SOURCE_FK])
CORPUS_QUOTES = replace(TABLES_BY_NAME["quotes"], fields=[
    *TABLES_BY_NAME["quotes"].fields,
    ("words", INT, "words of the quoted text, split at white space as the briefing counts them"),
])
CORPUS_ERRORS = Table("errors", "Corpus documents that could not be read or extracted, and why.", [
    ("id", STR, "the document's id, or file:line when it has none"),
    ("where", STR, "where it was read: file, or file:line / file:row"),
    ("error", STR, "one line"),
], ["id", "where"])


# A spreadsheet runs a cell that begins with one of these as a formula (OWASP: CSV injection).
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
FORMULA_NOTE = ("Text cells that would start a spreadsheet formula (=, +, -, @, tab or carriage "
                "return, after any apostrophes) carry one extra leading apostrophe, so a spreadsheet "
                "shows them as text. Remove exactly one leading apostrophe from such a cell to get "
                "the exact source text back: source.text[start:end] equals it (analysis.datapackage."
                "read_table does this).")


def plain_rows(frame: pd.DataFrame) -> list[tuple]:
    """A table's rows as named tuples, the values ``itertuples(index=False)`` gives, made from
    whole columns: iterating Arrow-backed string columns a value at a time costs a microsecond
    each, seconds for a large source's events."""
    row = namedtuple("Row", list(frame.columns), rename=True)
    return [row._make(values) for values in zip(*(frame[c].tolist() for c in frame.columns), strict=True)]


def neutralise(value: object) -> object:
    """One leading apostrophe before text a spreadsheet would run as a formula; reversible."""
    return "'" + value if isinstance(value, str) and _FORMULA.match(value) else value


def restore(value: object) -> object:
    """The exact text of a cell written with :func:`neutralise`."""
    return value[1:] if isinstance(value, str) and value.startswith("'") and _FORMULA.match(value) else value


def read_table(path: Path) -> pd.DataFrame:
    """A table of the package as written, text cells restored to the exact source text."""
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame.map(restore)


def write_table(frame: pd.DataFrame, table: Table, path: Path) -> None:
    """CSV with exactly the schema's columns, in order; deterministic text (booleans as true/false)."""
    table.conform(frame)
    out = frame.copy()
    for name, kind, _ in table.fields:
        if kind == BOOL:
            out[name] = out[name].map({True: "true", False: "false"})
        elif kind == INT:
            out[name] = out[name].astype("int64")
        elif kind == STR:
            out[name] = out[name].map(neutralise)
    out.to_csv(path, index=False, lineterminator="\n", float_format="%g")


def write_package(frames: Mapping[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Write every fact table (``TABLES``, in order), then the other schema'd tables given (by
    name, sorted), and the descriptor."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    resources = []
    unknown = sorted(set(frames) - set(TABLES_BY_NAME))
    if unknown:
        raise ValueError(f"no schema for table(s) {unknown}")
    extra = sorted(set(frames) - {t.name for t in TABLES})
    for table in [*TABLES, *(TABLES_BY_NAME[name] for name in extra)]:
        path = folder / f"{table.name}.csv"
        write_table(frames[table.name], table, path)
        written.append(path)
        resources.append({"name": table.name, "path": path.name, "profile": "tabular-data-resource",
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                          "description": table.description, "schema": table.schema()})
    package = {
        "name": "china-space-diplomacy-facts",
        "title": "Facts with provenance from news on China's space diplomacy",
        "description": "Entities, mentions, quotes, events, quantities, relations, claims and "
                       "candidate names extracted from the articles in seeds/. Offsets are Python "
                       "string indices into each source's body (the file without its header line). "
                       + FORMULA_NOTE,
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "sources": [{"title": f"{row.outlet}, {row.published}", "path": row.path}
                    for row in frames["sources"].itertuples()],
        "resources": resources,
    }
    descriptor = folder / "datapackage.json"
    descriptor.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(descriptor)
    return written
