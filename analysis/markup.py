"""Text from sources and curated files, shown as text: never read as Markdown or HTML.

Notebook outputs in Markdown (and the briefing made from them) render ``[click](javascript:…)``
as a live link and ``![x](http://…)`` as a remote image, and HTML escaping alone does not stop
that. Every value that did not come from the code itself goes through :func:`text` before it is
put into a Markdown or HTML output.
"""

from __future__ import annotations

import html
import re
import unicodedata

# CommonMark lets a backslash escape any ASCII punctuation; these are the ones that start
# markup (emphasis, links, images, code, headings, lists, tables, HTML, autolinks).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def text(value: object) -> str:
    """``value`` as literal text in Markdown or HTML: HTML special characters as entities, Markdown
    punctuation backslash-escaped, line breaks as spaces."""
    escaped = html.escape(" ".join(str(value).split()), quote=True).replace("&#x27;", "&apos;")
    # a colon as an entity: no autolink (``http://…``, ``javascript:…``) can start in the text
    return _MARKDOWN.sub(r"\\\1", escaped).replace(":", "&#58;")


def terminal(value: object) -> str:
    """``value`` for a terminal: control characters other than line breaks and tabs shown as
    ``\\xNN`` escapes. An outlet or a name holding ESC would otherwise reach the terminal as an
    ANSI or OSC sequence (recolouring, retitling or hyperlinking it)."""
    return "".join(ch if ch in "\n\t" or unicodedata.category(ch) != "Cc" else f"\\x{ord(ch):02x}"
                   for ch in str(value))
