"""The rules of one member's own attendances: overlap and ``min_gap_days``, courses taken
twice, and the caps of ``limits`` (days, hours and sessions)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from models import Scenario, Session, member_limits
from models.dates import each_day
from models.rules import history_in_horizon

from .plan_index import EPSILON, PlanIndex
from .report import Violation


def away_overlap_and_gap(plan: PlanIndex) -> Iterator[Violation]:
    """``overlap`` (two away sessions sharing a day) and ``min_gap`` (too few free days)."""
    scenario = plan.scenario
    for member_id, sessions in plan.by_member.items():
        away = [s for s in sessions if scenario.is_away(s)]
        gap = member_limits(scenario, scenario.member_by_id[member_id]).min_gap_days
        for i, earlier in enumerate(away):
            for later in away[i + 1 :]:
                if later.start <= earlier.last_day:
                    yield Violation(
                        "overlap",
                        f"{member_id} attends {earlier.id} and {later.id}, which share days",
                        member_id,
                        later.id,
                        later.start,
                    )
                elif gap is not None and (later.start - earlier.last_day).days - 1 < gap:
                    free = (later.start - earlier.last_day).days - 1
                    yield Violation(
                        "min_gap",
                        f"{member_id} has {free} free day(s) between {earlier.id} and {later.id}, fewer than min_gap_days {gap}",
                        member_id,
                        later.id,
                        later.start,
                    )


def non_repeatable(plan: PlanIndex) -> Iterator[Violation]:
    """``repeat``: a non-repeatable course twice, or once after a completion in the horizon."""
    scenario = plan.scenario
    done_before = history_in_horizon(scenario)
    for member_id, sessions in plan.by_member.items():
        by_course: dict[str, list[Session]] = defaultdict(list)
        for session in sessions:
            by_course[session.course].append(session)
        for course_id, taken in by_course.items():
            if scenario.course_by_id[course_id].repeatable:
                continue
            if len(taken) > 1:
                names = ", ".join(s.id for s in taken)
                yield Violation(
                    "repeat",
                    f"{member_id} attends non-repeatable {course_id} {len(taken)} times ({names})",
                    member_id,
                    taken[1].id,
                    taken[1].start,
                )
            if (member_id, course_id) in done_before:
                yield Violation(
                    "repeat",
                    f"{member_id} attends non-repeatable {course_id} already completed in history",
                    member_id,
                    taken[0].id,
                    taken[0].start,
                )


def member_caps(plan: PlanIndex) -> Iterator[Violation]:
    """``max_days_per_year``, ``max_days_per_month``, ``max_hours_per_year`` and
    ``max_sessions_per_year``, member by member, in that order."""
    scenario = plan.scenario
    for member_id, sessions in plan.by_member.items():
        limits = member_limits(scenario, scenario.member_by_id[member_id])
        days_year, days_month = _away_days(scenario, sessions)
        hours_year, sessions_year = _hours_and_sessions(scenario, sessions)
        caps = (
            ("max_days_per_year", limits.max_days_per_year, days_year, "days away in"),
            ("max_days_per_month", limits.max_days_per_month, days_month, "days away in"),
            ("max_hours_per_year", limits.max_hours_per_year, hours_year, "class hours in"),
            ("max_sessions_per_year", limits.max_sessions_per_year, sessions_year, "sessions in"),
        )
        for rule, cap, counts, what in caps:
            if cap is not None:
                yield from _over_cap(member_id, rule, cap, counts, what)


def _away_days(
    scenario: Scenario, sessions: list[Session]
) -> tuple[Counter[int], Counter[tuple[int, int]]]:
    """Days away per year and per month: away sessions only, each day in its own month."""
    per_year: Counter[int] = Counter()
    per_month: Counter[tuple[int, int]] = Counter()
    for session in sessions:
        if scenario.is_away(session):
            for day in each_day(session.start, session.last_day):
                per_year[day.year] += 1
                per_month[(day.year, day.month)] += 1
    return per_year, per_month


def _hours_and_sessions(
    scenario: Scenario, sessions: list[Session]
) -> tuple[defaultdict[int, float], Counter[int]]:
    """Class hours and sessions per year: every session, in the year it starts."""
    # Class hours may be fractional (a 1.5-hour session), so they add up as floats.
    hours: defaultdict[int, float] = defaultdict(float)
    count: Counter[int] = Counter()
    for session in sessions:
        hours[session.start.year] += scenario.session_hours(session)
        count[session.start.year] += 1
    return hours, count


def _over_cap(
    member_id: str, rule: str, cap: float, counts: Mapping[Any, float], what: str
) -> Iterator[Violation]:
    """One violation per period (a year, or a ``(year, month)``) whose count is over ``cap``."""
    for period, used in sorted(counts.items()):
        if used > cap + EPSILON:
            label = f"{period[0]}-{period[1]:02d}" if isinstance(period, tuple) else str(period)
            yield Violation(
                rule,
                f"{member_id} has {_num(used)} {what} {label}, above {rule} {_num(cap)}",
                member_id,
            )


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
