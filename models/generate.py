"""Generate a realistic scenario: a power-supply company's Party-member education plan.

The company is modelled on DOMAIN.md: a head office, professional centres and county
companies, each cut into Party branches (units) and work teams; three tiers, two tracks and
seven categories of members and activists; joiners, retirements, leave; the courses, norms
and work-study limits a planner applies. Everything is drawn from ``random.Random`` streams
seeded by ``seed``, and written in a fixed order, so one seed always gives the same bytes.

A scenario of more than ``REGION_THRESHOLD`` members is a province: its branches are split
into regions (companies, 分公司) of about ``REGION_SIZE`` members, and each region runs its
own classes for its own members, as real provinces do; only remote e-learning is
province-wide. Without the split every class would be open to the whole province and the
eligible member-session pairs would grow with the square of the members.

How the company is shaped beyond its size (seat supply, class and team sizes, minimum
sizes, caps, leave, blackouts, joiners and leavers, regions) is a ``models.families``
``Structure``; the default one draws the company this module always drew.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from models.families import Structure, check_structure, reshape_sessions, team_blackouts

DateSpan = tuple[dt.date, dt.date]

MIN_MEMBERS = 30
TEAM_MIN, TEAM_MAX = 5, 15
UNIT_MIN, UNIT_MAX = 15, 40
TEAM_AWAY_SHARE = 0.25
ROTATION_CLASS = 50
# Above this many members the scenario is a province cut into regions of about REGION_SIZE.
REGION_THRESHOLD = 3000
REGION_SIZE = 2000

TIER_SHARES = {"leadership": 0.03, "middle": 0.17}
CADRES = ("branch_secretary", "party_affairs")
ACTIVISTS = ("backbone_activist", "young_activist")
PARTY_MEMBERS = ("general", *CADRES, "backbone", "near_retirement", "new_graduate")
CATEGORIES = (*CADRES, "backbone", "near_retirement", *ACTIVISTS, "new_graduate")
# Shares of the general members of each tier that fall in a category (cadres are per unit).
CATEGORY_ODDS = {
    "leadership": {"near_retirement": 0.10},
    "middle": {"near_retirement": 0.12, "backbone": 0.22},
    "grassroots": {
        "near_retirement": 0.09,
        "backbone": 0.13,
        "new_graduate": 0.05,
        "young_activist": 0.05,
        "backbone_activist": 0.035,
    },
}

# Spring Festival (正月初一) by year; the holiday runs from New Year's Eve for a week.
SPRING_FESTIVAL = {
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3),
    2031: dt.date(2031, 1, 23),
    2032: dt.date(2032, 2, 11),
    2033: dt.date(2033, 1, 31),
    2034: dt.date(2034, 2, 19),
    2035: dt.date(2035, 2, 8),
}

HEAD_OFFICE = (
    "办公室",
    "党委党建部",
    "人力资源部",
    "财务资产部",
    "发展策划部",
    "安全监察部",
    "设备管理部",
    "营销服务部",
    "建设部",
    "物资部",
    "纪委办公室",
    "科技数字化部",
    "审计部",
    "工会",
    "法律合规部",
    "后勤服务中心",
)
HEAD_OFFICE_TEAMS = (("综合组", "office"), ("专业一组", "office"), ("专业二组", "office"))
# Operations centres come first so that even a small company has teams under peak blackouts.
CENTRES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "变电运维中心",
        (
            ("变电运维一班", "ops"),
            ("变电运维二班", "ops"),
            ("变电检修班", "ops"),
            ("技术室", "office"),
        ),
    ),
    (
        "电力调度控制中心",
        (("调度运行班", "dispatch"), ("调度监控班", "dispatch"), ("方式计划班", "office")),
    ),
    (
        "配电运检中心",
        (("配电抢修班", "ops"), ("配电运维班", "ops"), ("电缆运检班", "ops"), ("技术室", "office")),
    ),
    (
        "输电运检中心",
        (("输电运检班", "ops"), ("带电作业班", "ops"), ("线路巡视班", "ops"), ("技术室", "office")),
    ),
    (
        "客户服务中心",
        (
            ("95598服务班", "dispatch"),
            ("计量班", "ops"),
            ("营业班", "office"),
            ("综合室", "office"),
        ),
    ),
    ("信息通信分公司", (("信通调度班", "dispatch"), ("运维检修班", "ops"), ("数据中心", "office"))),
    ("物资供应中心", (("仓储配送班", "office"), ("采购管理室", "office"))),
    (
        "建设管理中心",
        (("项目管理一室", "office"), ("项目管理二室", "office"), ("安全质量室", "office")),
    ),
)
COUNTY_OFFICE_TEAMS = (
    ("综合组", "office"),
    ("安全生产组", "office"),
    ("营销组", "office"),
    ("调控分中心", "dispatch"),
)
COUNTY_MAINTENANCE_TEAMS = (("变电运维班", "ops"), ("线路运检班", "ops"), ("综合组", "office"))
STATION_TEAMS = (("营业班", "office"), ("配电运维班", "ops"), ("抢修班", "ops"))
TEAM_KIND_LABELS = {
    "office": "综合管理",
    "ops": "运维检修（迎峰度夏、度冬不脱产）",
    "dispatch": "调控值班",
}
PLACE_FIRST = "东西南北清安永长平新丰宁富兴泰顺临广"
PLACE_SECOND = "山河江阳城安宁平源川丰溪"
TOWN_FIRST = "东西南北上下新古石柳桃杏梅竹松枫龙凤金银"
TOWN_SECOND = "岭桥湾塘坪口集庄堡店埠渡屯铺关溪"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华建国文辉力鹏宇浩凯晨欣婷雪琳玲峰波斌宁"
    "海龙林东红梅颖博思佳雨晓云志俊新春亮成飞鑫健松彬帆"
)
CHINESE_NUMERALS = "一二三四五六七八九十"

# Tier weights by where a team sits: leaders sit in head-office and county-company offices.
LEADERSHIP_WEIGHT = {"head_office": 3.0, "county_office": 4.0, "centre": 0.3}
MIDDLE_WEIGHT = {"head_office": 3.0, "county_office": 2.5, "centre": 1.5, "county_maintenance": 1.5}


@dataclass(frozen=True)
class RedTrip:
    """One offer of the external-training catalogue (外训名录) of red-education trips."""

    code: str
    location: str
    days: int
    hours: int
    seat_cost: int
    fixed_cost: int
    weight: float


RED_CATALOGUE = (
    RedTrip("JGS", "江西井冈山·中国井冈山干部学院", 5, 40, 4800, 12000, 3.0),
    RedTrip("YA", "陕西延安·中国延安干部学院", 5, 40, 5200, 15000, 2.0),
    RedTrip("JX", "浙江嘉兴·南湖红船", 3, 24, 2600, 8000, 3.0),
    RedTrip("BASE", "本市红色教育基地", 1, 8, 150, 2000, 2.0),
)


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
        return f"第{_numeral(self.number)}分公司" if self.number else "公司"

    def place(self, venue: str) -> str:
        """The region's own venue, e.g. ``第三分公司党校``."""
        return self.company_name + venue

    def audience(self, **selector: list[str]) -> str:
        """A session audience: the selector given, narrowed to the region's units."""
        key = tuple((name, tuple(values)) for name, values in selector.items())
        if key not in self.audiences:
            if self.number:
                selector = {**selector, "units": [unit.id for unit in self.units]}
            self.audiences[key] = _flow(selector) if selector else ""
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


# -- the public entry point ---------------------------------------------------------------


def generate_scenario(
    out_dir: Path,
    members: int,
    years: int,
    seed: int,
    start_year: int = 2025,
    name: str | None = None,
    structure: Structure | None = None,
) -> Path:
    """Draw a company and its training offer, and write the scenario files into ``out_dir``.

    Parameters
    ----------
    out_dir
        Folder to write ``scenario.yaml``, ``members.csv``, ``sessions.csv``,
        ``history.csv`` and ``teams.csv`` (unit and team names, for the planner's eye) into;
        created when missing, files in it are overwritten.
    members
        Number of members and activists (at least 30). Above 3,000 the scenario is a
        province of regions of about 2,000 members, each holding its own classes.
    years
        Calendar years the plan covers, from 1 January of ``start_year``.
    seed
        Seed of every random draw: the same arguments give byte-identical files.
    start_year
        First year of the horizon.
    name
        Scenario name; default a Chinese title with the years.
    structure
        How the company is shaped (``models.families``); default the ``company`` family.

    Returns
    -------
    Path
        The written ``scenario.yaml``.
    """
    _check_arguments(members, years, start_year)
    structure = structure or Structure()
    check_structure(members, structure)
    company = draw_company(members, years, seed, start_year, structure)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    title = name or _default_name(years, start_year, company.split)
    _write_members(out_dir / "members.csv", company.people)
    _write_sessions(out_dir / "sessions.csv", company.sessions)
    _write_history(out_dir / "history.csv", company.history)
    _write_teams(out_dir / "teams.csv", company.units)
    scenario_path = out_dir / "scenario.yaml"
    _write_text(scenario_path, _scenario_yaml(company, title, members, years, seed))
    return scenario_path


def draw_company(
    members: int,
    years: int,
    seed: int,
    start_year: int = 2025,
    structure: Structure | None = None,
) -> Company:
    """Draw the organisation, the members and the sessions; nothing is written."""
    structure = structure or Structure()
    horizon = (dt.date(start_year, 1, 1), dt.date(start_year + years - 1, 12, 31))
    closed = _closed_days(start_year, years)
    units = _draw_units(_stream(seed, "units"), members, structure.team_size)
    people = _draw_people(_stream(seed, "people"), units, members)
    regions = _split_regions(units, people, structure.regions)
    company = Company(
        horizon=horizon,
        closed=closed,
        units=units,
        people=people,
        regions=regions,
        structure=structure,
    )
    _draw_tiers(_stream(seed, "tiers"), company)
    _draw_tracks(_stream(seed, "tracks"), company)
    _draw_categories(_stream(seed, "categories"), company)
    _draw_presence(_stream(seed, "presence"), company)
    _draw_leave(_stream(seed, "leave"), company)
    _draw_history(_stream(seed, "history"), company)
    _draw_pairs(_stream(seed, "pairs"), company)
    company.sessions = _draw_sessions(_stream(seed, "sessions"), company)
    remote = [course["id"] for course in _courses() if course.get("away") is False]
    reshape_sessions(_stream(seed, "structure"), company.sessions, structure, remote)
    teams = [team for unit in units for team in unit.teams]
    company.extra_team_limits = team_blackouts(
        _stream(seed, "blackouts"), teams, company.years, structure.blackout_share
    )
    return company


def _check_arguments(members: int, years: int, start_year: int) -> None:
    if members < MIN_MEMBERS:
        raise ValueError(f"--members must be at least {MIN_MEMBERS} (got {members})")
    if years < 1:
        raise ValueError(f"--years must be at least 1 (got {years})")
    if not 1900 <= start_year <= 9000 - years:
        raise ValueError(f"--start-year {start_year} is out of range")


def _stream(seed: int, part: str) -> random.Random:
    """An independent random stream per part, so changing one part leaves the others alone."""
    return random.Random(f"rotaplan:{seed}:{part}")


def _default_name(years: int, start_year: int, province: bool) -> str:
    owner = "某省电力公司" if province else "某供电公司"
    return f"{owner}党员教育培训{_numeral(years)}年规划 {start_year}-{start_year + years - 1}"


# -- calendar -----------------------------------------------------------------------------


def _closed_days(start_year: int, years: int) -> list[tuple[DateSpan, str]]:
    """Spring Festival week, Labour Day and National Day of every year of the horizon."""
    closed = []
    for year in range(start_year, start_year + years):
        festival = SPRING_FESTIVAL.get(year)
        if festival is None:
            # Beyond the table, a week in mid-February stands in for the festival.
            spring = (dt.date(year, 2, 10), dt.date(year, 2, 17))
        else:
            spring = (festival - dt.timedelta(days=1), festival + dt.timedelta(days=6))
        closed.append((spring, "春节"))
        closed.append(((dt.date(year, 5, 1), dt.date(year, 5, 5)), "劳动节"))
        closed.append(((dt.date(year, 10, 1), dt.date(year, 10, 7)), "国庆节"))
    return closed


def _peak_blackouts(horizon: DateSpan) -> list[DateSpan]:
    """Summer peak (July-August) and winter peak (15 December to end of February)."""
    first, last = horizon[0].year, horizon[1].year
    spans = []
    for year in range(first - 1, last + 1):
        winter = (dt.date(year, 12, 15), dt.date(year + 1, 3, 1) - dt.timedelta(days=1))
        summer = (dt.date(year + 1, 7, 1), dt.date(year + 1, 8, 31))
        spans.extend([winter, summer])
    return [_clip(span, horizon) for span in spans if _overlaps(span, horizon)]


def _overlaps(a: DateSpan, b: DateSpan) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _clip(span: DateSpan, horizon: DateSpan) -> DateSpan:
    return max(span[0], horizon[0]), min(span[1], horizon[1])


def _start_days(year: int, month: int, days: int, closed: Sequence[DateSpan]) -> list[dt.date]:
    """Start days in a month for a session of ``days`` working days, Monday to Friday.

    December sessions end before the winter peak of 15 December, so that operations teams
    can still attend.
    """
    starts = []
    day = dt.date(year, month, 1)
    while day.month == month:
        end = day + dt.timedelta(days=days - 1)
        if (
            day.weekday() + days <= 5
            and end.month == month
            and not (month == 12 and end.day >= 15)
            and not any(_overlaps((day, end), span) for span in closed)
        ):
            starts.append(day)
        day += dt.timedelta(days=1)
    return starts


def _spread_months(rng: random.Random, months: Sequence[int], count: int) -> list[int]:
    """``count`` months from ``months``, each used about equally often, in calendar order."""
    chosen: list[int] = []
    while len(chosen) < count:
        batch = list(months)
        rng.shuffle(batch)
        chosen.extend(batch[: count - len(chosen)])
    return sorted(chosen)


# -- the organisation ---------------------------------------------------------------------


def _draw_units(
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


TeamCatalogue = Sequence[tuple[str, str]]


def _unit_plan(
    rng: random.Random, head_office: int, centres: int, county_units: int
) -> list[tuple[str, str, TeamCatalogue]]:
    """Kind, name and team catalogue of every unit, in the order of unit ids."""
    plan: list[tuple[str, str, TeamCatalogue]] = []
    for index in range(head_office):
        department = HEAD_OFFICE[index % len(HEAD_OFFICE)]
        plan.append(
            ("head_office", _branch_name(department, index // len(HEAD_OFFICE)), HEAD_OFFICE_TEAMS)
        )
    for index in range(centres):
        centre, teams = CENTRES[index % len(CENTRES)]
        plan.append(("centre", _branch_name(centre, index // len(CENTRES)), teams))
    plan.extend(_county_plan(rng, county_units))
    return plan


def _branch_name(body: str, repeat: int) -> str:
    """``body党支部``, or ``body第二党支部`` when a body has more than one branch."""
    if repeat == 0:
        return f"{body}党支部"
    return f"{body}第{_numeral(repeat + 1)}党支部"


def _numeral(number: int) -> str:
    if number <= len(CHINESE_NUMERALS):
        return CHINESE_NUMERALS[number - 1]
    return str(number)


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
            place += _numeral(company // len(places) + 1)
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
            team_name += f"（{_numeral(index // len(catalogue) + 1)}）"
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


def _draw_people(rng: random.Random, units: list[Unit], members: int) -> list[Person]:
    """One person per seat of every team, with ids in unit order and Chinese names."""
    width = max(5, len(str(members)))
    people: list[Person] = []
    for unit in units:
        for team in unit.teams:
            for _ in range(team.size):
                number = len(people) + 1
                people.append(
                    Person(id=f"M{number:0{width}d}", name=_person_name(rng), unit=unit, team=team)
                )
    return people


def _person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    return rng.choice(SURNAMES) + given


def _split_regions(
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


# -- tiers, tracks and categories ---------------------------------------------------------


def _draw_tiers(rng: random.Random, company: Company) -> None:
    """Exactly 3% leadership and 17% middle, drawn where such posts sit."""
    people = company.people
    leaders = max(1, round(TIER_SHARES["leadership"] * len(people)))
    middle = max(1, round(TIER_SHARES["middle"] * len(people)))
    for person in _weighted_sample(rng, people, [_leadership_weight(p) for p in people], leaders):
        person.tier = "leadership"
    rest = [p for p in people if p.tier == "grassroots"]
    for person in _weighted_sample(rng, rest, [_middle_weight(p) for p in rest], middle):
        person.tier = "middle"


def _leadership_weight(person: Person) -> float:
    if person.team.kind != "office":
        return 0.02
    return LEADERSHIP_WEIGHT.get(person.unit.kind, 0.02)


def _middle_weight(person: Person) -> float:
    if person.team.kind != "office":
        return 0.4
    return MIDDLE_WEIGHT.get(person.unit.kind, 1.0)


def _weighted_sample(
    rng: random.Random, people: Sequence[Person], weights: Sequence[float], count: int
) -> list[Person]:
    """``count`` people drawn without replacement, each with odds by weight.

    Efraimidis-Spirakis keys: one draw per person and a sort, so 20,000 members take
    milliseconds.
    """
    keys = [
        (rng.random() ** (1.0 / weight), person.id)
        for person, weight in zip(people, weights, strict=True)
    ]
    chosen = {pid for _, pid in sorted(keys, reverse=True)[:count]}
    return [p for p in people if p.id in chosen]


def _draw_tracks(rng: random.Random, company: Company) -> None:
    """Management or technical track: offices and leaders lean to management."""
    for person in company.people:
        if person.tier == "leadership":
            odds = 0.75
        elif person.team.kind == "office":
            odds = 0.6
        else:
            odds = 0.3 if person.tier == "middle" else 0.1
        person.track = "management" if rng.random() < odds else "technical"


def _draw_categories(rng: random.Random, company: Company) -> None:
    """One secretary and one Party-affairs cadre per branch, the rest by tier odds."""
    by_unit: dict[str, list[Person]] = defaultdict(list)
    for person in company.people:
        by_unit[person.unit.id].append(person)
    for unit_id in sorted(by_unit):
        _draw_cadres(rng, by_unit[unit_id])
    for person in company.people:
        if person.category == "general" and rng.random() < 0.01 and person.tier != "leadership":
            person.category = "party_affairs"
        elif person.category == "general":
            person.category = _draw_category(rng, CATEGORY_ODDS[person.tier])
    _ensure_every_category(rng, company.people)


def _draw_cadres(rng: random.Random, branch: list[Person]) -> None:
    """The branch secretary is usually a middle manager; the cadre is any non-leader."""
    for tier in ("middle", "grassroots", "leadership"):
        candidates = [p for p in branch if p.tier == tier]
        if candidates:
            rng.choice(candidates).category = "branch_secretary"
            break
    others = [p for p in branch if p.category == "general" and p.tier != "leadership"]
    if others:
        rng.choice(others).category = "party_affairs"


def _draw_category(rng: random.Random, odds: dict[str, float]) -> str:
    draw = rng.random()
    for category, share in odds.items():
        if draw < share:
            return category
        draw -= share
    return "general"


def _ensure_every_category(rng: random.Random, people: list[Person]) -> None:
    """A small company still has one of each category, so every rule has someone to apply to."""
    counts = Counter(p.category for p in people)
    for category in CATEGORIES:
        if counts[category]:
            continue
        pool = [p for p in people if p.tier == "grassroots" and p.category == "general"]
        if pool:
            rng.choice(pool).category = category
            counts[category] += 1


# -- presence, leave and history ----------------------------------------------------------


def _draw_presence(rng: random.Random, company: Company) -> None:
    """New graduates join each July; some transfer in or out; near-retirement members retire."""
    start, end = company.horizon
    for person in company.people:
        if person.category == "new_graduate":
            _draw_graduate(rng, person, company.years)
        elif person.category == "near_retirement":
            # Near retirement means within about six years of it: most leave a five-year plan.
            retire = start + dt.timedelta(days=rng.randint(60, 6 * 365))
            if retire <= end:
                person.available_until = retire
        elif rng.random() < company.structure.joiners:
            arrive = _random_day(rng, start + dt.timedelta(days=30), end - dt.timedelta(days=180))
            if arrive is not None:
                person.joined = person.available_from = arrive
        elif rng.random() < company.structure.leavers:
            person.available_until = _random_day(rng, start + dt.timedelta(days=60), end)


def _draw_graduate(rng: random.Random, person: Person, years: list[int]) -> None:
    """Two in five join during the horizon; the rest joined in the two Julys before it."""
    if rng.random() < 0.4:
        year = rng.choice(years)
        person.joined = person.available_from = dt.date(year, 7, rng.randint(1, 20))
    else:
        year = years[0] - rng.choice((1, 2))
        person.joined = dt.date(year, 7, rng.randint(1, 20))


def _random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date | None:
    if last < first:
        return None
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _draw_leave(rng: random.Random, company: Company) -> None:
    """Long leave or secondment for about 6% of members, avoid periods for about 5%."""
    for person in company.people:
        here = person.presence(company.horizon)
        if rng.random() < company.structure.leave:
            sick, maternity, secondment = rng.randint(30, 90), 158, rng.randint(90, 365)
            span = _span_inside(rng, here, rng.choice((sick, maternity, secondment)))
            if span is not None:
                person.unavailable.append(span)
        if rng.random() < 0.05:
            span = _span_inside(rng, here, rng.randint(14, 42))
            if span is not None:
                person.avoid.append(span)


def _span_inside(rng: random.Random, here: DateSpan, length: int) -> DateSpan | None:
    """A span of ``length`` days (shortened to fit) that starts inside ``here``."""
    start = _random_day(rng, here[0], here[1])
    if start is None:
        return None
    return start, min(here[1], start + dt.timedelta(days=length - 1))


def _draw_history(rng: random.Random, company: Company) -> None:
    """Half of last year's graduates already had their orientation before the horizon."""
    start = company.horizon[0]
    for person in company.people:
        if person.category != "new_graduate" or person.joined is None or person.joined >= start:
            continue
        done = person.joined + dt.timedelta(days=rng.randint(30, 150))
        if done < start and (start - person.joined).days < 365 and rng.random() < 0.5:
            company.history.append((person.id, "orientation", done))


def _draw_pairs(rng: random.Random, company: Company) -> None:
    """Pair each new graduate, and some young activists, with a near-retirement mentor.

    A mentor takes one mentee, works in another team and overlaps the mentee by half a
    year; the same branch is preferred, then anyone in the mentee's region (the whole
    company when it is not split), whose mentoring days both can attend.
    """
    mentors = [p for p in company.people if p.category == "near_retirement"]
    rng.shuffle(mentors)
    free_by_unit: dict[str, list[Person]] = defaultdict(list)
    for candidate in mentors:
        free_by_unit[candidate.unit.id].append(candidate)
    region_of = {unit.id: region.number for region in company.regions for unit in region.units}
    free_by_region: dict[int, list[Person]] = defaultdict(list)
    for candidate in mentors:
        free_by_region[region_of[candidate.unit.id]].append(candidate)
    taken: set[str] = set()
    mentees = [
        p
        for p in company.people
        if p.category == "new_graduate" or (p.category == "young_activist" and rng.random() < 0.25)
    ]
    for mentee in mentees:
        mentor = _find_mentor(company, mentee, free_by_unit[mentee.unit.id], taken)
        if mentor is None:
            nearby = free_by_region[region_of[mentee.unit.id]]
            mentor = _find_mentor(company, mentee, nearby, taken)
        if mentor is not None:
            taken.add(mentor.id)
            company.pairs.append((mentor.id, mentee.id))


def _find_mentor(
    company: Company, mentee: Person, candidates: list[Person], taken: set[str]
) -> Person | None:
    here = mentee.presence(company.horizon)
    for mentor in candidates:
        there = mentor.presence(company.horizon)
        overlap = (min(here[1], there[1]) - max(here[0], there[0])).days
        # Two of one team could not be away together when the team's cap is one.
        if mentor.id not in taken and mentor.team is not mentee.team and overlap >= 182:
            return mentor
    return None


# -- sessions -----------------------------------------------------------------------------


def _draw_sessions(rng: random.Random, company: Company) -> list[SessionRow]:
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
        starts = _start_days(self.year, month, days, self.closed)
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
                SessionRow(
                    id=f"{prefix}-{self.year}-{number:02d}",
                    course=course,
                    start=slot[0],
                    end=slot[1],
                    capacity=capacity,
                    **extra,
                )
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
            chosen = _spread_months(self.rng, months, count)
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
        months = _spread_months(self.rng, (4, 5, 6, 9, 10, 11), count)
        return self.regional_series(
            region, "TH", "thematic", months, 2, capacity, "培训中心", seat_cost=200
        )

    def party_affairs(self, region: Region) -> list[SessionRow]:
        """Two-day skills courses; some cadres need two a year to reach 56 hours."""
        cadres = region.count(categories=CADRES)
        if self.nobody(region, cadres):
            return []
        count, capacity = self.classes(1.3 * cadres, 40, least=2)
        months = _spread_months(self.rng, (3, 4, 5, 6, 9, 10, 11), count)
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
        months = _spread_months(self.rng, (5, 10, 6, 11), count)
        return self.regional_series(region, "AC", "activist", months, 3, capacity, "党校")

    def red_trips(self, region: Region) -> list[SessionRow]:
        """This year's picks from the catalogue, about 1.2 seats per cadre or backbone member."""
        target = region.count(categories=(*CADRES, "backbone", "backbone_activist"))
        if self.nobody(region, target):
            return []
        trips = max(1, math.ceil(1.2 * target / self.span / 35))
        months = _spread_months(self.rng, (4, 5, 6, 9, 10, 11), trips)
        weights = [trip.weight for trip in RED_CATALOGUE]
        rows = []
        for number, month in enumerate(months, start=1):
            trip = self.rng.choices(RED_CATALOGUE, weights)[0]
            slot = self.place(month, trip.days)
            if slot is None:
                continue
            capacity = self.rng.randint(30, 40)
            rows.append(
                SessionRow(
                    id=f"{region.prefix}RED-{self.year}-{number:02d}-{trip.code}",
                    course="red_trip",
                    start=slot[0],
                    end=slot[1],
                    capacity=capacity,
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
                    SessionRow(
                        id=f"JT-{self.year}-{unit.id}-{number}",
                        course="joint",
                        start=slot[0],
                        end=slot[1],
                        capacity=unit.size,
                        audience=f"{{units: [{unit.id}]}}",
                        location=f"联建单位：{partner}",
                    )
                )
        return rows

    def mentoring(self, region: Region) -> list[SessionRow]:
        """Two mentoring days a year, seats for every pair three times over.

        Every pair lies within one region (see ``_draw_pairs``), so both can attend.
        """
        members = {person.id for person in region.people}
        pairs = sum(1 for _, mentee in self.company.pairs if mentee in members)
        capacity = max(10, 2 * math.ceil(1.5 * pairs / self.span / 2))
        return self.regional_series(
            region, "MEN", "mentoring", (6, 11), 1, capacity, "职工活动中心"
        )


# -- the scenario document ----------------------------------------------------------------


def _courses() -> list[dict[str, Any]]:
    """The forms of training of DOMAIN.md as courses."""
    near = {"categories": ["near_retirement"]}
    return [
        {"id": "rotation", "label": "党员集中轮训班", "hours": 24},
        {
            "id": "elearn",
            "label": "远程教育（网络大学专题课）",
            "hours": 3,
            "away": False,
            "repeatable": True,
        },
        {
            "id": "central_group",
            "label": "党委理论学习中心组学习",
            "hours": 4,
            "audience": {"tiers": ["leadership"]},
            "repeatable": True,
        },
        {
            "id": "thematic",
            "label": "中层专题培训",
            "hours": 16,
            "audience": {"tiers": ["middle"]},
            "repeatable": True,
        },
        {
            "id": "party_affairs",
            "label": "党务技能培训",
            "hours": 16,
            "audience": {"categories": list(CADRES)},
            "repeatable": True,
        },
        {
            "id": "orientation",
            "label": "新党员入党教育培训",
            "hours": 16,
            "audience": {"categories": ["new_graduate"]},
        },
        {
            "id": "activist",
            "label": "入党积极分子培训班",
            "hours": 24,
            "audience": {"categories": list(ACTIVISTS)},
        },
        {
            "id": "red_trip",
            "label": "红色教育培训（外训名录）",
            "hours": 24,
            "audience": {"categories": [*CADRES, "backbone", "backbone_activist"]},
        },
        {"id": "joint", "label": "支部联建活动", "hours": 4, "repeatable": True},
        {
            "id": "mentoring",
            "label": "传帮带结对学习（电力老娘舅）",
            "hours": 4,
            "audience": {"categories": ["near_retirement", "new_graduate", "young_activist"]},
            "mix": [{"who": near, "min_share": 0.3}],
        },
    ]


def _requirements(years: int) -> list[dict[str, Any]]:
    """The national norms and the company's own rules as requirements."""
    cadres = {"categories": list(CADRES)}
    return [
        {
            "id": "rotate",
            "label": f"{_numeral(years)}年内全员轮训一遍",
            "who": {},
            "courses": ["rotation"],
            "window": "horizon",
            "balance": True,
            "weight": 10,
        },
        {
            "id": "hours",
            "label": "党员每年集中学习不少于32学时",
            "who": {"categories": list(PARTY_MEMBERS)},
            "min_hours": 32,
            "window": "year",
        },
        {
            "id": "cadre_hours",
            "label": "支部书记、党务干部每年不少于56学时",
            "who": cadres,
            "min_hours": 56,
            "window": "year",
        },
        {
            "id": "party_skills",
            "label": "党务干部每年参加党务技能培训",
            "who": cadres,
            "courses": ["party_affairs"],
            "window": "year",
            "weight": 3,
        },
        {
            "id": "central_group",
            "label": "中心组每年集体学习不少于4次",
            "who": {"tiers": ["leadership"]},
            "courses": ["central_group"],
            "count": 4,
            "window": "year",
            "weight": 2,
        },
        {
            "id": "thematic",
            "label": "中层每年参加一次专题培训",
            "who": {"tiers": ["middle"]},
            "courses": ["thematic"],
            "window": "year",
            "weight": 2,
        },
        {
            "id": "orientation",
            "label": "新党员入党一年内参加集中培训",
            "who": {"categories": ["new_graduate"]},
            "courses": ["orientation"],
            "window": {"joining_days": 365},
            "weight": 5,
        },
        {
            "id": "activist",
            "label": "入党积极分子参加培训班",
            "who": {"categories": list(ACTIVISTS)},
            "courses": ["activist"],
            "window": "horizon",
            "weight": 5,
        },
        {
            "id": "red_education",
            "label": "党务干部、骨干党员规划期内参加一次红色教育",
            "who": {"categories": [*CADRES, "backbone"]},
            "courses": ["red_trip"],
            "window": "horizon",
            "weight": 2,
        },
        {
            "id": "mentoring",
            "label": "新进毕业生参加传帮带结对",
            "who": {"categories": ["new_graduate"]},
            "courses": ["mentoring"],
            "window": "horizon",
            "weight": 2,
        },
    ]


def _limits() -> list[dict[str, Any]]:
    """Work-study limits: generous enough for the norms, tighter for managers."""
    return [
        {
            "who": {},
            "max_days_per_year": 15,
            "max_days_per_month": 5,
            "max_hours_per_year": 120,
            "min_gap_days": 14,
        },
        {"who": {"tiers": ["middle"]}, "max_days_per_year": 12},
        {
            "who": {"tiers": ["leadership"]},
            "max_days_per_year": 10,
            "max_days_per_month": 3,
            "max_hours_per_year": 96,
        },
    ]


def _team_limits(company: Company) -> list[tuple[str, dict[str, Any]]]:
    """The daily away share for all teams, peak blackouts and one-away-at-a-time shifts."""
    teams = [team for unit in company.units for team in unit.teams]
    ops = [team.id for team in teams if team.kind == "ops"]
    shifts = [team.id for team in teams if team.kind == "dispatch"]
    entries: list[tuple[str, dict[str, Any]]] = [
        (
            _away_comment(company.structure.away_share),
            {"max_away_share": company.structure.away_share},
        )
    ]
    if ops:
        blackout = [_range(span) for span in _peak_blackouts(company.horizon)]
        entries.append(
            (
                "运维检修班组：迎峰度夏（7-8月）、迎峰度冬（12月15日至2月底）不安排脱产培训",
                {"teams": ops, "blackout": blackout},
            )
        )
    if shifts:
        entries.append(
            (
                "调控、客服、信通值班班组倒班运行，同一时间至多一人脱产",
                {"teams": shifts, "max_away": 1},
            )
        )
    return entries + company.extra_team_limits


def _away_comment(share: float) -> str:
    if share == TEAM_AWAY_SHARE:
        return "各班组同一天脱产培训不超过四分之一"
    return f"各班组同一天脱产培训不超过{share:.0%}"


def _scenario_yaml(company: Company, title: str, members: int, years: int, seed: int) -> str:
    """The scenario document, with comments that say where each rule comes from."""
    start_year = company.horizon[0].year
    lines = [
        f"# {title}",
        f"# rotaplan generate OUT --members {members} --years {years} --seed {seed} "
        f"--start-year {start_year}{company.structure.flags()}",
        "# 单位、班组名称见 teams.csv（仅供查阅）；成员、场次、培训记录见同目录 CSV 文件。",
        *_region_comments(company),
        "version: 1",
        f"name: {_flow(title)}",
        f"horizon: {{start: {company.horizon[0]}, end: {company.horizon[1]}}}",
        "# 春节、劳动节、国庆节不安排培训",
        "closed:",
        *(f"  - {_range(span)}  # {label}" for span, label in company.closed),
        "members: members.csv",
        "sessions: sessions.csv",
        "history: history.csv",
        "courses:",
        *_items(_courses()),
        "# 国家标准：党员每年集中学习培训不少于32学时，支部书记和委员不少于56学时；5年内全员轮训",
        "requirements:",
        *_items(_requirements(years)),
        "# 工学矛盾与过度培训：每人每年、每月脱产天数上限，两次脱产培训至少间隔14天",
        "limits:",
        *_items(_limits()),
        "team_limits:",
    ]
    for comment, entry in _team_limits(company):
        lines.append(f"  # {comment}")
        lines.extend(_items([entry]))
    lines.append("# 传帮带：临近退休党员与新进毕业生、青年积极分子结对，同场参加")
    lines.append("together:" if company.pairs else "together: []")
    lines.extend(_items([{"course": "mentoring", "members": list(pair)} for pair in company.pairs]))
    lines.append("objective: [unmet, changes, imbalance, attendances, cost, avoid]")
    return "\n".join(lines) + "\n"


def _region_comments(company: Company) -> list[str]:
    """Which branches each region holds, for a province cut into regions."""
    if not company.split:
        return []
    lines = [
        f"# 全省分{len(company.regions)}个分公司（区域），各自为本区域党员办班，"
        "场次编号以区域开头（如 R01-ROT-）；网络大学远程课程全省统一。"
    ]
    for region in company.regions:
        first, last = region.units[0].id, region.units[-1].id
        lines.append(
            f"# {region.prefix.rstrip('-')} {region.company_name}：{first}-{last}，"
            f"{len(region.units)}个党支部，{len(region.people)}人"
        )
    return lines


def _items(entries: list[dict[str, Any]]) -> list[str]:
    """List items, one flow mapping a line, or a key a line when that would be too long."""
    lines = []
    for entry in entries:
        flow = _flow(entry)
        short_lists = all(len(v) <= 8 for v in entry.values() if isinstance(v, list))
        if len(flow) <= 160 and short_lists:
            lines.append(f"  - {flow}")
            continue
        for index, (key, value) in enumerate(entry.items()):
            lead = "  - " if index == 0 else "    "
            lines.extend(_wrapped(f"{lead}{key}: ", value))
    return lines


def _wrapped(lead: str, value: Any) -> list[str]:
    """``key: value`` in flow style, a long list of names wrapped over several lines."""
    line = lead + _flow(value)
    if len(line) <= 100 or not isinstance(value, list):
        return [line]
    lines, current = [], lead + "["
    for index, item in enumerate(value):
        text = _flow(item) + ("]" if index == len(value) - 1 else ",")
        if len(current) + len(text) > 100 and not current.endswith("["):
            lines.append(current.rstrip())
            # Flow content continues on lines indented deeper than the mapping's keys.
            current = " " * 6
        current += text + " "
    lines.append(current.rstrip())
    return lines


def _flow(value: Any) -> str:
    text = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=1_000_000
    )
    return text.removesuffix("\n...\n").strip()


def _range(span: DateSpan) -> str:
    return f"{span[0]}/{span[1]}" if span[0] != span[1] else str(span[0])


# -- table files --------------------------------------------------------------------------

MEMBER_COLUMNS = (
    *("id", "name", "tier", "track", "category", "unit", "team"),
    *("joined", "available_from", "available_until", "unavailable", "avoid"),
)
SESSION_COLUMNS = (
    *("id", "course", "start", "end", "capacity", "min_size", "hours"),
    *("seat_cost", "fixed_cost", "audience", "location"),
)


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def _write_rows(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A UTF-8 CSV with ``\\n`` line ends, so files are identical on every platform."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _write_members(path: Path, people: list[Person]) -> None:
    rows = (
        (
            p.id,
            p.name,
            p.tier,
            p.track,
            p.category,
            p.unit.id,
            p.team.id,
            _text(p.joined),
            _text(p.available_from),
            _text(p.available_until),
            ";".join(_range(span) for span in p.unavailable),
            ";".join(_range(span) for span in p.avoid),
        )
        for p in people
    )
    _write_rows(path, MEMBER_COLUMNS, rows)


def _write_sessions(path: Path, sessions: list[SessionRow]) -> None:
    rows = (
        (
            s.id,
            s.course,
            s.start,
            s.end,
            s.capacity,
            s.min_size,
            _text(s.hours),
            s.seat_cost,
            s.fixed_cost,
            s.audience,
            s.location,
        )
        for s in sessions
    )
    _write_rows(path, SESSION_COLUMNS, rows)


def _write_history(path: Path, history: list[tuple[str, str, dt.date]]) -> None:
    _write_rows(path, ("member", "course", "date"), sorted(history))


def _write_teams(path: Path, units: list[Unit]) -> None:
    """The organisation chart with Chinese names, which the scenario itself has no place for."""
    header = ("unit", "unit_name", "team", "team_name", "team_kind", "members")
    rows = (
        (unit.id, unit.name, team.id, team.name, TEAM_KIND_LABELS[team.kind], team.size)
        for unit in units
        for team in unit.teams
    )
    _write_rows(path, header, rows)
