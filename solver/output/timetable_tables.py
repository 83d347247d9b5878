"""The tables of a timetable year: calendar, rosters and unit lists, cut from a plan."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from models import Member, Scenario, Session

# What every table says of a session, in this order.
SESSION_COLUMNS = [
    "session_id",
    "course",
    "course_label",
    "start",
    "end",
    "days",
    "hours",
    "location",
]
CALENDAR_COLUMNS = ["month", *SESSION_COLUMNS, "attendees", "capacity", "status", "away"]
ROSTER_COLUMNS = [*SESSION_COLUMNS, "member_id", "member_name", "unit", "team", "tier", "category"]
UNIT_COLUMNS = ["unit", "member_id", "member_name", "team", "category", *SESSION_COLUMNS]
COVERAGE_COLUMNS = [
    "requirement",
    "requirement_label",
    "category",
    "members",
    "due",
    "planned",
    "still_due",
]


def _in_year(session: Session, year: int) -> bool:
    return session.start.year == year


def _year_pairs(
    scenario: Scenario, pairs: list[tuple[str, str]], year: int, unit: str | None
) -> list[tuple[Member, Session]]:
    """The year's assignments (of the unit's members), in date order."""
    chosen = []
    for member_id, session_id in pairs:
        member = scenario.member_by_id[member_id]
        session = scenario.session_by_id[session_id]
        if _in_year(session, year) and (unit is None or member.unit == unit):
            chosen.append((member, session))
    chosen.sort(key=lambda pair: (pair[1].start, pair[1].id, pair[0].unit, pair[0].id))
    return chosen


def calendar_table(
    scenario: Scenario, pairs: list[tuple[str, str]], year: int, unit: str | None = None
) -> pd.DataFrame:
    """One row per session starting in the year, by date: when, where, how full.

    For a unit, only the sessions its members attend, with ``unit_attendees`` beside the
    session's total.
    """
    attendees: dict[str, int] = defaultdict(int)
    of_unit: dict[str, int] = defaultdict(int)
    for member_id, session_id in pairs:
        attendees[session_id] += 1
        if unit is not None and scenario.member_by_id[member_id].unit == unit:
            of_unit[session_id] += 1
    rows = []
    for session in sorted(scenario.sessions, key=lambda s: (s.start, s.id)):
        if not _in_year(session, year) or (unit is not None and not of_unit[session.id]):
            continue
        row = {
            "month": session.start.month,
            **_session_cells(scenario, session),
            "attendees": attendees[session.id],
            "capacity": session.capacity,
            "status": "runs" if attendees[session.id] else "cancelled",
            "away": scenario.is_away(session),
        }
        if unit is not None:
            row["unit_attendees"] = of_unit[session.id]
        rows.append(row)
    columns = CALENDAR_COLUMNS + (["unit_attendees"] if unit is not None else [])
    return pd.DataFrame(rows, columns=columns)


def _session_cells(scenario: Scenario, session: Session) -> dict[str, object]:
    """The ``SESSION_COLUMNS`` of one session."""
    course = scenario.course_of(session)
    return {
        "session_id": session.id,
        "course": course.id,
        "course_label": course.title,
        "start": session.start,
        "end": session.last_day,
        "days": session.days,
        "hours": _number(scenario.session_hours(session)),
        "location": session.location or "",
    }


def roster_table(
    scenario: Scenario, pairs: list[tuple[str, str]], year: int, unit: str | None = None
) -> pd.DataFrame:
    """One row per attendee of each session starting in the year, grouped by session."""
    return _assignment_frame(scenario, pairs, year, unit)[ROSTER_COLUMNS]


def unit_table(
    scenario: Scenario, pairs: list[tuple[str, str]], year: int, unit: str | None = None
) -> pd.DataFrame:
    """Per unit, who goes where and when in the year: one row per member and session."""
    frame = _assignment_frame(scenario, pairs, year, unit)[UNIT_COLUMNS]
    return frame.sort_values(["unit", "member_id", "start"], kind="stable").reset_index(drop=True)


def _assignment_frame(
    scenario: Scenario, pairs: list[tuple[str, str]], year: int, unit: str | None
) -> pd.DataFrame:
    """The year's assignments in date order, with every column rosters and unit lists show."""
    rows = []
    for member, session in _year_pairs(scenario, pairs, year, unit):
        rows.append(
            {
                **_session_cells(scenario, session),
                "member_id": member.id,
                "member_name": member.name or "",
                "unit": member.unit,
                "team": member.team,
                "tier": member.tier,
                "category": member.category,
            }
        )
    columns = list(dict.fromkeys(ROSTER_COLUMNS + UNIT_COLUMNS))
    return pd.DataFrame(rows, columns=columns)


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value
