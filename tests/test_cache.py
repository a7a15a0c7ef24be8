"""The build cache: exactly the notebooks that depend on a change re-run; outputs are reproducible."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.build.plan import Plan
from tests.scratch import BuildRun, build_here, copy_project, stub_notebooks

pytestmark = pytest.mark.e2e

STATUS = re.compile(r"(\S+)\.ipynb\s+(executed|cached)")


def statuses(run: BuildRun) -> dict[str, str]:
    assert run.returncode == 0, run.stdout + run.stderr
    return dict(STATUS.findall(run.stdout))


def executed(run: BuildRun) -> set[str]:
    return {name for name, state in statuses(run).items() if state == "executed"}


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


# The tests below change one input at a time and build again, in order, on one project (xdist
# runs a module on one worker). Its notebooks are stubs with the real notebooks' declarations
# (what each reads, what it runs after): the cache sees the same graph, and a build takes seconds.


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("cached"), seed_only=True)
    assert stub_notebooks(root) == ["01_facts", "02_network", "03_record", "09_briefing"]
    first = build_here(root, "--no-pdf", "--no-figures")
    assert executed(first) == {"01_facts", "02_network", "03_record", "09_briefing"}
    return root


def test_nothing_changed_means_nothing_runs(project: Path) -> None:
    run = build_here(project, "--no-pdf", "--no-figures")
    assert run.returncode == 0
    assert "Up to date" in run.stdout and executed(run) == set()


def test_touching_without_changing_content_runs_nothing(project: Path) -> None:
    path = project / "analysis" / "knowledge" / "entities.yaml"
    path.write_bytes(path.read_bytes())  # new timestamp, same bytes
    assert "Up to date" in build_here(project, "--no-pdf", "--no-figures").stdout


@pytest.mark.parametrize(("changed", "expected"), [
    ("analysis/knowledge/checks.yaml", {"03_record", "09_briefing"}),
    ("analysis/knowledge/judgements.yaml", {"09_briefing"}),
    ("analysis/knowledge/entities.yaml", {"01_facts", "02_network", "03_record", "09_briefing"}),
])
def test_a_data_file_reruns_exactly_its_dependents(project: Path, changed: str, expected: set[str]) -> None:
    append(project / changed, "\n# changed by test\n")
    run = build_here(project, "--no-pdf", "--no-figures")
    assert executed(run) == expected
    assert "Up to date" in build_here(project, "--no-pdf", "--no-figures").stdout


@pytest.mark.parametrize("module", ["style.py", "facts/quotes.py"])
def test_analysis_code_change_invalidates_every_notebook(project: Path, module: str) -> None:
    """A change at the top of the package or in a stage's subpackage re-runs every notebook."""
    append(project / "analysis" / module, "\n# a code change\n")
    assert executed(build_here(project, "--no-pdf", "--no-figures")) == {
        "01_facts", "02_network", "03_record", "09_briefing"}


def test_force_rebuilds_everything(project: Path) -> None:
    run = build_here(project, "--no-pdf", "--no-figures", "--force")
    assert executed(run) == {"01_facts", "02_network", "03_record", "09_briefing"}


def test_edited_output_is_rebuilt(project: Path) -> None:
    data = project / "reports" / "data" / "claims.csv"
    data.write_text("edited by hand\n", encoding="utf-8")
    run = build_here(project, "--no-pdf", "--no-figures")
    assert "data package: cached" not in run.stdout
    assert data.read_text(encoding="utf-8").startswith("claim_id,")


def test_declared_order_groups_notebooks_into_waves(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    notebooks = sorted((root / "notebooks").glob("*.ipynb"))
    import json

    nb = json.loads(notebooks[1].read_text(encoding="utf-8"))
    nb["metadata"]["analysis"]["after"] = [notebooks[0].stem]
    notebooks[1].write_text(json.dumps(nb), encoding="utf-8")
    waves = Plan.make(root, notebooks).waves()
    assert [s.name for s in waves[0]] == [notebooks[0].stem, notebooks[2].stem, notebooks[3].stem]
    assert [s.name for s in waves[1]] == [notebooks[1].stem]


def test_declared_input_matching_nothing_is_an_error(tmp_path: Path) -> None:
    import json

    root = copy_project(tmp_path)
    notebook = sorted((root / "notebooks").glob("*.ipynb"))[0]
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb["metadata"]["analysis"]["inputs"] = ["analysis/knowledge/entitis.yaml"]
    notebook.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(ValueError, match="match no file"):
        Plan.make(root, sorted((root / "notebooks").glob("*.ipynb")))
    run = build_here(root, "--no-pdf", "--no-figures")
    assert run.returncode == 2 and "entitis.yaml" in run.stderr and "Traceback" not in run.stderr


def test_source_date_epoch_is_part_of_the_print_key(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notebooks = sorted((project / "notebooks").glob("*.ipynb"))
    keys = []
    for epoch in (None, "1700000000"):
        if epoch is None:
            monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
        else:
            monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        plan = Plan.make(project, notebooks)
        keys.append((plan.print_key("briefing", True, True), plan.html_key("briefing")))
    assert keys[0][0] != keys[1][0], "a new SOURCE_DATE_EPOCH prints the PDF again"
    assert keys[0][1] == keys[1][1], "the HTML carries no date stamp: it stays cached"
