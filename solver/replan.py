"""Re-planning from a date: what happened stays, the rest moves as little as it must.

The previous plan's assignments to sessions that start before the date become ``history``
rows (unless the completed-sessions file says the member missed it; attended rows the plan
did not have are added), and those sessions close: the derived scenario no longer lists
them, so no one can be assigned to them. From the date on, the previous plan is the
``previous`` of the derived scenario and ``changes`` is optimised right after ``unmet``.
Requirements are recomputed from the new scenario, so new members, members who left or
changed category, and sessions cancelled or added need no edit of the previous plan.
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

from models import Problem, Scenario, ScenarioError, load_scenario
from models.dates import DateRange
from models.loader import LoadedScenario

from .engine import SolveOptions, solve
from .result import Plan
from .timetable import staged_folder

STATUSES = ("attended", "missed")
CHANGE_COLUMNS = ["member_id", "session_id", "change", "from_session", "to_session", "start"]
HISTORY_COLUMNS = ["member_id", "session_id", "course", "date", "source"]


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
class HistoryEntry:
    """A past attendance kept as a ``history`` row; ``source`` is ``plan`` or ``completed``."""

    member_id: str
    session_id: str
    course: str
    date: dt.date
    source: str


@dataclass(frozen=True)
class Change:
    """One difference between the previous plan and the new one, from the re-plan date on.

    ``moved`` pairs a removal and an addition of one member in two sessions of the same
    course; its ``session_id`` is the session the member now attends.
    """

    member_id: str
    session_id: str
    change: str  # added, removed or moved
    from_session: str
    to_session: str
    start: dt.date | None


@dataclass
class ChangeReport:
    """What re-planning changed, and what it took from the past."""

    from_date: dt.date
    changes: list[Change] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    missed: int = 0
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        tally = Counter(change.change for change in self.changes)
        return {kind: tally.get(kind, 0) for kind in ("added", "removed", "moved")}

    def per_member(self) -> dict[str, dict[str, int]]:
        table: dict[str, Counter[str]] = defaultdict(Counter)
        for change in self.changes:
            table[change.member_id][change.change] += 1
        return {member: dict(sorted(c.items())) for member, c in sorted(table.items())}

    def per_session(self) -> dict[str, dict[str, int]]:
        """Per session: members added and removed, and moved in or out of it."""
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
        """The ``history.csv`` table: the past attendances the new plan builds on."""
        rows = [
            {
                "member_id": h.member_id,
                "session_id": h.session_id,
                "course": h.course,
                "date": h.date.isoformat(),
                "source": h.source,
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
        report.changes = compare(derived.previous or [], plan.pairs, infos)
    return plan, report


def derive_scenario(
    scenario: Scenario,
    previous: list[tuple[str, str]],
    from_date: dt.date,
    completed: list[Completion],
    previous_sessions: Mapping[str, SessionInfo],
) -> tuple[LoadedScenario, ChangeReport]:
    """The scenario to solve: past attendances as history, past sessions closed, previous set."""
    infos = _session_infos(scenario, previous_sessions)
    report = ChangeReport(from_date)
    status = _completed_status(completed, infos, from_date)
    past = {pair for pair in previous if _starts_before(infos.get(pair[1]), from_date)}
    report.missed = sum(1 for pair in past if status.get(pair) == "missed")
    attended = [
        (pair, "plan") for pair in previous if pair in past and status.get(pair) != "missed"
    ]
    attended += [
        (pair, "completed")
        for pair, said in status.items()
        if said == "attended" and pair not in past
    ]
    report.history = _history_entries(scenario, attended, infos, report.notes)
    document = _document(scenario, from_date, report)
    source: Path | None = getattr(scenario, "source", None)
    derived = load_scenario(document, base_dir=source.resolve().parent if source else None)
    derived.previous = [pair for pair in previous if pair not in past]
    derived.source = source
    return derived, report


def _session_infos(
    scenario: Scenario, previous_sessions: Mapping[str, SessionInfo]
) -> dict[str, SessionInfo]:
    """Every session either scenario knows; the new scenario's word wins."""
    infos = dict(previous_sessions)
    infos.update({s.id: SessionInfo(s.course, s.start) for s in scenario.sessions})
    return infos


def _starts_before(info: SessionInfo | None, from_date: dt.date) -> bool:
    # A session known to neither scenario was cancelled: nothing of it happened.
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


def _history_entries(
    scenario: Scenario,
    attended: list[tuple[tuple[str, str], str]],
    infos: Mapping[str, SessionInfo],
    notes: list[str],
) -> list[HistoryEntry]:
    """Past attendances as history rows, leaving out members and courses no longer planned."""
    existing = {(row.member, row.course, row.date) for row in scenario.history}
    entries, left, gone = [], set(), set()
    for (member_id, session_id), source in attended:
        info = infos[session_id]
        if member_id not in scenario.member_by_id:
            left.add(member_id)
        elif info.course not in scenario.course_by_id:
            gone.add(info.course)
        elif (member_id, info.course, info.start) not in existing:
            existing.add((member_id, info.course, info.start))
            entries.append(HistoryEntry(member_id, session_id, info.course, info.start, source))
    if left:
        notes.append(f"{len(left)} member(s) who left keep no history: {', '.join(sorted(left))}")
    if gone:
        notes.append(
            f"attendances of courses no longer offered are not history: {', '.join(sorted(gone))}"
        )
    return entries


def _document(scenario: Scenario, from_date: dt.date, report: ChangeReport) -> dict[str, Any]:
    """The derived scenario as a mapping for ``load_scenario``: no file is written."""
    document = scenario_document(scenario)
    closed = {s.id for s in scenario.sessions if s.start < from_date}
    document["sessions"] = [s for s in document["sessions"] if s["id"] not in closed]
    pinned = document.get("pinned") or []
    document["pinned"] = [row for row in pinned if row["session"] not in closed]
    dropped = len(pinned) - len(document["pinned"])
    if dropped:
        report.notes.append(f"{dropped} pinned row(s) of sessions before {from_date} dropped")
    document["history"] = (document.get("history") or []) + [
        {"member": h.member_id, "course": h.course, "date": h.date} for h in report.history
    ]
    document["objective"] = changes_after_unmet(scenario.objective)
    return document


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
    changes.sort(key=lambda c: (c.member_id, c.start or dt.date.min, c.session_id))
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
    with staged_folder(target) as staging:
        plan.write(staging)
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
