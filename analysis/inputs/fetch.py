"""Reading a page or feed from its URL: the project's only use of the network (``analysis add URL``).

Python's own ``urllib`` with only the http and https handlers installed, so no other scheme can
be opened, not even by a redirect: a redirect to ``file:``, ``javascript:``, ``ftp:`` or ``data:``
is refused, as are more than five. Every read has a timeout, and the whole fetch a deadline: it
runs in a thread of its own that is abandoned at the deadline (a server trickling its headers or
body a byte at a time kept each read within its timeout and the fetch going for as long as it
liked). The body is read as it arrives and abandoned past the size limit (a ``Content-Length``
over it is refused before reading); a body shorter than its ``Content-Length`` is refused as cut
short; the server is asked for an uncompressed body, so no compressed bomb is unpacked. Nothing
fetched is ever run: the page is parsed as markup.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .pages import MAX_PAGE_BYTES, PageProblem
from .provenance import utc_now

TIMEOUT_S = 20.0  # per read, and for the whole fetch
USER_AGENT = "space-diplomacy-briefing/0.1 (analysis add; one page at a time)"
ALLOWED = ("http", "https")
MAX_REDIRECTS = 5
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    body: bytes
    content_type: str
    retrieved: str  # UTC, ISO 8601


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to http(s), at most ``MAX_REDIRECTS`` times."""

    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):
        target = urljoin(req.full_url, headers.get("Location") or headers.get("URI") or "")
        scheme = urlsplit(target).scheme.lower()
        if scheme not in ALLOWED:
            raise PageProblem(f"{req.full_url[:80]} redirects to a {scheme}: address ({target[:60]}), "
                              "which is never followed", "give the article's own http(s) URL")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def fetch(url: str, *, timeout: float = TIMEOUT_S, max_bytes: int = MAX_PAGE_BYTES) -> Fetched:
    """The body at ``url`` within ``timeout`` seconds in all; :class:`PageProblem` for anything but
    a page within the limits."""
    if urlsplit(url).scheme.lower() not in ALLOWED:
        raise PageProblem(f"{url[:80]} is not an http(s) address", "give an http:// or https:// URL")
    slow = PageProblem(f"{url[:80]} did not answer within {timeout:g} s",
                       "try again later, or save the page from a browser and add the file")
    deadline = time.monotonic() + timeout
    outcome: list[Fetched | BaseException] = []

    def run() -> None:
        try:
            outcome.append(_fetch(url, timeout, max_bytes, deadline, slow))
        except BaseException as exc:  # handed to the caller's thread
            outcome.append(exc)

    # a daemon thread: one left behind at the deadline never keeps the command from exiting
    reader = threading.Thread(target=run, name="fetch", daemon=True)
    reader.start()
    reader.join(timeout)
    if not outcome:
        raise slow
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _fetch(url: str, timeout: float, max_bytes: int, deadline: float, slow: PageProblem) -> Fetched:
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(), _Redirects(),
                    urllib.request.HTTPErrorProcessor(), urllib.request.HTTPDefaultErrorHandler()):
        opener.add_handler(handler)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity",
                                                   "Accept": "text/html,application/xhtml+xml,application/"
                                                             "rss+xml,application/atom+xml,*/*;q=0.5"})
    cut = PageProblem(f"{url[:80]} sent less than it announced (the connection ended early)",
                      "try again later, or save the page from a browser and add the file")
    try:
        with opener.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(url, max_bytes)
            if response.headers.get("Content-Encoding", "identity").lower() not in ("identity", ""):
                raise PageProblem(f"{url[:80]} sent a compressed body although none was asked for",
                                  "save the page from a browser and add the file")
            chunks, size = [], 0
            while chunk := response.read1(CHUNK):  # what has arrived, not a full chunk's wait
                size += len(chunk)
                if size > max_bytes:
                    raise _too_large(url, max_bytes)
                if time.monotonic() > deadline:
                    raise slow
                chunks.append(chunk)
            if declared and declared.isdigit() and size < int(declared):
                raise cut
            return Fetched(response.geturl(), b"".join(chunks),
                           response.headers.get("Content-Type", ""), utc_now())
    except PageProblem:
        raise
    except urllib.error.HTTPError as exc:
        raise PageProblem(f"{url[:80]} answered HTTP {exc.code} {exc.reason}",
                          "check the address, or save the page from a browser and add the file") from None
    except http.client.IncompleteRead:
        raise cut from None
    except http.client.HTTPException as exc:  # not OSError: a status line or header that is not HTTP
        raise PageProblem(f"{url[:80]} did not answer in HTTP ({type(exc).__name__})",
                          "check the address, or save the page from a browser and add the file") from None
    except TimeoutError:
        raise slow from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, PageProblem):
            raise reason from None
        if isinstance(reason, TimeoutError | socket.timeout):
            raise slow from None
        raise PageProblem(f"{url[:80]} could not be read ({reason})",
                          "check the address and the connection") from None


def _too_large(url: str, max_bytes: int) -> PageProblem:
    return PageProblem(f"{url[:80]} is larger than the {max_bytes // 2**20} MB limit for a web page",
                       "give the page of one article")
