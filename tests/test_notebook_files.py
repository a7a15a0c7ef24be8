"""The stored notebooks read well outside JupyterLab: every chart has a static image (which nbval
ignores, while it still compares the chart's data), and each notebook has a plain-text twin that
the build keeps in step in both directions."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis.build.export import PLOTLY_MIME
from analysis.build.pairing import twin_path, twin_text
from analysis.build.static_charts import add_static_images, attach_image, chart_outputs, own_image
from tests.scratch import ROOT, build_here, copy_project, stub_notebooks

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_stored_chart_has_a_static_image(path: Path) -> None:
    charts = list(chart_outputs(nbformat.read(path, as_version=4)))
    for out in charts:
        assert base64.b64decode(out["data"]["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")
        assert own_image(out), "an image the build did not draw (or drew for another chart)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_notebook_has_its_twin_in_step(path: Path) -> None:
    assert twin_path(path).read_text(encoding="utf-8") == twin_text(nbformat.read(path, as_version=4))


def test_a_notebook_without_plotly_shows_its_charts_as_images() -> None:
    from nbconvert import HTMLExporter

    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    charts = len(list(chart_outputs(nb)))
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    assert charts >= 1
    assert body.count('src="data:image/png;base64,') >= charts


# Imports `analysis` first, as every project notebook does: it spares the kernel jsonschema's
# slow start-up (see analysis/__init__.py).
CHART_CELL = """import analysis
import plotly.graph_objects as go
import plotly.io as pio

pio.renderers.default = "plotly_mimetype"
go.Figure(go.Bar(x=["launches"], y=[3]), layout={"title": {"text": "A chart"}}).show()
"""
# The smallest valid PNG: nbval's handling of the image does not depend on what it shows.
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")).decode()


def _nbval_outcomes(folder: Path) -> dict[str, str]:
    """Run nbval (strict, as `make test` does) on every notebook in ``folder``; outcome per file."""
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "analysis", "--nbval", "--nbval-current-env",
                          "-p", "no:cacheprovider", "-p", "no:xdist", "-rA", "-q", str(folder)],
                         cwd=folder, capture_output=True, text=True, timeout=300,
                         env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    outcomes = {}
    for line in run.stdout.splitlines():
        for state in ("PASSED", "FAILED"):
            if line.startswith(state):
                name = Path(line.split()[1].split("::")[0]).stem
                outcomes[name] = "failed" if state == "FAILED" or outcomes.get(name) == "failed" else "passed"
    return outcomes


@pytest.mark.e2e
def test_nbval_ignores_the_image_but_not_the_chart_data(tmp_path: Path) -> None:
    from analysis.build.execute import execute_all

    source = tmp_path / "chart.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CHART_CELL)])
    nbformat.write(nb, source)
    executed = execute_all([source], tmp_path, lambda p: None, lambda p, s: None)[source]
    earlier = nbformat.from_dict(executed)  # the same chart stored earlier with its image: reused
    attach_image(next(chart_outputs(earlier)), PNG)
    assert add_static_images([executed], [earlier]) == 0
    assert next(chart_outputs(executed))["data"]["image/png"] == PNG
    folder = tmp_path / "cases"
    folder.mkdir()
    nbformat.write(executed, folder / "as_built.ipynb")

    other_image = json.loads(nbformat.writes(executed))
    image_data = other_image["cells"][0]["outputs"][0]["data"]
    image_data["image/png"] = base64.b64encode(base64.b64decode(image_data["image/png"])[:-16]).decode()
    (folder / "image_changed.ipynb").write_text(json.dumps(other_image), encoding="utf-8")

    other_number = json.loads(nbformat.writes(executed))
    figure = other_number["cells"][0]["outputs"][0]["data"][PLOTLY_MIME]
    assert figure["data"][0]["y"] == [3]
    figure["data"][0]["y"] = [4]
    (folder / "number_changed.ipynb").write_text(json.dumps(other_number), encoding="utf-8")

    assert _nbval_outcomes(folder) == {"as_built": "passed", "image_changed": "passed",
                                       "number_changed": "failed"}


@pytest.fixture(scope="module")
def stubbed(tmp_path_factory) -> Path:
    """A project whose notebooks are stubs (quick to execute), built once."""
    root = copy_project(tmp_path_factory.mktemp("paired"), seed_only=True)
    stub_notebooks(root)
    run = build_here(root, "--no-pdf", "--no-figures")
    assert run.returncode == 0, run.stderr
    return root


@pytest.mark.e2e
def test_the_build_writes_twins_and_carries_a_twin_edit_into_the_notebook(stubbed: Path) -> None:
    notebook = stubbed / "notebooks" / "01_facts.ipynb"
    twin = twin_path(notebook)
    assert twin.read_text(encoding="utf-8") == twin_text(nbformat.read(notebook, as_version=4))
    twin.write_text(twin.read_text(encoding="utf-8").replace("print('01_facts')", "print('edited twin')"),
                    encoding="utf-8")
    run = build_here(stubbed, "--no-pdf", "--no-figures")
    assert run.returncode == 0, run.stderr
    assert "01_facts.py was edited" in run.stdout and "01_facts.ipynb           executed" in run.stdout
    cell = nbformat.read(notebook, as_version=4).cells[1]
    assert cell.source == "print('edited twin')"
    assert cell.outputs[0]["text"] == "edited twin\n"  # executed, not just copied
    assert "Up to date" in build_here(stubbed, "--no-pdf", "--no-figures").stdout


@pytest.mark.e2e
def test_a_twin_reverted_after_a_failed_build_is_carried_back(stubbed: Path) -> None:
    """A twin's edit carried into the notebook by a build that then failed, and the twin put
    back as it was: the notebook follows the twin again (it once kept the edit, because it was
    compared with the last successful build's record), and so does a later fix."""
    notebook = stubbed / "notebooks" / "04_corpus.ipynb"
    twin = twin_path(notebook)
    original = twin.read_text(encoding="utf-8")
    broken = original + "\n# %%\nraise RuntimeError('a buggy edit')\n"
    twin.write_text(broken, encoding="utf-8")
    failed = build_here(stubbed, "--no-pdf", "--no-figures")
    assert failed.returncode == 1 and "a buggy edit" in failed.stderr
    assert "a buggy edit" in json.dumps(nbformat.read(notebook, as_version=4).cells)
    twin.write_text(original, encoding="utf-8")  # the analyst reverts the twin
    run = build_here(stubbed, "--no-pdf", "--no-figures")
    assert run.returncode == 0, run.stderr
    assert "a buggy edit" not in notebook.read_text(encoding="utf-8")
    assert twin.read_text(encoding="utf-8") == original
    twin.write_text(broken, encoding="utf-8")  # the same edit, failing again, then fixed
    assert build_here(stubbed, "--no-pdf", "--no-figures").returncode == 1
    twin.write_text(broken.replace("raise RuntimeError('a buggy edit')", "print('fixed')"), encoding="utf-8")
    fixed = build_here(stubbed, "--no-pdf", "--no-figures")
    assert fixed.returncode == 0, fixed.stderr
    cells = nbformat.read(notebook, as_version=4).cells
    assert cells[-1].source == "print('fixed')" and cells[-1].outputs[0]["text"] == "fixed\n"


@pytest.mark.e2e
def test_a_notebook_edit_rewrites_its_twin(stubbed: Path) -> None:
    notebook = stubbed / "notebooks" / "02_network.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    nb.cells[0].source = "# An edited heading"
    nbformat.write(nb, notebook)
    run = build_here(stubbed, "--no-pdf", "--no-figures")
    assert run.returncode == 0, run.stderr
    assert "# # An edited heading" in twin_path(notebook).read_text(encoding="utf-8")


@pytest.mark.e2e
def test_editing_both_since_the_last_build_stops_and_loses_nothing(stubbed: Path) -> None:
    notebook = stubbed / "notebooks" / "03_record.ipynb"
    twin = twin_path(notebook)
    nb = nbformat.read(notebook, as_version=4)
    nb.cells[0].source = "# Notebook side"
    nbformat.write(nb, notebook)
    twin.write_text(twin.read_text(encoding="utf-8").replace("# # 03_record", "# # Twin side"),
                    encoding="utf-8")
    before = (notebook.read_bytes(), twin.read_bytes())
    run = build_here(stubbed, "--no-pdf", "--no-figures")
    assert run.returncode == 1
    assert "03_record.ipynb and notebooks/03_record.py were both edited" in run.stderr
    assert "Traceback" not in run.stderr
    assert (notebook.read_bytes(), twin.read_bytes()) == before


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebooks_are_stored_as_jupyterlab_writes_them(path: Path) -> None:
    """JupyterLab marks a notebook modified on opening unless ``language_info`` is exactly what
    its kernel reports, and rewrites ``1.0`` in chart JSON as ``1`` when saving.
    (``scripts/lab-opens-clean`` checks the same in a real JupyterLab.)"""
    from ipykernel.ipkernel import IPythonKernel

    from analysis.build.execute import as_javascript_numbers

    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["language_info"] == IPythonKernel.language_info
    for out in chart_outputs(nb):
        stored = json.dumps(out["data"][PLOTLY_MIME])
        assert stored == json.dumps(as_javascript_numbers(out["data"][PLOTLY_MIME])), "1.0 for 1"
