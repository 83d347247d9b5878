"""The plan's rows against the scenario: each row once, of known ids, every pin kept."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from models import Scenario

from .plan_index import PlanIndex
from .report import Violation


def known_rows(scenario: Scenario, pairs: list[tuple[str, str]]) -> Iterator[Violation]:
    """``duplicate`` (a row twice) and ``unknown`` (a member or session the scenario lacks)."""
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


def pinned(plan: PlanIndex) -> Iterator[Violation]:
    """``pinned``: every pinned row is an assignment of the plan."""
    assigned = set(plan.pairs)
    for row in plan.scenario.pinned:
        if (row.member, row.session) not in assigned:
            yield Violation(
                "pinned",
                f"{row.member} is pinned to {row.session} but not assigned",
                row.member,
                row.session,
            )
