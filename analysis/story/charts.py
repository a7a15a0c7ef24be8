"""How the story moved: what each source said, when, lane by topic, with changes highlighted.

An editor preparing a follow-up edition reads this first: each mark is one source's statements on
one topic, placed at the source's publication date; a statement a later source updated, or that
same-day sources disagree on, is marked so (symbol and colour, so it survives greyscale).
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
import plotly.graph_objects as go

from ..inputs.sources import Source
from ..style import PALETTE, titled
from ..wording import plural
from .statements import Topic, shortened

# Worst first: a source's mark on a lane takes the status of its most notable statement there.
STATUS_STYLE = {
    "conflicting": (PALETTE[5], "x", "sources disagree the same day"),
    "updated": (PALETTE[0], "diamond", "updated by a later source"),
    "consistent": (PALETTE[2], "circle", "several sources agree"),
    "single source": ("#888888", "circle-open", "one source only"),
}


def story_lanes(statements: pd.DataFrame, sources: list[Source], topics: list[Topic]) -> pd.DataFrame:
    """One row per (topic, source): the statements that source made on the topic, and their
    most notable cross-source status."""
    published = {s.source_id: s.published for s in sources}
    outlets = {s.source_id: s.outlet for s in sources}
    labels = {t.topic_id: t.label for t in topics}
    said: dict[tuple[str, str], list] = defaultdict(list)
    for row in statements[statements.topic.isin(labels)].itertuples():
        for source_id in row.sources.split("|"):
            said[(row.topic, source_id)].append(row)
    rank = {status: i for i, status in enumerate(STATUS_STYLE)}
    rows = []
    for (topic, source_id), made in said.items():
        status = min((r.status for r in made), key=lambda s: rank.get(s, len(rank)))
        notable = [r for r in made if r.status == status]
        rows.append({"topic": labels[topic], "source_id": source_id, "outlet": outlets[source_id],
                     "published": pd.Timestamp(published[source_id]), "status": status,
                     "statements": len(made),
                     "example": shortened(notable[0].summary, 90), "statement_id": notable[0].statement_id})
    columns = ["topic", "source_id", "outlet", "published", "status", "statements", "example", "statement_id"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["published", "topic", "source_id"]).reset_index(drop=True)


def story_chart(lanes: pd.DataFrame, topics: list[Topic], title: str, weekly_above: int = 40) -> go.Figure:
    """Lanes by topic (in ``topics.yaml`` order), a mark per source at its publication date;
    beyond ``weekly_above`` sources, a mark per week of sources with the same status, sized by
    how many there are (a mark per source of a thousand made the lanes solid black bars)."""
    marks = _weekly(lanes) if lanes.source_id.nunique() > weekly_above else lanes.assign(
        sources=1, when=lanes.published.dt.strftime("%d %b %Y"), made=lanes.statements,
        statements=[plural(n, "statement") for n in lanes.statements])
    fig = go.Figure()
    for status, (colour, symbol, meaning) in STATUS_STYLE.items():
        part = marks[marks.status == status]
        if part.empty:
            continue
        size = 9 + 3 * part.made.clip(upper=4) if (part.sources == 1).all() else \
            8 + 4 * part.sources.clip(upper=64) ** 0.5
        fig.add_trace(go.Scatter(
            x=part.published, y=part.topic, mode="markers", name=meaning,
            marker={"color": colour, "symbol": symbol, "size": size,
                    "line": {"color": "#222" if symbol != "x" else colour, "width": 1.2}, "opacity": 0.9},
            customdata=part[["outlet", "statements", "example", "when"]],
            hovertemplate=("%{customdata[0]}, %{customdata[3]}: %{customdata[1]}<br>"
                           "<i>%{customdata[2]}</i><extra></extra>")))
    order = [t.label for t in topics if t.label in set(lanes.topic)]
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)), title=None)
    if not lanes.empty:
        first, last = lanes.published.min(), lanes.published.max()
        pad = max((last - first) * 0.05, pd.Timedelta(days=7))
        fig.update_xaxes(range=[first - pad, last + pad])
    fig = titled(fig, title, "Publication date", "", height=190 + 40 * max(len(order), 2))
    fig.update_layout(legend_title_text="Across sources")
    return fig


def _weekly(lanes: pd.DataFrame) -> pd.DataFrame:
    """The lanes' marks summed up per topic, status and week (from Monday)."""
    weeks = lanes.assign(week=lanes.published - pd.to_timedelta(lanes.published.dt.weekday, unit="D"))
    rows = []
    for (topic, status, monday), part in weeks.groupby(["topic", "status", "week"], sort=True):
        outlets = list(dict.fromkeys(part.outlet))
        named = ", ".join(outlets[:3]) + (f" and {len(outlets) - 3} more outlets" if len(outlets) > 3 else "")
        made = int(part.statements.sum())
        rows.append({"topic": topic, "status": status, "published": monday + pd.Timedelta(days=3),
                     "sources": len(part), "outlet": f"{plural(len(part), 'source')} ({named})",
                     "made": made, "statements": plural(made, "statement"),
                     "example": part.example.iloc[0], "when": f"week of {monday:%d %b %Y}"})
    return pd.DataFrame(rows, columns=["topic", "status", "published", "sources", "outlet", "made",
                                       "statements", "example", "when"])
