"""Time `python -m analysis check` on one very large article (the seed's body repeated), to show
that the cost grows linearly with the article's size. Prints one line per size.

    .venv/bin/python benchmarks/large_article.py [MB ...]      (default: 1 2 5)
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.cli import main
from analysis.inputs.sources import MAX_SOURCE_BYTES
from tests.scratch import SEED_ID, copy_project


def article(megabytes: float, seed: str) -> str:
    header, body = seed.split("\n", 1)
    paragraphs = body.strip() + "\n\n"
    copies = max(1, int(megabytes * 1024 * 1024 / len(paragraphs.encode())))
    text = header + "\n" + paragraphs * copies
    while len(text.encode()) > MAX_SOURCE_BYTES:  # stay just under the limit
        text = text[: text.rfind("\n\n", 0, len(text) - 1000) + 2]
    return text


def main_benchmark(sizes: list[float]) -> None:
    print(f"{'size MB':>8} {'paragraphs':>10} {'check s':>8} {'s per MB':>9}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = copy_project(Path(tmp) / "project", seed_only=True)
            text = article(size, (root / "seeds" / f"{SEED_ID}.txt").read_text(encoding="utf-8"))
            (root / "seeds" / "500_large.txt").write_text(text, encoding="utf-8")
            os.environ["ANALYSIS_PROJECT_ROOT"] = str(root)
            started = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                code = main(["check"])
            seconds = time.perf_counter() - started
            megabytes = len(text.encode()) / 1024 / 1024
            assert code == 0, "check failed"
            print(f"{megabytes:8.2f} {text.count(chr(10) * 2):10d} {seconds:8.1f} {seconds / megabytes:9.1f}")


if __name__ == "__main__":
    main_benchmark([float(a) for a in sys.argv[1:]] or [1, 2, 5])
