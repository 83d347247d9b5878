"""A batch as the command line runs it: its options from the command's words, the display
fit for the terminal, and the table and line it closes with."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .options import BatchOptions
from .progress import LogBatchProgress, RichBatchProgress
from .run import BatchResult, run_batch
from .summary import summary_table
from .units import BatchInputError, BatchUnit

# Off a terminal, rich would squeeze the summary table into 80 columns.
PIPED_WIDTH = 200


def batch_options(out_dir: str | Path, timetables: str, **fields: Any) -> BatchOptions:
    """A batch's options from the command's words.

    Parameters
    ----------
    out_dir
        The batch folder.
    timetables
        The formats as the planner wrote them, ``xlsx,csv,ics``; ``none`` or nothing for none.
    **fields
        Every other field of ``BatchOptions``, by its name.

    Raises
    ------
    BatchInputError
        When ``workers`` is given below 1, or ``threads_per_unit`` below 0 (0, like
        None, gives the default: one thread, or the Dask workers' resource).
    """
    formats = tuple(f.strip() for f in timetables.split(",") if f.strip() not in ("", "none"))
    options = BatchOptions(out_dir=Path(out_dir), timetables=formats, **fields)
    if (options.workers is not None and options.workers < 1) or (options.threads_per_unit or 1) < 1:
        raise BatchInputError(["--workers and --threads-per-unit must be at least 1"])
    return options


def run_batch_shown(units: Sequence[BatchUnit], options: BatchOptions) -> BatchResult:
    """``run_batch`` with a progress bar on a terminal's standard error, log lines elsewhere."""
    if sys.stderr.isatty():
        with RichBatchProgress() as bar:
            return run_batch(units, options, bar)
    return run_batch(units, options, LogBatchProgress())


def show_summary(result: BatchResult) -> None:
    """Print the summary table on standard output, as wide as it needs off a terminal."""
    from rich.console import Console

    Console(width=None if sys.stdout.isatty() else PIPED_WIDTH).print(summary_table(result.rows))


def closing_line(result: BatchResult) -> str:
    """How many units were planned, in how long, and where the summary went."""
    return (
        f"{len(result.planned)} of {len(result.rows)} units planned in {result.seconds:.1f}s"
        + (" (interrupted)" if result.interrupted else "")
        + f"; summary written to {result.summary_path}"
    )
