"""Dates and date ranges as SPEC.md writes them: ``YYYY-MM-DD`` and ``START/END``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ONE_DAY = dt.timedelta(days=1)
FIRST_YEAR, LAST_YEAR = 1900, 2199


class DateRange(NamedTuple):
    """A closed range of days: both ``start`` and ``end`` are included."""

    start: dt.date
    end: dt.date

    def __str__(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def touches(self, start: dt.date, end: dt.date) -> bool:
        """True when the range shares at least one day with ``[start, end]``."""
        return not (end < self.start or start > self.end)

    def each_day(self) -> Iterator[dt.date]:
        return each_day(self.start, self.end)


def parse_date(value: Any) -> dt.date:
    """Read one ``YYYY-MM-DD`` date; YAML and TOML may already give a date."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise ValueError(f"expected a date, got a date and time {value.isoformat()!r}")
        return _in_years(value.date())
    if isinstance(value, dt.date):
        return _in_years(value)
    text = str(value).strip()
    if text.endswith(" 00:00:00"):  # spreadsheet cells read as text
        text = text[: -len(" 00:00:00")]
    if not _ISO_DATE.match(text):
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return _in_years(dt.date.fromisoformat(text))
    except ValueError as error:
        if str(error).startswith(f"{text!r}"):
            raise
        raise ValueError(f"{text!r} is not a real date ({error})") from None


def _in_years(day: dt.date) -> dt.date:
    """Dates far from today are typos (2926 for 2026), and would overflow date arithmetic."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"'{day}' is not in the years {FIRST_YEAR} to {LAST_YEAR}")
    return day


def parse_range(value: Any) -> DateRange:
    """Read ``START/END`` (both days included) or a single date."""
    if isinstance(value, DateRange):
        return value
    if isinstance(value, dict) and set(value) == {"start", "end"}:
        start, end = parse_date(value["start"]), parse_date(value["end"])
    elif isinstance(value, str) and "/" in value:
        first, _, last = value.partition("/")
        start, end = parse_date(first), parse_date(last)
    else:
        start = end = parse_date(value)
    if end < start:
        raise ValueError(f"range {start}/{end} ends before it starts")
    return DateRange(start, end)


def parse_ranges(value: Any) -> list[DateRange]:
    """Read a list of ranges: a list, or one string with ``;`` between ranges."""
    if value is None:
        return []
    if isinstance(value, str):
        items: Iterable[Any] = [part for part in value.split(";") if part.strip()]
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        items = [value]
    return [parse_range(item.strip() if isinstance(item, str) else item) for item in items]


def each_day(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


def touches_any(start: dt.date, end: dt.date, ranges: Iterable[DateRange]) -> bool:
    return any(r.touches(start, end) for r in ranges)
