"""The public record: reference tables in ``analysis/reference/``, loaded against a schema.

Every row keeps its ``sources``; values resting only on background knowledge stay flagged
(``bk``). A bad cell stops loading with ``file:line: problem — fix``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..facts.dates import period_bounds

PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
DATETIME_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$")
BK = "[BK]"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text | int | bool | date | partial_date | datetime | list
    required: bool = False
    values: tuple[str, ...] = ()  # enumeration, when not empty


@dataclass(frozen=True)
class TableSpec:
    name: str
    key: str
    columns: tuple[Column, ...]
    requires: dict[str, str] = field(default_factory=dict)  # column → column it needs

    @property
    def file(self) -> str:
        return f"{self.name}.csv"


SPECS = (
    TableSpec("crewed_missions", "mission", (
        Column("mission", required=True), Column("launch_utc", "datetime", True),
        Column("launch_local"), Column("crew_size", "int", True), Column("crew", "list"),
        Column("destination", required=True, values=("free flight", "Tiangong-1", "Tiangong-2",
                                                     "Tiangong")),
        Column("tiangong_seq", "int"), Column("after_assembly_seq", "int"),
        Column("app_dev_phase_seq", "int"), Column("notes"), Column("sources", required=True),
        Column("landing_utc", "datetime"), Column("landing_note"))),
    TableSpec("station_visitors", "station", (
        Column("station", required=True), Column("crewed_from", "int", True), Column("crewed_to", "int"),
        Column("host", required=True, values=("Soviet Union", "United States", "China",
                                              "Soviet Union / Russia", "multinational")),
        Column("foreign_nationalities_count", "int"), Column("individuals_count", "int"),
        Column("foreign_nationalities", "list"), Column("notes"), Column("sources", required=True),
        Column("background_only", "bool", True), Column("nationalities_total_reported", "int"),
        Column("first_module_launched", "int"), Column("first_module_source")),
        requires={"first_module_launched": "first_module_source"}),
    TableSpec("pakistan_space_milestones", "item", (
        Column("date", "partial_date", True), Column("item", required=True), Column("launcher"),
        Column("launch_site"), Column("launched_by_china", "bool"), Column("notes"),
        Column("sources", required=True), Column("launch_utc", "datetime"))),
    TableSpec("after_article_timeline", "date", (
        Column("date", "date", True), Column("event", required=True), Column("sources", required=True),
        Column("notes"))),
)


def _parse(value: str, column: Column, path: Path, line: int) -> object:
    def bad(expected: str) -> InputError:
        return InputError(path, f"column {column.name!r}: {value!r} is not {expected}", line=line,
                          fix="correct the cell (see analysis/reference/README.md)")

    if value == "":
        if column.required:
            raise InputError(path, f"column {column.name!r} is empty", line=line,
                             fix="every row needs it; give the value and its source")
        return None
    if column.values and value not in column.values:
        raise InputError(path, f"column {column.name!r}: {value!r} is not one of "
                               f"{', '.join(column.values)}", line=line, fix="use a listed value")
    if column.kind == "int":
        if not re.fullmatch(r"-?\d+", value):
            raise bad("a whole number")
        return int(value)
    if column.kind == "bool":
        if value not in ("true", "false"):
            raise bad("true or false")
        return value == "true"
    if column.kind in ("date", "partial_date"):
        pattern_ok = PARTIAL_DATE.match(value) if column.kind == "partial_date" else \
            re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
        if not pattern_ok:
            raise bad("an ISO date" + (" (YYYY, YYYY-MM or YYYY-MM-DD)" if column.kind == "partial_date"
                                       else " YYYY-MM-DD"))
        try:
            period_bounds(value)
        except ValueError:
            raise bad("a real date") from None
        return value
    if column.kind == "datetime":
        if not DATETIME_UTC.match(value):
            raise bad("a UTC time YYYY-MM-DDTHH:MMZ")
        try:
            return dt.datetime.strptime(value, "%Y-%m-%dT%H:%MZ").replace(tzinfo=dt.UTC)
        except ValueError:
            raise bad("a real date and time") from None
    if column.kind == "list":
        return tuple(v.strip() for v in value.split(";") if v.strip())
    return value


def load_table(path: Path, spec: TableSpec) -> pd.DataFrame:
    """One reference CSV as a DataFrame with typed columns plus ``line``, ``bk`` and ``ref``."""
    if not path.is_file():
        raise InputError(path, "reference table not found", fix="restore it from git")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(path, "the file is empty", line=1,
                             fix="restore it from git") from None
        expected = [c.name for c in spec.columns]
        if header != expected:
            raise InputError(path, f"columns are {header}, expected {expected}", line=1,
                             fix="restore the header row")
        rows, seen = [], {}
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                raise InputError(path, f"{len(record)} cells, expected {len(header)}", line=line,
                                 fix="check quoting: a comma inside a cell needs double quotes")
            row = {c.name: _parse(v, c, path, line) for c, v in zip(spec.columns, record, strict=True)}
            for column, needed in spec.requires.items():
                if row[column] is not None and not row[needed]:
                    raise InputError(path, f"{column!r} is given without {needed!r}", line=line,
                                     fix=f"add the source in {needed!r}")
            key = row[spec.key]
            if spec.key != "date" and key in seen:
                raise InputError(path, f"duplicate {spec.key} {key!r} (first at line {seen[key]})",
                                 line=line, fix="merge the two rows or correct the key")
            seen[key] = line
            row["line"] = line
            row["bk"] = BK in (row.get("notes") or "") or BK in (row.get("sources") or "") or bool(
                row.get("background_only"))
            row["ref"] = f"{spec.file}:{line}"
            rows.append(row)
    frame = pd.DataFrame(rows, columns=[*expected, "line", "bk", "ref"])
    for column in spec.columns:  # nullable dtypes: a missing cell stays missing, not NaN-as-float
        if column.kind == "int":
            frame[column.name] = frame[column.name].astype("Int64")
        elif column.kind == "bool":
            frame[column.name] = frame[column.name].astype("boolean")
    return frame


@dataclass(frozen=True)
class PublicRecord:
    crewed_missions: pd.DataFrame
    station_visitors: pd.DataFrame
    pakistan_space_milestones: pd.DataFrame
    after_article_timeline: pd.DataFrame
    cut: str | None = None  # an edition's date, when the record is cut to what was known by then

    @classmethod
    def load(cls, folder: Path, as_of: str | None = None) -> PublicRecord:
        """The reference tables; with ``as_of`` (an edition's date), only what was known by then:
        later rows are dropped and later landings blanked (a row keeps its file line)."""
        record = cls(**{spec.name: load_table(Path(folder) / spec.file, spec) for spec in SPECS})
        return record.until(as_of) if as_of else record

    def until(self, day: str) -> PublicRecord:
        end = dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC) + dt.timedelta(days=1)
        missions = self.crewed_missions[self.crewed_missions.launch_utc < end].copy()
        landed = missions.landing_utc.notna() & (missions.landing_utc >= end)
        missions.loc[landed, "landing_utc"] = None
        stations = self.station_visitors[self.station_visitors.crewed_from <= int(day[:4])]
        milestones = self.pakistan_space_milestones
        milestones = milestones[milestones.date.map(lambda d: period_bounds(d)[0].isoformat() <= day)]
        later = self.after_article_timeline[self.after_article_timeline.date <= day]
        return PublicRecord(missions, stations.copy(), milestones.copy(), later.copy(), cut=day)

    @property
    def as_of(self) -> str:
        """The latest date any reference table speaks of: what 'now' means for the record."""
        dates = [*self.after_article_timeline["date"], *self.pakistan_space_milestones["date"],
                 *(t.strftime("%Y-%m-%d") for t in self.crewed_missions["launch_utc"]),
                 *(t.strftime("%Y-%m-%d") for t in self.crewed_missions["landing_utc"].dropna())]
        return max(d for d in dates if len(d) == 10)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {spec.name: getattr(self, spec.name) for spec in SPECS}
