"""WARC files through ``corpus extract``: the same tables, report and selection as the equivalent
JSON Lines archive; pages that are no article in the errors table; a damaged WARC refused whole."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.corpus.archive import Archive, page_id
from tests.test_corpus import KNOWLEDGE, assert_same_tables, tables
from tests.web_archives import CRAWLED, ERRORS, page_records, write_equivalent_jsonl, write_warc


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> Path:
    """The fixture pages as a WARC (one gzip member per record) and as JSON Lines, extracted."""
    from analysis.corpus.engines import InProcess
    from analysis.corpus.run import extract_corpus

    root = tmp_path_factory.mktemp("warc")
    write_warc(root / "crawl.warc.gz", page_records())
    write_equivalent_jsonl(root / "crawl.jsonl", page_records())
    for name, source in (("from-warc", "crawl.warc.gz"), ("from-jsonl", "crawl.jsonl")):
        extract_corpus(root / source, root / name, InProcess(), KNOWLEDGE, batch_size=4)
    return root


def test_a_warc_gives_the_tables_of_the_equivalent_json_lines_archive(corpora: Path) -> None:
    warc, jsonl = tables(corpora / "from-warc"), tables(corpora / "from-jsonl")
    errors = warc.pop("errors")
    assert jsonl.pop("errors").empty
    for name in jsonl:  # every table, every column: ids, offsets, provenance
        assert warc[name].equals(jsonl[name]), name
    sources = warc["sources"].set_index("source_id")
    assert sorted(sources.index) == sorted(page_id(url) for url in CRAWLED.values())
    row = sources.loc[page_id(CRAWLED["amp_article.html"])]
    # the record's own URL (here an AMP address), not the page's canonical one; the WARC-Date
    assert (row.url, row.retrieved) == (CRAWLED["amp_article.html"], "2025-04-28T09:30:00Z")
    assert len(row.original_sha256) == 64
    assert dict(zip(errors.id, errors.error, strict=True)) == {
        page_id(ERRORS["no_article.html"]): "no article text found (0 words of main text)",
        page_id(ERRORS["non_english.html"]): "not in English (lang=fr): the extractors read English only"}
    assert all(where.startswith("crawl.warc.gz:record ") for where in errors["where"])


def test_report_and_select_agree(corpora: Path, capsys) -> None:
    reports = []
    for name in ("from-warc", "from-jsonl"):
        assert main(["corpus", "report", str(corpora / name)]) == 0
        reports.append(capsys.readouterr().out.splitlines())
        assert main(["corpus", "select", str(corpora / name), "--actors", "pakistan,tiangong",
                     "--to", str(corpora / f"seeds-{name}")]) == 0
        assert capsys.readouterr().out.startswith("6 articles written")
    warc, jsonl = reports
    assert warc[0].endswith("(2 not extracted), " + jsonl[0].split("), ", 1)[1])  # the two pages refused
    assert warc[1:] == jsonl[1:]
    written = {p.name: p.read_bytes() for p in sorted((corpora / "seeds-from-warc").iterdir())}
    assert written == {p.name: p.read_bytes() for p in sorted((corpora / "seeds-from-jsonl").iterdir())}
    sidecars = sum(name.endswith(".source.json") for name in written)
    assert sidecars == sum(name.endswith(".txt") for name in written) == 6


def test_the_driver_holds_pages_and_the_workers_make_articles(corpora: Path) -> None:
    documents = list(Archive(corpora / "crawl.warc.gz").documents())
    assert len(documents) == len(CRAWLED) + len(ERRORS) == Archive(corpora / "crawl.warc.gz").size
    assert all(d.page and d.raw.lstrip().lower().startswith(b"<!doctype") for d in documents)


def test_a_rerun_of_the_same_warc_extracts_nothing(corpora: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "copy"
    import shutil

    shutil.copytree(corpora / "from-warc", out)
    assert main(["corpus", "extract", str(corpora / "crawl.warc.gz"), "--out", str(out)]) == 0
    assert "0 extracted" in capsys.readouterr().out
    assert_same_tables(out, corpora / "from-warc")


def test_a_folder_of_warc_files_and_an_uncompressed_warc(tmp_path: Path) -> None:
    from analysis.corpus.engines import InProcess
    from analysis.corpus.run import extract_corpus

    records = page_records()
    (tmp_path / "crawl").mkdir()
    write_warc(tmp_path / "crawl" / "a.warc", records[:3], gzip=False)
    write_warc(tmp_path / "crawl" / "b.warc.gz", records[3:])
    write_warc(tmp_path / "whole.warc.gz", records)
    extract_corpus(tmp_path / "crawl", tmp_path / "folder", InProcess(), KNOWLEDGE)
    extract_corpus(tmp_path / "whole.warc.gz", tmp_path / "one", InProcess(), KNOWLEDGE)
    left, right = tables(tmp_path / "folder"), tables(tmp_path / "one")
    for name in left:
        if name != "errors":
            assert left[name].equals(right[name]), name



def test_a_page_that_trips_the_html_libraries_is_one_error_row(tmp_path: Path, monkeypatch) -> None:
    """Anything the page readers raise for one record (lxml, trafilatura, htmldate) is that
    document's error, not the end of the run: before, only the project's own errors were caught."""
    from analysis.corpus import extract as corpus_extract
    from analysis.corpus.engines import InProcess
    from analysis.corpus.run import extract_corpus

    read_page = corpus_extract.read_page
    tripped = CRAWLED["amp_article.html"]

    def tripping(raw, url, **kwargs):
        if url == tripped:
            raise ValueError("lxml: Document is empty\nsecond line")
        return read_page(raw, url, **kwargs)

    monkeypatch.setattr(corpus_extract, "read_page", tripping)
    write_warc(tmp_path / "crawl.warc.gz", page_records())
    extract_corpus(tmp_path / "crawl.warc.gz", tmp_path / "out", InProcess(), KNOWLEDGE, batch_size=4)
    found = tables(tmp_path / "out")
    errors = dict(zip(found["errors"].id, found["errors"].error, strict=True))
    assert errors[page_id(tripped)] == "reading failed: ValueError: lxml: Document is empty"
    assert page_id(tripped) not in set(found["sources"].source_id)
    assert len(found["sources"]) == len(CRAWLED) - 1  # the batch's other pages extracted


# -- a damaged WARC: one line, exit 2, nothing written -----------------------------------------------

def _bomb_in_http(path: Path) -> None:
    """A page sent with Content-Encoding: gzip that unpacks 60 KB into 60 MB."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    packed = gzip.compress(b"<html><body>" + bytes(60 * 2**20), compresslevel=9)
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://bomb.example.com/", "response",
                                                      payload=io.BytesIO(packed), http_headers=headers))


def _bomb_in_record(path: Path) -> None:
    """A record whose gzip member unpacks into 60 MB (declared honestly)."""
    write_warc(path, [("https://bomb.example.com/", b"<html>" + bytes(60 * 2**20), "2025-04-28T09:30:00Z")],
               extras=False)


def _truncated(path: Path, gz: bool) -> None:
    write_warc(path, page_records(), gzip=gz)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 1500])


@pytest.mark.parametrize(("name", "make", "message"), [
    ("bomb.warc.gz", _bomb_in_http, "decompresses to more than the 10 MB limit"),
    ("member.warc.gz", _bomb_in_record, "declares 60 MB, more than the 10 MB limit"),
    ("cut.warc", lambda p: _truncated(p, False), "is cut off"),
    ("cut.warc.gz", lambda p: _truncated(p, True), "truncated file"),
    ("fake.warc.gz", lambda p: p.write_bytes(b"not a warc at all\n" * 10), "not a WARC file"),
])
def test_a_damaged_warc_stops_before_anything_is_written(tmp_path: Path, capsys, name, make, message) -> None:
    make(tmp_path / name)
    out = tmp_path / "corpus"
    assert main(["corpus", "extract", str(tmp_path / name), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and message in err and " — " in err, err
    assert not out.exists()
