"""One unit's task on a rerun: what is finished is kept, what is not is redone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from batch_units import (
    GOOD_UNITS,
    assert_plan_holds,
    assert_plans_hold,
    run_cli,
    tiny_scenario,
    write_units,
)

pytestmark = pytest.mark.slow


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
    pytest.importorskip("solver.output.timetable", reason="the annual timetables are not built yet")
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
