"""What re-planning changed and what it took from the past: the ``ChangeReport``."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

CHANGE_KINDS = ("added", "removed", "moved", "left")
CHANGE_COLUMNS = ["member_id", "session_id", "change", "from_session", "to_session", "start"]
HISTORY_COLUMNS = ["member_id", "session_id", "course", "date", "source", "reason"]


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
class AssignmentChange:
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
    changes: list[AssignmentChange] = field(default_factory=list)
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
