"""One house style for every chart, and figure factories: DataFrames in, ``go.Figure`` out.

The palette is Okabe–Ito (safe for the common colour-vision deficiencies); series that
must stay apart in greyscale also differ in pattern or symbol.
"""

from __future__ import annotations

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


def _titled(fig: go.Figure, title: str, x: str, y: str, height: int = 420) -> go.Figure:
    fig.update_layout(title={"text": title}, xaxis_title=x, yaxis_title=y, height=height,
                      template=pio.templates[TEMPLATE_NAME] if TEMPLATE_NAME in pio.templates
                      else house_template())
    return fig


def paragraph_words(profile: pd.DataFrame, title: str) -> go.Figure:
    """Stacked bars: words in each paragraph, quoted versus the reporter's own."""
    fig = go.Figure()
    fig.add_bar(x=profile["paragraph"], y=profile["narrative_words"], name="Reporter's words",
                marker={"color": PALETTE[0]})
    fig.add_bar(x=profile["paragraph"], y=profile["quoted_words"], name="Quoted words",
                marker={"color": PALETTE[1], "pattern": {"shape": "/"}})
    fig.update_layout(barmode="stack")
    return _titled(fig, title, "Paragraph (in reading order)", "Words")


def ranked_bars(frame: pd.DataFrame, label: str, value: str, title: str, x_title: str,
                y_title: str = "", colour: str = PALETTE[0]) -> go.Figure:
    """Horizontal bars, largest on top; the generic chart for 'who/what appears most'."""
    ordered = frame.sort_values([value, label], ascending=[True, False])
    fig = go.Figure(go.Bar(x=ordered[value], y=ordered[label], orientation="h",
                           marker={"color": colour}, text=ordered[value], textposition="outside",
                           cliponaxis=False))
    return _titled(fig, title, x_title, y_title, height=max(320, 28 * len(ordered) + 140))
