"""Small words of the conflict sentences: lists, counts, a session's dates, and why a member
may not attend a session by the data alone, all as catalogue notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence, Sized
from typing import Any

from models import Eligibility, Scenario, Session, presence

from . import messages as msg
from .messages import Items, Note, note


def and_(items: Sequence[Any]) -> Any:
    """``A``, ``A and B``, ``A, B and C`` (Chinese ``A、B和C``)."""
    items = list(items)
    if len(items) == 1:
        return items[0]
    return note("conflict.and", head=Items(items[:-1]), last=items[-1])


def count(n: int, one: str, many: str) -> Note:
    """The message ``one`` for a single thing, else ``many`` with its ``count``."""
    return note(one) if n == 1 else note(many, count=n)


def is_(items: Sized) -> Note:
    """English ``is`` or ``are``; Chinese marks the plural with 都."""
    return note("conflict.is" if len(items) == 1 else "conflict.are")


def pinned_row(member_id: str, session: Session) -> Note:
    """A pinned row: ``M (S)``."""
    return note(
        "conflict.pinned_row", member=msg.member(member_id), session=msg.session(session.id)
    )


def g(value: float) -> str:
    """A number as the limits print it: ``2``, ``1.5``."""
    return f"{value:g}"


def days(session: Session) -> list[dt.date]:
    """The days a session runs."""
    return [session.start + dt.timedelta(days=n) for n in range(session.days)]


def when(session: Session) -> Note:
    """A session's course and day, or its first and last day."""
    course = msg.course(session.course)
    if session.start == session.last_day:
        return note("conflict.when_day", course=course, day=session.start)
    return note("conflict.when", course=course, first=session.start, last=session.last_day)


def cannot_attend(
    scenario: Scenario,
    eligibility: Eligibility,
    member_id: str,
    session: Session,
    history: bool,
) -> Note | None:
    """Why a member may not attend a session by the data alone, or None.

    The rule is the first that ``models.Eligibility.reasons`` finds, in its words; ``history``
    says the member has completed the session's non-repeatable course already.
    """
    member = scenario.member_by_id[member_id]
    reasons = eligibility.reasons(member, session)
    if not reasons:
        if history:
            return note(
                "conflict.closed.history",
                member=msg.member(member_id),
                course=msg.course(session.course),
            )
        return None
    rule = reasons[0][0]
    course = scenario.course_by_id[session.course]
    start, end = session.start, session.last_day
    if rule == "audience" and not course.audience.matches(member):
        return note(
            "conflict.closed.course_audience",
            course=msg.course(course.id),
            who=str(course.audience),
        )
    if rule == "audience":
        return note(
            "conflict.closed.session_audience",
            session=msg.session(session.id),
            who=str(session.audience),
        )
    if rule == "presence":
        here = presence(scenario, member)
        span = str(here) if here else note("conflict.closed.no_presence")
        return note("conflict.closed.presence", dates=f"{start}/{end}", presence=span)
    if rule == "unavailable":
        leave = next(r for r in member.unavailable if r.touches(start, end))
        return note("conflict.closed.unavailable", leave=str(leave))
    team = eligibility.rules[member.team]
    dark = next(r for r in team.blackout if r.touches(start, end))
    return note("conflict.closed.blackout", team=member.team, blackout=str(dark))
