import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.facts.quantities import number, quantities_for
from tests.factories import make_source


def quantity(text: str) -> dict:
    rows = quantities_for(make_source(text))
    assert len(rows) == 1, rows
    return rows[0]


def nan_to_none(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


@pytest.mark.parametrize(("text", "value", "low", "high", "unit", "kind"), [
    ("They will list five to 10 candidates for the mission.", None, 5, 10, "candidates", "range"),
    ("Training will last six months to a year.", None, 6, 12, "months", "duration range"),
    ("China has signed nearly 200 intergovernmental space cooperation agreements.", 200, None, 200,
     "agreements", "count"),
    ("its more than 60-year-old space program", 60, 60, None, "years", "age"),
    ("carrying three astronauts to Tiangong", 3, 3, 3, "astronauts", "count"),
    ("It will be the ninth crewed mission headed there.", 9, 9, 9, "mission", "ordinal"),
    ("loans to 1,200 institutions", 1200, 1200, 1200, "institutions", "count"),
])
def test_quantities(text, value, low, high, unit, kind) -> None:
    q = quantity(text)
    got = (nan_to_none(q["value"]), q["low"], q["high"], q["unit"], q["kind"])
    assert got == (value, low, high, unit, kind)


def test_two_counts_in_one_phrase() -> None:
    rows = quantities_for(make_source("samples went to seven institutions across six countries."))
    assert [(r["value"], r["unit"]) for r in rows] == [(7, "institutions"), (6, "countries")]


def test_years_dates_and_designators_are_not_quantities() -> None:
    assert quantities_for(make_source("In 1998 on April 29 Shenzhou-20 flew at 5:17 p.m.")) == []


def test_one_as_a_pronoun_is_skipped() -> None:
    rows = quantities_for(make_source("Tiangong is one of two stations, with one eventually sent."))
    assert [(r["value"], r["unit"]) for r in rows] == [(2, "stations")]


@given(st.integers(min_value=0, max_value=99))
def test_number_words_round_trip(n: int) -> None:
    ones = "zero one two three four five six seven eight nine".split()
    teens = ("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen "
             "nineteen").split()
    tens = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
    if n < 10:
        word = ones[n]
    elif n < 20:
        word = teens[n - 10]
    else:
        word = tens[n // 10] + (f"-{ones[n % 10]}" if n % 10 else "")
    assert number(word) == n
    assert number(str(n)) == n


@given(st.text(max_size=200))
def test_extraction_never_crashes_and_offsets_are_exact(text: str) -> None:
    source = make_source(text if text.strip() else "x")
    for row in quantities_for(source):
        assert source.text[row["start"]:row["end"]] == row["text"]


@pytest.mark.parametrize(("text", "word", "value"), [
    ("It was the fifteenth flight overall of the programme.", "fifteenth", 15),
    ("Shenzhou-21 was the sixteenth crewed Chinese spaceflight.", "sixteenth", 16),
    ("It is the thirty-fifth flight mission of the programme.", "thirty-fifth", 35),
    ("the twentieth launch", "twentieth", 20),
])
def test_ordinals_in_words_past_twelfth(text: str, word: str, value: int) -> None:
    """Outlets write a programme's count in words ("the fifteenth flight overall")."""
    q = quantity(text)
    assert (q["value"], q["kind"]) == (value, "ordinal") and q["text"].startswith(word)
