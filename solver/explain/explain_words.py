"""Words that the member, requirement and suggestion lines of ``rotaplan explain`` share."""

from __future__ import annotations

from collections import defaultdict

from models import (
    Requirement,
)

from . import messages as msg
from .messages import Note, note
from .verdicts import CAUSES, WindowFinding

MOST_MEMBERS = 8


def group_findings(findings: list[WindowFinding]) -> list[tuple[str, list[WindowFinding]]]:
    """Findings by cause, the largest group first (ties in the order of ``CAUSES``)."""
    groups: dict[str, list[WindowFinding]] = defaultdict(list)
    for finding in findings:
        groups[finding.cause].append(finding)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), CAUSES.index(kv[0])))


def members_of(findings: list[WindowFinding]) -> object:
    """The members of the findings, each once, shortened to ``MOST_MEMBERS``."""
    members = list(dict.fromkeys(f.member_id for f in findings))
    return msg.shortened([msg.member(m) for m in members], MOST_MEMBERS)


def needed_amount(requirement: Requirement) -> float:
    """What a window of the requirement needs: class hours, or completions."""
    return requirement.min_hours if requirement.min_hours is not None else requirement.needed


def requirement_note(requirement: Requirement) -> Note:
    """The requirement in words: what it asks of whom, and its weight."""
    ref = msg.requirement(requirement.id)
    if requirement.min_hours is not None:
        courses = (
            note("requirement.hours_courses", courses=[msg.course(c) for c in requirement.courses])
            if requirement.courses
            else ""
        )
        return note(
            "requirement.hours",
            requirement=ref,
            hours=requirement.min_hours,
            courses=courses,
            weight=requirement.weight,
        )
    return note(
        "requirement.courses",
        requirement=ref,
        count=requirement.needed,
        courses=[msg.course(c) for c in requirement.courses or ()],
        weight=requirement.weight,
    )
