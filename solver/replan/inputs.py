"""What re-planning reads besides the scenario: the previous plan's sessions and the
completed-sessions file."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from models import Problem, ScenarioError

STATUSES = ("attended", "missed")


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
