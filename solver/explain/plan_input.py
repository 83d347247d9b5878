"""What ``rotaplan explain`` is given: a plan read from disk, and the error for a question it
cannot answer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from checker import read_assignments
from models.errors import RotaplanError


class ExplainError(RotaplanError):
    """A question explain cannot answer, such as an unknown member or requirement.

    It means invalid input (exit code 2): the question names what the plan lacks.
    """


@dataclass
class PlanInput:
    """A plan read from disk: its assignments and, when it has a summary, its status."""

    pairs: list[tuple[str, str]]
    status: str | None = None
    label: str = "plan"

    @property
    def proven(self) -> bool | None:
        return None if self.status is None else self.status == "OPTIMAL"


def read_plan(path: str | Path) -> PlanInput:
    """Read a plan folder (or an assignments CSV); the status comes from ``summary.json``."""
    path = Path(path)
    pairs = read_assignments(path)
    summary = path / "summary.json"
    status = None
    if path.is_dir() and summary.is_file():
        status = json.loads(summary.read_text(encoding="utf-8")).get("status")
    return PlanInput(pairs, status, str(path))
