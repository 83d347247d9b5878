"""The bound's child process: the blocks as the search would prove them, then the linear
relaxation's bound, never above a plan and at least the blocks'."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from ortools.sat.python import cp_model

from models import load_scenario
from solver.engine import NeighbourhoodSearch, block_bound, build_instance, construct
from solver.engine.bound import BlockBound
from solver.engine.bound_child import SENDING_MARGIN, relaxation_seconds, start_child
from solver.engine.bound_run import BoundRun, bound_of, end_bound
from solver.engine.lp_relaxation import integer_bound, lp_lower_bound, relaxation_of
from solver.engine.settings import EngineSettings
from solver.engine.stop import StopFlag

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


def test_the_child_proves_the_blocks_then_the_relaxation_with_them_as_cuts():
    scenario = load_scenario(TUTORIAL)
    instance = build_instance(scenario)
    taken = np.zeros(instance.num_pairs, dtype=bool)
    taken[construct(instance)] = True
    short = NeighbourhoodSearch(instance, taken).weighted_shortfalls()
    proof = block_bound(instance, short, time.monotonic() + 30)
    assert proof.value > 0
    child = start_child(scenario, short, time.monotonic() + 60, EngineSettings())
    assert child is not None
    try:
        # The child's instance is built from the same scenario: its blocks are the ones
        # the search's own process would prove, window by window.
        got = child.blocks(lambda: False)
        assert got is not None
        assert got.value == proof.value
        assert [(w.tolist(), v) for w, v in got.blocks] == [
            (w.tolist(), v) for w, v in proof.blocks
        ]
        while child.poll() is None and not child.done:
            time.sleep(0.05)
    finally:
        child.stop()
    # The tutorial's optimum is 31 (the whole model proves it in a second).
    assert child.bound is not None
    assert proof.value <= child.bound <= 31


@contextlib.contextmanager
def _child_with_every_window_short(settings=None):
    """A child started on the tutorial with every window short, stopped at the end."""
    scenario = load_scenario(TUTORIAL)
    short = np.ones(len(build_instance(scenario).windows), dtype=np.int64)
    child = start_child(scenario, short, time.monotonic() + 60, settings or EngineSettings())
    assert child is not None
    try:
        yield child
    finally:
        child.stop()


def test_a_halted_wait_for_the_blocks_returns_at_once():
    with _child_with_every_window_short() as child:
        started = time.monotonic()
        assert child.blocks(lambda: True) is None
        assert time.monotonic() - started < 1


def test_asking_for_the_bound_does_not_wait_for_the_thread_awaiting_the_blocks():
    # The search asks for the bound between its moves while the bound's thread waits for
    # the blocks: the question must not wait for that thread's turn at the line.
    with _child_with_every_window_short() as child:
        stop = threading.Event()
        waiting = threading.Thread(target=child.blocks, args=(stop.is_set,))
        waiting.start()
        try:
            asked = []
            for _ in range(20):  # while the child starts, long before its blocks come
                started = time.perf_counter()
                child.poll()
                asked.append(time.perf_counter() - started)
                time.sleep(0.01)
            assert child.proof is None  # asked while the thread was still waiting
            assert sorted(asked)[len(asked) // 2] < 0.005, asked
        finally:
            stop.set()
            waiting.join()


def test_a_message_the_child_cannot_take_ends_it_and_the_wait_for_its_blocks():
    unpicklable = threading.Lock()  # in place of the settings: it cannot be sent
    with _child_with_every_window_short(unpicklable) as child:
        started = time.monotonic()
        # The search's thread then proves the blocks itself, at once.
        assert child.blocks(lambda: time.monotonic() - started > 30) is None
        assert time.monotonic() - started < 10
        assert child.done and child.process.poll() is not None


class _LateChild:
    """A child whose blocks came after the bound's thread stopped waiting for them."""

    def __init__(self, value: int):
        self.proof = BlockBound(value=value)

    def poll(self) -> None:
        return None

    def stop(self) -> None:
        pass


def test_blocks_that_come_after_the_wait_still_count_in_the_stages_bound():
    done = threading.Event()
    done.set()  # the bound's thread has ended, without the blocks
    run = BoundRun(
        cp_model.CpSolver(),
        threading.Thread(),
        done,
        child=_LateChild(7),
    )
    assert bound_of(run) is None
    end_bound(run, StopFlag())
    assert bound_of(run) == 7


def test_the_relaxation_stops_in_time_to_send_its_bound_before_the_stage_ends():
    # The parent ends the child at the stage's deadline: a relaxation cut short by its
    # limit must still be able to send what its duals prove.
    deadline = time.monotonic() + 30
    seconds = relaxation_seconds(deadline)
    assert 30 - SENDING_MARGIN - 1 < seconds <= 30 - SENDING_MARGIN
    assert SENDING_MARGIN >= 0.5


UNGUARDED = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
with open({runs!r}, "a") as runs:
    runs.write("ran\\n")
from models import load_scenario
import numpy as np
from solver.engine import build_instance
from solver.engine.bound_child import start_child
from solver.engine.settings import EngineSettings
scenario = load_scenario({tutorial!r})
windows = len(build_instance(scenario).windows)
run = start_child(scenario, np.zeros(windows, dtype=np.int64), time.monotonic() + 30, EngineSettings())
while run.poll() is None and not run.done:
    time.sleep(0.05)
run.stop()
print(run.bound)
"""


def test_a_callers_script_without_a_main_guard_runs_once(tmp_path):
    # A library caller's script need not guard its work with ``if __name__ ==
    # "__main__"``: the bound's child process does not run the script again. Nor
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
    # No window short: no blocks, the relaxation alone, a bound at most the optimum 31.
    assert 0 <= int(done.stdout.strip()) <= 31


FORGOTTEN = """
import sys, time
sys.path.insert(0, {root!r})
from models import load_scenario
import numpy as np
from solver.engine import build_instance
from solver.engine.bound_child import start_child
from solver.engine.settings import EngineSettings
scenario = load_scenario({tutorial!r})
windows = len(build_instance(scenario).windows)
run = start_child(scenario, np.ones(windows, dtype=np.int64), time.monotonic() + 120, EngineSettings())
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
        os.kill(child, 0)  # gone, not proving on for two minutes
