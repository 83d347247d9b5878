"""The engine on the per-rule cases (``tests/rule_cases``): on each rule's tiny
scenario its plan keeps every rule (the checker finds nothing), and it is no worse, term
by term in the objective's order, than the good plan worked out by hand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rule_cases import CASES, Case

from checker import plan_terms
from models import load_scenario
from solver import Status


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_engine_keeps_the_rule_and_does_no_worse_than_the_good_plan(
    case: Case,
    scenario_dict: Callable[..., dict[str, Any]],
    solve_checked: Callable[..., Any],
) -> None:
    scenario = load_scenario(
        scenario_dict(case.members, case.courses, case.sessions, **case.sections)
    )
    plan = solve_checked(scenario, time_limit=10, workers=1)
    assert plan.status == Status.OPTIMAL
    good = plan_terms(scenario, case.good)
    order = list(scenario.objective)
    assert [plan.objective[t] for t in order] <= [good[t] for t in order]
