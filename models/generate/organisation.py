"""The organisation: branches (units), their work teams, one person per seat, and regions."""

from __future__ import annotations

import math
import random

from .company import Person, Region, Team, Unit
from .names import (
    CENTRES,
    COUNTY_MAINTENANCE_TEAMS,
    COUNTY_OFFICE_TEAMS,
    HEAD_OFFICE,
    HEAD_OFFICE_TEAMS,
    PLACE_FIRST,
    PLACE_SECOND,
    STATION_TEAMS,
    TOWN_FIRST,
    TOWN_SECOND,
    TeamCatalogue,
    branch_name,
    person_name,
)
from .text import numeral

TEAM_MIN, TEAM_MAX = 5, 15
UNIT_MIN, UNIT_MAX = 15, 40

# Above this many members the scenario is a province cut into regions of about REGION_SIZE.
REGION_THRESHOLD = 3000
REGION_SIZE = 2000


def draw_units(
    rng: random.Random, members: int, team_size: tuple[int, int] = (TEAM_MIN, TEAM_MAX)
) -> list[Unit]:
    """Branches of 15-40 members: 15% in the head office, 25% in centres, the rest in counties."""
    sizes = _unit_sizes(rng, members)
    head_office = max(1, round(len(sizes) * 0.15))
    centres = max(1 if len(sizes) > 1 else 0, round(len(sizes) * 0.25))
    kinds = _unit_plan(rng, head_office, centres, len(sizes) - head_office - centres)
    width = max(3, len(str(len(sizes))))
    units = []
    for number, (size, (kind, unit_name, catalogue)) in enumerate(zip(sizes, kinds, strict=True)):
        unit = Unit(id=f"U{number + 1:0{width}d}", name=unit_name, kind=kind)
        unit.teams = _draw_teams(rng, unit.id, size, catalogue, team_size)
        units.append(unit)
    return units


def _unit_sizes(rng: random.Random, members: int) -> list[int]:
    """Split the members into branches of 15 to 40, the last ones adjusted to add up."""
    sizes = []
    remaining = members
    while remaining > 0:
        size = rng.randint(UNIT_MIN, UNIT_MAX)
        if remaining <= UNIT_MAX:
            size = remaining
        elif remaining - size < UNIT_MIN:
            size = remaining - UNIT_MIN
        sizes.append(size)
        remaining -= size
    return sizes


def _unit_plan(
    rng: random.Random, head_office: int, centres: int, county_units: int
) -> list[tuple[str, str, TeamCatalogue]]:
    """Kind, name and team catalogue of every unit, in the order of unit ids."""
    plan: list[tuple[str, str, TeamCatalogue]] = []
    for index in range(head_office):
        department = HEAD_OFFICE[index % len(HEAD_OFFICE)]
        plan.append(
            ("head_office", branch_name(department, index // len(HEAD_OFFICE)), HEAD_OFFICE_TEAMS)
        )
    for index in range(centres):
        centre, teams = CENTRES[index % len(CENTRES)]
        plan.append(("centre", branch_name(centre, index // len(CENTRES)), teams))
    plan.extend(_county_plan(rng, county_units))
    return plan


def _county_plan(rng: random.Random, units: int) -> list[tuple[str, str, TeamCatalogue]]:
    """County companies of 4-7 branches: offices, maintenance, then supply stations."""
    places = [a + b for a in PLACE_FIRST for b in PLACE_SECOND if a != b]
    rng.shuffle(places)
    towns = [a + b for a in TOWN_FIRST for b in TOWN_SECOND]
    plan: list[tuple[str, str, TeamCatalogue]] = []
    company = 0
    while len(plan) < units:
        place = places[company % len(places)]
        if company >= len(places):
            place += numeral(company // len(places) + 1)
        county = f"{place}县供电公司"
        branches = min(rng.randint(4, 7), units - len(plan))
        stations = rng.sample(towns, max(0, branches - 2))
        for index in range(branches):
            if index == 0:
                plan.append(("county_office", f"{county}机关党支部", COUNTY_OFFICE_TEAMS))
            elif index == 1:
                plan.append(
                    ("county_maintenance", f"{county}运维检修党支部", COUNTY_MAINTENANCE_TEAMS)
                )
            else:
                plan.append(
                    ("station", f"{county}{stations[index - 2]}供电所党支部", STATION_TEAMS)
                )
        company += 1
    return plan


def _draw_teams(
    rng: random.Random,
    unit_id: str,
    size: int,
    catalogue: TeamCatalogue,
    bounds: tuple[int, int] = (TEAM_MIN, TEAM_MAX),
) -> list[Team]:
    """Work teams of 5-15 members (or ``bounds``), named and typed from the catalogue."""
    sizes = _team_sizes(rng, size, bounds)
    teams = []
    for index, team_size in enumerate(sizes):
        team_name, kind = catalogue[index % len(catalogue)]
        if index >= len(catalogue):
            team_name += f"（{numeral(index // len(catalogue) + 1)}）"
        teams.append(Team(id=f"{unit_id}-T{index + 1}", name=team_name, kind=kind, size=team_size))
    return teams


def _team_sizes(
    rng: random.Random, size: int, team_size: tuple[int, int] = (TEAM_MIN, TEAM_MAX)
) -> list[int]:
    """Split a unit into teams of 5 to 15 (a unit under 5 is one team), sizes jittered.

    ``team_size`` gives other bounds; the typical team is drawn within two of their middle
    (8 to 12 for 5 to 15).
    """
    least, most_members = team_size
    middle = (least + most_members) / 2
    fewest = max(1, math.ceil(size / most_members))
    most = max(fewest, size // least)
    typical = rng.uniform(max(least, middle - 2), min(most_members, middle + 2))
    count = min(most, max(fewest, round(size / typical)))
    sizes = [size // count + (1 if i < size % count else 0) for i in range(count)]
    for _ in range(count):
        give, take = rng.randrange(count), rng.randrange(count)
        if give != take and sizes[give] > least and sizes[take] < most_members:
            sizes[give] -= 1
            sizes[take] += 1
    return sizes


def draw_people(rng: random.Random, units: list[Unit], members: int) -> list[Person]:
    """One person per seat of every team, with ids in unit order and Chinese names."""
    width = max(5, len(str(members)))
    people: list[Person] = []
    for unit in units:
        for team in unit.teams:
            for _ in range(team.size):
                number = len(people) + 1
                people.append(
                    Person(id=f"M{number:0{width}d}", name=person_name(rng), unit=unit, team=team)
                )
    return people


def split_regions(
    units: list[Unit], people: list[Person], count: int | None = None
) -> list[Region]:
    """Regions of about ``REGION_SIZE`` members: whole units, consecutive in unit order.

    No random draw is used, so the split never disturbs the other streams. A unit goes to
    the region its middle member falls in, which keeps every region within half a unit of
    its share. ``count`` regions when given (one: no split).
    """
    total = len(people)
    if count is None:
        count = 1 if total <= REGION_THRESHOLD else max(2, round(total / REGION_SIZE))
    if count == 1:
        return [Region(0, units, people)]
    region_units: list[list[Unit]] = [[] for _ in range(count)]
    seen = 0
    for unit in units:
        region_units[min(count - 1, (2 * seen + unit.size) * count // (2 * total))].append(unit)
        seen += unit.size
    width = max(2, len(str(count)))
    regions = []
    for number, members in enumerate(region_units, start=1):
        ids = {unit.id for unit in members}
        people_here = [p for p in people if p.unit.id in ids]
        regions.append(Region(number, members, people_here, width))
    return regions
