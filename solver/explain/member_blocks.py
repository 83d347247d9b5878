"""The blockers that belong to a member alone: a course taken twice, caps, overlap, gap.

They hold whoever else attends the session: the member's limits (SPEC.md's ``max_*``
fields and ``min_gap_days``) against what the plan already gives them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Any

from models import Member, Session

from ..engine import PlanLoads
from . import messages as msg
from .messages import note
from .verdicts import EPSILON, Block, plan_block

_m, _c, _s = msg.member, msg.course, msg.session

# (cap name, cap, period, used, what the session needs, the sessions that use it)
CapUse = tuple[str, float, object, float, float, Callable[[], list[Session]]]


class MemberBlocks:
    """What in the plan keeps one member from one more session, by the member's own rules.

    Parameters
    ----------
    loads
        The plan's loads.
    """

    def __init__(self, loads: PlanLoads):
        self.loads = loads
        self.scenario = loads.scenario

    def of(self, member: Member, session: Session) -> list[Block]:
        """The blockers that belong to the member alone: repeat, caps, overlap and gap."""
        return (
            self.non_repeatable(member, session)
            + self.member_caps(member, session)
            + self.away_overlap_and_gap(member, session)
        )

    def non_repeatable(self, member: Member, session: Session) -> list[Block]:
        """A non-repeatable course the member already takes in another session."""
        course = self.scenario.course_of(session)
        if course.repeatable:
            return []
        others = [
            s for s in self.loads.sessions_of_course(member.id, course.id) if s.id != session.id
        ]
        if not others:
            return []
        return [
            plan_block(
                "repeat",
                "block.repeat",
                names_session=False,
                member=_m(member.id),
                other=_s(others[0].id),
                course=_c(course.id),
            )
        ]

    def member_caps(self, member: Member, session: Session) -> list[Block]:
        """The member caps that adding the session would exceed, naming what uses each."""
        return [
            cap_block(session, cap_name, cap, period, used, need, users())
            for cap_name, cap, period, used, need, users in self._cap_uses(member, session)
            if used + need > cap + EPSILON
        ]

    def _cap_uses(self, member: Member, session: Session) -> Iterator[CapUse]:
        """Each cap the session counts against: (name, cap, period, used, need, users)."""
        limits, loads, who = self.loads.limits(member.id), self.loads, member.id
        if self.scenario.is_away(session):
            span = loads.span(session)
            yield from _day_uses(
                "max_days_per_year",
                limits.max_days_per_year,
                span.days_by_year,
                loads.days_year.get(who, {}),
                lambda year: year,
                lambda year: partial(loads.sessions_in_year, who, year, away_only=True),
            )
            yield from _day_uses(
                "max_days_per_month",
                limits.max_days_per_month,
                span.days_by_month,
                loads.days_month.get(who, {}),
                lambda month: f"{month[0]}-{month[1]:02d}",
                lambda month: partial(loads.sessions_in_month, who, month),
            )
        year = session.start.year
        that_year = partial(loads.sessions_in_year, who, year, away_only=False)
        if limits.max_hours_per_year is not None:
            used_hours = loads.hours_year[who][year] if who in loads.hours_year else 0.0
            hours = self.scenario.session_hours(session)
            yield (
                "max_hours_per_year",
                limits.max_hours_per_year,
                year,
                used_hours,
                hours,
                that_year,
            )
        if limits.max_sessions_per_year is not None:
            count = loads.sessions_year[who][year] if who in loads.sessions_year else 0
            yield ("max_sessions_per_year", limits.max_sessions_per_year, year, count, 1, that_year)

    def away_overlap_and_gap(self, member: Member, session: Session) -> list[Block]:
        """Overlap with, or too short a gap to, the member's other away sessions."""
        if not self.scenario.is_away(session):
            return []
        gap = self.loads.limits(member.id).min_gap_days
        overlapping: list[Session] = []
        closest: tuple[int, Session] | None = None
        for other in self.loads.away_sessions(member.id):
            if other.id == session.id:
                continue
            if other.start <= session.last_day and session.start <= other.last_day:
                overlapping.append(other)
                continue
            if gap is None:
                continue
            if other.start > session.last_day:
                free = (other.start - session.last_day).days - 1
            else:
                free = (session.start - other.last_day).days - 1
            if free < gap and (closest is None or free < closest[0]):
                closest = (free, other)
        found = []
        if overlapping:
            others = [_s(s.id) for s in overlapping]
            found.append(
                plan_block("overlap", "block.overlap", session=_s(session.id), other=others)
            )
        if closest is not None:
            free, other = closest
            found.append(
                plan_block(
                    "min_gap",
                    "block.min_gap",
                    session=_s(session.id),
                    free=free,
                    other=_s(other.id),
                    gap=gap,
                )
            )
        return found


def _day_uses(
    cap_name: str,
    cap: int | None,
    days_by_period: Mapping[Any, int],
    used_by_period: Mapping[Any, int],
    label: Callable[[Any], object],
    users: Callable[[Any], Callable[[], list[Session]]],
) -> Iterator[CapUse]:
    """The uses of a cap on away days, one per period (year or month) the session touches."""
    if cap is None:
        return
    for period, days in days_by_period.items():
        used = used_by_period.get(period, 0)
        yield (cap_name, cap, label(period), used, days, users(period))


def cap_block(
    session: Session,
    cap_name: str,
    cap: float,
    period: object,
    used: float,
    need: float,
    users: list[Session],
) -> Block:
    """The block of a member cap that the session would exceed, naming what uses it."""
    params: dict[str, Any] = {
        "session": _s(session.id),
        "cap_name": note(f"cap.{cap_name}"),
        "cap": cap,
    }
    data = {"cap": cap_name, "excess": used + need - cap}
    if not users:
        return plan_block(
            "member_caps", "block.cap_unused", data=data, period=period, need=need, **params
        )
    used_by = [_s(s.id) for s in users]
    return plan_block(
        "member_caps", "block.cap", data=data, period=period, used=used, sessions=used_by, **params
    )
