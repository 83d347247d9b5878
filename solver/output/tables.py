"""The plan's tables: assignments, sessions, members and unmet windows, as DataFrames."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import pandas as pd

from models import Requirement, Scenario, requirement_windows
from models.dates import each_day

from ..explain.messages import CATALOGUE, Renderer, note

if TYPE_CHECKING:
    from ..engine import Plan


def assignments_table(scenario: Scenario, pairs: list[tuple[str, str]]) -> pd.DataFrame:
    """One row per assignment: ``member_id,session_id`` first, then what a planner reads."""
    rows = []
    for member_id, session_id in pairs:
        member = scenario.member_by_id[member_id]
        session = scenario.session_by_id[session_id]
        course = scenario.course_by_id[session.course]
        rows.append(
            {
                "member_id": member_id,
                "session_id": session_id,
                "course": course.id,
                "start": session.start.isoformat(),
                "end": session.last_day.isoformat(),
                "hours": _number(scenario.session_hours(session)),
                "year": session.start.year,
                "member_name": member.name or "",
                "unit": member.unit,
                "team": member.team,
                "course_label": course.label or "",
                "location": session.location or "",
            }
        )
    columns = [
        "member_id",
        "session_id",
        "course",
        "start",
        "end",
        "hours",
        "year",
        "member_name",
        "unit",
        "team",
        "course_label",
        "location",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["start", "session_id", "member_id"], kind="stable").reset_index(
        drop=True
    )


def sessions_table(scenario: Scenario, pairs: list[tuple[str, str]]) -> pd.DataFrame:
    """One row per session: runs or cancelled, attendees, capacity and cost."""
    attendees: dict[str, int] = defaultdict(int)
    for _, session_id in pairs:
        attendees[session_id] += 1
    rows = []
    for session in scenario.sessions:
        count = attendees.get(session.id, 0)
        course = scenario.course_by_id[session.course]
        rows.append(
            {
                "session_id": session.id,
                "course": course.id,
                "course_label": course.label or "",
                "start": session.start.isoformat(),
                "end": session.last_day.isoformat(),
                "status": "runs" if count else "cancelled",
                "attendees": count,
                "capacity": session.capacity,
                "min_size": session.min_size,
                "cost": session.seat_cost * count + (session.fixed_cost if count else 0),
                "location": session.location or "",
            }
        )
    return pd.DataFrame(rows)


def members_table(scenario: Scenario, pairs: list[tuple[str, str]]) -> pd.DataFrame:
    """Per member and year: days away, class hours, sessions, and progress per requirement.

    Per requirement one column counts what falls in the member's windows of it, in the
    year it happens, from the plan and history: ``completions_<requirement>`` the sessions
    of its courses, or, for a class-hours requirement, ``class_hours_<requirement>`` the
    hours of the sessions that count.
    """
    taken: dict[str, list] = defaultdict(list)
    for member_id, session_id in pairs:
        taken[member_id].append(scenario.session_by_id[session_id])
    history: dict[str, list] = defaultdict(list)
    for entry in scenario.history:
        history[entry.member].append(
            (entry.course, entry.date, scenario.course_by_id[entry.course].hours)
        )
    rows = []
    for member in scenario.members:
        sessions = taken.get(member.id, [])
        done = [(s.course, s.start, scenario.session_hours(s)) for s in sessions]
        done += history.get(member.id, [])
        for year in scenario.years:
            away_days = sum(
                1
                for s in sessions
                if scenario.is_away(s)
                for day in each_day(s.start, s.last_day)
                if day.year == year
            )
            row: dict[str, str | float | int] = {
                "member_id": member.id,
                "year": year,
                "days_away": away_days,
                "hours": _number(
                    sum(scenario.session_hours(s) for s in sessions if s.start.year == year)
                ),
                "sessions": sum(1 for s in sessions if s.start.year == year),
            }
            for requirement in scenario.requirements:
                count = 0.0
                if requirement.who.matches(member):
                    for window in requirement_windows(scenario, requirement, member):
                        count += sum(
                            hours if requirement.is_hours else 1
                            for course, day, hours in done
                            if day.year == year
                            and window.start <= day <= window.end
                            and requirement.counts_course(course)
                        )
                row[progress_column(requirement)] = _number(count)
            rows.append(row)
    return pd.DataFrame(rows)


def progress_column(requirement: Requirement) -> str:
    """``members.csv``'s column for a requirement, named for what it counts."""
    kind = "class_hours" if requirement.is_hours else "completions"
    return f"{kind}_{requirement.id}"


def unmet_table(plan: Plan, lang: str = "en") -> pd.DataFrame:
    """``unmet.csv``: one row per unmet window, with names, labels, cause and reason.

    ``cause`` is the code for grouping and filtering; ``cause_text`` and ``reason`` are in
    the language asked for.
    """
    scenario = plan.scenario
    text = Renderer(scenario, lang)
    rows = []
    for unmet in plan.unmet:
        member = scenario.member_by_id[unmet.member_id]
        requirement = scenario.requirement_by_id[unmet.requirement_id]
        cause = f"cause.{unmet.cause}"
        rows.append(
            {
                "member_id": member.id,
                "member_name": member.name or "",
                "unit": member.unit,
                "unit_name": scenario.unit_names.get(member.unit, ""),
                "team": member.team,
                "requirement_id": requirement.id,
                "requirement_label": requirement.label or "",
                "window_start": unmet.window_start.isoformat(),
                "window_end": unmet.window_end.isoformat(),
                "shortfall": unmet.shortfall,
                "weight": unmet.weight,
                "cause": unmet.cause,
                "cause_text": text(note(cause)) if cause in CATALOGUE else "",
                "reason": text(unmet.note) if unmet.note is not None else unmet.reason,
            }
        )
    return pd.DataFrame(rows, columns=UNMET_COLUMNS)


UNMET_COLUMNS = [
    "member_id",
    "member_name",
    "unit",
    "unit_name",
    "team",
    "requirement_id",
    "requirement_label",
    "window_start",
    "window_end",
    "shortfall",
    "weight",
    "cause",
    "cause_text",
    "reason",
]


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value
