"""A hostile source stays inert text in the briefing: nothing runs, nothing is requested."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.build.browser import open_page
from analysis.build.export import wait_for_charts
from tests.scratch import build_here, copy_project, stub_notebooks

HOSTILE = (
    " date 2025-04-25 By <script>window.__pwned='author'</script> and Eve, "
    "Evil<img src=x onerror=\"window.__pwned='outlet'\">\n\n"
    "China said on Monday that “<script>window.__pwned='quote'</script> "
    "<img src=x onerror=\"window.__pwned='img'\"> "
    "<a href=\"javascript:window.__pwned='link'\">click</a>” according to Amjad Ali.\n\n"
    "Pakistan replied on Tuesday with <iframe src=\"https://example.com/\"></iframe> and "
    "<b onmouseover=\"window.__pwned='b'\">bold</b>.\n"
)
# Markdown in the header (issue: authors and outlet were rendered as Markdown): a live
# javascript: link and remote images; and in the body.
MARKDOWN = (
    " date 2025-04-26 By ![a](http://example.com/a.png) and [click](javascript:alert(5)), "
    "![o](https://example.com/o.png)\n\n"
    "China and Pakistan met on Tuesday. “[Tap](javascript:alert(6)) ![i](https://example.com/i.png) "
    "<https://example.com/auto> **bold** https://example.com/bare,” said Amjad Ali.\n"
)


@pytest.mark.e2e
def test_hostile_source_renders_as_text_and_runs_nothing(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", seed_only=True)
    # the briefing is the one notebook published as HTML: the others are stubbed to save time
    stub_notebooks(root, keep=("09_briefing",), code=())
    (root / "seeds" / "666_hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (root / "seeds" / "667_markdown.txt").write_text(MARKDOWN, encoding="utf-8")
    run = build_here(root, "--no-pdf", "--no-figures")
    assert run.returncode == 0, run.stderr
    html = (root / "reports" / "briefing.html").read_text(encoding="utf-8")
    assert "window.__pwned" in html  # the text is there …
    live_tags = re.findall(r"<(?:script|img|iframe|a|b)\b[^>]*__pwned", html)
    assert live_tags == [], live_tags  # … only as escaped text, never as a tag
    dialogs = []
    with open_page(root / "reports" / "briefing.html") as (page, log):
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        wait_for_charts(page)
        page.hover("text=click", timeout=2000) if page.locator("text=click").count() else None
        hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
        # every link is in-page, or a data file beside the briefing: no scheme, no other place
        assert [h for h in hrefs if not re.fullmatch(r"#.*|data/[\w.-]+", h)] == []
        for index, href in enumerate(hrefs):  # click every in-page link
            if href.startswith("#"):
                page.locator("a[href]").nth(index).dispatch_event("click")  # hidden ones too
        text = page.inner_text("body")
        images = page.evaluate("() => Array.from(document.images).map(i => i.getAttribute('src'))")
        pwned = page.evaluate("() => window.__pwned === undefined ? null : window.__pwned")
        frames = page.evaluate("() => document.querySelectorAll('iframe').length")
        javascript_links = page.evaluate(
            "() => document.querySelectorAll('a[href^=\"javascript:\"]').length")
    assert pwned is None and dialogs == [] and frames == 0 and javascript_links == 0
    assert "<script>window.__pwned='quote'</script>" in text  # shown to the reader as text
    assert "[click](javascript:alert(5))" in text and "![o](https://example.com/o.png)" in text
    assert all(src.startswith("data:") for src in images), images
    assert log.external_requests == [], log.external_requests
    assert log.console_errors == [], log.console_errors
