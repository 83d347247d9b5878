"""The objective terms of SPEC.md, recomputed from a plan's assignments.

The window shortfall here is the checker's own, on purpose (the rest of rotaplan uses
``models.window_shortfall``), so that a defect in that formula cannot hide in the check.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from models import Scenario, requirement_windows
from models.scenario import HistoryRow

from .plan_index import EPSILON, PlanIndex
from .report import UnmetWindow


def plan_terms(scenario: Scenario, pairs: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Every objective term of a plan, without checking its rules."""
    return objective_terms(scenario, PlanIndex(scenario, list(pairs)))[0]


def objective_terms(
    scenario: Scenario, plan: PlanIndex
) -> tuple[dict[str, int], list[UnmetWindow]]:
    """Each term's value, and the unmet windows the ``unmet`` term adds up."""
    unmet_windows = list(_unmet_windows(scenario, plan))
    sessions = scenario.session_by_id
    previous = set(scenario.previous or ())
    terms = {
        "unmet": sum(w.weight * w.shortfall for w in unmet_windows),
        "changes": len(set(plan.pairs) ^ previous) if scenario.previous is not None else 0,
        "imbalance": _imbalance(scenario, plan),
        "attendances": sum(len(attendees) for attendees in plan.by_session.values()),
        "cost": sum(
            sessions[s].seat_cost * len(ms) + sessions[s].fixed_cost
            for s, ms in plan.by_session.items()
            if ms
        ),
        "avoid": sum(
            1
            for member_id, taken in plan.by_member.items()
            for session in taken
            if any(
                r.touches(session.start, session.last_day)
                for r in scenario.member_by_id[member_id].avoid
            )
        ),
    }
    return terms, unmet_windows


def _history_of(scenario: Scenario) -> dict[str, list[HistoryRow]]:
    rows: dict[str, list[HistoryRow]] = defaultdict(list)
    for row in scenario.history:
        rows[row.member].append(row)
    return rows


def _unmet_windows(scenario: Scenario, plan: PlanIndex) -> Iterator[UnmetWindow]:
    history = _history_of(scenario)
    for member in scenario.members:
        done = [
            (s.course, s.start, scenario.session_hours(s))
            for s in plan.by_member.get(member.id, ())
        ]
        done += [
            (r.course, r.date, scenario.course_by_id[r.course].hours)
            for r in history.get(member.id, ())
        ]
        by_course: dict[str, list[tuple[dt.date, float]]] = defaultdict(list)
        for course, day, hours in done:
            by_course[course].append((day, hours))
        for requirement in scenario.requirements:
            if not requirement.who.matches(member):
                continue
            # Only the completions of the courses the requirement counts.
            courses = requirement.courses if requirement.courses is not None else list(by_course)
            relevant = [item for course in courses for item in by_course.get(course, ())]
            for window in requirement_windows(scenario, requirement, member):
                counted = [hours for day, hours in relevant if window.start <= day <= window.end]
                if requirement.min_hours is not None:
                    short = max(0, math.ceil(requirement.min_hours - sum(counted) - EPSILON))
                else:
                    short = max(0, requirement.needed - len(counted))
                if short:
                    yield UnmetWindow(
                        member.id,
                        requirement.id,
                        window.start,
                        window.end,
                        short,
                        requirement.weight,
                    )


def _imbalance(scenario: Scenario, plan: PlanIndex) -> int:
    years = scenario.years
    total = 0
    for requirement in scenario.requirements:
        if not requirement.balance:
            continue
        first_year: Counter[int] = Counter()
        for member in scenario.members:
            if not requirement.who.matches(member):
                continue
            starts = [
                s.start
                for s in plan.by_member.get(member.id, ())
                if requirement.counts_course(s.course)
            ]
            if starts:
                first_year[min(starts).year] += 1
        planned = sum(first_year.values())
        total += sum(abs(len(years) * first_year[year] - planned) for year in years)
    return total
