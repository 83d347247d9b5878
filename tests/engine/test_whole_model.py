"""The whole-model path: proofs on small units, a plan kept when time runs out, settings."""

from __future__ import annotations

import json

import pytest
import yaml
from ortools.sat.python import cp_model

from models import load_scenario
from solver import EngineSettings, SettingsError, SolveOptions, Status, solve
from solver.engine import (
    RotaModel,
    build_instance,
    complete_hint,
    kept_pairs_model,
    set_parameters,
)


def _classes_that_need_four(scenario_dict) -> dict:
    """Seven members, each needing the course; two classes of four that run only full."""
    return scenario_dict(
        members=[f"M{i}" for i in range(7)],
        courses=["c"],
        sessions=[
            {"id": "S1", "course": "c", "start": "2026-03-02", "capacity": 4, "min_size": 4},
            {"id": "S2", "course": "c", "start": "2026-09-07", "capacity": 4, "min_size": 4},
        ],
        requirements=[{"id": "r", "courses": ["c"], "window": "horizon"}],
    )


def test_min_size_unit_is_proven_optimal_on_one_worker(scenario_dict, solve_checked):
    # One class fills with four; the other would need four of the three left, so it
    # cannot run: unmet 3 is the optimum, and the full relaxation proves it.
    plan = solve_checked(load_scenario(_classes_that_need_four(scenario_dict)), workers=1)
    assert plan.status == Status.OPTIMAL
    assert plan.objective["unmet"] == 3
    assert plan.objective["attendances"] == 4
    assert all(stage.status == Status.OPTIMAL for stage in plan.stages)


def test_attendee_implies_the_session_runs_in_the_whole_model(scenario_dict):
    # The LP of the summed link alone lets a class run at 1/4 and seat a whole member;
    # each attendee's implication closes that, so the relaxation proves unmet 3 as well.
    instance = build_instance(load_scenario(_classes_that_need_four(scenario_dict)))
    rota = RotaModel(instance)
    implications = [c for c in rota.model.proto.constraints if c.has_bool_and()]
    assert len(implications) == instance.num_pairs


def test_a_first_stage_out_of_time_keeps_the_first_plan(scenario_dict, plan_checks):
    # With no time for CP-SAT to find a plan of its own, the constructive plan (which
    # keeps every rule) is the answer, not "no plan".
    scenario = load_scenario(_classes_that_need_four(scenario_dict))
    settings = EngineSettings(first_stage_seconds=0.0, later_stage_seconds=0.0)
    plan = solve(scenario, SolveOptions(time_limit=0.0, workers=1, settings=settings))
    assert plan.status in (Status.FEASIBLE, Status.OPTIMAL)
    plan_checks(scenario, plan)


@pytest.mark.parametrize(
    ("term", "workers", "takes_turns"),
    [("avoid", 1, True), ("cost", 1, False), ("unmet", 1, False), ("avoid", 2, False)],
)
def test_only_the_avoid_stage_at_one_worker_runs_the_portfolio_in_turns(term, workers, takes_turns):
    # The avoid stage's relaxation proves nothing, so one LP-guided search stays where
    # it is hinted; the stages proven by the relaxation keep their one search.
    solver = cp_model.CpSolver()
    set_parameters(solver, 2_000, workers, EngineSettings(), term)
    assert solver.parameters.interleave_search is takes_turns
    subsolvers = list(solver.parameters.subsolvers)
    assert subsolvers == (
        list(EngineSettings().lp_subsolvers) if takes_turns or workers == 2 else []
    )
    assert solver.parameters.linearization_level == 2


def test_avoid_stage_on_one_worker_finds_the_plan_that_avoids(scenario_dict, solve_checked):
    # Two classes serve the one requirement; the first falls on every member's avoid day.
    data = scenario_dict(
        members=[{"id": f"M{i}", "avoid": ["2026-03-02"]} for i in range(6)],
        courses=["c"],
        sessions=[
            {"id": "S1", "course": "c", "start": "2026-03-02", "capacity": 6},
            {"id": "S2", "course": "c", "start": "2026-09-07", "capacity": 6},
        ],
        requirements=[{"id": "r", "courses": ["c"], "window": "horizon"}],
    )
    plan = solve_checked(load_scenario(data), workers=1)
    assert plan.objective["unmet"] == 0
    assert plan.objective["avoid"] == 0


def test_complete_hint_and_kept_pairs(scenario_dict):
    instance = build_instance(load_scenario(_classes_that_need_four(scenario_dict)))
    rota = RotaModel(instance)
    session = instance.pair_session
    member = instance.pair_member
    in_s1 = (session == 0) & (member < 4)
    values, found = complete_hint(rota, in_s1, seed=0, seconds=5)
    assert found is not None and values is not None
    assert len(values) == len(rota.model.proto.variables)
    assert round(found.value(rota.terms["unmet"])) == 3
    # One member alone in S2 breaks its minimum size: no complete plan.
    alone = in_s1 | ((session == 1) & (member == 6))
    assert complete_hint(rota, alone, seed=0, seconds=5) == (None, None)
    kept = kept_pairs_model(rota, values)
    fixed_out = [
        var.index
        for var in rota.vars.attend.values()
        if kept.proto.variables[var.index].domain[1] == 0
    ]
    assert len(fixed_out) == int((~in_s1).sum())


@pytest.mark.parametrize("suffix", [".toml", ".json", ".yaml"])
def test_settings_override_from_a_file(tmp_path, suffix):
    knobs = {"first_term_share": 0.5, "search_above_pairs": 10, "lp_subsolvers": ["max_lp"]}
    path = tmp_path / f"settings{suffix}"
    if suffix == ".toml":
        path.write_text(
            'first_term_share = 0.5\nsearch_above_pairs = 10\nlp_subsolvers = ["max_lp"]\n',
            encoding="utf-8",
        )
    elif suffix == ".json":
        path.write_text(json.dumps(knobs), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(knobs), encoding="utf-8")
    settings = EngineSettings.from_file(path)
    assert settings.first_term_share == 0.5
    assert settings.search_above_pairs == 10
    assert settings.lp_subsolvers == ("max_lp",)
    assert settings.bound_model_pairs == EngineSettings().bound_model_pairs
    options = SolveOptions(settings=settings)
    assert options.settings.search_above_pairs == 10 and options.settings.first_term_share == 0.5


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("search_above: 10\n", "unknown knob 'search_above'"),
        ("search_above_pairs: 2.5\n", "search_above_pairs must be int"),
        ("first_term_share: yes\n", "first_term_share must be float"),
        ("lp_subsolvers: max_lp\n", "lp_subsolvers must be tuple"),
        ("first_term_share: 1.5\n", "first_term_share must lie in (0, 1]"),
        ("later_term_share: -0.1\n", "later_term_share must lie in [0, 1]"),
        ("requirement_share: 1.5\n", "requirement_share must lie in [0, 1]"),
        ("- 1\n", "expected a mapping"),
    ],
)
def test_settings_file_errors_name_the_knob(tmp_path, text, says):
    path = tmp_path / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=None) as raised:
        EngineSettings.from_file(path)
    assert says in str(raised.value)


def test_solve_with_settings_from_a_file_keeps_every_rule(tmp_path, scenario_dict, plan_checks):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"full_relaxation_pairs": 0, "kept_pairs_share": 0.5}), "utf-8")
    scenario = load_scenario(_classes_that_need_four(scenario_dict))
    options = SolveOptions(time_limit=10, workers=2, settings=EngineSettings.from_file(path))
    plan = solve(scenario, options)
    assert plan.objective["unmet"] == 3
    plan_checks(scenario, plan)
