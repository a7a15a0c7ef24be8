"""What a reader of the briefing sees, as text: to look in it for codes and repeated sentences.

The visible text is the page without scripts, styles and plotly's JSON (charts draw their own
labels from the same words), split into blocks: a paragraph, a list item, a heading, a passage,
a whole table. A *code* is anything the data holds for machines: a snake_case name, a fact id
(``R018``), an id of the data package (a source, claim or entity id), a machine time
(``09:17Z``), a hedged plural (``day(s)``), a Python literal (``False``). File names and web
addresses are what a reader opens, so they may hold such tokens.
"""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

from analysis.datapackage import read_table

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "blockquote", "table", "figcaption", "caption", "nav"}
FILE_OR_ADDRESS = re.compile(r"https?://\S+|\S+\.(?:csv|json|graphml|gexf|yaml|md|txt)\b")
CODES = {
    "snake_case name": r"\b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+\b",
    "fact or statement id": r"\b[A-Z]{1,2}\d{3,}\b",
    "machine time": r"\b\d{2}:\d{2}Z\b|\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}",
    "hedged plural": r"[a-z]\(s\)",
    "Python literal": r"\b(?:True|False|NaN|nan)\b|: (?:None|true|false)\b",
}


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.tables = 0
        self.blocks: list[str] = []
        self.current: list[str] = []

    def _close(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style", "template"):
            self.hidden += 1
        elif tag in BLOCKS and not self.tables:
            self._close()
        if tag == "table":
            self.tables += 1
        if tag in ("td", "th", "br"):
            self.current.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self.hidden -= 1
        if tag == "table":
            self.tables -= 1
        if tag in BLOCKS and not self.tables:
            self._close()
        if tag in ("td", "th"):
            self.current.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.current.append(data)


def visible_blocks(page: str) -> list[str]:
    parser = _Visible()
    parser.feed(page)
    parser._close()
    return parser.blocks


def data_ids(data: Path) -> set[str]:
    """Ids of the data package a reader must never see: every source, claim and statement id, and
    the entity and topic ids that are not plain words."""
    statements = read_table(data / "statements.csv")
    ids = set(read_table(data / "sources.csv").source_id) | set(read_table(data / "claims.csv").claim_id)
    ids |= set(statements.statement_id) | {i for i in statements.topic if not i.isalpha()}
    ids |= {i for i in read_table(data / "entities.csv").entity_id if not i.isalpha()}
    return ids


def codes_in(page: str, ids: set[str]) -> dict[str, str]:
    """Each code found in the visible text → the words around it (``ids``: ``data_ids``)."""
    text = FILE_OR_ADDRESS.sub(" ", "\n".join(visible_blocks(page)))
    found: dict[str, str] = {}
    patterns = dict(CODES)
    if ids:
        patterns["data package id"] = "|".join(rf"(?<![\w-]){re.escape(i)}(?![\w-])"
                                               for i in sorted(ids, key=len, reverse=True))
    for kind, pattern in patterns.items():
        for match in re.finditer(pattern, text):
            found.setdefault(f"{kind}: {match[0]}", text[max(0, match.start() - 70):match.end() + 30])
    return found


SENTENCE = re.compile(r"[^.!?]*[.!?][”\"')\]]*")


def repeated_sentences(page: str, words: int = 8) -> dict[str, int]:
    """Sentences of at least ``words`` words shown in more than one block (a table is one block:
    a value repeated down a column is not a sentence said twice) → in how many blocks."""
    where: dict[str, set[int]] = defaultdict(set)
    for number, block in enumerate(visible_blocks(page)):
        for sentence in SENTENCE.findall(block):
            sentence = sentence.strip()
            if len(sentence.split()) >= words:
                where[sentence].add(number)
    return {s: len(blocks) for s, blocks in where.items() if len(blocks) > 1}


def pdf_pages(pdf: Path) -> list[str]:
    """The printed briefing's text, page by page, in reading order (words of a line broken
    across lines joined by spaces)."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")]


def main_body_pages(pdf: Path) -> int:
    """The pages before the evidence annex (its heading opens a page)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for number, page in enumerate(text.split("\f"), 1):
        if any(line.strip() == "Evidence" for line in page.splitlines()[:6]):
            return number - 1
    raise AssertionError("no evidence section in the PDF")
