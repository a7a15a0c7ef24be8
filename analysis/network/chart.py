"""The network chart: actors by type (colour and symbol) and centrality (size), edges with evidence.

Positions come from ``network.layout``; hovering an edge shows the words it rests on."""

from __future__ import annotations

import html
import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

from ..style import TYPE_STYLE, plain, titled, type_style
from ..wording import plural
from .graph import ActorGraph

EDGE_STYLE = {"relation": {"color": "#333333", "width": 1.4, "dash": "solid"},
              "co-mention": {"color": "#9a9a9a", "width": 0.8, "dash": "dot"}}
EDGE_NAMES = {"relation": "curated relation", "co-mention": "named in the same sentence"}
LEGEND_NAMES = {"intergovernmental organisation": "intergov. organisation"}


def _wrap(text: str, width: int = 60, lines: int = 6) -> str:
    wrapped = textwrap.wrap(html.escape(text), width)
    return "<br>".join(wrapped[:lines]) + ("<br>…" if len(wrapped) > lines else "")


PRINT_WIDTH = 590  # pixels of plot at the briefing's print width (a figure 612 px wide)
CHARACTER = 6.8  # pixels per label character at font size 11
MARKER = 14  # pixels beside a marker


def label_room(positions: dict[str, tuple[float, float]], labels: dict[str, str],
               centre_x: float) -> list[float]:
    """An x range that leaves room for every label written beside its node (left of the centre,
    labels go left): the room a label needs grows with the range, so solve for both."""
    xs = [x for x, _ in positions.values()] or [0.0]
    left, right = min(xs) - 0.3, max(xs) + 0.3
    for _ in range(20):
        span = right - left
        need = {n: (CHARACTER * len(labels.get(n, "")) + MARKER) / PRINT_WIDTH * span for n in positions}
        new_left = min([left, *(x - need[n] for n, (x, _) in positions.items() if x < centre_x)])
        new_right = max([right, *(x + need[n] for n, (x, _) in positions.items() if x >= centre_x)])
        new_left, new_right = min(new_left, min(xs) - 0.1), max(new_right, max(xs) + 0.1)
        if abs(new_left - left) < 1e-4 and abs(new_right - right) < 1e-4:
            break
        left, right = new_left, new_right
    return [round(left, 4), round(right, 4)]


LINE = 14  # pixels: a label's height at font size 11
# Measured in the printed briefing: the plot's width and the height its title and margins take,
# and the legend's title, entries and rows below it.
PRINT_PLOT = (PRINT_WIDTH, 70)
LEGEND_TITLE, LEGEND_ENTRY, LEGEND_ROW = 120, 175, 30


def place_labels(positions: dict[str, tuple[float, float]], labels: dict[str, str], sizes: dict[str, float],
                 x_range: list[float], y_range: list[float], plot: tuple[float, float],
                 centre_x: float) -> dict[str, str]:
    """Where each label goes (a plotly ``textposition``), most central actor first: beside its node
    on the outer side, else on the inner side, above or below, wherever it overlaps no label
    placed before it, no node and stays inside the picture at print width. A label that fits
    nowhere is left out (the node's hover still names it): overlapping labels were unreadable."""
    width, height = plot
    x_scale = width / (x_range[1] - x_range[0])
    y_scale = height / (y_range[1] - y_range[0])

    def pixels(node: str) -> tuple[float, float]:
        x, y = positions[node]
        return (x - x_range[0]) * x_scale, (y - y_range[0]) * y_scale

    taken = []  # boxes (x0, y0, x1, y1) in pixels, y up
    for node in positions:
        if node in sizes:
            cx, cy, r = *pixels(node), sizes[node] / 2
            taken.append((cx - r, cy - r, cx + r, cy + r))

    def box(node: str, side: str) -> tuple[float, float, float, float]:
        cx, cy = pixels(node)
        r, w = sizes[node] / 2 + 2, CHARACTER * len(labels[node])
        return {"middle right": (cx + r, cy - LINE / 2, cx + r + w, cy + LINE / 2),
                "middle left": (cx - r - w, cy - LINE / 2, cx - r, cy + LINE / 2),
                "top center": (cx - w / 2, cy + r, cx + w / 2, cy + r + LINE),
                "bottom center": (cx - w / 2, cy - r - LINE, cx + w / 2, cy - r)}[side]

    def free(b: tuple[float, float, float, float], own: tuple[float, float, float, float]) -> bool:
        inside = b[0] >= 0 and b[2] <= width and b[1] >= 0 and b[3] <= height
        return inside and all(t == own or b[2] <= t[0] or t[2] <= b[0] or b[3] <= t[1] or t[3] <= b[1]
                              for t in taken)

    placed: dict[str, str] = {}
    for node in labels:
        if node not in positions or node not in sizes:
            continue
        cx, cy, r = *pixels(node), sizes[node] / 2
        own = (cx - r, cy - r, cx + r, cy + r)
        outer, inner = ("middle right", "middle left") if positions[node][0] >= centre_x else \
            ("middle left", "middle right")
        for side in (outer, inner, "top center", "bottom center"):
            candidate = box(node, side)
            if free(candidate, own):
                placed[node] = side
                taken.append(candidate)
                break
    return placed


def network_figure(actors: ActorGraph, metrics: pd.DataFrame, positions: dict[str, tuple[float, float]],
                   title: str, *, kinds: tuple[str, ...] = ("relation", "co-mention"),
                   labels: int = 14, height: int = 640) -> go.Figure:
    """The network: nodes by type (colour + symbol), size by PageRank, edges by kind.

    The ``labels`` most central actors are labelled; every node and edge has a hover text.
    """
    graph = actors.graph
    nodes = metrics.set_index("entity_id").loc[sorted(graph.nodes)]
    fig = go.Figure()
    for kind in kinds:
        xs, ys, mid_x, mid_y, hover = [], [], [], [], []
        for u, v, _, d in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2]):
            if d["kind"] != kind:
                continue
            (x0, y0), (x1, y1) = positions[u], positions[v]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
            mid_x.append(round((x0 + x1) / 2, 4))
            mid_y.append(round((y0 + y1) / 2, 4))
            arrow = "→" if d["directed"] else "—"
            what = d["predicate"].replace("_", " ") if kind == "relation" else plural(d["weight"], "sentence")
            hover.append(f"<b>{html.escape(nodes.loc[u, 'name'])} {arrow} {html.escape(what)} {arrow} "
                         f"{html.escape(nodes.loc[v, 'name'])}</b><br>“{_wrap(d['evidence'])}”")
        if not hover:
            continue
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=EDGE_STYLE[kind], name=EDGE_NAMES[kind],
                                 hoverinfo="skip", legendgroup=kind, legendrank=1))
        fig.add_trace(go.Scatter(x=mid_x, y=mid_y, mode="markers", marker={"size": 9, "opacity": 0},
                                 hovertext=hover, hoverinfo="text", showlegend=False, legendgroup=kind))
    ranked = list(nodes.sort_values(["pagerank", "name"], ascending=[False, True]).head(labels).index)
    largest = nodes["pagerank"].max() or 1
    centre_x = sum(x for x, _ in positions.values()) / max(len(positions), 1)
    sizes = {n: round(8 + 26 * math.sqrt(nodes.loc[n, "pagerank"] / largest), 2) for n in nodes.index}
    texts = {n: (str(nodes.loc[n, "short"]) if n in ranked else "") for n in positions if n in nodes.index}
    x_range = label_room(positions, texts, centre_x)
    ys = [y for _, y in positions.values()] or [0.0]
    y_range = [round(min(ys) - 0.12, 4), round(max(ys) + 0.12, 4)]
    # the plot's size at print width: the legend below takes rows of LEGEND_ENTRY-wide entries
    entries = len(set(nodes["type"])) + len(kinds)
    rows = math.ceil(entries / max(1, (PRINT_PLOT[0] - LEGEND_TITLE) // LEGEND_ENTRY))
    plot = (PRINT_PLOT[0], height - PRINT_PLOT[1] - LEGEND_ROW * rows)
    placed = place_labels(positions, {n: str(nodes.loc[n, "short"]) for n in ranked}, sizes, x_range, y_range,
                          plot, centre_x)
    for kind in TYPE_STYLE:
        part = nodes[nodes["type"] == kind]
        if part.empty:
            continue
        colour, _, symbol = type_style(kind)
        xy = [positions[n] for n in part.index]
        fig.add_trace(go.Scatter(
            x=[x for x, _ in xy], y=[y for _, y in xy], mode="markers+text",
            name=LEGEND_NAMES.get(kind, kind),
            marker={"color": colour, "symbol": symbol, "line": {"color": "#222", "width": 1},
                    "size": [sizes[n] for n in part.index]},
            text=[plain(part.loc[n, "short"]) if n in placed else "" for n in part.index],
            textposition=[placed.get(n, "middle right") for n in part.index],
            textfont={"size": 11},
            hovertext=[f"<b>{html.escape(r.name)}</b> ({kind})<br>mentions {r.mentions} · degree "
                       f"{r.degree}<br>PageRank {r.pagerank:.3f} · betweenness {r.betweenness:.3f}"
                       f"<br>bridging {r.bridging:.2f} · community {r.community}"
                       for r in part.itertuples()],
            hoverinfo="text", legendrank=2))
    fig.update_xaxes(visible=False, range=x_range)
    fig.update_yaxes(visible=False, range=y_range)
    fig.update_layout(legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.02, "yanchor": "top",
                              "yref": "paper", "title": {"text": "Actor type / link"}, "font": {"size": 11},
                              "entrywidth": LEGEND_ENTRY - 10, "entrywidthmode": "pixels"},
                      margin={"l": 10, "r": 10, "t": 60, "b": 10}, hovermode="closest")
    return titled(fig, title, "", "", height=height)
