"""The local process pool: every unit planned, bad and crashing units reported; a Dask
cluster gives the same plans."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from batch_units import (
    GOOD_UNITS,
    assert_plan_holds,
    assert_plans_hold,
    options,
    summary_rows,
    units_with_a_vanished_file,
    write_units,
)
from dask.distributed import LocalCluster

from solver.batch import UnitTask, find_units, run_batch, run_unit

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pool_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Any]:
    """One batch on the local pool, shared by the tests that read it."""
    root = tmp_path_factory.mktemp("pool")
    inputs = write_units(root / "units")
    result = run_batch(units_with_a_vanished_file(inputs), options(root / "out"))
    return inputs, root / "out", result


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
