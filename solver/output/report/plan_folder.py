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

import pandas as pd

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
    assignments = _read_assignments(path / "assignments.csv")
    return PlanFolder(path, summary, assignments, changes=_read_changes(path / "changes.csv"))


def _read_assignments(file: Path) -> list[tuple[str, str]]:
    """The ``member_id,session_id`` pairs; pandas reads a province's 800,000 rows in a blink."""
    if not file.is_file():
        raise ScenarioError([Problem(str(file), "no such file")])
    try:
        frame = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as error:
        raise ScenarioError([Problem(str(file), f"not a CSV table ({error})")]) from None
    missing = [c for c in ("member_id", "session_id") if c not in frame.columns]
    if missing:
        raise ScenarioError([Problem(str(file), f"missing column(s) {', '.join(missing)}")])
    members, sessions = frame["member_id"].str.strip(), frame["session_id"].str.strip()
    empty = frame.index[(members == "") | (sessions == "")]
    if len(empty):
        # Rows as a spreadsheet numbers them: the header is row 1.
        rows = [Problem(f"{file} row {i + 2}", "empty member_id or session_id") for i in empty]
        raise ScenarioError(rows)
    return list(zip(members, sessions, strict=True))


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
