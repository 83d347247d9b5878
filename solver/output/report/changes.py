"""What a plan changed against the previous one: added, removed and moved attendances.

A re-planned folder says it in ``changes.csv``; a plan solved with ``previous:`` in its
scenario is compared here with that previous plan, the way ``replan`` compares: a member
who leaves one session of a course for another of the same course has *moved*.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from models import Scenario

from .plan_folder import PlanFolder


@dataclass(frozen=True)
class ChangeRow:
    member: str
    session: str
    change: str  # added, removed, moved or left
    from_session: str
    to_session: str
    start: str


def plan_changes(
    scenario: Scenario, folder: PlanFolder, pairs: list[tuple[str, str]]
) -> list[ChangeRow] | None:
    """The plan's changes, or None when there is no previous plan to compare with."""
    if folder.changes is not None:
        return [
            ChangeRow(
                member=row["member_id"],
                session=row["session_id"],
                change=row["change"],
                from_session=row["from_session"],
                to_session=row["to_session"],
                start=row["start"],
            )
            for row in folder.changes
        ]
    if scenario.previous is None:
        return None
    return compare(scenario, scenario.previous, pairs)


def compare(
    scenario: Scenario, previous: list[tuple[str, str]], pairs: list[tuple[str, str]]
) -> list[ChangeRow]:
    """Changes from ``previous`` to ``pairs``, a move where one course's session was swapped."""
    before, after = set(previous), set(pairs)
    gone: dict[tuple[str, str], list[str]] = defaultdict(list)
    new: dict[tuple[str, str], list[str]] = defaultdict(list)
    for member_id, session_id in sorted(before - after):
        gone[(member_id, _course(scenario, session_id))].append(session_id)
    for member_id, session_id in sorted(after - before):
        new[(member_id, _course(scenario, session_id))].append(session_id)
    rows = []
    for key in sorted(gone.keys() | new.keys()):
        member_id = key[0]
        removed, added = gone.get(key, []), new.get(key, [])
        for old, now in zip(removed, added, strict=False):
            rows.append(ChangeRow(member_id, now, "moved", old, now, _start(scenario, now)))
        for old in removed[len(added) :]:
            rows.append(ChangeRow(member_id, old, "removed", old, "", _start(scenario, old)))
        for now in added[len(removed) :]:
            rows.append(ChangeRow(member_id, now, "added", "", now, _start(scenario, now)))
    return sorted(rows, key=lambda row: (row.start, row.member, row.session))


def _course(scenario: Scenario, session_id: str) -> str:
    session = scenario.session_by_id.get(session_id)
    return session.course if session else ""


def _start(scenario: Scenario, session_id: str) -> str:
    session = scenario.session_by_id.get(session_id)
    return session.start.isoformat() if session else ""
