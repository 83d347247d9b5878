"""Checks across objects: ids, references, sessions in the horizon, pinned eligibility."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator
from typing import TYPE_CHECKING

from .dates import touches_any
from .eligibility import Eligibility
from .near import Names, near_miss
from .problems import Problem
from .rules import history_in_horizon, team_rules
from .selector import MEMBER_FIELD, SELECTOR_KEYS
from .values import selectors, value_typos

if TYPE_CHECKING:
    from .scenario import Course, Member, Requirement, Scenario, Session


def cross_check(scenario: Scenario, strict_values: bool = False) -> list[Problem]:
    """Every problem that needs more than one row to see; errors and warnings.

    With ``strict_values``, a member value that is probably a typo is an error.
    """
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
    problems = [problem for check in checks for problem in check(scenario)]
    problems.extend(value_typos(scenario, strict_values))
    return problems


# Suggestions are looked for among this many ids at most: each unknown reference costs a
# pass over them, and a province's thousands of member ids are numbered, not typed.
MOST_SUGGESTED = 300


def _unknown(kind: str, name: str, known: Collection[str]) -> str:
    """``unknown course 'rotaton'; did you mean 'rotation'?``"""
    meant = near_miss(name, known) if len(known) <= MOST_SUGGESTED else None
    return f"unknown {kind} {name!r}" + (f"; did you mean {meant!r}?" if meant else "")


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
                earlier = first[item_id].removesuffix(f" ({item_id})")
                yield Problem(item.where, f"duplicate {kind} id {item_id!r} (first at {earlier})")
            else:
                first[item_id] = item.where


def _session_problems(scenario: Scenario) -> Iterator[Problem]:
    horizon = scenario.horizon
    for session in scenario.sessions:
        if session.course not in scenario.course_by_id:
            yield Problem(session.where, _unknown("course", session.course, scenario.course_by_id))
        if session.start < horizon.start or session.last_day > horizon.end:
            yield Problem(
                session.where,
                f"{session.start}/{session.last_day} lies outside the horizon "
                f"{horizon.start}/{horizon.end}",
            )
        closed = [r for r in scenario.closed if r.touches(session.start, session.last_day)]
        if closed:
            yield Problem(session.where, f"runs on closed days {closed[0]}")
        if session.min_size > session.capacity:
            yield Problem(
                session.where,
                f"min_size {session.min_size} is above capacity {session.capacity}",
            )


def _requirement_problems(scenario: Scenario) -> Iterator[Problem]:
    for requirement in scenario.requirements:
        for course in requirement.courses or []:
            if course not in scenario.course_by_id:
                yield Problem(requirement.where, _unknown("course", course, scenario.course_by_id))


def _together_problems(scenario: Scenario) -> Iterator[Problem]:
    for group in scenario.together:
        if group.course not in scenario.course_by_id:
            yield Problem(group.where, _unknown("course", group.course, scenario.course_by_id))
        for member_id in group.members:
            if member_id not in scenario.member_by_id:
                yield Problem(group.where, _unknown("member", member_id, scenario.member_by_id))
        repeated = [m for m, n in Counter(group.members).items() if n > 1]
        if repeated:
            yield Problem(group.where, f"together lists {', '.join(repeated)} more than once")


def _history_problems(scenario: Scenario) -> Iterator[Problem]:
    for row in scenario.history:
        if row.member not in scenario.member_by_id:
            yield Problem(row.where, _unknown("member", row.member, scenario.member_by_id))
        if row.course not in scenario.course_by_id:
            yield Problem(row.where, _unknown("course", row.course, scenario.course_by_id))


def _pinned_problems(scenario: Scenario) -> Iterator[Problem]:
    if not scenario.pinned:
        return
    eligibility = Eligibility(scenario, team_rules(scenario), cache=False)
    done_before = history_in_horizon(scenario)
    seen: set[tuple[str, str]] = set()
    for row in scenario.pinned:
        member = scenario.member_by_id.get(row.member)
        if member is None:
            yield Problem(row.where, _unknown("member", row.member, scenario.member_by_id))
        if row.session not in scenario.session_by_id:
            yield Problem(row.where, _unknown("session", row.session, scenario.session_by_id))
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
        reasons = eligibility.reasons(member, scenario.session_by_id[row.session])
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


def _selector_warnings(scenario: Scenario) -> Iterator[Problem]:
    """Selector values that no member has are usually typos; they are warnings."""
    values: dict[str, set[str | None]] = defaultdict(set)
    for member in scenario.members:
        for key, field in MEMBER_FIELD.items():
            values[key].add(getattr(member, field))
    held: dict[str, Names] = {}  # built when first needed: most scenarios never need one
    for where, selector in selectors(scenario):
        for key in SELECTOR_KEYS:
            wanted = getattr(selector, key) or ()
            unknown = [v for v in wanted if v not in values[key]]
            if unknown:
                if key not in held:
                    held[key] = Names(v for v in values[key] if v is not None)
                hints = [f"{v}: did you mean {m}?" for v in unknown if (m := held[key].near(v))]
                hint = f" ({'; '.join(hints)})" if hints else ""
                yield Problem(where, f"{key} {', '.join(unknown)} match no member{hint}", "warning")


def _team_warnings(scenario: Scenario) -> Iterator[Problem]:
    teams = {m.team for m in scenario.members}
    units = {m.unit for m in scenario.members}
    for entry in scenario.team_limits:
        for team in entry.teams or []:
            if team not in teams:
                meant = near_miss(team, sorted(teams))
                hint = f"; did you mean {meant}?" if meant else ""
                yield Problem(entry.where, f"team {team} has no members{hint}", "warning")
        for unit in entry.units or []:
            if unit not in units:
                meant = near_miss(unit, sorted(units))
                hint = f"; did you mean {meant}?" if meant else ""
                yield Problem(entry.where, f"unit {unit} has no members{hint}", "warning")
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
