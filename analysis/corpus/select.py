"""From the corpus to the briefing: the documents of a story written out as seed files.

Each document is written exactly as a seed file holds it (its header line, a newline, its text),
so ``read_source`` gives back the same id, date, byline, outlet and text, and every offset in the
corpus tables still points at the same words; a document with provenance (a WARC record's URL and
date) gets its sidecar too, as ``add`` writes it. A file already there with other words is never
overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..atomic_files import write_bytes
from ..errors import InputError
from ..inputs.provenance import Provenance, sidecar_path
from .queries import Corpus


@dataclass
class Selected:
    written: list[Path]
    unchanged: list[Path]


def select_articles(root: Path, actors: list[str], to: Path, since: str | None = None,
                    until: str | None = None) -> Selected:
    """Write the documents naming every actor (published in [since, until]) into ``to``."""
    with Corpus(root) as corpus:
        chosen = corpus.selection(actors, since, until)
    if to.exists() and not to.is_dir():
        raise InputError(to, "is a file, not a folder", fix="give the folder to write the articles into")
    planned = []
    for row in chosen.itertuples():
        path = to / f"{row.source_id}.txt"
        files = [(path, f"{row.header}\n{row.text}".encode())]
        if row.url or row.retrieved or row.original_sha256:
            provenance = Provenance(row.url, row.retrieved, row.original_sha256)
            files.append((sidecar_path(path), provenance.json_bytes()))
        for file, raw in files:
            if file.exists() and (not file.is_file() or file.read_bytes() != raw):
                raise InputError(file, "already exists with other content; nothing was written",
                                 fix="move it away, or select into another folder")
        planned.append(files)
    to.mkdir(parents=True, exist_ok=True)
    result = Selected([], [])
    for files in planned:
        path = files[0][0]
        if all(file.exists() for file, _ in files):
            result.unchanged.append(path)
            continue
        for file, raw in reversed(files):  # the sidecar first: a seed never stands without it
            write_bytes(file, raw)  # never through a file or link planted at a fixed temporary name
        result.written.append(path)
    return result
