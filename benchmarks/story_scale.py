"""Benchmark: the briefing built from 1, 10 and 50 sources — build time, pages and HTML size.

A desk's story grows article by article; the briefing must stay readable (main body ≤ 12 A4
pages), light (HTML ≤ 8 MB) and quick to build (≤ 60 s) at any number of sources. Each size is
built in a scratch copy of the project (the repository is never touched) from the seed, the
fixture story (``tests/fixtures/story``), the house-style fixtures (``tests/fixtures/styles``) and,
beyond those, syndicated copies of them under invented outlet names and later dates.

    .venv/bin/python benchmarks/story_scale.py                 # 1, 10 and 50 sources
    .venv/bin/python benchmarks/story_scale.py --sizes 50 --keep /tmp/story50
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("seeds", "notebooks", "analysis", "pyproject.toml", "figures")
HEADER = re.compile(r"^ date (\d{4}-\d{2}-\d{2}) By (.+), ([^,\n]+)$", re.M)


def story_sources(count: int) -> list[tuple[str, str]]:
    """``count`` source files (name, text): the seed first, then fixtures, then syndicated copies."""
    seed = sorted((ROOT / "seeds").glob("*.txt"))[:1]
    fixtures = sorted((ROOT / "tests/fixtures/story").glob("*.txt"))
    fixtures += sorted((ROOT / "tests/fixtures/styles").glob("*.txt"))
    found = [(p.name, p.read_text(encoding="utf-8")) for p in seed + fixtures][:count]
    originals = list(found)
    copy = 0
    while len(found) < count:
        name, text = originals[copy % len(originals)]
        copy += 1
        match = HEADER.search(text)
        if match is None:
            continue
        published = dt.date.fromisoformat(match[1]) + dt.timedelta(days=1 + copy % 9)
        header = f" date {published:%Y-%m-%d} By {match[2]}, Syndicate {copy:02d}"
        found.append((f"9{copy:02d}_copy_of_{name}", text.replace(match[0], header, 1)))
    return found


def scratch_project(target: Path, count: int) -> Path:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, target / name)
    for old in (target / "seeds").glob("*.txt"):
        old.unlink()
    for name, text in story_sources(count):
        (target / "seeds" / name).write_text(text, encoding="utf-8")
    return target


def pdf_pages(pdf: Path) -> tuple[int, int]:
    """(pages before the evidence annex, all pages)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])
    for page in range(2, total + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        if any(line.strip() == "Evidence" for line in text.splitlines()[:6]):
            return page - 1, total
    return total, total


def measure(count: int, keep: Path | None) -> dict:
    base = keep or Path(tempfile.mkdtemp(prefix=f"story{count}-"))
    if base.exists():
        shutil.rmtree(base)
    project = scratch_project(base, count)
    env = {**os.environ, "ANALYSIS_PROJECT_ROOT": str(project), "PYTHONPATH": str(project)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", "build"], cwd=project, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    body, total = pdf_pages(project / "reports/briefing.pdf")
    size = (project / "reports/briefing.html").stat().st_size
    if keep is None:
        shutil.rmtree(project)
    return {"sources": count, "seconds": seconds, "body_pages": body, "pages": total, "html_mb": size / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (one size only)")
    args = parser.parse_args()
    if args.keep and len(args.sizes) > 1:
        parser.error("--keep takes one size")
    print(f"{'sources':>7} {'build s':>8} {'main body pages':>16} {'all pages':>10} {'HTML MB':>8}")
    for count in args.sizes:
        r = measure(count, args.keep)
        print(f"{r['sources']:>7} {r['seconds']:>8.1f} {r['body_pages']:>16} {r['pages']:>10} "
              f"{r['html_mb']:>8.2f}", flush=True)
    print("targets: build ≤ 60 s, main body ≤ 12 pages, HTML ≤ 8 MB at every size")


if __name__ == "__main__":
    main()
