"""Helpers shared by the test suite: tiny scenarios, and solves the checker verifies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from checker import check_plan
from models import Scenario
from solver import Plan, SolveOptions, solve


def _row(item: str | dict[str, Any], **defaults: Any) -> dict[str, Any]:
    """A table row from a bare id or a mapping, with defaults for what it leaves out."""
    row: dict[str, Any] = {"id": item} if isinstance(item, str) else dict(item)
    return {**defaults, **row}


def build_scenario_dict(
    members: list[str | dict[str, Any]],
    courses: list[str | dict[str, Any]],
    sessions: list[dict[str, Any]],
    **sections: Any,
) -> dict[str, Any]:
    """A scenario mapping for a tiny test: only what the test is about has to be written.

    Members given as bare ids (or without tier/unit) are grassroots members of unit U1;
    courses get 8 hours and sessions 10 seats unless the test says otherwise. The horizon
    is the year 2026 unless ``horizon`` is given; every other keyword is a scenario section.
    """
    raw: dict[str, Any] = {
        "version": 1,
        "horizon": {"start": "2026-01-01", "end": "2026-12-31"},
        "members": [_row(m, tier="grassroots", unit="U1") for m in members],
        "courses": [_row(c, hours=8) for c in courses],
        "sessions": [_row(s, capacity=10) for s in sessions],
    }
    raw.update(sections)
    return raw


def solve_and_check(
    scenario: Scenario, *, time_limit: float = 10, workers: int = 1, seed: int = 0
) -> Plan:
    """Solve, then hold the plan to the independent checker: no violation, same terms.

    Also holds the lexicographic promise: no term ends worse than the value its own stage
    reached, since later stages may not trade it away.
    """
    plan = solve(scenario, SolveOptions(time_limit=time_limit, workers=workers, seed=seed))
    if plan.has_plan:
        assert_plan_checks(scenario, plan)
    return plan


def assert_plan_checks(scenario: Scenario, plan: Plan) -> None:
    """The checker finds no violation, the same terms and no surplus; no stage's value
    was traded."""
    report = check_plan(scenario, plan.pairs)
    assert [str(v) for v in report.violations] == []
    assert report.objective == plan.objective
    # No over-training: no attendance the plan would be as good without.
    assert (report.surplus, plan.surplus) == (0, 0), report.audit.by_course
    traded = [
        (stage.term, stage.value, plan.objective[stage.term])
        for stage in plan.stages
        if stage.value is not None and plan.objective[stage.term] > stage.value
    ]
    assert traded == [], "(term, stage value, final value): a later stage made it worse"


@pytest.fixture
def scenario_dict() -> Callable[..., dict[str, Any]]:
    """``build_scenario_dict``: a tiny scenario as the mapping ``load_scenario`` reads."""
    return build_scenario_dict


@pytest.fixture
def solve_checked() -> Callable[..., Plan]:
    """``solve_and_check``: every plan a test solves passes the checker with equal terms."""
    return solve_and_check


@pytest.fixture
def plan_checks() -> Callable[[Scenario, Plan], None]:
    """``assert_plan_checks``: for plans solved outside ``solve_checked``."""
    return assert_plan_checks
