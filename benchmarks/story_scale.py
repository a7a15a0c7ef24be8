"""Benchmark: the briefing built from 1 to 1,000 sources — build time, pages and HTML size.

A desk's story grows article by article, or arrives all at once from an archive (``corpus
select``); the briefing must stay readable (main body ≤ 12 A4 pages), light (HTML ≤ 8 MB) and
build at any number of sources. Each size is built in a scratch copy of the project (the
repository is never touched) from the seed, the fixture story (``tests/fixtures/story``), the
house-style fixtures (``tests/fixtures/styles``) and, beyond those, synthetic articles made from
them as ``corpus synth`` makes them (shuffled paragraphs, invented outlets and later dates; with
``--paragraphs 1``, one-paragraph briefs).

    .venv/bin/python benchmarks/story_scale.py                       # 1, 10, 100, 300 and 1,000 sources
    .venv/bin/python benchmarks/story_scale.py --sizes 1000 --paragraphs 1
    .venv/bin/python benchmarks/story_scale.py --sizes 50 --keep /tmp/story50
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.corpus.synthetic import synthetic_records, write_corpus  # noqa: E402

COPIED = ("seeds", "notebooks", "analysis", "pyproject.toml", "figures")


def fixture_sources(count: int) -> list[Path]:
    """Up to ``count`` of the project's own articles: the seed first, then the fixtures."""
    seed = sorted((ROOT / "seeds").glob("*.txt"))[:1]
    fixtures = sorted((ROOT / "tests/fixtures/story").glob("*.txt"))
    fixtures += sorted((ROOT / "tests/fixtures/styles").glob("*.txt"))
    return (seed + fixtures)[:count]


def scratch_project(target: Path, count: int, paragraphs: int | None = None) -> Path:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, target / name)
    for old in (target / "seeds").glob("*.txt"):
        old.unlink()
    own = fixture_sources(count)
    for path in own:
        shutil.copy2(path, target / "seeds" / path.name)
    write_corpus(synthetic_records(count - len(own), paragraphs=paragraphs), target / "seeds")
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


def measure(count: int, keep: Path | None, paragraphs: int | None = None) -> dict:
    base = keep or Path(tempfile.mkdtemp(prefix=f"story{count}-"))
    if base.exists():
        shutil.rmtree(base)
    project = scratch_project(base, count, paragraphs)
    env = {**os.environ, "ANALYSIS_PROJECT_ROOT": str(project), "PYTHONPATH": str(project)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", "build"], cwd=project, env=env, check=True,
                   stdout=subprocess.DEVNULL, timeout=3600)
    seconds = time.perf_counter() - start
    body, total = pdf_pages(project / "reports/briefing.pdf")
    size = (project / "reports/briefing.html").stat().st_size
    if keep is None:
        shutil.rmtree(project)
    return {"sources": count, "seconds": seconds, "body_pages": body, "pages": total, "html_mb": size / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100, 300, 1000])
    parser.add_argument("--paragraphs", type=int, help="synthetic sources of this many paragraphs "
                                                       "(default: whole articles)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (one size only)")
    args = parser.parse_args()
    if args.keep and len(args.sizes) > 1:
        parser.error("--keep takes one size")
    print(f"{'sources':>7} {'build s':>8} {'main body pages':>16} {'all pages':>10} {'HTML MB':>8}")
    for count in args.sizes:
        r = measure(count, args.keep, args.paragraphs)
        print(f"{r['sources']:>7} {r['seconds']:>8.1f} {r['body_pages']:>16} {r['pages']:>10} "
              f"{r['html_mb']:>8.2f}", flush=True)
    print("targets: main body ≤ 12 pages and HTML ≤ 8 MB at every size; the build finishes")


if __name__ == "__main__":
    main()
