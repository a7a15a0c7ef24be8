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
            "<script>plotly()</script><script type=\"text/javascript\">draw(1)</script>")
    policy = allow_only_own_scripts(page).split("script-src", 1)[1].split(";", 1)[0]
    assert "unsafe-inline" not in policy and policy.count("'sha256-") == 2


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
