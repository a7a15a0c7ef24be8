"""Events over the seed: resolution of the article's own dates, clock times and statuses."""

import pytest


@pytest.fixture
def seed_events(seed_facts):
    return seed_facts["events"]


def test_clock_time_with_two_zones_resolves_to_one_utc_instant(seed_events) -> None:
    events = seed_events
    timed = events[events.time_utc != ""]
    assert len(timed) == 1
    row = timed.iloc[0]
    assert row.time_utc == "2025-04-24T09:17Z"  # 17:17 in Beijing (UTC+8) = 05:17 in New York (EDT)
    assert row.time_check.startswith("consistent")
    assert row.status == "scheduled"


def test_statuses_of_the_article_dates(seed_events) -> None:
    events = seed_events.set_index("evidence")
    assert events.loc["Tuesday", "status"] == "reported"
    assert events.loc["April 29", ["date", "status"]].tolist() == ["2025-04-29", "scheduled"]
    assert events.loc["next month", ["date", "status"]].tolist() == ["2025-05", "planned"]
    assert events.loc["October next year", ["date", "status"]].tolist() == ["2026-10", "planned"]
    assert events.loc["February", ["date", "status"]].tolist() == ["2025-02", "reported"]
    assert events.loc["December", ["date", "status"]].tolist() == ["2024-12", "reported"]
