"""Reading what a plan folder holds, and finding the scenario it was solved from.

The report reads the plan the way a planner may have left it: ``assignments.csv`` (its two
id columns only, so hand edits of the other columns do no harm), ``summary.json`` and, in a
re-planned folder, ``changes.csv`` and the ``scenario.json`` solved there.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker import read_assignments
from models import Problem, ScenarioError

CHANGE_COLUMNS = ("member_id", "session_id", "change", "from_session", "to_session", "start")


@dataclass
class PlanFolder:
    """The files of one plan folder, read."""

    path: Path
    summary: dict[str, Any]
    assignments: list[tuple[str, str]]
    changes: list[dict[str, str]] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def scenario_file(self) -> Path | None:
        """The scenario the plan was solved from.

        A re-planned folder holds the scenario exactly as it was solved (``scenario.json``);
        any other folder records the scenario's path in ``summary.json``.
        """
        solved = self.path / "scenario.json"
        if solved.is_file():
            return solved
        recorded = self.summary.get("scenario_path")
        return Path(recorded) if recorded else None


def read_plan_folder(plan_dir: str | Path) -> PlanFolder:
    """Read a plan folder that ``solve``, ``replan`` or ``batch`` wrote.

    Raises
    ------
    ScenarioError
        When ``summary.json`` or ``assignments.csv`` is missing or unreadable, one problem
        per file.
    """
    path = Path(plan_dir)
    summary = _read_summary(path / "summary.json")
    assignments = read_assignments(path)
    return PlanFolder(path, summary, assignments, changes=_read_changes(path / "changes.csv"))


def _read_summary(file: Path) -> dict[str, Any]:
    if not file.is_file():
        raise ScenarioError([Problem(str(file), "no such file: is this a plan folder?")])
    try:
        summary = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ScenarioError([Problem(str(file), f"not a JSON summary ({error})")]) from None
    if not isinstance(summary, dict):
        raise ScenarioError([Problem(str(file), "not a JSON object")])
    return summary


def _read_changes(file: Path) -> list[dict[str, str]] | None:
    """The rows of a re-planned folder's ``changes.csv``, or None when it has none."""
    if not file.is_file():
        return None
    with open(file, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in CHANGE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ScenarioError([Problem(str(file), f"missing column(s) {', '.join(missing)}")])
        return [{c: row[c] or "" for c in CHANGE_COLUMNS} for row in reader]
