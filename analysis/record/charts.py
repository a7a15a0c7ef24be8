"""Charts of the public record: timeline, crewed missions, stations, Pakistan's launches, verdicts.

DataFrames in, ``go.Figure`` out, in the house style (``analysis.style``)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from ..facts.dates import period_bounds
from ..style import PALETTE, bar_marker, date_line, room_for_values, titled
from .tables import PublicRecord

VERDICT_STYLE = {  # colour and pattern, in reading order from best to worst supported
    "supported": (PALETTE[2], ""), "partly correct": (PALETTE[1], "/"), "outdated": (PALETTE[4], "."),
    "contradicted": (PALETTE[5], "x"), "unverifiable": ("#bbbbbb", "-"), "opinion": ("#777777", "+"),
}
LANES = {  # timeline lane → (colour, marker symbol)
    "Sources: reported": (PALETTE[0], "circle"),
    "Sources: scheduled or planned": (PALETTE[5], "diamond"),
    "Crewed Shenzhou launches": (PALETTE[3], "triangle-up"),
    "Pakistan's space milestones": (PALETTE[2], "square"),
    "Record: later events": (PALETTE[1], "star"),
}
DESTINATION_STYLE = {"free flight": ("#999999", "."), "Tiangong-1": (PALETTE[4], "/"),
                     "Tiangong-2": (PALETTE[1], "x"), "Tiangong": (PALETTE[0], "")}


def _first_day(date: str) -> pd.Timestamp:
    return pd.Timestamp(period_bounds(date)[0])


def timeline_points(events: pd.DataFrame, record: PublicRecord) -> pd.DataFrame:
    """One row per dated item from the sources and the record: lane, date, label, hover, source."""
    rows = []
    for e in events[events.precision != "unresolved"].itertuples():
        lane = "Sources: reported" if e.status == "reported" else "Sources: scheduled or planned"
        rows.append({"lane": lane, "date": _first_day(e.date), "precision": e.precision,
                     "label": html.escape(e.evidence),
                     "hover": html.escape(f"{e.date} ({e.status}): {e.description}"),
                     "ref": f"{e.source_id}@{e.start}"})
    for m in record.crewed_missions[record.crewed_missions.crew_size > 0].itertuples():
        rows.append({"lane": "Crewed Shenzhou launches", "date": pd.Timestamp(m.launch_utc.date()),
                     "precision": "day", "label": m.mission,
                     "hover": f"{m.mission}, {m.crew_size} crew to {m.destination}", "ref": m.ref})
    for m in record.pakistan_space_milestones.itertuples():
        rows.append({"lane": "Pakistan's space milestones", "date": _first_day(m.date),
                     "precision": "day" if len(m.date) == 10 else "year", "label": m.item,
                     "hover": html.escape(f"{m.date}: {m.item}"), "ref": m.ref})
    for a in record.after_article_timeline.itertuples():
        rows.append({"lane": "Record: later events", "date": _first_day(a.date), "precision": "day",
                     "label": html.escape(a.event), "hover": html.escape(f"{a.date}: {a.event}"),
                     "ref": a.ref})
    return pd.DataFrame(rows).sort_values(["date", "lane", "label"]).reset_index(drop=True)


def record_timeline(points: pd.DataFrame, sources: tuple[str, str], as_of: str, title: str,
                    start: str | None = None, end: str | None = None) -> go.Figure:
    """Lanes of dated items, with the sources' publication dates (first, latest) shaded and the
    record's as-of date marked."""
    shown = points
    if start:
        shown = shown[shown.date >= pd.Timestamp(start)]
    if end:
        shown = shown[shown.date <= pd.Timestamp(end)]
    fig = go.Figure()
    for lane, (colour, symbol) in LANES.items():
        part = _one_per_day(shown[shown.lane == lane])
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part.date, y=[lane] * len(part), mode="markers", name=lane, showlegend=False,
            marker={"color": colour, "symbol": symbol, "size": 12, "opacity": 0.85,
                    "line": {"color": "#222", "width": 1}},
            customdata=part[["hover", "ref"]],
            hovertemplate="%{customdata[0]}<br><i>%{customdata[1]}</i><extra></extra>"))
    first_source, latest_source = sources
    if first_source != latest_source:
        fig.add_vrect(x0=first_source, x1=latest_source, fillcolor="#999999", opacity=0.15, line_width=0)
    marks = [(first_source, "sources from" if first_source != latest_source else "source", "dash")]
    if first_source != latest_source:
        marks.append((latest_source, "to", "dash"))
    marks.append((as_of, "record as of", "dot"))
    for row, (when, text, dash) in enumerate(marks):
        date_line(fig, when, dash=dash, colour="#333")
        fig.add_annotation(x=pd.Timestamp(when), y=1.0, yref="paper", text=f"{text} {when}",
                           showarrow=False, yanchor="bottom", yshift=2 + 16 * row, font={"size": 11},
                           xanchor="right")
    first = min(shown.date.min(), pd.Timestamp(first_source))
    last = max(shown.date.max(), pd.Timestamp(as_of))
    pad = (last - first) * 0.04
    fig.update_xaxes(range=[first - pad, last + pad])
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(LANES)), title=None)
    fig.update_layout(margin={"t": 110})
    return titled(fig, title, "Date", "", height=400)


def _one_per_day(points: pd.DataFrame, listed: int = 3) -> pd.DataFrame:
    """One marker per day of a lane, its hover naming the first few items and counting the rest:
    a thousand sources give tens of thousands of dated items, mostly on the same days."""
    rows = []
    for date, day in points.groupby("date", sort=True):
        hovers = list(dict.fromkeys(day.hover))
        more = len(hovers) - listed
        rows.append({"date": date,
                     "hover": "<br>".join(hovers[:listed]) + (f"<br>… and {more} more" if more > 0 else ""),
                     "ref": "; ".join(list(dict.fromkeys(day.ref))[:listed])})
    return pd.DataFrame(rows, columns=["date", "hover", "ref"])


def crewed_missions_by_year(record: PublicRecord, title: str) -> go.Figure:
    """Crewed Shenzhou launches per year, stacked by destination."""
    crewed = record.crewed_missions[record.crewed_missions.crew_size > 0].copy()
    crewed["year"] = crewed.launch_utc.map(lambda t: t.year)
    groups = [(crewed.destination == d, d, style) for d, style in DESTINATION_STYLE.items()]
    fig = _stacked_by_year(crewed, groups, "mission", "Destination")
    return titled(fig, title, "Launch year", "Crewed launches", height=380)


def _stacked_by_year(frame: pd.DataFrame, groups: list, label: str, legend: str) -> go.Figure:
    """Counts per year (column ``year``), one stacked series per (mask, name, style) group;
    hover lists the ``label`` of each item."""
    years = list(range(int(frame.year.min()), int(frame.year.max()) + 1))
    fig = go.Figure()
    for mask, name, (colour, pattern) in groups:
        part = frame[mask]
        if part.empty:
            continue
        items = part.groupby("year")[label].apply(list)
        fig.add_bar(x=years, y=[len(items.get(y, [])) for y in years], name=name,
                    marker=bar_marker(colour, pattern),
                    customdata=["<br>".join(items.get(y, [])) for y in years],
                    hovertemplate="%{x}: %{customdata}<extra>%{fullData.name}</extra>")
    fig.update_layout(barmode="stack", legend_title_text=legend)
    fig.update_yaxes(dtick=1)
    return fig


def stations_by_foreign_nationalities(record: PublicRecord, title: str) -> go.Figure:
    """Foreign (non-host) nationalities each station hosted; the ISS, with no single host, shows
    the countries reported in all instead, drawn hatched."""
    stations = record.station_visitors.copy()
    stations["value"] = stations.foreign_nationalities_count.fillna(
        stations.nationalities_total_reported).astype(int)
    stations["measure"] = stations.foreign_nationalities_count.map(
        lambda v: "foreign nationalities" if pd.notna(v) else "countries in all (no single host)")
    stations["label"] = stations.apply(lambda r: f"{r.station} ({r.crewed_from}–"
                                                 f"{'' if pd.isna(r.crewed_to) else int(r.crewed_to)})",
                                       axis=1)
    stations = stations.sort_values(["crewed_from", "station"])
    fig = go.Figure()
    for measure, (colour, pattern) in {"foreign nationalities": (PALETTE[0], ""),
                                       "countries in all (no single host)": (PALETTE[4], "/")}.items():
        part = stations[stations.measure == measure]
        fig.add_bar(x=part.value, y=part.label, orientation="h", name=measure,
                    marker=bar_marker(colour, pattern), text=part.value, textposition="outside",
                    cliponaxis=False, customdata=part[["host", "ref"]],
                    hovertemplate="%{y}: %{x}<br>host: %{customdata[0]}<br><i>%{customdata[1]}</i>"
                                  "<extra></extra>")
    for row in stations[(stations.value == 0) & stations.crewed_to.isna()].itertuples():
        fig.add_annotation(x=0, y=row.label, text=f"none yet, as of {record.as_of}", showarrow=False,
                           xanchor="left", xshift=22, font={"size": 11, "color": "#444"})
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(stations.label)))
    room_for_values(fig, float(stations.value.max()))
    return titled(fig, title, "Nationalities", "", height=430)


def pakistan_satellite_launches(record: PublicRecord, title: str) -> go.Figure:
    """Launches of Pakistani satellites per year, by whether China launched them.

    Milestones without a launch (founding, agreements, a leased satellite) and sounding
    rockets are left out.
    """
    launches = satellite_launches(record)
    launches["year"] = launches.date.str[:4].astype(int)
    by_china = launches.launched_by_china.astype(bool)
    groups = [(by_china, "launched by China", (PALETTE[5], "")),
              (~by_china, "launched by others", (PALETTE[0], "/"))]
    fig = _stacked_by_year(launches, groups, "item", "Launcher")
    return titled(fig, title, "Launch year", "Satellite launches", height=360)


def satellite_launches(record: PublicRecord) -> pd.DataFrame:
    milestones = record.pakistan_space_milestones
    launched = milestones[milestones.launched_by_china.notna() & milestones.launcher.notna()
                          & ~milestones.item.str.contains("sounding rocket", case=False)]
    return launched.copy()


def verdict_counts(claims: pd.DataFrame, title: str) -> go.Figure:
    """How many claims got each verdict, split by how the verdict was reached."""
    fig = go.Figure()
    order = [v for v in VERDICT_STYLE if v in set(claims.verdict)]
    for verdict in order:
        colour, pattern = VERDICT_STYLE[verdict]
        part = claims[claims.verdict == verdict]
        fig.add_bar(x=[len(part)], y=[verdict], orientation="h", name=verdict, showlegend=False,
                    marker=bar_marker(colour, pattern), text=[len(part)], textposition="outside",
                    cliponaxis=False, customdata=[", ".join(part.claim_id)],
                    hovertemplate="%{y}: %{x}<br>%{customdata}<extra></extra>")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)))
    room_for_values(fig, float(claims.verdict.value_counts().max()) if len(claims) else 0.0)
    return titled(fig, title, "Claims", "", height=320)
