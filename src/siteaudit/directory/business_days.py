"""Business-day arithmetic: weekends and US federal + Oregon state holidays skipped.

Holidays come from the maintained ``holidays`` library, never a hand-typed list:
the union of the US federal calendar (``country_holidays("US")``, which has
Columbus Day) and the Oregon calendar (``country_holidays("US", subdiv="OR")``),
including observed days (a Saturday July 4th makes Friday July 3rd a holiday).

"N business days after day D" counts from the day after D: if someone leaves on
Wednesday 2026-11-25, the day before Thanksgiving, the three business days are
Friday 27th, Monday 30th and Tuesday December 1st.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

__all__ = ["BusinessCalendar", "DEFAULT_CALENDAR"]


@dataclass
class BusinessCalendar:
    """Weekends plus the public holidays of ``country`` and each of ``subdivisions``.

    Holiday dates are loaded per year on first use, so any date range works
    and counting over years costs a set lookup per holiday, not per day.
    """

    country: str = "US"
    subdivisions: tuple[str, ...] = ("OR",)
    _loaded: list | None = field(default=None, init=False, repr=False)
    _by_year: dict[int, frozenset[date]] = field(default_factory=dict, init=False, repr=False)

    @property
    def _calendars(self) -> list:
        # Loaded on first use: importing ``holidays`` takes 0.1-0.2 s, which every command
        # (a crawl too) would pay at start-up, although only directory diffs count days.
        if self._loaded is None:
            import holidays

            self._loaded = [holidays.country_holidays(self.country)]
            self._loaded += [holidays.country_holidays(self.country, subdiv=s) for s in self.subdivisions]
        return self._loaded

    def holidays_in(self, year: int) -> frozenset[date]:
        """Every holiday date of ``year`` in any of the calendars (observed days included)."""
        days = self._by_year.get(year)
        if days is None:
            import holidays

            found: set[date] = set()
            for cal in self._calendars:
                found.update(d for d in holidays.country_holidays(cal.country, subdiv=cal.subdiv, years=year))
            days = self._by_year[year] = frozenset(found)
        return days

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name if ``day`` is one in any of the calendars, else None."""
        for cal in self._calendars:
            name = cal.get(day)
            if name:
                return name
        return None

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays_in(day.year)

    def add_business_days(self, start: date, n: int) -> date:
        """The date ``n`` business days after ``start`` (before it when ``n`` < 0).

        ``n == 0`` returns ``start`` itself, business day or not.
        """
        step = 1 if n >= 0 else -1
        day, left = start, abs(n)
        while left:
            day += timedelta(days=step)
            if self.is_business_day(day):
                left -= 1
        return day

    def business_days_between(self, start: date, end: date) -> int:
        """Business days in ``(start, end]``: 0 when ``end`` <= ``start``.

        This is "business days since ``start``" as of ``end``: the end date
        itself does not count, the as-of date does.
        """
        if end <= start:
            return 0
        days = (end - start).days
        weeks, rest = divmod(days, 7)
        count = weeks * 5  # every 7 consecutive days hold 5 weekdays
        for i in range(1, rest + 1):
            if (start + timedelta(days=weeks * 7 + i)).weekday() < 5:
                count += 1
        for year in range(start.year, end.year + 1):
            count -= sum(1 for d in self.holidays_in(year) if start < d <= end and d.weekday() < 5)
        return count

    def window_passed(self, start: date, as_of: date, window: int) -> bool:
        """True once more than ``window`` business days have gone by since ``start``."""
        return self.business_days_between(start, as_of) > window


DEFAULT_CALENDAR = BusinessCalendar()
