"""Appeal deadlines: each rule of the table, month ends, summer time, hour by hour, holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from verifier.deadlines import (
    PARIS,
    PROCEDURES,
    add_months,
    deadline,
    easter_sunday,
    french_public_holidays,
    is_working_day,
)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc, arg-type]


def test_every_rule_names_its_source() -> None:
    assert set(PROCEDURES) == {"oqtf", "special", "priority", "refusal", "silence"}
    for rule in PROCEDURES.values():
        assert rule.source
        assert rule.title_fr
    assert PROCEDURES["silence"].before_source


def test_easter_and_the_holidays_it_moves() -> None:
    assert easter_sunday(2024) == date(2024, 3, 31)
    assert easter_sunday(2025) == date(2025, 4, 20)
    assert easter_sunday(2026) == date(2026, 4, 5)
    assert easter_sunday(2038) == date(2038, 4, 25)
    holidays = french_public_holidays(2026)
    assert len(holidays) == 11
    assert date(2026, 4, 6) in holidays  # Easter Monday
    assert date(2026, 5, 14) in holidays  # Ascension
    assert date(2026, 5, 25) in holidays  # Whit Monday
    assert not is_working_day(date(2026, 7, 14))
    assert is_working_day(date(2026, 7, 15))


def test_months_clamp_at_the_end_of_a_shorter_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 15), 2) == date(2027, 2, 15)
    assert add_months(date(2026, 8, 31), 4) == date(2026, 12, 31)


def test_oqtf_one_month_ends_at_midnight_paris() -> None:
    found = deadline("oqtf", paris(2026, 3, 10, 9, 30))  # Tuesday
    assert found.ends_at == paris(2026, 4, 10, 23, 59, 59)  # Friday
    assert not found.moved
    assert "L.911-1" in found.lines_fr()[0]


def test_a_notification_late_in_the_evening_counts_from_the_paris_day() -> None:
    # 23:30 UTC on 10 March is 00:30 Paris on the 11th: the Paris day counts.
    found = deadline("oqtf", datetime(2026, 3, 10, 23, 30, tzinfo=UTC))
    assert found.notified_at.date() == date(2026, 3, 11)
    assert found.ends_at.date() == date(2026, 4, 13)  # 11 April is a Saturday -> Monday 13


def test_month_end_clamps_then_moves_off_the_weekend() -> None:
    found = deadline("oqtf", paris(2026, 1, 31, 10, 0))
    assert found.unmoved_end == date(2026, 2, 28)  # a Saturday
    assert found.ends_at == paris(2026, 3, 2, 23, 59, 59)  # Monday
    assert found.moved
    assert any("642" in line for line in found.lines_fr())


def test_a_holiday_moves_the_last_day() -> None:
    # Notified 14 June 2026: one month later is Tuesday 14 July, the national holiday.
    found = deadline("oqtf", paris(2026, 6, 14, 12, 0))
    assert found.ends_at.date() == date(2026, 7, 15)
    # Easter Monday 2026 (6 April): a refusal notified 6 February, two months.
    found = deadline("refusal", paris(2026, 2, 6, 12, 0))
    assert found.unmoved_end == date(2026, 4, 6)
    assert found.ends_at.date() == date(2026, 4, 7)


def test_refusal_without_oqtf_two_months() -> None:
    found = deadline("refusal", paris(2026, 9, 15, 16, 0))
    assert found.ends_at == paris(2026, 11, 16, 23, 59, 59)  # 15 Nov 2026 is a Sunday


def test_silence_four_months_then_two() -> None:
    found = deadline("silence", paris(2026, 1, 12, 10, 0))
    assert found.implicit_decision_on == date(2026, 5, 12)
    assert found.ends_at.date() == date(2026, 7, 13)  # 12 July 2026 is a Sunday
    assert any("refus implicite" in line.lower() for line in found.lines_fr())


def test_special_procedure_counts_seven_days_hour_by_hour() -> None:
    found = deadline("special", paris(2026, 6, 3, 14, 27))
    assert found.ends_at == paris(2026, 6, 10, 14, 27)
    assert found.ends_at - found.notified_at == timedelta(days=7)


def test_hour_by_hour_never_moves_off_a_weekend() -> None:
    found = deadline("priority", paris(2026, 7, 10, 18, 5))  # Friday evening
    assert found.ends_at == paris(2026, 7, 12, 18, 5)  # Sunday
    assert not found.moved


def test_hour_by_hour_across_the_change_to_summer_time() -> None:
    # 29 March 2026 at 02:00 Paris becomes 03:00: 48 elapsed hours end at 19:00, not 18:00.
    found = deadline("priority", paris(2026, 3, 28, 18, 0))
    assert found.ends_at == paris(2026, 3, 30, 19, 0)
    assert found.ends_at.astimezone(UTC) - found.notified_at.astimezone(UTC) == timedelta(hours=48)


def test_hour_by_hour_across_the_change_to_winter_time() -> None:
    # 25 October 2026 at 03:00 Paris becomes 02:00: seven days of hours end an hour earlier.
    found = deadline("special", paris(2026, 10, 20, 12, 0))
    assert found.ends_at == paris(2026, 10, 27, 11, 0)
    assert found.ends_at_utc - found.notified_at.astimezone(UTC) == timedelta(hours=168)


def test_month_deadline_across_a_dst_change_still_ends_at_midnight() -> None:
    found = deadline("oqtf", paris(2026, 3, 3, 11, 0))
    assert found.ends_at == paris(2026, 4, 3, 23, 59, 59)
    assert found.ends_at.utcoffset() == timedelta(hours=2)


def test_refuses_a_naive_time_and_an_unknown_procedure() -> None:
    with pytest.raises(ValueError, match="zone"):
        deadline("oqtf", datetime(2026, 3, 3, 11, 0))
    with pytest.raises(KeyError):
        deadline("nope", paris(2026, 3, 3, 11, 0))
