"""Running a batch: every unit planned, on the local pool or a Dask cluster, summarised."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..output.folder import claim, prepare_folder
from .cluster import run_on_cluster
from .options import BatchOptions, Dispatch
from .pool import run_on_pool
from .progress import BatchProgress
from .rows import CANCELLED, PLANNED, SUMMARY_COLUMNS, Row, failed_row
from .summary import SUMMARY_FILE, write_summary
from .task import TIMETABLE_FORMATS, TaskRunner, UnitTask, run_unit
from .units import BatchInputError, BatchUnit


@dataclass
class BatchResult:
    """Every unit's row, in the order of the units, and where the summary was written."""

    rows: list[Row]
    summary_path: Path
    where: str
    interrupted: bool = False
    seconds: float = 0.0
    columns: list[str] = field(default_factory=lambda: list(SUMMARY_COLUMNS))

    @property
    def planned(self) -> list[Row]:
        return [row for row in self.rows if row["status"] in PLANNED]

    @property
    def exit_code(self) -> int:
        """0 when every unit has a plan, 1 otherwise."""
        return 0 if len(self.planned) == len(self.rows) else 1


def run_batch(
    units: Sequence[BatchUnit],
    options: BatchOptions,
    progress: BatchProgress | None = None,
    runner: TaskRunner = run_unit,
) -> BatchResult:
    """Plan every unit, on a local process pool or on the Dask cluster at ``scheduler``.

    A unit that is invalid or crashes gets a row saying so and the others go on. The
    summary CSV is rewritten after every unit, so it is current even if the batch stops.
    ``runner`` is the task (a module-level function, so that it pickles by name).
    """
    if not units:
        raise BatchInputError(["no scenarios given"])
    bad = [f for f in options.timetables if f not in TIMETABLE_FORMATS]
    if bad:
        raise BatchInputError([f"unknown timetable format(s): {', '.join(bad)}"])
    started = time.monotonic()
    out_dir = prepare_folder(options.out_dir, "batch")
    summary_path = out_dir / SUMMARY_FILE
    rows: dict[str, Row] = {}
    order = {unit.name: index for index, unit in enumerate(units)}

    def record(row: Row) -> None:
        rows[row["unit"]] = row
        write_summary(sorted(rows.values(), key=lambda r: order[r["unit"]]), summary_path)
        if progress is not None:
            progress.finished(row)

    tasks = [_task(unit, out_dir, options) for unit in units]
    # Units run in parallel processes: their folders are recorded once, here, up front.
    claim(out_dir, [unit.name for unit in units] + [SUMMARY_FILE])
    dispatch = Dispatch(runner, record, progress)
    interrupted = False
    try:
        if options.scheduler:
            where = run_on_cluster(tasks, options, dispatch)
        else:
            where = run_on_pool(tasks, options, dispatch)
    except KeyboardInterrupt:
        interrupted, where = True, "interrupted"
    for task in tasks:
        if task.unit not in rows:
            rows[task.unit] = failed_row(task, CANCELLED, "the batch stopped before this unit ran")
    ordered = [rows[task.unit] for task in tasks]
    write_summary(ordered, summary_path)
    return BatchResult(ordered, summary_path, where, interrupted, time.monotonic() - started)


def _task(unit: BatchUnit, out_dir: Path, options: BatchOptions) -> UnitTask:
    return UnitTask(
        unit=unit.name,
        scenario=str(unit.scenario.resolve()),
        unit_dir=str(out_dir / unit.name),
        time_limit=options.time_limit,
        seed=options.seed,
        cp_sat_workers=options.threads_per_unit or 1,
        timetables=tuple(options.timetables),
        redo_feasible=options.redo_feasible,
    )
