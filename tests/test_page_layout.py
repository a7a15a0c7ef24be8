"""What the page looks like: nothing drawn over anything else, nothing cut off at the edge, at
the print width and on a phone; and the house style that makes it so."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import plotly.graph_objects as go
import pytest

from analysis import style
from analysis.network.chart import CHARACTER, LINE, place_labels
from tests.scratch import BuildRun

PRINT_PX, PHONE_PX = 680, 390

# Boxes (left, top, right, bottom) of what must never overlap or leave the figure, per chart.
CHART_BOXES = """() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(gd => {
  const box = e => { const r = e.getBoundingClientRect();
                     return [r.left, r.top, r.right, r.bottom]; };
  const figure = gd.closest('figure');
  return {id: gd.id, diagram: figure.classList.contains('briefing-diagram'),
          svg: box(gd.querySelector('.main-svg')),
          title: Array.from(gd.querySelectorAll('.gtitle')).map(box),
          legend: Array.from(gd.querySelectorAll('.legend .bg')).map(box),
          axisTitles: Array.from(gd.querySelectorAll('.xtitle, .ytitle')).map(box),
          values: Array.from(gd.querySelectorAll('.bars .textpoint, .xtitle, .gtitle')).map(box),
          labels: Array.from(gd.querySelectorAll('.scatterlayer .textpoint')).filter(t => t.textContent)
                  .map(box)};
})"""


def overlap(a: list[float], b: list[float], slack: float = 1.0) -> bool:
    return a[0] + slack < b[2] and b[0] + slack < a[2] and a[1] + slack < b[3] and b[1] + slack < a[3]


@pytest.mark.e2e
def test_charts_draw_nothing_over_anything_else_at_print_and_phone_width(built_project: BuildRun) -> None:
    found = layout_problems(built_project.root / "reports" / "briefing.html")
    assert found == [], found


def layout_problems(briefing: Path) -> list[str]:
    """What is drawn over something else or cut off, at the print width and on a phone."""
    from analysis.build.browser import open_page
    from analysis.build.export import wait_for_charts

    found = []
    with open_page(briefing, width=PRINT_PX) as (page, _log):
        for width in (PRINT_PX, PHONE_PX):
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(600)  # plotly redraws a responsive chart at the new width
            wait_for_charts(page)
            for chart in page.evaluate(CHART_BOXES):
                where = f"{chart['id']} at {width} px"
                for legend in chart["legend"]:
                    found += [f"{where}: legend over the title or an axis title"
                              for other in chart["title"] + chart["axisTitles"] if overlap(legend, other)]
                if not chart["diagram"] or width == PRINT_PX:  # the network scrolls on a phone
                    found += [f"{where}: {box} cut off at the edge" for box in chart["values"]
                              if box[2] > chart["svg"][2] + 1 or box[0] < chart["svg"][0] - 1]
                if width == PRINT_PX:
                    labels = chart["labels"]
                    found += [f"{where}: labels overlap" for i, a in enumerate(labels) for b in labels[i + 1:]
                              if overlap(a, b)]
            if width == PHONE_PX:
                wide = page.evaluate("w => Array.from(document.querySelectorAll('table, p, li, figcaption'))"
                                     ".filter(e => e.getBoundingClientRect().right > w + 1).length", width)
                found += [f"{wide} tables or paragraphs wider than a phone"] if wide else []
    return found


@pytest.mark.e2e
def test_the_pdf_keeps_each_table_column_apart(built_project: BuildRun) -> None:
    """In print a verdict and how it was reached once ran together ("unverifiablecomputed")."""
    text = subprocess.run(["pdftotext", "-layout", str(built_project.root / "reports/briefing.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    glued = re.findall(r"(?:unverifiable|supported|outdated|contradicted|correct)(?:computed|set|typed)|"
                       r"PublishedByline|statementsjudgements", text)
    assert glued == [] and "unverifiable" in text


def test_labels_are_placed_where_they_overlap_nothing() -> None:
    """A crowded network: every label placed sits clear of every other label and of every node,
    inside the picture; the most central actor is always labelled."""
    positions = {f"n{i}": ((i % 6) / 5 - 0.5, (i // 6) / 5 - 0.5) for i in range(30)}
    positions["hub"] = (0.01, 0.01)
    labels = {"hub": "The most central actor"}
    labels |= {n: f"Actor number {n}" for n in sorted(positions) if n != "hub"}
    sizes = dict.fromkeys(positions, 12.0) | {"hub": 30.0}
    placed = place_labels(positions, labels, sizes, [-0.8, 0.8], [-0.7, 0.7], (400.0, 300.0), 0.0)
    assert "hub" in placed and 3 < len(placed) < len(labels)
    scale_x, scale_y = 400 / 1.6, 300 / 1.4

    def box(node: str) -> tuple[float, float, float, float]:
        x, y = (positions[node][0] + 0.8) * scale_x, (positions[node][1] + 0.7) * scale_y
        r, w = sizes[node] / 2 + 2, CHARACTER * len(labels[node])
        return {"middle right": (x + r, y - LINE / 2, x + r + w, y + LINE / 2),
                "middle left": (x - r - w, y - LINE / 2, x - r, y + LINE / 2),
                "top center": (x - w / 2, y + r, x + w / 2, y + r + LINE),
                "bottom center": (x - w / 2, y - r - LINE, x + w / 2, y - r)}[placed[node]]

    boxes = {n: box(n) for n in placed}
    for a in boxes:
        assert boxes[a][0] >= 0 and boxes[a][2] <= 400 and boxes[a][1] >= 0 and boxes[a][3] <= 300
        for b in boxes:
            assert a == b or not overlap(list(boxes[a]), list(boxes[b]), slack=0.0), (a, b)
        for node, (x, y) in positions.items():
            cx, cy, r = (x + 0.8) * scale_x, (y + 0.7) * scale_y, sizes[node] / 2
            if node != a:
                assert not overlap(list(boxes[a]), [cx - r, cy - r, cx + r, cy + r], slack=0.0), (a, node)


def test_the_house_style_puts_legends_under_the_title_and_leaves_room_for_values() -> None:
    style.use_house_style()
    names = ["a", "a very long name of an office of a government"]
    fig = go.Figure(go.Bar(x=[3, 10], y=names, orientation="h", text=[3, 10], textposition="outside",
                           name="bars"))
    fig.update_yaxes(categoryorder="array", categoryarray=names)
    style.room_for_values(fig, 10)
    fig = style.titled(fig, "A title long enough to need a second line in a narrow figure", "x", "",
                       height=400)
    assert fig.layout.legend.yref == "container" and fig.layout.legend.y < 1 - style.TITLE_PX / 400
    assert fig.layout.title.text.count("<br>") == 1 and fig.layout.title.pad.t > 6
    assert fig.layout.xaxis.range[1] >= 12  # room past the longest bar for its value
    assert any("<br>" in t for t in fig.layout.yaxis.ticktext)  # the long category wraps
    network_like = go.Figure(go.Scatter(x=[0], y=[0], name="n"))
    network_like.update_layout(legend={"yref": "paper", "y": -0.02})
    assert style.titled(network_like, "t", "", "").layout.legend.y == -0.02  # a chart's own place kept
