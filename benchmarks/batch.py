"""Batch benchmark: many generated companies, on the local pool versus one at a time.

Generates ``--units`` company scenarios (``models.generate``, one seed each), plans them
with ``rotaplan batch`` twice, each time into a fresh folder, and prints a table:

- one at a time: one unit after another, each with every core as CP-SAT threads
  (what running ``rotaplan solve`` per unit does);
- local pool: as many units at once as there are cores, one CP-SAT thread each.

Each solve is bounded by ``--time-limit``, so a unit not proven optimal costs its whole
limit either way: the table also shows how many units were proven optimal and the sum of
their ``unmet`` terms, so that speed is never read without the quality it bought.

Run it small first (a few minutes on 2 cores):

    .venv/bin/python benchmarks/batch.py --units 4 --members 300 --time-limit 10

The full run is 20 companies of 2,024 members over 5 years (about 20 * 60 s one at a
time, plus the pool's share):

    .venv/bin/python benchmarks/batch.py
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from models.generate import generate_scenario
from solver.batch import BatchOptions, LogBatchProgress, find_units, local_cores, run_batch


@dataclass
class Run:
    """One way of running the whole batch and what it gave."""

    mode: str
    processes: int
    threads_per_unit: int
    seconds: float
    planned: int
    optimal: int
    unmet: int


def generate_units(folder: Path, units: int, members: int, years: int, seed: int) -> Path:
    """Write ``units`` company scenarios, ``folder/company-NN/scenario.yaml``, seeds apart."""
    for index in range(units):
        generate_scenario(folder / f"company-{index + 1:02d}", members, years, seed + index)
    return folder


def run(mode: str, inputs: Path, out: Path, processes: int, threads: int, limit: float) -> Run:
    """Plan every unit into a fresh ``out`` and measure the wall time of the whole batch."""
    shutil.rmtree(out, ignore_errors=True)
    options = BatchOptions(
        out_dir=out,
        time_limit=limit,
        workers=processes,
        threads_per_unit=threads,
        timetables=(),
    )
    print(f"\n{mode}:", file=sys.stderr)
    started = time.monotonic()
    result = run_batch(find_units([inputs]), options, LogBatchProgress())
    seconds = time.monotonic() - started
    return Run(
        mode=mode,
        processes=processes,
        threads_per_unit=threads,
        seconds=seconds,
        planned=len(result.planned),
        optimal=sum(1 for row in result.rows if row["status"] == "OPTIMAL"),
        unmet=sum(row["unmet"] or 0 for row in result.planned),
    )


def table(runs: list[Run], units: int, members: int, limit: float) -> Table:
    """The figures side by side, with the speed-up of each run over the first."""
    title = f"{units} units of {members} members, time limit {limit:g}s per unit"
    view = Table(title=title, title_justify="left")
    for name in ("mode", "processes", "threads/unit", "wall s", "planned", "optimal"):
        view.add_column(name, justify="left" if name == "mode" else "right")
    view.add_column("sum unmet (planned units)", justify="right")
    view.add_column("speed-up", justify="right")
    for entry in runs:
        view.add_row(
            entry.mode,
            str(entry.processes),
            str(entry.threads_per_unit),
            f"{entry.seconds:.1f}",
            f"{entry.planned}/{units}",
            str(entry.optimal),
            str(entry.unmet),
            f"{runs[0].seconds / entry.seconds:.2f}x",
        )
    return view


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=20, help="companies to plan")
    parser.add_argument("--members", type=int, default=2024, help="members per company")
    parser.add_argument("--years", type=int, default=5, help="years of each plan")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per unit")
    parser.add_argument("--seed", type=int, default=1, help="seed of the first company")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the files here")
    args = parser.parse_args()
    cores = local_cores()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="rotaplan-batch-bench-"))
    try:
        started = time.monotonic()
        inputs = generate_units(workdir / "units", args.units, args.members, args.years, args.seed)
        print(f"generated {args.units} units in {time.monotonic() - started:.1f}s", file=sys.stderr)
        runs = [
            run("one at a time", inputs, workdir / "one", 1, cores, args.time_limit),
            run("local pool", inputs, workdir / "pool", cores, 1, args.time_limit),
        ]
        Console(width=120).print(table(runs, args.units, args.members, args.time_limit))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
