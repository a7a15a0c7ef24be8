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
from collections import defaultdict

import pandas as pd

from ..facts.extract import Facts
from ..inputs.sources import Source
from ..story.editions import EditionDiff
from ..story.statements import Topic, shortened, wordings

SHOWN_SOURCES = 10  # rows of the sources table before the rest are summed up in one row
SHOWN_MOVES = 6  # updated or conflicting statements listed in the main body
SHOWN_QUOTES = 12  # distinct quotations listed in the main body
FACT_TABLES = ("events", "quantities", "quotes", "relations")


def source_label(source: Source) -> str:
    return f"{source.outlet} {source.published:%Y-%m-%d}"


def long_date(day: dt.date) -> str:
    """A date as prose writes it: ``7 February 2026``."""
    return f"{day.day} {day:%B %Y}"


def said_by(source: Source) -> str:
    """How prose names a source: ``CNN (24 April 2025)``."""
    return f"{source.outlet} ({long_date(source.published)})"


def sources_phrase(source_ids: list[str], facts: Facts, limit: int = 3) -> str:
    """Sources by outlet and date; a long list as its first and latest and a count."""
    names = [source_label(facts.by_id[s]) for s in source_ids]
    if len(names) <= limit:
        return "; ".join(names)
    return f"{names[0]} … {names[-1]} ({len(names)} sources)"


def sources_table(facts: Facts, statements: pd.DataFrame, topics: list[Topic], changed: dict[str, str],
                  limit: int = SHOWN_SOURCES) -> pd.DataFrame:
    """One row per source, oldest first: who, when, from where, what it added that no earlier
    source had, and which key judgements it changed (``changed``: source_id → their numbers).
    Beyond ``limit`` sources, those that added least are summed up in a last row."""
    labels = {t.topic_id: t.label for t in topics}
    rows = []
    for s in sorted(facts.sources, key=lambda s: (s.published, s.source_id)):
        first = statements[statements.first_source == s.source_id]
        named = [labels[t] for t in dict.fromkeys(first[first.kind == "event"].topic) if t in labels]
        added = f"{len(first)} new" + (f": {', '.join(named[:3])}" if named else "")
        outlet = f"({s.dateline_outlet})" if s.dateline_outlet else ""
        rows.append({"source": s.outlet, "date": f"{s.published:%Y-%m-%d}",
                     "byline": " and ".join(s.authors),
                     "dateline": " ".join(x for x in (s.dateline_place, outlet) if x),
                     "words": len(s.text.split()), "added": added, "new": len(first),
                     "changed": changed.get(s.source_id) or "none",
                     "source_id": s.source_id})
    frame = pd.DataFrame(rows)
    if len(frame) <= limit:
        return frame.drop(columns="new")
    # keep the first source and those that added most; the rest become one row
    ranked = frame.iloc[1:].sort_values(["new", "date", "source_id"], ascending=[False, True, True])
    kept = frame.loc[sorted([0, *ranked.index[: limit - 2]])]
    rest = frame.drop(kept.index)
    outlets = list(dict.fromkeys(rest.source))
    summary = {"source": f"{len(rest)} more sources", "date": f"{rest.date.min()} to {rest.date.max()}",
               "byline": ", ".join(outlets[:3]) + (f" and {len(outlets) - 3} more outlets" if len(outlets) > 3
                                                   else ""),
               "dateline": "", "words": int(rest.words.sum()), "added": f"{int(rest.new.sum())} new",
               "new": int(rest.new.sum()), "source_id": "",
               "changed": ", ".join(sorted({x for c in rest.changed for x in c.split(", ") if x != "none"},
                                           key=int)) or "none"}
    return pd.concat([kept, pd.DataFrame([summary])], ignore_index=True).drop(columns="new")


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


def story_moves(facts: Facts, statements: pd.DataFrame, topics: list[Topic],
                limit: int = SHOWN_MOVES) -> tuple[pd.DataFrame, int]:
    """Statements a later source updated or same-day sources disagree on, most widely stated
    first; and how many more there are."""
    labels = {t.topic_id: t.label for t in topics}
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
    the same statement are one row. The representative is a curated claim if there is one, else
    one with a computed verdict, else the earliest source's. Claims of one source never merge."""
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
    for claim in claims.itertuples():
        inside = starts.get(claim.source_id, [])
        lo = bisect.bisect_left(inside, (int(claim.start), ""))
        hi = bisect.bisect_left(inside, (int(claim.end), ""))
        candidates = sorted({s for _, s in inside[lo:hi]}, key=lambda s: (-shared[s], s))
        key = next((s for s in candidates if s in groups
                    and claim.source_id not in {c.source_id for c in groups[s]}), None)
        key = key or next((s for s in candidates if s not in groups), f"claim:{claim.claim_id}")
        groups.setdefault(key, []).append(claim)
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


def since_html(diff: EditionDiff | None, topics: list[Topic], limit: int = SHOWN_MOVES) -> str:
    """"New since the previous edition" (escaped HTML); nothing when no previous edition was given."""
    labels = {t.topic_id: t.label for t in topics}
    if diff is None:
        return ""
    parts = ["<h3>New since the previous edition</h3>"]
    if diff.empty:
        return parts[0] + "<p>Nothing: the same sources, statements and verdicts.</p>"

    def listed(title: str, items: list[str]) -> None:
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
