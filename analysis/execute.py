"""Executing notebooks with nbclient: several at once on one event loop, in the project's
environment, with volatile metadata removed so that re-execution is byte-identical."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

KERNEL = "python3"
CELL_TIMEOUT_S = 600


class NotebookFailed(RuntimeError):
    """A cell raised: the message names the notebook, the cell number and the error."""


async def execute(path: Path, workdir: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="kernel-") as sockets:
        # IPC sockets instead of TCP on loopback: nothing listens on a port.
        km = AsyncKernelManager(kernel_name=KERNEL, transport="ipc",
                                connection_file=str(Path(sockets) / "kernel.json"))
        client = NotebookClient(nb, km=km, kernel_name=KERNEL, timeout=CELL_TIMEOUT_S,
                                record_timing=False, resources={"metadata": {"path": str(workdir)}})
        failure: CellExecutionError | None = None
        try:
            await client.async_execute()
        except CellExecutionError as exc:
            failure = exc
        except (DeadKernelError, CellTimeoutError) as exc:
            number = running_cell(nb)
            raise NotebookFailed(f"{path.name}: cell {number}: {type(exc).__name__}: {exc}") from None
        finally:
            if km.has_kernel:  # nbclient leaves a kernel manager it was given running
                await km.shutdown_kernel(now=True)
    if failure is not None:
        number, error = failing_cell(nb)
        detail = error or str(failure).strip().splitlines()[-1]
        raise NotebookFailed(f"{path.name}: cell {number} failed: {detail}")
    return normalise(nb)


def execute_all(paths: list[Path], workdir: Path, on_start, on_done) -> dict[Path, nbformat.NotebookNode]:
    """Run notebooks concurrently (one kernel each); the first failure cancels the rest."""

    async def one(path: Path) -> tuple[Path, nbformat.NotebookNode]:
        on_start(path)
        loop = asyncio.get_running_loop()
        started = loop.time()
        nb = await execute(path, workdir)
        on_done(path, loop.time() - started)
        return path, nb

    async def run() -> dict[Path, nbformat.NotebookNode]:
        tasks = [asyncio.ensure_future(one(p)) for p in paths]
        try:
            return dict(await asyncio.gather(*tasks))
        except BaseException:
            for task in tasks:  # stop the others and shut their kernels down
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise

    try:
        return asyncio.run(run())
    except asyncio.CancelledError:
        # asyncio.run turns Ctrl-C into cancelling the run; nothing else cancels it.
        raise KeyboardInterrupt from None


def failing_cell(nb: nbformat.NotebookNode) -> tuple[int | str, str]:
    for number, cell in enumerate(nb.cells, 1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return number, f"{out.get('ename')}: {out.get('evalue')}"
    return "?", ""


def running_cell(nb: nbformat.NotebookNode) -> int | str:
    """The first code cell that never got its reply (no execution count): where it stopped."""
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type == "code" and cell.source.strip() and cell.get("execution_count") is None:
            return number
    return "?"


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Keep only metadata that does not change between machines or runs."""
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": KERNEL}
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        for key in ("execution", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
    return nb
