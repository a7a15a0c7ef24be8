"""The house chart style: palette, fonts, the plotly template and the marks every chart shares.

The palette is Okabe–Ito (safe for the common colour-vision deficiencies); series that
must stay apart in greyscale also differ in pattern or symbol. Figure factories live with
the stage whose tables they draw (``facts.charts``, ``network.chart``, ``record.charts``).
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
TEMPLATE_NAME = "briefing"


def house_template() -> go.layout.Template:
    return go.layout.Template(
        layout=go.Layout(
            font={"family": FONT, "size": 13, "color": "#1a1a1a"},
            title={"x": 0, "xanchor": "left", "font": {"size": 16}},
            colorway=PALETTE,
            paper_bgcolor="white",
            plot_bgcolor="white",
            margin={"l": 60, "r": 20, "t": 70, "b": 60},
            xaxis={"showline": True, "linecolor": "#444", "ticks": "outside", "gridcolor": "#e5e5e5",
                   "automargin": True, "title": {"standoff": 8}},
            yaxis={"showline": True, "linecolor": "#444", "ticks": "outside", "gridcolor": "#e5e5e5",
                   "automargin": True, "title": {"standoff": 8}},
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
            hoverlabel={"font": {"family": FONT}},
        )
    )


def use_house_style() -> None:
    """Call once at the top of a notebook: explicit renderer, house template as default.

    ``plotly_mimetype`` stores only the figure JSON in the notebook: small, deterministic,
    and drawn by JupyterLab without trusting the notebook.
    """
    pio.templates[TEMPLATE_NAME] = house_template()
    pio.templates.default = TEMPLATE_NAME
    pio.renderers.default = "plotly_mimetype"


TITLE_PX = 34  # the title's line at the top of a chart, and the gap below it
TITLE_LINE, TITLE_WIDTH = 20, 46  # a title longer than TITLE_WIDTH characters takes more lines


def titled(fig: go.Figure, title: str, x: str, y: str, height: int = 420) -> go.Figure:
    """Title, axis titles, height and the house template. The legend sits between the title and
    the plot, its own title above its items, and pushes the plot down as far as it needs at any
    width: a legend placed below the plot ran into the axis title whenever the plot was short
    or the page narrow (the PDF's figures, a phone)."""
    lines = textwrap.wrap(title, TITLE_WIDTH, break_on_hyphens=False) or [title]
    # plotly anchors a title of several lines by its last: the first needs room above it
    fig.update_layout(title={"text": "<br>".join(lines), "yref": "container", "y": 1, "yanchor": "top",
                             "pad": {"t": 6 + TITLE_LINE * (len(lines) - 1)}},
                      xaxis_title=x, yaxis_title=y, height=height,
                      template=pio.templates[TEMPLATE_NAME] if TEMPLATE_NAME in pio.templates
                      else house_template())
    title_px = TITLE_PX + 2 * TITLE_LINE * (len(lines) - 1)
    if fig.layout.legend.yref != "paper":  # a chart may place its legend itself, on the plot's area
        fig.update_layout(legend={"orientation": "h", "yref": "container", "y": 1 - title_px / height,
                                  "yanchor": "top", "xref": "container", "x": 0, "xanchor": "left",
                                  "title": {"side": "top left"}})
    fig.update_layout(margin={"t": max(fig.layout.margin.t or 0, title_px + 8)})
    return _wrapped_categories(as_plain_text(fig))


LABEL_WIDTH = 22  # characters of a category label on one line


def _wrapped_categories(fig: go.Figure) -> go.Figure:
    """Long category labels of a listed y axis on two or more lines: one long name ("Prime
    Minister's Office of Pakistan") left a phone's chart a sliver of plot and pushed its axis
    title off the edge."""
    axis = fig.layout.yaxis
    labels = list(axis.categoryarray) if axis.categoryarray is not None else []
    if labels and any(len(str(label)) > LABEL_WIDTH for label in labels) and axis.ticktext is None:
        fig.update_yaxes(tickmode="array", tickvals=labels,
                         ticktext=["<br>".join(textwrap.wrap(str(label), LABEL_WIDTH, break_long_words=False,
                                                             break_on_hyphens=False)) or str(label)
                                   for label in labels])
    return fig


def room_for_values(fig: go.Figure, largest: float, share: float = 0.22) -> go.Figure:
    """Horizontal bars with their values written past the end: the value axis reaches ``share``
    beyond the longest bar, so its number is never cut off at the chart's edge."""
    fig.update_xaxes(range=[0, (largest or 1) * (1 + share)])
    return fig


# Trace and axis fields whose strings come from the data (names, words, labels), never the code.
# ``text`` and ``hovertext`` are left to the charts that fill them: those that compose markup
# (the network's bold relation and line breaks) escape the data they put in it.
DATA_TEXT = ("x", "y", "name", "labels", "ids")
AXIS_TEXT = ("categoryarray", "ticktext")


def as_plain_text(fig: go.Figure) -> go.Figure:
    """Names and labels from sources and curated files shown as text: plotly reads ``<a href>``,
    ``<span style>`` and ``<b>`` in any label (a curated name holding a link made a clickable
    external link in the briefing and in figures/*.svg), so ``&``, ``<`` and ``>`` in them become
    entities, which plotly draws as the characters. Titles, axis titles, annotations, hover
    templates and composed hover texts are the code's own and keep their markup."""
    for trace in fig.data:
        for key in DATA_TEXT:
            if key in trace and trace[key] is not None:
                trace[key] = _escaped(trace[key])
    for name in fig.layout:
        axis = fig.layout[name]
        if name.startswith(("xaxis", "yaxis")) and axis is not None:
            for key in AXIS_TEXT:
                if axis[key] is not None:
                    axis[key] = _escaped(axis[key])
    return fig


def plain(value):
    """A label (or a list of labels) from the data, with plotly's markup characters as entities."""
    return _escaped(value)


def _escaped(value):
    if isinstance(value, str):
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if isinstance(value, list | tuple):
        return type(value)(_escaped(v) for v in value)
    if hasattr(value, "dtype") and value.dtype == object:  # a numpy array of labels
        return [_escaped(v) for v in value.tolist()]
    return value


def date_line(fig: go.Figure, when: object, *, dash: str, colour: str, label: str = "") -> None:
    """A vertical line at a date across the plot, with an optional label above it.

    The date is given to plotly as an ISO string: plotly.js reads epoch milliseconds (what
    ``add_vline`` needs for a labelled line) in the viewer's time zone, so such a line moves
    with the machine that draws it.
    """
    iso = pd.Timestamp(when).strftime("%Y-%m-%d")
    fig.add_shape(type="line", x0=iso, x1=iso, y0=0, y1=1, xref="x", yref="y domain",
                  line={"dash": dash, "color": colour})
    if label:
        fig.add_annotation(x=iso, y=1, xref="x", yref="y domain", text=label, showarrow=False,
                           yanchor="bottom")


def bar_marker(colour: str, pattern: str = "") -> dict:
    """A bar fill that reads in greyscale: solid colour with a white pattern over it."""
    return {"color": colour, "line": {"color": "#333", "width": 0.6},
            "pattern": {"shape": pattern, "fillmode": "overlay", "fgcolor": "#ffffff",
                        "fgopacity": 0.8, "size": 7}}


# Entity types in a fixed order, each with a colour, a bar pattern and a marker symbol, so that
# types stay apart in greyscale and for colour-blind readers.
TYPE_STYLE = {
    "country": (PALETTE[0], "", "circle"),
    "agency": (PALETTE[1], "/", "square"),
    "person": (PALETTE[2], "x", "diamond"),
    "station": (PALETTE[3], ".", "star"),
    "media": (PALETTE[4], "-", "triangle-down"),
    "mission": (PALETTE[5], "\\", "triangle-up"),
    "institution": (PALETTE[6], "+", "pentagon"),
    "company": (PALETTE[7], "|", "hexagon"),
    "programme": (PALETTE[0], ".", "hourglass"),
    "intergovernmental organisation": (PALETTE[1], "x", "cross"),
    "facility": (PALETTE[2], "-", "bowtie"),
    "place": (PALETTE[3], "/", "circle-open"),
    "spacecraft": (PALETTE[5], "+", "square-open"),
}


def type_style(kind: str) -> tuple[str, str, str]:
    return TYPE_STYLE.get(kind, (PALETTE[7], "", "circle"))
