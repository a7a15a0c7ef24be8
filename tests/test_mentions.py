from analysis.facts.mentions import MentionFinder
from tests.factories import make_source, project_knowledge

FINDER = MentionFinder(project_knowledge().gazetteer)


def found(text: str):
    return [(m.entity_id, m.text, m.form, m.possessive, m.nested) for m in FINDER.find(make_source(text))]


def test_possessive_and_demonym() -> None:
    assert found("China’s station and a Pakistani astronaut") == [
        ("china", "China", "name", True, False),
        ("pakistan", "Pakistani", "demonym", False, False),
    ]


def test_longest_alias_wins() -> None:
    assert found("the China-Pakistan Economic Corridor") == [
        ("cpec", "China-Pakistan Economic Corridor", "name", False, False)]


def test_description_keeps_its_owner_as_nested_mention() -> None:
    assert found("aboard China’s space station") == [
        ("china", "China", "name", True, True),
        ("tiangong", "China’s space station", "description", False, False),
    ]


def test_straight_and_curly_apostrophes_match_the_same_alias() -> None:
    assert [e for e, *_ in found("Chang’e-6 and Chang'e-6")] == ["change_6", "change_6"]


def test_no_match_inside_words() -> None:
    assert found("Chinatown and Pakistanis-in-exile") == []
