"""What SPEC.md's definitions make of a scenario: presence, windows, limit cascades, team caps.

These are definitions of the format, not of any solver: the solver and the checker both
read them, and neither adds rules of its own here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .dates import DateRange
from .scenario import LIMIT_FIELDS, Member, Requirement, Scenario


def presence(scenario: Scenario, member: Member) -> DateRange | None:
    """``[max(available_from, horizon.start), min(available_until, horizon.end)]``, or None."""
    start = scenario.horizon.start
    end = scenario.horizon.end
    if member.available_from is not None:
        start = max(start, member.available_from)
    if member.available_until is not None:
        end = min(end, member.available_until)
    return DateRange(start, end) if start <= end else None


def year_span(scenario: Scenario, year: int) -> DateRange:
    """The part of a calendar year inside the horizon."""
    return DateRange(
        max(dt.date(year, 1, 1), scenario.horizon.start),
        min(dt.date(year, 12, 31), scenario.horizon.end),
    )


def requirement_windows(
    scenario: Scenario, requirement: Requirement, member: Member
) -> list[DateRange]:
    """The windows of a requirement that apply to a member, each cut to the member's presence.

    A ``joining_days`` window keeps its start before the horizon, so that history from
    before the plan counts in it.
    """
    here = presence(scenario, member)
    if here is None:
        return []
    window = requirement.window
    if window == "horizon":
        return [here]
    if window == "year":
        return _year_windows(scenario, here)
    if hasattr(window, "joining_days"):
        if member.joined is None:
            return []
        last = member.joined + dt.timedelta(days=window.joining_days - 1)
        if not DateRange(member.joined, last).touches(here.start, here.end):
            return []
        return [DateRange(member.joined, min(last, here.end))]
    start, end = max(window.start, here.start), min(window.end, here.end)
    return [DateRange(start, end)] if start <= end else []


def window_shortfall(requirement: Requirement, done: float) -> int:
    """SPEC.md's shortfall of one window: ``count - completions``, or ``ceil(min_hours - hours)``.

    Parameters
    ----------
    requirement
        The requirement the window belongs to.
    done
        What counts in the window: completions, or class hours for ``min_hours``.

    The independent checker (``checker/``) computes the same number with its own code, on
    purpose: an error here cannot then hide in the check as well.
    """
    if requirement.min_hours is not None:
        return max(0, math.ceil(requirement.min_hours - done - 1e-9))
    return max(0, requirement.needed - int(done))


def _year_windows(scenario: Scenario, here: DateRange) -> list[DateRange]:
    windows = []
    for year in scenario.years:
        span = year_span(scenario, year)
        start, end = max(span.start, here.start), min(span.end, here.end)
        # A year applies only to members present on at least half of its days in the horizon.
        if start <= end and 2 * ((end - start).days + 1) >= span.days:
            windows.append(DateRange(start, end))
    return windows


@dataclass(frozen=True)
class MemberLimits:
    """A member's work-study limits after the cascade: None means no limit."""

    max_days_per_year: int | None = None
    max_days_per_month: int | None = None
    max_hours_per_year: float | None = None
    max_sessions_per_year: int | None = None
    min_gap_days: int | None = None


def member_limits(scenario: Scenario, member: Member) -> MemberLimits:
    """For each field, the value of the last matching ``limits`` entry that sets it."""
    values: dict[str, float | int | None] = {}
    for entry in scenario.limits:
        if not entry.who.matches(member):
            continue
        for name in LIMIT_FIELDS:
            value = getattr(entry, name)
            if value is not None:
                values[name] = value
    return MemberLimits(**values)  # type: ignore[arg-type]


@dataclass
class TeamRule:
    """What ``team_limits`` make of one team: its size, daily away cap and blackout days."""

    team: str
    size: int
    units: set[str] = field(default_factory=set)
    max_away: int | None = None
    max_away_share: float | None = None
    blackout: list[DateRange] = field(default_factory=list)

    @property
    def cap(self) -> int | None:
        """Most members of the team away on one day, or None for no cap."""
        caps = []
        if self.max_away is not None:
            caps.append(self.max_away)
        if self.max_away_share is not None:
            # The epsilon keeps 0.3 * 10 from flooring to 2 in binary floating point.
            caps.append(max(1, math.floor(self.max_away_share * self.size + 1e-9)))
        return min(caps) if caps else None

    def in_blackout(self, start: dt.date, end: dt.date) -> bool:
        return any(r.touches(start, end) for r in self.blackout)


def team_rules(scenario: Scenario) -> dict[str, TeamRule]:
    """Every team's rule: the last matching ``max_away``/share, the union of blackouts."""
    sizes = Counter(member.team for member in scenario.members)
    units: dict[str, set[str]] = defaultdict(set)
    for member in scenario.members:
        units[member.team].add(member.unit)
    rules = {}
    for team, size in sizes.items():
        rule = TeamRule(team=team, size=size, units=units[team])
        for entry in scenario.team_limits:
            if not entry.applies_to(team, units[team]):
                continue
            if entry.max_away is not None:
                rule.max_away = entry.max_away
            if entry.max_away_share is not None:
                rule.max_away_share = entry.max_away_share
            rule.blackout.extend(entry.blackout)
        rules[team] = rule
    return rules


def history_in_horizon(scenario: Scenario) -> set[tuple[str, str]]:
    """(member, course) pairs with a history completion inside the horizon."""
    start, end = scenario.horizon.start, scenario.horizon.end
    return {(row.member, row.course) for row in scenario.history if start <= row.date <= end}
