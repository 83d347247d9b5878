"""The objective is lexicographic: an earlier term is never traded for a later one.

Each scenario has a later term that would rather see an earlier one worse; the solve must
keep the earlier term at its best, and a different ``objective`` order must change the
answer accordingly. Stage values are asserted one by one.

The engine runs one stage per term in the objective's order, but skips a term with
nothing to optimise: ``changes`` when the scenario has no ``previous`` plan (it is 0 for
every plan). Terms that are not listed in ``objective`` are not optimised at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from models import load_scenario
from models.scenario import TERMS
from solver import EngineSettings, SolveOptions, Status, solve
from solver.engine import whole_stages
from solver.output import plan_summary

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial" / "scenario.yaml"

NOTHING = dict.fromkeys(TERMS, 0)


def stage_values(plan) -> list[tuple[str, int | None]]:
    return [(stage.term, stage.value) for stage in plan.stages]


def run_or_not_scenario(scenario_dict, objective=None):
    """A needs c; its only session costs 1000 to run."""
    raw = scenario_dict(
        members=["A"],
        courses=["c"],
        sessions=[{"id": "S1", "course": "c", "start": "2026-06-01", "fixed_cost": 1000}],
        requirements=[{"id": "need_c", "courses": ["c"]}],
    )
    if objective is not None:
        raw["objective"] = objective
    return load_scenario(raw)


def test_unmet_before_cost_runs_the_costly_session(scenario_dict, solve_checked):
    # Cost alone would cancel S1 (0 instead of 1000) and leave A unmet; unmet comes first.
    # unmet 0, attendances 1, cost 1000.
    plan = solve_checked(run_or_not_scenario(scenario_dict))
    assert plan.status == Status.OPTIMAL
    assert plan.objective == {**NOTHING, "attendances": 1, "cost": 1000}
    assert stage_values(plan) == [
        ("unmet", 0),
        ("imbalance", 0),
        ("attendances", 1),
        ("cost", 1000),
        ("avoid", 0),
    ]


def test_cost_first_when_the_objective_says_so(scenario_dict, solve_checked):
    # objective [cost, unmet]: cost 0 (S1 cancelled) is kept, then unmet is 1.
    plan = solve_checked(run_or_not_scenario(scenario_dict, ["cost", "unmet"]))
    assert plan.status == Status.OPTIMAL
    assert plan.objective == {**NOTHING, "unmet": 1}
    assert plan.pairs == []
    assert stage_values(plan) == [("cost", 0), ("unmet", 1)]
    assert [s["term"] for s in plan_summary(plan)["stages"]] == ["cost", "unmet"]


def crowd_scenario(scenario_dict, objective=None):
    """Only A needs c; its only session runs with 3 or not at all."""
    raw = scenario_dict(
        members=["A", "B", "C"],
        courses=["c"],
        sessions=[{"id": "S1", "course": "c", "start": "2026-06-01", "min_size": 3}],
        requirements=[{"id": "need_c", "courses": ["c"], "who": {"members": ["A"]}}],
    )
    if objective is not None:
        raw["objective"] = objective
    return load_scenario(raw)


@pytest.mark.parametrize(
    ("objective", "stages", "unmet", "attendances"),
    [
        # Default order: serving A (unmet 0) takes B and C along: attendances 3.
        (
            None,
            [("unmet", 0), ("imbalance", 0), ("attendances", 3), ("cost", 0), ("avoid", 0)],
            0,
            3,
        ),
        # Attendances first: nobody goes (0), so A is unmet (1).
        (["attendances", "unmet"], [("attendances", 0), ("unmet", 1)], 1, 0),
    ],
    ids=["default-order", "attendances-first"],
)
def test_attendances_against_unmet(
    scenario_dict, solve_checked, objective, stages, unmet, attendances
):
    plan = solve_checked(crowd_scenario(scenario_dict, objective))
    assert plan.status == Status.OPTIMAL
    assert plan.objective == {**NOTHING, "unmet": unmet, "attendances": attendances}
    assert stage_values(plan) == stages


def balance_scenario(scenario_dict, objective=None):
    """Three members need rotation once in 2026-2027; the 2027 session costs 100 a seat."""
    raw = scenario_dict(
        members=["A", "B", "C"],
        courses=["rotation"],
        sessions=[
            {"id": "R26", "course": "rotation", "start": "2026-06-01"},
            {"id": "R27", "course": "rotation", "start": "2027-06-01", "seat_cost": 100},
        ],
        requirements=[{"id": "rotate", "courses": ["rotation"], "balance": True}],
        horizon={"start": "2026-01-01", "end": "2027-12-31"},
    )
    if objective is not None:
        raw["objective"] = objective
    return load_scenario(raw)


@pytest.mark.parametrize(
    ("objective", "imbalance", "cost"),
    [
        # Imbalance before cost: two in 2026, one in 2027: |4-3| + |2-3| = 2, cost 100.
        (["unmet", "imbalance", "cost"], 2, 100),
        # Cost before imbalance: all three in the free 2026: |6-3| + |0-3| = 6, cost 0.
        (["unmet", "cost", "imbalance"], 6, 0),
    ],
    ids=["imbalance-before-cost", "cost-before-imbalance"],
)
def test_imbalance_against_cost(scenario_dict, solve_checked, objective, imbalance, cost):
    plan = solve_checked(balance_scenario(scenario_dict, objective))
    assert plan.status == Status.OPTIMAL
    assert plan.objective == {**NOTHING, "imbalance": imbalance, "attendances": 3, "cost": cost}
    values = {"unmet": 0, "imbalance": imbalance, "cost": cost}
    assert stage_values(plan) == [(term, values[term]) for term in objective]


def test_stages_follow_the_objective_order(scenario_dict, solve_checked):
    # Every term but changes has something to optimise here: a balance requirement,
    # seat costs and an avoid day. Without `previous`, changes is skipped.
    objective = ["avoid", "cost", "unmet", "attendances", "imbalance", "changes"]
    raw = scenario_dict(
        members=[{"id": "A", "avoid": ["2026-06-01"]}, "B"],
        courses=["rotation"],
        sessions=[
            {"id": "R26", "course": "rotation", "start": "2026-06-01"},
            {"id": "R27", "course": "rotation", "start": "2027-06-01", "seat_cost": 50},
        ],
        requirements=[{"id": "rotate", "courses": ["rotation"], "balance": True}],
        horizon={"start": "2026-01-01", "end": "2027-12-31"},
        objective=objective,
    )
    # avoid 0 keeps A out of R26; cost 0 then keeps everyone out of R27, so A stays
    # unmet and B takes R26: unmet 1, attendances 1, imbalance |2-1| + |0-1| = 2.
    plan = solve_checked(load_scenario(raw))
    assert plan.status == Status.OPTIMAL
    assert plan.objective == {**NOTHING, "unmet": 1, "imbalance": 2, "attendances": 1}
    assert set(plan.pairs) == {("B", "R26")}
    expected = [t for t in objective if t != "changes"]
    assert [s["term"] for s in plan_summary(plan)["stages"]] == expected
    assert stage_values(plan) == [(t, plan.objective[t]) for t in expected]
    assert all(stage.status == Status.OPTIMAL for stage in plan.stages)


def test_stage_values_count_previous_assignments_no_plan_can_keep(
    scenario_dict, solve_checked, tmp_path
):
    # With `previous`, changes gets its stage. The previous plan had A in S1 and in GONE,
    # a session since removed: that one is a change in every plan and counts in the
    # stage's value as in the term. Keeping A in S1 and adding B gives changes 2.
    (tmp_path / "assignments.csv").write_text(
        "member_id,session_id\nA,S1\nA,GONE\n", encoding="utf-8"
    )
    raw = scenario_dict(
        members=["A", "B"],
        courses=["c"],
        sessions=[
            {"id": "S1", "course": "c", "start": "2026-06-01", "seat_cost": 100},
            {"id": "S2", "course": "c", "start": "2026-07-01"},
        ],
        requirements=[{"id": "need_c", "courses": ["c"]}],
        previous="assignments.csv",
    )
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    # unmet 0; changes 2 (B added anywhere, A-GONE lost), with A kept in the dearer S1;
    # attendances 2; cost 100 (B in the free S2).
    plan = solve_checked(load_scenario(path))
    assert plan.status == Status.OPTIMAL
    assert plan.objective == {**NOTHING, "changes": 2, "attendances": 2, "cost": 100}
    assert set(plan.pairs) == {("A", "S1"), ("B", "S2")}
    assert stage_values(plan) == [(term, plan.objective[term]) for term in TERMS]


@pytest.mark.parametrize("revisits", [0, 6])
def test_time_the_last_stage_leaves_goes_back_to_stages_left_unproven(plan_checks, revisits):
    # Every later stage but the last gets a ten-thousandth of the time left, too little to
    # prove anything; the last proves at once. Revisited with the time left, each is
    # proven, and none ends above where it got before.
    scenario = load_scenario(TUTORIAL)
    settings = EngineSettings(later_term_share=1e-4, later_stage_seconds=0.0, revisits=revisits)
    plan = solve(scenario, SolveOptions(time_limit=10, workers=1, seed=0, settings=settings))
    plan_checks(scenario, plan)
    proven = [stage.status == Status.OPTIMAL for stage in plan.stages]
    if revisits:
        assert all(proven)
    else:
        assert not all(proven)  # what the revisits make up for


def test_a_revisit_that_neither_gains_nor_proves_passes_on_to_the_next_stage(
    plan_checks, monkeypatch
):
    # The third stage from the end gets no time on any run (so it stays unproven); the
    # stages after it get a ten-thousandth of the time left at first. Revisited, the
    # starved stage gains nothing: the time left goes on to the next stage left unproven,
    # which then proves its term (once the revisits stopped at the starved stage).
    scenario = load_scenario(TUTORIAL)
    starved, after = scenario.objective[-3], scenario.objective[-2]
    stage = whole_stages._stage

    def starving(rota, term, budget, options, flag):
        return stage(rota, term, 0.0 if term == starved else budget, options, flag)

    monkeypatch.setattr(whole_stages, "_stage", starving)
    settings = EngineSettings(later_term_share=1e-4, later_stage_seconds=0.0, kept_pairs_share=0.0)
    plan = solve(scenario, SolveOptions(time_limit=10, workers=1, seed=0, settings=settings))
    plan_checks(scenario, plan)
    status = {stage.term: stage.status for stage in plan.stages}
    assert status[starved] != Status.OPTIMAL
    assert status[after] == Status.OPTIMAL, status
