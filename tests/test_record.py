"""Reference tables load against their schema; verdicts are computed and move with the data."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import InputError, ProjectPaths
from analysis.facts.extract import extract_facts
from analysis.record.tables import SPECS, PublicRecord
from analysis.record.verdicts import judge

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def verdicts(seed_facts):
    return judge(seed_facts, PublicRecord.load(ROOT / "analysis" / "reference")).set_index("claim_id")


def test_every_claim_has_a_verdict_from_the_vocabulary(verdicts, seed_facts) -> None:
    vocabulary = seed_facts.knowledge.vocabulary.verdicts
    assert verdicts.verdict.isin(list(vocabulary)).all()
    assert (verdicts.as_of == "2026-03-03").all()
    typed = verdicts[verdicts.method == "typed"]
    assert len(typed) and (typed.note.str.len() > 20).all(), "typed verdicts must say why (method: typed)"
    assert (verdicts[verdicts.method == "computed"].reference != "").all()


def test_computed_verdicts(verdicts) -> None:
    v = verdicts.verdict
    assert v["ninth-since-assembly"] == "partly correct"
    assert "no. 9 to Tiangong overall and no. 6 since full assembly" in verdicts.note["ninth-since-assembly"]
    assert v["shenzhou19-return-april-29"] == "outdated"
    assert "1 day late" in verdicts.note["shenzhou19-return-april-29"]
    assert v["shenzhou20-launch-time"] == "supported"
    assert v["shenzhou20-launch-thursday"] == "supported"
    assert v["shortlist-next-month"] == "outdated"
    assert "about 9 months later than planned" in verdicts.note["shortlist-next-month"]
    assert v["suparco-over-60"] == "supported" and "63 years old" in verdicts.note["suparco-over-60"]
    assert v["two-operating-stations"] == "supported"
    assert v["first-foreign-national"] == "unverifiable"
    assert v["training-and-flight-date"] == "unverifiable"
    assert v["most-reliable-friend"] == "opinion"


def reference_copy(scratch: Path) -> Path:
    return scratch / "analysis" / "reference"


def judged(scratch: Path):
    paths = ProjectPaths(scratch)
    return judge(extract_facts(paths), PublicRecord.load(paths.reference)).set_index("claim_id")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_bytes().decode("utf-8")
    assert old in text
    path.write_bytes(text.replace(old, new, 1).encode("utf-8"))


def test_launch_time_verdict_follows_the_data(scratch: Path) -> None:
    replace_in(reference_copy(scratch) / "crewed_missions.csv", "2025-04-24T09:17Z", "2025-04-24T10:17Z")
    assert judged(scratch).verdict["shenzhou20-launch-time"] == "contradicted"


def test_landing_on_schedule_turns_outdated_into_supported(scratch: Path) -> None:
    replace_in(reference_copy(scratch) / "crewed_missions.csv", "2025-04-30T05:08Z", "2025-04-29T05:08Z")
    assert judged(scratch).verdict["shenzhou19-return-april-29"] == "supported"


def test_count_verdict_follows_the_data(scratch: Path) -> None:
    # Move Shenzhou-15 before full assembly: Shenzhou-20 becomes the 5th crew since, still 9th overall.
    replace_in(reference_copy(scratch) / "crewed_missions.csv", "2022-11-29T15:08Z", "2022-10-29T15:08Z")
    assert "no. 5 since full assembly" in judged(scratch).note["ninth-since-assembly"]


def test_a_foreign_visitor_changes_the_status_claims(scratch: Path) -> None:
    replace_in(reference_copy(scratch) / "station_visitors.csv", "Tiangong (CSS),2021,,China,0,",
               "Tiangong (CSS),2021,,China,1,")
    v = judged(scratch).verdict
    assert v["tiangong-only-chinese"] == "contradicted"
    assert v["first-foreign-national"] == "supported"


@pytest.mark.parametrize(("table", "old", "new", "message"), [
    ("crewed_missions.csv", "2025-04-24T09:17Z", "2025-04-31T09:17Z", "not a real date and time"),
    ("crewed_missions.csv", ",Tiangong,9,6,5,", ",Mars,9,6,5,", "'destination': 'Mars' is not one of"),
    ("after_article_timeline.csv", "2025-04-30,", "2025-4-30,", "not an ISO date"),
    ("pakistan_space_milestones.csv", "Long March 2E,Xichang,true", "Long March 2E,Xichang,yes",
     "not true or false"),
    ("after_article_timeline.csv", ",Xinhua/gov.cn,", ",,", "column 'sources' is empty"),
    ("station_visitors.csv", "Skylab,1973,", "Skylab,nineteen,", "not a whole number"),
])
def test_bad_reference_rows_name_file_and_line(scratch: Path, table: str, old: str, new: str,
                                              message: str) -> None:
    path = reference_copy(scratch) / table
    text = path.read_bytes().decode("utf-8")
    line = text[: text.index(old)].count("\n") + 1
    replace_in(path, old, new)
    with pytest.raises(InputError) as info:
        PublicRecord.load(path.parent)
    assert message in str(info.value)
    assert info.value.line == line and info.value.path.endswith(table)


def test_every_reference_row_keeps_its_sources() -> None:
    record = PublicRecord.load(ROOT / "analysis" / "reference")
    for spec in SPECS:
        table = getattr(record, spec.name)
        assert table.sources.str.strip().ne("").all(), spec.name


def test_background_knowledge_flag_is_kept(scratch: Path) -> None:
    replace_in(reference_copy(scratch) / "after_article_timeline.csv", "Xinhua/gov.cn,",
               "Xinhua/gov.cn [BK],")
    record = PublicRecord.load(reference_copy(scratch))
    assert int(record.after_article_timeline.bk.sum()) == 1


def test_claim_without_a_verdict_fails(scratch: Path) -> None:
    claims = scratch / "analysis" / "knowledge" / "claims.yaml"
    text = claims.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    line = text.count("\n") + 1
    claims.write_text(text + "- id: unchecked\n  source_id: 000_615d141f3fb52d67\n"
                      "  evidence: launched in 1998\n  kind: date\n  topic: t\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        judged(scratch)
    assert "claim 'unchecked' has no verdict" in str(info.value) and info.value.line == line


def test_check_for_unknown_claim_fails(scratch: Path) -> None:
    checks = scratch / "analysis" / "knowledge" / "checks.yaml"
    checks.write_text(checks.read_text(encoding="utf-8") + "\n- claim: nope\n  check: typed\n",
                      encoding="utf-8")
    with pytest.raises(InputError, match=r"claim 'nope' is not in claims\.yaml"):
        judged(scratch)
