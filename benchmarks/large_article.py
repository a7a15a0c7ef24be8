"""Time `python -m analysis check` on one very large article of several shapes, to show that the
cost grows linearly with the article's size: seconds per MB should stay flat from 1 to 5 MB.

Shapes: the seed's body repeated (``body``); each of its paragraphs repeated in place
(``paragraphs``); the body as one giant paragraph (``one-paragraph``); many short quotations with
speakers (``quotations``); many dated sentences (``dates``). Prints one line per shape and size.

``--hostile`` instead runs each hostile shape of the bad-input corpus (the cases of
tests/bad_inputs/cases.yaml with a bound of time and memory) through ``python -m analysis check``
in a process of its own, and prints its wall time, CPU time and peak resident memory (the whole
process: start-up, about 2 s and 240 MB, included) beside the bounds the tests assert.

``--corpus N`` writes N synthetic articles with every hostile article among them into a folder,
runs ``python -m analysis corpus extract`` on it (``--engine dask`` to run it there), and prints
the run's time and peak memory, what became of each hostile article and the errors table.

    .venv/bin/python benchmarks/large_article.py [--shapes a,b] [MB ...]      (default: 1 2 5)
    .venv/bin/python benchmarks/large_article.py --hostile [--shapes ID,ID]
    .venv/bin/python benchmarks/large_article.py --corpus 1000 [--engine dask]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.cli import main
from analysis.inputs.sources import MAX_SOURCE_BYTES
from tests.scratch import ROOT, SEED_ID, copy_project

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def _repeat(unit: Callable[[int], str], size: int) -> str:
    parts, total, n = [], 0, 0
    while total < size:
        parts.append(unit(n))
        total += len(parts[-1].encode())
        n += 1
    return "".join(parts)


def shapes(seed_body: str) -> dict[str, Callable[[int], str]]:
    """Each shape's body of about ``size`` bytes."""
    paragraphs = [p for p in seed_body.strip().split("\n\n") if p.strip()]

    def body(size: int) -> str:
        return _repeat(lambda n: seed_body.strip() + "\n\n", size)

    def in_place(size: int) -> str:
        copies = max(1, size // len(seed_body.encode()))
        return "".join((p + "\n\n") * copies for p in paragraphs)

    def one_paragraph(size: int) -> str:
        return " ".join(body(size).split()) + "\n"

    def quotations(size: int) -> str:
        return _repeat(lambda n: f"\u201cWe will keep training crew number {n},\u201d said Amina Rafiq, "
                                 "an official of the agency. \u201cIt is on schedule,\u201d she added.\n\n",
                       size)

    def dates(size: int) -> str:
        return _repeat(lambda n: f"The agency said on {n % 28 + 1} {MONTHS[n % 12]} {1990 + n % 35} that "
                                 f"a satellite would launch in {MONTHS[(n + 3) % 12]}.\n\n", size)

    return {"body": body, "paragraphs": in_place, "one-paragraph": one_paragraph,
            "quotations": quotations, "dates": dates}


def article(header: str, body: str) -> str:
    text = header + "\n\n" + body
    while len(text.encode()) > MAX_SOURCE_BYTES:  # stay just under the limit
        cut = text.rfind("\n\n", 0, len(text) - 1000)
        text = text[: cut + 2] if cut > len(header) else text[: MAX_SOURCE_BYTES - 4096]
    return text


def time_check(text: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp) / "project", seed_only=True)
        (root / "seeds" / "500_large.txt").write_text(text, encoding="utf-8")
        os.environ["ANALYSIS_PROJECT_ROOT"] = str(root)
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = main(["check"])
        seconds = time.perf_counter() - started
        assert code == 0, "check failed"
        return seconds


def hostile(names: list[str] | None) -> None:
    """Each hostile case of the bad-input corpus, checked in a process of its own."""
    from tests.bad_input_corpus import CASES, apply, bounded

    cases = [c for c in CASES if bounded(c) and (not names or c["id"] in names)]
    print(f"{'shape':<56} {'input MB':>8} {'exit':>4} {'wall s':>7} {'CPU s':>6} {'peak MB':>8}  "
          "test's bounds (CPU; MB above what its process held)")
    for case in cases:
        with tempfile.TemporaryDirectory() as tmp:
            root = copy_project(Path(tmp) / "project", seed_only=True)
            before = _size(root)
            apply(case, root)
            written = (_size(root) - before) / 1024 / 1024
            env = {**os.environ, "ANALYSIS_PROJECT_ROOT": str(root)}
            started = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "analysis", "check"], env=env, cwd=root,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak, not any other's
            wall = time.perf_counter() - started
            code = os.waitstatus_to_exitcode(status)
            expect = case["expect"]
            print(f"{case['id']:<56} {written:8.2f} {code:>4} {wall:7.1f} "
                  f"{usage.ru_utime + usage.ru_stime:6.1f} {usage.ru_maxrss / 1024:8.0f}  "
                  f"{expect['seconds']} s, {expect['memory_mb']:,} MB", flush=True)


def hostile_corpus(count: int, engine: str) -> None:
    """N ordinary articles and the hostile ones through ``corpus extract``, in a process of its own."""
    import duckdb
    import pyarrow.parquet as pq

    from analysis.corpus.synthetic import synthetic_records, write_corpus
    from tests.bad_input_corpus import hostile_articles

    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "archive", Path(tmp) / "corpus"
        write_corpus(synthetic_records(count, 20250424), folder)
        hostile = hostile_articles(ROOT)
        for name, text in hostile.items():
            (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        megabytes = sum(p.stat().st_size for p in folder.glob("*.txt")) / 1024 / 1024
        print(f"{count:,} ordinary and {len(hostile)} hostile articles ({megabytes:.1f} MB), "
              f"corpus extract on {engine}:", flush=True)
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "analysis", "corpus", "extract", str(folder),
                                 "--out", str(out), "--engine", engine], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        said = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        print(said.strip())
        cpu = usage.ru_utime + usage.ru_stime
        print(f"exit {os.waitstatus_to_exitcode(status)}, {wall:.1f} s, {cpu:.1f} s of CPU, peak "
              f"{usage.ru_maxrss / 1024:,.0f} MB (the command's process; on dask the workers' peaks are "
              "their own)")
        extracted = set(duckdb.sql(f"SELECT source_id FROM read_parquet('{out}/sources/*/*.parquet')")
                        .df().source_id)
        errors = pq.read_table(out / "errors.parquet").to_pandas()
        reasons = dict(zip(errors.id, errors.error, strict=True))
        for name in hostile:
            print(f"  {name:<56} {'extracted' if name in extracted else reasons.get(name, 'missing')}")
        others = {k: v for k, v in reasons.items() if k not in hostile}
        print(f"ordinary articles extracted: {len(extracted - set(hostile)):,} of {count:,}; "
              f"other errors: {others or 'none'}")


def _size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def main_benchmark(sizes: list[float], names: list[str] | None) -> None:
    header, body = (ROOT / "seeds" / f"{SEED_ID}.txt").read_text(encoding="utf-8").split("\n", 1)
    made = shapes(body)
    print(f"{'shape':<14} {'size MB':>8} {'check s':>8} {'s per MB':>9}")
    for name in names or list(made):
        for size in sizes:
            text = article(header, made[name](int(size * 1024 * 1024)))
            seconds = time_check(text)
            megabytes = len(text.encode()) / 1024 / 1024
            print(f"{name:<14} {megabytes:8.2f} {seconds:8.1f} {seconds / megabytes:9.1f}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=float, default=[1, 2, 5])
    parser.add_argument("--shapes", help="comma-separated shape names (default: all)")
    parser.add_argument("--hostile", action="store_true",
                        help="the hostile shapes of tests/bad_inputs/cases.yaml, each in its own process")
    parser.add_argument("--corpus", type=int, metavar="N",
                        help="N synthetic articles with the hostile ones among them, through corpus extract")
    parser.add_argument("--engine", choices=("inprocess", "dask"), default="inprocess")
    args = parser.parse_args()
    shown = args.shapes.split(",") if args.shapes else None
    if args.corpus is not None:
        hostile_corpus(args.corpus, args.engine)
    elif args.hostile:
        hostile(shown)
    else:
        main_benchmark(args.sizes, shown)
