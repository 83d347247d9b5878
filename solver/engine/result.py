"""What a solve returns: status, terms, bound, stage reports and the unmet windows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from models import Scenario

    from ..explain.messages import Note


class Status(StrEnum):
    """The answer of a solve, as SPEC.md names it."""

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"


@dataclass
class StageReport:
    """One lexicographic stage: the term minimised, how far it got, and how long it took."""

    term: str
    status: Status
    value: int | None
    bound: int | None
    seconds: float
    solutions: int = 0

    @property
    def gap(self) -> float | None:
        if self.value is None or self.bound is None:
            return None
        return (self.value - self.bound) / max(1, abs(self.value))


@dataclass
class Unmet:
    """A requirement window a plan leaves short, with the reason in plain words."""

    member_id: str
    requirement_id: str
    window_start: dt.date
    window_end: dt.date
    shortfall: int
    reason: str
    weight: int = 1
    cause: str = ""  # a short code for grouping: no_session, ineligible, full, member_caps, ...
    # The reason as a catalogue note, so unmet.csv can give it in the planner's language.
    note: Note | None = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "member_id": self.member_id,
            "requirement_id": self.requirement_id,
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "shortfall": self.shortfall,
            "reason": self.reason,
            "cause": self.cause,
            "weight": self.weight,
        }


@dataclass
class Plan:
    """A solved scenario: the assignments and everything a planner reads about them.

    Data only: ``solver.output.writer`` writes it as a plan folder (``write_plan``) and
    gives its ``summary.json`` (``plan_summary``); ``solver.output.tables`` its tables.
    """

    scenario: Scenario
    status: Status
    pairs: list[tuple[str, str]]
    objective: dict[str, int]
    bound: int | None
    stages: list[StageReport]
    unmet: list[Unmet] = field(default_factory=list)
    seconds: float = 0.0
    build_seconds: float = 0.0
    interrupted: bool = False
    conflicts: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    surplus: int = 0  # attendances the checker finds surplus (SPEC.md's over-training audit)
    # Proven lower bounds of terms, given the earlier terms at the plan's values.
    term_bounds: dict[str, int] = field(default_factory=dict)

    @property
    def has_plan(self) -> bool:
        return self.status in (Status.OPTIMAL, Status.FEASIBLE)

    @property
    def gap(self) -> float | None:
        """Relative gap of the first term not proven optimal, or None when all are."""
        for stage in self.stages:
            if stage.status != Status.OPTIMAL:
                return stage.gap
        return None
