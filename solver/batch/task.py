"""One unit's task: keep its finished plan, or solve it and write its folder.

A unit's folder ``OUT/<unit>/`` holds ``plan/``, ``timetables/`` and ``batch.json``, the
marker written last (atomically) that says the folder is complete.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..output.folder import atomic_file, clear_leftovers, prepare_folder, replaced_subfolder
from ..output.writer import write_plan
from .digest import scenario_digest
from .rows import CRASH_REPORT, INVALID, PLANNED, Row, unit_row

if TYPE_CHECKING:
    from models import Scenario

TIMETABLE_FORMATS = ("xlsx", "csv", "ics")
MARKER = "batch.json"


@dataclass(frozen=True)
class UnitTask:
    """Everything one unit's task needs, as plain data that any process can unpickle."""

    unit: str
    scenario: str  # absolute path, readable where the task runs
    unit_dir: str  # OUT/<unit>, on a filesystem the task can write
    time_limit: float
    seed: int
    cp_sat_workers: int
    timetables: tuple[str, ...] = ("xlsx",)
    redo_feasible: bool = False


TaskRunner = Callable[[UnitTask], Row]


def run_unit(task: UnitTask) -> Row:
    """Make ``OUT/<unit>`` complete: keep a finished plan, or solve and write one.

    Returns the unit's summary row. Invalid input gives a row with status INVALID; any
    other error is raised for the caller to report as a crash.
    """
    started = time.monotonic()
    unit_dir = Path(task.unit_dir)
    digest = scenario_digest(Path(task.scenario))
    kept = _finished_row(task, unit_dir, digest)
    if kept is not None:
        return kept
    return _plan_unit(task, unit_dir, digest, started)


def _plan_unit(task: UnitTask, unit_dir: Path, digest: str, started: float) -> Row:
    from models import ScenarioError, load_scenario

    from ..engine import SolveOptions
    from ..planning import solve

    prepare_folder(unit_dir, "batch-unit")
    # The folder is no longer complete from here on, whatever it held before.
    (unit_dir / MARKER).unlink(missing_ok=True)
    (unit_dir / CRASH_REPORT).unlink(missing_ok=True)
    clear_leftovers(unit_dir)
    try:
        scenario = load_scenario(task.scenario)
    except ScenarioError as error:
        return unit_row(task, INVALID, error="; ".join(str(p) for p in error.errors))
    options = SolveOptions(time_limit=task.time_limit, workers=task.cp_sat_workers, seed=task.seed)
    plan = solve(scenario, options)
    row = unit_row(
        task,
        plan.status.value,
        members=len(scenario.members),
        objective=plan.objective,
        bound=plan.bound,
        gap=plan.gap,
    )
    if not plan.has_plan:
        row["error"] = "; ".join(plan.conflicts) or (
            "the rules conflict" if plan.status.value == "INFEASIBLE" else "no plan found in time"
        )
        row["seconds"] = round(time.monotonic() - started, 3)
        return row
    write_plan(plan, unit_dir / "plan")
    if task.timetables:
        write_unit_timetables(scenario, plan.pairs, unit_dir, task.timetables)
    row["seconds"] = round(time.monotonic() - started, 3)
    if plan.interrupted:
        row["error"] = "stopped before the time limit: the plan is the best found so far"
    _write_marker(
        unit_dir,
        {
            "unit": task.unit,
            "scenario": task.scenario,
            "scenario_hash": digest,
            "status": plan.status.value,
            "interrupted": plan.interrupted,
            "timetables": list(task.timetables),
            "settings": {
                "time_limit": task.time_limit,
                "seed": task.seed,
                "cp_sat_workers": task.cp_sat_workers,
            },
            "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "row": row,
        },
    )
    return row


def _finished_row(task: UnitTask, unit_dir: Path, digest: str) -> Row | None:
    """The recorded row of a unit whose folder is complete and valid, or None to redo it."""
    from checker import check_plan, read_assignments
    from models import ScenarioError, load_scenario

    marker = _read_json(unit_dir / MARKER)
    summary = _read_json(unit_dir / "plan" / "summary.json")
    if marker is None or summary is None or marker.get("scenario_hash") != digest:
        return None
    wanted = ("OPTIMAL",) if task.redo_feasible else PLANNED
    if marker.get("interrupted") or summary.get("status") not in wanted:
        return None
    try:
        scenario = load_scenario(task.scenario)
        pairs = read_assignments(unit_dir / "plan")
    except ScenarioError:
        return None
    report = check_plan(scenario, pairs)
    # A plan edited by hand may still hold every rule; it is no longer the solved one.
    if not report.ok or report.objective != summary.get("objective"):
        return None
    written = set(marker.get("timetables", []))
    if not written.issuperset(task.timetables):
        # Add the formats asked for now, keeping those the folder already has.
        formats = [f for f in TIMETABLE_FORMATS if f in written or f in task.timetables]
        write_unit_timetables(scenario, pairs, unit_dir, formats)
        marker["timetables"] = formats
        _write_marker(unit_dir, marker)
    return {**marker["row"], "skipped": True}


def write_unit_timetables(
    scenario: Scenario, pairs: list[tuple[str, str]], unit_dir: Path, formats: Sequence[str]
) -> Path:
    """Write every year's timetables of a plan into ``unit_dir/timetables``, whole or not at all."""
    from ..output.timetable import write_timetables

    with replaced_subfolder(unit_dir / "timetables", "timetables") as staging:
        write_timetables(scenario, pairs, staging, formats=tuple(formats))
    return unit_dir / "timetables"


def _write_marker(unit_dir: Path, marker: dict[str, Any]) -> None:
    """Write ``batch.json``: the last step, after which the unit is complete."""

    with (
        atomic_file(unit_dir / MARKER) as temporary,
        open(temporary, "w", encoding="utf-8", newline="") as handle,
    ):
        json.dump(marker, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return content if isinstance(content, dict) else None
