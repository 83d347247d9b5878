"""What-if changes to a scenario, and what solving each one gave.

``Change`` is one what-if edit (more seats, a higher limit or team cap, a new session),
applied to a copy of the scenario; ``Trial`` is that copy solved; ``UnmetGroup`` is the
plan's unmet windows of one requirement with one cause, and the changes tried for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from models import Requirement, Scenario

from .messages import Note
from .verdicts import WindowFinding

WindowKey = tuple[str, str, dt.date]
KIND_ORDER = ("seats", "limit", "team_cap", "session")


@dataclass
class Change:
    """One what-if change to a scenario, described for planners and applied to a copy."""

    kind: str  # seats, limit, team_cap or session
    note: Note
    edit: Callable[[Scenario], None]

    def apply(self, scenario: Scenario) -> Scenario:
        """A changed deep copy; the scenario itself is left as it is."""
        variant = scenario.model_copy(deep=True)
        variant.forget_lookups()
        self.edit(variant)
        variant.forget_lookups()
        return variant


@dataclass
class Trial:
    """A change solved: which of the group's windows its plan meets, and the unmet term.

    ``status`` is the variant's solve status (``OPTIMAL``, ``FEASIBLE``, ...); ``served``
    holds the group's windows that the variant's plan meets.
    """

    change: Change
    status: str
    served: list[WindowKey] = field(default_factory=list)
    unmet: int | None = None
    seconds: float = 0.0  # the variant's time limit
    kept_plan: bool = False  # the solve came back worse: the plan itself is the answer

    @property
    def proven(self) -> bool:
        """Whether the variant was solved to a conclusion (proven optimal)."""
        return self.status == "OPTIMAL"

    @property
    def served_members(self) -> list[str]:
        return list(dict.fromkeys(member for member, _, _ in self.served))


@dataclass
class UnmetGroup:
    """A plan's unmet windows of one requirement with one cause, and what was tried."""

    requirement: Requirement
    cause: str
    findings: list[WindowFinding]
    changes: list[Change] = field(default_factory=list)
    trials: list[Trial] = field(default_factory=list)

    @cached_property
    def keys(self) -> list[WindowKey]:
        return [(f.member_id, self.requirement.id, f.window.start) for f in self.findings]

    @property
    def weighted(self) -> int:
        return sum(f.shortfall for f in self.findings) * self.requirement.weight

    @property
    def useful(self) -> list[Trial]:
        """The trials that serve at least one of the group's windows."""
        return [t for t in self.trials if t.served]

    @property
    def best(self) -> Trial | None:
        """The trial that serves most; of equals, the lower unmet, then the smallest change."""
        if not self.useful:
            return None
        return max(
            self.useful,
            key=lambda t: (len(t.served), -(t.unmet or 0), -KIND_ORDER.index(t.change.kind)),
        )
