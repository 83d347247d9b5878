"""Writing a plan folder atomically: it appears whole, or the old one stays as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .folder import staged_folder

if TYPE_CHECKING:
    from models import Scenario

    from ..engine import Plan


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
    from .tables import assignments_table, members_table, sessions_table, unmet_table

    scenario, pairs = plan.scenario, plan.pairs
    assignments_table(scenario, pairs).to_csv(
        folder / "assignments.csv", index=False, encoding="utf-8"
    )
    sessions_table(scenario, pairs).to_csv(folder / "sessions.csv", index=False, encoding="utf-8")
    members_table(scenario, pairs).to_csv(folder / "members.csv", index=False, encoding="utf-8")
    unmet_table(plan, lang).to_csv(folder / "unmet.csv", index=False, encoding="utf-8")
    with open(folder / "summary.json", "w", encoding="utf-8") as handle:
        json.dump(plan_summary(plan), handle, ensure_ascii=False, indent=2)
        handle.write("\n")


def plan_summary(plan: Plan) -> dict[str, Any]:
    """The content of a plan's ``summary.json``."""
    return {
        "status": plan.status.value,
        "objective": dict(plan.objective),
        "term_bounds": dict(plan.term_bounds),
        "surplus": plan.surplus,
        "bound": plan.bound,
        "gap": plan.gap,
        "seconds": round(plan.seconds, 3),
        "build_seconds": round(plan.build_seconds, 3),
        "interrupted": plan.interrupted,
        "stages": [
            {
                "term": s.term,
                "status": s.status.value,
                "value": s.value,
                "bound": s.bound,
                "gap": s.gap,
                "seconds": round(s.seconds, 3),
            }
            for s in plan.stages
        ],
        "unmet": [u.as_dict() for u in plan.unmet],
        "conflicts": list(plan.conflicts),
        "scenario": plan.scenario.name,
        "scenario_path": _source_of(plan.scenario),
        "settings": dict(plan.settings),
    }


def _source_of(scenario: Scenario) -> str | None:
    """The scenario file's absolute path, so later commands can find it from the plan."""
    source = getattr(scenario, "source", None)
    return str(Path(source).resolve()) if source is not None else None
