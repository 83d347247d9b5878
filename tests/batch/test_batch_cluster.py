"""A Dask cluster: the threads each task holds, and a scheduler that cannot be reached."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from batch_units import options, write_units
from dask.distributed import LocalCluster

from solver.batch import ClusterError, UnitTask, find_units, run_batch


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
