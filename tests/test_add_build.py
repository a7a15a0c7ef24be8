"""Done when: a saved page of a news site becomes a seed, a row of sources.csv with its URL and
date, and a source in the briefing, with one ``analysis add`` and one build."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scratch import copy_project, run_build
from tests.web_archives import FIXTURES

pytestmark = pytest.mark.e2e


def test_a_saved_page_becomes_a_source_of_the_briefing(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", seed_only=True)
    env = {**os.environ, "ANALYSIS_PROJECT_ROOT": str(root)}
    added = subprocess.run([sys.executable, "-m", "analysis", "add", str(FIXTURES / "opengraph_only.html")],
                           env=env, cwd=root, capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    (seed,) = [p for p in (root / "seeds").glob("2025-*.txt")]
    sidecar = json.loads(seed.with_name(seed.stem + ".source.json").read_text(encoding="utf-8"))
    built = run_build(root, "--no-pdf", "--no-figures")
    assert built.returncode == 0, built.stderr
    with (root / "reports" / "data" / "sources.csv").open(encoding="utf-8") as handle:
        rows = {row["source_id"]: row for row in csv.DictReader(handle)}
    row = rows[seed.stem]
    url = "https://orbitreview.example.org/news/tiangong-foreign-crew-member"
    assert (row["url"], row["published"], row["outlet"]) == (url, "2025-04-25", "Northern Orbit Review")
    assert (row["retrieved"], row["original_sha256"]) == (sidecar["retrieved"], sidecar["original_sha256"])
    briefing = (root / "reports" / "briefing.html").read_text(encoding="utf-8")
    assert "Northern Orbit Review" in briefing and "Helena Markovic" in briefing
    assert "Ilse Normand" in briefing  # its quotation is among the briefing's
