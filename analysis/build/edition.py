"""Editions: the briefing a desk would have published on a given date, built beside the project.

``build --as-of DATE`` copies the project's inputs and code into ``editions/DATE/`` (only the
sources published by then) and builds there with the date set, so the reference rows are cut to
what was known that day too. The project's own notebooks and reports are never touched, and each
edition keeps its own build cache.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from ..inputs.provenance import sidecar_path
from ..inputs.sources import read_source
from ..paths import ProjectPaths
from .run import BuildReport, build

COPIED = ("notebooks", "analysis")  # seeds are copied one by one, by date
PINS = ("pyproject.toml",)


def edition_date(text: str) -> str:
    """An ``--as-of`` value, checked: a real calendar date written YYYY-MM-DD."""
    try:
        day = dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise InputError(Path("--as-of"), f"{text!r} is not a date",
                         fix="write it as YYYY-MM-DD, e.g. 2025-06-30")
    today = dt.date.today()
    if day > today:  # what was known then is not known yet (and 9999-12-31 has no next day)
        raise InputError(Path("--as-of"), f"{day} is after today ({today})",
                         fix="give today's date or an earlier one")
    return day.isoformat()


def build_edition(paths: ProjectPaths, date: str, *, pdf: bool = True, figures: bool = True,
                  force: bool = False, say: Callable[[str], None] = print) -> tuple[Path, BuildReport]:
    """Build the edition of ``date`` in ``editions/DATE/``; returns its folder and the build report."""
    target = paths.edition(date)
    target.mkdir(parents=True, exist_ok=True)
    for name in (*COPIED, "seeds"):  # inputs are replaced whole; outputs and the cache stay
        shutil.rmtree(target / name, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
    for name in COPIED:
        shutil.copytree(paths.root / name, target / name, ignore=ignore)
    for name in PINS:
        if (paths.root / name).is_file():
            shutil.copy2(paths.root / name, target / name)
    (target / "seeds").mkdir()
    kept = [p for p in sorted(paths.seeds.glob("*.txt")) if read_source(p).published.isoformat() <= date]
    if not kept:
        raise InputError(paths.seeds, f"no source was published by {date}", fix="choose a later --as-of date")
    for path in kept:
        shutil.copy2(path, target / "seeds" / path.name)
        if sidecar_path(path).is_file():  # its provenance (``add``) comes along
            shutil.copy2(sidecar_path(path), target / "seeds" / sidecar_path(path).name)
    say(f"edition of {date}: {len(kept)} of {len(list(paths.seeds.glob('*.txt')))} sources, "
        f"in {paths.relative(target)}/")
    report = build(ProjectPaths(target, as_of=date), force=force, pdf=pdf, figures=figures, say=say)
    return target, report
