"""Business-day arithmetic around weekends and US federal / Oregon holidays."""

from datetime import date

import pytest

from siteaudit.directory.business_days import DEFAULT_CALENDAR as CAL, BusinessCalendar


def test_end_date_before_thanksgiving_skips_the_holiday():
    # Wed 2026-11-25 -> Thu 26 Thanksgiving (holiday), Fri 27, Mon 30, Tue Dec 1
    assert CAL.add_business_days(date(2026, 11, 25), 3) == date(2026, 12, 1)
    assert CAL.business_days_between(date(2026, 11, 25), date(2026, 12, 1)) == 3
    assert not CAL.window_passed(date(2026, 11, 25), date(2026, 12, 1), 3)
    assert CAL.window_passed(date(2026, 11, 25), date(2026, 12, 2), 3)


def test_observed_independence_day_on_friday_2026():
    # July 4th 2026 is a Saturday: Friday July 3rd is the observed holiday
    assert CAL.holiday_name(date(2026, 7, 3))
    assert CAL.add_business_days(date(2026, 7, 2), 1) == date(2026, 7, 6)
    assert CAL.business_days_between(date(2026, 7, 1), date(2026, 7, 7)) == 3  # Jul 2, 6, 7


def test_juneteenth_is_skipped():
    # Thu 2025-06-19 Juneteenth: from Wed 18th, three business days are Fri 20, Mon 23, Tue 24
    assert CAL.add_business_days(date(2025, 6, 18), 3) == date(2025, 6, 24)


def test_federal_only_holiday_columbus_day_is_included():
    # Columbus Day is federal, not an Oregon state holiday: the union skips it
    assert CAL.holiday_name(date(2026, 10, 12)) is not None
    assert not BusinessCalendar(subdivisions=()).is_business_day(date(2026, 10, 12))


def test_weekends_and_no_holiday():
    assert CAL.add_business_days(date(2026, 11, 13), 1) == date(2026, 11, 16)  # Fri -> Mon
    assert CAL.business_days_between(date(2026, 11, 13), date(2026, 11, 15)) == 0  # only the weekend


def test_veterans_day_and_counting_edges():
    assert CAL.business_days_between(date(2026, 11, 10), date(2026, 11, 12)) == 1  # 11th is a holiday
    assert CAL.business_days_between(date(2026, 11, 12), date(2026, 11, 12)) == 0
    assert CAL.business_days_between(date(2026, 11, 12), date(2026, 11, 1)) == 0  # end before start


@pytest.mark.parametrize("n", [1, 3, 5, 10])
def test_add_and_subtract_round_trip_on_business_days(n):
    start = date(2026, 12, 22)
    later = CAL.add_business_days(start, n)
    assert CAL.business_days_between(start, later) == n
    assert CAL.add_business_days(later, -n) == start


def test_christmas_and_new_year_across_years():
    # Thu 2026-12-24 -> Fri 25 Christmas, Mon 28, Tue 29, Wed 30
    assert CAL.add_business_days(date(2026, 12, 24), 3) == date(2026, 12, 30)
    # New Year's Day 2027 is a Friday
    assert CAL.add_business_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_counting_agrees_with_stepping_day_by_day_over_years():
    from datetime import timedelta

    start = date(2024, 12, 20)
    day, stepped = start, 0
    while day < date(2027, 1, 10):
        day += timedelta(days=1)
        stepped += CAL.is_business_day(day)
        if day.day in (1, 3, 17):  # a sample of end dates, weekends included
            assert CAL.business_days_between(start, day) == stepped, day


def test_holidays_come_from_the_library_for_any_year():
    assert date(2031, 11, 27) in CAL.holidays_in(2031)  # Thanksgiving 2031
    assert date(2031, 7, 4) in CAL.holidays_in(2031)
