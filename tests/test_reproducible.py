"""Builds are reproducible, byte for byte, whatever the machine's time zone.

Two independent clean builds are compared without paying for a third: the session's shared build
(made from scratch in a scratch copy, in the time zone UTC+14) must give exactly the notebooks,
their twins and the data tables committed in the repository (made by an earlier build, in another
process and time zone); and printing that build again in UTC−5 must give exactly the same HTML,
PDF and figures.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.scratch import ROOT, BuildRun, build_here
from tests.shared_build import TZ as SHARED_BUILD_TZ

pytestmark = pytest.mark.e2e

OTHER_TZ = "America/New_York"


def files(root: Path, *patterns: str) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for pattern in patterns for p in sorted(root.glob(pattern)) if p.is_file()}


def test_a_clean_build_gives_the_committed_notebooks_and_data(built_project: BuildRun) -> None:
    patterns = ("notebooks/*.ipynb", "notebooks/*.py", "reports/data/*")
    built, committed = files(built_project.root, *patterns), files(ROOT, *patterns)
    assert len(built) > 20 and built.keys() == committed.keys()
    differ = sorted(name for name in built if built[name] != committed[name])
    assert differ == [], (f"a clean build (TZ={SHARED_BUILD_TZ}) differs from the committed {differ}: "
                          "run `make report` and commit the results, or find what is not deterministic")


def test_printing_again_in_another_time_zone_is_byte_identical(built_project: BuildRun,
                                                               built_copy: Path) -> None:
    for printed in ("reports/briefing.html", "reports/briefing.pdf"):
        (built_copy / printed).unlink()
    shutil.rmtree(built_copy / "figures")
    run = build_here(built_copy, env={"TZ": OTHER_TZ})
    assert run.returncode == 0, run.stderr
    assert "data package: cached" in run.stdout and not re.search(r"ipynb\s+executed", run.stdout)
    patterns = ("reports/briefing.*", "figures/*")
    first, again = files(built_project.root, *patterns), files(built_copy, *patterns)
    assert len(first) >= 10 and first.keys() == again.keys()
    assert sorted(name for name in first if first[name] != again[name]) == []
