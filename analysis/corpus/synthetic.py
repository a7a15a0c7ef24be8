"""Synthetic archives for tests, benchmarks and the corpus notebook, the same for the same seed.

They are the seed and fixture articles with their paragraphs shuffled, new dates, outlets and
bylines. The lead paragraph (and a headline above it) stays first, so datelines stay datelines;
the rest is shuffled. Dates fall between ``START`` and ``END``; outlets and bylines mix the
templates' own with invented ones, so the outlet report has something to rank.
``syndicated_copies`` are one article's text as it is, under other outlets' names.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path

from ..inputs.sources import Source, read_source
from ..paths import PACKAGE_DIR, SYNTHETIC_TEMPLATES

START, END = dt.date(2024, 1, 1), dt.date(2026, 6, 30)
OUTLETS = ("Orbital Ledger", "Karakoram Courier", "Silk Road Wire", "Indus Morning Post",
           "Pacific Space Review", "Lahore Evening Star", "Asia Launch Monitor", "Capital Dispatch")
AUTHORS = ("Amina Qadri", "Li Wen", "Sara Malik", "Tom Hale", "Chen Rui", "Omar Farooq", "Nadia Baig",
           "Paul Greer", "Zhou Lan", "Imran Siddiqui")


def templates(root: Path = PACKAGE_DIR.parent) -> list[Source]:
    """The template articles, in a fixed order."""
    paths = sorted(p for pattern in SYNTHETIC_TEMPLATES for p in root.glob(pattern))
    return [read_source(p) for p in paths]


def synthetic_records(count: int, seed: int = 20250424, sources: list[Source] | None = None,
                      paragraphs: int | None = None) -> Iterator[dict]:
    """``count`` archive records (id, published, outlet, authors, text), generated lazily; with
    ``paragraphs``, each holds only that many of its template's paragraphs, taken at random (a
    story of many short items, such as a thousand one-paragraph briefs)."""
    sources = sources if sources is not None else templates()
    if not sources:
        raise ValueError("no template articles to make a corpus from")
    rng = random.Random(seed)
    days = (END - START).days
    outlets = sorted({*OUTLETS, *(s.outlet for s in sources)})
    for number in range(count):
        source = sources[rng.randrange(len(sources))]
        texts = [p.text for p in source.paragraphs]
        keep = max(1, len(source.display) + 1)  # headline/standfirst and the lead stay on top
        head, rest = texts[:keep], texts[keep:]
        rng.shuffle(rest)
        if paragraphs is not None:
            head, rest = [], rng.sample(texts, min(paragraphs, len(texts)))
        authors = rng.sample(AUTHORS, rng.choice((1, 1, 2)))
        published = START + dt.timedelta(days=rng.randrange(days + 1))
        yield {"id": f"synth-{number:07d}", "published": published.isoformat(),
               "outlet": rng.choice(outlets), "authors": "|".join(authors),
               "text": "\n" + "\n\n".join(head + rest) + "\n"}


def syndicated_copies(source: Source, count: int) -> Iterator[dict]:
    """``count`` archive records that are syndicated copies of ``source``, as a wire story spreads:
    its text under other outlets' names (each outlet once a day), on its day or the three after."""
    text = "\n" + "\n\n".join(p.text for p in source.paragraphs) + "\n"
    for number in range(count):
        published = source.published + dt.timedelta(days=number // len(OUTLETS) % 4)
        yield {"id": f"copy-{number:04d}", "published": published.isoformat(),
               "outlet": OUTLETS[number % len(OUTLETS)], "authors": "|".join(source.authors), "text": text}


def write_corpus(records: Iterator[dict], out: Path, batch: int = 2048) -> int:
    """Records as JSON Lines (``.jsonl``), Parquet (``.parquet``, in row groups of ``batch``) or a
    folder of seed files; returns how many were written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    if out.suffix == ".jsonl":
        with out.open("w", encoding="utf-8", newline="\n") as lines:
            for record in records:
                lines.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
                written += 1
    elif out.suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        columns = ("id", "published", "outlet", "authors", "text")
        schema = pa.schema([(c, pa.string()) for c in columns])
        with pq.ParquetWriter(out, schema, compression="zstd") as writer:
            chunk: list[dict] = []
            for record in records:
                chunk.append(record)
                if len(chunk) == batch:
                    writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                    written, chunk = written + len(chunk), []
            if chunk:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                written += len(chunk)
    else:
        from .archive import _authors, seed_bytes

        out.mkdir(parents=True, exist_ok=True)
        for record in records:
            raw = seed_bytes(dt.date.fromisoformat(record["published"]), _authors(record["authors"]),
                             record["outlet"], record["text"])
            (out / f"{record['id']}.txt").write_bytes(raw)
            written += 1
    return written
