"""The over-training audit of SPEC.md: assignments a plan would be as good without.

An assignment is surplus when removing it raises no window's shortfall of its member,
leaves its session empty or at least at ``min_size`` and within every ``mix`` share,
breaks no ``together`` group, is not pinned, is not in ``previous`` and is not the
member's first planned completion of a ``balance`` requirement it counts for. Each
assignment is judged on the plan as it stands; the joint count drops surplus assignments
one after another, in the plan's order, each judged on what is left.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from models import Scenario, Session, requirement_windows

from .plan_index import EPSILON


@dataclass(frozen=True)
class SurplusAudit:
    """How many assignments are surplus, by course, and how many can go together."""

    count: int = 0
    by_course: dict[str, int] = field(default_factory=dict)
    jointly: int = 0


@dataclass
class _Window:
    """One requirement window of one member, with what the plan and history put in it."""

    needed: float  # completions, or class hours
    hours: bool
    done: float  # completions or hours counted in it, history included

    def shortfall(self, done: float) -> int:
        if self.hours:
            return max(0, math.ceil(self.needed - done - EPSILON))
        return max(0, int(self.needed - done))


@dataclass
class _Attendance:
    member: str
    session: Session
    credits: list[tuple[_Window, float]]  # the windows it counts in, with what it adds there
    protected: str | None  # why it may never go (pinned, previous, balance), or None


class _Sessions:
    """Who attends each session, so a removal can be judged on min_size, mix and together.

    Sizes and each mix rule's matching attendees are kept as counts, so judging one
    removal costs the session's rules, not its attendees.
    """

    def __init__(self, scenario: Scenario, pairs: list[tuple[str, str]]):
        self.scenario = scenario
        self.attendees: dict[str, set[str]] = defaultdict(set)
        for member, session in pairs:
            self.attendees[session].add(member)
        self.matching: dict[str, list[int]] = {}
        members = scenario.member_by_id
        for session_id, present in self.attendees.items():
            rules = scenario.course_by_id[scenario.session_by_id[session_id].course].mix
            if rules:
                self.matching[session_id] = [
                    sum(1 for m in present if rule.who.matches(members[m])) for rule in rules
                ]
        self.groups: dict[tuple[str, str], list[list[str]]] = defaultdict(list)
        for group in scenario.together:
            for member in group.members:
                self.groups[(group.course, member)].append(list(group.members))

    def may_leave(self, member: str, session: Session) -> bool:
        """Whether the session keeps every rule without ``member`` in it."""
        present = self.attendees[session.id]
        left = len(present) - (member in present)
        if left == 0:
            return True
        if left < session.min_size:
            return False
        rules = self.scenario.course_by_id[session.course].mix
        person = self.scenario.member_by_id[member]
        for rule, matching in zip(rules, self.matching.get(session.id, ()), strict=True):
            share = matching - (member in present and rule.who.matches(person))
            if rule.min_share is not None and share < rule.min_share * left - EPSILON:
                return False
            if rule.max_share is not None and share > rule.max_share * left + EPSILON:
                return False
        for group in self.groups.get((session.course, member), ()):
            inside = [m for m in group if m != member and m in present]
            if inside and len(inside) < len(group):
                return False
        return True

    def remove(self, member: str, session: Session) -> None:
        present = self.attendees[session.id]
        if member not in present:
            return
        present.discard(member)
        person = self.scenario.member_by_id[member]
        rules = self.scenario.course_by_id[session.course].mix
        counts = self.matching.get(session.id)
        if counts is not None:
            for i, rule in enumerate(rules):
                counts[i] -= rule.who.matches(person)


def audit_surplus(scenario: Scenario, pairs: Iterable[tuple[str, str]]) -> SurplusAudit:
    """Count the plan's surplus assignments, alone and dropped one after another.

    Parameters
    ----------
    scenario
        The scenario the plan is for.
    pairs
        The plan's ``(member_id, session_id)`` assignments, in the plan's order; rows
        naming an unknown member or session are left out (the rules report them).
    """
    known = [
        (m, s)
        for m, s in dict.fromkeys(pairs)
        if m in scenario.member_by_id and s in scenario.session_by_id
    ]
    attendances = _attendances(scenario, known)
    sessions = _Sessions(scenario, known)
    by_course: Counter[str] = Counter()
    for a in attendances:
        if _is_surplus(a, sessions):
            by_course[a.session.course] += 1
    jointly = 0
    for a in attendances:
        if _is_surplus(a, sessions):
            for window, credit in a.credits:
                window.done -= credit
            sessions.remove(a.member, a.session)
            jointly += 1
    return SurplusAudit(sum(by_course.values()), dict(by_course.most_common()), jointly)


def _is_surplus(attendance: _Attendance, sessions: _Sessions) -> bool:
    if attendance.protected is not None:
        return False
    for window, credit in attendance.credits:
        if window.shortfall(window.done - credit) > window.shortfall(window.done):
            return False
    return sessions.may_leave(attendance.member, attendance.session)


def _attendances(scenario: Scenario, pairs: list[tuple[str, str]]) -> list[_Attendance]:
    """Every assignment with the windows it counts in and whether it is protected."""
    sessions_of: dict[str, list[Session]] = defaultdict(list)
    for member, session_id in pairs:
        sessions_of[member].append(scenario.session_by_id[session_id])
    history: dict[str, list[tuple[str, dt.date]]] = defaultdict(list)
    for row in scenario.history:
        history[row.member].append((row.course, row.date))
    pinned = {(row.member, row.session) for row in scenario.pinned}
    previous = set(scenario.previous or ())
    out: dict[tuple[str, str], _Attendance] = {}
    for member_id, taken in sessions_of.items():
        firsts = _balance_firsts(scenario, member_id, taken)
        credits = _credits(scenario, member_id, taken, history[member_id])
        for session in taken:
            key = (member_id, session.id)
            protected = (
                "pinned"
                if key in pinned
                else "previous"
                if key in previous
                else "balance"
                if session.id in firsts
                else None
            )
            out[key] = _Attendance(member_id, session, credits[session.id], protected)
    return [out[key] for key in pairs]


def _balance_firsts(scenario: Scenario, member_id: str, taken: list[Session]) -> set[str]:
    """The member's first planned completion (earliest start, then session id) of each
    ``balance`` requirement that applies to the member: the year ``imbalance`` counts."""
    member = scenario.member_by_id[member_id]
    firsts = set()
    for requirement in scenario.requirements:
        if not requirement.balance or not requirement.who.matches(member):
            continue
        counted = [s for s in taken if requirement.counts_course(s.course)]
        if counted:
            firsts.add(min(counted, key=lambda s: (s.start, s.id)).id)
    return firsts


def _credits(
    scenario: Scenario,
    member_id: str,
    taken: list[Session],
    history: list[tuple[str, dt.date]],
) -> dict[str, list[tuple[_Window, float]]]:
    """For each of the member's sessions, the windows it counts in and what it adds."""
    member = scenario.member_by_id[member_id]
    credits: dict[str, list[tuple[_Window, float]]] = {s.id: [] for s in taken}
    by_course: dict[str, list[Session]] = defaultdict(list)
    for session in taken:
        by_course[session.course].append(session)
    for requirement in scenario.requirements:
        if not requirement.who.matches(member):
            continue
        courses = requirement.courses if requirement.courses is not None else list(by_course)
        counted = [s for course in courses for s in by_course.get(course, ())]
        past = [day for course, day in history if requirement.counts_course(course)]
        hours = requirement.min_hours is not None
        if hours:
            worth = [scenario.session_hours(s) for s in counted]
            past_worth = [
                scenario.course_by_id[course].hours
                for course, _ in history
                if requirement.counts_course(course)
            ]
        else:
            worth = [1.0] * len(counted)
            past_worth = [1.0] * len(past)
        needed = float(requirement.min_hours if hours else requirement.needed)  # type: ignore[arg-type]
        for span in requirement_windows(scenario, requirement, member):
            inside = [i for i, s in enumerate(counted) if span.start <= s.start <= span.end]
            done = sum(worth[i] for i in inside)
            done += sum(
                w for day, w in zip(past, past_worth, strict=True) if span.start <= day <= span.end
            )
            window = _Window(needed, hours, done)
            for i in inside:
                credits[counted[i].id].append((window, worth[i]))
    return credits
