"""End to end: the build writes an offline HTML whose charts draw, and a PDF with the charts."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from analysis import ProjectPaths
from analysis.build.browser import open_page
from analysis.build.export import figure_title, plotly_figures, wait_for_charts
from tests.scratch import BuildRun, build_here

pytestmark = pytest.mark.e2e


def briefing_figures(root: Path) -> list[dict]:
    return plotly_figures(nbformat.read(ProjectPaths(root).briefing_notebook, as_version=4))


def test_build_reports_each_notebook_with_its_time(built_project: BuildRun) -> None:
    names = sorted(p.name for p in (built_project.root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for name in names:
        assert re.search(rf"{re.escape(name)}\s+executed\s+[0-9.]+ s", built_project.stdout), name
    assert "Done in " in built_project.stdout


def test_html_is_self_contained(built_project: BuildRun) -> None:
    html = (built_project.root / "reports" / "briefing.html").read_text(encoding="utf-8")
    assert "<script src=" not in html
    assert "<link" not in html
    assert html.count("plotly.js v") == 1, "plotly.js must be inlined exactly once"
    assert "Content-Security-Policy" in html


def test_every_chart_draws_offline_without_requests(built_project: BuildRun) -> None:
    figures = briefing_figures(built_project.root)
    assert len(figures) >= 2
    with open_page(built_project.root / "reports" / "briefing.html") as (page, log):
        wait_for_charts(page)
        drawn = page.locator(".js-plotly-plot").count()
        svgs = page.eval_on_selector_all(
            ".js-plotly-plot", "ds => ds.filter(d => d.querySelector('.main-svg')).length")
    assert drawn == len(figures)
    assert svgs == len(figures)
    assert log.external_requests == []
    assert log.console_errors == []


def test_pdf_holds_every_chart_title(built_project: BuildRun) -> None:
    pdf = built_project.root / "reports" / "briefing.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    for fig in briefing_figures(built_project.root):
        assert " ".join(figure_title(fig).split()) in flat


def test_static_figures_are_written(built_project: BuildRun) -> None:
    count = len(briefing_figures(built_project.root))
    assert len(list((built_project.root / "figures").glob("figure-*.svg"))) == count
    assert len(list((built_project.root / "figures").glob("figure-*.png"))) == count


@pytest.mark.parametrize(("cells", "message"), [
    (["# broken", "1 / 0"], "05_broken.ipynb: cell 2 failed: ZeroDivisionError"),
    (["x = 1", "import os; os._exit(1)"], "05_broken.ipynb: cell 2: DeadKernelError"),
], ids=["exception", "dead-kernel"])
def test_failing_notebook_stops_build_and_keeps_previous_outputs(built_copy: Path, cells: list[str],
                                                                message: str) -> None:
    root = built_copy
    before = {p: p.read_bytes() for p in (root / "reports").glob("briefing.*")}
    notebooks_before = {p: p.read_bytes() for p in (root / "notebooks").glob("*.ipynb")}
    broken = nbformat.v4.new_notebook()
    broken.cells = [nbformat.v4.new_markdown_cell(c) if c.startswith("#") else nbformat.v4.new_code_cell(c)
                    for c in cells]
    broken_path = root / "notebooks" / "05_broken.ipynb"
    nbformat.write(broken, broken_path)
    try:
        run = build_here(root, "--no-figures")
    finally:
        broken_path.unlink()
    assert run.returncode == 1
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert {p: p.read_bytes() for p in (root / "reports").glob("briefing.*")} == before
    assert {p: p.read_bytes() for p in (root / "notebooks").glob("*.ipynb")} == notebooks_before
    assert not list((root / ".build").glob("stage-*"))


def test_build_exports_the_data_package_and_network(built_project: BuildRun) -> None:
    from frictionless import validate

    data = built_project.root / "reports" / "data"
    report = validate(data / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    for name in ("network.graphml", "network.gexf", "network.json", "network_metrics.csv"):
        assert (data / name).stat().st_size > 0


def test_pdf_pages_headings_header_and_figures(built_project: BuildRun, tmp_path: Path) -> None:
    pdf = built_project.root / "reports" / "briefing.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 4 <= pages <= 60
    out = tmp_path / "pages"
    out.mkdir()
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(pdf), str(out / "p")], check=True)
    assert len(list(out.glob("p-*.png"))) == pages
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    briefing = ProjectPaths(built_project.root).briefing_notebook
    headings = [line[3:].strip() for cell in nbformat.read(briefing, as_version=4).cells
                if cell.cell_type == "markdown" for line in cell.source.splitlines()
                if line.startswith("## ")]
    assert len(headings) >= 6
    for heading in headings:
        assert heading in text
    for number in range(1, len(briefing_figures(built_project.root)) + 1):
        assert f"Figure {number}." in text
    assert f"Page 1 of {pages}" in text
    assert "record as of" in text


def test_no_pdf_page_ends_with_a_section_heading(built_project: BuildRun) -> None:
    """A heading left at the foot of a page, its section on the next, reads as a mistake: the
    print styles keep a heading (and a short introduction) with what follows."""
    pdf = built_project.root / "reports" / "briefing.pdf"
    briefing = ProjectPaths(built_project.root).briefing_notebook
    headings = {line[3:].strip() for cell in nbformat.read(briefing, as_version=4).cells
                if cell.cell_type == "markdown"
                for line in cell.source.splitlines() if line.startswith("## ")}
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    for number, page in enumerate(pages, 1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not line.startswith("Page ")]  # the footer
        stranded = headings.intersection(body[-2:])  # a heading with at most one line under it
        assert not stranded, f"page {number} ends with the heading {stranded}, its section overleaf"


def test_every_in_page_link_resolves(built_project: BuildRun) -> None:
    import re

    html = (built_project.root / "reports" / "briefing.html").read_text(encoding="utf-8")
    targets = set(re.findall(r'href="#([^"]+)"', html))
    ids = set(re.findall(r' id="([^"]+)"', html))
    assert targets, "the briefing links its statements to evidence"
    assert targets <= ids, f"links without a target: {sorted(targets - ids)}"
    judgements = re.findall(r'<li id="kj-[^"]+">(.*?)</li>', html, re.S)
    assert 3 <= len(judgements) <= 6
    assert all('class="ev-link"' in j for j in judgements), "every judgement cites evidence"
    figures = re.findall(r'<figure[^>]*class="briefing-figure[ "]', html)
    assert len(figures) == len(briefing_figures(built_project.root))
    assert 'nav id="toc"' in html and "<mark>" in html


def test_a_notebook_numbered_after_the_briefing_is_an_ordinary_step(built_copy: Path) -> None:
    extra = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Scratch notes")])
    nbformat.write(extra, built_copy / "notebooks" / "10_scratch.ipynb")
    figures = sorted(p.name for p in (built_copy / "figures").iterdir())
    run = build_here(built_copy)
    assert run.returncode == 0, run.stderr
    assert "10_scratch.ipynb" in run.stdout and "report cached" in run.stdout
    html = (built_copy / "reports" / "briefing.html").read_text(encoding="utf-8")
    assert "<title>China" in html and "Scratch notes" not in html
    assert sorted(p.name for p in (built_copy / "figures").iterdir()) == figures


def test_a_missing_briefing_notebook_is_an_error_not_another_report(built_copy: Path) -> None:
    (built_copy / "notebooks" / "09_briefing.ipynb").unlink()
    before = (built_copy / "reports" / "briefing.html").read_bytes()
    run = build_here(built_copy)
    assert run.returncode == 2  # bad input: a file the project needs is gone
    assert "notebooks/09_briefing.ipynb: the briefing notebook is missing — restore it" in run.stderr
    assert (built_copy / "reports" / "briefing.html").read_bytes() == before
