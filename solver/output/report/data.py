"""What the report shows, extracted from a plan folder and its scenario.

Everything here is plain data (numbers, ids, dates), computed from the plan's assignments,
its ``summary.json`` and the scenario's definitions in ``models``; rendering is elsewhere
(``solver.output.report.render``). The report recomputes what it draws from the assignments
rather than trusting the folder's other tables, so a hand-edited plan is drawn as it is.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from models import Scenario, requirement_windows

from .changes import ChangeRow, plan_changes
from .load import DaysAway, LoadGrid, days_away, team_load
from .plan_folder import PlanFolder

ALL_YEARS = "all"  # the period of windows that are not one calendar year


@dataclass(frozen=True)
class Term:
    """One objective term: its value and, when the solve proved one, its bound and gap."""

    name: str
    value: int | None
    bound: int | None
    gap: float | None


@dataclass(frozen=True)
class YearSessions:
    year: int
    runs: int
    cancelled: int


@dataclass
class Headline:
    status: str
    name: str
    terms: list[Term]
    windows_short: int
    surplus: int | None
    members: int
    attendances: int
    years: list[YearSessions]


@dataclass(frozen=True)
class SessionRow:
    """A session as the timeline draws it."""

    id: str
    course: str
    start: dt.date
    end: dt.date
    attendees: int
    capacity: int
    hours: float

    @property
    def runs(self) -> bool:
        return self.attendees > 0


@dataclass(frozen=True)
class WindowRow:
    """One requirement window of one member; ``unmet`` indexes ``ReportData.unmet`` or is -1."""

    member: str
    requirement: str
    start: dt.date
    end: dt.date
    period: str
    unmet: int


@dataclass(frozen=True)
class UnmetRow:
    """A window left short, as ``summary.json`` gives it, with the member's groups."""

    member: str
    requirement: str
    start: str
    end: str
    period: str
    shortfall: int
    weight: int
    cause: str
    reason: str
    category: str
    unit: str
    region: str


@dataclass
class ReportData:
    """Everything the report draws, keyed by scenario ids."""

    scenario: Scenario
    folder: PlanFolder
    headline: Headline
    sessions: list[SessionRow]
    windows: list[WindowRow]
    unmet: list[UnmetRow]
    regions: dict[str, str]
    load: LoadGrid
    days_away: DaysAway
    member_sessions: dict[str, list[str]]
    changes: list[ChangeRow] | None
    periods: list[str] = field(default_factory=list)

    def coverage(self, *keys: str) -> dict[tuple[str, ...], tuple[int, int]]:
        """``(windows, met)`` per requirement and the member groups named in ``keys``.

        A key is ``category``, ``unit``, ``region`` or ``period``.
        """
        counts: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0])
        members = self.scenario.member_by_id
        for window in self.windows:
            member = members[window.member]
            values = {
                "category": member.category,
                "unit": member.unit,
                "region": self.regions.get(member.unit, ""),
                "period": window.period,
            }
            cell = counts[(window.requirement, *(values[key] for key in keys))]
            cell[0] += 1
            cell[1] += window.unmet < 0
        return {key: (total, met) for key, (total, met) in counts.items()}


def build_report(folder: PlanFolder, scenario: Scenario) -> ReportData:
    """Extract what the report shows from a plan folder and the scenario it was solved from."""
    pairs = [(m, s) for m, s in folder.assignments if _known(scenario, m, s)]
    sessions = session_rows(scenario, pairs)
    regions = unit_regions(scenario)
    unmet = unmet_rows(scenario, folder.summary, regions)
    member_sessions: dict[str, list[str]] = defaultdict(list)
    for member_id, session_id in pairs:
        member_sessions[member_id].append(session_id)
    return ReportData(
        scenario=scenario,
        folder=folder,
        headline=headline(scenario, folder.summary, sessions, len(pairs)),
        sessions=sessions,
        windows=window_rows(scenario, unmet),
        unmet=unmet,
        regions=regions,
        load=team_load(scenario, pairs, regions),
        days_away=days_away(scenario, pairs),
        member_sessions=dict(member_sessions),
        changes=plan_changes(scenario, folder, pairs),
        periods=[str(year) for year in scenario.years] + [ALL_YEARS],
    )


def _known(scenario: Scenario, member_id: str, session_id: str) -> bool:
    # Rows naming ids the scenario lacks are the checker's to report; the report skips them.
    return member_id in scenario.member_by_id and session_id in scenario.session_by_id


def headline(
    scenario: Scenario, summary: dict[str, Any], sessions: list[SessionRow], attendances: int
) -> Headline:
    """Status, every term with its bound and gap, and the plan's size per year."""
    objective = summary.get("objective") or {}
    stages = {stage.get("term"): stage for stage in summary.get("stages") or []}
    terms = []
    for name in [*scenario.objective, *(t for t in objective if t not in scenario.objective)]:
        stage = stages.get(name, {})
        terms.append(Term(name, objective.get(name), stage.get("bound"), stage.get("gap")))
    runs = Counter(s.start.year for s in sessions if s.runs)
    cancelled = Counter(s.start.year for s in sessions if not s.runs)
    surplus = summary.get("surplus")
    # The over-training audit, when the summary has one: a count, the surplus assignments
    # themselves, or a section that holds either.
    if isinstance(surplus, dict):
        surplus = surplus.get("count", surplus.get("assignments"))
    if isinstance(surplus, list):
        surplus = len(surplus)
    return Headline(
        status=str(summary.get("status", "UNKNOWN")),
        name=str(summary.get("scenario") or scenario.name or ""),
        terms=terms,
        windows_short=len(summary.get("unmet") or []),
        surplus=surplus if isinstance(surplus, int) else None,
        members=len(scenario.members),
        attendances=attendances,
        years=[YearSessions(y, runs[y], cancelled[y]) for y in scenario.years],
    )


def session_rows(scenario: Scenario, pairs: list[tuple[str, str]]) -> list[SessionRow]:
    """Every session of the scenario with its attendees in the plan, in date order."""
    attendees = Counter(session_id for _, session_id in pairs)
    rows = [
        SessionRow(
            id=s.id,
            course=s.course,
            start=s.start,
            end=s.last_day,
            attendees=attendees[s.id],
            capacity=s.capacity,
            hours=scenario.session_hours(s),
        )
        for s in scenario.sessions
    ]
    return sorted(rows, key=lambda row: (row.start, row.id))


def unit_regions(scenario: Scenario) -> dict[str, str]:
    """The region of each unit, where the scenario holds classes per region.

    A province's scenario opens each class to the units of one region and names its
    sessions after the region (``R03-ROT-2026-01``). A unit's region is the prefix most of
    the sessions open to it by unit carry; a scenario with fewer than two such prefixes
    has no regions, and the report groups by unit alone.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for session in scenario.sessions:
        units = session.audience.units
        if units and "-" in session.id:
            prefix = session.id.split("-", 1)[0]
            for unit in units:
                votes[unit][prefix] += 1
    regions = {unit: tally.most_common(1)[0][0] for unit, tally in votes.items()}
    return regions if len(set(regions.values())) >= 2 else {}


def period_of(scenario: Scenario, requirement_id: str, start: dt.date) -> str:
    """A yearly requirement's window counts in its year; any other in the whole plan."""
    requirement = scenario.requirement_by_id.get(requirement_id)
    if requirement is not None and requirement.window == "year":
        return str(start.year)
    return ALL_YEARS


def unmet_rows(
    scenario: Scenario, summary: dict[str, Any], regions: dict[str, str]
) -> list[UnmetRow]:
    """The windows ``summary.json`` lists as short, with each member's category and unit."""
    rows = []
    for entry in summary.get("unmet") or []:
        member = scenario.member_by_id.get(str(entry.get("member_id")))
        requirement_id = str(entry.get("requirement_id"))
        if member is None or requirement_id not in scenario.requirement_by_id:
            continue
        start = str(entry.get("window_start", ""))
        rows.append(
            UnmetRow(
                member=member.id,
                requirement=requirement_id,
                start=start,
                end=str(entry.get("window_end", "")),
                period=period_of(scenario, requirement_id, dt.date.fromisoformat(start)),
                shortfall=int(entry.get("shortfall", 0)),
                weight=int(entry.get("weight", 1)),
                cause=str(entry.get("cause") or "unknown"),
                reason=str(entry.get("reason", "")),
                category=member.category,
                unit=member.unit,
                region=regions.get(member.unit, ""),
            )
        )
    return rows


def window_rows(scenario: Scenario, unmet: list[UnmetRow]) -> list[WindowRow]:
    """Every requirement window that applies to a member, met or not (SPEC: Requirements)."""
    short = {(u.member, u.requirement, u.start): index for index, u in enumerate(unmet)}
    rows = []
    for requirement in scenario.requirements:
        for member in scenario.members:
            if not requirement.who.matches(member):
                continue
            for window in requirement_windows(scenario, requirement, member):
                start = window.start.isoformat()
                rows.append(
                    WindowRow(
                        member=member.id,
                        requirement=requirement.id,
                        start=window.start,
                        end=window.end,
                        period=period_of(scenario, requirement.id, window.start),
                        unmet=short.get((member.id, requirement.id, start), -1),
                    )
                )
    return rows
