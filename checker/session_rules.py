"""The rules of one running session: ``capacity``, ``min_size`` and the ``mix`` shares."""

from __future__ import annotations

from collections.abc import Iterator

from models import Session
from models.scenario import MixRule

from .plan_index import EPSILON, PlanIndex
from .report import Violation


def session_size(plan: PlanIndex) -> Iterator[Violation]:
    """``capacity`` and ``min_size``: a session that runs has between the two attendees.

    Only sessions with an attendee appear in ``plan.by_session``: one nobody attends does
    not run, so its ``min_size`` does not apply.
    """
    for session_id, attendees in plan.by_session.items():
        session = plan.scenario.session_by_id[session_id]
        size = len(attendees)
        if size > session.capacity:
            yield _broken("capacity", session, f"has {size} attendees for {session.capacity} seats")
        if size < session.min_size:
            yield _broken(
                "min_size",
                session,
                f"runs with {size} attendees, fewer than its min_size {session.min_size}",
            )


def mix_shares(plan: PlanIndex) -> Iterator[Violation]:
    """``mix``: each running session's share of matching attendees, against each bound."""
    scenario = plan.scenario
    for session_id, attendees in plan.by_session.items():
        session = scenario.session_by_id[session_id]
        size = len(attendees)
        for rule in scenario.course_by_id[session.course].mix:
            share = sum(1 for m in attendees if rule.who.matches(scenario.member_by_id[m]))
            for bound in _shares_out_of_bounds(rule, share, size):
                yield _broken(
                    "mix",
                    session,
                    f"has {share} of {size} attendees matching {rule.who}, {bound}",
                )


def _shares_out_of_bounds(rule: MixRule, share: int, size: int) -> Iterator[str]:
    """The bounds of ``rule`` that ``share`` of ``size`` attendees breaks, in words."""
    if rule.min_share is not None and share < rule.min_share * size - EPSILON:
        yield f"below min_share {rule.min_share}"
    if rule.max_share is not None and share > rule.max_share * size + EPSILON:
        yield f"above max_share {rule.max_share}"


def _broken(rule: str, session: Session, what: str) -> Violation:
    """A session's rule broken: the message starts with the session's id."""
    return Violation(rule, f"{session.id} {what}", session=session.id, day=session.start)
