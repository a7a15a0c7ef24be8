"""Warnings reach the analyst on the terminal (and through `check`), never the published notebooks
or the briefing, and never carry the machine's path; a bounded number of automatic claims."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from analysis.facts.claims import MAX_AUTOMATIC_CLAIMS, automatic_claims
from tests.factories import make_source
from tests.scratch import build_here, copy_project, stub_notebooks

WARNING_CELL = ("import warnings\nfrom analysis import ProjectPaths\n"
                "warnings.warn(f'read {{ProjectPaths.default().root}}/seeds/odd.txt with care')\n"
                "print('ran')")


@pytest.mark.e2e
def test_warnings_are_said_once_on_the_terminal_and_never_stored_in_a_notebook(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", seed_only=True)
    stub_notebooks(root, code=("01_facts", "02_network"), cell=WARNING_CELL)
    seed = next((root / "seeds").glob("*.txt")).read_text(encoding="utf-8")
    body = seed.split("\n", 1)[1]
    (root / "seeds" / "900_future.txt").write_text(" date 2099-01-01 By A, Wire\n" + body, encoding="utf-8")
    run = build_here(root, "--no-pdf", "--no-figures")
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""  # nothing before an error could be displaced: warnings go to stdout
    said = [line for line in run.stdout.splitlines() if line.startswith("warning:")]
    notebook = [line for line in said if "with care" in line]
    assert notebook == ["warning: 01_facts.ipynb, 02_network.ipynb: UserWarning: "
                        "read seeds/odd.txt with care"]
    assert any("900_future.txt:1: header date 2099-01-01" in line for line in said), said
    assert str(tmp_path) not in run.stdout
    for path in (root / "notebooks").glob("*.ipynb"):
        outputs = [out for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
                   for out in cell.get("outputs", [])]
        assert all(out.get("name") != "stderr" for out in outputs), path.name
        assert "with care" not in json.dumps(outputs)


def test_automatic_claims_are_bounded_per_source_with_a_warning() -> None:
    extra = 7
    sentences = [f"The agency counted {n} satellites." for n in range(MAX_AUTOMATIC_CLAIMS + extra)]
    source = make_source(" ".join(sentences))
    numbers = [i for i in range(len(source.text)) if source.text[i].isdigit()
               and not source.text[i - 1].isdigit()]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rows = automatic_claims(source, [], numbers)
    assert len(rows) == MAX_AUTOMATIC_CLAIMS
    assert rows[-1]["text"] == sentences[MAX_AUTOMATIC_CLAIMS - 1]
    said = [str(w.message) for w in caught if "automatic claims" in str(w.message)]
    assert said == [f"test.txt: {extra} more sentences with dates or numbers after the first "
                    f"{MAX_AUTOMATIC_CLAIMS:,} were not made automatic claims — curate the claims that "
                    "matter in claims.yaml, or split the article"]
