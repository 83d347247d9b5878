"""Units for the batch tests: tiny scenarios that solve to OPTIMAL in well under a second."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from checker import check_plan, read_assignments
from cli import main
from models import load_scenario
from solver.batch import BatchOptions, BatchUnit, find_units

# Three units that each solve to OPTIMAL in well under a second, and differ in size.
GOOD_UNITS = {"north": 3, "south": 4, "east": 5}


def tiny_scenario(members: int) -> dict[str, Any]:
    """A two-year unit: every member needs the rotation course once and 8 hours a year.

    The two rotation sessions hold 2 seats each and the team may have two members away a
    day, so with more than 4 members some stay without rotation.
    """
    return {
        "version": 1,
        "name": f"unit of {members}",
        "horizon": {"start": "2026-01-01", "end": "2027-12-31"},
        "members": [
            {"id": f"M{i}", "tier": "middle" if i == 1 else "grassroots", "unit": "U1"}
            for i in range(1, members + 1)
        ],
        "courses": [
            {"id": "rotation", "hours": 24},
            {"id": "elearn", "hours": 8, "away": False, "repeatable": True},
        ],
        "sessions": [
            {"id": "R26", "course": "rotation", "start": "2026-03-02", "end": "2026-03-04",
             "capacity": 2, "seat_cost": 100},
            {"id": "R27", "course": "rotation", "start": "2027-03-01", "end": "2027-03-03",
             "capacity": 2, "seat_cost": 50},
            {"id": "E26", "course": "elearn", "start": "2026-05-05", "capacity": 10},
            {"id": "E27", "course": "elearn", "start": "2027-05-05", "capacity": 10},
        ],
        "requirements": [
            {"id": "rotate", "who": {}, "courses": ["rotation"], "window": "horizon"},
            {"id": "hours", "who": {}, "min_hours": 8, "window": "year"},
        ],
        "team_limits": [{"max_away": 2}],
    }  # fmt: skip


def write_units(folder: Path) -> Path:
    """The batch's input folder: good units (one as a folder), one invalid, one to vanish."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, members in GOOD_UNITS.items():
        path = folder / name / "scenario.yaml" if name == "east" else folder / f"{name}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(yaml.safe_dump(tiny_scenario(members)), encoding="utf-8")
    invalid = tiny_scenario(2)
    invalid["sessions"][0]["course"] = "no_such_course"
    (folder / "broken.yaml").write_text(yaml.safe_dump(invalid), encoding="utf-8")
    (folder / "vanished.yaml").write_text(yaml.safe_dump(tiny_scenario(2)), encoding="utf-8")
    return folder


def units_with_a_vanished_file(folder: Path) -> list[BatchUnit]:
    """Find the units, then delete one scenario: its task cannot read it and crashes."""
    units = find_units([folder])
    (folder / "vanished.yaml").unlink()
    return units


def options(out: Path, **changes: Any) -> BatchOptions:
    settings: dict[str, Any] = {"time_limit": 10.0, "workers": 2, "timetables": ()}
    settings.update(changes)
    return BatchOptions(out_dir=out, **settings)


def summary_rows(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "batch-summary.csv", encoding="utf-8-sig", newline="") as handle:
        return {row["unit"]: row for row in csv.DictReader(handle)}


def assert_plans_hold(out: Path, inputs: Path) -> None:
    """Every good unit's plan is OPTIMAL, written whole, and passes the independent check."""
    for name in GOOD_UNITS:
        scenario_file = (
            inputs / name / "scenario.yaml" if name == "east" else inputs / f"{name}.yaml"
        )
        assert_plan_holds(out / name / "plan", scenario_file)
        assert (out / name / "batch.json").is_file()


def assert_plan_holds(plan_dir: Path, scenario_file: Path) -> None:
    summary = json.loads((plan_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "OPTIMAL"
    report = check_plan(load_scenario(scenario_file), read_assignments(plan_dir))
    assert report.violations == []
    assert report.objective == summary["objective"]
    assert (report.surplus, summary["surplus"]) == (0, 0)


def run_cli(inputs: Path, out: Path, *extra: str) -> tuple[int, dict[str, dict[str, str]]]:
    command = ["batch", str(inputs), "--out", str(out), "--time-limit", "10", "--workers", "2"]
    result = CliRunner().invoke(main, [*command, *extra])
    assert "Traceback" not in result.output
    return result.exit_code, summary_rows(out)
