"""Source text in Markdown and HTML outputs stays literal text: no link, image, tag or emphasis."""

from __future__ import annotations

from html import unescape

import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from analysis.build.export import allow_only_own_scripts
from analysis.markup import text

HOSTILE = [
    "[click](javascript:alert(5))", "![a](http://example.com/a.png)", "<https://example.com/auto>",
    "https://example.com/bare", "www.example.com", "<img src=x onerror=alert(1)>", "**bold** _it_ `code`",
    "# heading", "1. item", "- item", "> quote", "| a | b |", "O'Neil & Sons \"Ltd\"", "17:17 BJT",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_source_text_renders_as_itself(value: str) -> None:
    rendered = markdown2html_mistune(f"Said: {text(value)}")
    assert rendered.startswith("<p>") and "<a" not in rendered and "<img" not in rendered
    assert "<strong>" not in rendered and "<em>" not in rendered and "<code>" not in rendered
    assert unescape(rendered.removeprefix("<p>").strip().removesuffix("</p>")) == f"Said: {value}"


def test_the_page_may_run_only_its_own_scripts() -> None:
    page = ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "script-src 'unsafe-inline'; style-src 'unsafe-inline'\">"
            "<script>plotly()</script><script type=\"text/javascript\">draw(1)</script>"
            "<script>window.__planted = 1</script>")
    policy = allow_only_own_scripts(page, ["plotly()", "draw(1)"]).split("script-src", 1)[1].split(";", 1)[0]
    assert "unsafe-inline" not in policy
    assert policy.split() == sorted(map(script_hash, ["plotly()", "draw(1)"]))
    with pytest.raises(ValueError, match="changed a chart's script"):  # an own script the page lost
        allow_only_own_scripts(page, ["plotly()", "draw(2)"])


def script_hash(body: str) -> str:
    import base64
    import hashlib

    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


PLANTED = "<script>window.__planted = 'script'</script>"  # in the Markdown cell: 'markdown'
NAVIGATION = ('<base href="https://example.com/">'
              '<form action="https://example.com/form"><button id="planted-submit">Send</button></form>'
              '<iframe id="planted-frame" src="data:text/html,framed"></iframe>')


def planted_page(folder) -> tuple[str, list[str]]:
    """The exporter's page for a notebook with a chart, and a script, a form, a base and a frame
    that slipped through as markup (in a Markdown cell and in an HTML output, as text that
    escaped its escaping would): the page, and the scripts the chart itself needs."""
    import nbformat
    import plotly.graph_objects as go
    import plotly.io as pio

    from analysis.build.export import INLINE_SCRIPT, notebook_to_html
    from analysis.build.static_charts import PLOTLY_MIME

    figure = go.Figure(go.Bar(x=["a", "b"], y=[1, 2])).to_plotly_json()
    nb = nbformat.v4.new_notebook()
    in_markdown = PLANTED.replace("'script'", "'markdown'")
    nb.cells = [nbformat.v4.new_markdown_cell(f"# Planted\n\n{in_markdown}\n"),
                nbformat.v4.new_code_cell("chart", outputs=[
                    nbformat.v4.new_output("display_data", data={PLOTLY_MIME: figure}),
                    nbformat.v4.new_output("display_data", data={"text/html": PLANTED + NAVIGATION})])]
    page = notebook_to_html(nb, "Planted")
    chart = pio.to_html(figure, full_html=False, include_plotlyjs=True, include_mathjax=False,
                        div_id="figure-1-chart", validate=False,
                        config={"displaylogo": False, "responsive": True})
    return page, INLINE_SCRIPT.findall(chart)


def test_a_script_planted_through_a_text_path_is_not_hashed(tmp_path) -> None:
    """``allow_only_own_scripts`` once hashed every inline script of the assembled page, so a
    ``<script>`` that reached the page through any text path was allowed to run."""
    import re

    page, own = planted_page(tmp_path)
    meta = re.search(r"<meta[^>]*Content-Security-Policy[^>]*>", page).group()
    policy = re.search(r'content="([^"]*)"', meta).group(1)
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    for planted in ("window.__planted = 'script'", "window.__planted = 'markdown'"):
        assert f"<script>{planted}</script>" in page  # it is in the page …
        assert script_hash(planted) not in directives["script-src"]  # … and not allowed
    assert directives["script-src"] == sorted(map(script_hash, own)) and len(own) == 3
    for directive in ("form-action", "base-uri", "frame-src", "child-src", "object-src", "default-src"):
        assert directives[directive] == ["'none'"], directive


@pytest.mark.e2e
def test_in_chromium_the_planted_script_does_not_run_and_the_page_cannot_navigate(tmp_path) -> None:
    """The chart's own scripts run; the planted one does not; the planted form, base and frame
    are refused by the policy. (A link or a meta refresh cannot be refused by any policy Chromium
    supports: text is escaped before it reaches the page, see the hostile build test.)"""
    from analysis.build.browser import open_page
    from analysis.build.export import wait_for_charts

    page_html, _ = planted_page(tmp_path)
    path = tmp_path / "planted.html"
    path.write_text(page_html, encoding="utf-8")
    with open_page(path) as (page, log):
        wait_for_charts(page)  # the own scripts ran
        page.click("#planted-submit", no_wait_after=True)
        page.wait_for_timeout(300)
        planted = page.evaluate("() => window.__planted === undefined ? null : window.__planted")
        frames = [frame.url for frame in page.frames[1:]]
        url = page.url
    assert planted is None and url == path.as_uri()
    assert not any(frame.startswith("data:") for frame in frames), frames
    assert log.external_requests == [], log.external_requests
    refused = " ".join(log.console_errors)
    for directive in ("script-src", "form-action", "base-uri", "frame-src"):
        assert directive in refused, (directive, log.console_errors)


LINK = '<a href="https://example.com/" target="_blank">Click</a> <span style="font-size:90px">big</span>'


def test_chart_labels_from_the_data_are_text_not_plotly_markup() -> None:
    """Plotly reads <a href>, <span style> and <b> in any label: a curated speaker's name holding
    a link once made a clickable external link in the quoted-words chart (HTML and SVG)."""
    import json

    import pandas as pd

    from analysis.facts.charts import quoted_words

    summary = pd.DataFrame({"speaker": [LINK, "Amjad Ali"], "channel_name": [f"<b>{LINK}</b>", "direct"],
                            "words": [12, 30], "quotes": [1, 2]})
    fig = quoted_words(summary, "Who is quoted")
    labels = json.dumps([fig.to_plotly_json()["data"], fig.to_plotly_json()["layout"]["yaxis"]], default=str)
    assert "<a " not in labels and "<span" not in labels and "<b>" not in labels
    assert "&lt;a href" in labels  # shown as the characters, which plotly draws from the entities
