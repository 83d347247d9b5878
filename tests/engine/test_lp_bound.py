"""The linear relaxation's bound: never above a plan, and at least the blocks it is given."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from ortools.sat.python import cp_model

from models import load_scenario
from solver.engine import NeighbourhoodSearch, block_bound, build_instance, construct
from solver.engine.lp_bound import start_relaxation
from solver.engine.lp_relaxation import integer_bound, lp_lower_bound, relaxation_of

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial" / "scenario.yaml"


def _serialised(model: cp_model.CpModel, tmp_path: Path) -> bytes:
    path = tmp_path / "model.pb"
    model.export_to_file(str(path))
    return path.read_bytes()


def test_the_relaxation_reads_clauses_cliques_implications_and_negated_literals(tmp_path):
    # min a + b + c + 3d: every two of a, b, c (clauses), at most one of a, b and d (a
    # clique), d implies a, and (not d) or c. Halves of a, b and c meet every clause: the
    # relaxation's optimum is 1.5, the model's 2.
    model = cp_model.CpModel()
    a, b, c, d = (model.new_bool_var(name) for name in "abcd")
    for pair in ((a, b), (b, c), (a, c)):
        model.add_bool_or(pair)
    model.add_at_most_one([a, b, d])
    model.add_implication(d, a)
    model.add_bool_or([~d, c])
    model.minimize(a + b + c + 3 * d)
    relaxation = relaxation_of(_serialised(model, tmp_path))
    assert relaxation.matrix.shape == (6, 4)
    bound = lp_lower_bound(relaxation, seconds=5)
    assert abs(bound - 1.5) < 1e-3
    assert integer_bound(bound) == 2
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    assert solver.objective_value == 2
    rng = np.random.default_rng(0)
    for _ in range(20):  # weak duality: any multipliers prove at most the LP optimum
        assert relaxation.safe_bound(rng.normal(size=6)) <= 1.5 + 1e-9


def test_integer_bound_rounds_up_but_not_past_arithmetic_noise():
    assert integer_bound(327.3) == 328
    assert integer_bound(327.99999999) == 328
    assert integer_bound(328.0000000001) == 328
    assert integer_bound(-5.0) == 0
    assert integer_bound(float("-inf")) == 0


def test_the_relaxation_with_block_cuts_bounds_the_tutorial():
    scenario = load_scenario(TUTORIAL)
    instance = build_instance(scenario)
    taken = np.zeros(instance.num_pairs, dtype=bool)
    taken[construct(instance)] = True
    short = NeighbourhoodSearch(instance, taken).weighted_shortfalls()
    proof = block_bound(instance, short, time.monotonic() + 30)
    run = start_relaxation(scenario, time.monotonic() + 60)
    assert run is not None
    try:
        run.send_blocks(proof.blocks)
        while run.poll() is None and not run.done:
            time.sleep(0.05)
    finally:
        run.stop()
    # The tutorial's optimum is 31 (the whole model proves it in a second).
    assert run.bound is not None
    assert proof.value <= run.bound <= 31


def test_no_relaxation_from_a_daemonic_process(monkeypatch):
    # A daemonic process (a Dask worker by default) may start no child: the search then
    # goes on with the blocks' bound alone instead of failing.
    class Daemonic:
        daemon = True

    monkeypatch.setattr("solver.engine.lp_bound.multiprocessing.current_process", Daemonic)
    scenario = load_scenario(TUTORIAL)
    assert start_relaxation(scenario, time.monotonic() + 5) is None
