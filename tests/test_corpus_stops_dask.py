"""Corpus runs on dask stopped dead: a worker killed where it writes a batch's parts or a merged
month, a driver killed between the steps of a run, a driver killed with its local cluster
running. Each time the run (or the next one) gives the tables of a fresh run, a lost task is
one line and exit code 1, and a cluster never outlives its driver."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.corpus.engines import OnDask
from analysis.corpus.run import extract_corpus
from analysis.stops import ENV, ONCE_ENV, STOPPED
from tests.stopped_child import CHILD_TIMEOUT_S
from tests.test_corpus import KNOWLEDGE, archive, assert_same_tables
from tests.test_corpus_stops import run, story  # noqa: F401 (a fixture)

pytestmark = pytest.mark.long_chain  # one dask cluster for the module

@pytest.fixture(scope="module")
def cluster():
    """The engine's own local cluster (two workers), started once for the module."""
    with OnDask(workers=2) as engine:
        yield engine


@contextmanager
def workers_stop_at(engine: OnDask, point: str, once: Path | None):
    """The cluster's workers end with ``os._exit`` at ``point``: the first to reach it only, when
    ``once`` names a file (dask then runs its task again on another worker), else every one,
    and dask gives the task up at the first death (``allowed_failures`` 0, restored after)."""
    client = engine.client
    settings = {ENV: point, **({ONCE_ENV: str(once)} if once else {})}
    client.run(lambda: os.environ.update(settings))  # in the workers (a bound method would carry ours)
    failures = client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.allowed_failures)
    if once is None:
        client.run_on_scheduler(lambda dask_scheduler: setattr(dask_scheduler, "allowed_failures", 0))
    try:
        yield
    finally:
        client.run(lambda: [os.environ.pop(name, None) for name in (ENV, ONCE_ENV)])
        client.run_on_scheduler(lambda dask_scheduler: setattr(dask_scheduler, "allowed_failures", failures))
        client.wait_for_workers(engine.workers, timeout=60)  # the nannies restart the dead ones


@pytest.mark.parametrize("point", ["part written", "month written"])
def test_a_worker_killed_where_it_writes_is_replaced_and_the_run_completes(
        story: dict[str, Path], tmp_path: Path, cluster: OnDask, point: str) -> None:  # noqa: F811
    """Dask runs the lost task again on another worker: a batch's parts written again (a part
    folder appears whole, by one rename, or not at all), a table's merge started again (its
    months are new files beside the ones they replace, so a second start writes the same)."""
    out = tmp_path / "corpus"
    for scenario in ("first", "later"):
        once = tmp_path / f"stopped-{scenario}"
        with workers_stop_at(cluster, point, once):
            summary = extract_corpus(story[scenario], out, cluster, KNOWLEDGE, batch_size=4)
        assert once.exists(), f"no worker reached {point!r}"
        assert summary.errors == 0
        assert_same_tables(out, story[f"fresh-{scenario}"])


def test_a_merge_lost_with_its_workers_is_one_line_exit_1_and_the_next_run_completes(
        story: dict[str, Path], tmp_path: Path, cluster: OnDask, capsys) -> None:  # noqa: F811
    """A merge whose workers keep dying ends the run with one line and exit code 1 (a failure, not
    bad input: once exit 2 with dask's traceback); the folder is as before, and the same command
    run again completes."""
    out = tmp_path / "corpus"
    run(story["first"], out)
    command = ["corpus", "extract", str(story["later"]), "--out", str(out), "--engine", "dask",
               "--scheduler", cluster.client.scheduler.address]
    with workers_stop_at(cluster, "month written", None):
        assert main(command) == 1
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in captured.err, captured.err
    assert err[0].startswith("error: the dask cluster lost the merge_tables task(s) (KilledWorker")
    assert err[0].endswith("run the same command again")
    assert main(["corpus", "report", str(out), "--actors", "pakistan,china"]) == 2  # not finished
    assert main(command) == 0
    assert_same_tables(out, story["fresh-later"])


def _driver(source: str, out: str, address: str, point: str) -> None:  # pragma: no cover - a child
    os.environ[ENV] = point
    with OnDask(address) as engine:
        extract_corpus(Path(source), Path(out), engine, KNOWLEDGE, batch_size=4)


FORKS = multiprocessing.get_context("forkserver")
FORKS.set_forkserver_preload(["analysis.corpus.run", "analysis.corpus.engines", "distributed"])


def driver_stopped_at(point: str, source: Path, out: Path, address: str) -> None:
    """A dask run's driver, in a process forked from a clean server (this one holds a dask
    client's threads), ending at ``point`` with ``os._exit``."""
    child = FORKS.Process(target=_driver, args=(str(source), str(out), address, point))
    child.start()
    child.join(CHILD_TIMEOUT_S)
    if child.exitcode is None:
        child.kill()
        pytest.fail(f"the run stopped at {point!r} did not end within {CHILD_TIMEOUT_S} s")
    assert child.exitcode == STOPPED, f"the run never reached {point!r} (exit {child.exitcode})"


CHAINS = {"first": ("marked running", "extracted", "ledger written"),
          "later": ("extracted", "merged", "errors written", "committed")}


@pytest.mark.parametrize("scenario", CHAINS)
def test_a_dask_run_whose_driver_is_killed_at_each_step_is_repaired_by_the_next(
        story: dict[str, Path], tmp_path: Path, cluster: OnDask, scenario: str) -> None:  # noqa: F811
    """Runs on the cluster, each stopped dead at the next step (each repairs the one before),
    then one that completes: its tables are a fresh run's. The later scenario starts from the
    first's tables, with documents new, changed and gone."""
    out = tmp_path / "corpus"
    address = cluster.client.scheduler.address
    if scenario == "later":
        extract_corpus(story["first"], out, cluster, KNOWLEDGE, batch_size=4)
    for point in CHAINS[scenario]:
        driver_stopped_at(point, story[scenario], out, address)
    extract_corpus(story[scenario], out, cluster, KNOWLEDGE, batch_size=4)
    assert_same_tables(out, story[f"fresh-{scenario}"])


def _descendants(pid: int) -> list[int]:
    import psutil

    try:
        return [child.pid for child in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_a_local_cluster_ends_with_its_driver_killed(tmp_path: Path) -> None:
    """`kill -9` of `corpus extract --engine dask` while it runs: its scheduler, nanny and worker
    end within seconds (they once lived on for minutes, about 650 MB)."""
    source = archive(tmp_path / "archive.jsonl", 400)
    command = ["corpus", "extract", str(source), "--out", str(tmp_path / "out"), "--engine", "dask",
               "--workers", "1", "--batch-size", "5"]
    driver = subprocess.Popen([sys.executable, "-m", "analysis", *command], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    cluster: list[int] = []
    while time.monotonic() < deadline and driver.poll() is None:
        cluster = _descendants(driver.pid)  # scheduler, nanny, the nanny's worker (and its helpers)
        if len(cluster) >= 3 and (tmp_path / "out" / "_parts").is_dir():  # extracting
            break
        time.sleep(0.05)
    os.kill(driver.pid, signal.SIGSTOP)  # caught at work: it can close nothing from here
    cluster = _descendants(driver.pid)
    os.kill(driver.pid, signal.SIGKILL)
    driver.wait(10)
    assert driver.returncode == -signal.SIGKILL, driver.stderr.read().decode() if driver.stderr else ""
    assert len(cluster) >= 3, cluster
    killed = time.monotonic()
    while time.monotonic() < killed + 10 and any(_alive(pid) for pid in cluster):
        time.sleep(0.1)
    left = [pid for pid in cluster if _alive(pid)]
    for pid in left:  # never leave them to the rest of the suite
        os.kill(pid, signal.SIGKILL)
    assert left == [], f"{len(left)} of the cluster's {len(cluster)} processes outlived the driver by 10 s"
    assert time.monotonic() - killed < 5
