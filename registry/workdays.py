"""Working days as the State Council's notices define them: Monday to Friday, except public holidays, plus
the weekend days worked instead (调休). The review clock, the review-overdue ladder and deadlines count
with it.

The holiday table is read once per request or job (one query, a few hundred rows) and kept for it:
`working_calendar()`; the middleware and the Celery hook start each request and task afresh."""

import bisect
import contextvars
import datetime
from dataclasses import dataclass, field

_current: contextvars.ContextVar["WorkingCalendar | None"] = contextvars.ContextVar(
    "working_calendar", default=None
)


@dataclass(frozen=True)
class WorkingCalendar:
    holidays: frozenset = frozenset()  # weekdays off
    workdays: frozenset = frozenset()  # weekend days worked
    years: frozenset = frozenset()  # the years the table holds
    _off: list = field(default_factory=list, compare=False)
    _on: list = field(default_factory=list, compare=False)

    @classmethod
    def load(cls) -> "WorkingCalendar":
        from .models import CalendarDay

        holidays, workdays, years = set(), set(), set()
        for day, kind in CalendarDay.objects.values_list("day", "kind"):
            years.add(day.year)
            if kind == CalendarDay.Kind.HOLIDAY and day.weekday() < 5:
                holidays.add(day)
            elif kind == CalendarDay.Kind.WORKDAY and day.weekday() >= 5:
                workdays.add(day)
        return cls(
            frozenset(holidays), frozenset(workdays), frozenset(years), sorted(holidays), sorted(workdays)
        )

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end`."""
        if end <= start:
            return 0
        days = (end - start).days
        full_weeks, rest = divmod(days, 7)
        count = full_weeks * 5
        for offset in range(1, rest + 1):
            if (start + datetime.timedelta(days=full_weeks * 7 + offset)).weekday() < 5:
                count += 1
        return count - _within(self._off, start, end) + _within(self._on, start, end)

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The day on which `days` working days after `start` have passed."""
        day = start
        while days > 0:
            day += datetime.timedelta(days=1)
            days -= self.is_working_day(day)
        return day

    def knows(self, year: int) -> bool:
        return year in self.years


def _within(days: list, start: datetime.date, end: datetime.date) -> int:
    """How many of the sorted `days` fall after `start`, up to and including `end`."""
    return bisect.bisect_right(days, end) - bisect.bisect_right(days, start)


def working_calendar() -> WorkingCalendar:
    calendar = _current.get()
    if calendar is None:
        calendar = WorkingCalendar.load()
        _current.set(calendar)
    return calendar


def forget_calendar() -> None:
    """Read the table again at the next use: a new request, a new task, a day just edited."""
    _current.set(None)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    return working_calendar().working_days_between(start, end)


class CalendarMiddleware:
    """Each request reads the holiday table afresh (once, when it first counts working days)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(None)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
