"""A plan folder's timetables: the scenario it records, the attendances a year shows, and
the one year ``rotaplan timetable`` writes.

Everything here reads files and writes through ``timetable``; nothing loads CP-SAT, so
``rotaplan timetable`` runs on a machine that only publishes plans.
"""

from __future__ import annotations

import json
from pathlib import Path

from checker import read_assignments
from models import RotaplanError, Scenario

from .timetable import FORMATS, build_timetable, write_timetables
from .timetable_xlsx import write_xlsx


def timetable_formats(text: str) -> tuple[str, ...]:
    """``xlsx,csv,ics`` as a tuple, in the order first given, each once.

    Raises
    ------
    RotaplanError
        When a format is unknown (bad input, exit code 2).
    """
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise RotaplanError(
            f"unknown timetable format(s) {', '.join(unknown)}; use {', '.join(FORMATS)}"
        )
    return formats


def recorded_scenario(plan_dir: Path) -> str:
    """The scenario path a plan folder's ``summary.json`` records.

    Raises
    ------
    RotaplanError
        When the folder records none (bad input): the planner is told to name it.
    """
    summary = plan_dir / "summary.json"
    try:
        recorded = json.loads(summary.read_text(encoding="utf-8")).get("scenario_path")
    except (OSError, ValueError, AttributeError):
        recorded = None
    if not recorded:
        raise RotaplanError(f"{summary} records no scenario_path: give --scenario SCENARIO")
    return str(recorded)


def timetable_pairs(scenario: Scenario, plan_dir: Path) -> list[tuple[str, str]]:
    """The plan's assignments, and, in a re-planned folder, the past attendances it kept."""
    pairs = read_assignments(plan_dir)
    history = plan_dir / "history.csv"
    if history.is_file():
        # Past sessions the scenario still lists belong in their year's timetable.
        pairs += [p for p in read_assignments(history) if p[1] in scenario.session_by_id]
    return pairs


def write_year_timetable(
    scenario: Scenario,
    pairs: list[tuple[str, str]],
    year: int,
    out: Path,
    kind: str = "xlsx",
    unit: str | None = None,
    *,
    per: str = "member",
    lang: str = "en",
) -> list[Path]:
    """Write one year's timetable in one format and return the paths written.

    ``out`` is the folder to write into, named as ``write_timetables`` names its files;
    for ``xlsx`` it may also be the workbook's own ``.xlsx`` path.
    """
    if kind == "xlsx" and out.suffix.lower() == ".xlsx":
        return [write_xlsx(build_timetable(scenario, pairs, year, unit), out, lang)]
    return write_timetables(
        scenario, pairs, out, years=[year], unit=unit, formats=(kind,), per=per, lang=lang
    )
