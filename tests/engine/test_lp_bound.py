"""The linear relaxation's bound: never above a plan, and at least the blocks it is given."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from ortools.sat.python import cp_model

from models import load_scenario
from solver.engine import NeighbourhoodSearch, block_bound, build_instance, construct
from solver.engine.lp_bound import start_relaxation
from solver.engine.lp_relaxation import integer_bound, lp_lower_bound, relaxation_of

TESTS = Path(__file__).resolve().parents[1]
TUTORIAL = TESTS.parent / "scenarios" / "tutorial" / "scenario.yaml"


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


UNGUARDED = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
with open({runs!r}, "a") as runs:
    runs.write("ran\\n")
from models import load_scenario
from solver.engine.lp_bound import start_relaxation
run = start_relaxation(load_scenario({tutorial!r}), time.monotonic() + 30)
run.send_blocks([])
while run.poll() is None and not run.done:
    time.sleep(0.05)
run.stop()
print(run.bound)
"""


def test_a_callers_script_without_a_main_guard_runs_once(tmp_path):
    # A library caller's script need not guard its work with ``if __name__ ==
    # "__main__"``: the relaxation's child process does not run the script again. Nor
    # does the child import from the folder it starts in: a planner's own ``models``
    # folder there is not rotaplan's.
    script, runs = tmp_path / "plan_units.py", tmp_path / "runs.txt"
    root = str(TESTS.parent)
    script.write_text(UNGUARDED.format(root=root, runs=str(runs), tutorial=str(TUTORIAL)))
    work = tmp_path / "work"
    (work / "models").mkdir(parents=True)
    shadow = tmp_path / "shadow-imported.txt"
    (work / "models" / "__init__.py").write_text(
        f"open({str(shadow)!r}, 'w').close()\nraise ImportError('not rotaplan')\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=work, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert runs.read_text() == "ran\n"
    assert not shadow.exists()
    # No blocks sent: the relaxation alone, a bound at most the optimum 31.
    assert 0 <= int(done.stdout.strip()) <= 31


FORGOTTEN = """
import sys, time
sys.path.insert(0, {root!r})
from models import load_scenario
from solver.engine.lp_bound import start_relaxation
run = start_relaxation(load_scenario({tutorial!r}), time.monotonic() + 120)
print(run.process.pid, flush=True)
raise SystemExit(3)  # never stopped: a fault before the stage's end
"""


def test_the_child_ends_with_its_parent(tmp_path):
    script = tmp_path / "forgets.py"
    script.write_text(FORGOTTEN.format(root=str(TESTS.parent), tutorial=str(TUTORIAL)))
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert done.returncode == 3, done.stderr[-2000:]
    child = int(done.stdout.strip())
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)  # gone, not waiting two minutes for blocks
