"""Charts of the facts: paragraph profile, mentions, quoted words, dated events.

DataFrames in, ``go.Figure`` out, in the house style (``analysis.style``)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from ..style import PALETTE, TYPE_STYLE, bar_marker, date_line, plain, room_for_values, titled, type_style
from ..wording import plural
from .dates import period_bounds


def paragraph_words(profile: pd.DataFrame, title: str) -> go.Figure:
    """Stacked bars: words in each paragraph, quoted versus the reporter's own."""
    fig = go.Figure()
    fig.add_bar(x=profile["paragraph"], y=profile["narrative_words"], name="Reporter's words",
                marker=bar_marker(PALETTE[0]))
    fig.add_bar(x=profile["paragraph"], y=profile["quoted_words"], name="Quoted words",
                marker=bar_marker(PALETTE[1], "/"))
    fig.update_layout(barmode="stack")
    return titled(fig, title, "Paragraph (in reading order)", "Words")


def ranked_by_type(frame: pd.DataFrame, value: str, title: str, x_title: str, top: int = 15,
                   number_format: str = "") -> go.Figure:
    """Horizontal bars, largest on top, one colour and pattern per entity type (``name``, ``type``)."""
    shown = frame.sort_values([value, "name"], ascending=[False, True]).head(top)
    shown = shown.sort_values([value, "name"], ascending=[True, False])
    fig = go.Figure()
    for kind in TYPE_STYLE:
        part = shown[shown["type"] == kind]
        if part.empty:
            continue
        colour, pattern, _ = type_style(kind)
        fig.add_bar(x=part[value], y=part["name"], orientation="h", name=kind,
                    marker=bar_marker(colour, pattern), text=part[value],
                    texttemplate=f"%{{text{number_format}}}", textposition="outside", cliponaxis=False)
    fig.update_yaxes(categoryorder="array", categoryarray=list(shown["name"]))
    fig.update_layout(legend_title_text="Entity type")
    room_for_values(fig, float(shown[value].max()) if len(shown) else 0.0)
    return titled(fig, title, x_title, "", height=max(360, 26 * len(shown) + 220))


def mentions_by_entity(counts: pd.DataFrame, title: str, top: int = 15) -> go.Figure:
    """Who the sources name most."""
    return ranked_by_type(counts, "mentions", title,
                          "Mentions (names, aliases, demonyms, descriptions)", top=top)


# Channels that are not outlets keep fixed styles; outlets take the next styles in name order.
CHANNEL_STYLE = {"unstated": (PALETTE[0], ""), "statement": (PALETTE[1], "/"),
                 "press conference": (PALETTE[3], "-")}
OUTLET_STYLES = [(PALETTE[2], "x"), (PALETTE[5], "."), (PALETTE[4], "+"), (PALETTE[6], "|"),
                 (PALETTE[7], "\\")]


def quoted_words(summary: pd.DataFrame, title: str, top: int | None = None) -> go.Figure:
    """Words quoted per speaker, split by the channel through which they reached the reporter;
    with ``top``, only the speakers quoted most (a story of many sources quotes dozens)."""
    totals = summary.groupby("speaker")["words"].sum()
    order = sorted(totals.index, key=lambda s: (totals[s], s))[-top if top else 0:]
    summary = summary[summary.speaker.isin(order)]
    fig = go.Figure()
    channels = sorted(summary["channel_name"].unique(), key=lambda c: (c not in CHANNEL_STYLE, c))
    outlets = iter(OUTLET_STYLES * (len(channels) // len(OUTLET_STYLES) + 1))
    for channel in channels:
        part = summary[summary["channel_name"] == channel]
        colour, pattern = CHANNEL_STYLE.get(channel) or next(outlets)
        fig.add_bar(x=part["words"], y=part["speaker"], orientation="h", name=channel,
                    marker=bar_marker(colour, pattern),
                    customdata=[[plural(int(n), "quotation")] for n in part["quotes"]],
                    hovertemplate="%{y}: %{x} words in %{customdata[0]}<extra>%{fullData.name}</extra>")
    fig.update_layout(barmode="stack", legend_title_text="Channel")
    fig.update_yaxes(categoryorder="array", categoryarray=order)
    return titled(fig, title, "Words quoted", "", height=max(320, 30 * len(order) + 190))


STATUS_STYLE = {"reported": (PALETTE[0], "circle"), "scheduled": (PALETTE[5], "diamond"),
                "planned": (PALETTE[2], "square")}


def event_timeline(events: pd.DataFrame, published: str, title: str,
                   label_width: int = 48, limit: int = 60) -> go.Figure:
    """Dated events from the sources: a marker at each date, a bar across month/year periods.
    The same words with the same date (a syndicated copy) are one row; beyond ``limit`` rows,
    the latest dates are drawn and the title says how many of how many (a row per event of a
    thousand sources made a chart thousands of rows tall).

    Markers differ by shape as well as colour, so status reads in greyscale.
    """
    frame = events[events.precision != "unresolved"]  # no date to place
    frame = frame.drop_duplicates(["date", "date_end", "status", "evidence", "description"]).copy()
    if len(frame) > limit:
        title = f"{title} (the {limit} latest of {len(frame)})"
        frame = frame.sort_values(["date", "event_id"], ascending=False).head(limit).copy()
    frame["first"] = pd.to_datetime(frame["date"].map(lambda d: period_bounds(d)[0]))
    frame["last"] = pd.to_datetime(frame.apply(lambda r: period_bounds(r["date_end"] or r["date"])[1],
                                               axis=1))
    frame["mid"] = frame["first"] + (frame["last"] - frame["first"]) / 2
    frame = frame.sort_values(["first", "event_id"], ascending=[False, False])
    # Source words are escaped: plotly reads a subset of HTML in labels and hover text.
    frame["label"] = frame.apply(
        lambda r: html.escape(_short(f"{r['evidence']}: {r['description']}", label_width)), axis=1)
    frame["evidence"] = frame["evidence"].map(html.escape)
    fig = go.Figure()
    for status, (colour, symbol) in STATUS_STYLE.items():
        part = frame[frame["status"] == status]
        if part.empty:
            continue
        for row in part.itertuples():
            if row.precision != "day":
                fig.add_trace(go.Scatter(x=[row.first, row.last], y=[row.label, row.label],
                                         mode="lines", line={"color": colour, "width": 6},
                                         showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(
            x=part["mid"], y=part["label"], mode="markers", name=status,
            marker={"color": colour, "symbol": symbol, "size": 11, "line": {"color": "#222", "width": 1}},
            customdata=[[d, p, plain(e)]
                        for d, p, e in zip(part.date, part.precision, part.evidence, strict=True)],
            hovertemplate="%{customdata[0]} (%{customdata[1]})<br>“%{customdata[2]}”<extra>"
                          "%{fullData.name}</extra>"))
    date_line(fig, published, dash="dash", colour="#444", label="published")
    fig.update_yaxes(categoryorder="array", categoryarray=list(frame["label"]), tickfont={"size": 11})
    fig.update_layout(legend_title_text="Status", margin={"l": 20})
    return titled(fig, title, "Date (resolved against the publication date)", "",
                   height=max(380, 26 * len(frame) + 200))


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
