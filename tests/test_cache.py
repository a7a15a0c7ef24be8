"""The build cache: exactly the notebooks that depend on a change re-run; outputs are reproducible."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import InputError
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
    assert stub_notebooks(root) == ["01_facts", "02_network", "03_record", "04_corpus", "09_briefing"]
    first = build_here(root, "--no-pdf", "--no-figures")
    assert executed(first) == {"01_facts", "02_network", "03_record", "04_corpus", "09_briefing"}
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
    ("analysis/knowledge/entities.yaml", {"01_facts", "02_network", "03_record", "04_corpus", "09_briefing"}),
    ("analysis/corpus/sample.jsonl", {"04_corpus"}),
])
def test_a_data_file_reruns_exactly_its_dependents(project: Path, changed: str, expected: set[str]) -> None:
    append(project / changed, "\n# changed by test\n")
    run = build_here(project, "--no-pdf", "--no-figures")
    assert executed(run) == expected
    assert "Up to date" in build_here(project, "--no-pdf", "--no-figures").stdout


def test_an_environment_variable_a_notebook_reads_is_part_of_its_key(project: Path, tmp_path: Path) -> None:
    """CORPUS_DIR (04_corpus shows that corpus) once changed a published notebook without
    re-running it: the cache said up to date."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "corpus.json").write_text('{"runs": ["a"]}', encoding="utf-8")
    every = {"01_facts", "02_network", "03_record", "04_corpus", "09_briefing"}
    assert executed(build_here(project, "--no-pdf", "--no-figures", env={"CORPUS_DIR": str(corpus)})) == every
    again = build_here(project, "--no-pdf", "--no-figures", env={"CORPUS_DIR": str(corpus)})
    assert "Up to date" in again.stdout
    (corpus / "corpus.json").write_text('{"runs": ["a", "b"]}', encoding="utf-8")  # extracted again
    assert executed(build_here(project, "--no-pdf", "--no-figures", env={"CORPUS_DIR": str(corpus)})) == every
    assert executed(build_here(project, "--no-pdf", "--no-figures")) == every  # and back to the sample


def test_a_previous_edition_is_part_of_the_key_so_a_plain_build_drops_its_section(project: Path,
                                                                                  tmp_path: Path) -> None:
    """After `build --previous DIR`, a plain build kept the "New since the previous edition"
    section: the previous edition's data was not part of the notebooks' key."""
    previous = tmp_path / "previous-data"
    shutil.copytree(project / "reports" / "data", previous)
    every = {"01_facts", "02_network", "03_record", "04_corpus", "09_briefing"}
    quick = ("--no-pdf", "--no-figures")
    assert executed(build_here(project, *quick, "--previous", str(previous))) == every
    assert "Up to date" in build_here(project, *quick, "--previous", str(previous)).stdout
    claims = previous / "claims.csv"
    claims.write_text(claims.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # another edition
    assert executed(build_here(project, *quick, "--previous", str(previous))) == every
    assert executed(build_here(project, *quick)) == every  # and without it, as it was


@pytest.mark.parametrize("module", ["style.py", "facts/quotes.py"])
def test_analysis_code_change_invalidates_every_notebook(project: Path, module: str) -> None:
    """A change at the top of the package or in a stage's subpackage re-runs every notebook."""
    append(project / "analysis" / module, "\n# a code change\n")
    assert executed(build_here(project, "--no-pdf", "--no-figures")) == {
        "01_facts", "02_network", "03_record", "04_corpus", "09_briefing"}


def test_force_rebuilds_everything(project: Path) -> None:
    run = build_here(project, "--no-pdf", "--no-figures", "--force")
    assert executed(run) == {"01_facts", "02_network", "03_record", "04_corpus", "09_briefing"}


def test_edited_output_is_rebuilt(project: Path) -> None:
    data = project / "reports" / "data" / "claims.csv"
    data.write_text("edited by hand\n", encoding="utf-8")
    run = build_here(project, "--no-pdf", "--no-figures")
    assert "data package: cached" not in run.stdout
    assert data.read_text(encoding="utf-8").startswith("claim_id,")


def declare(root: Path, text: str) -> None:
    (root / "notebooks" / "graph.yaml").write_text(text, encoding="utf-8")


def test_declared_order_groups_notebooks_into_waves(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    notebooks = sorted((root / "notebooks").glob("*.ipynb"))
    declare(root, f"{notebooks[1].stem}:\n  after: [{notebooks[0].stem}]\n")
    waves = Plan.make(root, notebooks).waves()
    assert [s.name for s in waves[0]] == [notebooks[0].stem, *(n.stem for n in notebooks[2:])]
    assert [s.name for s in waves[1]] == [notebooks[1].stem]


def test_a_cycle_in_the_graph_is_an_input_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    notebooks = sorted((root / "notebooks").glob("*.ipynb"))
    declare(root, f"{notebooks[0].stem}:\n  after: [{notebooks[3].stem}]\n"
                  f"{notebooks[3].stem}:\n  after: [{notebooks[0].stem}]\n")
    with pytest.raises(InputError, match=r"graph\.yaml:1: notebooks run after each other in a cycle"):
        Plan.make(root, notebooks)


def test_declared_input_matching_nothing_is_an_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    graph = root / "notebooks" / "graph.yaml"
    graph.write_text(graph.read_text(encoding="utf-8").replace(
        "analysis/knowledge/entities.yaml", "analysis/knowledge/entitis.yaml", 1), encoding="utf-8")
    with pytest.raises(InputError, match="matches no file"):
        Plan.make(root, sorted((root / "notebooks").glob("*.ipynb")))
    run = build_here(root, "--no-pdf", "--no-figures")
    assert run.returncode == 2 and "entitis.yaml" in run.stderr and "Traceback" not in run.stderr
    assert "notebooks/graph.yaml:" in run.stderr


def step_status(root: Path) -> dict[str, str]:
    """`python -m analysis graph`, read back: each step's name and its status line."""
    run = subprocess.run([sys.executable, "-m", "analysis", "graph"], cwd=root, capture_output=True,
                         text=True, env={**os.environ, "ANALYSIS_PROJECT_ROOT": str(root)})
    assert run.returncode == 0, run.stderr
    found, step = {}, None
    for line in run.stdout.splitlines()[1:]:
        if line.startswith("    "):
            if step and line.strip().startswith(("stale:", "up to date")):
                found[step] = line.strip()
        elif line.strip() and not line.startswith("wave"):
            step = line.strip().split("  (")[0].split(" →")[0]
    return found


def test_graph_says_which_steps_are_stale_and_why(project: Path) -> None:
    """`python -m analysis graph` names the changed file for exactly the steps that read it."""
    assert "Up to date" in build_here(project, "--no-pdf", "--no-figures").stdout
    before = step_status(project)
    assert set(before) == {"data package", "01_facts", "02_network", "03_record", "04_corpus", "09_briefing",
                           "briefing", "print"}
    # the print step was skipped (--no-pdf --no-figures): it is the only stale one
    assert {s for s, status in before.items() if status != "up to date"} == {"print"}
    append(project / "analysis" / "knowledge" / "judgements.yaml", "\n# changed by test\n")
    after = step_status(project)
    assert {s for s, status in after.items() if status != "up to date"} == {"09_briefing", "print"}
    assert after["09_briefing"] == "stale: analysis/knowledge/judgements.yaml changed"
    build_here(project, "--no-pdf", "--no-figures")


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
