"""What a planner wants to see of a loaded scenario before solving it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .rules import requirement_windows
from .scenario import Scenario


@dataclass
class Overview:
    members_by_tier_category: dict[tuple[str, str], int]
    units: int
    teams: int
    members_per_unit: tuple[int, int]
    members_per_team: tuple[int, int]
    sessions_by_year_course: dict[tuple[int, str], int]
    requirement_reach: dict[str, tuple[int, int]]  # id -> (members, windows)


def overview(scenario: Scenario) -> Overview:
    by_unit = Counter(m.unit for m in scenario.members)
    by_team = Counter(m.team for m in scenario.members)
    reach = {}
    for requirement in scenario.requirements:
        members = windows = 0
        for member in scenario.members:
            if requirement.who.matches(member):
                count = len(requirement_windows(scenario, requirement, member))
                members += count > 0
                windows += count
        reach[requirement.id] = (members, windows)
    return Overview(
        members_by_tier_category=dict(
            sorted(Counter((m.tier, m.category) for m in scenario.members).items())
        ),
        units=len(by_unit),
        teams=len(by_team),
        members_per_unit=(min(by_unit.values(), default=0), max(by_unit.values(), default=0)),
        members_per_team=(min(by_team.values(), default=0), max(by_team.values(), default=0)),
        sessions_by_year_course=dict(
            sorted(Counter((s.start.year, s.course) for s in scenario.sessions).items())
        ),
        requirement_reach=reach,
    )
