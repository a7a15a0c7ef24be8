"""The briefing's HTML fragments: key judgements, evidence, tables and captioned figures.

Every piece of source or curated text is escaped here, so nothing a source says becomes markup.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go

from ..markup import text

if TYPE_CHECKING:
    from .content import Evidence, Judgement


def cell_text(value: Any) -> str:
    """A table cell as plain text: empty for missing values, tuples joined, times in UTC."""
    if value is None or (not isinstance(value, (str, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, tuple):
        return "; ".join(value)
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return str(value)



def judgements_html(judgements: list[Judgement]) -> str:
    items = []
    for j in judgements:
        links = " ".join(f'<a class="ev-link" href="#{e.anchor}">[{html.escape(e.label)}]</a>'
                         for e in j.evidence)
        items.append(f'<li id="kj-{j.judgement_id}"><span class="confidence confidence-{j.confidence}" '
                     f'style="font-weight:bold;text-transform:uppercase;font-size:0.8em">'
                     f'{j.confidence} confidence</span> {html.escape(j.text)} '
                     f'<span class="evidence-links">Evidence: {links}</span></li>')
    return '<ol class="key-judgements">' + "".join(items) + "</ol>"


def evidence_html(items: list[Evidence]) -> str:
    """The evidence section: each item once, and items resting on the same sentences (of one
    source, or of syndicated copies) as one block, the passage shown once with all their words
    marked and every place it is; in the order first cited."""
    blocks: dict[object, list[Evidence]] = {}
    seen: set[str] = set()
    for e in items:
        if e.anchor in seen:
            continue
        seen.add(e.anchor)
        blocks.setdefault(e.passage.text if e.passage else e.anchor, []).append(e)
    return '<div class="evidence-list">' + "".join(_evidence_block(b) for b in blocks.values()) + "</div>"


def _evidence_block(items: list[Evidence]) -> str:
    first = items[0]
    passage = first.passage.html([m for e in items for m in e.passage.marks]) if first.passage and len(
        items) > 1 else first.passage_html
    anchors = "".join(f'<span id="{e.anchor}"></span>' for e in items[1:])
    labels = " · ".join(html.escape(e.label) for e in items)
    where = "; ".join(dict.fromkeys(e.where for e in items))
    notes = "".join(f'<p class="evidence-note">{html.escape((e.label + ": ") if len(items) > 1 else "")}'
                    f'{html.escape(e.note)}</p>' for e in items)
    also = "".join(f'<p class="evidence-also">{html.escape(a)}</p>'
                   for a in dict.fromkeys(e.also for e in items) if a)
    return (f'<div class="evidence" id="{first.anchor}">{anchors}<p class="evidence-label">{labels}</p>'
            f'<blockquote>{passage}</blockquote><p class="evidence-where">{html.escape(where)}</p>'
            f"{notes}{also}</div>")


def table_html(frame: pd.DataFrame, columns: dict[str, str], link: str | None = None,
               widths: dict[str, str] | None = None) -> str:
    """A small escaped HTML table; ``link`` names a column of anchors to link the first cell to;
    ``widths`` sets some columns' widths (CSS lengths).

    Count columns are marked ``num`` (narrow, right-aligned). The briefing's style lays these
    tables out by their content (JupyterLab's fixed layout let long words overflow), so the
    widths are hints that no column goes below its longest word.
    """
    numeric = {name for name in columns if name in frame and pd.api.types.is_integer_dtype(frame[name])}

    def cls(name: str) -> str:
        return ' class="num"' if name in numeric else ""

    def width(name: str) -> str:
        return f' style="width:{widths[name]}"' if widths and name in widths else ""

    head = "".join(f"<th{cls(name)}{width(name)}>{html.escape(label)}</th>"
                   for name, label in columns.items())
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for i, name in enumerate(columns):
            raw = getattr(row, name)
            value = f"{int(raw):,}" if name in numeric and not pd.isna(raw) else html.escape(cell_text(raw))
            if i == 0 and link:
                value = f'<a href="#{getattr(row, link)}">{value}</a>'
            cells.append(f'<td{cls(name)} data-label="{html.escape(columns[name], quote=True)}">{value}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="brief-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def linked_list(frame: pd.DataFrame, label: str, anchor: str) -> str:
    """Escaped links, one per row, joined by semicolons: a compact list that points at evidence."""
    return "; ".join(f'<a href="#{html.escape(getattr(r, anchor), quote=True)}">'
                     f"{html.escape(cell_text(getattr(r, label)))}</a>"
                     for r in frame.itertuples(index=False))


CAPTION_METADATA = {"analysis": {"role": "caption"}}


@dataclass
class CaptionedFigure:
    """A figure with caption, takeaway and alt text (kept in ``layout.meta``, where the exporter
    numbers and renders them). ``show()`` also prints the caption below the chart for readers in
    JupyterLab; the exporter drops that copy."""

    figure: go.Figure

    def show(self) -> None:
        from IPython.display import Markdown, display

        self.figure.show()
        meta = self.figure.layout.meta
        display(Markdown(f"*{text(meta['caption'])}.* {text(meta['takeaway'])}"),
                metadata=CAPTION_METADATA)


def captioned(fig: go.Figure, caption: str, takeaway: str, alt: str) -> CaptionedFigure:
    fig.update_layout(meta={"caption": caption, "takeaway": takeaway, "alt": alt})
    return CaptionedFigure(fig)
