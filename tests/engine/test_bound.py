"""The block bound: never above what a plan can reach, and tight where seats or a member's
own limits are what leaves windows short."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from models import load_scenario
from solver import EngineSettings, SolveOptions, solve
from solver.engine import (
    NeighbourhoodSearch,
    RotaModel,
    Scope,
    block_bound,
    build_instance,
    construct,
)

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial" / "scenario.yaml"


def _bound_from_constructed_plan(scenario) -> tuple[int, int]:
    """The block bound proven from the constructive plan, and that plan's unmet."""
    instance = build_instance(scenario)
    taken = np.zeros(instance.num_pairs, dtype=bool)
    taken[construct(instance)] = True
    short = NeighbourhoodSearch(instance, taken).weighted_shortfalls()
    proof = block_bound(instance, short, time.monotonic() + 30)
    assert proof.complete
    return proof.value, int(short.sum())


@pytest.mark.slow
def test_too_few_seats_are_proven_short(scenario_dict, solve_checked):
    # Twelve members, eight seats in the year: four windows of weight 2 stay short.
    raw = scenario_dict(
        members=[f"M{i:02d}" for i in range(12)],
        courses=["thematic"],
        sessions=[
            {"id": "TH-1", "course": "thematic", "start": "2026-03-02", "capacity": 4},
            {"id": "TH-2", "course": "thematic", "start": "2026-09-07", "capacity": 4},
        ],
        requirements=[{"id": "yearly", "courses": ["thematic"], "window": "year", "weight": 2}],
    )
    scenario = load_scenario(raw)
    bound, _ = _bound_from_constructed_plan(scenario)
    plan = solve_checked(scenario)
    assert plan.objective["unmet"] == 8
    assert bound == 8


def test_a_members_own_limits_are_proven(scenario_dict, solve_checked):
    # 32 hours needed; the three 16-hour classes overlap pairwise, so one is all she gets.
    raw = scenario_dict(
        members=["M01"],
        courses=[{"id": "class", "hours": 16, "repeatable": True}],
        sessions=[
            {"id": "C-1", "course": "class", "start": "2026-03-02", "end": "2026-03-03"},
            {"id": "C-2", "course": "class", "start": "2026-03-03", "end": "2026-03-04"},
            {"id": "C-3", "course": "class", "start": "2026-03-02", "end": "2026-03-04"},
        ],
        requirements=[{"id": "hours", "min_hours": 32, "window": "year"}],
    )
    scenario = load_scenario(raw)
    bound, _ = _bound_from_constructed_plan(scenario)
    plan = solve_checked(scenario)
    assert plan.objective["unmet"] == 16
    assert bound == 16


@pytest.mark.slow
def test_bound_never_exceeds_the_proven_optimum(solve_checked):
    scenario = load_scenario(TUTORIAL)
    plan = solve_checked(scenario)
    assert plan.status.value == "OPTIMAL"
    bound, constructed = _bound_from_constructed_plan(scenario)
    assert 0 < bound <= plan.objective["unmet"] <= constructed


def test_relaxed_scope_decides_only_the_given_pairs():
    scenario = load_scenario(TUTORIAL)
    instance = build_instance(scenario)
    members = np.arange(5)
    pairs = np.concatenate([instance.pairs_of_member[m][:2] for m in members])
    rota = RotaModel(instance, Scope(members, relaxed=True, pairs=pairs))
    assert sorted(rota.vars.attend) == sorted(pairs.tolist())


@pytest.mark.slow
# The blocks are proven in the bound's child process, or (above ``relaxation_pairs``, or
# where no child starts) in a thread of the search's own.
@pytest.mark.parametrize("relaxation_pairs", [600_000, 0], ids=["child", "thread"])
def test_large_path_reports_a_bound_the_plan_respects(tmp_path, plan_checks, relaxation_pairs):
    from models.generate import generate_scenario

    scenario = load_scenario(generate_scenario(tmp_path, members=300, years=2, seed=3))
    settings = EngineSettings(search_above_pairs=1_000, relaxation_pairs=relaxation_pairs)
    options = SolveOptions(time_limit=20, workers=2, seed=0, settings=settings)
    plan = solve(scenario, options)
    plan_checks(scenario, plan)
    unmet = plan.stages[0]
    assert unmet.term == "unmet"
    assert unmet.bound is not None
    assert 0 < unmet.bound <= plan.objective["unmet"]


def _rotation_for_joiners(scenario_dict):
    """Five members need a rotation in 2026-2027, two of them join in 2027; the two
    rotations seat two each (one in each year)."""
    members = ["M1", "M2", "M3"] + [
        {"id": f"J{i}", "tier": "grassroots", "unit": "U1", "available_from": "2027-01-01"}
        for i in (1, 2)
    ]
    raw = scenario_dict(
        members=members,
        courses=["rotation"],
        sessions=[
            {"id": "R-26", "course": "rotation", "start": "2026-06-01", "capacity": 2},
            {"id": "R-27", "course": "rotation", "start": "2027-06-01", "capacity": 2},
        ],
        requirements=[{"id": "rotate", "courses": ["rotation"], "weight": 10}],
        horizon={"start": "2026-01-01", "end": "2027-12-31"},
    )
    return build_instance(load_scenario(raw))


@pytest.mark.parametrize("proof", ["cp-sat", "flow"])
def test_windows_of_one_requirement_share_their_seats_whatever_their_years(scenario_dict, proof):
    # The joiners' windows are shorter, but their rotation seats are the others' too:
    # four seats for five members leave one short (10), in a CP-SAT block as in the
    # maximum flow that stands in for one above the block size.
    instance = _rotation_for_joiners(scenario_dict)
    short = np.array([w.weight * w.need for w in instance.windows])
    for settings in (
        [EngineSettings(seats_block_pairs=0), EngineSettings(flow_block_pairs=0)]
        if proof == "flow"
        else [EngineSettings()]
    ):
        assert block_bound(instance, short, time.monotonic() + 30, settings=settings).value == 10
