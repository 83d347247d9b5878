"""Re-planning from a date: what happened stays, the rest moves as little as it must.

The previous plan's assignments to sessions that start before the date stay assignments of
the new plan (unless the completed-sessions file says the member missed them; attended rows
the plan did not have are added): each such session stays in the derived scenario, open
only to the members who attended it, and each attendance is pinned. So the past counts
toward every day, hour and session limit, every gap and every team cap of the new plan,
and the ``changes`` term sees it as kept. A past attendance that cannot be an assignment
any more (the scenario no longer lists the session, the member is no longer eligible, or
the past alone would break a rule of the scenario as it is now) becomes a ``history`` row.
From the date on, the previous plan is the ``previous`` of the derived scenario and
``changes`` is optimised right after ``unmet``. Requirements are recomputed from the new
scenario, so new members, members who left or changed category, and sessions cancelled or
added need no edit of the previous plan.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel

from checker import Violation, check_plan
from models import Problem, Scenario, ScenarioError, ineligibility, load_scenario, team_rules
from models.dates import DateRange
from models.loader import LoadedScenario

from .engine import SolveOptions, solve
from .folder import staged_folder
from .result import Plan
from .writer import write_plan_files

STATUSES = ("attended", "missed")
CHANGE_KINDS = ("added", "removed", "moved", "left")
CHANGE_COLUMNS = ["member_id", "session_id", "change", "from_session", "to_session", "start"]
HISTORY_COLUMNS = ["member_id", "session_id", "course", "date", "source", "reason"]
SHOWN = 5  # examples a note lists before it says how many more there are


@dataclass(frozen=True)
class SessionInfo:
    """What re-planning needs of a session: its course and first day."""

    course: str
    start: dt.date


@dataclass(frozen=True)
class Completion:
    """A row of the completed-sessions file: did the member attend the session?"""

    member_id: str
    session_id: str
    status: str  # attended or missed
    where: str = ""  # the file and row it came from, for messages


@dataclass(frozen=True)
class Attendance:
    """A member at a session before the re-plan date; ``source`` is ``plan`` or ``completed``."""

    member_id: str
    session_id: str
    source: str

    @property
    def pair(self) -> tuple[str, str]:
        return (self.member_id, self.session_id)


@dataclass(frozen=True)
class HistoryEntry:
    """A past attendance kept as a ``history`` row, and why it could not stay an assignment."""

    member_id: str
    session_id: str
    course: str
    date: dt.date
    source: str
    reason: str = ""


@dataclass(frozen=True)
class Change:
    """One difference between the previous plan and the new one.

    ``moved`` pairs a removal and an addition of one member in two sessions of the same
    course; its ``session_id`` is the session the member now attends. ``left`` is a past
    attendance of a member the new scenario no longer lists: the plan drops it, but it is no
    change of the plan from the re-plan date on, and the ``changes`` term does not count it.
    """

    member_id: str
    session_id: str
    change: str  # added, removed, moved or left
    from_session: str
    to_session: str
    start: dt.date | None


@dataclass
class ChangeReport:
    """What re-planning changed, and what it took from the past."""

    from_date: dt.date
    changes: list[Change] = field(default_factory=list)
    past: list[Attendance] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    missed: int = 0
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        tally = Counter(change.change for change in self.changes)
        return {kind: tally.get(kind, 0) for kind in CHANGE_KINDS}

    def per_member(self) -> dict[str, dict[str, int]]:
        table: dict[str, Counter[str]] = defaultdict(Counter)
        for change in self.changes:
            table[change.member_id][change.change] += 1
        return {member: dict(sorted(c.items())) for member, c in sorted(table.items())}

    def per_session(self) -> dict[str, dict[str, int]]:
        """Per session: members added, removed and left, and moved in or out of it."""
        table: dict[str, Counter[str]] = defaultdict(Counter)
        for change in self.changes:
            if change.change == "moved":
                table[change.from_session]["moved_out"] += 1
                table[change.to_session]["moved_in"] += 1
            else:
                table[change.session_id][change.change] += 1
        return {session: dict(sorted(c.items())) for session, c in sorted(table.items())}

    def frame(self) -> pd.DataFrame:
        """The ``changes.csv`` table."""
        rows = [
            {
                "member_id": c.member_id,
                "session_id": c.session_id,
                "change": c.change,
                "from_session": c.from_session,
                "to_session": c.to_session,
                "start": c.start.isoformat() if c.start else "",
            }
            for c in self.changes
        ]
        return pd.DataFrame(rows, columns=CHANGE_COLUMNS)

    def history_frame(self) -> pd.DataFrame:
        """The ``history.csv`` table: past attendances that are history, not assignments."""
        rows = [
            {
                "member_id": h.member_id,
                "session_id": h.session_id,
                "course": h.course,
                "date": h.date.isoformat(),
                "source": h.source,
                "reason": h.reason,
            }
            for h in self.history
        ]
        return pd.DataFrame(rows, columns=HISTORY_COLUMNS)

    def summary(self) -> dict[str, Any]:
        """The ``changes`` section of ``summary.json``."""
        return {
            "from": self.from_date.isoformat(),
            **self.counts(),
            "per_member": self.per_member(),
            "per_session": self.per_session(),
            "past_assignments": len(self.past),
            "past_from_completed": sum(1 for a in self.past if a.source == "completed"),
            "history_rows": len(self.history),
            "missed": self.missed,
            "notes": list(self.notes),
        }


def read_completed(path: str | Path) -> list[Completion]:
    """Read a completed-sessions CSV: ``member_id,session_id,status`` (attended or missed).

    Raises
    ------
    ScenarioError
        Naming each bad row, as a spreadsheet numbers it.
    """
    file = Path(path)
    if not file.is_file():
        raise ScenarioError([Problem(str(file), "no such file")])
    rows, problems = [], []
    with open(file, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [
            c for c in ("member_id", "session_id", "status") if c not in (reader.fieldnames or [])
        ]
        if missing:
            raise ScenarioError([Problem(file.name, f"missing column(s) {', '.join(missing)}")])
        for number, row in enumerate(reader, start=2):
            member, session = (row["member_id"] or "").strip(), (row["session_id"] or "").strip()
            status = (row["status"] or "").strip().lower()
            if not member or not session:
                problems.append(
                    Problem(f"{file.name} row {number}", "empty member_id or session_id")
                )
            elif status not in STATUSES:
                problems.append(
                    Problem(
                        f"{file.name} row {number}, column status",
                        f"status must be attended or missed, not {row['status']!r}",
                    )
                )
            else:
                rows.append(Completion(member, session, status, f"{file.name} row {number}"))
    if problems:
        raise ScenarioError(problems)
    return rows


def read_previous_sessions(plan_dir: str | Path) -> dict[str, SessionInfo]:
    """Course and start of the sessions a previous plan used, from its ``assignments.csv``.

    They let re-planning keep attendances of past sessions the new scenario no longer lists.
    """
    file = Path(plan_dir)
    file = file / "assignments.csv" if file.is_dir() else file
    frame = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if not {"session_id", "course", "start"} <= set(frame.columns):
        return {}
    info = {}
    for row in frame[["session_id", "course", "start"]].drop_duplicates().itertuples(index=False):
        try:
            info[str(row.session_id).strip()] = SessionInfo(
                str(row.course).strip(), dt.date.fromisoformat(str(row.start).strip())
            )
        except ValueError:
            continue  # a hand-edited row without a readable date: the new scenario decides
    return info


def replan(
    scenario: Scenario,
    previous_pairs: Iterable[tuple[str, str]],
    from_date: dt.date,
    completed: Iterable[Completion] | None = None,
    options: SolveOptions | None = None,
    *,
    previous_sessions: Mapping[str, SessionInfo] | None = None,
) -> tuple[Plan, ChangeReport]:
    """Re-plan from ``from_date`` with as few changes to the previous plan as the rules allow.

    Parameters
    ----------
    scenario
        The new scenario (new members, leavers, new categories, sessions cancelled or added).
    previous_pairs
        The published plan's ``(member_id, session_id)`` assignments.
    from_date
        Sessions starting before it happened (or were missed); the plan changes from it on.
    completed
        What the completed-sessions file says of past sessions; missed attendances are
        dropped and attended ones the plan did not have are added.
    options
        Time limit, workers and seed of the solve.
    previous_sessions
        Course and start of the previous plan's sessions (``read_previous_sessions``), for
        past sessions the new scenario no longer lists.

    Raises
    ------
    ScenarioError
        When the completed file names sessions the scenarios do not know, or sessions that
        start on or after ``from_date``.
    """
    previous = list(dict.fromkeys(previous_pairs))
    derived, report = derive_scenario(
        scenario, previous, from_date, list(completed or []), previous_sessions or {}
    )
    plan = solve(derived, options or SolveOptions())
    if plan.has_plan:
        infos = _session_infos(scenario, previous_sessions or {})
        changes = report.changes + compare(derived.previous or [], plan.pairs, infos)
        report.changes = sorted(changes, key=_change_order)
    return plan, report


def derive_scenario(
    scenario: Scenario,
    previous: list[tuple[str, str]],
    from_date: dt.date,
    completed: list[Completion],
    previous_sessions: Mapping[str, SessionInfo],
) -> tuple[LoadedScenario, ChangeReport]:
    """The scenario to solve: past attendances pinned to their held sessions, previous set.

    Past attendances of members who left become ``left`` changes of the report; those that
    cannot be assignments become history (see ``_sort_past`` and ``past_clashes``).
    """
    infos = _session_infos(scenario, previous_sessions)
    report = ChangeReport(from_date)
    status = _completed_status(completed, infos, from_date)
    past = {pair for pair in previous if _starts_before(infos.get(pair[1]), from_date)}
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
    kept, aside, report.changes = _sort_past(scenario, attended, infos)
    source: Path | None = getattr(scenario, "source", None)
    base_dir = source.resolve().parent if source else None
    while True:
        report.history = _history_entries(scenario, aside, infos)
        derived = load_scenario(_document(scenario, from_date, kept, report.history), base_dir)
        clashes = past_clashes(derived, kept)
        if not clashes:
            break
        # Each round sets aside at least one attendance, so this ends; usually it never runs.
        kept = [a for a in kept if a not in clashes]
        aside += [(a, clashes[a]) for a in sorted(clashes, key=_attendance_order)]
    report.past = kept
    held = {a.pair for a in kept}
    derived.previous = list(
        dict.fromkeys([p for p in previous if p not in past or p in held] + [a.pair for a in kept])
    )
    derived.source = source
    report.notes = _past_notes(scenario, from_date, kept, aside, report.changes, infos)
    return derived, report


def _session_infos(
    scenario: Scenario, previous_sessions: Mapping[str, SessionInfo]
) -> dict[str, SessionInfo]:
    """Every session either scenario knows; the new scenario's word wins."""
    infos = dict(previous_sessions)
    infos.update({s.id: SessionInfo(s.course, s.start) for s in scenario.sessions})
    return infos


def _starts_before(info: SessionInfo | None, from_date: dt.date) -> bool:
    # A session known to neither scenario was cancelled: nothing of it happened. A session
    # that began before the date and still runs on it has started: it is past too.
    return info is not None and info.start < from_date


def _completed_status(
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


def _sort_past(
    scenario: Scenario, attended: list[Attendance], infos: Mapping[str, SessionInfo]
) -> tuple[list[Attendance], list[tuple[Attendance, str]], list[Change]]:
    """Past attendances to keep as assignments, to set aside as history (with why), and
    ``left`` changes for members the scenario no longer lists."""
    rules = team_rules(scenario)
    kept, aside, left = [], [], []
    for attendance in attended:
        member = scenario.member_by_id.get(attendance.member_id)
        session_id = attendance.session_id
        if member is None:
            start = infos[session_id].start
            left.append(Change(attendance.member_id, session_id, "left", session_id, "", start))
            continue
        if session_id not in scenario.session_by_id:
            aside.append((attendance, "the scenario no longer lists the session"))
            continue
        reasons = ineligibility(scenario, member, session_id, rules)
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


def _attendance_order(attendance: Attendance) -> tuple[str, str]:
    return (attendance.member_id, attendance.session_id)


def _history_entries(
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


def _past_notes(
    scenario: Scenario,
    from_date: dt.date,
    kept: list[Attendance],
    aside: list[tuple[Attendance, str]],
    left: list[Change],
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


def _change_order(change: Change) -> tuple[str, dt.date, str]:
    return (change.member_id, change.start or dt.date.min, change.session_id)


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


def compare(
    previous: Iterable[tuple[str, str]],
    pairs: Iterable[tuple[str, str]],
    infos: Mapping[str, SessionInfo],
) -> list[Change]:
    """Added, removed and moved assignments between two plans, by member and date.

    A member's removals and additions in sessions of one course are paired, earliest with
    earliest, as moves; what is left over is added or removed.
    """
    before, after = set(previous), set(pairs)
    removed = _by_member_course(before - after, infos)
    added = _by_member_course(after - before, infos)
    changes = []
    for key in sorted(set(removed) | set(added)):
        gone, new = removed.get(key, []), added.get(key, [])
        for old_session, new_session in zip(gone, new, strict=False):
            changes.append(
                Change(
                    key[0],
                    new_session,
                    "moved",
                    old_session,
                    new_session,
                    _start(infos, new_session),
                )
            )
        for session in gone[len(new) :]:
            changes.append(Change(key[0], session, "removed", session, "", _start(infos, session)))
        for session in new[len(gone) :]:
            changes.append(Change(key[0], session, "added", "", session, _start(infos, session)))
    changes.sort(key=_change_order)
    return changes


def _by_member_course(
    pairs: set[tuple[str, str]], infos: Mapping[str, SessionInfo]
) -> dict[tuple[str, str], list[str]]:
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for member_id, session_id in pairs:
        info = infos.get(session_id)
        # A session nobody knows any more cannot be matched to a move: its course is unknown.
        course = info.course if info else f"?{session_id}"
        grouped[(member_id, course)].append(session_id)
    for sessions in grouped.values():
        sessions.sort(key=lambda s: (_start(infos, s) or dt.date.min, s))
    return grouped


def _start(infos: Mapping[str, SessionInfo], session_id: str) -> dt.date | None:
    info = infos.get(session_id)
    return info.start if info else None


def write_replan(plan: Plan, report: ChangeReport, out_dir: str | Path) -> Path:
    """Write the re-planned folder whole: the plan, ``changes.csv``, ``history.csv``,
    the derived ``scenario.json`` with its ``previous.csv``, and ``summary.json`` with a
    ``changes`` section.

    ``rotaplan check OUT/scenario.json OUT`` then checks the plan exactly as it was solved.
    """
    target = Path(out_dir).resolve()
    with staged_folder(target, "plan") as staging:
        write_plan_files(plan, staging)
        report.frame().to_csv(staging / "changes.csv", index=False, encoding="utf-8")
        report.history_frame().to_csv(staging / "history.csv", index=False, encoding="utf-8")
        previous = pd.DataFrame(plan.scenario.previous or [], columns=["member_id", "session_id"])
        previous.to_csv(staging / "previous.csv", index=False, encoding="utf-8")
        _write_json(staging / "scenario.json", _solved_document(plan.scenario))
        summary = json.loads((staging / "summary.json").read_text(encoding="utf-8"))
        summary["changes"] = report.summary()
        source = getattr(plan.scenario, "source", None)
        if source is not None:
            summary.setdefault("scenario_path", str(Path(source).resolve()))
        _write_json(staging / "summary.json", summary)
    return target


def _solved_document(scenario: Scenario) -> dict[str, Any]:
    """The derived scenario as a self-contained file, its ``previous`` beside it."""
    document = scenario_document(scenario)
    document["previous"] = "previous.csv"
    return document


def _write_json(path: Path, content: dict[str, Any]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(content, handle, ensure_ascii=False, indent=2, default=_json_value)
        handle.write("\n")


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
