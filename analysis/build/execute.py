"""Executing notebooks with nbclient, several at once, so that re-execution is byte-identical.

They share one event loop, run in the project's environment, and are stored without volatile
metadata."""

from __future__ import annotations

import asyncio
import os
import signal
import tempfile
import threading
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from .kernel_warnings import ENV as WARNINGS_ENV
from .kernel_warnings import read_log
from .static_charts import PLOTLY_MIME

KERNEL = "python3"
CELL_TIMEOUT_S = 600


class _Client(NotebookClient):
    """Remembers which cell is running, so a dead kernel or a timeout can be reported by cell."""

    current_cell: int | None = None

    async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
        self.current_cell = cell_index
        return await super().async_execute_cell(cell, cell_index, *args, **kwargs)


class NotebookFailed(RuntimeError):
    """A cell raised: the message names the notebook, the cell number and the error."""


async def execute(path: Path, workdir: Path, warned: list[str] | None = None) -> nbformat.NotebookNode:
    """Run every cell; the warnings the kernel raised are appended to ``warned`` (they are never
    stored in the notebook: see :mod:`.kernel_warnings`)."""
    nb = nbformat.read(path, as_version=4)
    if not any(cell.cell_type == "code" for cell in nb.cells):
        return normalise(nb)  # Markdown only: nothing to run, no kernel to start
    with tempfile.TemporaryDirectory(prefix="kernel-") as sockets:
        log = Path(sockets) / "warnings.jsonl"
        # IPC sockets instead of TCP on loopback: nothing listens on a port.
        km = AsyncKernelManager(kernel_name=KERNEL, transport="ipc",
                                connection_file=str(Path(sockets) / "kernel.json"))
        client = _Client(nb, km=km, kernel_name=KERNEL, timeout=CELL_TIMEOUT_S,
                         record_timing=False, resources={"metadata": {"path": str(workdir)}})
        failure: CellExecutionError | None = None
        try:
            await client.async_execute(env={**os.environ, WARNINGS_ENV: str(log)})
        except CellExecutionError as exc:
            failure = exc
        except (DeadKernelError, CellTimeoutError) as exc:
            number = client.current_cell + 1 if client.current_cell is not None else "?"
            raise NotebookFailed(f"{path.name}: cell {number}: {type(exc).__name__}: {exc}") from None
        finally:
            if km.has_kernel:  # nbclient leaves a kernel manager it was given running
                await km.shutdown_kernel(now=True)
            if warned is not None:
                warned.extend(read_log(log, Path(workdir).parent))
    if failure is not None:
        number, error = failing_cell(nb)
        detail = error or str(failure).strip().splitlines()[-1]
        raise NotebookFailed(f"{path.name}: cell {number} failed: {detail}")
    return normalise(nb)


def execute_all(paths: list[Path], workdir: Path, on_start, on_done,
                on_warnings=None) -> dict[Path, nbformat.NotebookNode]:
    """Run notebooks concurrently (one kernel each); the first failure cancels the rest.
    ``on_warnings(path, lines)`` hears each notebook's warnings, even when it failed."""

    async def one(path: Path) -> tuple[Path, nbformat.NotebookNode]:
        on_start(path)
        loop = asyncio.get_running_loop()
        started = loop.time()
        warned: list[str] = []
        try:
            nb = await execute(path, workdir, warned)
        finally:
            if on_warnings is not None and warned:
                on_warnings(path, warned)
        on_done(path, loop.time() - started)
        return path, nb

    interrupted = threading.Event()

    async def run() -> dict[Path, nbformat.NotebookNode]:
        loop = asyncio.get_running_loop()
        tasks = [asyncio.ensure_future(one(p)) for p in paths]

        def stop() -> None:  # Ctrl-C: remember it, stop every notebook; kernels shut down in finally
            interrupted.set()
            for task in tasks:
                task.cancel()

        if threading.current_thread() is threading.main_thread():
            loop.claim_sigint(stop)
        try:
            return dict(await asyncio.gather(*tasks))
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        finally:
            loop.release_sigint()

    # The flag alone decides that the run was interrupted: a cancelled notebook may surface as
    # CancelledError or, through nbclient, as a dead kernel.
    try:
        with asyncio.Runner(loop_factory=_BuildLoop) as runner:
            done = runner.run(run())
    except (asyncio.CancelledError, NotebookFailed):
        if interrupted.is_set():
            raise KeyboardInterrupt from None
        raise
    if interrupted.is_set():
        raise KeyboardInterrupt
    return done


class _BuildLoop(asyncio.SelectorEventLoop):
    """nbclient registers a Ctrl-C handler per notebook that kills that notebook's kernel, and
    with several notebooks at once they overwrite one another. This loop keeps the build's own
    handler in place while notebooks run, and ignores the others'."""

    _owner = None

    def claim_sigint(self, callback) -> None:
        self._owner = callback
        super().add_signal_handler(signal.SIGINT, callback)

    def release_sigint(self) -> None:
        if self._owner is not None:
            self._owner = None
            super().remove_signal_handler(signal.SIGINT)

    def add_signal_handler(self, sig, callback, *args) -> None:
        if sig == signal.SIGINT and self._owner is not None:
            return
        super().add_signal_handler(sig, callback, *args)

    def remove_signal_handler(self, sig) -> bool:
        if sig == signal.SIGINT and self._owner is not None:
            return False
        return super().remove_signal_handler(sig)


def failing_cell(nb: nbformat.NotebookNode) -> tuple[int | str, str]:
    for number, cell in enumerate(nb.cells, 1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return number, f"{out.get('ename')}: {out.get('evalue')}"
    return "?", ""


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Keep only metadata that does not change between runs, in the form JupyterLab writes.

    JupyterLab marks a notebook modified as soon as its kernel connects unless the stored
    ``language_info`` is exactly what the kernel reports, so the kernel's own (which nbclient
    records) is kept; it names the interpreter's version, which the build's cache key includes.
    Chart JSON is stored as JavaScript would write it (``1`` for ``1.0``), so a save from
    JupyterLab leaves it byte-identical.
    """
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": KERNEL}
    for cell in nb.cells:
        for key in ("execution", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if PLOTLY_MIME in data:
                data[PLOTLY_MIME] = as_javascript_numbers(data[PLOTLY_MIME])
    return nb


_SAFE_INTEGER = 2**53


def as_javascript_numbers(value):
    """Whole-number floats as integers, as ``JSON.stringify`` writes them."""
    if isinstance(value, float) and value.is_integer() and abs(value) < _SAFE_INTEGER:
        return int(value)
    if isinstance(value, dict):
        return {k: as_javascript_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_javascript_numbers(v) for v in value]
    return value
