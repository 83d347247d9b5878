"""How a batch runs: where, with how many processes and threads, and for how long."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .progress import BatchProgress
from .rows import Row
from .task import TaskRunner


@dataclass
class BatchOptions:
    """How to run a batch; ``workers`` and ``threads_per_unit`` default from the machine."""

    out_dir: Path
    time_limit: float = 120.0
    seed: int = 0
    workers: int | None = None  # local pool processes; default cores // threads_per_unit
    threads_per_unit: int | None = None  # CP-SAT workers per unit; default 1 (see docs)
    scheduler: str | None = None  # a Dask scheduler address: run there instead
    timetables: tuple[str, ...] = ("xlsx",)
    redo_feasible: bool = False
    connect_timeout: float = 60.0  # seconds to reach the scheduler and see a worker


@dataclass(frozen=True)
class Dispatch:
    """What the pool or the cluster is handed besides the tasks and options: the task each
    unit runs, where each finished unit's row goes, and the display to tell."""

    runner: TaskRunner
    record: Callable[[Row], None]
    progress: BatchProgress | None
