"""Who may attend which session (SPEC.md's Eligibility), the checker's own.

On purpose not ``models.Eligibility``, which the engine, the explanations and validation
share: a defect there must not also hide in the check.
"""

from __future__ import annotations

from collections.abc import Iterator

from models import Member, Scenario, presence
from models.rules import TeamRule

from .plan_index import PlanIndex
from .report import Violation


def eligibility(plan: PlanIndex, rules: dict[str, TeamRule]) -> Iterator[Violation]:
    """``audience``, ``presence``, ``unavailable`` and ``blackout``: each attendance the
    member may not make, one violation per rule it breaks."""
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
