"""What a check finds: the broken rules, the unmet windows and the report that holds them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .surplus import SurplusAudit


@dataclass(frozen=True)
class Violation:
    """One broken hard rule: which rule, for whom, where and when."""

    rule: str
    message: str
    member: str | None = None
    session: str | None = None
    day: dt.date | None = None

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


@dataclass(frozen=True)
class UnmetWindow:
    """One requirement window of one member the plan leaves short, and by how much."""

    member: str
    requirement: str
    window_start: dt.date
    window_end: dt.date
    shortfall: int
    weight: int


@dataclass
class CheckReport:
    """Every broken rule of a plan, its objective terms, its unmet windows and its surplus."""

    violations: list[Violation]
    objective: dict[str, int]
    unmet: list[UnmetWindow] = field(default_factory=list)
    audit: SurplusAudit = field(default_factory=SurplusAudit)

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def surplus(self) -> int:
        """Assignments the plan would be as good without (see ``checker.surplus``)."""
        return self.audit.count
