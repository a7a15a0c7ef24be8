"""``analysis add``: saved pages, URLs (a local server), feeds and plain texts into seeds/, with
provenance sidecars, duplicates, and bad input stopping with one line and nothing written."""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import json
import threading
import time
from pathlib import Path
from typing import ClassVar

import pytest

from analysis.cli import main
from analysis.facts.extract import extract_facts
from analysis.inputs.pages import PageProblem, read_page
from analysis.inputs.sources import load_sources
from analysis.paths import ProjectPaths
from tests.scratch import SEED_ID, copy_project
from tests.web_archives import FIXTURES

PAGES = FIXTURES


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_project(tmp_path / "project", seed_only=True)
    monkeypatch.setenv("ANALYSIS_PROJECT_ROOT", str(root))
    monkeypatch.chdir(root)
    return root


def add(*args: str) -> int:
    return main(["add", *args])


def new_seeds(root: Path) -> list[Path]:
    return sorted(p for p in (root / "seeds").glob("*.txt") if p.stem != SEED_ID)


def seeds_state(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "seeds").iterdir())}


# -- pages: text and metadata from the markup shapes of news sites ---------------------------------------

@pytest.mark.parametrize(("name", "published", "authors", "outlet"), [
    ("jsonld_newsarticle.html", "2025-04-24", ("Saba Rehmani", "Tomas Verhoef"), "The Indus Ledger"),
    ("opengraph_only.html", "2025-04-25", ("Helena Markovic",), "Northern Orbit Review"),
    ("paywall_teaser.html", "2025-05-02", ("Clara Oyelaran",), "The Meridian Weekly"),
    ("live_blog.html", "2025-04-23", ("Jonas Whitcombe",), "Skyline News Live"),
    ("amp_article.html", "2025-04-28", ("Omar Siddiqi",), "Capital Dispatch"),
])
def test_page_metadata_and_main_text(name: str, published: str, authors: tuple, outlet: str) -> None:
    article = read_page((PAGES / name).read_bytes(), retrieved="2025-04-28T09:30:00Z")
    assert (article.published.isoformat(), article.authors, article.outlet) == (published, authors, outlet)
    text = article.text
    for boilerplate in ("Advertisement", "Subscribe", "Related", "Share this", "newsletter", "Photo:",
                        "All rights reserved", "Comments", "never run", "changed by a script"):
        assert boilerplate not in text, (name, boilerplate)
    assert text.startswith("\n" + article.title + "\n\n")
    assert "\n\n\n" not in text and len(article.paragraphs) >= 3
    assert article.provenance.original_sha256 == hashlib.sha256((PAGES / name).read_bytes()).hexdigest()


def test_live_blog_keeps_its_own_headline_and_amp_its_canonical_url() -> None:
    live = read_page((PAGES / "live_blog.html").read_bytes())
    assert live.title.startswith("Live: Shenzhou-20 launch")
    amp = read_page((PAGES / "amp_article.html").read_bytes(), "https://x.example.com/amp/1")
    assert amp.provenance.url == "https://www.capitaldispatch.example.com/science/pakistan-road-to-tiangong"


@pytest.mark.parametrize(("name", "message"), [
    ("no_article.html", "no article text found"),
    ("non_english.html", "not in English (lang=fr)"),
    ("byline_markup.html", "no outlet (site name) found"),
])
def test_pages_that_are_no_usable_article(name: str, message: str) -> None:
    with pytest.raises(PageProblem, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_page((PAGES / name).read_bytes())


# -- add: a saved page becomes a seed, its sidecar, a row in sources.csv ---------------------------------

def test_add_a_saved_page(project: Path, capsys) -> None:
    assert add(str(PAGES / "jsonld_newsarticle.html")) == 0
    out = capsys.readouterr().out
    (seed,) = new_seeds(project)
    assert seed.name == "2025-04-24_pakistan-to-send-first-foreign-astronaut-to-china-s-space.txt"
    assert seed.read_bytes().startswith(b" date 2025-04-24 By Saba Rehmani and Tomas Verhoef, The Indus "
                                        b"Ledger\n\nPakistan to send first foreign astronaut")
    sidecar = json.loads(seed.with_name(seed.stem + ".source.json").read_text(encoding="utf-8"))
    assert sidecar["url"] == "https://www.indusledger.example.com/world/2025/04/24/pakistan-astronaut-tiangong"
    page = (PAGES / "jsonld_newsarticle.html").read_bytes()
    assert sidecar["original_sha256"] == hashlib.sha256(page).hexdigest()
    assert f"added seeds/{seed.name} (The Indus Ledger, 2025-04-24" in out
    assert "Farid Baloch" in out and "not in analysis/knowledge/entities.yaml" in out  # candidates follow
    facts = extract_facts(ProjectPaths(project))
    rows = facts["sources"].set_index("source_id")
    assert rows.loc[seed.stem, ["url", "retrieved"]].tolist() == [sidecar["url"], sidecar["retrieved"]]
    assert rows.loc[SEED_ID, ["url", "retrieved", "original_sha256"]].tolist() == ["", "", ""]  # typed seed
    assert main(["check"]) == 0


def test_duplicates_skipped_and_syndicated_copy_reported(project: Path, capsys) -> None:
    assert add(str(PAGES / "jsonld_newsarticle.html")) == 0
    capsys.readouterr()
    first = new_seeds(project)
    assert add(str(PAGES / "jsonld_newsarticle.html"), str(PAGES / "syndicated_copy.html")) == 0
    out = capsys.readouterr().out
    assert f"skipped {PAGES / 'jsonld_newsarticle.html'}: same URL as {first[0].stem}" in out
    assert f"a syndicated copy of {first[0].stem}" in out
    assert len(new_seeds(project)) == 2
    # the same text under another address: skipped as the same text
    moved = project.parent / "moved.html"
    moved.write_bytes((PAGES / "jsonld_newsarticle.html").read_bytes().replace(b"indusledger", b"mirror"))
    assert add(str(moved)) == 0
    assert "same text as" in capsys.readouterr().out and len(new_seeds(project)) == 2


def test_add_a_folder_and_flags(project: Path, capsys) -> None:
    folder = project.parent / "saved"
    (folder / "page_files").mkdir(parents=True)  # "Web page, complete": the page and its files
    (folder / "page.html").write_bytes((PAGES / "byline_markup.html").read_bytes())
    (folder / "page_files" / "style.css").write_text("body {}", encoding="utf-8")
    before = seeds_state(project)
    assert add(str(folder)) == 2
    assert "--outlet" in capsys.readouterr().err and seeds_state(project) == before
    assert add(str(folder), "--outlet", "Frontier Courier") == 0
    (seed,) = new_seeds(project)
    header = seed.read_text(encoding="utf-8").split("\n")[0]
    assert header == " date 2025-04-26 By Naveed Qureshi, Frontier Courier"


def test_add_plain_text_needs_its_metadata(project: Path, capsys) -> None:
    text = project.parent / "typed.txt"
    text.write_text("China and Pakistan signed a space agreement in February.\n\nSUPARCO will pick "
                    "candidates.\n", encoding="utf-8")
    assert add(str(text), "--date", "2025-03-01") == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no --by, --outlet" in err and err.startswith("error: ")
    flags = ("--date", "2025-03-01", "--by", "Ann Lee and Bo Chan", "--outlet", "Dawn, Karachi")
    assert add(str(text), *flags) == 0
    (seed,) = new_seeds(project)
    written = seed.read_text(encoding="utf-8")
    assert written.startswith(' date 2025-03-01 By Ann Lee and Bo Chan, "Dawn, Karachi"\n\n')
    assert not seed.with_name(seed.stem + ".source.json").exists()  # nothing from the web: no sidecar


def test_add_feeds(project: Path, capsys) -> None:
    assert add(str(PAGES / "feed.rss")) == 0
    seeds = new_seeds(project)
    assert [s.name[:10] for s in seeds] == ["2025-06-10", "2026-02-07"]
    sources = {s.source_id: s for s in load_sources(project / "seeds")}
    training = sources[seeds[1].stem]
    assert training.outlet == "Karakoram Science Desk" and training.authors == ("Zoya Hashmi",)
    assert "never run" not in training.text and training.provenance.url.endswith("/training-begins")


# -- the network: a local server on 127.0.0.1 -----------------------------------------------------------

class Site(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, dict, bytes]]] = {}

    def do_GET(self) -> None:
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        if status == 0:  # a server that never answers in time
            time.sleep(3)
            return
        with contextlib.suppress(OSError):  # the client gave up (the deadline)
            if status == -1:  # a server that trickles its answer, each byte well within a read's timeout
                for byte in b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.2)
                return
            if status == -2:  # not HTTP at all
                self.wfile.write(b"garbage\r\n\r\n")
                return
            if status == -3:  # a body cut short of its Content-Length
                self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n"
                                 b"Content-Length: 100\r\n\r\n<ht")
                return
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client stopped reading (past the size limit)
            self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.handle_error = lambda *_: None  # a client that hangs up is no error of the test's
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    html = {"Content-Type": "text/html; charset=utf-8"}
    Site.routes = {
        "/news/tiangong-foreign-crew-member": (200, html, (PAGES / "opengraph_only.html").read_bytes()),
        "/science/pakistan-road-to-tiangong": (200, html, (PAGES / "amp_article.html").read_bytes()),
        "/moved": (301, {"Location": "/news/tiangong-foreign-crew-member"}, b""),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
        "/to-script": (302, {"Location": "javascript:alert(1)"}, b""),
        "/slow": (0, {}, b""),
        "/huge": (200, html, b"<html>" + b" " * (11 * 2**20)),
        "/feed": (200, {"Content-Type": "application/atom+xml"},
                  (PAGES / "feed.atom").read_text(encoding="utf-8").replace("{base}", base).encode()),
        "/trickle": (-1, {}, (PAGES / "opengraph_only.html").read_bytes()),
        "/garbage": (-2, {}, b""),
        "/cut": (-3, {}, b""),
        "/loop": (200, {"Content-Type": "application/rss+xml"},
                  f'<?xml version="1.0"?><rss version="2.0"><channel><title>Loop</title>'
                  f'<item><title>t</title><link>{base}/loop</link></item></channel></rss>'.encode()),
    }
    yield base
    server.shutdown()
    server.server_close()


def test_add_url_follows_http_redirects_and_reads_feeds(project: Path, site: str, capsys) -> None:
    assert add(f"{site}/moved") == 0
    (seed,) = new_seeds(project)
    sidecar = json.loads(seed.with_name(seed.stem + ".source.json").read_text(encoding="utf-8"))
    assert sidecar["url"] == "https://orbitreview.example.org/news/tiangong-foreign-crew-member"  # og:url
    assert sidecar["retrieved"].endswith("Z")
    capsys.readouterr()
    assert add(f"{site}/feed") == 0  # each entry's page fetched; the first is already there
    out = capsys.readouterr().out
    assert "skipped" in out and "same URL as" in out and len(new_seeds(project)) == 2


@pytest.mark.parametrize(("path", "message"), [
    ("/to-file", "redirects to a file: address"),
    ("/to-script", "redirects to a javascript: address"),
    ("/slow", "did not answer within 1 s"),
    ("/huge", "larger than the 10 MB limit"),
    ("/missing", "answered HTTP 404"),
    ("/trickle", "did not answer within 1 s"),
    ("/garbage", "did not answer in HTTP (BadStatusLine)"),
    ("/cut", "sent less than it announced"),
    ("/loop", "links to a feed"),
])
def test_bad_urls(project: Path, site: str, capsys, path: str, message: str) -> None:
    """Each one line and exit 2 within the timeout's second or two: a trickle took as long as the
    server liked, a status line that is not HTTP was a traceback, a cut body was added, a feed
    linking to itself recursed until Python's limit."""
    before = seeds_state(project)
    started = time.monotonic()
    assert add(f"{site}{path}", "--timeout", "1") == 2
    assert time.monotonic() - started < 2.5
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and message in err and " — " in err
    assert seeds_state(project) == before


# -- bad input: one line, exit 2, nothing written ------------------------------------------------------

def _feed_of(items: int) -> bytes:
    item = "<item><title>t{0}</title><link>https://x.example.com/{0}</link></item>"
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
            f'{"".join(item.format(i) for i in range(items))}</channel></rss>').encode()


@pytest.mark.parametrize(("name", "make", "message"), [
    ("section.html", lambda: (PAGES / "no_article.html").read_bytes(), "no article text found"),
    ("photo.html", lambda: b"\x89PNG\r\n\x1a\n" + bytes(2048), "not an HTML page"),
    ("huge.html", lambda: b"<html><body><p>" + b"China and Pakistan. " * (50 * 2**20 // 20) + b"</p></body>",
     "larger than the 10 MB limit"),
    ("long.rss", lambda: _feed_of(10_000), "the feed has 10,000 items"),
    ("binary.txt", lambda: bytes(range(256)) * 4, "not a text file"),
    ("frame.html", lambda: b"<html><head><script>location='file:///etc/passwd'</script></head></html>",
     "no article text found"),
])
def test_bad_files(project: Path, capsys, name: str, make, message: str) -> None:
    path = project.parent / name
    path.write_bytes(make())
    before = seeds_state(project)
    # a good page given first is not written either: nothing is, when one input is bad
    assert add(str(PAGES / "opengraph_only.html"), str(path)) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {path}") and "\n" not in err and message in err and " — " in err, err
    assert seeds_state(project) == before


def test_bad_sidecar_is_one_line_naming_it(project: Path, capsys) -> None:
    assert add(str(PAGES / "opengraph_only.html")) == 0
    (seed,) = new_seeds(project)
    sidecar = seed.with_name(seed.stem + ".source.json")
    hostile = sidecar.read_text(encoding="utf-8").replace("https://", "javascript://")
    sidecar.write_text(hostile, encoding="utf-8")
    capsys.readouterr()
    assert main(["check"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: seeds/{sidecar.name}:") and "is not an http(s) address" in err
    sidecar.unlink()  # the seed alone is still a source
    assert main(["check"]) == 0


def test_sidecars_are_build_inputs_and_a_lone_one_is_a_warning(project: Path, capsys) -> None:
    from analysis.build.plan import file_hashes
    from analysis.paths import ALL_INPUTS

    assert add(str(PAGES / "opengraph_only.html")) == 0
    (seed,) = new_seeds(project)
    sidecar = seed.with_name(seed.stem + ".source.json")
    assert f"seeds/{sidecar.name}" in file_hashes(project, ALL_INPUTS)  # a changed sidecar rebuilds the data
    seed.unlink()
    capsys.readouterr()
    assert main(["check"]) == 0
    warning = next(line for line in capsys.readouterr().err.splitlines() if sidecar.name in line)
    assert warning.startswith(f"warning: seeds/{sidecar.name}:1: no {seed.name} beside this provenance")


@pytest.mark.parametrize("timeout", ["0", "-1", "inf", "nan", "3601"])
def test_a_timeout_that_is_no_time_to_wait_is_one_line(project: Path, capsys, timeout: str) -> None:
    assert add("http://127.0.0.1:9/never", "--timeout", timeout) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --timeout") and "\n" not in err


def test_seeds_are_written_readable_as_any_new_file_is(project: Path) -> None:
    """mkstemp makes a file 0600: added seeds and their sidecars were unreadable to the rest of a
    desk's group. They get what ``open`` would give."""
    import os

    umask = os.umask(0o022)
    try:
        assert add(str(PAGES / "jsonld_newsarticle.html")) == 0
    finally:
        os.umask(umask)
    (seed,) = new_seeds(project)
    for path in (seed, seed.with_name(seed.stem + ".source.json")):
        assert path.stat().st_mode & 0o777 == 0o644, path.name
