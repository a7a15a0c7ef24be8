"""The fact tables: provenance of every row, the data package, and new articles without code changes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest
from frictionless import validate

from analysis import ProjectPaths
from analysis.cli import main
from analysis.datapackage import TABLES, TABLES_BY_NAME, read_table, write_package
from analysis.facts.extract import EVIDENCE_COLUMNS, Knowledge, extract_facts

SECOND = """ date 2025-11-01 By Jane Doe, Reuters

BEIJING (Reuters) — China launched the Shenzhou-21 crew on Friday to the Tiangong station, NASA said, \
while Roscosmos watched.

Zhang Jingbo told reporters the Pakistani astronaut would train at the Astronaut Centre of China \
next year. “We are ready,” said Zhang Jingbo.

Training will last about six months, he said, and nearly 300 experiments were proposed in October.
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory, seed_facts) -> Path:
    folder = tmp_path_factory.mktemp("data")
    write_package(seed_facts.tables, folder)
    return folder


def test_every_exported_row_round_trips_to_its_source(package: Path, seed_facts) -> None:
    facts = seed_facts
    texts = {s.source_id: s.text for s in facts.sources}
    checked = 0
    for table, column in EVIDENCE_COLUMNS.items():
        frame = read_table(package / f"{table}.csv").astype({"start": int, "end": int})
        assert len(frame) == len(facts[table])
        for row in frame.itertuples():
            assert texts[row.source_id][row.start:row.end] == getattr(row, column), (table, row)
            checked += 1
    assert checked == sum(len(facts[t]) for t in EVIDENCE_COLUMNS) > 100


def test_every_frame_has_exactly_its_schema_columns(seed_paths: ProjectPaths) -> None:
    """The schema is the one list of columns: extracted frames and the network table follow it.
    Beside the seed, a short source naming an invented institute, so that there is a name to
    suggest however much of the seed the analyst has curated."""
    from analysis import load_sources
    from analysis.network.graph import ActorGraph, metrics
    from analysis.story.statements import build_statements, load_topics
    from tests.factories import make_source

    invented = make_source("The Qelvarin Orbital Institute said on Monday that China and Pakistan met.",
                           source_id="001_invented")
    facts = extract_facts(seed_paths, sources=[*load_sources(seed_paths.seeds), invented])
    topics = load_topics(facts.knowledge.claims_path.parent / "topics.yaml")
    statements, links = build_statements(facts, topics)
    frames = {**facts.tables, "network_metrics": metrics(ActorGraph.from_facts(facts)),
              "statements": statements, "statement_facts": links}
    assert set(frames) == set(TABLES_BY_NAME)
    for name, frame in frames.items():
        assert list(frame.columns) == TABLES_BY_NAME[name].columns, name
        assert len(frame) > 0, name


def test_a_frame_that_disagrees_with_its_schema_is_refused(seed_facts, tmp_path: Path) -> None:
    quotes = seed_facts["quotes"]
    for wrong in (quotes.drop(columns="cue"), quotes[[*quotes.columns[1:], quotes.columns[0]]],
                  quotes.assign(extra=1)):
        with pytest.raises(ValueError, match="table quotes: frame columns"):
            write_package({**seed_facts.tables, "quotes": wrong}, tmp_path)


def test_numbered_ids_follow_the_schema(seed_facts) -> None:
    for name in ("mentions", "quotes", "events", "quantities", "relations"):
        table = TABLES_BY_NAME[name]
        ids = seed_facts[name][table.columns[0]]
        prefix, width = table.numbered[0], int(table.numbered[1:])
        assert list(ids) == [f"{prefix}{i:0{width}d}" for i in range(1, len(ids) + 1)], name


def test_data_package_is_valid(package: Path) -> None:
    report = validate(package / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert {t.name for t in TABLES} == {p.stem for p in package.glob("*.csv")}


def test_data_package_catches_a_dangling_reference(package: Path, tmp_path: Path) -> None:
    for path in package.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    mentions = tmp_path / "mentions.csv"
    mentions.write_text(mentions.read_text(encoding="utf-8").replace(",china,", ",atlantis,", 1),
                        encoding="utf-8")
    report = validate(tmp_path / "datapackage.json")
    assert not report.valid
    assert "foreign-key" in {row[0] for row in report.flatten(["type"])}


def test_seed_tables_have_the_article_facts(seed_facts) -> None:
    facts = seed_facts
    mentioned = set(facts["mentions"].entity_id)
    assert {"china", "pakistan", "united_states", "cmsa", "cnsa", "suparco", "esa", "galaxy_space",
            "cpec", "bri", "tiangong", "iss", "shenzhou_20", "shenzhou_19"} <= mentioned
    speakers = set(facts["quotes"].speaker_id)
    assert {"quentin_parker", "amjad_ali", "shehbaz_sharif", "amer_gilani"} <= speakers
    assert (facts["claims"].origin == "curated").all()


def test_second_article_flows_through_without_code_changes(scratch: Path) -> None:
    (scratch / "seeds" / "001_second.txt").write_text(SECOND, encoding="utf-8")
    facts = extract_facts(ProjectPaths(scratch))
    assert [s.source_id for s in facts.sources] == ["000_615d141f3fb52d67", "001_second"]
    second = {name: frame[frame.source_id == "001_second"] for name, frame in facts.tables.items()
              if "source_id" in frame}
    # each new name is suggested, unless the analyst has curated it since: then it is a mention
    suggested, mentioned = set(second["candidates"].text), set(second["mentions"].text)
    for name in ("Shenzhou-21", "NASA", "Roscosmos", "Zhang Jingbo", "Astronaut Centre of China"):
        assert (name in suggested) != (name in mentioned), name
    assert {"china", "tiangong", "pakistan"} <= set(second["mentions"].entity_id)
    friday = second["events"][second["events"].evidence == "Friday"].iloc[0]
    assert friday.date == "2025-10-31"  # the last Friday up to publication (Sat 1 November)
    assert second["events"][second["events"].evidence == "next year"].iloc[0].date == "2026"
    assert (second["claims"].origin == "automatic").all() and len(second["claims"]) >= 2
    quote = second["quotes"].iloc[0]  # a speaker the gazetteer does not know is still named
    curated = [e.entity_id for e in facts.knowledge.gazetteer.entities.values() if e.name == "Zhang Jingbo"]
    assert (quote.speaker_id, quote.speaker_name, quote.method) == (
        curated[0] if curated else "", "Zhang Jingbo", "named")


def run_cli(root: Path, *args: str, monkeypatch: pytest.MonkeyPatch,
            capsys: pytest.CaptureFixture) -> subprocess.CompletedProcess:
    """``python -m analysis ARGS`` in ``root``, in this process (the same entry point, no start-up)."""
    monkeypatch.setenv("ANALYSIS_PROJECT_ROOT", str(root))
    monkeypatch.chdir(root)
    code = main(list(args))
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out, err)


def test_candidates_command_lists_new_names(scratch: Path, monkeypatch, capsys) -> None:
    (scratch / "seeds" / "001_second.txt").write_text(SECOND, encoding="utf-8")
    run = run_cli(scratch, "candidates", "--source", "001_second", monkeypatch=monkeypatch, capsys=capsys)
    assert run.returncode == 0, run.stderr
    known = Knowledge.load(scratch / "analysis" / "knowledge").gazetteer.aliases
    for name in ("Roscosmos", "Shenzhou-21"):  # listed, unless the analyst has curated it already
        assert (f"\t{name}\t" in run.stdout) != (name in known), name
    assert "000_615d141f3fb52d67" not in run.stdout


@pytest.mark.parametrize(("relative", "content", "expected"), [
    ("seeds/002_bad.txt", b"no header\nbody\n", "seeds/002_bad.txt:1: first line is not a header"),
    ("seeds/002_bad.txt", b"", "seeds/002_bad.txt:1: the file is empty"),
    ("seeds/002_bad.txt", b" date 2025-13-01 By A, B\nbody\n", "seeds/002_bad.txt:1: header date"),
    ("seeds/002_bad.txt", b" date 2025-01-01 By A, B\n\xff\n", "seeds/002_bad.txt:2: not valid UTF-8"),
])
def test_bad_input_exits_nonzero_with_one_line_and_keeps_reports(scratch: Path, monkeypatch, capsys,
                                                                 relative: str,
                                                                 content: bytes, expected: str) -> None:
    reports = scratch / "reports"
    reports.mkdir()
    (reports / "briefing.html").write_text("previous good briefing", encoding="utf-8")
    (scratch / relative).write_bytes(content)
    run = run_cli(scratch, "build", monkeypatch=monkeypatch, capsys=capsys)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], run.stderr
    assert (reports / "briefing.html").read_text(encoding="utf-8") == "previous good briefing"
    assert not (reports / "data").exists()


FORMULAS = """ date 2025-05-02 By Jane Doe, Wire

=HYPERLINK("http://example.com","China") signed the deal on Friday, the agency said.

+1 "=cmd|' /C calc'!A0," said Amjad Ali on Thursday.

@SUM(1+1) is what China planned for next month.
"""


def test_spreadsheet_formulas_are_neutralised_and_the_text_round_trips(scratch: Path, tmp_path: Path) -> None:
    (scratch / "seeds" / "001_formulas.txt").write_text(FORMULAS, encoding="utf-8")
    facts = extract_facts(ProjectPaths(scratch))
    write_package(facts.tables, tmp_path)
    texts = {s.source_id: s.text for s in facts.sources}
    risky = 0
    for table in ("claims", "quotes", "events", "mentions", "quantities"):
        raw = pd.read_csv(tmp_path / f"{table}.csv", dtype=str, keep_default_na=False)
        text_columns = [name for name, kind, _ in TABLES_BY_NAME[table].fields if kind == "string"]
        for column in text_columns:  # numbers such as -1 are numbers, not formulas
            cells = raw[column]
            assert not cells.str.match(r"[=+\-@\t\r]").any(), (table, column)  # no formula survives
            risky += int(cells.str.match(r"'[=+\-@]").sum())
        restored = read_table(tmp_path / f"{table}.csv")
        column = EVIDENCE_COLUMNS.get(table)
        if column:
            for row in restored.itertuples():
                assert texts[row.source_id][int(row.start):int(row.end)] == getattr(row, column)
    assert risky >= 2, "the fixture must put formula-like text into the exported cells"


def test_plain_rows_are_the_rows_itertuples_gives(seed_facts) -> None:
    from analysis.datapackage import plain_rows

    for name in ("events", "quantities", "quotes", "claims"):
        frame = seed_facts[name]
        rows = plain_rows(frame)
        shown = [tuple(map(repr, row)) for row in rows]  # NaN equals itself only by its repr
        assert shown == [tuple(map(repr, row)) for row in frame.itertuples(index=False)] and rows, name
        assert [type(v) for v in rows[0]] == [type(v) for v in next(frame.itertuples(index=False))]
        assert rows[0]._fields == tuple(frame.columns)


def test_names_listed_with_roles_are_each_suggested_and_verb_forms_and_subheadings_are_not() -> None:
    from analysis.facts.candidates import candidates_for
    from analysis.facts.mentions import MentionFinder
    from tests.factories import make_source, project_knowledge

    text = ("China's next crew is ready.\n\nThe mission will send commander Zhang Lu and rookie astronauts "
            "Wu Fei and Zhang Hongzhang to the station.\n\nSelection under way\n\n"
            "Leading the first mission was Chen Dong. Joining Chen were Chen Zhongrui and Wang Jie.\n\n"
            "Pakistan's ambassador, Naveed ul Hassan, watched the launch.")
    source = make_source(text)
    knowledge = project_knowledge()
    names = {c["text"] for c in candidates_for(source, MentionFinder(knowledge.gazetteer).find(source))}
    assert {"Zhang Lu", "Wu Fei", "Zhang Hongzhang", "Chen Dong", "Chen Zhongrui", "Wang Jie",
            "Naveed ul Hassan"} <= names
    assert not {"Wu Fei and Zhang Hongzhang", "Joining Chen", "Selection", "Naveed"} & names
