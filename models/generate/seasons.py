"""The company's calendar: holidays, peak seasons and the working weeks sessions fit in."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from .company import DateSpan

# Spring Festival (正月初一) by year; the holiday runs from New Year's Eve for a week.
SPRING_FESTIVAL = {
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3),
    2031: dt.date(2031, 1, 23),
    2032: dt.date(2032, 2, 11),
    2033: dt.date(2033, 1, 31),
    2034: dt.date(2034, 2, 19),
    2035: dt.date(2035, 2, 8),
}


def closed_days(start_year: int, years: int) -> list[tuple[DateSpan, str]]:
    """Spring Festival week, Labour Day and National Day of every year of the horizon."""
    closed = []
    for year in range(start_year, start_year + years):
        festival = SPRING_FESTIVAL.get(year)
        if festival is None:
            # Beyond the table, a week in mid-February stands in for the festival.
            spring = (dt.date(year, 2, 10), dt.date(year, 2, 17))
        else:
            spring = (festival - dt.timedelta(days=1), festival + dt.timedelta(days=6))
        closed.append((spring, "春节"))
        closed.append(((dt.date(year, 5, 1), dt.date(year, 5, 5)), "劳动节"))
        closed.append(((dt.date(year, 10, 1), dt.date(year, 10, 7)), "国庆节"))
    return closed


def peak_blackouts(horizon: DateSpan) -> list[DateSpan]:
    """Summer peak (July-August) and winter peak (15 December to end of February)."""
    first, last = horizon[0].year, horizon[1].year
    spans = []
    for year in range(first - 1, last + 1):
        winter = (dt.date(year, 12, 15), dt.date(year + 1, 3, 1) - dt.timedelta(days=1))
        summer = (dt.date(year + 1, 7, 1), dt.date(year + 1, 8, 31))
        spans.extend([winter, summer])
    return [clip(span, horizon) for span in spans if overlaps(span, horizon)]


def overlaps(a: DateSpan, b: DateSpan) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def clip(span: DateSpan, horizon: DateSpan) -> DateSpan:
    return max(span[0], horizon[0]), min(span[1], horizon[1])


def start_days(year: int, month: int, days: int, closed: Sequence[DateSpan]) -> list[dt.date]:
    """Start days in a month for a session of ``days`` working days, Monday to Friday.

    December sessions end before the winter peak of 15 December, so that operations teams
    can still attend.
    """
    starts = []
    day = dt.date(year, month, 1)
    while day.month == month:
        end = day + dt.timedelta(days=days - 1)
        if (
            day.weekday() + days <= 5
            and end.month == month
            and not (month == 12 and end.day >= 15)
            and not any(overlaps((day, end), span) for span in closed)
        ):
            starts.append(day)
        day += dt.timedelta(days=1)
    return starts


def spread_months(rng: random.Random, months: Sequence[int], count: int) -> list[int]:
    """``count`` months from ``months``, each used about equally often, in calendar order."""
    chosen: list[int] = []
    while len(chosen) < count:
        batch = list(months)
        rng.shuffle(batch)
        chosen.extend(batch[: count - len(chosen)])
    return sorted(chosen)
