"""The work-study load of a plan: members away per team and week, and days away per member.

Days count as SPEC.md counts them: only sessions of ``away`` courses, each day in the team
and year it falls in.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from models import Scenario, member_limits, team_rules
from models.dates import each_day

# Above this many rows a heat map of teams is unreadable: it groups teams by unit, then
# units by region.
MOST_ROWS = 250
# A row of several teams is marked where at least this share of them reach their cap.
BINDING_SHARE = 0.25


@dataclass
class LoadGrid:
    """Per row (a team, or a unit or region of teams) and week: how close teams are to the cap.

    A team's load in a week is the most of its members away on one day of it, divided by
    its cap (or its size, for a team without a cap). ``share[r][w]`` is that load for a
    team row, the mean over the row's teams for a unit or region, and None for a week with
    nobody away. ``at_cap[r][w]`` counts the row's teams that reach their cap on a day of
    the week, ``binds[r][w]`` is True when at least ``BINDING_SHARE`` of them do (for a
    team row: when the team does), and ``blackout[r][w]`` is the share of the row's teams
    with a blackout day in the week.
    """

    level: str  # team, unit or region
    groups: list[str]
    weeks: list[dt.date]
    share: list[list[float | None]]
    at_cap: list[list[int]]
    teams: list[int]
    binds: list[list[bool]]
    blackout: list[list[float]]


@dataclass
class DaysAway:
    """Member-years by days away, and the ``max_days_per_year`` limits in force."""

    counts: dict[int, Counter[int]] = field(default_factory=dict)  # year -> days -> members
    limits: list[int] = field(default_factory=list)
    at_limit: int = 0


def weeks_of(scenario: Scenario) -> list[dt.date]:
    """The Monday of every week that meets the horizon."""
    first = scenario.horizon.start - dt.timedelta(days=scenario.horizon.start.weekday())
    count = (scenario.horizon.end - first).days // 7 + 1
    return [first + dt.timedelta(weeks=n) for n in range(count)]


def _away_days(scenario: Scenario, pairs: list[tuple[str, str]]) -> Counter[tuple[str, dt.date]]:
    """Members away per (member, day): every day of every away session attended."""
    days: Counter[tuple[str, dt.date]] = Counter()
    for member_id, session_id in pairs:
        session = scenario.session_by_id[session_id]
        if scenario.is_away(session):
            for day in each_day(session.start, session.last_day):
                days[(member_id, day)] += 1
    return days


def team_load(
    scenario: Scenario, pairs: list[tuple[str, str]], regions: dict[str, str]
) -> LoadGrid:
    """The heat map's cells: teams by week, or units (regions) when there are too many teams."""
    rules = team_rules(scenario)
    team_of = {member.id: member.team for member in scenario.members}
    away: Counter[tuple[str, dt.date]] = Counter()
    for member_id, day in _away_days(scenario, pairs):
        away[(team_of[member_id], day)] += 1
    weeks = weeks_of(scenario)
    first = weeks[0]
    # Per team and week: the most away on a day, and whether the cap binds.
    most: dict[str, Counter[int]] = defaultdict(Counter)
    binds: dict[str, set[int]] = defaultdict(set)
    for (team, day), count in away.items():
        week = (day - first).days // 7
        most[team][week] = max(most[team][week], count)
        cap = rules[team].cap
        if cap is not None and count >= cap:
            binds[team].add(week)
    level, group_of = _grouping(scenario, regions)
    groups = sorted(set(group_of.values()))
    row = {group: index for index, group in enumerate(groups)}
    teams_in: Counter[str] = Counter(group_of.values())
    share: list[list[float | None]] = [[None] * len(weeks) for _ in groups]
    at_cap = [[0] * len(weeks) for _ in groups]
    dark = [[0.0] * len(weeks) for _ in groups]
    for team, rule in rules.items():
        r, size = row[group_of[team]], teams_in[group_of[team]]
        limit = rule.cap or rule.size
        # A row of many teams shows their mean: the most loaded team alone would colour
        # every row of a province dark, since some team is at its cap almost every week.
        for week, count in most[team].items():
            share[r][week] = (share[r][week] or 0.0) + count / max(1, limit) / size
        for week in binds[team]:
            at_cap[r][week] += 1
        for week in _blackout_weeks(rule.blackout, first, len(weeks)):
            dark[r][week] += 1 / size
    teams = [teams_in[group] for group in groups]
    binding = [
        [BINDING_SHARE * n <= count and count > 0 for count in counts]
        for n, counts in zip(teams, at_cap, strict=True)
    ]
    return LoadGrid(level, groups, weeks, share, at_cap, teams, binding, dark)


def _grouping(scenario: Scenario, regions: dict[str, str]) -> tuple[str, dict[str, str]]:
    """Teams as they are, or by unit, or by region: the finest that fits ``MOST_ROWS``."""
    unit_of = {member.team: member.unit for member in scenario.members}
    if len(unit_of) <= MOST_ROWS:
        return "team", {team: team for team in unit_of}
    if len(set(unit_of.values())) <= MOST_ROWS or not regions:
        return "unit", unit_of
    return "region", {team: regions.get(unit, unit) for team, unit in unit_of.items()}


def _blackout_weeks(blackout: list, first: dt.date, count: int) -> set[int]:
    weeks = set()
    for dark in blackout:
        for day in dark.each_day():
            week = (day - first).days // 7
            if 0 <= week < count:
                weeks.add(week)
    return weeks


def days_away(scenario: Scenario, pairs: list[tuple[str, str]]) -> DaysAway:
    """Member-years by days away, counted in the year each day falls in."""
    per_year: Counter[tuple[str, int]] = Counter()
    for member_id, day in _away_days(scenario, pairs):
        per_year[(member_id, day.year)] += 1
    result = DaysAway(counts={year: Counter() for year in scenario.years})
    limits = set()
    for member in scenario.members:
        limit = member_limits(scenario, member).max_days_per_year
        if limit is not None:
            limits.add(limit)
        for year in scenario.years:
            days = per_year[(member.id, year)]
            result.counts[year][days] += 1
            result.at_limit += limit is not None and days >= limit
    result.limits = sorted(limits)
    return result
