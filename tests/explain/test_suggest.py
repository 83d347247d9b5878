"""What-if suggestions start from the plan they change: never reported worse than it, timed
by the scenario's size, open about a variant not solved to a proof, and silent about a
change that serves nobody.

Every plan a test solves goes through ``solve_checked``, so it passes the checker.
"""

from __future__ import annotations

import pytest

import solver.engine
import solver.explain.suggestions as suggesting
from models import load_scenario
from solver import Plan, SolveOptions, Status
from solver.explain import PlanInput, suggestion_lines
from solver.explain.suggestions import SuggestOptions, suggest, variant_seconds


@pytest.fixture
def full(scenario_dict, solve_checked):
    """One seat in S1 for A and B who both need it: unmet 1; a second seat serves B."""
    scenario = load_scenario(
        scenario_dict(
            members=["A", "B"],
            courses=["c"],
            sessions=[{"id": "S1", "course": "c", "start": "2026-06-01", "capacity": 1}],
            requirements=[{"id": "need_c", "courses": ["c"]}],
        )
    )
    plan = solve_checked(scenario)
    assert plan.objective["unmet"] == 1
    return scenario, plan


def _solving_with(monkeypatch, answer):
    """Replace the engine's solve for the variants; ``answer(variant, options)`` gives the plan."""
    asked: list[SolveOptions] = []

    def fake(variant, options):
        asked.append(options)
        return answer(variant, options)

    monkeypatch.setattr(solver.engine, "make_plan", fake)
    return asked


def test_every_variant_starts_from_the_plan(full, monkeypatch):
    scenario, plan = full
    real = solver.engine.make_plan
    asked = _solving_with(monkeypatch, real)
    [group] = suggest(scenario, plan.pairs, SuggestOptions(time_limit=5, workers=1))
    assert asked and all(sorted(o.start or []) == sorted(plan.pairs) for o in asked)
    # The seat change serves B; its variant is the plan plus B in S1.
    assert group.best is not None and group.best.unmet == 0 and group.best.proven


def test_a_variant_solved_worse_than_the_plan_reports_the_plan(full, monkeypatch):
    scenario, plan = full

    def empty(variant, options):
        # A solve that came back with nobody trained: unmet 2, worse than the plan's 1.
        return Plan(variant, Status.FEASIBLE, [], {"unmet": 2, "attendances": 0}, None, [])

    _solving_with(monkeypatch, empty)
    [group] = suggest(scenario, plan.pairs, SuggestOptions(time_limit=5, workers=1))
    assert group.trials
    for trial in group.trials:
        assert trial.unmet == plan.objective["unmet"]  # never worse than the plan
        assert trial.kept_plan and not trial.served and not trial.proven
    lines = list(
        suggestion_lines(scenario, PlanInput(plan.pairs, "OPTIMAL"), SuggestOptions(2, 5, 1))
    )
    # No change serves anyone: none is shown, and the count says the what-ifs were not proven.
    assert not any(line.startswith("    - ") for line in lines), lines
    assert any(
        "change(s) tried, none serves these windows (not every what-if was solved to a "
        "conclusion in 5 s)" in line
        for line in lines
    ), lines


def test_a_variant_not_proven_says_so(full, monkeypatch):
    scenario, plan = full
    real = solver.engine.make_plan

    def unproven(variant, options):
        found = real(variant, options)
        found.status = Status.FEASIBLE  # as if the time ran out before the proof
        return found

    _solving_with(monkeypatch, unproven)
    lines = list(
        suggestion_lines(scenario, PlanInput(plan.pairs, "OPTIMAL"), SuggestOptions(1, 5, 1))
    )
    served = [line for line in lines if "serves 1 of 1" in line]
    assert served and served[0].endswith(
        "unmet 1 -> 0 (not solved to a conclusion in 5 s: more time may serve more)"
    ), lines


def test_a_change_that_serves_nobody_is_not_shown(scenario_dict, solve_checked):
    # A needs c in June but the only session is in March, and A is on leave all June:
    # a new session in June would still be closed to A, so no change is drawn, and one
    # that serves nobody never reads "serves 0".
    scenario = load_scenario(
        scenario_dict(
            members=["A", {"id": "B", "unavailable": ["2026-06-01/2026-06-30"]}],
            courses=["c"],
            sessions=[{"id": "S1", "course": "c", "start": "2026-03-02", "capacity": 1}],
            requirements=[
                {
                    "id": "june",
                    "courses": ["c"],
                    "window": {"from": "2026-06-01", "to": "2026-06-30"},
                }
            ],
        )
    )
    plan = solve_checked(scenario)
    lines = list(
        suggestion_lines(scenario, PlanInput(plan.pairs, "OPTIMAL"), SuggestOptions(4, 5, 1))
    )
    assert not any("serves 0 of" in line for line in lines), lines


def test_the_variant_time_grows_with_the_scenario(full, monkeypatch):
    scenario, _ = full
    low, high = suggesting.VARIANT_SECONDS
    assert variant_seconds(scenario) == low  # 2 pairs: the least
    monkeypatch.setattr(suggesting, "PAIRS_PER_SECOND", 1)
    assert variant_seconds(scenario) == max(low, 2)
    monkeypatch.setattr(suggesting, "PAIRS_PER_SECOND", 1e-6)
    assert variant_seconds(scenario) == high


def test_without_a_time_the_suggestions_use_the_scaled_one(full):
    scenario, plan = full
    options = SuggestOptions(max_variants=1, workers=1)
    lines = list(suggestion_lines(scenario, PlanInput(plan.pairs, "OPTIMAL"), options))
    assert options.time_limit == variant_seconds(scenario)
    assert "up to 5 s each" in lines[0]
