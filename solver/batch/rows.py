"""A unit's row of the batch summary: its status, terms, bound, time and error."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.scenario import TERMS

from ..output.folder import atomic_file, prepare_folder

if TYPE_CHECKING:
    from .task import UnitTask

Row = dict[str, Any]

PLANNED = ("OPTIMAL", "FEASIBLE")
INVALID = "INVALID"  # the scenario is not valid input
CANCELLED = "CANCELLED"  # the batch was stopped before this unit finished
CRASHED = "CRASHED"  # the task raised, or its process died
CRASH_REPORT = "batch-error.txt"  # the traceback of a unit's last crash, for whoever debugs it
SUMMARY_COLUMNS = (
    "unit",
    "scenario",
    "members",
    "status",
    *TERMS,
    "bound",
    "gap",
    "seconds",
    "skipped",
    "error",
)


def unit_row(
    task: UnitTask,
    status: str,
    *,
    members: int | None = None,
    objective: dict[str, int] | None = None,
    bound: int | None = None,
    gap: float | None = None,
    error: str = "",
) -> Row:
    """A summary row; terms a unit has no value for stay empty."""
    row: Row = {"unit": task.unit, "scenario": task.scenario, "members": members, "status": status}
    row.update({term: (objective or {}).get(term) for term in TERMS})
    row.update({"bound": bound, "gap": gap, "seconds": None, "skipped": False, "error": error})
    return row


def failed_row(task: UnitTask, status: str, error: BaseException | str) -> Row:
    """The row of a unit whose task did not return: it crashed, or the batch stopped."""
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return unit_row(task, status, error=text.strip().splitlines()[0] if text.strip() else status)


def crashed_row(task: UnitTask, error: BaseException | str, details: str = "") -> Row:
    """A CRASHED row; the traceback, when there is one, goes to the unit's crash report."""
    row = failed_row(task, CRASHED, error)
    if details.strip():
        unit_dir = Path(task.unit_dir)
        prepare_folder(unit_dir, "batch-unit")
        with atomic_file(unit_dir / CRASH_REPORT) as temporary:
            temporary.write_text(details.strip() + "\n", encoding="utf-8")
        row["error"] += f" (traceback in {task.unit}/{CRASH_REPORT})"
    return row
