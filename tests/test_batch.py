"""Batch planning: local pool and Dask cluster, bad and crashing units, resume."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from dask.distributed import LocalCluster

from checker import check_plan, read_assignments
from cli import main
from models import load_scenario
from solver.batch import (
    BatchInputError,
    BatchOptions,
    ClusterError,
    UnitTask,
    find_units,
    run_batch,
    run_unit,
)

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


def units_with_a_vanished_file(folder: Path) -> list:
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


@pytest.fixture(scope="module")
def pool_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Any]:
    """One batch on the local pool, shared by the tests that read it."""
    root = tmp_path_factory.mktemp("pool")
    inputs = write_units(root / "units")
    result = run_batch(units_with_a_vanished_file(inputs), options(root / "out"))
    return inputs, root / "out", result


# -- finding units ---------------------------------------------------------------------


def test_units_are_files_and_folders_named_by_stem_or_folder(tmp_path: Path) -> None:
    inputs = write_units(tmp_path / "units")
    (inputs / ".hidden.yaml").write_text("version: 1\n", encoding="utf-8")
    (inputs / "notes.txt").write_text("not a scenario\n", encoding="utf-8")
    extra = tmp_path / "west.json"
    extra.write_text(json.dumps(tiny_scenario(2)), encoding="utf-8")
    units = find_units([inputs, extra, inputs / "north.yaml"])  # north given twice: once
    assert [u.name for u in units] == ["broken", "east", "north", "south", "vanished", "west"]
    assert units[1].scenario == (inputs / "east" / "scenario.yaml").resolve()


def test_clashing_names_and_empty_inputs_are_bad_input(tmp_path: Path) -> None:
    inputs = write_units(tmp_path / "units")
    (inputs / "east.yaml").write_text(yaml.safe_dump(tiny_scenario(2)), encoding="utf-8")
    with pytest.raises(BatchInputError, match="unit name 'east' is given by 2 scenarios"):
        find_units([inputs])
    (tmp_path / "empty").mkdir()
    with pytest.raises(BatchInputError) as raised:
        find_units([tmp_path / "empty", tmp_path / "missing"])
    assert len(raised.value.problems) == 2
    result = CliRunner().invoke(main, ["batch", str(inputs), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "unit name 'east'" in result.output
    assert not (tmp_path / "out").exists()


# -- the local pool and a Dask cluster ----------------------------------------------------


def test_local_pool_plans_every_unit_and_reports_the_bad_ones(pool_batch) -> None:
    inputs, out, result = pool_batch
    statuses = {row["unit"]: row["status"] for row in result.rows}
    assert statuses == {
        "broken": "INVALID",
        "east": "OPTIMAL",
        "north": "OPTIMAL",
        "south": "OPTIMAL",
        "vanished": "CRASHED",
    }
    assert result.exit_code == 1
    assert_plans_hold(out, inputs)
    rows = summary_rows(out)
    assert "unknown course" in rows["broken"]["error"]
    assert rows["vanished"]["error"].startswith("FileNotFoundError")
    assert "Traceback" in (out / "vanished" / "batch-error.txt").read_text(encoding="utf-8")
    # 5 members, 4 rotation seats: one member stays without rotation.
    assert rows["east"]["members"] == "5"
    assert rows["east"]["unmet"] == "1"
    assert rows["north"]["skipped"] == "no"


def test_dask_cluster_gives_the_same_plans_as_the_local_pool(pool_batch, tmp_path: Path) -> None:
    _, pool_out, _ = pool_batch
    units = units_with_a_vanished_file(write_units(tmp_path / "units"))
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        result = run_batch(units, options(tmp_path / "out", scheduler=cluster.scheduler_address))
    assert "Dask cluster" in result.where and "2 workers" in result.where
    statuses = {row["unit"]: row["status"] for row in result.rows}
    assert statuses["broken"] == "INVALID"
    assert statuses["vanished"] == "CRASHED"
    assert result.exit_code == 1
    assert_plans_hold(tmp_path / "out", tmp_path / "units")
    for name in GOOD_UNITS:
        pool_plan = (pool_out / name / "plan" / "assignments.csv").read_text(encoding="utf-8")
        dask_plan = (tmp_path / "out" / name / "plan" / "assignments.csv").read_text(
            encoding="utf-8"
        )
        assert dask_plan == pool_plan, name


def threads_held(task: UnitTask) -> dict[str, Any]:
    """A task that only reports the CP-SAT workers it was given."""
    return {"unit": task.unit, "status": "OPTIMAL", "error": f"threads {task.cp_sat_workers}"}


def test_each_dask_task_uses_the_threads_its_worker_offers(tmp_path: Path) -> None:
    units = find_units([write_units(tmp_path / "units")])
    with LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        resources={"threads": 2},
        dashboard_address=None,
    ) as cluster:
        address = cluster.scheduler_address
        held = run_batch(units, options(tmp_path / "a", scheduler=address), runner=threads_held)
        assert {row["error"] for row in held.rows} == {"threads 2"}
        halves = run_batch(
            units,
            options(tmp_path / "b", scheduler=address, threads_per_unit=1),
            runner=threads_held,
        )
        assert {row["error"] for row in halves.rows} == {"threads 1"}
        with pytest.raises(ClusterError, match="no worker offers more than 2 threads"):
            run_batch(units, options(tmp_path / "c", scheduler=address, threads_per_unit=3))


def test_an_unreachable_scheduler_is_reported(tmp_path: Path) -> None:
    units = find_units([write_units(tmp_path / "units")])
    settings = options(tmp_path / "out", scheduler="tcp://127.0.0.1:9", connect_timeout=1.0)
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler"):
        run_batch(units, settings)


def die_on_south(task: UnitTask) -> dict[str, Any]:
    """A task whose process dies (as on a segfault or the OOM killer) for unit 'south'."""
    if task.unit == "south":
        os._exit(3)
    return run_unit(task)


def test_a_dying_worker_process_is_reported_and_the_pool_goes_on(tmp_path: Path) -> None:
    inputs = write_units(tmp_path / "units")
    units = [u for u in find_units([inputs]) if u.name in GOOD_UNITS]
    result = run_batch(units, options(tmp_path / "out"), runner=die_on_south)
    statuses = {row["unit"]: row["status"] for row in result.rows}
    assert statuses == {"east": "OPTIMAL", "north": "OPTIMAL", "south": "CRASHED"}
    south = next(row for row in result.rows if row["unit"] == "south")
    assert "worker process died" in south["error"]
    for name in ("east", "north"):
        scenario_file = next(u.scenario for u in units if u.name == name)
        assert_plan_holds(tmp_path / "out" / name / "plan", scenario_file)


# -- resume --------------------------------------------------------------------------------


def run_cli(inputs: Path, out: Path, *extra: str) -> tuple[int, dict[str, dict[str, str]]]:
    command = ["batch", str(inputs), "--out", str(out), "--time-limit", "10", "--workers", "2"]
    result = CliRunner().invoke(main, [*command, *extra])
    assert "Traceback" not in result.output
    return result.exit_code, summary_rows(out)


def test_rerun_solves_only_what_is_not_finished(tmp_path: Path) -> None:
    inputs = write_units(tmp_path / "units")
    for name in ("broken", "vanished"):
        (inputs / f"{name}.yaml").unlink()
    out = tmp_path / "out"
    code, rows = run_cli(inputs, out, "--timetables", "none")
    assert code == 0
    assert {name: row["skipped"] for name, row in rows.items()} == dict.fromkeys(GOOD_UNITS, "no")

    # An interruption that lost north's plan, and a changed scenario for south.
    (out / "north" / "batch.json").unlink()
    shutil.rmtree(out / "north" / "plan")
    changed = tiny_scenario(GOOD_UNITS["south"])
    changed["sessions"][1]["capacity"] = 1
    (inputs / "south.yaml").write_text(yaml.safe_dump(changed), encoding="utf-8")
    code, rows = run_cli(inputs, out, "--timetables", "none")
    assert code == 0
    assert {name: row["skipped"] for name, row in rows.items()} == {
        "east": "yes",
        "north": "no",
        "south": "no",
    }
    assert rows["south"]["unmet"] == "1"  # 4 members, now 3 rotation seats
    assert_plans_hold(out, inputs)

    # A plan edited by hand is redone, even though it may still hold every rule.
    assignments = out / "east" / "plan" / "assignments.csv"
    lines = assignments.read_text(encoding="utf-8").splitlines(keepends=True)
    assignments.write_text("".join(lines[:-1]), encoding="utf-8")
    code, rows = run_cli(inputs, out, "--timetables", "none")
    assert {name: row["skipped"] for name, row in rows.items()} == {
        "east": "no",
        "north": "yes",
        "south": "yes",
    }
    assert_plans_hold(out, inputs)


def test_a_feasible_unit_is_redone_only_when_asked(tmp_path: Path) -> None:
    inputs = write_units(tmp_path / "units")
    for name in ("broken", "vanished", "south", "east"):
        shutil.rmtree(inputs / name, ignore_errors=True)
        (inputs / f"{name}.yaml").unlink(missing_ok=True)
    out = tmp_path / "out"
    assert run_cli(inputs, out, "--timetables", "none")[0] == 0
    # Make north's finished plan look like one cut short by the time limit.
    for file in (out / "north" / "plan" / "summary.json", out / "north" / "batch.json"):
        content = json.loads(file.read_text(encoding="utf-8"))
        content["status"] = "FEASIBLE"
        if "row" in content:
            content["row"]["status"] = "FEASIBLE"
        file.write_text(json.dumps(content), encoding="utf-8")
    code, rows = run_cli(inputs, out, "--timetables", "none")
    assert (code, rows["north"]["skipped"], rows["north"]["status"]) == (0, "yes", "FEASIBLE")
    code, rows = run_cli(inputs, out, "--timetables", "none", "--redo-feasible")
    assert (code, rows["north"]["skipped"], rows["north"]["status"]) == (0, "no", "OPTIMAL")
    assert_plan_holds(out / "north" / "plan", inputs / "north.yaml")


def test_timetables_are_written_and_added_on_rerun_without_a_solve(tmp_path: Path) -> None:
    pytest.importorskip("solver.timetable", reason="the annual timetables are not built yet")
    inputs = write_units(tmp_path / "units")
    for name in ("broken", "vanished", "east"):
        shutil.rmtree(inputs / name, ignore_errors=True)
        (inputs / f"{name}.yaml").unlink(missing_ok=True)
    out = tmp_path / "out"
    assert run_cli(inputs, out)[0] == 0  # xlsx by default
    assert sorted(
        p.name for p in (out / "north" / "timetables").iterdir() if p.name != ".rotaplan.json"
    ) == [
        "timetable-2026.xlsx",
        "timetable-2027.xlsx",
    ]
    code, rows = run_cli(inputs, out, "--timetables", "csv,ics")
    assert (code, rows["north"]["skipped"], rows["south"]["skipped"]) == (0, "yes", "yes")
    timetables = out / "south" / "timetables"
    assert (timetables / "timetable-2027" / "calendar.csv").is_file()
    assert list((timetables / "calendars-2026").glob("*.ics"))
    marker = json.loads((out / "south" / "batch.json").read_text(encoding="utf-8"))
    assert marker["timetables"] == ["xlsx", "csv", "ics"]
    assert (timetables / "timetable-2026.xlsx").is_file()  # what was there stays
    assert_plan_holds(out / "south" / "plan", inputs / "south.yaml")
