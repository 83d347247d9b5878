"""A timetable year's coverage: per requirement and category, members due, planned, still due."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from models import Member, Requirement, Scenario, requirement_windows, window_shortfall
from models.dates import DateRange

from .timetable_tables import COVERAGE_COLUMNS


@dataclass(frozen=True)
class _Completion:
    course: str
    day: dt.date
    hours: float


def coverage_table(
    scenario: Scenario, pairs: list[tuple[str, str]], year: int, unit: str | None = None
) -> pd.DataFrame:
    """Per requirement and category: members due this year, planned this year, still due.

    A member counts for a requirement in the year when one of their windows of it overlaps
    the year. They are *due* when such a window is still short at the start of the year
    (history and the plan's earlier completions counted), *planned* when a due window gets a
    completion in the year, and *still due* when a window is short after the year.
    """
    done = _completions(scenario, pairs)
    span = DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31))
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for requirement in scenario.requirements:
        for member in scenario.members:
            if (unit is not None and member.unit != unit) or not requirement.who.matches(member):
                continue
            state = _member_coverage(scenario, requirement, member, done[member.id], span)
            if state is None:
                continue
            tally = counts[(requirement.id, member.category)]
            for position, flag in enumerate((True, *state)):
                tally[position] += int(flag)
    rows = [
        {
            "requirement": requirement_id,
            "requirement_label": scenario.requirement_by_id[requirement_id].label or "",
            "category": category,
            "members": tally[0],
            "due": tally[1],
            "planned": tally[2],
            "still_due": tally[3],
        }
        for (requirement_id, category), tally in counts.items()
    ]
    order = {r.id: i for i, r in enumerate(scenario.requirements)}
    rows.sort(key=lambda row: (order[str(row["requirement"])], str(row["category"])))
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def _completions(scenario: Scenario, pairs: list[tuple[str, str]]) -> dict[str, list[_Completion]]:
    """Each member's completions: history rows and the plan's assignments."""
    done: dict[str, list[_Completion]] = defaultdict(list)
    for row in scenario.history:
        course = scenario.course_by_id.get(row.course)
        if course is not None:
            done[row.member].append(_Completion(row.course, row.date, course.hours))
    for member_id, session_id in pairs:
        session = scenario.session_by_id[session_id]
        done[member_id].append(
            _Completion(session.course, session.start, scenario.session_hours(session))
        )
    return done


def _member_coverage(
    scenario: Scenario,
    requirement: Requirement,
    member: Member,
    done: list[_Completion],
    span: DateRange,
) -> tuple[bool, bool, bool] | None:
    """``(due, planned, still_due)`` of one member in the year, or None if no window meets it."""
    windows = [
        w
        for w in requirement_windows(scenario, requirement, member)
        if w.touches(span.start, span.end)
    ]
    if not windows:
        return None
    due = planned = still_due = False
    for window in windows:
        counted = [
            c
            for c in done
            if window.start <= c.day <= window.end and requirement.counts_course(c.course)
        ]
        before = [c for c in counted if c.day < span.start]
        through = [c for c in counted if c.day <= span.end]
        short_before = _shortfall(requirement, before) > 0
        due |= short_before
        planned |= short_before and len(through) > len(before)
        still_due |= _shortfall(requirement, through) > 0
    return due, planned, still_due


def _shortfall(requirement: Requirement, completions: list[_Completion]) -> int:
    """The window's shortfall, from the completions counted in it."""
    done = sum(c.hours for c in completions) if requirement.is_hours else len(completions)
    return window_shortfall(requirement, done)
