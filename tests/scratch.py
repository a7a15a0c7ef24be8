"""A scratch copy of the project and a way to build it, so tests never touch the repo's outputs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("seeds", "notebooks", "analysis")


def copy_project(target: Path) -> Path:
    """A copy with the inputs a build reads; outputs land in the copy, never in the repo."""
    for name in COPIED:
        shutil.copytree(ROOT / name, target / name,
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    return target


@dataclass
class BuildRun:
    root: Path
    returncode: int
    stdout: str
    stderr: str


def run_build(root: Path, *args: str, timeout: int = 600) -> BuildRun:
    env = {**os.environ, "ANALYSIS_PROJECT_ROOT": str(root)}
    proc = subprocess.run([sys.executable, "-m", "analysis", "build", *args], env=env, cwd=root,
                          capture_output=True, text=True, timeout=timeout)
    return BuildRun(root, proc.returncode, proc.stdout, proc.stderr)
