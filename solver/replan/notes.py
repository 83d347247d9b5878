"""The notes of a re-plan: what the planner should know of how the past entered it."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from models import Scenario

from .inputs import SessionInfo
from .report import AssignmentChange, Attendance

SHOWN = 5  # examples a note lists before it says how many more there are


def past_notes(
    scenario: Scenario,
    from_date: dt.date,
    kept: list[Attendance],
    aside: list[tuple[Attendance, str]],
    left: list[AssignmentChange],
    infos: Mapping[str, SessionInfo],
) -> list[str]:
    """What the planner should know of how the past entered the plan."""
    completed = sum(1 for a in kept if a.source == "completed")
    notes = [
        f"{len(kept)} past attendance(s) ({completed} from the completed file) are assignments "
        "of the plan: they count toward every limit, gap and team cap"
    ]
    if left:
        who = sorted({c.member_id for c in left})
        notes.append(
            f"{len(left)} past attendance(s) of {len(who)} member(s) who left are not in the "
            f"plan: {_listed(who)}"
        )
    notes += _aside_notes(scenario, aside, infos)
    notes += _size_notes(scenario, kept)
    past = {s.id for s in scenario.sessions if s.start < from_date}
    held = {a.pair for a in kept}
    dropped = [
        row
        for row in scenario.pinned
        if row.session in past and (row.member, row.session) not in held
    ]
    if dropped:
        notes.append(
            f"{len(dropped)} pinned row(s) of sessions before {from_date} that did not happen "
            "as pinned dropped"
        )
    return notes


def _aside_notes(
    scenario: Scenario, aside: list[tuple[Attendance, str]], infos: Mapping[str, SessionInfo]
) -> list[str]:
    """Past attendances that became history, by why; courses no longer offered."""
    courses = {infos[a.session_id].course for a, _ in aside}
    gone = sorted(courses - set(scenario.course_by_id))
    by_why: dict[str, list[str]] = defaultdict(list)
    for attendance, reason in aside:
        if infos[attendance.session_id].course in gone:
            continue  # not history either: see the last note
        kind = reason.split(":")[0]
        by_why[kind].append(f"{attendance.member_id} at {attendance.session_id}")
    notes = [
        f"{len(rows)} past attendance(s) are history, not assignments ({kind}): {_listed(rows)}"
        for kind, rows in by_why.items()
    ]
    if gone:
        notes.append(f"attendances of courses no longer offered are not history: {', '.join(gone)}")
    return notes


def _size_notes(scenario: Scenario, kept: list[Attendance]) -> list[str]:
    """Held sessions whose attendance broke their size: the scenario as solved takes it."""
    count = Counter(a.session_id for a in kept)
    notes = []
    for session_id, attendees in sorted(count.items()):
        session = scenario.session_by_id[session_id]
        if attendees < session.min_size:
            notes.append(
                f"{session_id} was held with {attendees} attendee(s), fewer than its min_size "
                f"{session.min_size}: its min_size is {attendees} in the scenario as solved"
            )
        if attendees > session.capacity:
            notes.append(
                f"{session_id} was held with {attendees} attendees for {session.capacity} seats: "
                f"its capacity is {attendees} in the scenario as solved"
            )
    return notes


def _listed(items: Sequence[str]) -> str:
    """The first few items, and how many more there are."""
    shown = ", ".join(items[:SHOWN])
    return shown if len(items) <= SHOWN else f"{shown} and {len(items) - SHOWN} more"
