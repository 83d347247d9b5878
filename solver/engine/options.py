"""How a solve may spend its time, and what it tells a progress display."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from models.errors import EXIT_NO_PLAN, RotaplanError

from .result import StageReport
from .settings import EngineSettings


class Progress(Protocol):
    """Receives what a solve is doing, for a live display or log lines."""

    def stage_started(self, term: str, index: int, count: int, budget: float) -> None: ...

    def improved(self, term: str, value: float, bound: float | None, elapsed: float) -> None: ...

    def stage_finished(self, report: StageReport) -> None: ...


class SolveError(RotaplanError, RuntimeError):
    """The engine produced a plan that breaks a rule: a defect, never shown as a plan.

    Its exit code is ``EXIT_NO_PLAN`` (1): the input was read and is valid, but there is
    no valid plan to write, and nothing is written. (Invalid input, 2, would send the
    planner looking for a mistake that is not theirs.)
    """

    exit_code: ClassVar[int] = EXIT_NO_PLAN


@dataclass
class SolveOptions:
    """How a solve may spend its time.

    ``settings`` holds the engine's tuning knobs (``solver.engine.EngineSettings``).
    """

    time_limit: float = 120.0
    workers: int = 0  # 0: every core
    seed: int = 0
    progress: Progress | None = None
    settings: EngineSettings = field(default_factory=EngineSettings)
    # A plan to start from (a what-if starts from the plan it changes): its assignments
    # that fit are taken first, so the search can only improve on it.
    start: list[tuple[str, str]] | None = None

    @property
    def threads(self) -> int:
        return self.workers if self.workers > 0 else max(1, os.cpu_count() or 1)
