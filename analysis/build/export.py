"""Export the briefing notebook: self-contained offline HTML, a printed PDF, static figures.

nbconvert drops plotly's mimetype outputs, so each stored figure is turned into an HTML
fragment first, with plotly.js inlined once for the whole page and stable div ids.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import os
import re
from pathlib import Path
from urllib.parse import unquote

import nbformat
import plotly.io as pio
from nbconvert import HTMLExporter

from ..paths import TEMPLATES, slug
from .browser import open_page
from .static_charts import PLOTLY_MIME, chart_outputs

# A4 is 210 mm wide; with 15 mm margins the printable width is 180 mm = 680 CSS px.
PRINT_WIDTH_PX = 680
PRINT_MARGIN = "15mm"


def plotly_figures(nb: nbformat.NotebookNode) -> list[dict]:
    """Every plotly figure stored in a notebook's outputs, in reading order."""
    return [out["data"][PLOTLY_MIME] for out in chart_outputs(nb)]


def figure_title(fig: dict) -> str:
    title = fig.get("layout", {}).get("title", {})
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    return re.sub(r"<[^>]+>", " ", text).strip()


def _inline_plotly(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, list[str]]:
    """The notebook with each chart as HTML (plotly.js inlined once), and the bodies of the
    scripts those charts need: the only scripts the page may run."""
    nb = nbformat.from_dict(nb)  # work on a copy: the stored notebook keeps its JSON outputs
    count = 0
    scripts: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        # captions printed for notebook readers: the figure element carries its own
        cell.outputs = [o for o in cell.get("outputs", [])
                        if o.get("metadata", {}).get("analysis", {}).get("role") != "caption"]
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if PLOTLY_MIME not in data:
                continue
            count += 1
            fig = data.pop(PLOTLY_MIME)
            for fallback in ("text/html", "text/plain", "image/png"):  # the live chart replaces them
                data.pop(fallback, None)
            chart = pio.to_html(
                fig, full_html=False, include_plotlyjs=count == 1, include_mathjax=False,
                div_id=f"figure-{count}-chart", validate=False,
                config={"displaylogo": False, "responsive": True},
            )
            scripts += INLINE_SCRIPT.findall(chart)
            data["text/html"] = _figure(chart, fig, count)
    return nb, scripts


def _figure(chart: str, fig: dict, number: int) -> str:
    """Wrap a chart as a numbered figure with caption, takeaway and alt text (from layout.meta)."""
    meta = fig.get("layout", {}).get("meta") or {}
    if not isinstance(meta, dict):
        meta = {}
    title = figure_title(fig)
    alt = html.escape(meta.get("alt") or title, quote=True)
    caption = html.escape(meta.get("caption") or title)
    takeaway = meta.get("takeaway")
    takeaway_html = f' <span class="takeaway">{html.escape(takeaway)}</span>' if takeaway else ""
    axes = fig.get("layout", {}).get("xaxis") or {}
    diagram = " briefing-diagram" if axes.get("visible") is False else ""  # the network: no axes
    return (f'<figure class="briefing-figure{diagram}" id="figure-{number}" role="img" aria-label="{alt}">'
            f"{chart}<figcaption><b>Figure {number}.</b> {caption}.{takeaway_html}</figcaption></figure>")


TOC_PLACEHOLDER = '<nav id="toc"></nav>'
HEADING = re.compile(r'<h2 id="([^"]+)">(.*?)<a class="anchor-link"', re.S)


def _table_of_contents(page: str) -> str:
    """Fill the notebook's ``<nav id="toc"></nav>`` with links to every section (h2)."""
    entries = [f'<li><a href="#{anchor}">{text.strip()}</a></li>'
               for anchor, text in HEADING.findall(page)]
    toc = ('<nav id="toc" aria-label="Contents"><p class="toc-title">Contents</p>'
           f'<ol>{"".join(entries)}</ol></nav>')
    return page.replace(TOC_PLACEHOLDER, toc, 1)


def notebook_title(nb: nbformat.NotebookNode) -> str:
    """The briefing's title is its first level-one Markdown heading."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def notebook_to_html(nb: nbformat.NotebookNode, title: str) -> str:
    """Render the briefing notebook with code hidden into one offline HTML page."""
    nb, scripts = _inline_plotly(nb)
    nb.metadata["title"] = title
    exporter = HTMLExporter(
        template_name="briefing",
        template_file="briefing.html.j2",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(nb)
    return allow_only_own_scripts(_table_of_contents(body), scripts)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)
CSP_SCRIPTS = "script-src 'unsafe-inline'"


def allow_only_own_scripts(page: str, own: list[str]) -> str:
    """Let the page run exactly the inline scripts the exporter generated (``own``: plotly.js
    and each chart's), by hash; any other script in the page, however it got there, is not
    allowed. Hashing every script found in the assembled page would have allowed a
    ``<script>`` that slipped through a text path as markup.

    Without 'unsafe-inline' the browser also refuses ``javascript:`` URLs and inline event
    handlers (``onerror=``), so text that slipped through as markup still cannot run.
    """
    if CSP_SCRIPTS not in page:
        raise ValueError("the briefing template's Content-Security-Policy has no script-src to fill")
    present = set(INLINE_SCRIPT.findall(page))
    lost = [body[:60] for body in own if body not in present]
    if lost:
        raise ValueError(f"the export changed a chart's script on its way into the page: {lost[0]!r}")
    hashes = sorted({"'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
                     for body in own})
    return page.replace(CSP_SCRIPTS, "script-src " + (" ".join(hashes) or "'none'"), 1)


def print_pdf_and_figures(html_path: Path, pdf_path: Path | None, figures_dir: Path | None, *,
                          title: str, as_of: str) -> None:
    """One headless Chromium session: static SVG/PNG copies of every chart, then the PDF.

    Charts are drawn at the window width when the page loads, so the window is as wide as the
    printable area of A4; otherwise the right edge of each chart is clipped in print.
    """
    with open_page(html_path, width=PRINT_WIDTH_PX, height=1000) as (page, _log):
        wait_for_charts(page)
        if figures_dir is not None:
            write_figures(page, figures_dir)
        if pdf_path is not None:
            small = "font-size:8px;color:#555;width:100%;padding:0 15mm;font-family:sans-serif;"
            header = (f'<div style="{small}display:flex;justify-content:space-between">'
                      f"<span>{html.escape(title)}</span><span>{html.escape(as_of)}</span></div>")
            footer = (f'<div style="{small}text-align:center">Page <span class="pageNumber"></span> of '
                      '<span class="totalPages"></span></div>')
            page.emulate_media(media="print")
            page.evaluate(LOCAL_LINKS_AS_TEXT)
            page.pdf(
                path=str(pdf_path), format="A4", print_background=True,
                margin={"top": "18mm", "bottom": "16mm", "left": PRINT_MARGIN, "right": PRINT_MARGIN},
                display_header_footer=True, header_template=header, footer_template=footer,
                tagged=True, outline=True,
            )
            normalise_pdf(pdf_path)


# In the PDF, links to files beside the HTML would point into the build's staging folder; a
# printed copy travels alone anyway, so they become text naming the file (a link whose words are
# the file's name stays as it is: its sentence names the folder).
LOCAL_LINKS_AS_TEXT = """() => {
  for (const a of document.querySelectorAll('a[href]:not([href^="#"])')) {
    const href = a.getAttribute('href');
    const named = a.textContent.trim() === href.split('/').pop();
    a.replaceWith(document.createTextNode(named ? a.textContent : `${a.textContent} (reports/${href})`));
  }
}"""
ALL_CHARTS_DRAWN = (
    "Array.from(document.querySelectorAll('.plotly-graph-div'))"
    ".every(d => d.querySelector('.main-svg'))"
)
# plotly.js renders each chart again off screen at a fixed size, for slides.
TO_IMAGES = """async (width) => {
  const out = [];
  for (const gd of document.querySelectorAll('.plotly-graph-div')) {
    const height = (gd.layout && gd.layout.height) || 450;
    const title = (gd.layout && gd.layout.title && gd.layout.title.text) || '';
    const svg = await Plotly.toImage(gd, {format: 'svg', width: width, height: height});
    const png = await Plotly.toImage(gd, {format: 'png', width: width, height: height, scale: 2});
    out.push({title: title, svg: svg, png: png});
  }
  return out;
}"""
FIGURE_WIDTH_PX = 900


def wait_for_charts(page, timeout_ms: int = 30_000) -> None:
    """Block until every plotly chart on the page has drawn its SVG."""
    page.wait_for_function(ALL_CHARTS_DRAWN, timeout=timeout_ms)


def write_figures(page, directory: Path) -> list[Path]:
    """SVG and PNG of every chart on the page, numbered like the briefing's figures."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for number, item in enumerate(page.evaluate(TO_IMAGES, FIGURE_WIDTH_PX), 1):
        stem = f"figure-{number:02d}-{slug(re.sub(r'<[^>]+>', ' ', item['title']))[:50] or 'chart'}"
        svg = directory / f"{stem}.svg"
        svg.write_text(stable_svg_ids(unquote(item["svg"].split(",", 1)[1])), encoding="utf-8")
        png = directory / f"{stem}.png"
        png.write_bytes(base64.b64decode(item["png"].split(",", 1)[1]))
        written += [svg, png]
    return written


def stable_svg_ids(svg: str) -> str:
    """plotly.js names clip paths, gradients and traces with random ids; number them in order."""
    ids = list(dict.fromkeys(re.findall(r'\bid="([^"]+)"', svg) + re.findall(r"\btrace[0-9a-f]{6}\b", svg)))
    if not ids:
        return svg
    mapping = {old: f"i{n}" for n, old in enumerate(ids)}
    pattern = re.compile("|".join(re.escape(old) for old in sorted(ids, key=len, reverse=True)))
    return pattern.sub(lambda m: mapping[m.group()], svg)


PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate) \(D:)([0-9]{14})")
PDF_NODE_ID = re.compile(rb"\(node([0-9]{8})\)")


def normalise_pdf(path: Path) -> None:
    """Make two prints of the same briefing byte-identical, keeping every offset valid.

    - creation and modification stamps become a fixed date (``SOURCE_DATE_EPOCH`` when set);
    - the tagged structure's element ids (Chromium's DOM node numbers, which shift with the order
      in which charts render) are renumbered by rank, which keeps their sort order and so the
      id tree that relies on it.

    Every replacement has the length of what it replaces.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    stamp = when.strftime("%Y%m%d%H%M%S").encode()
    data = PDF_DATE.sub(lambda m: m.group(1) + stamp, path.read_bytes())
    rank = {old: n for n, old in enumerate(sorted(set(PDF_NODE_ID.findall(data))), 1)}
    data = PDF_NODE_ID.sub(lambda m: b"(node%08d)" % rank[m.group(1)], data)
    path.write_bytes(data)
