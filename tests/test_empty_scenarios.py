"""A scenario that loads always gets an answer: nothing to plan is a plan, not a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import cli
from models import load_scenario
from solver import Plan

SESSION = {"id": "S1", "course": "c", "start": "2026-03-02"}
NEEDS_C = [{"id": "r", "courses": ["c"]}]

CASES: dict[str, tuple[list[Any], list[Any], list[Any], dict[str, Any], int]] = {
    # name: members, courses, sessions, other sections, the unmet the plan must have
    "no sessions": (["a", "b"], ["c"], [], {"requirements": NEEDS_C}, 2),
    "no members": ([], ["c"], [SESSION], {"requirements": NEEDS_C}, 0),
    "no courses": (["a"], [], [], {"requirements": [{"id": "h", "min_hours": 8}]}, 8),
    "nothing at all": ([], [], [], {}, 0),
    "a window before the horizon": (
        ["a"],
        ["c"],
        [SESSION],
        {"requirements": [{**NEEDS_C[0], "window": {"from": "2025-01-01", "to": "2025-06-30"}}]},
        0,
    ),
    "a member present on no day of the horizon": (
        [{"id": "a", "available_from": "2027-01-01"}],
        ["c"],
        [SESSION],
        {"requirements": [{**NEEDS_C[0], "window": "year"}]},
        0,
    ),
    "nobody may attend": (
        ["a"],
        [{"id": "c", "audience": {"tiers": ["leadership"]}}],
        [SESSION],
        {"requirements": [{**NEEDS_C[0], "balance": True}]},
        1,
    ),
    "no objective and no sessions": (["a"], ["c"], [], {"objective": []}, 0),
    "caps of zero and no sessions": (
        ["a"],
        ["c"],
        [],
        {
            "requirements": [{"id": "h", "min_hours": 10, "window": "year"}],
            "limits": [{"max_days_per_year": 0}],
            "team_limits": [{"max_away": 0}],
        },
        10,
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_an_empty_scenario_solves(
    case: str,
    scenario_dict: Callable[..., dict[str, Any]],
    solve_checked: Callable[..., Plan],
) -> None:
    members, courses, sessions, sections, unmet = CASES[case]
    scenario = load_scenario(scenario_dict(members, courses, sessions, **sections))
    plan = solve_checked(scenario, time_limit=5)
    assert plan.status == "OPTIMAL"
    assert plan.objective["unmet"] == unmet
    assert len(plan.unmet) == (unmet > 0) * len(scenario.members)


def test_strict_with_nothing_to_meet_it_with_is_infeasible_not_a_crash(
    scenario_dict: Callable[..., dict[str, Any]], solve_checked: Callable[..., Plan]
) -> None:
    raw = scenario_dict(["a"], ["c"], [], requirements=NEEDS_C, strict=True)
    plan = solve_checked(load_scenario(raw), time_limit=5)
    assert plan.status == "INFEASIBLE"
    assert plan.conflicts


def test_solve_without_sessions_writes_a_plan(
    tmp_path: Path, scenario_dict: Callable[..., dict[str, Any]]
) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(scenario_dict(["a"], ["c"], [], requirements=NEEDS_C)))
    out = tmp_path / "plan"
    result = CliRunner().invoke(
        cli.main, ["solve", str(scenario), "--out", str(out), "--quiet", "--time-limit", "5"]
    )
    assert result.exit_code == 0, result.output
    assert (
        (out / "assignments.csv")
        .read_text(encoding="utf-8")
        .splitlines()[0]
        .startswith("member_id,session_id")
    )
    check = CliRunner().invoke(cli.main, ["check", str(scenario), str(out)])
    assert check.exit_code == 0
    assert "unmet 1" in check.output
