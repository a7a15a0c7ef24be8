"""Headless Chromium, found on the machine and run with no network.

Used to print the briefing to PDF and, in tests, to check that every chart drew
and that opening the page requests nothing outside the file.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = (
    "install Debian's Chromium with `sudo apt-get update && sudo apt-get install -y chromium "
    "poppler-utils` (or run `make report` as root, which does it), or point CHROMIUM at a binary"
)
# Flags measured to work as root in a container with no network (see the toolchain notes).
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost",
]


class BrowserMissing(RuntimeError):
    pass


def find_chromium() -> Path:
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        if Path(explicit).is_file():
            return Path(explicit)
        raise BrowserMissing(f"CHROMIUM={explicit} does not exist — {INSTALL_HINT}")
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise BrowserMissing(f"no Chromium found on PATH — {INSTALL_HINT}")


@dataclass
class PageLog:
    """What a page did while open: every request it made and every console error."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    @property
    def external_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file://", "data:", "blob:"))]


@contextmanager
def _browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(find_chromium()), args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def open_page(path: Path, *, width: int = 1280, height: int = 900) -> Iterator[tuple[object, PageLog]]:
    """Open a local HTML file in headless Chromium; yields (playwright page, log)."""
    log = PageLog()
    with _browser() as browser:
        page = browser.new_page(viewport={"width": width, "height": height})
        page.on("request", lambda r: log.requests.append(r.url))
        page.on("console", lambda m: m.type == "error" and log.console_errors.append(m.text))
        page.on("pageerror", lambda e: log.console_errors.append(str(e)))
        page.goto(Path(path).resolve().as_uri(), wait_until="load")
        page.wait_for_timeout(200)
        yield page, log


@contextmanager
def open_blank_page(*, width: int = 1280, height: int = 900) -> Iterator[object]:
    """An empty page in headless Chromium, for drawing with scripts the caller adds."""
    with _browser() as browser:
        yield browser.new_page(viewport={"width": width, "height": height})
