"""Benchmark: the briefing built from mixes of sources and from 1 to 1,000 — build time, pages, HTML size.

A desk's story grows article by article, or arrives all at once from an archive (``corpus
select``); the briefing must stay readable (main body ≤ 12 A4 pages, whatever the mix), light
(HTML ≤ 8 MB) and build at any number of sources (30 and 50 in ≤ 45 s on a quiet machine). Each
build runs in a scratch copy of the project (the repository is never touched).

The mixes are the seed alone; the seed with the fixtures of every house style
(``tests/fixtures/styles``); with 30 syndicated copies of the seed (its text under other outlets'
headers, on the day and the days after); with the fixture story (``tests/fixtures/story``); with
the agreement fixtures (``tests/fixtures/agreement``); and 8, 30 and 50 sources drawn from all of
these in turn. ``--sizes`` adds the seed, the fixtures and, beyond those, synthetic articles made
from them as ``corpus synth`` makes them (shuffled paragraphs, invented outlets and later dates;
with ``--paragraphs 1``, one-paragraph briefs).

    .venv/bin/python benchmarks/story_scale.py                        # every mix
    .venv/bin/python benchmarks/story_scale.py --mixes mix-30 mix-50 --keep /tmp/story
    .venv/bin/python benchmarks/story_scale.py --mixes --sizes 100 300 1000
    .venv/bin/python benchmarks/story_scale.py --mixes --sizes 1000 --paragraphs 1
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.corpus.synthetic import syndicated_copies, synthetic_records, write_corpus  # noqa: E402
from analysis.inputs.sources import read_source  # noqa: E402

COPIED = ("seeds", "notebooks", "analysis", "pyproject.toml", "figures")
SEED = sorted((ROOT / "seeds").glob("*.txt"))[:1]
STYLES = sorted((ROOT / "tests/fixtures/styles").glob("*.txt"))
STORY = sorted((ROOT / "tests/fixtures/story").glob("*.txt"))
AGREEMENT = sorted((ROOT / "tests/fixtures/agreement").glob("*.txt"))
COPIES = 30  # syndicated copies of the seed in the copies mix


@dataclass(frozen=True)
class Mix:
    """Sources to build from: files of the project's own and syndicated copies of the seed."""

    name: str
    files: tuple[Path, ...]
    copies: int = 0

    @property
    def count(self) -> int:
        return len(self.files) + self.copies


def drawn_in_turn(count: int) -> Mix:
    """The seed and ``count - 1`` sources taken in turn from the story, the agreement, the house
    styles and syndicated copies of the seed (copies fill up once the fixtures run out)."""
    groups = [iter(STORY), iter(AGREEMENT), iter(STYLES), itertools.repeat(None)]
    files: list[Path] = list(SEED)
    copies = 0
    for group in itertools.cycle(groups):
        if len(files) + copies >= count:
            break
        taken = next(group, False)
        if taken is None:
            copies += 1
        elif taken:
            files.append(taken)
    return Mix(f"mix-{count}", tuple(files), copies)


MIXES: dict[str, Callable[[], Mix]] = {
    "seed": lambda: Mix("seed", tuple(SEED)),
    "styles": lambda: Mix("styles", (*SEED, *STYLES)),
    "copies": lambda: Mix("copies", tuple(SEED), COPIES),
    "story": lambda: Mix("story", (*SEED, *STORY)),
    "agreement": lambda: Mix("agreement", (*SEED, *AGREEMENT)),
    "mix-8": lambda: drawn_in_turn(8),
    "mix-30": lambda: drawn_in_turn(30),
    "mix-50": lambda: drawn_in_turn(50),
}


def fixture_sources(count: int) -> list[Path]:
    """Up to ``count`` of the project's own articles: the seed first, then the fixtures."""
    return [*SEED, *STORY, *STYLES][:count]


def scratch_project(target: Path, mix: Mix, synthetic: int = 0, paragraphs: int | None = None) -> Path:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            # compiled bytecode comes along, as in a project built before: five kernels compiling
            # ``analysis`` at once measured the first build after an install, not a build
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("*.pyc.*"))
        elif source.exists():
            shutil.copy2(source, target / name)
    for old in (target / "seeds").glob("*.txt"):
        old.unlink()
    for path in mix.files:
        shutil.copy2(path, target / "seeds" / path.name)
    write_corpus(syndicated_copies(read_source(SEED[0]), mix.copies), target / "seeds")
    if synthetic:
        write_corpus(synthetic_records(synthetic, paragraphs=paragraphs), target / "seeds")
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


def measure(mix: Mix, keep: Path | None, synthetic: int = 0, paragraphs: int | None = None) -> dict:
    base = keep / mix.name if keep else Path(tempfile.mkdtemp(prefix=f"story-{mix.name}-"))
    if base.exists():
        shutil.rmtree(base)
    project = scratch_project(base, mix, synthetic, paragraphs)
    env = {**os.environ, "ANALYSIS_PROJECT_ROOT": str(project), "PYTHONPATH": str(project)}
    load = os.getloadavg()[0]
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", "build"], cwd=project, env=env, check=True,
                   stdout=subprocess.DEVNULL, timeout=3600)
    seconds = time.perf_counter() - start
    body, total = pdf_pages(project / "reports/briefing.pdf")
    size = (project / "reports/briefing.html").stat().st_size
    if keep is None:
        shutil.rmtree(project)
    return {"mix": mix.name, "sources": mix.count + synthetic, "seconds": seconds, "body_pages": body,
            "pages": total, "html_mb": size / 1e6, "load": (load, os.getloadavg()[0])}


def sized(count: int, paragraphs: int | None = None) -> tuple[Mix, int]:
    """The seed, the fixtures and synthetic articles beyond them: ``count`` sources (named
    ``1000x1p`` when they are one-paragraph briefs)."""
    own = fixture_sources(count)
    name = f"{count}" + (f"x{paragraphs}p" if paragraphs else "")
    return Mix(name, tuple(own)), count - len(own)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mixes", nargs="*", choices=list(MIXES), default=list(MIXES),
                        help="the mixes to build (default: all; none with --mixes alone)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[],
                        help="also build this many sources: the seed, the fixtures and synthetic articles")
    parser.add_argument("--paragraphs", type=int, help="synthetic sources of this many paragraphs "
                                                       "(default: whole articles)")
    parser.add_argument("--keep", type=Path, help="build each in a folder of this one (named after it) "
                                                  "and keep it")
    args = parser.parse_args()
    runs = [(MIXES[name](), 0) for name in args.mixes]
    runs += [sized(count, args.paragraphs) for count in args.sizes]
    print(f"{'mix':>10} {'sources':>7} {'build s':>8} {'main body pages':>16} {'all pages':>10} "
          f"{'HTML MB':>8} {'load (start, end)':>18}")
    for mix, synthetic in runs:
        r = measure(mix, args.keep, synthetic, args.paragraphs)
        print(f"{r['mix']:>10} {r['sources']:>7} {r['seconds']:>8.1f} {r['body_pages']:>16} {r['pages']:>10} "
              f"{r['html_mb']:>8.2f} {r['load'][0]:>9.1f}{r['load'][1]:>9.1f}", flush=True)
    print("targets: main body ≤ 12 pages and HTML ≤ 8 MB at every size; 30 and 50 sources in ≤ 45 s "
          "on a quiet machine (load is the 1-minute load average of this 2-core machine)")


if __name__ == "__main__":
    main()
