"""Checks across objects: ids, references, sessions in the horizon, pinned eligibility."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .dates import touches_any
from .problems import Problem
from .rules import history_in_horizon, ineligibility, team_rules
from .selector import SELECTOR_KEYS, Selector

if TYPE_CHECKING:
    from .scenario import Course, Member, Requirement, Scenario, Session

MEMBER_FIELD = {
    "tiers": "tier",
    "tracks": "track",
    "categories": "category",
    "units": "unit",
    "teams": "team",
    "members": "id",
}


def cross_check(scenario: Scenario) -> list[Problem]:
    """Every problem that needs more than one row to see; errors and warnings."""
    checks = (
        _duplicate_ids,
        _session_problems,
        _requirement_problems,
        _together_problems,
        _history_problems,
        _pinned_problems,
        _objective_problems,
        _selector_warnings,
        _team_warnings,
    )
    return [problem for check in checks for problem in check(scenario)]


def _duplicate_ids(scenario: Scenario) -> Iterator[Problem]:
    sections: list[tuple[str, Iterable[Member | Course | Session | Requirement]]] = [
        ("member", scenario.members),
        ("course", scenario.courses),
        ("session", scenario.sessions),
        ("requirement", scenario.requirements),
    ]
    for kind, items in sections:
        first: dict[str, str] = {}
        for item in items:
            item_id = item.id
            if item_id in first:
                yield Problem(
                    item.where, f"duplicate {kind} id {item_id!r} (first at {first[item_id]})"
                )
            else:
                first[item_id] = item.where


def _session_problems(scenario: Scenario) -> Iterator[Problem]:
    horizon = scenario.horizon
    for session in scenario.sessions:
        if session.course not in scenario.course_by_id:
            yield Problem(
                session.where, f"session {session.id} has unknown course {session.course!r}"
            )
        if session.start < horizon.start or session.last_day > horizon.end:
            yield Problem(
                session.where,
                f"session {session.id} ({session.start}/{session.last_day}) lies outside the "
                f"horizon {horizon.start}/{horizon.end}",
            )
        closed = [r for r in scenario.closed if r.touches(session.start, session.last_day)]
        if closed:
            yield Problem(session.where, f"session {session.id} runs on closed days {closed[0]}")
        if session.min_size > session.capacity:
            yield Problem(
                session.where,
                f"session {session.id} has min_size {session.min_size} above capacity "
                f"{session.capacity}",
            )


def _requirement_problems(scenario: Scenario) -> Iterator[Problem]:
    for requirement in scenario.requirements:
        for course in requirement.courses or []:
            if course not in scenario.course_by_id:
                yield Problem(
                    requirement.where,
                    f"requirement {requirement.id} names unknown course {course!r}",
                )


def _together_problems(scenario: Scenario) -> Iterator[Problem]:
    for group in scenario.together:
        if group.course not in scenario.course_by_id:
            yield Problem(group.where, f"together names unknown course {group.course!r}")
        for member_id in group.members:
            if member_id not in scenario.member_by_id:
                yield Problem(group.where, f"together names unknown member {member_id!r}")
        repeated = [m for m, n in Counter(group.members).items() if n > 1]
        if repeated:
            yield Problem(group.where, f"together lists {', '.join(repeated)} more than once")


def _history_problems(scenario: Scenario) -> Iterator[Problem]:
    for row in scenario.history:
        if row.member not in scenario.member_by_id:
            yield Problem(row.where, f"history names unknown member {row.member!r}")
        if row.course not in scenario.course_by_id:
            yield Problem(row.where, f"history names unknown course {row.course!r}")


def _pinned_problems(scenario: Scenario) -> Iterator[Problem]:
    rules = team_rules(scenario)
    done_before = history_in_horizon(scenario)
    seen: set[tuple[str, str]] = set()
    for row in scenario.pinned:
        member = scenario.member_by_id.get(row.member)
        if member is None:
            yield Problem(row.where, f"pinned names unknown member {row.member!r}")
        if row.session not in scenario.session_by_id:
            yield Problem(row.where, f"pinned names unknown session {row.session!r}")
        if member is None or row.session not in scenario.session_by_id:
            continue
        if scenario.session_by_id[row.session].course not in scenario.course_by_id:
            continue
        if (row.member, row.session) in seen:
            yield Problem(row.where, f"{row.member} is pinned to {row.session} twice", "warning")
        seen.add((row.member, row.session))
        course = scenario.session_by_id[row.session].course
        if (row.member, course) in done_before and not scenario.course_by_id[course].repeatable:
            yield Problem(
                row.where,
                f"{row.member} is pinned to {row.session} of course {course}, which is not "
                "repeatable and is already completed in history inside the horizon",
            )
        reasons = ineligibility(scenario, member, row.session, rules)
        if reasons:
            yield Problem(
                row.where,
                f"{row.member} is pinned to {row.session} but may not attend it: "
                + "; ".join(text for _, text in reasons),
            )


def _objective_problems(scenario: Scenario) -> Iterator[Problem]:
    repeated = [term for term, n in Counter(scenario.objective).items() if n > 1]
    if repeated:
        yield Problem("objective", f"terms listed more than once: {', '.join(repeated)}")


def _selectors(scenario: Scenario) -> Iterator[tuple[str, Selector]]:
    for course in scenario.courses:
        yield f"{course.where}.audience", course.audience
        for i, rule in enumerate(course.mix):
            yield f"{course.where}.mix[{i}].who", rule.who
    for session in scenario.sessions:
        yield f"{session.where}, column audience", session.audience
    for requirement in scenario.requirements:
        yield f"{requirement.where}.who", requirement.who
    for limit in scenario.limits:
        yield f"{limit.where}.who", limit.who


def _selector_warnings(scenario: Scenario) -> Iterator[Problem]:
    """Selector values that no member has are usually typos; they are warnings."""
    values: dict[str, set[str | None]] = defaultdict(set)
    for member in scenario.members:
        for key, field in MEMBER_FIELD.items():
            values[key].add(getattr(member, field))
    for where, selector in _selectors(scenario):
        for key in SELECTOR_KEYS:
            wanted = getattr(selector, key) or ()
            unknown = [v for v in wanted if v not in values[key]]
            if unknown:
                yield Problem(where, f"{key} {', '.join(unknown)} match no member", "warning")


def _team_warnings(scenario: Scenario) -> Iterator[Problem]:
    teams = {m.team for m in scenario.members}
    units = {m.unit for m in scenario.members}
    for entry in scenario.team_limits:
        for team in entry.teams or []:
            if team not in teams:
                yield Problem(entry.where, f"team {team} has no members", "warning")
        for unit in entry.units or []:
            if unit not in units:
                yield Problem(entry.where, f"unit {unit} has no members", "warning")
        if not all(touches_any(r.start, r.end, [scenario.horizon.range]) for r in entry.blackout):
            yield Problem(entry.where, "a blackout lies outside the horizon", "warning")
    for team, rule in team_rules(scenario).items():
        if len(rule.units) > 1:
            yield Problem(
                "members",
                f"team {team} has members in units {', '.join(sorted(rule.units))}; "
                "they count as one team",
                "warning",
            )
