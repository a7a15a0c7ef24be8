"""Benchmark: the whole fact pipeline over synthetic corpora built from the seeds.

Each corpus has N article-size documents: the seed articles with their paragraphs shuffled
(fixed seed), written as seed files with the seeds' headers. Each size runs in its own process
so peak memory (max RSS) is that size's alone. Prints documents/second and peak memory.

    .venv/bin/python benchmarks/fact_pipeline.py            # 100, 1,000, 10,000 documents
    .venv/bin/python benchmarks/fact_pipeline.py 100 1000   # chosen sizes
"""

from __future__ import annotations

import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = (100, 1_000, 10_000)


def make_corpus(root: Path, size: int, seed: int = 20250424) -> None:
    """A project copy whose seeds/ holds the originals plus shuffled variants, ``size`` in all."""
    shutil.copytree(ROOT / "analysis" / "knowledge", root / "analysis" / "knowledge")
    seeds = root / "seeds"
    seeds.mkdir(parents=True)
    originals = sorted((ROOT / "seeds").glob("*.txt"))
    for path in originals:
        shutil.copy(path, seeds / path.name)
    rng = random.Random(seed)
    for i in range(size - len(originals)):
        text = originals[i % len(originals)].read_text(encoding="utf-8")
        header, body = text.split("\n", 1)
        paragraphs = [p for p in body.split("\n\n") if p.strip()]
        rng.shuffle(paragraphs)
        (seeds / f"synthetic_{i:06d}.txt").write_text(header + "\n\n" + "\n\n".join(paragraphs) + "\n",
                                                       encoding="utf-8")


def measure(root: Path) -> dict:
    """Run in a child process: extract every fact table once, report time and peak memory."""
    from analysis import ProjectPaths
    from analysis.facts.extract import extract_facts

    started = time.perf_counter()
    facts = extract_facts(ProjectPaths(root))
    seconds = time.perf_counter() - started
    return {"documents": len(facts.sources), "seconds": seconds,
            "rows": sum(len(t) for t in facts.tables.values()),
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main(sizes: list[int]) -> None:
    print(f"{'documents':>10} {'seconds':>9} {'docs/s':>8} {'fact rows':>10} {'peak MiB':>9} "
          f"{'MiB/1k docs':>12}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            make_corpus(Path(tmp), size)
            out = subprocess.run([sys.executable, __file__, "--measure", tmp], capture_output=True,
                                 text=True, check=True)
            r = json.loads(out.stdout)
        print(f"{r['documents']:>10,} {r['seconds']:>9.2f} {r['documents'] / r['seconds']:>8.0f} "
              f"{r['rows']:>10,} {r['peak_mib']:>9.0f} {r['peak_mib'] / r['documents'] * 1000:>12.1f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(measure(Path(sys.argv[2]))))
    else:
        main([int(a) for a in sys.argv[1:]] or list(DEFAULT_SIZES))
