"""The test session's shared build, made once in the background for every pytest-xdist worker.

The first process to collect a test that reads it starts ``python -m tests.shared_build DIR`` and
returns at once; whoever needs the result waits for ``DIR/built-project.json``. It runs in a time
zone far from UTC, so that the comparisons in test_reproducible.py catch anything that depends on
the machine's clock settings.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from filelock import FileLock

from tests.scratch import ROOT, BuildRun, copy_project, run_build

TZ = "Pacific/Kiritimati"
RESULT = "built-project.json"
TIMEOUT_S = 900


def start(shared: Path) -> None:
    with FileLock(str(shared / "built-project.lock")):
        started = shared / "built-project.started"
        if started.exists():
            return
        started.write_text(str(os.getpid()), encoding="utf-8")
        log = (shared / "built-project.log").open("w")
        subprocess.Popen([sys.executable, "-m", "tests.shared_build", str(shared)], cwd=ROOT,
                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait(shared: Path) -> BuildRun:
    start(shared)  # a no-op when collection started it already
    result, waited = shared / RESULT, 0.0
    while not result.is_file():
        if waited > TIMEOUT_S:
            log = (shared / "built-project.log").read_text(encoding="utf-8", errors="replace")
            raise TimeoutError(f"the shared build did not finish in {TIMEOUT_S} s:\n{log}")
        time.sleep(0.2)
        waited += 0.2
    return BuildRun.load(result)


def main(shared: Path) -> None:
    try:
        run = run_build(copy_project(shared / "built-project"), env={"TZ": TZ})
    except Exception as exc:  # the waiting tests must hear of any failure, not time out
        run = BuildRun(shared / "built-project", 1, "", f"{type(exc).__name__}: {exc}")
    tmp = shared / (RESULT + ".tmp")
    run.save(tmp)
    tmp.replace(shared / RESULT)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
