"""Writing the re-planned folder: the plan with its changes, history and derived scenario."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd

from models import Scenario

from ..engine import Plan
from ..output.folder import staged_folder
from ..output.writer import write_plan_files
from .derive import scenario_document
from .report import ChangeReport


def write_replan(plan: Plan, report: ChangeReport, out_dir: str | Path, lang: str = "en") -> Path:
    """Write the re-planned folder whole: the plan, ``changes.csv``, ``history.csv``,
    the derived ``scenario.json`` with its ``previous.csv``, and ``summary.json`` with a
    ``changes`` section.

    ``rotaplan check OUT/scenario.json OUT`` then checks the plan exactly as it was solved.
    ``lang`` is the language of ``unmet.csv``'s reasons.
    """
    target = Path(out_dir).resolve()
    with staged_folder(target, "plan") as staging:
        write_plan_files(plan, staging, lang)
        report.frame().to_csv(staging / "changes.csv", index=False, encoding="utf-8")
        report.history_frame().to_csv(staging / "history.csv", index=False, encoding="utf-8")
        previous = pd.DataFrame(plan.scenario.previous or [], columns=["member_id", "session_id"])
        previous.to_csv(staging / "previous.csv", index=False, encoding="utf-8")
        _write_json(staging / "scenario.json", _solved_document(plan.scenario))
        summary = json.loads((staging / "summary.json").read_text(encoding="utf-8"))
        summary["changes"] = report.summary()
        source = getattr(plan.scenario, "source", None)
        if source is not None:
            summary.setdefault("scenario_path", str(Path(source).resolve()))
        _write_json(staging / "summary.json", summary)
    return target


def _solved_document(scenario: Scenario) -> dict[str, Any]:
    """The derived scenario as a self-contained file, its ``previous`` beside it."""
    document = scenario_document(scenario)
    document["previous"] = "previous.csv"
    return document


def _write_json(path: Path, content: dict[str, Any]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(content, handle, ensure_ascii=False, indent=2, default=_json_value)
        handle.write("\n")


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
