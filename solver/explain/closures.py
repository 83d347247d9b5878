"""Closures: why a member may never attend a session, whatever the plan.

A closure comes from the data alone: the course's or session's audience, the member's
presence and leave, the team's blackout for away courses, and history for a course that
may be taken once.
"""

from __future__ import annotations

from models import DateRange, Member, Session, presence

from ..engine import PlanLoads
from . import messages as msg
from .verdicts import Block, closure_block

_c, _s = msg.course, msg.session


class Closures:
    """The closures of members to sessions, for one plan's scenario.

    Parameters
    ----------
    loads
        The plan's loads (for blackouts and history).
    """

    def __init__(self, loads: PlanLoads):
        self.loads = loads
        self.scenario = loads.scenario
        self._presence: dict[str, DateRange | None] = {}

    def of(self, member: Member, session: Session) -> list[Block]:
        """Why the member may never attend the session, whatever the plan; empty if eligible."""
        course = self.scenario.course_of(session)
        found = []
        if not course.audience.matches(member):
            found.append(
                closure_block(
                    "audience", "course_audience", course=_c(course.id), who=course.audience
                )
            )
        if not session.audience.matches(member):
            found.append(
                closure_block(
                    "audience", "session_audience", session=_s(session.id), who=session.audience
                )
            )
        found += self._presence_closures(member, session)
        dark = self.loads.blackout(member.team, session) if course.away else None
        if dark is not None:
            found.append(closure_block("blackout", "blackout", team=member.team, blackout=dark))
        done_on = self.loads.history_done.get((member.id, course.id))
        if not course.repeatable and done_on is not None:
            found.append(closure_block("history", "history", course=_c(course.id), date=done_on))
        return found

    def _presence_closures(self, member: Member, session: Session) -> list[Block]:
        if member.id not in self._presence:
            self._presence[member.id] = presence(self.scenario, member)
        here = self._presence[member.id]
        found = []
        if here is None:
            found.append(closure_block("presence", "absent"))
        elif session.start < here.start or session.last_day > here.end:
            found.append(closure_block("presence", "presence", presence=here))
        leave = [r for r in member.unavailable if r.touches(session.start, session.last_day)]
        if leave:
            found.append(closure_block("unavailable", "unavailable", leave=leave[0]))
        return found
