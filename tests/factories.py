"""Small sources and project knowledge for tests, built in memory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from analysis.facts.extract import Knowledge
from analysis.inputs.sources import Source

ROOT = Path(__file__).resolve().parents[1]


def make_source(text: str, source_id: str = "test", published: dt.date = dt.date(2025, 4, 24)) -> Source:
    return Source(source_id=source_id, path=Path(f"{source_id}.txt"), published=published,
                  authors=("A",), outlet="Test", sha256="0" * 64, header="", body_offset=0, text=text)


def project_knowledge() -> Knowledge:
    return Knowledge.load(ROOT / "analysis" / "knowledge")
