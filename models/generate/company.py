"""What the generator draws, before it is written: the company, its members and sessions.

The members' categories are named here too, since the courses, the requirements and the
draws all speak of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from models.families import Structure

from .text import flow, numeral

# First and last day, both included.
DateSpan = tuple[dt.date, dt.date]

# Branch secretaries and Party-affairs cadres; activists, who are not yet Party members.
CADRES = ("branch_secretary", "party_affairs")
ACTIVISTS = ("backbone_activist", "young_activist")
PARTY_MEMBERS = ("general", *CADRES, "backbone", "near_retirement", "new_graduate")
CATEGORIES = (*CADRES, "backbone", "near_retirement", *ACTIVISTS, "new_graduate")


@dataclass
class Team:
    """A work team: the unit of the daily away cap and of peak-season blackouts."""

    id: str
    name: str
    kind: str  # office, ops or dispatch
    size: int


@dataclass
class Unit:
    """A Party branch (unit) with its work teams."""

    id: str
    name: str
    kind: str  # head_office, centre, county_office, county_maintenance or station
    teams: list[Team] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(team.size for team in self.teams)


@dataclass
class Person:
    """A member row as it is written to members.csv."""

    id: str
    name: str
    unit: Unit
    team: Team
    tier: str = "grassroots"
    track: str = "technical"
    category: str = "general"
    joined: dt.date | None = None
    available_from: dt.date | None = None
    available_until: dt.date | None = None
    unavailable: list[DateSpan] = field(default_factory=list)
    avoid: list[DateSpan] = field(default_factory=list)

    def presence(self, horizon: DateSpan) -> DateSpan:
        """The days the member is with the company inside the horizon."""
        start = max(self.available_from or horizon[0], horizon[0])
        end = min(self.available_until or horizon[1], horizon[1])
        return start, end


@dataclass
class SessionRow:
    """A session row as it is written to sessions.csv."""

    id: str
    course: str
    start: dt.date
    end: dt.date
    capacity: int
    min_size: int = 0
    hours: int | None = None
    seat_cost: int = 0
    fixed_cost: int = 0
    audience: str = ""
    location: str = ""


@dataclass
class Region:
    """A company of the province (分公司): whole branches that hold their classes together.

    A scenario that is not split has one region, number 0, holding every unit; it adds
    nothing to session ids and audiences, and its places are the company's own.
    """

    number: int
    units: list[Unit]
    people: list[Person]
    width: int = 2
    # Audience cells by selector: writing a long list of units as YAML is slow.
    audiences: dict[tuple[tuple[str, tuple[str, ...]], ...], str] = field(
        default_factory=dict, repr=False
    )

    @property
    def prefix(self) -> str:
        """What the region's session ids start with, e.g. ``R03-``."""
        return f"R{self.number:0{self.width}d}-" if self.number else ""

    @property
    def company_name(self) -> str:
        return f"第{numeral(self.number)}分公司" if self.number else "公司"

    def place(self, venue: str) -> str:
        """The region's own venue, e.g. ``第三分公司党校``."""
        return self.company_name + venue

    def audience(self, **selector: list[str]) -> str:
        """A session audience: the selector given, narrowed to the region's units."""
        key = tuple((name, tuple(values)) for name, values in selector.items())
        if key not in self.audiences:
            if self.number:
                selector = {**selector, "units": [unit.id for unit in self.units]}
            self.audiences[key] = flow(selector) if selector else ""
        return self.audiences[key]

    def count(self, tiers: Iterable[str] = (), categories: Iterable[str] = ()) -> int:
        """Members of the region in any of the tiers or categories given."""
        tiers, categories = set(tiers), set(categories)
        return sum(1 for p in self.people if p.tier in tiers or p.category in categories)


@dataclass
class Company:
    """Everything drawn for one scenario, before it is written."""

    horizon: DateSpan
    closed: list[tuple[DateSpan, str]]
    units: list[Unit]
    people: list[Person]
    regions: list[Region] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    history: list[tuple[str, str, dt.date]] = field(default_factory=list)
    sessions: list[SessionRow] = field(default_factory=list)
    structure: Structure = field(default_factory=Structure)
    # Team limits the structure adds (team blackouts), as (comment, entry).
    extra_team_limits: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return list(range(self.horizon[0].year, self.horizon[1].year + 1))

    @property
    def split(self) -> bool:
        """Whether the company is a province cut into regions."""
        return len(self.regions) > 1
