"""Deriving the scenario to solve: past attendances pinned to their held sessions, the
previous plan set as ``previous``, and ``changes`` optimised right after ``unmet``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from models import Scenario, load_scenario
from models.dates import DateRange
from models.loader import LoadedScenario

from .inputs import Completion, SessionInfo
from .notes import past_notes
from .past import (
    attendance_order,
    completed_status,
    history_entries,
    past_clashes,
    session_infos,
    sort_past,
    starts_before,
)
from .report import Attendance, ChangeReport, HistoryEntry


def derive_scenario(
    scenario: Scenario,
    previous: list[tuple[str, str]],
    from_date: dt.date,
    completed: list[Completion],
    previous_sessions: Mapping[str, SessionInfo],
) -> tuple[LoadedScenario, ChangeReport]:
    """The scenario to solve: past attendances pinned to their held sessions, previous set.

    Past attendances of members who left become ``left`` changes of the report; those that
    cannot be assignments become history (see ``sort_past`` and ``past_clashes``).
    """
    infos = session_infos(scenario, previous_sessions)
    report = ChangeReport(from_date)
    status = completed_status(completed, infos, from_date)
    past = {pair for pair in previous if starts_before(infos.get(pair[1]), from_date)}
    report.missed = sum(1 for pair in past if status.get(pair) == "missed")
    attended = [
        Attendance(*pair, "plan")
        for pair in previous
        if pair in past and status.get(pair) != "missed"
    ]
    attended += [
        Attendance(*pair, "completed")
        for pair, said in status.items()
        if said == "attended" and pair not in past
    ]
    kept, aside, report.changes = sort_past(scenario, attended, infos)
    source: Path | None = getattr(scenario, "source", None)
    base_dir = source.resolve().parent if source else None
    while True:
        report.history = history_entries(scenario, aside, infos)
        derived = load_scenario(_document(scenario, from_date, kept, report.history), base_dir)
        clashes = past_clashes(derived, kept)
        if not clashes:
            break
        # Each round sets aside at least one attendance, so this ends; usually it never runs.
        kept = [a for a in kept if a not in clashes]
        aside += [(a, clashes[a]) for a in sorted(clashes, key=attendance_order)]
    report.past = kept
    held = {a.pair for a in kept}
    derived.previous = list(
        dict.fromkeys([p for p in previous if p not in past or p in held] + [a.pair for a in kept])
    )
    derived.source = source
    report.notes = past_notes(scenario, from_date, kept, aside, report.changes, infos)
    return derived, report


def _document(
    scenario: Scenario,
    from_date: dt.date,
    kept: list[Attendance],
    history: list[HistoryEntry],
) -> dict[str, Any]:
    """The derived scenario as a mapping for ``load_scenario``: no file is written.

    Past sessions somebody attended stay, held for exactly those members; past sessions
    nobody attended go (an empty audience could only be written as a selector matching
    no one). Pinned rows of past sessions give way to the attendances, and the scenario's
    history rows that record a kept attendance give way to the assignment itself.
    """
    document = scenario_document(scenario)
    attendees: dict[str, list[str]] = defaultdict(list)
    for attendance in kept:
        attendees[attendance.session_id].append(attendance.member_id)
    past = {s.id for s in scenario.sessions if s.start < from_date}
    document["sessions"] = [
        _held_session(row, attendees[row["id"]]) if row["id"] in past else row
        for row in document["sessions"]
        if row["id"] not in past or row["id"] in attendees
    ]
    document["pinned"] = [row for row in document.get("pinned") or [] if row["session"] not in past]
    document["pinned"] += [{"member": a.member_id, "session": a.session_id} for a in kept]
    recorded = _kept_completions(scenario, kept)
    document["history"] = [
        row
        for row in document.get("history") or []
        if (row["member"], row["course"], row["date"]) not in recorded
    ]
    document["history"] += [
        {"member": h.member_id, "course": h.course, "date": h.date} for h in history
    ]
    document["objective"] = changes_after_unmet(scenario.objective)
    return document


def _held_session(row: dict[str, Any], members: list[str]) -> dict[str, Any]:
    """A session that was held: open only to those who attended it, its size what it was.

    The session's own audience keeps its other keys, which every attendee matched (they were
    eligible); its ``members`` becomes the attendees, cut to those it already listed.
    """
    held = dict(row)
    audience = dict(row.get("audience") or {})
    listed = audience.get("members")
    audience["members"] = sorted(m for m in members if listed is None or m in listed)
    held["audience"] = audience
    # What happened happened: a session that ran smaller or fuller than planned stays valid.
    held["capacity"] = max(row["capacity"], len(members))
    held["min_size"] = min(row.get("min_size", 0), len(members))
    return held


def _kept_completions(scenario: Scenario, kept: list[Attendance]) -> set[tuple[str, str, Any]]:
    """``(member, course, start)`` of each kept attendance, as history rows would say it."""
    sessions = scenario.session_by_id
    return {
        (a.member_id, sessions[a.session_id].course, sessions[a.session_id].start) for a in kept
    }


def changes_after_unmet(objective: Sequence[str]) -> list[str]:
    """The objective with ``changes`` right after ``unmet`` (first when unmet is absent)."""
    order = [term for term in objective if term != "changes"]
    at = order.index("unmet") + 1 if "unmet" in order else 0
    return [*order[:at], "changes", *order[at:]]


def scenario_document(scenario: Scenario) -> dict[str, Any]:
    """A scenario as the mapping ``load_scenario`` reads, tables inline, without ``previous``.

    Built from the model objects rather than ``model_dump``, which turns date ranges into
    plain lists the loader would not take for ranges.
    """
    document = _plain(scenario)
    for key in ("source", "warnings", "previous"):
        document.pop(key, None)
    return document


def _plain(value: Any) -> Any:
    """Models as mappings under their aliases, ranges as ``START/END``, tuples as lists."""
    if isinstance(value, DateRange):
        return str(value)
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return {
            field.alias or name: _plain(getattr(value, name))
            for name, field in fields.items()
            if getattr(value, name) is not None
        }
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value
