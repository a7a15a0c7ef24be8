"""WARC files and their equivalent JSON Lines archives, made from the fixture pages
(``tests/fixtures/pages/``) with warcio, as a crawler writes them: one gzip member per record, a
``warcinfo`` record first, ``request`` records beside the responses, and records that are not pages
(an image, a redirect)."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "pages"
# Each page at the address a crawler fetched it from (the WARC-Target-URI), and when.
CRAWLED = {
    "jsonld_newsarticle.html": "https://www.indusledger.example.com/world/2025/04/24/pakistan-astronaut-tiangong",
    "opengraph_only.html": "https://orbitreview.example.org/news/tiangong-foreign-crew-member",
    "live_blog.html": "https://skyline-news.example.com/live/shenzhou-20-launch",
    "paywall_teaser.html": "https://meridianweekly.example.net/analysis/china-offer-tiangong-seat",
    "amp_article.html": "https://www.capitaldispatch.example.com/amp/science/pakistan-road-to-tiangong",
    "syndicated_copy.html": "https://gulfeveningpost.example.com/world/pakistan-first-foreign-astronaut-china",
}
ERRORS = {  # pages a crawl holds that are no article to extract: errors rows
    "no_article.html": "https://www.indusledger.example.com/science",
    "non_english.html": "https://courrier-fictif.example.fr/espace/astronaute-pakistanais-tiangong",
}
WARC_DATE = "2025-04-28T09:30:00Z"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def page_records(pages: dict[str, str] | None = None) -> list[tuple[str, bytes, str]]:
    """(url, page bytes, WARC-Date) of the fixture pages, articles first."""
    pages = pages if pages is not None else {**CRAWLED, **ERRORS}
    return [(url, (FIXTURES / name).read_bytes(), WARC_DATE) for name, url in pages.items()]


def write_warc(path: Path, records: Iterable[tuple[str, bytes, str]], *, gzip: bool = True,
               extras: bool = True) -> Path:
    """A WARC of these pages (``extras``: with the records a crawl holds that are not pages)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        if extras:
            writer.write_record(writer.create_warcinfo_record(path.name, {"software": "fixture crawler"}))
        for number, (url, body, date) in enumerate(records):
            headers = {"WARC-Date": date}
            if extras:
                request = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "fixture")], is_http_request=True)
                writer.write_record(writer.create_warc_record(url, "request", http_headers=request,
                                                              warc_headers_dict=headers))
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=http, warc_headers_dict=headers))
            if extras and number == 0:  # an image and a redirect: responses, but not pages
                image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(url + ".png", "response",
                                                              payload=io.BytesIO(PNG),
                                                              http_headers=image, warc_headers_dict=headers))
                located = [("Location", url), ("Content-Type", "text/html")]  # HTML, but no page
                moved = StatusAndHeaders("301 Moved Permanently", located, protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(url + "/old", "response",
                                                              payload=io.BytesIO(b"<html>moved</html>"),
                                                              http_headers=moved, warc_headers_dict=headers))
    return path


def write_equivalent_jsonl(path: Path, records: Iterable[tuple[str, bytes, str]]) -> Path:
    """The same articles as a JSON Lines export with provenance columns: each page read the way a
    worker reads a WARC record (``read_page``), keyed as the WARC's documents are (``page_id``)."""
    from analysis.corpus.archive import page_id
    from analysis.inputs.pages import PageProblem, read_page

    with path.open("w", encoding="utf-8") as out:
        for url, body, date in records:
            try:
                article = read_page(body, url, retrieved=date)
            except PageProblem:
                continue
            out.write(json.dumps({"id": page_id(url), "published": article.published.isoformat(),
                                  "outlet": article.outlet, "authors": list(article.authors),
                                  "text": article.text, "url": url, "retrieved": date,
                                  "original_sha256": hashlib.sha256(body).hexdigest()}) + "\n")
    return path
