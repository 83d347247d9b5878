"""Every hard rule and objective term of SPEC.md, recomputed from a plan's assignments.

The check shares no code with ``solver``, on purpose: it has its own eligibility and its
own window shortfall (where the solver side uses ``models.window_shortfall``), so that
an error in the engine's or the explainer's code cannot hide in the check as well.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from models import Member, Scenario, Session, member_limits, presence, requirement_windows
from models.dates import each_day
from models.rules import TeamRule, history_in_horizon, team_rules

from .surplus import SurplusAudit, audit_surplus

EPSILON = 1e-9


@dataclass(frozen=True)
class Violation:
    """One broken hard rule: which rule, for whom, where and when."""

    rule: str
    message: str
    member: str | None = None
    session: str | None = None
    day: dt.date | None = None

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


@dataclass(frozen=True)
class UnmetWindow:
    member: str
    requirement: str
    window_start: dt.date
    window_end: dt.date
    shortfall: int
    weight: int


@dataclass
class CheckReport:
    violations: list[Violation]
    objective: dict[str, int]
    unmet: list[UnmetWindow] = field(default_factory=list)
    audit: SurplusAudit = field(default_factory=SurplusAudit)

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def surplus(self) -> int:
        """Assignments the plan would be as good without (see ``checker.surplus``)."""
        return self.audit.count


class _Plan:
    """The assignments, indexed the ways the rules read them."""

    def __init__(self, scenario: Scenario, pairs: list[tuple[str, str]]):
        self.scenario = scenario
        self.pairs = list(dict.fromkeys(pairs))
        self.by_member: dict[str, list[Session]] = defaultdict(list)
        self.by_session: dict[str, list[str]] = defaultdict(list)
        for member_id, session_id in self.pairs:
            if member_id in scenario.member_by_id and session_id in scenario.session_by_id:
                self.by_member[member_id].append(scenario.session_by_id[session_id])
                self.by_session[session_id].append(member_id)
        for sessions in self.by_member.values():
            sessions.sort(key=lambda s: (s.start, s.last_day, s.id))


def check_plan(scenario: Scenario, pairs: Iterable[tuple[str, str]]) -> CheckReport:
    """Check a plan (``(member_id, session_id)`` pairs) against every rule of the scenario."""
    pairs = list(pairs)
    plan = _Plan(scenario, pairs)
    rules = team_rules(scenario)
    families = (
        _known_rows(scenario, pairs),
        _eligibility(plan, rules),
        _session_size(plan),
        _mix(plan),
        _member_overlap_and_gap(plan),
        _non_repeatable(plan),
        _member_caps(plan),
        _team_caps(plan, rules),
        _together(plan),
        _pinned(plan),
    )
    violations = [v for family in families for v in family]
    objective, unmet = objective_terms(scenario, plan)
    if scenario.strict and objective["unmet"] > 0:
        violations.append(
            Violation(
                "strict", f"the scenario is strict but {len(unmet)} requirement window(s) are unmet"
            )
        )
    return CheckReport(violations, objective, unmet, audit_surplus(scenario, pairs))


def _known_rows(scenario: Scenario, pairs: list[tuple[str, str]]) -> Iterator[Violation]:
    for (member, session), n in Counter(pairs).items():
        if n > 1:
            yield Violation(
                "duplicate", f"{member} is assigned to {session} {n} times", member, session
            )
    for member, session in dict.fromkeys(pairs):
        if member not in scenario.member_by_id:
            yield Violation("unknown", f"unknown member {member}", member, session)
        if session not in scenario.session_by_id:
            yield Violation("unknown", f"unknown session {session}", member, session)


def _eligibility(plan: _Plan, rules: dict[str, TeamRule]) -> Iterator[Violation]:
    scenario = plan.scenario
    for member_id, sessions in plan.by_member.items():
        member = scenario.member_by_id[member_id]
        for session in sessions:
            for rule, text in ineligibility(scenario, member, session.id, rules):
                yield Violation(
                    rule,
                    f"{member_id} may not attend {session.id}: {text}",
                    member_id,
                    session.id,
                    session.start,
                )


def _session_size(plan: _Plan) -> Iterator[Violation]:
    for session_id, attendees in plan.by_session.items():
        session = plan.scenario.session_by_id[session_id]
        if len(attendees) > session.capacity:
            yield Violation(
                "capacity",
                f"{session_id} has {len(attendees)} attendees for {session.capacity} seats",
                session=session_id,
                day=session.start,
            )
        if len(attendees) < session.min_size:
            yield Violation(
                "min_size",
                f"{session_id} runs with {len(attendees)} attendees, fewer than its min_size {session.min_size}",
                session=session_id,
                day=session.start,
            )


def _mix(plan: _Plan) -> Iterator[Violation]:
    scenario = plan.scenario
    for session_id, attendees in plan.by_session.items():
        session = scenario.session_by_id[session_id]
        size = len(attendees)
        for rule in scenario.course_by_id[session.course].mix:
            share = sum(1 for m in attendees if rule.who.matches(scenario.member_by_id[m]))
            if rule.min_share is not None and share < rule.min_share * size - EPSILON:
                yield Violation(
                    "mix",
                    f"{session_id} has {share} of {size} attendees matching {rule.who}, below min_share {rule.min_share}",
                    session=session_id,
                    day=session.start,
                )
            if rule.max_share is not None and share > rule.max_share * size + EPSILON:
                yield Violation(
                    "mix",
                    f"{session_id} has {share} of {size} attendees matching {rule.who}, above max_share {rule.max_share}",
                    session=session_id,
                    day=session.start,
                )


def _member_overlap_and_gap(plan: _Plan) -> Iterator[Violation]:
    scenario = plan.scenario
    for member_id, sessions in plan.by_member.items():
        away = [s for s in sessions if scenario.is_away(s)]
        gap = member_limits(scenario, scenario.member_by_id[member_id]).min_gap_days
        for i, earlier in enumerate(away):
            for later in away[i + 1 :]:
                if later.start <= earlier.last_day:
                    yield Violation(
                        "overlap",
                        f"{member_id} attends {earlier.id} and {later.id}, which share days",
                        member_id,
                        later.id,
                        later.start,
                    )
                elif gap is not None and (later.start - earlier.last_day).days - 1 < gap:
                    free = (later.start - earlier.last_day).days - 1
                    yield Violation(
                        "min_gap",
                        f"{member_id} has {free} free day(s) between {earlier.id} and {later.id}, fewer than min_gap_days {gap}",
                        member_id,
                        later.id,
                        later.start,
                    )


def _non_repeatable(plan: _Plan) -> Iterator[Violation]:
    scenario = plan.scenario
    done_before = history_in_horizon(scenario)
    for member_id, sessions in plan.by_member.items():
        by_course: dict[str, list[Session]] = defaultdict(list)
        for session in sessions:
            by_course[session.course].append(session)
        for course_id, taken in by_course.items():
            if scenario.course_by_id[course_id].repeatable:
                continue
            if len(taken) > 1:
                names = ", ".join(s.id for s in taken)
                yield Violation(
                    "repeat",
                    f"{member_id} attends non-repeatable {course_id} {len(taken)} times ({names})",
                    member_id,
                    taken[1].id,
                    taken[1].start,
                )
            if (member_id, course_id) in done_before:
                yield Violation(
                    "repeat",
                    f"{member_id} attends non-repeatable {course_id} already completed in history",
                    member_id,
                    taken[0].id,
                    taken[0].start,
                )


def _member_caps(plan: _Plan) -> Iterator[Violation]:
    scenario = plan.scenario
    for member_id, sessions in plan.by_member.items():
        limits = member_limits(scenario, scenario.member_by_id[member_id])
        days_year: Counter[int] = Counter()
        days_month: Counter[tuple[int, int]] = Counter()
        # Class hours may be fractional (a 1.5-hour session), so they add up as floats.
        hours_year: defaultdict[int, float] = defaultdict(float)
        sessions_year: Counter[int] = Counter()
        for session in sessions:
            hours_year[session.start.year] += scenario.session_hours(session)
            sessions_year[session.start.year] += 1
            if scenario.is_away(session):
                for day in each_day(session.start, session.last_day):
                    days_year[day.year] += 1
                    days_month[(day.year, day.month)] += 1
        caps = (
            ("max_days_per_year", limits.max_days_per_year, days_year, "days away in"),
            ("max_days_per_month", limits.max_days_per_month, days_month, "days away in"),
            ("max_hours_per_year", limits.max_hours_per_year, hours_year, "class hours in"),
            ("max_sessions_per_year", limits.max_sessions_per_year, sessions_year, "sessions in"),
        )
        for rule, cap, counts, what in caps:
            if cap is None:
                continue
            for period, used in sorted(counts.items()):
                if used > cap + EPSILON:
                    label = (
                        f"{period[0]}-{period[1]:02d}" if isinstance(period, tuple) else str(period)
                    )
                    yield Violation(
                        rule,
                        f"{member_id} has {_num(used)} {what} {label}, above {rule} {_num(cap)}",
                        member_id,
                    )


def _team_caps(plan: _Plan, rules: dict[str, TeamRule]) -> Iterator[Violation]:
    scenario = plan.scenario
    away: dict[tuple[str, dt.date], list[str]] = defaultdict(list)
    for member_id, sessions in plan.by_member.items():
        team = scenario.member_by_id[member_id].team
        for session in sessions:
            if scenario.is_away(session):
                for day in each_day(session.start, session.last_day):
                    away[(team, day)].append(f"{member_id} ({session.id})")
    for (team, day), who in sorted(away.items()):
        cap = rules[team].cap
        if cap is not None and len(who) > cap:
            yield Violation(
                "team_cap",
                f"team {team} may have {cap} away on {day} but has {len(who)}: {', '.join(who)}",
                day=day,
            )


def _together(plan: _Plan) -> Iterator[Violation]:
    scenario = plan.scenario
    sessions_of: dict[str, list[str]] = defaultdict(list)
    for session in scenario.sessions:
        sessions_of[session.course].append(session.id)
    for group in scenario.together:
        for session_id in sessions_of[group.course]:
            present = set(plan.by_session.get(session_id, ()))
            inside = [m for m in group.members if m in present]
            if inside and len(inside) < len(group.members):
                missing = [m for m in group.members if m not in present]
                yield Violation(
                    "together",
                    f"{', '.join(inside)} attend {session_id} without {', '.join(missing)}",
                    inside[0],
                    session_id,
                    scenario.session_by_id[session_id].start,
                )


def _pinned(plan: _Plan) -> Iterator[Violation]:
    assigned = set(plan.pairs)
    for row in plan.scenario.pinned:
        if (row.member, row.session) not in assigned:
            yield Violation(
                "pinned",
                f"{row.member} is pinned to {row.session} but not assigned",
                row.member,
                row.session,
            )


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# -- objective terms ------------------------------------------------------------------


def objective_terms(scenario: Scenario, plan: _Plan) -> tuple[dict[str, int], list[UnmetWindow]]:
    unmet_windows = list(_unmet_windows(scenario, plan))
    sessions = scenario.session_by_id
    previous = set(scenario.previous or ())
    terms = {
        "unmet": sum(w.weight * w.shortfall for w in unmet_windows),
        "changes": len(set(plan.pairs) ^ previous) if scenario.previous is not None else 0,
        "imbalance": _imbalance(scenario, plan),
        "attendances": sum(len(attendees) for attendees in plan.by_session.values()),
        "cost": sum(
            sessions[s].seat_cost * len(ms) + sessions[s].fixed_cost
            for s, ms in plan.by_session.items()
            if ms
        ),
        "avoid": sum(
            1
            for member_id, taken in plan.by_member.items()
            for session in taken
            if any(
                r.touches(session.start, session.last_day)
                for r in scenario.member_by_id[member_id].avoid
            )
        ),
    }
    return terms, unmet_windows


def _history_of(scenario: Scenario) -> dict[str, list]:
    rows: dict[str, list] = defaultdict(list)
    for row in scenario.history:
        rows[row.member].append(row)
    return rows


def _unmet_windows(scenario: Scenario, plan: _Plan) -> Iterator[UnmetWindow]:
    history = _history_of(scenario)
    for member in scenario.members:
        done = [
            (s.course, s.start, scenario.session_hours(s))
            for s in plan.by_member.get(member.id, ())
        ]
        done += [
            (r.course, r.date, scenario.course_by_id[r.course].hours)
            for r in history.get(member.id, ())
        ]
        by_course: dict[str, list[tuple[dt.date, float]]] = defaultdict(list)
        for course, day, hours in done:
            by_course[course].append((day, hours))
        for requirement in scenario.requirements:
            if not requirement.who.matches(member):
                continue
            # Only the completions of the courses the requirement counts.
            courses = requirement.courses if requirement.courses is not None else list(by_course)
            relevant = [item for course in courses for item in by_course.get(course, ())]
            for window in requirement_windows(scenario, requirement, member):
                counted = [hours for day, hours in relevant if window.start <= day <= window.end]
                if requirement.min_hours is not None:
                    short = max(0, math.ceil(requirement.min_hours - sum(counted) - EPSILON))
                else:
                    short = max(0, requirement.needed - len(counted))
                if short:
                    yield UnmetWindow(
                        member.id,
                        requirement.id,
                        window.start,
                        window.end,
                        short,
                        requirement.weight,
                    )


def _imbalance(scenario: Scenario, plan: _Plan) -> int:
    years = scenario.years
    total = 0
    for requirement in scenario.requirements:
        if not requirement.balance:
            continue
        first_year: Counter[int] = Counter()
        for member in scenario.members:
            if not requirement.who.matches(member):
                continue
            starts = [
                s.start
                for s in plan.by_member.get(member.id, ())
                if requirement.counts_course(s.course)
            ]
            if starts:
                first_year[min(starts).year] += 1
        planned = sum(first_year.values())
        total += sum(abs(len(years) * first_year[year] - planned) for year in years)
    return total


def plan_terms(scenario: Scenario, pairs: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Every objective term of a plan, without checking its rules."""
    return objective_terms(scenario, _Plan(scenario, list(pairs)))[0]


def ineligibility(
    scenario: Scenario, member: Member, session_id: str, rules: dict[str, TeamRule]
) -> list[tuple[str, str]]:
    """Why a member may not attend a session: ``(rule, plain words)`` pairs; empty if eligible.

    The checker's own, on purpose: the engine, the explanations and validation share
    ``models.Eligibility``, and a defect there must not also hide in the check.

    The rules are ``audience``, ``presence``, ``unavailable`` and ``blackout``.
    """
    session = scenario.session_by_id[session_id]
    course = scenario.course_by_id[session.course]
    start, end = session.start, session.last_day
    reasons = []
    if not course.audience.matches(member):
        reasons.append(
            ("audience", f"not in the audience of course {course.id} ({course.audience})")
        )
    if not session.audience.matches(member):
        reasons.append(
            ("audience", f"not in the audience of session {session.id} ({session.audience})")
        )
    here = presence(scenario, member)
    if here is None or start < here.start or end > here.end:
        span = str(here) if here else "none in the horizon"
        reasons.append(("presence", f"{start}/{end} is outside the member's presence ({span})"))
    leave = [r for r in member.unavailable if r.touches(start, end)]
    if leave:
        reasons.append(("unavailable", f"the member is unavailable {leave[0]}"))
    rule = rules.get(member.team)
    if course.away and rule is not None and rule.in_blackout(start, end):
        dark = next(r for r in rule.blackout if r.touches(start, end))
        reasons.append(("blackout", f"team {member.team} has a blackout {dark}"))
    return reasons
