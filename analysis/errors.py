"""One error type for bad input, so every message names the file, the place and the fix."""

from __future__ import annotations

from pathlib import Path

from .paths import shown_path


def first_line(exc: BaseException) -> str:
    """An exception as one line (its message's first, else its type): what an errors table or a
    one-line command error shows."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


PROBLEM_MAX = 300  # characters of a problem shown: a value quoted in it may be 100,000 long


def brief(text: str, limit: int = PROBLEM_MAX) -> str:
    """``text``, or its start and end around an ellipsis when longer than ``limit``: one line
    stays one readable line whatever value it quotes."""
    if len(text) <= limit:
        return text
    tail = limit // 4
    return f"{text[:limit - tail - 3]} … {text[-tail:]}"


class InputError(ValueError):
    """Raised when a source or curated data file cannot be used as it is.

    ``where`` is a line number (``file:line``) or a character offset (``file@offset``).
    """

    def __init__(
        self,
        path: Path | str,
        problem: str,
        *,
        line: int | None = None,
        offset: int | None = None,
        fix: str = "",
    ) -> None:
        # a URL is shown as given (a path would fold its //)
        self.path = path if isinstance(path, str) and "://" in path else shown_path(Path(path))
        self.line = line
        self.offset = offset
        self.problem = problem = brief(problem)
        self.fix = fix
        place = self.path
        if line is not None:
            place += f":{line}"
        elif offset is not None:
            place += f"@{offset}"
        message = f"{place}: {problem}"
        if fix:
            message += f" — {fix}"
        super().__init__(message)


class RunFailed(RuntimeError):
    """A run failed for a reason outside its input (a dask cluster lost its workers): exit code 1,
    one line saying what to do, and nothing of the run kept."""
