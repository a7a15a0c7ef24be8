"""Static images beside every chart stored in a notebook, for readers without plotly.

A notebook shown by a code host, a viewer or ``nbconvert`` without plotly.js draws nothing for
plotly's JSON output. Each such output therefore also carries an ``image/png`` of the same
chart, drawn by plotly.js in the headless Chromium the export uses. nbval does not compare
``image/png`` (it compares the chart's JSON, so a changed number still fails), and an image is
reused from the previously stored notebook whenever the chart's JSON is unchanged, so a rebuild
launches no browser unless a chart changed.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import nbformat

PLOTLY_MIME = "application/vnd.plotly.v1+json"
STATIC_MIME = "image/png"
WIDTH_PX = 900  # about the width of a notebook on a code host
DEFAULT_HEIGHT_PX = 450
FINGERPRINT = "static_chart"  # in the output's metadata["analysis"]

TO_PNG = """async ([figure, width, height]) => {
  const url = await Plotly.toImage(
    {data: figure.data || [], layout: figure.layout || {}, config: {staticPlot: true}},
    {format: 'png', width: width, height: height, scale: 1});
  return url.split(',', 2)[1];
}"""


def chart_outputs(nb: nbformat.NotebookNode) -> Iterator[dict]:
    """Every output that holds a plotly chart."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                if PLOTLY_MIME in out.get("data", {}):
                    yield out


def _key(figure: dict) -> str:
    return json.dumps(figure, sort_keys=True, separators=(",", ":"))


def _fingerprint(figure: dict, png: str) -> str:
    return hashlib.sha256(f"{_key(figure)}\0{png}".encode()).hexdigest()[:16]


def attach_image(out: dict, png: str) -> None:
    """Store ``png`` beside the output's chart, fingerprinted: an image replaced by another tool
    (plotly's JupyterLab extension swaps in its own snapshot) no longer matches and is redrawn."""
    out["data"][STATIC_MIME] = png
    out.setdefault("metadata", {}).setdefault("analysis", {})[FINGERPRINT] = \
        _fingerprint(out["data"][PLOTLY_MIME], png)


def own_image(out: dict) -> str | None:
    png = out["data"].get(STATIC_MIME)
    stamp = out.get("metadata", {}).get("analysis", {}).get(FINGERPRINT)
    return png if png and stamp == _fingerprint(out["data"][PLOTLY_MIME], png) else None


def add_static_images(notebooks: list[nbformat.NotebookNode],
                      previous: list[nbformat.NotebookNode]) -> int:
    """Give every chart output of ``notebooks`` its PNG; return how many were drawn anew.

    ``previous``: notebooks as stored before this build, whose images (if this build drew them)
    are reused for charts whose JSON has not changed.
    """
    known = {_key(out["data"][PLOTLY_MIME]): png for nb in previous for out in chart_outputs(nb)
             if (png := own_image(out))}
    missing = []
    for nb in notebooks:
        for out in chart_outputs(nb):
            image = known.get(_key(out["data"][PLOTLY_MIME]))
            if image is None:
                missing.append(out)
            else:
                attach_image(out, image)
    if missing:
        for out, image in zip(missing, draw([o["data"][PLOTLY_MIME] for o in missing]), strict=True):
            attach_image(out, image)
    return len(missing)


def draw(figures: list[dict]) -> list[str]:
    """PNG images (base64, as notebooks store them) of plotly figures, in one Chromium session."""
    from plotly.offline import get_plotlyjs

    from .browser import open_blank_page

    images = []
    with open_blank_page(width=WIDTH_PX) as page:
        page.add_script_tag(content=get_plotlyjs())
        for figure in figures:
            layout = figure.get("layout") or {}
            width = int(layout.get("width") or WIDTH_PX)
            height = int(layout.get("height") or DEFAULT_HEIGHT_PX)
            png = page.evaluate(TO_PNG, [figure, width, height])
            base64.b64decode(png, validate=True)  # fail here, not in a reader's viewer
            images.append(png)
    return images


def stored_notebooks(paths: list[Path]) -> list[nbformat.NotebookNode]:
    """The notebooks as they are on disk now (unreadable or missing ones are skipped)."""
    found = []
    for path in paths:
        try:
            found.append(nbformat.read(path, as_version=4))
        except (OSError, ValueError):
            continue
    return found
