"""Benchmark: our cached build against a naive notebook chain, on the same notebooks.

Measures, in scratch copies of the project (the repository is never touched):

a. naive chain: ``jupyter nbconvert --to notebook --execute`` on each notebook in order, then
   ``jupyter nbconvert --to html --no-input`` of the briefing and a Chromium ``--print-to-pdf``;
b. our clean build (empty cache);
c. our no-op rebuild (nothing changed);
d. our rebuild after changing one data file (``analysis/knowledge/checks.yaml``).

Prints the median of each over several runs and the ratios b/a and c/b.

    .venv/bin/python benchmarks/build_speed.py            # 3 runs each
    .venv/bin/python benchmarks/build_speed.py --runs 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
COPIED = ("seeds", "notebooks", "analysis", "pyproject.toml")
TOUCHED = Path("analysis/knowledge/checks.yaml")


def scratch_copy(target: Path) -> Path:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target / name)
    return target


def run(cmd: list[str], root: Path) -> None:
    env = {**os.environ, "ANALYSIS_PROJECT_ROOT": str(root), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(cmd, cwd=root, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def naive_chain(root: Path) -> None:
    from analysis.build.browser import FLAGS, find_chromium

    out = root / "naive"
    out.mkdir(exist_ok=True)
    notebooks = sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for nb in notebooks:
        run([str(BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute", str(nb),
             "--output-dir", str(out)], root)
    briefing = out / f"{notebooks[-1].stem}.ipynb"
    run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(briefing),
         "--output-dir", str(out)], root)
    with tempfile.TemporaryDirectory() as profile:
        run([str(find_chromium()), "--headless", *FLAGS, f"--user-data-dir={profile}",
             "--no-pdf-header-footer", f"--print-to-pdf={out / 'briefing.pdf'}",
             (out / f"{notebooks[-1].stem}.html").as_uri()], root)


def our_build(root: Path, *args: str) -> None:
    run([sys.executable, "-m", "analysis", "build", *args], root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    times: dict[str, list[float]] = {"a naive chain": [], "b clean build": [], "c no-op rebuild": [],
                                     "d one data file changed": []}
    for i in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            root = scratch_copy(Path(tmp))
            times["a naive chain"].append(timed(lambda root=root: naive_chain(root)))
            times["b clean build"].append(timed(lambda root=root: our_build(root)))
            times["c no-op rebuild"].append(timed(lambda root=root: our_build(root)))
            with (root / TOUCHED).open("a", encoding="utf-8") as handle:
                handle.write(f"# benchmark change {i}\n")
            times["d one data file changed"].append(timed(lambda root=root: our_build(root)))
        print(f"run {i + 1}/{runs}: " + ", ".join(f"{k[0]} {v[-1]:.1f} s" for k, v in times.items()),
              flush=True)
    medians = {k: statistics.median(v) for k, v in times.items()}
    print(f"\n{'step':<28}{'median s':>10}   runs")
    for name, values in times.items():
        print(f"{name:<28}{medians[name]:>10.2f}   {', '.join(f'{v:.2f}' for v in values)}")
    b_a = medians["b clean build"] / medians["a naive chain"]
    c_b = medians["c no-op rebuild"] / medians["b clean build"]
    print(f"\nb/a = {b_a:.2f} (target ≤ 0.60)   c/b = {c_b:.3f}   "
          f"c = {medians['c no-op rebuild']:.2f} s (target ≤ 1 s)")


if __name__ == "__main__":
    main()
