"""Generic verdicts: a new source's sentences checked against the record with no curation at all."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from analysis import ProjectPaths
from analysis.briefing.content import Briefing
from analysis.facts.extract import extract_facts
from analysis.record.tables import PublicRecord
from analysis.record.verdicts import assess

FIXTURES = Path(__file__).parent / "fixtures"
ROUNDUP, WRONG, TALLY = "301_mission_roundup", "302_wrong_details", "303_crewed_flight_tally"


def project_with(root: Path, seed_root: Path, *folders: str) -> ProjectPaths:
    """A scratch copy of the seed project with the fixture articles of ``folders`` in ``seeds/``."""
    shutil.copytree(seed_root, root, dirs_exist_ok=True)
    for folder in folders:
        for article in (FIXTURES / folder).glob("*.txt"):
            shutil.copy(article, root / "seeds" / article.name)
    return ProjectPaths(root)


def judged(paths: ProjectPaths):
    facts = extract_facts(paths)
    record = PublicRecord.load(paths.reference)
    assessment = assess(facts, record)
    return assessment.claims.set_index("claim_id"), assessment, facts, record


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory, seed_paths: ProjectPaths):
    paths = project_with(tmp_path_factory.mktemp("verdicts"), seed_paths.root, "verdicts")
    return (paths, *judged(paths))


def sentence(claims, source_id: str, words: str):
    """The automatic claim of ``source_id`` whose sentence holds ``words``."""
    rows = claims[(claims.source_id == source_id) & claims.text.str.contains(words, regex=False)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_the_fixture_sources_have_no_curation(verdicts) -> None:
    paths, claims, *_ = verdicts
    curated = "".join(f.read_text(encoding="utf-8") for f in (paths.curated.claims, paths.curated.checks))
    assert ROUNDUP not in curated and WRONG not in curated and TALLY not in curated
    assert (claims[claims.source_id.isin([ROUNDUP, WRONG, TALLY])].origin == "automatic").all()


def test_a_launch_in_the_record_is_supported_with_zero_curation(verdicts) -> None:
    _, claims, assessment, _, record = verdicts
    launch = sentence(claims, ROUNDUP, "Shenzhou-21 mission lifted off on October 31")
    row = record.crewed_missions.set_index("mission").loc["Shenzhou-21"]
    assert launch.verdict == "supported"
    assert launch.method == "computed (generic: mission table)"
    assert launch.reference == row.ref
    assert f"record: Shenzhou-21 launched 2025-10-31 Beijing time ({row.ref})" in launch.note
    assert "stated three astronauts; record: Shenzhou-21 flew with a crew of 3" in launch.note
    assert launch.topic == "Shenzhou-21 launch date; Shenzhou-21 crew (automatic)"
    assert assessment.values[launch.name]["evidence"] == ["row:crewed_missions:Shenzhou-21"]


def test_other_tables_settle_other_sentences(verdicts) -> None:
    _, claims, *_ = verdicts
    uncrewed = sentence(claims, ROUNDUP, "uncrewed Shenzhou-22")
    assert uncrewed.verdict == "supported" and "Shenzhou-22 crew of 0" in uncrewed.note
    returned = sentence(claims, ROUNDUP, "Shenzhou-20 crew returned")
    assert returned.verdict == "supported" and "Shenzhou-20 landed 2025-11-14" in returned.note
    satellite = sentence(claims, ROUNDUP, "HS-1")
    assert satellite.verdict == "supported" and satellite.method == "computed (generic: Pakistani milestones)"
    assert "dated 2025-10-19" in satellite.note and "launched by China" in satellite.note
    assert "not launched by China" not in satellite.note
    station = sentence(claims, ROUNDUP, "has not yet hosted a foreign astronaut")
    assert station.verdict == "supported" and station.method == "computed (generic: station visitors)"
    assert "no foreign national aboard Tiangong (CSS) as of 2026-03-03" in station.note
    assert "crewed from 2021" in station.note


def test_a_wrong_date_and_crew_are_contradicted(verdicts) -> None:
    _, claims, *_ = verdicts
    launch = sentence(claims, WRONG, "launched on October 29")
    assert launch.verdict == "contradicted"
    assert ("stated 'October 29', that is 2025-10-29 (reported); "
            "record: Shenzhou-21 launched 2025-10-31") in launch.note
    assert "stated four astronauts; record: Shenzhou-21 flew with a crew of 3" in launch.note
    landing = sentence(claims, WRONG, "Shenzhou-19 crew returned")
    assert landing.verdict == "contradicted" and "Shenzhou-19 landed 2025-04-30" in landing.note


def test_ordinals_are_checked_against_the_mission_sequence(verdicts) -> None:
    _, claims, *_ = verdicts
    right = sentence(claims, ROUNDUP, "10th crewed mission")
    assert right.verdict == "supported"
    assert "Shenzhou-21 was the tenth crewed mission to Tiangong" in right.note
    assert "Shenzhou-21 was the 16th Chinese crewed mission" in right.note
    wrong = sentence(claims, WRONG, "ninth crewed mission")
    assert wrong.verdict == "contradicted"
    assert ("stated ninth crewed mission; "
            "record: Shenzhou-21 was the tenth crewed mission to Tiangong") in wrong.note


def test_a_place_among_all_of_chinas_crewed_flights_is_checked_with_its_row(verdicts) -> None:
    """"The mission is the 15th crewed spaceflight under China's Shenzhou program": the mission is
    the one the sentences before it name, Shenzhou-20, China's 15th crewed flight."""
    _, claims, assessment, _, record = verdicts
    rows = record.crewed_missions.set_index("mission")
    right = sentence(claims, TALLY, "15th crewed spaceflight under China's Shenzhou program")
    assert right.verdict == "supported" and right.method == "computed (generic: mission table)"
    assert right.reference == rows.loc["Shenzhou-20"].ref
    assert (f"stated 15th crewed spaceflight; record: Shenzhou-20 was the 15th Chinese crewed mission "
            f"(counted up to {rows.loc['Shenzhou-20'].ref})") in right.note
    assert "Shenzhou-20 was the ninth crewed mission to Tiangong" in right.note
    assert "named before: Shenzhou-20" in right.note
    assert assessment.values[right.name]["evidence"] == ["row:crewed_missions:Shenzhou-20"]
    wrong = sentence(claims, TALLY, "Shenzhou-19, the mission before it, was China's 15th")
    assert wrong.verdict == "contradicted" and wrong.reference == rows.loc["Shenzhou-19"].ref
    assert (f"stated 15th crewed spaceflight; record: Shenzhou-19 was the 14th Chinese crewed mission "
            f"(counted up to {rows.loc['Shenzhou-19'].ref})") in wrong.note


def test_a_count_of_chinas_crewed_flights_is_checked_as_of_the_article(verdicts) -> None:
    _, claims, _, _, record = verdicts
    ref = record.crewed_missions.set_index("mission").loc["Shenzhou-20"].ref
    count = sentence(claims, TALLY, "China has flown 15 crewed missions")
    assert count.verdict == "supported" and count.reference == ref
    assert (f"stated 15 crewed missions; record: 15 crewed Shenzhou flights launched by 2025-04-25, "
            f"the latest Shenzhou-20 on 2025-04-24 ({ref})") in count.note


def test_a_count_of_every_flight_of_the_programme_stays_unverifiable(verdicts) -> None:
    """"The 35th flight mission of China's manned space program" counts cargo ships and modules:
    the record lists crewed flights only, so it can neither support nor contradict it."""
    _, claims, *_ = verdicts
    tally = sentence(claims, TALLY, "35th flight mission")
    assert tally.verdict == "unverifiable"
    assert "'35th flight mission' counts every flight, crewed or not; the record lists crewed flights only" \
        in tally.note


def test_what_no_table_settles_is_unverifiable_with_its_own_reason(verdicts) -> None:
    _, claims, *_ = verdicts
    review = sentence(claims, ROUNDUP, "annual review")
    assert review.verdict == "unverifiable" and review.method == "generic"
    assert review.note == ("no mission, station or satellite in the record is named in these words; "
                           "its date 'December 15' stays unchecked")
    docking = sentence(claims, WRONG, "docked")
    assert docking.verdict == "unverifiable"
    assert "names Shenzhou-21; the record has launch and landing dates, not docking" in docking.note
    beyond = sentence(claims, WRONG, "Shenzhou-23")
    assert beyond.verdict == "unverifiable"
    assert beyond.note.startswith("names Shenzhou-23, not in crewed_missions.csv")
    unverifiable = claims[(claims.origin == "automatic") & (claims.verdict == "unverifiable")]
    assert unverifiable.note.is_unique, "each reason names its own words"
    assert not claims.note.str.contains("not yet reviewed").any()


def test_generic_evidence_resolves_in_the_briefing(verdicts) -> None:
    paths, claims, assessment, facts, record = verdicts
    facts.tables["claims"] = assessment.claims
    briefing = Briefing(paths, facts, record, assessment.values)
    refs = {ref for c in claims[claims.origin == "automatic"].index
            for ref in assessment.values[c].get("evidence", [])}
    assert {"row:crewed_missions:Shenzhou-21", "row:pakistan_space_milestones:"
            "HS-1 hyperspectral satellite (\"PRSC HS-1\")", "row:station_visitors:Tiangong (CSS)"} <= refs
    for ref in refs:  # the table's file and the row's line, in words
        assert re.search(r", line \d+ of analysis/reference/\w+\.csv$", briefing.evidence(ref).where)


def test_curated_claims_keep_their_curated_verdicts(verdicts, seed_facts) -> None:
    _, claims, *_ = verdicts
    seed = claims[claims.source_id == "000_615d141f3fb52d67"]
    assert (seed.origin == "curated").all()
    assert seed.verdict["shenzhou20-launch-thursday"] == "supported"
    assert seed.method["shenzhou20-launch-thursday"] == "computed"
    assert seed.verdict["shenzhou19-return-april-29"] == "outdated"  # a slipped schedule, not generic


def test_a_curated_check_takes_priority_over_the_generic_one(tmp_path: Path,
                                                             seed_paths: ProjectPaths) -> None:
    paths = project_with(tmp_path / "project", seed_paths.root, "verdicts")
    with paths.curated.claims.open("a", encoding="utf-8") as claims_file:
        claims_file.write(f"\n- id: wrong-shenzhou21-launch\n  source_id: {WRONG}\n"
                          "  evidence: \"China's Shenzhou-21 mission launched on October 29\"\n"
                          "  kind: date\n  topic: Shenzhou-21 launched on 29 October\n")
    with paths.curated.checks.open("a", encoding="utf-8") as checks_file:
        checks_file.write("\n- claim: wrong-shenzhou21-launch\n  check: typed\n  verdict: partly correct\n"
                          "  note: curated on purpose to differ from the generic verdict\n")
    claims, *_ = judged(paths)
    curated = claims.loc["wrong-shenzhou21-launch"]
    assert (curated.verdict, curated.method, curated.origin) == ("partly correct", "typed", "curated")
    assert not (claims.source_id == WRONG).pipe(lambda mine: claims[mine].origin == "automatic").any()


def test_the_verdict_moves_with_the_record(tmp_path: Path, seed_paths: ProjectPaths) -> None:
    paths = project_with(tmp_path / "project", seed_paths.root, "verdicts")
    table = paths.reference / "crewed_missions.csv"
    text = table.read_text(encoding="utf-8")
    assert "2025-10-31T15:44Z,2025-10-31 23:44,3," in text
    moved = text.replace("2025-10-31T15:44Z,2025-10-31 23:44,3,", "2025-10-29T15:44Z,2025-10-29 23:44,4,")
    table.write_text(moved, encoding="utf-8")
    claims, *_ = judged(paths)
    assert sentence(claims, ROUNDUP, "lifted off on October 31").verdict == "contradicted"
    assert sentence(claims, WRONG, "launched on October 29").verdict == "supported"


def test_a_story_source_reporting_a_launch_is_checked_without_curation(tmp_path: Path,
                                                                       seed_paths: ProjectPaths) -> None:
    claims, *_ = judged(project_with(tmp_path / "project", seed_paths.root, "story"))
    reported = sentence(claims, "204_launch_reported", "launched on Thursday")
    assert reported.verdict == "supported"
    assert "record: Shenzhou-20 launched 2025-04-24 Beijing time" in reported.note
    plan = sentence(claims, "201_wire_announcement", "first foreigner to be invited aboard")
    assert plan.verdict == "unverifiable" and plan.note.startswith("a plan; record: no foreign national")


def test_thirteen_house_styles_true_to_the_record_get_no_false_verdict(tmp_path: Path,
                                                                        seed_paths: ProjectPaths) -> None:
    """The style corpus states only what the record holds, in many phrasings: a generic check that
    ties a date, a count or an ordinal to the wrong mission would contradict one of them."""
    claims, *_ = judged(project_with(tmp_path / "project", seed_paths.root, "styles"))
    automatic = claims[claims.origin == "automatic"]
    assert set(automatic.verdict) <= {"supported", "unverifiable"}, automatic[
        ~automatic.verdict.isin(["supported", "unverifiable"])][["text", "note"]].to_string()
    computed = automatic[automatic.method.str.startswith("computed")]
    assert (computed.verdict == "supported").sum() >= 12
    assert {"computed (generic: mission table)", "computed (generic: Pakistani milestones)",
            "computed (generic: station visitors)"} <= set(computed.method)


def judged_text(text: str, published: str):
    """The automatic claims of one in-memory article, judged with no curation."""
    import datetime as dt

    from analysis.facts.extract import Facts, fact_tables
    from tests.factories import ROOT, make_source, project_knowledge

    knowledge = project_knowledge()
    source = make_source(text, "t", dt.date.fromisoformat(published))
    facts = Facts([source], knowledge, fact_tables([source], knowledge, curated=False))
    return assess(facts, PublicRecord.load(ROOT / "analysis" / "reference"), {}).claims


@pytest.mark.parametrize(("published", "text", "row"), [
    ("2025-04-25", "Shenzhou-20 marks the 15th time China has sent astronauts into orbit.", 16),
    ("2025-04-25", "Shenzhou-20 is the fifteenth crewed flight of the Shenzhou programme.", 16),
    ("2025-11-03", "Shenzhou-21 was the 10th crewed mission to Tiangong since 2021.", 17),
    ("2025-04-25", "China has sent astronauts into space 15 times.", 16),
    ("2025-11-03", "Of the 16 crewed missions China has flown, ten went to Tiangong.", 17),
    ("2025-11-03", "China has flown two crewed missions to Tiangong-1.", 6),
    ("2025-04-23", "Of the 15 crewed missions China has flown, nine went to Tiangong.", 16),  # one due
])
def test_phrasings_of_chinas_crewed_flights_that_the_record_settles(published: str, text: str,
                                                                    row: int) -> None:
    claim = judged_text(text, published).iloc[0]
    assert claim.verdict == "supported", claim.note
    assert f"crewed_missions.csv:{row}" in claim.reference


def test_a_wrong_count_of_chinas_crewed_flights_is_contradicted_with_the_latest_row() -> None:
    claim = judged_text("China has flown 14 crewed missions.", "2025-11-03").iloc[0]
    assert claim.verdict == "contradicted" and claim.reference == "crewed_missions.csv:17"
    assert claim.note == ("stated 14 crewed missions; record: 16 crewed Shenzhou flights launched by "
                          "2025-11-03, the latest Shenzhou-21 on 2025-10-31 (crewed_missions.csv:17)")


@pytest.mark.parametrize("text", [
    "It was the second crewed mission this year.",  # within a year
    "Shenzhou-21 was the first crewed mission to the station since the window was found cracked.",
    "It was Pakistan's first crewed flight.",  # someone else's count
    "Chen Dong is making his third crewed flight, aboard Shenzhou-20.",
    "China has flown two crewed missions this year.",
    "China flew three crewed missions to Tiangong-1 and Tiangong-2.",  # a sum over destinations
    "Unlike China, NASA has flown 135 crewed shuttle missions.",
    "China will fly its 17th crewed mission next year.",  # a plan
    "Shenzhou-21 is the first crewed mission to carry mice.",  # a count of some of them
    "Shenzhou-16 was the fifth crewed mission with a civilian aboard.",
])
def test_counts_the_record_cannot_settle_stay_unverifiable(text: str) -> None:
    claim = judged_text(text, "2025-11-03").iloc[0]
    assert claim.verdict == "unverifiable", claim.note
