"""Charts of a corpus: the story's actors week by week, its outlets, its speakers, names to curate.

DataFrames from ``corpus.queries`` in, ``go.Figure`` out, in the house style (``analysis.style``).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..style import PALETTE, TYPE_STYLE, bar_marker, room_for_values, titled, type_style

SYMBOLS = ("circle", "square", "diamond", "triangle-up", "star", "cross", "x", "pentagon")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash")


def mentions_per_week(weekly: pd.DataFrame, actors: list[str], title: str) -> go.Figure:
    """One line per actor: mentions per week (weeks with none drawn at zero)."""
    fig = go.Figure()
    if not weekly.empty:
        weeks = pd.date_range(weekly.week.min(), weekly.week.max(), freq="W-MON")
        for number, actor in enumerate(actors):
            part = weekly[weekly.entity_id == actor]
            name = part.name.iloc[0] if not part.empty else actor
            series = part.set_index(pd.to_datetime(part.week)).mentions.reindex(weeks, fill_value=0)
            fig.add_scatter(x=[w.strftime("%Y-%m-%d") for w in series.index], y=series.tolist(),
                            mode="lines+markers", name=name,
                            line={"color": PALETTE[number % len(PALETTE)], "width": 1.5,
                                  "dash": DASHES[number % len(DASHES)]},
                            marker={"symbol": SYMBOLS[number % len(SYMBOLS)], "size": 5})
    return titled(fig, title, "Week (starting Monday)", "Mentions in the story's documents", height=440)


def ranked(frame: pd.DataFrame, label: str, value: str, title: str, x_title: str,
           colour: str = PALETTE[0], pattern: str = "") -> go.Figure:
    """Horizontal bars, largest on top (ties in label order)."""
    shown = frame.sort_values([value, label], ascending=[True, False])
    fig = go.Figure()
    fig.add_bar(x=shown[value], y=shown[label], orientation="h", marker=bar_marker(colour, pattern),
                text=shown[value], textposition="outside", cliponaxis=False, showlegend=False)
    fig.update_yaxes(categoryorder="array", categoryarray=list(shown[label]))
    room_for_values(fig, float(shown[value].max()) if len(shown) else 0.0)
    return titled(fig, title, x_title, "", height=max(320, 26 * len(shown) + 180))


def curation_leads(candidates: pd.DataFrame, title: str) -> go.Figure:
    """Names the gazetteer lacks, by the documents naming them, coloured by guessed type."""
    shown = candidates.sort_values(["documents", "name"], ascending=[True, False])
    fig = go.Figure()
    for kind in [*TYPE_STYLE, *sorted(set(shown.type) - set(TYPE_STYLE))]:
        part = shown[shown.type == kind]
        if part.empty:
            continue
        colour, pattern, _ = type_style(kind)
        fig.add_bar(x=part.documents, y=part.name, orientation="h", name=kind,
                    marker=bar_marker(colour, pattern), customdata=part[["first_seen"]].astype(str),
                    hovertemplate="%{y}: %{x} documents, first seen %{customdata[0]}"
                                  "<extra>%{fullData.name}</extra>")
    fig.update_yaxes(categoryorder="array", categoryarray=list(shown.name))
    fig.update_layout(legend_title_text="Guessed type")
    return titled(fig, title, "Documents naming it", "", height=max(360, 26 * len(shown) + 220))
