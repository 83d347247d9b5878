"""Why a requirement window is shorter than the span its requirement gives it.

A window is cut to the member's presence (``models.requirement_windows``): it starts late
when the member joins or arrives within the span, and ends early when the member leaves.
A reason that names such a window says so, or the dates look arbitrary to a planner.
"""

from __future__ import annotations

import datetime as dt

from models import DateRange, Member, Requirement, Scenario
from models.rules import year_span

from . import messages as msg
from .messages import Items, Note, note


def nominal_span(scenario: Scenario, requirement: Requirement, window: DateRange) -> DateRange:
    """The span the requirement gives the window before the member's presence cuts it."""
    kind = requirement.window
    if kind == "horizon":
        return DateRange(scenario.horizon.start, scenario.horizon.end)
    if kind == "year":
        return year_span(scenario, window.start.year)
    if hasattr(kind, "joining_days"):
        # Starts at joining by definition; only leaving can shorten it.
        return DateRange(window.start, window.start + dt.timedelta(days=kind.joining_days - 1))
    return DateRange(max(kind.start, scenario.horizon.start), min(kind.end, scenario.horizon.end))


def window_cut(
    scenario: Scenario, requirement: Requirement, member: Member, window: DateRange
) -> Note | None:
    """Why the window starts later or ends earlier than its span; None when it does not."""
    span = nominal_span(scenario, requirement, window)
    parts = []
    if window.start > span.start:
        key = "cut.joins" if member.joined == window.start else "cut.arrives"
        parts.append(note(key, date=window.start, member=msg.member(member.id)))
    if window.end < span.end:
        parts.append(note("cut.leaves", date=window.end, member=msg.member(member.id)))
    if not parts:
        return None
    return note("cut.window", span=span, cuts=Items(parts, major=True))


def with_cut(
    reason: Note, scenario: Scenario, requirement: Requirement, member: Member, window: DateRange
) -> Note:
    """The reason, followed by why its window is shorter than its span when it is."""
    cut = window_cut(scenario, requirement, member, window)
    return reason if cut is None else note("cut.reason", reason=reason, cut=cut)
