"""Queries on a corpus folder (DuckDB), the report, selecting articles back into seed files, and
the synthetic archives the tests, the benchmark and the corpus notebook use."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from analysis import read_source
from analysis.cli import main
from analysis.corpus.archive import Archive
from analysis.corpus.engines import InProcess
from analysis.corpus.ledger import Ledger
from analysis.corpus.queries import Corpus
from analysis.corpus.run import extract_corpus
from analysis.corpus.synthetic import synthetic_records, templates, write_corpus
from analysis.paths import SAMPLE_CORPUS, CorpusFolder
from tests.factories import ROOT

KNOWLEDGE = ROOT / "analysis" / "knowledge"
ACTORS = ["china", "pakistan", "tiangong"]


@pytest.fixture(scope="module")
def corpus_folder(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("corpus")
    write_corpus(synthetic_records(60, seed=3), tmp / "archive.jsonl")
    extract_corpus(tmp / "archive.jsonl", tmp / "out", InProcess(), KNOWLEDGE, batch_size=16)
    return tmp / "out"


def test_mentions_per_week_count_what_the_mentions_table_holds(corpus_folder: Path) -> None:
    with Corpus(corpus_folder) as corpus:
        weekly = corpus.mentions_per_week(ACTORS)
        mentions = corpus.query("SELECT entity_id, source_id FROM mentions")
        actors = ", ".join(map(repr, ACTORS))
        story = corpus.query(f"SELECT source_id FROM mentions WHERE entity_id IN ({actors}) "
                             "GROUP BY source_id HAVING count(DISTINCT entity_id) >= 2")
    assert set(weekly.entity_id) <= set(ACTORS) and (weekly.week.dt.day_of_week == 0).all()
    expected = Counter(mentions[mentions.entity_id.isin(ACTORS) & mentions.source_id.isin(story.source_id)]
                       .entity_id)
    assert weekly.groupby("entity_id").mentions.sum().to_dict() == dict(expected)


def test_outlets_speakers_and_candidates_are_ranked(corpus_folder: Path) -> None:
    with Corpus(corpus_folder) as corpus:
        outlets, speakers = corpus.outlets(ACTORS, top=5), corpus.speakers(ACTORS, top=5)
        leads = corpus.candidates(ACTORS, top=8)
        gazetteer = set(corpus.query("SELECT name FROM entities").name)
        first = corpus.query("SELECT min(s.published) AS d FROM candidates c "
                             "JOIN sources s USING (source_id) WHERE c.text = ?", [leads.name[0]]).d[0]
    for frame, column in ((outlets, "documents"), (speakers, "quotes"), (leads, "documents")):
        assert len(frame) > 2 and frame[column].is_monotonic_decreasing
    assert not set(leads.name) & gazetteer
    assert leads.first_seen[0] == first


def test_the_summaries_the_report_reads_agree_with_the_fact_tables(corpus_folder: Path) -> None:
    """The report reads per-document summaries (entity counts, quote word counts, candidates
    counted per document): each must give what the full tables give, counted here with pandas."""
    with Corpus(corpus_folder) as corpus:
        counts = corpus.query("SELECT source_id, entity_id, mentions FROM entity_counts")
        mentions = corpus.query("SELECT source_id, entity_id FROM mentions")
        story = set(corpus.query(corpus._story(ACTORS)).source_id)
        quotes = corpus.query("SELECT q.source_id, q.text, q.words, "
                              "coalesce(e.name, nullif(q.speaker_name, ''), '(unresolved)') AS speaker "
                              "FROM quotes q "
                              "LEFT JOIN entities e ON e.entity_id = q.speaker_id")
        speakers = corpus.speakers(ACTORS, top=100)
        found = corpus.query("SELECT c.text AS name, c.type, c.source_id, s.published FROM candidates c "
                             "JOIN sources s USING (source_id)")
        leads = corpus.candidates(ACTORS, top=100)
    by_pair = mentions.groupby(["source_id", "entity_id"]).size()
    assert counts.set_index(["source_id", "entity_id"]).mentions.sort_index().to_dict() == by_pair.to_dict()
    assert (quotes.words == quotes.text.str.split().str.len()).all()
    quotes = quotes[quotes.source_id.isin(story)]
    expected = quotes.groupby("speaker").agg(quotes=("text", "size"), words=("words", "sum"))
    assert speakers.set_index("speaker")[["quotes", "words"]].to_dict() == \
        expected.loc[speakers.speaker, ["quotes", "words"]].to_dict()
    found = found[found.source_id.isin(story)]
    for lead in leads.itertuples():
        rows = found[found.name == lead.name]
        types = rows.type.value_counts()
        assert lead.documents == rows.source_id.nunique() and lead.occurrences == len(rows)
        assert lead.type == min(types[types == types.max()].index)
        assert lead.first_seen == rows.published.min()


def test_the_report_prints_every_section(corpus_folder: Path, capsys) -> None:
    assert main(["corpus", "report", str(corpus_folder), "--actors", ",".join(ACTORS), "--weeks", "3"]) == 0
    out = capsys.readouterr().out
    for heading in ("Mentions per week", "Outlets carrying the story", "Most-quoted speakers",
                    "Names not in the gazetteer"):
        assert heading in out
    assert main(["corpus", "report", str(corpus_folder), "--actors", "china,atlantis"]) == 2
    assert "unknown actor(s) atlantis" in capsys.readouterr().err
    assert main(["corpus", "report", str(corpus_folder.parent)]) == 2
    assert "not a corpus folder" in capsys.readouterr().err


def test_selected_articles_are_seed_files_that_read_back_the_same(corpus_folder: Path, tmp_path: Path,
                                                                   capsys) -> None:
    seeds = tmp_path / "seeds"
    args = ["corpus", "select", str(corpus_folder), "--actors", "pakistan,tiangong", "--since", "2025-01-01",
            "--to", str(seeds)]
    assert main(args) == 0
    capsys.readouterr()
    written = sorted(seeds.glob("*.txt"))
    with Corpus(corpus_folder) as corpus:
        expected = corpus.selection(["pakistan", "tiangong"], since="2025-01-01")
        sources = corpus.query("SELECT * FROM sources").set_index("source_id")
        documents = corpus.query("SELECT * FROM documents").set_index("source_id")
        entries = Ledger.load(CorpusFolder(corpus_folder)).entries  # the ledger the manifest names
        ledger = corpus.query(f"SELECT id, sha256 FROM read_parquet('{entries}')")
    assert [p.stem for p in written] == sorted(expected.source_id) and written
    hashes = dict(zip(ledger.id, ledger.sha256, strict=True))
    for path in written:
        source = read_source(path)
        row = sources.loc[source.source_id]
        assert str(source.published) == str(row.published)[:10] and source.outlet == row.outlet
        assert "|".join(source.authors) == row.authors
        assert source.text == documents.loc[source.source_id, "text"]
        assert source.sha256 == hashes[source.source_id]  # the very bytes the archive record made
        assert source.published.isoformat() >= "2025-01-01"
    assert main(args) == 0  # again: nothing to write, nothing overwritten
    out = capsys.readouterr().out
    assert out.startswith("0 articles written") and f"{len(written)} already there" in out
    written[0].write_text(" date 2025-01-02 By Someone, Elsewhere\nOther words.\n", encoding="utf-8")
    assert main(args) == 2
    assert "already exists with other content" in capsys.readouterr().err


def test_synthetic_archives_are_deterministic_and_varied(tmp_path: Path) -> None:
    first = list(synthetic_records(30, seed=5))
    assert first == list(synthetic_records(30, seed=5)) != list(synthetic_records(30, seed=6))
    assert len({r["outlet"] for r in first}) > 5 and len({r["published"][:7] for r in first}) > 10
    texts = {r["text"] for r in first}
    assert len(texts) > 25  # shuffled paragraphs: copies of one template differ
    for suffix in (".jsonl", ".parquet", ""):
        out = tmp_path / f"archive{suffix}"
        assert write_corpus(iter(first), out) == 30
        documents = list(Archive(out).documents())
        assert sorted(d.doc_id for d in documents) == [r["id"] for r in first]
        assert not any(d.problem for d in documents)
    by_format = [{d.doc_id: d.sha256 for d in Archive(tmp_path / f"archive{s}").documents()}
                 for s in (".jsonl", ".parquet", "")]
    assert by_format[0] == by_format[1] == by_format[2]  # one document, the same bytes, whatever the format


def test_the_shipped_sample_is_what_the_generator_makes(tmp_path: Path) -> None:
    count = sum(1 for _ in (ROOT / SAMPLE_CORPUS).open(encoding="utf-8"))
    write_corpus(synthetic_records(count), tmp_path / "sample.jsonl")
    assert (tmp_path / "sample.jsonl").read_bytes() == (ROOT / SAMPLE_CORPUS).read_bytes()
    assert len(templates()) >= 19 and json.loads((ROOT / SAMPLE_CORPUS).open().readline())["id"]


@pytest.mark.parametrize("planted", ["link", "folder"])
def test_select_writes_no_file_through_a_planted_temporary_name(corpus_folder: Path, tmp_path: Path,
                                                                 planted: str, capsys) -> None:
    """A link (to a file outside) or a folder made in advance at a writer's fixed temporary name
    (``seeds/.NAME.tmp``) once had the outside file overwritten, or stopped the writing half-way."""
    with Corpus(corpus_folder) as corpus:
        expected = sorted(corpus.selection(["pakistan", "tiangong"]).source_id)
    seeds, outside = tmp_path / "seeds", tmp_path / "outside.txt"
    seeds.mkdir()
    outside.write_text("not yours", encoding="utf-8")
    for source_id in expected:
        trap = seeds / f".{source_id}.txt.tmp"
        trap.symlink_to(outside) if planted == "link" else trap.mkdir()
    args = ["corpus", "select", str(corpus_folder), "--actors", "pakistan,tiangong", "--to", str(seeds)]
    assert main(args) == 0, capsys.readouterr().err
    assert outside.read_text(encoding="utf-8") == "not yours"
    assert sorted(p.stem for p in seeds.glob("*.txt")) == expected and expected


@pytest.mark.parametrize("option", [["--top", "-1"], ["--weeks", "0"], ["--top", "ten"]])
def test_report_counts_below_one_are_one_line_and_exit_2(corpus_folder: Path, option: list[str],
                                                         capsys) -> None:
    """``--top -1`` once reached DuckDB (LIMIT -1) and ended in its traceback."""
    with pytest.raises(SystemExit) as stop:
        main(["corpus", "report", str(corpus_folder), *option])
    err = capsys.readouterr().err.strip().splitlines()
    assert stop.value.code == 2 and f"argument {option[0]}:" in err[-1] and "Traceback" not in "\n".join(err)


def test_the_report_shows_control_characters_as_escapes_never_as_terminal_sequences(tmp_path: Path,
                                                                                    capsys) -> None:
    """An outlet holding ANSI colour and OSC hyperlink sequences was printed raw."""
    hostile = "Evil \x1b[31mRed\x1b[0m \x1b]8;;https://example.com\x07News\x1b]8;;\x07"
    archive = tmp_path / "archive.jsonl"
    write_corpus(synthetic_records(20, seed=5), archive)
    lines = archive.read_text(encoding="utf-8").splitlines()
    rows = [{**json.loads(line), "outlet": hostile} for line in lines]
    archive.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    extract_corpus(archive, tmp_path / "out", InProcess(), KNOWLEDGE)
    assert main(["corpus", "report", str(tmp_path / "out"), "--actors", "pakistan,china"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "Evil \\x1b[31mRed" in out
