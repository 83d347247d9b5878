"""Annual timetables of a plan: the calendar, the rosters, each unit's list and the coverage.

A plan spans several years, but members live it one year at a time. These tables cut one
calendar year out of a plan (optionally for one unit) as pandas DataFrames; the writers in
``timetable_xlsx``, ``timetable_csv`` and ``timetable_ics`` turn them into files a planner
publishes. A session belongs to the year in which it starts, as in ``assignments.csv``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from models import Scenario

from .folder import prepare_folder
from .timetable_coverage import coverage_table
from .timetable_csv import write_csv
from .timetable_data import Timetable, TimetableError
from .timetable_ics import write_ics
from .timetable_tables import calendar_table, roster_table, unit_table
from .timetable_xlsx import write_xlsx

FORMATS = ("xlsx", "csv", "ics")
CALENDAR_OWNERS = ("member", "unit")


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
