"""Comparing two plans: the assignments added, removed and moved between them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping

from .inputs import SessionInfo
from .report import AssignmentChange


def compare(
    previous: Iterable[tuple[str, str]],
    pairs: Iterable[tuple[str, str]],
    infos: Mapping[str, SessionInfo],
) -> list[AssignmentChange]:
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
                AssignmentChange(
                    key[0],
                    new_session,
                    "moved",
                    old_session,
                    new_session,
                    _start(infos, new_session),
                )
            )
        for session in gone[len(new) :]:
            changes.append(
                AssignmentChange(key[0], session, "removed", session, "", _start(infos, session))
            )
        for session in new[len(gone) :]:
            changes.append(
                AssignmentChange(key[0], session, "added", "", session, _start(infos, session))
            )
    changes.sort(key=change_order)
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


def change_order(change: AssignmentChange) -> tuple[str, dt.date, str]:
    return (change.member_id, change.start or dt.date.min, change.session_id)
