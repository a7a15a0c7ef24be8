"""What the parse costs the corpus extraction: CPU milliseconds per document, three ways.

The same synthetic archive (the generator of ``corpus synth``) extracted in batches of 100, as a
corpus worker does, with

- ``patterns``: no parse at all (every quotation attributed by the patterns of ``speakers.py``);
- ``parse, all new``: the parse with its cache off, every context parsed, as if every quotation's
  sentence were new (an archive of unique articles);
- ``parse, cached``: the parse with its cache, as it runs. The synthetic archive repeats its
  templates' sentences, so this is close to the ``patterns`` cost: an archive of wire copy
  reprinted by many outlets is in between.

Prints one line per way and repeat (CPU time of this process, so other load matters less).

    .venv/bin/python benchmarks/parse_cost.py [DOCUMENTS]       (default 1,000)
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import analysis.facts.quotes as quotes
from analysis.corpus.synthetic import synthetic_records
from analysis.facts import syntax
from analysis.facts.extract import Knowledge, facts_of_each
from analysis.facts.mentions import MentionFinder
from analysis.inputs.sources import Source, parse_source, seed_bytes
from analysis.paths import ProjectPaths

BATCH = 100


def documents(count: int) -> list[Source]:
    records = itertools.islice(synthetic_records(count), count)
    return [parse_source(seed_bytes(dt.date.fromisoformat(r["published"]), r["authors"].split("|"),
                                    r["outlet"], r["text"]), Path(f"{r['id']}.txt")) for r in records]


def cpu_seconds(sources: list[Source], knowledge: Knowledge, *, parse: bool, cache: bool) -> float:
    finder = MentionFinder(knowledge.gazetteer)
    limit, size = quotes.MAX_PARSED, syntax.CACHE_SIZE
    quotes.MAX_PARSED = limit if parse else 0
    syntax.CACHE_SIZE = size if cache else 0
    syntax._PARSED.clear()
    started = time.process_time()
    try:
        for i in range(0, len(sources), BATCH):
            facts_of_each(sources[i:i + BATCH], knowledge, finder)
        return time.process_time() - started
    finally:
        quotes.MAX_PARSED, syntax.CACHE_SIZE = limit, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("documents", nargs="?", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    sources = documents(args.documents)
    knowledge = Knowledge.load(ProjectPaths.default().knowledge)
    syntax.pipeline()  # loaded once, as a worker does
    contexts = sum(1 for s in sources for q in quotes._quotations(s, quotes.find_fragments(s))
                   if q.parse_context is not None)
    print(f"{len(sources):,} documents, {contexts / len(sources):.2f} parsed contexts per document")
    ways = (("patterns", False, True), ("parse, all new", True, False), ("parse, cached", True, True))
    for _ in range(args.repeat):
        for name, parse, cache in ways:
            seconds = cpu_seconds(sources, knowledge, parse=parse, cache=cache)
            print(f"{name:<16} {seconds / len(sources) * 1000:6.2f} ms of CPU per document "
                  f"({len(sources) / seconds:5.0f} documents per CPU second)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
