"""Ctrl-C reaches every CP-SAT solve, including one that starts just as it comes."""

from __future__ import annotations

import threading
import time

from ortools.sat.python import cp_model

from solver.engine.stop import StopFlag, run_solver


def _pigeonhole(pigeons: int = 13) -> cp_model.CpModel:
    """No pigeon left out, no two in one hole: infeasible, and slow to prove as clauses."""
    model = cp_model.CpModel()
    sits = [[model.new_bool_var("") for _ in range(pigeons - 1)] for _ in range(pigeons)]
    for row in sits:
        model.add_bool_or(row)
    for hole in range(pigeons - 1):
        for i in range(pigeons):
            for j in range(i + 1, pigeons):
                model.add_bool_or([~sits[i][hole], ~sits[j][hole]])
    return model


def _slow_solver() -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 30
    solver.parameters.num_workers = 1
    solver.parameters.catch_sigint_signal = False
    # Without these CP-SAT would see through the pigeonhole at once.
    solver.parameters.symmetry_level = 0
    solver.parameters.linearization_level = 0
    solver.parameters.cp_model_presolve = False
    return solver


def test_a_solve_started_after_ctrl_c_does_not_run():
    flag = StopFlag()
    flag.interrupt()
    started = time.monotonic()
    assert run_solver(_slow_solver(), _pigeonhole(), None, flag) == cp_model.UNKNOWN
    assert time.monotonic() - started < 1


def test_ctrl_c_that_missed_a_starting_solve_still_stops_it():
    # Ctrl-C came while the solver was not yet among the running ones: only the flag says so.
    flag = StopFlag()
    threading.Timer(0.3, lambda: setattr(flag, "interrupted", True)).start()
    started = time.monotonic()
    assert run_solver(_slow_solver(), _pigeonhole(), None, flag) == cp_model.UNKNOWN
    assert time.monotonic() - started < 5  # not its 30 s
