"""The briefing's view of the story: sources, what moved, and facts grouped by statement.

A story gathers sources for months, many of them copies of one another. The main body must read
the same at one source or fifty, so every table here shows each *statement* once (with the number
of sources that make it), keeps the rows an editor needs first, and says how many more the data
package holds.
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

from ..facts.extract import Facts
from ..inputs.sources import Source
from ..story.editions import EditionDiff
from ..story.statements import Topic, shortened, wordings
from ..wording import plural

SHOWN_SOURCES = 10  # rows of the sources table before the rest are summed up in one row
SHOWN_MOVES = 6  # updated or conflicting statements listed in the main body
SHOWN_QUOTES = 12  # distinct quotations listed in the main body
SHOWN_FLAGGED = 10  # claims that do not hold, or cannot be settled, in the main body's table
SHOWN_LISTED = 24  # supported claims (and opinions) named in the main body's lists
SHOWN_WATCH = 8  # scheduled or planned items in the main body's watch list
SHOWN_OUTLETS = 10  # outlets the opening names, with their articles' dates, before "and N more"
SHOWN_DATES = 6  # dates listed for one outlet before they are given as a count and a span
# The most sources a briefing is measured to build at (benchmarks/story_scale.py, README "Several
# sources"); `check` and `corpus select` warn above it, saying what to do.
MEASURED_SOURCES = 1000


def too_many_sources(count: int, folder: str) -> str | None:
    """The warning for a folder of more sources than a briefing is measured at, or None."""
    if count <= MEASURED_SOURCES:
        return None
    return (f"{folder} holds {plural(count, 'source')}, more than the {MEASURED_SOURCES:,} a briefing "
            "is measured to build at (README, 'Several sources'): the build takes longer and the main "
            "body sums most of them up — narrow the selection (corpus select --since, --until, more "
            f"--actors) or move older articles out of {folder}")


FACT_TABLES = ("events", "quantities", "quotes", "relations")


def source_label(source: Source) -> str:
    return f"{source.outlet} {source.published:%Y-%m-%d}"


def long_date(day: dt.date) -> str:
    """A date as prose writes it: ``7 February 2026``."""
    return f"{day.day} {day:%B %Y}"


def said_by(source: Source) -> str:
    """How prose names a source: ``CNN (24 April 2025)``."""
    return f"{source.outlet} ({long_date(source.published)})"


def short_dates(days: list[dt.date], joined: str = "and") -> str:
    """Dates as a compact list, month and year said once for a run of them: ``24, 25 Apr 2025
    and 3 Mar 2026``; with ``joined="to"``, two dates as a span (``24 to 27 Apr 2025``)."""
    days = sorted(set(days))
    parts = []
    for day, after in zip(days, [*days[1:], None], strict=True):
        part = str(day.day)
        if after is None or (after.year, after.month) != (day.year, day.month):
            part += f" {day:%b}"
        if after is None or after.year != day.year:
            part += f" {day.year}"
        parts.append(part)
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {joined} {parts[-1]}"


def outlets_list(sources: list[Source], first: Collection[str] = (), limit: int = SHOWN_OUTLETS,
                 dates: int = SHOWN_DATES) -> str:
    """The sources grouped by outlet with their dates, oldest outlet first (plain text): ``CNN (24
    Apr 2025); Orbital Ledger (3 articles: 24 and 25 Apr 2025)``. Beyond ``limit`` outlets, the
    outlets of the sources in ``first`` are named, then those with the most articles, and the
    rest are counted, so that the list keeps its length; an outlet of more than ``dates`` dates
    gives their count and span."""
    by_outlet: dict[str, list[dt.date]] = defaultdict(list)
    for s in sorted(sources, key=lambda s: (s.published, s.source_id)):
        by_outlet[s.outlet].append(s.published)
    preferred = {s.outlet for s in sources if s.source_id in set(first)}
    named = sorted(by_outlet, key=lambda o: (o not in preferred, -len(by_outlet[o]), by_outlet[o][0],
                                             o.casefold(), o))[:limit]
    parts = []
    for outlet in sorted(named, key=lambda o: (by_outlet[o][0], o.casefold(), o)):
        days = by_outlet[outlet]
        if len(set(days)) > dates:
            when = f"{len(days)} articles, {short_dates([days[0], days[-1]], 'to')}"
        else:
            when = (f"{len(days)} articles: " if len(days) > len(set(days)) else "") + short_dates(days)
        parts.append(f"{outlet} ({when})")
    rest = [o for o in by_outlet if o not in named]
    if rest:
        articles = sum(len(by_outlet[o]) for o in rest)
        parts.append(f"and {plural(articles, 'more article')} from {plural(len(rest), 'outlet')}, "
                     "each listed in sources.csv")
    return "; ".join(parts)


def sources_phrase(source_ids: list[str], facts: Facts, limit: int = 3) -> str:
    """Sources by outlet and date; a long list as a count and the span of their dates."""
    if len(source_ids) <= limit:
        return "; ".join(source_label(facts.by_id[s]) for s in source_ids)
    dates = sorted(facts.by_id[s].published for s in source_ids)
    return f"{len(source_ids):,} sources from {dates[0]:%d %b %Y} to {dates[-1]:%d %b %Y}"


def shown_sources(facts: Facts, statements: pd.DataFrame, limit: int = SHOWN_SOURCES) -> list[str]:
    """The sources the sources table shows on a row of their own, oldest first: all of them up to
    ``limit``; beyond, the first source and those that were first to make the most statements
    (the rest are summed up in one row)."""
    order = sorted(facts.sources, key=lambda s: (s.published, s.source_id))
    if len(order) <= limit:
        return [s.source_id for s in order]
    made = statements.first_source.value_counts().to_dict()
    ranked = sorted(order[1:], key=lambda s: (-made.get(s.source_id, 0), s.published, s.source_id))
    kept = {s.source_id for s in [order[0], *ranked[: limit - 2]]}
    return [s.source_id for s in order if s.source_id in kept]


def sources_table(facts: Facts, statements: pd.DataFrame, topics: list[Topic], changed: dict[str, str],
                  limit: int = SHOWN_SOURCES) -> pd.DataFrame:
    """One row per source, oldest first: who, when, what it added that no earlier source had, and
    which key judgements it changed (``changed``: source_id → their numbers). Beyond ``limit``
    sources, those that added least (``shown_sources``) are summed up in a last row. Datelines
    and lengths are in ``sources.csv``: a row of one line each keeps the main body short."""
    labels = {t.topic_id: t.label for t in topics}
    shown = set(shown_sources(facts, statements, limit))
    made = statements.first_source.value_counts().to_dict()
    rows, rest = [], []
    for s in sorted(facts.sources, key=lambda s: (s.published, s.source_id)):
        if s.source_id not in shown:
            rest.append(s)
            continue
        first = statements[statements.first_source == s.source_id]
        named = [labels[t] for t in dict.fromkeys(first[first.kind == "event"].topic) if t in labels]
        added = f"{len(first)} new" + (f": {', '.join(named[:3])}" if named else "")
        rows.append({"source": s.outlet, "date": f"{s.published:%Y-%m-%d}",
                     "byline": " and ".join(s.authors), "added": added,
                     "changed": changed.get(s.source_id) or "none",
                     "source_id": s.source_id})
    if rest:
        outlets = list(dict.fromkeys(s.outlet for s in rest))
        new = sum(made.get(s.source_id, 0) for s in rest)
        rest_changed = {x for s in rest for x in (changed.get(s.source_id) or "").split(", ") if x}
        rows.append({"source": f"{len(rest)} more sources",
                     "date": f"{rest[0].published:%Y-%m-%d} to {rest[-1].published:%Y-%m-%d}",
                     "byline": f"from {plural(len(outlets), 'outlet')}",  # the opening names them
                     "added": f"{new} new", "source_id": "",
                     "changed": ", ".join(sorted(rest_changed - {"none"}, key=int)) or "none"})
    return pd.DataFrame(rows, columns=["source", "date", "byline", "added", "changed", "source_id"])


def dates_as_written(statement: pd.Series, facts: Facts) -> str:
    """How the sources of an event statement worded its date, for a reader; empty when they all
    wrote it alike (syndicated copies) or it is no event."""
    others = wordings(statement.get("other_wordings", "") or "")
    shown = statement.get("date_words", "") or ""
    if not others or all(words.casefold() == shown.casefold() for words, _ in others):
        return ""
    listed = "; ".join(f"“{words}” ({sources_phrase(ids, facts)})" for words, ids in others)
    return (f"Dated as {source_label(facts.by_id[statement.date_source])} wrote it, “{shown}”, the most "
            f"precise; the others wrote {listed}")


def story_moves(facts: Facts, statements: pd.DataFrame, labels: dict[str, str],
                limit: int = SHOWN_MOVES) -> tuple[pd.DataFrame, int]:
    """Statements a later source updated or same-day sources disagree on, most widely stated
    first; and how many more there are. ``labels``: topic id → the words a reader sees."""
    moved = statements[(statements.n_sources > 1) & statements.status.isin(["updated", "conflicting"])]
    moved = moved.sort_values(["n_sources", "statement_id"], ascending=[False, True])
    rows = pd.DataFrame([{
        "topic": labels.get(r.topic, r.topic), "status": r.status,
        "sources": sources_phrase(r.sources.split("|"), facts),
        "summary": shortened(r.summary, 160), "statement_id": r.statement_id,
    } for r in moved.head(limit).itertuples()], columns=["topic", "status", "sources", "summary",
                                                         "statement_id"])
    return rows, max(len(moved) - limit, 0)


def statement_of_fact(links: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(table, fact_id) → statement_id."""
    return dict(zip(zip(links.table, links.fact_id, strict=True), links.statement_id, strict=True))


def claim_groups(facts: Facts, statements: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """The claims, one group per statement: claims of different sources whose words hold facts of
    the same statement, or that are the same words (a syndicated copy), are one row. The
    representative is a curated claim if there is one, else one with a computed verdict, else the
    earliest source's. Claims of one source never merge."""
    claims = facts["claims"]
    of_fact = statement_of_fact(links)
    starts: dict[str, list[tuple[int, str]]] = defaultdict(list)  # source → (fact start, statement)
    for table in FACT_TABLES:
        frame = facts[table]
        id_column = frame.columns[0]
        for fact_id, source_id, start in zip(frame[id_column], frame.source_id, frame.start, strict=True):
            statement = of_fact.get((table, fact_id))
            if statement:
                starts[source_id].append((int(start), statement))
    for found in starts.values():
        found.sort()
    shared = statements.set_index("statement_id").n_sources.to_dict()
    published = {s.source_id: s.published for s in facts.sources}
    groups: dict[str, list] = {}
    worded: dict[str, str] = {}  # a claim's words → its group: a syndicated copy says the same
    for claim in claims.itertuples():
        inside = starts.get(claim.source_id, [])
        lo = bisect.bisect_left(inside, (int(claim.start), ""))
        hi = bisect.bisect_left(inside, (int(claim.end), ""))
        candidates = sorted({s for _, s in inside[lo:hi]}, key=lambda s: (-shared[s], s))
        words = " ".join(re.findall(r"\w+", claim.text.casefold()))
        copied = worded.get(words)
        key = copied if copied and claim.source_id not in {c.source_id for c in groups[copied]} else None
        key = key or next((s for s in candidates if s in groups
                           and claim.source_id not in {c.source_id for c in groups[s]}), None)
        key = key or next((s for s in candidates if s not in groups), f"claim:{claim.claim_id}")
        groups.setdefault(key, []).append(claim)
        worded.setdefault(words, key)
    rows = []
    for key, members in groups.items():
        best = min(members, key=lambda c: (c.origin == "automatic", c.verdict == "unverifiable",
                                           published[c.source_id], c.source_id))
        sources = list(dict.fromkeys(c.source_id for c in sorted(
            members, key=lambda c: (published[c.source_id], c.source_id))))
        rows.append({"claim_id": best.claim_id, "statement_id": "" if key.startswith("claim:") else key,
                     "topic": best.topic, "verdict": best.verdict, "method": best.method, "note": best.note,
                     "origin": best.origin, "sources": "|".join(sources), "n_sources": len(sources),
                     "members": "|".join(c.claim_id for c in members)})
    columns = ["claim_id", "statement_id", "topic", "verdict", "method", "note", "origin", "sources",
               "n_sources", "members"]
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class RecordShown:
    """The claims the main body names, capped so that it keeps its length at any number of
    sources: curated claims first, then those most sources make; the rest are counted (every
    claim is in ``claims.csv``)."""

    flagged: pd.DataFrame  # do not hold as stated, or cannot be settled
    held: pd.DataFrame  # supported
    opinions: pd.DataFrame
    more_flagged: int
    more_held: int
    more_opinions: int
    waiting: pd.DataFrame  # automatic claims no check could settle: counted, never listed

    @property
    def shown(self) -> pd.DataFrame:
        return pd.concat([self.flagged, self.held, self.opinions])


def record_shown(groups: pd.DataFrame, flagged: int = SHOWN_FLAGGED, listed: int = SHOWN_LISTED,
                 noted_above: Collection[str] = ()) -> RecordShown:
    """``groups``: ``claim_groups`` (one row per statement). A claim in ``noted_above`` (the watch
    list, which gives its status) is not in the table of claims that do not hold, so that its
    note is said once; it is still counted and listed with its verdict."""
    settled = groups[(groups.origin != "automatic") | (groups.verdict != "unverifiable")]
    ranked = settled.assign(_automatic=settled.origin == "automatic", _order=range(len(settled))).sort_values(
        ["_automatic", "n_sources", "_order"], ascending=[True, False, True])

    def first(rows: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, int]:
        kept = rows.head(limit).sort_values("_order").drop(columns=["_automatic", "_order"])
        return kept, len(rows) - len(kept)

    bad, more_bad = first(ranked[~ranked.verdict.isin(["supported", "opinion"])
                                 & ~ranked.claim_id.isin(set(noted_above))], flagged)
    held, more_held = first(ranked[ranked.verdict == "supported"], listed)
    opinions, more_opinions = first(ranked[ranked.verdict == "opinion"], listed)
    return RecordShown(bad, held, opinions, more_bad, more_held, more_opinions, groups.drop(settled.index))


def quote_groups(facts: Facts, links: pd.DataFrame) -> pd.DataFrame:
    """The quotations, one row per statement (a syndicated quotation once), with its sources;
    the representative is the earliest source's."""
    quotes = facts["quotes"]
    of_fact = statement_of_fact(links)
    published = {s.source_id: s.published for s in facts.sources}
    order = quotes.assign(_published=quotes.source_id.map(published)).sort_values(
        ["_published", "source_id", "start"], kind="stable")
    rows: dict[str, dict] = {}
    for q in order.itertuples():
        key = of_fact.get(("quotes", q.quote_id), q.quote_id)
        if key in rows:
            if q.source_id not in rows[key]["sources"]:
                rows[key]["sources"].append(q.source_id)
            continue
        rows[key] = {"quote_id": q.quote_id, "sources": [q.source_id]}
    chosen = quotes.set_index("quote_id").loc[[r["quote_id"] for r in rows.values()]].reset_index()
    chosen["sources"] = ["|".join(r["sources"]) for r in rows.values()]
    chosen["n_sources"] = [len(r["sources"]) for r in rows.values()]
    return chosen


def since_html(diff: EditionDiff | None, labels: dict[str, str], limit: int = SHOWN_MOVES) -> str:
    """"New since the previous edition" (escaped HTML); nothing when no previous edition was given.
    ``labels``: topic id → the words a reader sees."""
    if diff is None:
        return ""
    parts = ["<h3>New since the previous edition</h3>"]
    if diff.empty:
        return parts[0] + "<p>Nothing: the same sources, statements and verdicts.</p>"

    def listed(title: str, items: list[str]) -> None:
        items = list(dict.fromkeys(items))  # two statements of one sentence read the same: once
        if items:
            more = f"<li>… and {len(items) - limit} more</li>" if len(items) > limit else ""
            parts.append(f"<p><b>{html.escape(title)} ({len(items)}):</b></p><ul>"
                         + "".join(f"<li>{html.escape(i)}</li>" for i in items[:limit]) + more + "</ul>")

    listed("New sources", [f"{r.outlet}, {r.published}" for r in diff.new_sources.itertuples()])
    listed("Sources no longer included",
           [f"{r.outlet}, {r.published}" for r in diff.removed_sources.itertuples()])
    ranked = diff.new_statements.sort_values(["n_sources", "statement_id"], ascending=[False, True])
    listed("New statements", [f"{labels.get(r.topic, r.topic)}: {shortened(r.summary, 140)}"
                                for r in ranked.itertuples()])
    listed("Statements no source makes any more",
           [f"{labels.get(r.topic, r.topic)}: {shortened(r.summary, 140)}"
            for r in diff.removed_statements.itertuples()])
    listed("Resolved schedules", [f"{labels.get(r.topic, r.topic)}: {shortened(r.summary, 140)}"
                                  for r in diff.resolved.itertuples()])
    listed("Changed verdicts", [f"{r.topic}: {r.was} → {r.now}" for r in diff.changed_verdicts.itertuples()])
    return "".join(parts)
