"""Interrupted builds (killed, Ctrl-C before and while notebooks run) keep the previous outputs
intact, and the next build is consistent again.

The project is the smallest that shows it (``built_stubs``): stub notebooks whose one cell
sleeps while ``STUB_SLEEP`` says so, so that an interrupted build is surely inside its kernels
(and costs little CPU), while a normal build of the same, unchanged cells is quick.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import QUICK
from tests.conftest import STUB_NOTEBOOKS as NOTEBOOKS
from tests.scratch import build_here, copy_built, snapshot

pytestmark = pytest.mark.e2e





def interrupt_build(root: Path, sig: signal.Signals, delay: float) -> subprocess.CompletedProcess:
    """Start a forced build, wait until its notebooks are executing, then send ``sig``."""
    env = {**os.environ, "ANALYSIS_PROJECT_ROOT": str(root), "STUB_SLEEP": "60"}
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "build", "--force", *QUICK], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("data package"):
            break
    time.sleep(delay)  # kernels are starting or running now
    os.killpg(proc.pid, sig) if sig == signal.SIGKILL else proc.send_signal(sig)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


SCENARIOS = {"killed": (signal.SIGKILL, 1.5), "ctrl-c-early": (signal.SIGINT, 1.5),
             "ctrl-c-while-running": (signal.SIGINT, 3.5)}


def test_interrupted_builds_leave_previous_outputs_intact(built_stubs: Path, tmp_path: Path) -> None:
    """Each scenario on its own copy, all at once: the builds mostly wait in their kernels."""
    from concurrent.futures import ThreadPoolExecutor

    roots = {name: copy_built(built_stubs, tmp_path / name) for name in SCENARIOS}
    before = snapshot(roots["killed"])
    assert {"reports/briefing.html", "reports/data/claims.csv",
            *(f"notebooks/{name}.ipynb" for name in NOTEBOOKS)} <= set(before)
    with ThreadPoolExecutor(len(SCENARIOS)) as pool:
        results = dict(zip(SCENARIOS, pool.map(lambda name: interrupt_build(roots[name], *SCENARIOS[name]),
                                               SCENARIOS), strict=True))
    time.sleep(0.5)
    for name, result in results.items():
        root, (sig, _) = roots[name], SCENARIOS[name]
        assert result.returncode != 0, name
        if sig == signal.SIGINT:
            assert result.returncode == 130 and "previous outputs are untouched" in result.stderr, name
        assert snapshot(root) == before, name
        # the next build cleans up after the interrupted one and is consistent again
        again = build_here(root, *QUICK)
        assert again.returncode == 0, (name, again.stderr)
        assert "Up to date" in again.stdout and snapshot(root) == before, name
        assert not list((root / ".build").glob("stage-*")), name
