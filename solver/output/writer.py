"""Writing a plan folder atomically: it appears whole, or the old one stays as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from .folder import staged_folder

if TYPE_CHECKING:
    from ..result import Plan


def write_plan(plan: Plan, out_dir: Path, lang: str = "en") -> Path:
    """Write ``assignments.csv``, ``summary.json``, ``sessions.csv``, ``members.csv`` and
    ``unmet.csv`` (its reasons in ``lang``).

    Everything goes to a temporary folder beside ``out_dir`` first and is moved into
    place with a rename, so a reader never sees half a plan. ``out_dir`` must be new,
    empty or rotaplan's own (see ``solver.output.folder``); a previous plan there is replaced
    together with the timetables written beside it.
    """
    with staged_folder(out_dir, "plan") as staging:
        write_plan_files(plan, staging, lang)
    return Path(out_dir).resolve()


def write_plan_files(plan: Plan, folder: Path, lang: str = "en") -> None:
    """The plan's five files, written into ``folder`` (a staging folder of the caller's).

    ``unmet.csv`` has a header even when every window is met, so a planner's sheet that
    reads it never breaks on an empty file.
    """
    from .tables import unmet_table

    plan.assignments_frame().to_csv(folder / "assignments.csv", index=False, encoding="utf-8")
    plan.sessions_frame().to_csv(folder / "sessions.csv", index=False, encoding="utf-8")
    plan.members_frame().to_csv(folder / "members.csv", index=False, encoding="utf-8")
    unmet_table(plan, lang).to_csv(folder / "unmet.csv", index=False, encoding="utf-8")
    with open(folder / "summary.json", "w", encoding="utf-8") as handle:
        json.dump(plan.summary(), handle, ensure_ascii=False, indent=2)
        handle.write("\n")
