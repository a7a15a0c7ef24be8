"""The parse of quotation contexts (analysis/facts/syntax.py): what a long-running process keeps."""

from __future__ import annotations

from analysis.facts import syntax
from analysis.facts.syntax import Context


def _contexts(count: int, offset: int) -> list[tuple[str, Context]]:
    items = []
    for n in range(offset, offset + count):
        text = f"Zorvak{n} Quillet{n}, the head of Brantor{n}, said “we are ready” on Tuesday."
        start = text.index("“")
        items.append((text, Context(0, len(text), ((start, text.index("”") + 1),))))
    return items


def test_words_the_pipeline_had_not_seen_are_not_kept_by_it() -> None:
    """Every new word stayed in spaCy's vocabulary for good: a corpus worker grew with the archive
    (by about 250 MB over 1,000,000 synthetic documents, one worker past 600 MB)."""
    strings = syntax.pipeline().vocab.strings
    syntax.parse_contexts(_contexts(50, 0))  # the pipeline's own first-use strings
    before = len(strings)
    parses = syntax.parse_contexts(_contexts(500, 1_000))
    assert len(strings) - before < 50  # 1,500 new words were read
    assert [t.text for t in parses[-1].tokens][:2] == ["Zorvak1499", "Quillet1499"]  # words kept


def test_the_cache_of_parses_is_bounded_and_a_call_may_bring_more_than_it_holds() -> None:
    """A batch of many quoting documents parsed in one call: its first parses were evicted before
    they were read back (a KeyError ended the batch)."""
    parses = syntax.parse_contexts(_contexts(syntax.CACHE_SIZE + 10, 10_000))
    assert len(syntax._PARSED) <= syntax.CACHE_SIZE
    assert parses[0].tokens[0].text == "Zorvak10000"


def test_a_corpus_merge_lets_go_of_the_parser(tmp_path) -> None:
    """A worker that extracted kept the pipeline and its cache of parses through the tables'
    merge, beside DuckDB's buffers: a 1,000,000-document run's workers peaked there."""
    from analysis.corpus.engines import InProcess
    from analysis.corpus.run import extract_corpus
    from tests.test_corpus import KNOWLEDGE, archive

    extract_corpus(archive(tmp_path / "a.jsonl", 20), tmp_path / "out", InProcess(), KNOWLEDGE)
    assert not syntax._PARSED and syntax.pipeline.cache_info().currsize == 0
    syntax.parse_contexts(_contexts(1, 0))  # and the next parse loads it again
    assert syntax.pipeline.cache_info().currsize == 1
