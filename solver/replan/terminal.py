"""A re-plan as the command line runs it: the first day from its text, the previous plan
and what happened in it read, and the lines that tell what changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from checker import read_assignments
from models import RotaplanError
from models.dates import parse_date

from .inputs import Completion, SessionInfo, read_completed, read_previous_sessions
from .report import ChangeReport
from .solve import replan

if TYPE_CHECKING:
    from models import Scenario

    from ..engine import Plan, SolveOptions


@dataclass(frozen=True)
class PreviousPlan:
    """The published plan a re-plan starts from, and what the planner says happened."""

    assignments: list[tuple[str, str]]
    sessions: dict[str, SessionInfo]  # course and start of each session it used
    completed: list[Completion] | None  # the completed-sessions file's rows, if given


def first_day(text: str) -> dt.date:
    """The first day the plan may change, from the text of ``--from``.

    Raises
    ------
    RotaplanError
        When the text is no date (bad input), naming the option.
    """
    try:
        return parse_date(text)
    except ValueError as error:
        raise RotaplanError(f"--from: {error}") from None


def read_previous_plan(plan_dir: str | Path, completed: str | Path | None = None) -> PreviousPlan:
    """Read the published plan folder (or its ``assignments.csv``) and the completed file.

    Raises
    ------
    ScenarioError
        Naming each bad row of either file.
    """
    assignments = read_assignments(plan_dir)
    sessions = read_previous_sessions(plan_dir)
    return PreviousPlan(assignments, sessions, read_completed(completed) if completed else None)


def replan_previous(
    scenario: Scenario, previous: PreviousPlan, from_date: dt.date, options: SolveOptions
) -> tuple[Plan, ChangeReport]:
    """``replan`` from a previous plan as ``read_previous_plan`` read it."""
    return replan(
        scenario,
        previous.assignments,
        from_date,
        previous.completed,
        options,
        previous_sessions=previous.sessions,
    )


def change_lines(report: ChangeReport) -> list[str]:
    """What the re-plan changed from its first day, what it kept of the past, and its notes."""
    counts = ", ".join(f"{kind} {n}" for kind, n in report.counts().items())
    summary = (
        f"changes from {report.from_date}: {counts}; {len(report.history)} past "
        f"attendance(s) kept as history, {report.missed} missed"
    )
    return [summary, *(f"note: {note}" for note in report.notes)]
