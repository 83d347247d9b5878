"""The shape of a per-rule case: a ``Case``, the ``Why`` of a rule that leaves a window
short, and the small builders the cases are written with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Pairs = list[tuple[str, str]]

# Every hard rule the checker recomputes: each has a case in this package.
RULES = {
    "duplicate", "unknown", "audience", "presence", "unavailable", "blackout",
    "capacity", "min_size", "mix", "overlap", "min_gap", "repeat",
    "max_days_per_year", "max_days_per_month", "max_hours_per_year",
    "max_sessions_per_year", "team_cap", "together", "pinned", "strict",
}  # fmt: skip
# The rules a window can be short because of: each has a case that says why. The others
# are about the plan's rows (duplicate, unknown, pinned) or the unmet windows (strict).
EXPLAINED_RULES = RULES - {"duplicate", "unknown", "pinned", "strict"}


def session(
    sid: str, start: str, end: str | None = None, course: str = "c", **fields: Any
) -> dict[str, Any]:
    """A session row; the course is ``c`` unless said otherwise."""
    row = {"id": sid, "course": course, "start": start, **fields}
    if end is not None:
        row["end"] = end
    return row


def needs(course: str = "c", rid: str = "r", **fields: Any) -> dict[str, Any]:
    """A requirement of one completion of ``course`` (everyone, whole horizon by default)."""
    return {"id": rid, "courses": [course], **fields}


def of(*members: str) -> dict[str, Any]:
    """The selector of the members named."""
    return {"members": list(members)}


def in_(start: str, end: str) -> dict[str, str]:
    """A fixed requirement window."""
    return {"from": start, "to": end}


@dataclass(frozen=True)
class Why:
    """Why the rule leaves a window short, in the explanations' words.

    With ``requirements`` added to its case's scenario, exactly one window is unmet: the
    window of ``member``, with cause ``cause`` and a reason holding each of ``words``. Made
    strict, the scenario has no plan; its conflict tells a window of ``member`` with
    ``words`` too, and ``rule`` is the conflict's sentence of the rule itself (None when the
    rule is told inside the windows' sentences only).
    """

    requirements: list[dict[str, Any]]
    cause: str
    words: tuple[str, ...]
    rule: str | None = None
    member: str = "A"


@dataclass
class Case:
    """One hard rule: a scenario, a plan that breaks only it, a plan that keeps it."""

    rule: str
    sessions: list[dict[str, Any]]
    bad: Pairs
    good: Pairs
    members: list[Any] = field(default_factory=lambda: ["A", "B", "C"])
    courses: list[Any] = field(default_factory=lambda: ["c"])
    sections: dict[str, Any] = field(default_factory=dict)
    label: str = ""
    # The conflict, sentence by sentence, of the scenario with the bad plan's rows pinned;
    # None where it has a plan all the same, or is rejected on loading (a row pinned to a
    # session its member may not attend).
    conflict_if_pinned: list[str] | None = None
    why: Why | None = None

    @property
    def id(self) -> str:
        return self.label or self.rule


NON_AWAY = {"id": "remote", "away": False, "repeatable": True}
REPEATABLE = {"id": "c", "repeatable": True}
