"""Claims checked against the public record: a verdict for every claim, computed where possible.

Each curated claim has an entry in ``knowledge/checks.yaml`` naming a check (``record.checks``)
and its parameters. The entries are validated against each check's declaration before any check
runs; a check that cannot find what it needs in the facts or the record fails at the entry's
file:line. Automatic claims (a new source's sentences with dates or numbers) get the generic
checks of ``record.generic``, which need no curation; opinions are opinions.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..datapackage import plain_rows
from ..errors import InputError
from ..facts.extract import Facts
from ..inputs.curated import Entry, load_entries
from .checks import CHECKS, Claim, NotInRecord, Verdict
from .generic import GenericChecks, Sentence, sentences_before
from .tables import PublicRecord


def load_checks(path: Path, facts: Facts) -> dict[str, Entry]:
    """``checks.yaml``: one entry per curated claim, each valid for the check it names."""
    checks: dict[str, Entry] = {}
    claim_ids = set(facts["claims"].claim_id)
    for entry in load_entries(path):
        entry.require("claim", "check")
        if entry["claim"] not in claim_ids:
            raise entry.fail(f"claim {entry['claim']!r} is not in claims.yaml",
                             fix="correct the id or add the claim")
        if entry["claim"] in checks:
            raise entry.fail(f"claim {entry['claim']!r} has two checks", fix="keep one")
        if entry["check"] not in CHECKS:
            raise entry.fail(f"unknown check {entry['check']!r}",
                             fix=f"use one of: {', '.join(sorted(CHECKS))}")
        CHECKS[entry["check"]].validate(entry)
        if entry["check"] == "typed":
            facts.knowledge.vocabulary.check(entry, "verdict", entry["verdict"])
        checks[entry["claim"]] = entry
    return checks


def claim_span(table: pd.DataFrame, claim) -> pd.DataFrame:
    """Rows of an offset table (events, quantities) that lie within a claim's span."""
    return table[(table.source_id == claim.source_id) & (table.start >= claim.start)
                 & (table.end <= claim.end)]


class RowsBySpan:
    """An offset table's rows by source, sorted by start, so that the rows inside a claim's span are
    found by bisection: a scan per claim made a large uncurated source cost claims × facts."""

    def __init__(self, table: pd.DataFrame) -> None:
        self._rows: dict[str, list] = {}
        self._starts: dict[str, list[int]] = {}
        for source_id, group in table.groupby("source_id", sort=False):
            ordered = sorted(enumerate(plain_rows(group)), key=lambda pair: pair[1].start)
            self._rows[source_id] = ordered
            self._starts[source_id] = [int(row.start) for _, row in ordered]

    def within(self, claim) -> list:
        """The rows of the claim's source that lie within its span, in the table's order."""
        rows, starts = self._rows.get(claim.source_id, []), self._starts.get(claim.source_id, [])
        start, end = int(claim.start), int(claim.end)
        found = []
        for i in range(bisect_left(starts, start), len(rows)):
            if starts[i] > end:
                break
            if rows[i][1].end <= end:
                found.append(rows[i])
        return [row for _, row in sorted(found, key=lambda pair: pair[0])]


def judge(facts: Facts, record: PublicRecord) -> pd.DataFrame:
    """The claims table with every verdict filled; a curated claim without one stops the build."""
    return assess(facts, record).claims


@dataclass(frozen=True)
class Assessment:
    claims: pd.DataFrame  # the claims table with verdicts
    values: dict[str, dict]  # claim_id → what its check computed


def assess(facts: Facts, record: PublicRecord, checks: dict[str, Entry] | None = None) -> Assessment:
    """Every claim judged; also returns the values each check computed."""
    if checks is None:
        checks = load_checks(facts.knowledge.checks_path, facts)
    published = {s.source_id: s.published for s in facts.sources}
    claims = facts["claims"].copy()
    values: dict[str, dict] = {}
    events, quantities = facts["events"], facts["quantities"]
    columns: dict[str, list[str]] = {"verdict": [], "method": [], "reference": [], "note": [],
                                     "topic": []}
    generic = GenericChecks(record, facts.knowledge.gazetteer)
    # indexed once: a large uncurated source has thousands of sentences to read
    events_by_span, quantities_by_span = RowsBySpan(events), RowsBySpan(quantities)
    for row in claims.itertuples(index=False):  # plain rows: thousands of claims in a large source
        topic = row.topic
        if row.origin == "automatic":
            # no curation: the generic checks read the sentence against the tables' own keys
            verdict, title = generic.judge(Sentence(
                row, events_by_span.within(row), quantities_by_span.within(row), published[row.source_id],
                sentences_before(facts.by_id[row.source_id], int(row.start))))
            topic = f"{title} (automatic)"
        elif row.kind == "opinion":
            verdict = Verdict("opinion", "rule", "", "a judgement, not a checkable fact")
        elif row.claim_id in checks:
            spec = checks[row.claim_id]
            # only a checked claim needs the facts in its span (a large uncurated source has thousands)
            claim = Claim(row, claim_span(events, row), claim_span(quantities, row),
                          published[row.source_id])
            check = CHECKS[spec["check"]]
            try:
                verdict = check.run(claim, record, spec)
            except NotInRecord as exc:
                if not record.cut:
                    raise spec.fail(f"check {check.name!r} failed for claim {row.claim_id!r}: {exc}",
                                    fix="correct the parameters or the claim's evidence") from None
                # an edition of an earlier date: the record did not know it yet
                verdict = Verdict("unverifiable", "computed", "",
                                  f"not in the record as of {record.cut}: {exc}")
            undeclared = sorted(set(verdict.values) - set(check.computes))
            if undeclared:  # a code error, not a data error: the declaration is out of date
                raise RuntimeError(f"check {check.name!r} computed undeclared value(s) {undeclared}")
        else:
            raise InputError(facts.knowledge.claims_path, f"claim {row.claim_id!r} has no verdict",
                             line=int(row.line), fix="add a check for it in checks.yaml")
        for name in ("verdict", "method", "reference", "note"):
            columns[name].append(getattr(verdict, name))
        columns["topic"].append(topic)
        values[row.claim_id] = verdict.values
    for name, column in columns.items():
        claims[name] = column
    claims["as_of"] = record.as_of
    return Assessment(claims, values)
