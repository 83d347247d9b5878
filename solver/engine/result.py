"""What a solve returns: status, terms, bound, stage reports and the unmet windows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

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
    """A solved scenario: the assignments and everything a planner reads about them."""

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

    def summary(self) -> dict[str, Any]:
        """The content of ``summary.json``."""
        return {
            "status": self.status.value,
            "objective": dict(self.objective),
            "term_bounds": dict(self.term_bounds),
            "surplus": self.surplus,
            "bound": self.bound,
            "gap": self.gap,
            "seconds": round(self.seconds, 3),
            "build_seconds": round(self.build_seconds, 3),
            "interrupted": self.interrupted,
            "stages": [
                {
                    "term": s.term,
                    "status": s.status.value,
                    "value": s.value,
                    "bound": s.bound,
                    "gap": s.gap,
                    "seconds": round(s.seconds, 3),
                }
                for s in self.stages
            ],
            "unmet": [u.as_dict() for u in self.unmet],
            "conflicts": list(self.conflicts),
            "scenario": self.scenario.name,
            "scenario_path": _source_of(self.scenario),
            "settings": dict(self.settings),
        }

    def assignments_frame(self) -> pd.DataFrame:
        from ..output.tables import assignments_table

        return assignments_table(self.scenario, self.pairs)

    def sessions_frame(self) -> pd.DataFrame:
        from ..output.tables import sessions_table

        return sessions_table(self.scenario, self.pairs)

    def members_frame(self) -> pd.DataFrame:
        from ..output.tables import members_table

        return members_table(self.scenario, self.pairs)

    def write(self, out_dir: str | Path, lang: str = "en") -> Path:
        """Write the plan folder whole, replacing what was there, or not at all.

        ``lang`` (``en`` or ``zh``) is the language of ``unmet.csv``'s reasons.
        """
        from ..output.writer import write_plan

        return write_plan(self, Path(out_dir), lang)


def _source_of(scenario: Scenario) -> str | None:
    """The scenario file's absolute path, so later commands can find it from the plan."""
    source = getattr(scenario, "source", None)
    return str(Path(source).resolve()) if source is not None else None
