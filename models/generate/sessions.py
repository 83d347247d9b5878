"""The sessions of every year: one method per course, each sized to its audience."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Sequence
from typing import Any

from .company import ACTIVISTS, CADRES, Company, DateSpan, Region, SessionRow
from .courses import RED_CATALOGUE
from .names import TOWN_FIRST, TOWN_SECOND
from .seasons import spread_months, start_days

# Most seats of a rotation class; a structure's ``class_size`` may lower it.
ROTATION_CLASS = 50


def draw_sessions(rng: random.Random, company: Company) -> list[SessionRow]:
    """Every year's offer of every course, sorted by start day and id."""
    closed = [span for span, _ in company.closed]
    sessions: list[SessionRow] = []
    for year in company.years:
        offer = _YearOffer(rng, company, year, closed)
        sessions.extend(offer.all())
    return sorted(sessions, key=lambda s: (s.start, s.id))


RegionalCourse = Callable[[Region], list[SessionRow]]


class _YearOffer:
    """The sessions of one year: one method per course, each sized to its audience.

    Classes are held by each region for its own members; e-learning is one offer for all
    and joint activities are per branch. Courses are drawn in a fixed order, each over the
    regions in turn, so an unsplit company draws exactly what it always has.
    """

    def __init__(self, rng: random.Random, company: Company, year: int, closed: list[DateSpan]):
        self.rng = rng
        self.company = company
        self.year = year
        self.closed = closed
        self.span = len(company.years)

    def all(self) -> list[SessionRow]:
        return [
            *self.in_regions(self.rotation),
            *self.elearning(),
            *self.in_regions(self.central_group),
            *self.in_regions(self.thematic),
            *self.in_regions(self.party_affairs),
            *self.in_regions(self.orientation),
            *self.in_regions(self.activists),
            *self.in_regions(self.red_trips),
            *self.joint_activities(),
            *self.in_regions(self.mentoring),
        ]

    def in_regions(self, course: RegionalCourse) -> list[SessionRow]:
        """A course's sessions of every region, region by region."""
        return [row for region in self.company.regions for row in course(region)]

    def nobody(self, region: Region, audience: int) -> bool:
        """A region of a province offers no class of a course it has nobody for.

        An unsplit company always offers every course, as it always has.
        """
        return region.number > 0 and audience == 0

    def place(self, month: int, days: int) -> DateSpan | None:
        """A working-week slot in a month, clear of holidays; None if the month has none."""
        starts = start_days(self.year, month, days, self.closed)
        if not starts:
            return None
        start = self.rng.choice(starts)
        return start, start + dt.timedelta(days=days - 1)

    def series(
        self,
        prefix: str,
        course: str,
        months: Sequence[int],
        days: int,
        capacity: int,
        **extra: Any,
    ) -> list[SessionRow]:
        """One session per month listed, numbered within the year."""
        rows = []
        for number, month in enumerate(months, start=1):
            slot = self.place(month, days)
            if slot is None:
                continue
            rows.append(
                _session(f"{prefix}-{self.year}-{number:02d}", course, slot, capacity, **extra)
            )
        return rows

    def regional_series(
        self,
        region: Region,
        prefix: str,
        course: str,
        months: Sequence[int],
        days: int,
        capacity: int,
        venue: str,
        **extra: Any,
    ) -> list[SessionRow]:
        """A series a region holds for its own members (the audience unless given) at home."""
        extra.setdefault("audience", region.audience())
        location = region.place(venue)
        return self.series(
            region.prefix + prefix, course, months, days, capacity, location=location, **extra
        )

    def classes(self, seats: float, size: int, least: int = 1) -> tuple[int, int]:
        """Number and capacity of classes that give ``seats`` seats in classes of ``size``.

        ``least`` classes at the minimum, so that one team's daily away cap does not keep
        its members out of the only class of the year.
        """
        size = min(size, self.company.structure.class_size or size)
        count = max(least, math.ceil(seats / size))
        return count, max(1, math.ceil(seats / count))

    def rotation(self, region: Region) -> list[SessionRow]:
        """Three-day classes, one seat per member over the horizon, spread evenly by year."""
        rows = []
        groups = (("ROTM", ["leadership", "middle"]), ("ROT", ["grassroots"]))
        # Spring and autumn, with a few classes in the peaks for office staff.
        months = (3, 4, 5, 6, 7, 9, 10, 11, 12)
        for prefix, tiers in groups:
            members = region.count(tiers=tiers)
            if self.nobody(region, members):
                continue
            count, capacity = self.classes(members / self.span, ROTATION_CLASS)
            chosen = spread_months(self.rng, months, count)
            rows += self.regional_series(
                region,
                prefix,
                "rotation",
                chosen,
                3,
                capacity,
                "党校",
                min_size=min(20, capacity // 2),
                seat_cost=300,
                fixed_cost=3000,
                audience=region.audience(tiers=tiers),
            )
        return rows

    def elearning(self) -> list[SessionRow]:
        """A monthly remote module for everyone; twelve give 36 hours against the norm of 32."""
        return self.series(
            "EL", "elearn", range(1, 13), 1, len(self.company.people), location="网络大学"
        )

    def central_group(self, region: Region) -> list[SessionRow]:
        """The Party committee's central study group meets every other month."""
        leaders = region.count(tiers=("leadership",))
        if self.nobody(region, leaders):
            return []
        return self.regional_series(
            region, "CG", "central_group", (1, 3, 5, 7, 9, 11), 1, leaders, "本部"
        )

    def thematic(self, region: Region) -> list[SessionRow]:
        """Two-day seminars for middle managers, for about nine in ten of them a year."""
        middle = region.count(tiers=("middle",))
        if self.nobody(region, middle):
            return []
        count, capacity = self.classes(0.9 * middle, 50, least=2)
        months = spread_months(self.rng, (4, 5, 6, 9, 10, 11), count)
        return self.regional_series(
            region, "TH", "thematic", months, 2, capacity, "培训中心", seat_cost=200
        )

    def party_affairs(self, region: Region) -> list[SessionRow]:
        """Two-day skills courses; some cadres need two a year to reach 56 hours."""
        cadres = region.count(categories=CADRES)
        if self.nobody(region, cadres):
            return []
        count, capacity = self.classes(1.3 * cadres, 40, least=2)
        months = spread_months(self.rng, (3, 4, 5, 6, 9, 10, 11), count)
        return self.regional_series(
            region, "PA", "party_affairs", months, 2, capacity, "党校", seat_cost=200
        )

    def orientation(self, region: Region) -> list[SessionRow]:
        """In April, September and November, so July joiners have three within their year."""
        graduates = region.count(categories=("new_graduate",))
        if self.nobody(region, graduates):
            return []
        capacity = max(10, math.ceil(graduates / self.span))
        return self.regional_series(region, "OR", "orientation", (4, 9, 11), 2, capacity, "党校")

    def activists(self, region: Region) -> list[SessionRow]:
        """Three-day classes for activists, about 1.2 seats each over the horizon."""
        activists = region.count(categories=ACTIVISTS)
        if self.nobody(region, activists):
            return []
        count, capacity = self.classes(1.2 * activists / self.span, 50)
        months = spread_months(self.rng, (5, 10, 6, 11), count)
        return self.regional_series(region, "AC", "activist", months, 3, capacity, "党校")

    def red_trips(self, region: Region) -> list[SessionRow]:
        """This year's picks from the catalogue, about 1.2 seats per cadre or backbone member."""
        target = region.count(categories=(*CADRES, "backbone", "backbone_activist"))
        if self.nobody(region, target):
            return []
        trips = max(1, math.ceil(1.2 * target / self.span / 35))
        months = spread_months(self.rng, (4, 5, 6, 9, 10, 11), trips)
        weights = [trip.weight for trip in RED_CATALOGUE]
        rows = []
        for number, month in enumerate(months, start=1):
            trip = self.rng.choices(RED_CATALOGUE, weights)[0]
            slot = self.place(month, trip.days)
            if slot is None:
                continue
            capacity = self.rng.randint(30, 40)
            rows.append(
                _session(
                    f"{region.prefix}RED-{self.year}-{number:02d}-{trip.code}",
                    "red_trip",
                    slot,
                    capacity,
                    min_size=self.rng.randint(15, 20),
                    hours=trip.hours,
                    seat_cost=trip.seat_cost,
                    fixed_cost=trip.fixed_cost,
                    audience=region.audience(),
                    location=trip.location,
                )
            )
        return rows

    def joint_activities(self) -> list[SessionRow]:
        """One or two activities per branch with a local partner branch, spring and autumn."""
        rows = []
        towns = [a + b for a in TOWN_FIRST for b in TOWN_SECOND]
        for unit in self.company.units:
            halves = ((3, 4, 5, 6), (9, 10, 11))
            wanted = halves if self.rng.random() < 0.5 else (self.rng.choice(halves),)
            for number, months in enumerate(wanted, start=1):
                slot = self.place(self.rng.choice(months), 1)
                if slot is None:
                    continue
                partner = f"{self.rng.choice(towns)}村党支部"
                rows.append(
                    _session(
                        f"JT-{self.year}-{unit.id}-{number}",
                        "joint",
                        slot,
                        unit.size,
                        audience=f"{{units: [{unit.id}]}}",
                        location=f"联建单位：{partner}",
                    )
                )
        return rows

    def mentoring(self, region: Region) -> list[SessionRow]:
        """Two mentoring days a year, seats for every pair three times over.

        Every pair lies within one region (see ``draw_pairs``), so both can attend.
        """
        members = {person.id for person in region.people}
        pairs = sum(1 for _, mentee in self.company.pairs if mentee in members)
        capacity = max(10, 2 * math.ceil(1.5 * pairs / self.span / 2))
        return self.regional_series(
            region, "MEN", "mentoring", (6, 11), 1, capacity, "职工活动中心"
        )


def _session(
    session_id: str, course: str, slot: DateSpan, capacity: int, **extra: Any
) -> SessionRow:
    """A session of ``course`` held over the days of ``slot``."""
    start, end = slot
    return SessionRow(
        id=session_id, course=course, start=start, end=end, capacity=capacity, **extra
    )
