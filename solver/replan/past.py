"""The past from the previous plan: which attendances stay assignments, which become
history, and which belong to members who left."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from checker import Violation, check_plan
from models import Eligibility, Problem, Scenario, ScenarioError, team_rules

from .inputs import Completion, SessionInfo
from .report import AssignmentChange, Attendance, HistoryEntry


def session_infos(
    scenario: Scenario, previous_sessions: Mapping[str, SessionInfo]
) -> dict[str, SessionInfo]:
    """Every session either scenario knows; the new scenario's word wins."""
    infos = dict(previous_sessions)
    infos.update({s.id: SessionInfo(s.course, s.start) for s in scenario.sessions})
    return infos


def starts_before(info: SessionInfo | None, from_date: dt.date) -> bool:
    # A session known to neither scenario was cancelled: nothing of it happened. A session
    # that began before the date and still runs on it has started: it is past too.
    return info is not None and info.start < from_date


def completed_status(
    completed: list[Completion], infos: Mapping[str, SessionInfo], from_date: dt.date
) -> dict[tuple[str, str], str]:
    """The completed file as ``(member, session) -> status``, refusing rows it cannot mean."""
    status, problems = {}, []
    for row in completed:
        info = infos.get(row.session_id)
        where = row.where or f"completed: {row.member_id}/{row.session_id}"
        if info is None:
            problems.append(Problem(where, f"unknown session {row.session_id!r}"))
        elif info.start >= from_date:
            problems.append(
                Problem(
                    where,
                    f"session {row.session_id} starts {info.start}, not before {from_date}: "
                    "only past sessions can be attended or missed",
                )
            )
        else:
            status[(row.member_id, row.session_id)] = row.status
    if problems:
        raise ScenarioError(problems)
    return status


def sort_past(
    scenario: Scenario, attended: list[Attendance], infos: Mapping[str, SessionInfo]
) -> tuple[list[Attendance], list[tuple[Attendance, str]], list[AssignmentChange]]:
    """Past attendances to keep as assignments, to set aside as history (with why), and
    ``left`` changes for members the scenario no longer lists."""
    eligibility = Eligibility(scenario, team_rules(scenario), cache=False)
    kept, aside, left = [], [], []
    for attendance in attended:
        member = scenario.member_by_id.get(attendance.member_id)
        session_id = attendance.session_id
        if member is None:
            start = infos[session_id].start
            left.append(
                AssignmentChange(attendance.member_id, session_id, "left", session_id, "", start)
            )
            continue
        if session_id not in scenario.session_by_id:
            aside.append((attendance, "the scenario no longer lists the session"))
            continue
        reasons = eligibility.reasons(member, scenario.session_by_id[session_id])
        if reasons:
            aside.append(
                (attendance, "no longer eligible: " + "; ".join(text for _, text in reasons))
            )
        else:
            kept.append(attendance)
    return kept, aside, left


def past_clashes(scenario: Scenario, kept: list[Attendance]) -> dict[Attendance, str]:
    """Past attendances that, pinned together, break a rule of ``scenario``; with why.

    The previous plan kept every rule, but the scenario as it is now may not hold it: a
    leaver shrinks a team and so its cap, a limit is lowered, the completed file adds an
    attendance the plan did not have. Such a clash would make every plan infeasible, so
    attendances are named for each broken rule (see ``_culprits``); the caller sets them
    aside as history and asks again until nothing clashes.
    """
    probe = scenario.model_copy(update={"requirements": [], "pinned": [], "strict": False})
    violations = check_plan(probe, [a.pair for a in kept]).violations
    clashes: dict[Attendance, str] = {}
    for violation in violations:
        for attendance in _culprits(scenario, kept, violation):
            clashes.setdefault(
                attendance, f"clashes with the scenario as it is now: {violation.message}"
            )
    return clashes


def _culprits(scenario: Scenario, kept: list[Attendance], violation: Violation) -> list[Attendance]:
    """The attendances to set aside so that a broken rule holds again (or comes closer).

    The later of two that overlap, lack the gap or repeat a course (the one the violation
    names); for a member's or a team's cap, rows of the completed file first, then the
    latest; for a mix share, the whole session.
    """
    if violation.member and violation.session:  # overlap, gap, repeat, together
        return [a for a in kept if a.pair == (violation.member, violation.session)]
    if violation.member:  # a day, hour or session cap of the member
        mine = [a for a in kept if a.member_id == violation.member]
        return [max(mine, key=_demotion_order(scenario))] if mine else []
    if violation.session:  # mix: only a different crowd would do, and the crowd is history
        return [a for a in kept if a.session_id == violation.session]
    if violation.day is not None:  # the team cap of that day
        return _team_cap_culprits(scenario, kept, violation.day)
    return []


def _team_cap_culprits(
    scenario: Scenario, kept: list[Attendance], day: dt.date
) -> list[Attendance]:
    """For each team over its cap on ``day``, the attendance to set aside first."""
    rules = team_rules(scenario)
    away: dict[str, list[Attendance]] = defaultdict(list)
    for attendance in kept:
        session = scenario.session_by_id[attendance.session_id]
        if scenario.is_away(session) and session.start <= day <= session.last_day:
            away[scenario.member_by_id[attendance.member_id].team].append(attendance)
    culprits = []
    for team, there in away.items():
        cap = rules[team].cap
        if cap is not None and len(there) > cap:
            culprits.append(max(there, key=_demotion_order(scenario)))
    return culprits


def _demotion_order(scenario: Scenario) -> Any:
    """Sort key: attendances the plan did not have come last, then the latest session."""

    def key(attendance: Attendance) -> tuple[bool, dt.date, str, str]:
        start = scenario.session_by_id[attendance.session_id].start
        return (
            attendance.source == "completed",
            start,
            attendance.session_id,
            attendance.member_id,
        )

    return key


def attendance_order(attendance: Attendance) -> tuple[str, str]:
    return (attendance.member_id, attendance.session_id)


def history_entries(
    scenario: Scenario,
    aside: list[tuple[Attendance, str]],
    infos: Mapping[str, SessionInfo],
) -> list[HistoryEntry]:
    """Attendances set aside as history rows, leaving out courses no longer planned and
    completions the scenario's history already holds."""
    existing = {(row.member, row.course, row.date) for row in scenario.history}
    entries = []
    for attendance, reason in aside:
        info = infos[attendance.session_id]
        key = (attendance.member_id, info.course, info.start)
        if info.course in scenario.course_by_id and key not in existing:
            existing.add(key)
            entries.append(
                HistoryEntry(*attendance.pair, info.course, info.start, attendance.source, reason)
            )
    return entries
