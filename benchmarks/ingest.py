"""Benchmark: real inputs. Pages per second through ``analysis add`` and WARC records per second
through ``corpus extract``, in-process and on a local dask cluster, and where the time goes.

It writes a WARC of N records (default 10,000) made from the fixture pages of
``tests/fixtures/pages/`` (each record its own URL and publication date, one in twenty a page that
is no article, with a crawl's other records beside them), then times, each once:

- checking the WARC whole before a run (the driver's ``scan_warcs``: decompressing every record);
- reading it (the driver's ``read_warc``: the documents handed to the engine);
- turning the pages into articles (``read_page``: trafilatura and htmldate), in one process;
- ``corpus extract`` of the WARC in-process and on dask (2 workers), the cluster's start-up apart;
- ``corpus extract`` of the equivalent JSON Lines archive in-process: the same articles without
  the page extraction, so the difference is what reading pages costs the corpus;
- ``add`` of P saved pages (default 200) into a scratch project, and the ``candidates`` listing
  that follows it.

    nice -n 15 .venv/bin/python benchmarks/ingest.py            # 10,000 records, 200 pages
    nice -n 15 .venv/bin/python benchmarks/ingest.py 2000 --pages 50
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.corpus.archive import Archive, read_warc, scan_warcs  # noqa: E402
from analysis.corpus.engines import InProcess, OnDask  # noqa: E402
from analysis.corpus.run import extract_corpus  # noqa: E402
from analysis.inputs.pages import PageProblem, read_page  # noqa: E402
from tests.web_archives import CRAWLED, ERRORS, FIXTURES, write_equivalent_jsonl, write_warc  # noqa: E402

KNOWLEDGE = ROOT / "analysis" / "knowledge"
DATES = ("2025-04-24", "2025-04-25", "2025-04-28", "2025-05-02", "2025-04-23")


def records(count: int, seed: int = 20250424) -> list[tuple[str, bytes, str]]:
    """``count`` pages: the fixture articles (and one in twenty error pages) at their own URLs,
    each dated somewhere in 2025-2026, with a paragraph of its own so that no two are alike."""
    rng = random.Random(seed)
    articles = [(FIXTURES / name).read_bytes() for name in CRAWLED]
    errors = [(FIXTURES / name).read_bytes() for name in ERRORS]
    start = dt.date(2025, 1, 1)
    out = []
    for number in range(count):
        page = rng.choice(errors) if number % 20 == 19 else rng.choice(articles)
        day = (start + dt.timedelta(days=rng.randrange(600))).isoformat()
        for old in DATES:
            page = page.replace(old.encode(), day.encode())
        page = page.replace(b"<p>", f"<p>Report {number} of the desk's series. ".encode(), 1)
        page = page.replace(b".example.", f".example{number}.".encode())  # its own canonical URL
        url = f"https://news{number % 97}.example.com/{day[:7]}/story-{number}"
        out.append((url, page, f"{day}T12:00:00Z"))
    return out


def timed(what: str, function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    seconds = time.perf_counter() - started
    print(f"  {what:<58} {seconds:7.1f} s", flush=True)
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("records", type=int, nargs="?", default=10_000)
    parser.add_argument("--pages", type=int, default=200, help="saved pages to add (default 200)")
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ingest-"))
    try:
        run(args.records, args.pages, not args.no_dask, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(count: int, pages: int, dask: bool, work: Path) -> None:
    print(f"WARC of {count:,} records ({count // 20:,} of them no article), in {work}")
    pages_in = records(count)
    warc, _ = timed("write the WARC (warcio, gzip per record)", write_warc, work / "crawl.warc.gz", pages_in)
    jsonl, _ = timed("write the equivalent JSON Lines (read_page per record)", write_equivalent_jsonl,
                     work / "crawl.jsonl", pages_in)
    print(f"  WARC {warc.stat().st_size / 2**20:.1f} MiB, JSON Lines {jsonl.stat().st_size / 2**20:.1f} MiB")
    print("driver and extraction, one process:")
    documents, scan = timed("check the WARC whole (scan_warcs)", scan_warcs, [warc])
    _, read = timed("read its documents (read_warc)", lambda: sum(1 for _ in read_warc(warc)))

    def extract_pages() -> int:
        ok = 0
        for _, body, _ in pages_in:
            try:
                read_page(body)
                ok += 1
            except PageProblem:
                pass
        return ok

    _, pages_s = timed("pages into articles (read_page: trafilatura, htmldate)", extract_pages)
    print("corpus extract:")
    summary, inprocess = timed("WARC, in-process", extract_corpus, Archive(warc), work / "c-warc",
                               InProcess(), KNOWLEDGE)
    _, plain = timed("equivalent JSON Lines, in-process", extract_corpus, jsonl, work / "c-jsonl",
                     InProcess(), KNOWLEDGE)
    rows = [("WARC, in-process", summary, inprocess)]
    if dask:
        with OnDask(workers=2) as engine:
            there, on_dask = timed("WARC, dask (2 workers; cluster started before)", extract_corpus,
                                   Archive(warc), work / "c-dask", engine, KNOWLEDGE)
        rows.append(("WARC, dask", there, on_dask))
    print("add:")
    project = work / "project"
    from tests.scratch import copy_project

    copy_project(project, seed_only=True)
    saved = work / "saved"
    saved.mkdir()
    for number, (_, body, _) in enumerate(p for p in pages_in[: pages * 2] if b'lang="fr"' not in p[1]
                                          and b"<h1>Science" not in p[1]):
        if number == pages:
            break
        (saved / f"page{number:05d}.html").write_bytes(body)
    import os

    os.environ["ANALYSIS_PROJECT_ROOT"] = str(project)
    from analysis.inputs.intake import add_articles
    from analysis.inputs.pages import Metadata

    added, adding = timed(f"add {pages} saved pages (read, check, compare, write)", add_articles,
                          [str(saved)], project / "seeds", Metadata())
    import contextlib
    import io

    from analysis.cli import _candidates

    with contextlib.redirect_stdout(io.StringIO()) as printed:
        code, listing = timed("candidates for them (the listing add prints)",
                              _candidates, [s.source_id for s in added.sources])
    assert code == 0, printed.getvalue()
    print(f"  ({printed.getvalue().count(chr(10)) - 2} candidate rows)")
    print()
    print("| step | records | seconds | per second |")
    print("|---|---:|---:|---:|")
    print(f"| check the WARC whole (driver) | {count:,} | {scan:.1f} | {count / scan:,.0f} |")
    print(f"| read its documents (driver) | {count:,} | {read:.1f} | {count / read:,.0f} |")
    print(f"| pages into articles (one process) | {count:,} | {pages_s:.1f} | {count / pages_s:,.0f} |")
    for label, result, seconds in rows:
        print(f"| corpus extract, {label} | {count:,} | {seconds:.1f} | {count / seconds:,.0f} "
              f"(extracting {result.extracting:.1f} s, merge {seconds - result.extracting:.1f} s) |")
    articles = documents - count // 20
    print(f"| corpus extract, equivalent JSON Lines, in-process | {articles:,} | {plain:.1f} | "
          f"{articles / plain:,.0f} |")
    print(f"| add, saved pages | {len(added.sources)} | {adding:.2f} | {len(added.sources) / adding:,.0f} |")
    print(f"| candidates after add | {len(added.sources)} | {listing:.2f} | |")


if __name__ == "__main__":
    main()
