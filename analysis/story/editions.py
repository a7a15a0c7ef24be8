"""What changed between two editions: sources and statements new or gone, statuses, verdicts.

Statement and fact ids are numbered per build, so two editions are matched by what does not
move: a fact is its table, source and character span. A statement of the new edition that holds
no fact of the old one is new; one that does is the old statement, perhaps with a new status
(a plan now reported is a *resolved schedule*). Claims keep their ids across editions (curated
ids, or ``SOURCE-sNNN`` for automatic ones), so verdicts are compared by id.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..datapackage import BOOL, INT, NUM, TABLES_BY_NAME, Table, restore
from ..errors import InputError
from ..wording import plural
from .statements import shortened

FACT_TABLES = {"events": "event_id", "quantities": "quantity_id", "quotes": "quote_id",
               "relations": "relation_id"}
# The columns a comparison reads, per table: an older package may lack others.
NEEDED = {"sources": ("source_id", "outlet", "published"),
          "statements": ("statement_id", "kind", "topic", "summary", "status", "n_sources"),
          "statement_facts": ("statement_id", "table", "fact_id"),
          "claims": ("claim_id", "topic", "verdict", "note"),
          **{table: (id_column, "source_id", "start", "end") for table, id_column in FACT_TABLES.items()}}
# How a statement of an event is dated, and by whom (columns an edition built before them lacks).
DATED = ("date", "date_end", "date_source", "date_words", "other_wordings")


@dataclass(frozen=True)
class Edition:
    """One edition's data package, read back."""

    folder: Path | None  # None: the edition being built, from its tables in memory
    tables: dict[str, pd.DataFrame]

    @classmethod
    def read(cls, folder: Path) -> Edition:
        folder = Path(folder)
        if not folder.is_dir():
            raise InputError(folder, "no such folder", fix="give an edition's reports/data/ folder")
        missing = [name for name in NEEDED if not (folder / f"{name}.csv").is_file()]
        if missing:
            raise InputError(folder, f"not a data package with statements (missing {', '.join(missing)}.csv)",
                             fix="give reports/data/ of an edition built since statements existed")
        tables = {name: read_checked(folder / f"{name}.csv", TABLES_BY_NAME[name], columns)
                  for name, columns in NEEDED.items()}
        _check_links(folder, tables)
        return cls(folder, tables)

    def facts_of_statements(self) -> dict[str, set[tuple]]:
        """statement_id → its facts as (table, source_id, start, end): stable across builds."""
        spans: dict[tuple[str, str], tuple] = {}
        for table, id_column in FACT_TABLES.items():
            frame = self.tables[table]
            for fact_id, source_id, start, end in zip(frame[id_column], frame.source_id, frame.start,
                                                      frame.end, strict=True):
                spans[(table, fact_id)] = (table, source_id, int(start), int(end))
        found: dict[str, set[tuple]] = {}
        links = self.tables["statement_facts"]
        for statement_id, table, fact_id in zip(links.statement_id, links.table, links.fact_id, strict=True):
            found.setdefault(statement_id, set()).add(spans[(table, fact_id)])
        return found


def _check_links(folder: Path, tables: dict[str, pd.DataFrame]) -> None:
    """Every link of ``statement_facts`` names a statement and a fact row of the package: a file
    cut short between rows (or a row deleted by hand) otherwise ended in a KeyError."""
    links = tables["statement_facts"]
    facts = {(table, fact_id) for table, id_column in FACT_TABLES.items()
             for fact_id in tables[table][id_column]}
    statements = set(tables["statements"].statement_id)
    for row, (statement_id, table, fact_id) in enumerate(zip(links.statement_id, links.table, links.fact_id,
                                                             strict=True)):
        missing = (f"statement {statement_id} is not in statements.csv" if statement_id not in statements
                   else None if (table, fact_id) in facts else f"fact {fact_id} is not in {table}.csv")
        if missing:
            raise InputError(folder / "statement_facts.csv", missing, line=links.attrs["lines"][row],
                             fix=f"{table}.csv or statements.csv may be cut short: rebuild that data "
                                 "package, or give another folder")


@dataclass(frozen=True)
class EditionDiff:
    new_sources: pd.DataFrame  # sources rows
    new_statements: pd.DataFrame  # statements rows of the new edition
    changed_statements: pd.DataFrame  # statement_id, topic, summary, was, now, and DATED
    resolved: pd.DataFrame  # the changed statements whose plan a later source now reports
    changed_verdicts: pd.DataFrame  # claim_id, topic, was, now, note
    removed_sources: pd.DataFrame  # sources rows of the old edition that the new one lacks
    removed_statements: pd.DataFrame  # statements rows of the old edition none of whose facts remain

    @property
    def empty(self) -> bool:
        return all(frame.empty for frame in (self.new_sources, self.new_statements,
                                            self.changed_statements, self.changed_verdicts,
                                            self.removed_sources, self.removed_statements))


def compare(old: Edition, new: Edition) -> EditionDiff:
    old_facts, new_facts = old.facts_of_statements(), new.facts_of_statements()
    owner = {fact: statement_id for statement_id, facts in old_facts.items() for fact in facts}
    old_status = old.tables["statements"].set_index("statement_id").status
    statements = new.tables["statements"]
    fresh, changed = [], []
    for row in statements.itertuples():
        matches = Counter(owner[f] for f in new_facts.get(row.statement_id, ()) if f in owner)
        if not matches:
            fresh.append(row.statement_id)
            continue
        was = old_status[matches.most_common(1)[0][0]]
        if was != row.status:
            changed.append({"statement_id": row.statement_id, "kind": row.kind, "topic": row.topic,
                            "summary": row.summary, "was": was, "now": row.status,
                            **{name: getattr(row, name, "") for name in DATED}})
    changed_frame = pd.DataFrame(changed, columns=["statement_id", "kind", "topic", "summary", "was", "now",
                                                   *DATED])
    resolved = changed_frame[(changed_frame.kind == "event") & (changed_frame.now == "updated")]
    old_sources, sources = old.tables["sources"], new.tables["sources"]
    kept = {fact for facts in new_facts.values() for fact in facts}
    gone = [statement_id for statement_id, facts in old_facts.items() if not facts & kept]
    old_statements = old.tables["statements"]
    return EditionDiff(sources[~sources.source_id.isin(set(old_sources.source_id))].reset_index(drop=True),
                       statements[statements.statement_id.isin(fresh)].reset_index(drop=True),
                       changed_frame, resolved.reset_index(drop=True),
                       _changed_verdicts(old.tables["claims"], new.tables["claims"]),
                       old_sources[~old_sources.source_id.isin(set(sources.source_id))].reset_index(drop=True),
                       old_statements[old_statements.statement_id.isin(gone)].reset_index(drop=True))


def _changed_verdicts(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    both = new.merge(old[["claim_id", "verdict"]], on="claim_id", suffixes=("", "_was"))
    moved = both[both.verdict != both.verdict_was]
    return pd.DataFrame({"claim_id": moved.claim_id, "topic": moved.topic, "was": moved.verdict_was,
                         "now": moved.verdict, "note": moved.note}).reset_index(drop=True)


def describe(diff: EditionDiff, old: Path, new: Path) -> str:
    """The difference as a reader's summary (plain text, one item per line)."""
    lines = [f"Changes from {old} to {new}:"]
    if diff.empty:
        return lines[0] + "\n  none: the same sources, statements and verdicts."

    def _short(text: str, width: int = 100) -> str:
        return shortened(" ".join(str(text).split()), width)

    def section(title: str, frame: pd.DataFrame, item) -> None:
        lines.append(f"{title}: {len(frame)}")
        for r in frame.itertuples():
            lines.append(f"  {item(r)}")
            if getattr(r, "date_source", ""):  # an event: whose date it shows, and the others' words
                end = f" to {r.date_end}" if r.date_end else ""
                others = f"; the others: {r.other_wordings}" if r.other_wordings else ""
                lines.append(f"      dated {r.date}{end} by {r.date_source} (“{r.date_words}”){others}")

    section("New sources", diff.new_sources, lambda r: f"{r.source_id}  {r.outlet}, {r.published}")
    section("Sources no longer in it", diff.removed_sources,
            lambda r: f"{r.source_id}  {r.outlet}, {r.published}")
    section("New statements", diff.new_statements,
            lambda r: f"{r.statement_id} [{r.topic}, {r.status}, {plural(int(r.n_sources), 'source')}] "
                      f"{_short(r.summary)}")
    section("Statements no source makes any more", diff.removed_statements,
            lambda r: f"{r.statement_id} [{r.topic}] {_short(r.summary)}")
    section("Resolved schedules (a plan now reported)", diff.resolved,
            lambda r: f"{r.statement_id} [{r.topic}] {_short(r.summary)}")
    section("Statements whose cross-source status changed", diff.changed_statements,
            lambda r: f"{r.statement_id} [{r.topic}] {r.was} → {r.now}: {_short(r.summary)}")
    section("Changed verdicts", diff.changed_verdicts,
            lambda r: f"{r.claim_id}: {r.was} → {r.now} ({_short(r.note, 80)})")
    return "\n".join(lines)


def read_checked(path: Path, table: Table, needed: Iterable[str]) -> pd.DataFrame:
    """A table of an edition's package as ``read_table`` gives it (every cell a string, text
    restored), or an ``InputError`` naming the line where the file cannot be what a build wrote:
    not UTF-8, a row with too few or too many fields, a ``needed`` column missing, a number that
    is not one. An edited or damaged package is bad input, not a traceback. The frame's
    ``attrs["lines"]`` holds each row's line in the file."""
    fix = "rebuild that data package, or give another folder"
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text (byte {exc.start})", line=raw[:exc.start].count(b"\n") + 1,
                         fix=f"save it as UTF-8, or {fix}") from None
    # a cell may hold a whole article's text, past the csv module's default of 131,072 characters
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, lines = [], []
    try:
        header = next(reader, None)
        for row in reader:
            if row:  # a blank line, as pandas skips it
                rows.append(row)
                lines.append(reader.line_num)
    except csv.Error as exc:
        raise InputError(path, f"not readable as CSV ({exc})", line=reader.line_num,
                         fix=f"the file may be cut short: {fix}") from None
    if not header:
        raise InputError(path, "empty: no header line", line=1, fix=fix)
    for row, line in zip(rows, lines, strict=True):
        if len(row) != len(header):
            raise InputError(path, f"{len(row)} fields where the header has {len(header)}", line=line,
                             fix=f"the file may be cut short or edited: {fix}")
    frame = pd.DataFrame(rows, columns=header, dtype=str) if rows else pd.DataFrame(
        {name: pd.Series(dtype=str) for name in header})
    missing = [name for name in needed if name not in header]
    if missing:
        raise InputError(path, f"no column {', '.join(missing)}", line=1, fix=fix)
    _check_types(path, frame, table, lines, fix)
    frame = frame.map(restore)
    frame.attrs["lines"] = lines
    return frame


_NUMBER_WORDS = {INT: "a whole number", NUM: "a number", BOOL: "true or false"}


def _check_types(path: Path, frame: pd.DataFrame, table: Table, lines: list[int], fix: str) -> None:
    """Integer, number and boolean cells as the build writes them (a number may be empty)."""
    for name, kind, _ in table.fields:
        if name not in frame.columns or kind not in _NUMBER_WORDS:
            continue
        values = frame[name]
        if kind == INT:
            bad = ~values.str.fullmatch(r"-?\d+")
        elif kind == BOOL:
            bad = ~values.isin(["true", "false"])
        else:
            bad = (values != "") & pd.to_numeric(values, errors="coerce").isna()
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise InputError(path, f"{name} {values.iloc[row]!r} is not {_NUMBER_WORDS[kind]}",
                             line=lines[row], fix=fix)
