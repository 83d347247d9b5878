"""Annual timetables of a plan: the calendar, the rosters, each unit's list and the coverage.

A plan spans several years, but members live it one year at a time. These tables cut one
calendar year out of a plan (optionally for one unit) as pandas DataFrames; the writers in
``timetable_xlsx``, ``timetable_csv`` and ``timetable_ics`` turn them into files a planner
publishes. A session belongs to the year in which it starts, as in ``assignments.csv``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from models import Member, Requirement, Scenario, Session, requirement_windows, window_shortfall
from models.dates import DateRange
from models.errors import RotaplanError

from .folder import prepare_folder

FORMATS = ("xlsx", "csv", "ics")
CALENDAR_OWNERS = ("member", "unit")

# What every table says of a session, in this order.
SESSION_COLUMNS = [
    "session_id",
    "course",
    "course_label",
    "start",
    "end",
    "days",
    "hours",
    "location",
]
CALENDAR_COLUMNS = ["month", *SESSION_COLUMNS, "attendees", "capacity", "status", "away"]
ROSTER_COLUMNS = [*SESSION_COLUMNS, "member_id", "member_name", "unit", "team", "tier", "category"]
UNIT_COLUMNS = ["unit", "member_id", "member_name", "team", "category", *SESSION_COLUMNS]
COVERAGE_COLUMNS = [
    "requirement",
    "requirement_label",
    "category",
    "members",
    "due",
    "planned",
    "still_due",
]


class TimetableError(RotaplanError):
    """A timetable was asked for something the plan does not have (a year, a unit).

    It means invalid input (exit code 2): the request names what the plan lacks.
    """


@dataclass
class Timetable:
    """One year of a plan, for everyone or for one unit, as the tables a planner publishes."""

    year: int
    unit: str | None
    calendar: pd.DataFrame
    rosters: pd.DataFrame
    units: pd.DataFrame
    coverage: pd.DataFrame
    unit_ids: list[str]  # every unit the timetable speaks for, planned or not
    unit_names: dict[str, str] = field(default_factory=dict)  # as the scenario gives them
    team_names: dict[str, str] = field(default_factory=dict)

    @property
    def stem(self) -> str:
        """``timetable-<year>`` or, for one unit, ``timetable-<year>-<unit>``."""
        return f"timetable-{self.year}" + (f"-{safe_name(self.unit)}" if self.unit else "")

    def calendars_stem(self, per: str = "member") -> str:
        """``calendars-<year>[-<unit>]``, ending in ``-by-unit`` for calendars per unit."""
        stem = f"calendars-{self.year}" + (f"-{safe_name(self.unit)}" if self.unit else "")
        return stem + ("-by-unit" if per == "unit" else "")


def build_timetable(
    scenario: Scenario, pairs: Iterable[tuple[str, str]], year: int, unit: str | None = None
) -> Timetable:
    """Cut one calendar year (and optionally one unit) out of a plan.

    Parameters
    ----------
    scenario
        The scenario the plan was made for.
    pairs
        The plan's ``(member_id, session_id)`` assignments (``checker.read_assignments``).
    year
        A calendar year of the plan's horizon.
    unit
        Only this unit's members, and the sessions they attend.

    Raises
    ------
    TimetableError
        When the year is outside the horizon, the unit has no members, or the plan names
        members or sessions the scenario does not have.
    """
    pairs = _known_pairs(scenario, pairs)
    if year not in scenario.years:
        first, last = scenario.years[0], scenario.years[-1]
        raise TimetableError(f"year {year} is outside the plan's horizon ({first}-{last})")
    if unit is not None and not any(m.unit == unit for m in scenario.members):
        raise TimetableError(f"no member belongs to unit {unit!r}")
    return Timetable(
        year=year,
        unit=unit,
        calendar=calendar_table(scenario, pairs, year, unit),
        rosters=roster_table(scenario, pairs, year, unit),
        units=unit_table(scenario, pairs, year, unit),
        coverage=coverage_table(scenario, pairs, year, unit),
        unit_ids=[unit] if unit is not None else sorted({m.unit for m in scenario.members}),
        unit_names=dict(scenario.unit_names),
        team_names=dict(scenario.team_names),
    )


def _known_pairs(scenario: Scenario, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The plan's pairs once each; a plan made for another scenario is refused whole."""
    pairs = list(dict.fromkeys(pairs))
    unknown = [
        f"{m}/{s}"
        for m, s in pairs
        if m not in scenario.member_by_id or s not in scenario.session_by_id
    ]
    if unknown:
        shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise TimetableError(
            f"the plan has {len(unknown)} assignment(s) of members or sessions the scenario "
            f"does not have ({shown}): was it made for another scenario?"
        )
    return pairs


def _in_year(session: Session, year: int) -> bool:
    return session.start.year == year


def _year_pairs(
    scenario: Scenario, pairs: list[tuple[str, str]], year: int, unit: str | None
) -> list[tuple[Member, Session]]:
    """The year's assignments (of the unit's members), in date order."""
    chosen = []
    for member_id, session_id in pairs:
        member = scenario.member_by_id[member_id]
        session = scenario.session_by_id[session_id]
        if _in_year(session, year) and (unit is None or member.unit == unit):
            chosen.append((member, session))
    chosen.sort(key=lambda pair: (pair[1].start, pair[1].id, pair[0].unit, pair[0].id))
    return chosen


def calendar_table(
    scenario: Scenario, pairs: list[tuple[str, str]], year: int, unit: str | None = None
) -> pd.DataFrame:
    """One row per session starting in the year, by date: when, where, how full.

    For a unit, only the sessions its members attend, with ``unit_attendees`` beside the
    session's total.
    """
    attendees: dict[str, int] = defaultdict(int)
    of_unit: dict[str, int] = defaultdict(int)
    for member_id, session_id in pairs:
        attendees[session_id] += 1
        if unit is not None and scenario.member_by_id[member_id].unit == unit:
            of_unit[session_id] += 1
    rows = []
    for session in sorted(scenario.sessions, key=lambda s: (s.start, s.id)):
        if not _in_year(session, year) or (unit is not None and not of_unit[session.id]):
            continue
        row = {
            "month": session.start.month,
            **_session_cells(scenario, session),
            "attendees": attendees[session.id],
            "capacity": session.capacity,
            "status": "runs" if attendees[session.id] else "cancelled",
            "away": scenario.is_away(session),
        }
        if unit is not None:
            row["unit_attendees"] = of_unit[session.id]
        rows.append(row)
    columns = CALENDAR_COLUMNS + (["unit_attendees"] if unit is not None else [])
    return pd.DataFrame(rows, columns=columns)


def _session_cells(scenario: Scenario, session: Session) -> dict[str, object]:
    """The ``SESSION_COLUMNS`` of one session."""
    course = scenario.course_of(session)
    return {
        "session_id": session.id,
        "course": course.id,
        "course_label": course.title,
        "start": session.start,
        "end": session.last_day,
        "days": session.days,
        "hours": _number(scenario.session_hours(session)),
        "location": session.location or "",
    }


def roster_table(
    scenario: Scenario, pairs: list[tuple[str, str]], year: int, unit: str | None = None
) -> pd.DataFrame:
    """One row per attendee of each session starting in the year, grouped by session."""
    return _assignment_frame(scenario, pairs, year, unit)[ROSTER_COLUMNS]


def unit_table(
    scenario: Scenario, pairs: list[tuple[str, str]], year: int, unit: str | None = None
) -> pd.DataFrame:
    """Per unit, who goes where and when in the year: one row per member and session."""
    frame = _assignment_frame(scenario, pairs, year, unit)[UNIT_COLUMNS]
    return frame.sort_values(["unit", "member_id", "start"], kind="stable").reset_index(drop=True)


def _assignment_frame(
    scenario: Scenario, pairs: list[tuple[str, str]], year: int, unit: str | None
) -> pd.DataFrame:
    """The year's assignments in date order, with every column rosters and unit lists show."""
    rows = []
    for member, session in _year_pairs(scenario, pairs, year, unit):
        rows.append(
            {
                **_session_cells(scenario, session),
                "member_id": member.id,
                "member_name": member.name or "",
                "unit": member.unit,
                "team": member.team,
                "tier": member.tier,
                "category": member.category,
            }
        )
    columns = list(dict.fromkeys(ROSTER_COLUMNS + UNIT_COLUMNS))
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class _Completion:
    course: str
    day: dt.date
    hours: float


def coverage_table(
    scenario: Scenario, pairs: list[tuple[str, str]], year: int, unit: str | None = None
) -> pd.DataFrame:
    """Per requirement and category: members due this year, planned this year, still due.

    A member counts for a requirement in the year when one of their windows of it overlaps
    the year. They are *due* when such a window is still short at the start of the year
    (history and the plan's earlier completions counted), *planned* when a due window gets a
    completion in the year, and *still due* when a window is short after the year.
    """
    done = _completions(scenario, pairs)
    span = DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31))
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for requirement in scenario.requirements:
        for member in scenario.members:
            if (unit is not None and member.unit != unit) or not requirement.who.matches(member):
                continue
            state = _member_coverage(scenario, requirement, member, done[member.id], span)
            if state is None:
                continue
            tally = counts[(requirement.id, member.category)]
            for position, flag in enumerate((True, *state)):
                tally[position] += int(flag)
    rows = [
        {
            "requirement": requirement_id,
            "requirement_label": scenario.requirement_by_id[requirement_id].label or "",
            "category": category,
            "members": tally[0],
            "due": tally[1],
            "planned": tally[2],
            "still_due": tally[3],
        }
        for (requirement_id, category), tally in counts.items()
    ]
    order = {r.id: i for i, r in enumerate(scenario.requirements)}
    rows.sort(key=lambda row: (order[str(row["requirement"])], str(row["category"])))
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def _completions(scenario: Scenario, pairs: list[tuple[str, str]]) -> dict[str, list[_Completion]]:
    """Each member's completions: history rows and the plan's assignments."""
    done: dict[str, list[_Completion]] = defaultdict(list)
    for row in scenario.history:
        course = scenario.course_by_id.get(row.course)
        if course is not None:
            done[row.member].append(_Completion(row.course, row.date, course.hours))
    for member_id, session_id in pairs:
        session = scenario.session_by_id[session_id]
        done[member_id].append(
            _Completion(session.course, session.start, scenario.session_hours(session))
        )
    return done


def _member_coverage(
    scenario: Scenario,
    requirement: Requirement,
    member: Member,
    done: list[_Completion],
    span: DateRange,
) -> tuple[bool, bool, bool] | None:
    """``(due, planned, still_due)`` of one member in the year, or None if no window meets it."""
    windows = [
        w
        for w in requirement_windows(scenario, requirement, member)
        if w.touches(span.start, span.end)
    ]
    if not windows:
        return None
    due = planned = still_due = False
    for window in windows:
        counted = [
            c
            for c in done
            if window.start <= c.day <= window.end and requirement.counts_course(c.course)
        ]
        before = [c for c in counted if c.day < span.start]
        through = [c for c in counted if c.day <= span.end]
        short_before = _shortfall(requirement, before) > 0
        due |= short_before
        planned |= short_before and len(through) > len(before)
        still_due |= _shortfall(requirement, through) > 0
    return due, planned, still_due


def _shortfall(requirement: Requirement, completions: list[_Completion]) -> int:
    """The window's shortfall, from the completions counted in it."""
    done = sum(c.hours for c in completions) if requirement.is_hours else len(completions)
    return window_shortfall(requirement, done)


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


# -- writing ---------------------------------------------------------------------------


def safe_name(text: str) -> str:
    """A file-name-safe form of an id: letters (any script), digits, ``-``, ``_`` and ``.``."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text).strip(".")
    return cleaned or "_"


def write_timetables(
    scenario: Scenario,
    pairs: Iterable[tuple[str, str]],
    out_dir: Path,
    years: list[int] | None = None,
    unit: str | None = None,
    formats: tuple[str, ...] = ("xlsx",),
    *,
    per: str = "member",
    lang: str = "en",
) -> list[Path]:
    """Write the annual timetables of a plan, each file or folder atomically.

    For each year: ``out_dir/timetable-<year>.xlsx``, ``out_dir/timetable-<year>/`` (CSV
    tables) and ``out_dir/calendars-<year>/`` (one iCalendar file per member; with
    ``per="unit"``, one per unit in ``calendars-<year>-by-unit/``), as ``formats`` asks.
    With ``unit``, the names carry ``-<unit>`` after the year.

    Parameters
    ----------
    years
        Calendar years to write; default every year of the horizon.
    formats
        Any of ``xlsx``, ``csv`` and ``ics``.
    lang
        The workbook's language (``en`` or ``zh``): sheet names, titles and headers. CSV
        tables keep their column ids, which scripts read.

    Returns
    -------
    The paths written, in the order of years and formats.
    """
    from .timetable_csv import write_csv
    from .timetable_ics import write_ics
    from .timetable_xlsx import write_xlsx

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise TimetableError(f"unknown format(s) {', '.join(unknown)}; use {', '.join(FORMATS)}")
    if per not in CALENDAR_OWNERS:
        raise TimetableError(f"calendars are per member or per unit, not {per!r}")
    pairs = _known_pairs(scenario, pairs)
    out_dir = prepare_folder(out_dir, "timetables")
    written = []
    for year in years if years is not None else scenario.years:
        timetable = build_timetable(scenario, pairs, year, unit)
        for kind in formats:
            if kind == "xlsx":
                written.append(write_xlsx(timetable, out_dir / f"{timetable.stem}.xlsx", lang))
            elif kind == "csv":
                written.append(write_csv(timetable, out_dir / timetable.stem))
            else:
                written.append(write_ics(timetable, out_dir / timetable.calendars_stem(per), per))
    return written
