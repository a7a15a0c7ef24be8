import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.facts.dates import MONTHS, WEEKDAYS, resolve_dates
from analysis.facts.events import status_of

PUBLISHED = dt.date(2025, 4, 24)  # a Thursday


def one(text: str, published: dt.date = PUBLISHED):
    found = resolve_dates(text, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("text", "date", "precision"), [
    ("During a press conference on Wednesday, the agency said", "2025-04-23", "day"),
    ("On Tuesday, a delegation met", "2025-04-22", "day"),
    ("It will launch on Sunday", "2025-04-27", "day"),
    ("He arrived on Monday", "2025-04-21", "day"),
    ("Last year, Pakistan sent a satellite", "2024", "year"),
    ("one will fly as early as October next year", "2026-10", "month"),
    ("a list of candidates over the next month", "2025-05", "month"),
    ("An agreement signed in February between the two", "2025-02", "month"),
    ("state media reported in December.", "2024-12", "month"),
    ("The crew will return in December.", "2025-12", "month"),
    ("The crew will return in February.", "2026-02", "month"),
    ("scheduled to return to earth on April 29", "2025-04-29", "day"),
    ("The station launched in 1998.", "1998", "year"),
    ("It was assembled in November 2022.", "2022-11", "month"),
    ("the crew came back yesterday", "2025-04-23", "day"),
])
def test_resolver(text: str, date: str, precision: str) -> None:
    found = one(text)
    assert (found.date, found.precision) == (date, precision)
    assert text[found.start:found.end] == found.text


def test_may_the_modal_verb_is_not_a_month() -> None:
    assert resolve_dates("The crew may return early.", PUBLISHED) == []
    assert one("The crew will return in May.").date == "2025-05"


def test_impossible_day_is_not_a_date() -> None:
    assert all(r.precision != "day" for r in resolve_dates("on February 30", PUBLISHED))


def test_status_follows_date_and_tense() -> None:
    assert status_of(one("announced Thursday"), PUBLISHED, "past") == "reported"
    assert status_of(one("will launch on Thursday"), PUBLISHED, "future") == "scheduled"
    assert status_of(one("as early as October next year"), PUBLISHED, "future") == "planned"
    assert status_of(one("Last year"), PUBLISHED, "past") == "reported"


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)),
       st.sampled_from(list(WEEKDAYS)))
def test_weekday_is_the_nearest_one_that_fits_the_tense(published: dt.date, weekday: str) -> None:
    """'said on Friday' is the last Friday up to publication; 'will launch on Friday' the next one."""
    past = dt.date.fromisoformat(one(f"Officials said on {weekday} that it happened.", published).date)
    future = dt.date.fromisoformat(one(f"It will launch on {weekday}.", published).date)
    assert past.strftime("%A") == weekday == future.strftime("%A")
    assert published - dt.timedelta(days=6) <= past <= published <= future <= published + dt.timedelta(days=6)


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)),
       st.sampled_from(list(MONTHS)))
def test_bare_month_is_the_nearest_one_that_fits_the_tense(published: dt.date, month: str) -> None:
    past = one(f"It was signed in {month}.", published)
    future = one(f"It will be signed in {month}.", published)
    pub = (published.year, published.month)
    past_ym = tuple(int(x) for x in past.date.split("-"))
    future_ym = tuple(int(x) for x in future.date.split("-"))
    assert past_ym <= pub and (past_ym[0] + 1, past_ym[1]) > pub
    assert future_ym > pub and (future_ym[0] - 1, future_ym[1]) <= pub


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)),
       st.sampled_from(["next", "last", "this"]), st.sampled_from(["year", "month"]))
def test_relative_periods(published: dt.date, word: str, unit: str) -> None:
    found = one(f"It happens {word} {unit}.", published)
    delta = {"next": 1, "last": -1, "this": 0}[word]
    if unit == "year":
        assert found.date == f"{published.year + delta:04d}"
    else:
        index = published.year * 12 + published.month - 1 + delta
        assert found.date == f"{index // 12:04d}-{index % 12 + 1:02d}"


@given(st.text(max_size=300), st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_resolver_never_crashes_and_offsets_are_exact(text: str, published: dt.date) -> None:
    for found in resolve_dates(text, published):
        assert text[found.start:found.end] == found.text


@pytest.mark.parametrize(("text", "date", "date_end", "precision"), [
    ("They met on Oct. 30 in Beijing.", "2024-10-30", "", "day"),  # past: the October before
    ("The talks on Oct 30 will go well.", "2025-10-30", "", "day"),  # future: the October after
    ("It was signed on 28th February 2025.", "2025-02-28", "", "day"),
    ("They agreed on 9 September.", "2024-09-09", "", "day"),
    ("It docked on 2025-04-25.", "2025-04-25", "", "day"),
    ("Talks ran on Oct. 29-30.", "2024-10-29", "2024-10-30", "day"),
    ("Training will run between May and July.", "2025-05", "2025-07", "month"),
    ("The plan runs from 2025 to 2029.", "2025", "2029", "year"),
    ("The 2025-29 plan was agreed.", "2025", "2029", "year"),
    ("More will fly in the 2030s.", "2030", "2039", "decade"),
    ("It will launch in late 2026.", "2026-09-01", "2026-12-31", "period"),
    ("Officials met in mid-March.", "2025-03-11", "2025-03-20", "period"),
    ("A list is due early next month.", "2025-05-01", "2025-05-10", "period"),
    ("It launched last week.", "2025-04-14", "2025-04-20", "period"),
    ("The deal was signed last September.", "2024-09", "", "month"),
    ("Details would be released in January.", "2026-01", "", "month"),
    ("The crew is in orbit since April 10, and will return.", "2025-04-10", "", "day"),
])
def test_house_styles(text: str, date: str, date_end: str, precision: str) -> None:
    found = one(text)
    assert (found.date, found.date_end, found.precision) == (date, date_end, precision)


@pytest.mark.parametrize(("text", "words", "date", "date_end", "precision"), [
    ("They signed it in February of this year.", "February of this year", "2025-02", "", "month"),
    ("It flies in October of next year.", "October of next year", "2026-10", "", "month"),
    ("It was signed in February of 2025.", "February of 2025", "2025-02", "", "month"),
    ("It was signed at the end of February this year.", "the end of February this year", "2025-02-21",
     "2025-02-28", "period"),
    ("It was signed in late February 2025.", "late February 2025", "2025-02-21", "2025-02-28", "period"),
    ("It will fly in early October of next year.", "early October of next year", "2026-10-01",
     "2026-10-10", "period"),
    ("It was signed in mid-February, 2024.", "mid-February, 2024", "2024-02-11", "2024-02-20", "period"),
])
def test_a_year_after_a_month_is_part_of_its_date(text: str, words: str, date: str, date_end: str,
                                                  precision: str) -> None:
    """"February of this year" is one date, not a month and a year (which read as two events)."""
    found = one(text)
    assert (found.text, found.date, found.date_end, found.precision) == (words, date, date_end, precision)


def test_a_relative_day_is_anchored_in_its_sentence() -> None:
    found = resolve_dates("They landed on April 20, after a delay announced the previous day.", PUBLISHED)
    assert [(r.text, r.date) for r in found] == [("April 20", "2025-04-20"),
                                                 ("the previous day", "2025-04-19")]
    assert found[1].anchor.startswith("April 20")


def test_a_recognised_date_without_a_month_is_kept_unresolved() -> None:
    found = one("The review is set for the 15th.")
    assert (found.date, found.precision) == ("", "unresolved")
    _, day = resolve_dates("In March, talks began; they ended on the 15th.", PUBLISHED)
    assert (day.date, day.precision) == ("2025-03-15", "day")  # the month named before it


def test_long_march_is_no_month() -> None:
    assert resolve_dates("It flew on a Long March 2F rocket.", PUBLISHED) == []
