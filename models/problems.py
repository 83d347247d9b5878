"""Problems found in input: one line each, naming the file, row or key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .errors import RotaplanError

Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Problem:
    """One thing to tell the planner: an error stops the command, a warning or note not.

    A warning is probably a mistake in the input; a note says how the input was read
    (a table in another encoding), so that nothing happens without a word.
    """

    where: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{prefix}{self.where}: {self.message}"


class ScenarioError(RotaplanError):
    """The input is invalid; ``problems`` lists every problem found, errors first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: p.severity != "error")
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__(f"{len(errors)} problem(s) in the input:\n" + "\n".join(map(str, errors)))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def lines(self) -> list[str]:
        """Every problem, errors first, then how many errors there are."""
        count = len(self.errors)
        ending = f"{count} problem{'s' if count != 1 else ''} found; nothing was written."
        return [*map(str, self.problems), ending]
