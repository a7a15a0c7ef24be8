"""The first guess at a new name's kind (analysis/facts/name_types.py), from its own cues and its context."""

from __future__ import annotations

import pytest

from analysis.facts.name_types import guess_type


@pytest.mark.parametrize(("name", "kind", "before", "after", "expected"), [
    ("Long March 2F", "designator", "on a ", " rocket", "spacecraft"),
    ("Shenzhou-21", "designator", "the ", " crew", "mission"),
    ("PakSat-MM1", "designator", "including ", " from Xichang", "spacecraft"),
    ("ICUBE-Q", "name", "carried the ", " cubesat to the Moon", "spacecraft"),
    ("Rashid", "name", "the ", " rover landed", "spacecraft"),
    ("CMSA", "name", "said the ", ".", "agency"),
    ("Astronaut Centre of China", "name", "tests at the ", ",", "institution"),
    ("Jiuquan Satellite Launch Center", "name", "from the ", ".", "facility"),
    ("Belt and Road", "name", "the ", " initiative", "programme"),
    ("Farid Baloch", "name", "spokesman ", " said", "person"),
    ("Xichang", "name", "launched from ", " in May", "place"),
])
def test_a_new_name_is_guessed_from_its_cues(name, kind, before, after, expected) -> None:
    assert guess_type(name, kind, before, after, set()) == expected


def test_a_quoted_speaker_is_a_person_whatever_comes_before() -> None:
    assert guess_type("Amina Rafiq", "name", "from ", ".", {"Amina Rafiq"}) == "person"
