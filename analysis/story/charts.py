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


def story_chart(lanes: pd.DataFrame, topics: list[Topic], title: str) -> go.Figure:
    """Lanes by topic (in ``topics.yaml`` order), a mark per source at its publication date."""
    fig = go.Figure()
    for status, (colour, symbol, meaning) in STATUS_STYLE.items():
        part = lanes[lanes.status == status]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part.published, y=part.topic, mode="markers", name=meaning,
            marker={"color": colour, "symbol": symbol, "size": 9 + 3 * part.statements.clip(upper=4),
                    "line": {"color": "#222" if symbol != "x" else colour, "width": 1.2}, "opacity": 0.9},
            customdata=part[["outlet", "statements", "example"]],
            hovertemplate=("%{customdata[0]}, %{x|%d %b %Y}: %{customdata[1]} statement(s)<br>"
                           "<i>%{customdata[2]}</i><extra></extra>")))
    order = [t.label for t in topics if t.label in set(lanes.topic)]
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)), title=None)
    if not lanes.empty:
        first, last = lanes.published.min(), lanes.published.max()
        pad = max((last - first) * 0.05, pd.Timedelta(days=7))
        fig.update_xaxes(range=[first - pad, last + pad])
    fig = titled(fig, title, "Publication date of the source", "", height=190 + 40 * max(len(order), 2))
    fig.update_layout(legend={"title": {"text": "Across sources: "}, "orientation": "h", "y": -0.18,
                              "yanchor": "top", "x": 0, "xanchor": "left"}, margin={"b": 110})
    return fig

