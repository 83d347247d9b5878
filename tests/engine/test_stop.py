"""Ctrl-C reaches every CP-SAT solve, including one that starts just as it comes."""

from __future__ import annotations

import threading
import time
from typing import ClassVar

import pytest
from ortools.sat.python import cp_model

from models import load_scenario
from models.generate import generate_scenario
from solver import EngineSettings, SolveOptions
from solver.engine import solve as engine_solve
from solver.engine.solve import make_plan
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


class _FlagsMade(StopFlag):
    """A StopFlag that the test can reach: the solve makes its own."""

    made: ClassVar[list[StopFlag]] = []

    def __init__(self) -> None:
        super().__init__()
        _FlagsMade.made.append(self)


class _CtrlCAsStageStarts:
    """Ctrl-C just as stage ``index`` starts: after the check that stops the stages, before
    its solve, the moment a real Ctrl-C hits when it comes between two stages."""

    def __init__(self, index: int) -> None:
        self.index = index

    def stage_started(self, term: str, index: int, count: int, budget: float) -> None:
        if index == self.index:
            _FlagsMade.made[-1].interrupt()

    def improved(self, term: str, value: float, bound: float | None, elapsed: float) -> None:
        pass

    def stage_finished(self, report: object) -> None:
        pass


@pytest.mark.parametrize("search", [False, True], ids=["whole model", "search"])
@pytest.mark.parametrize("stage", [0, 1, 2, 3, 4])
def test_ctrl_c_between_two_stages_ends_in_a_plan(
    tmp_path, monkeypatch, plan_checks, stage, search
):
    # The stage whose solve Ctrl-C kept from running must say so and the solve end on the
    # plan it has; it once read the time of that solve, never run, and ended in a traceback.
    scenario = load_scenario(generate_scenario(tmp_path / "s", members=80, years=2, seed=5))
    monkeypatch.setattr(engine_solve, "StopFlag", _FlagsMade)
    progress = _CtrlCAsStageStarts(stage)
    # search_above_pairs=0 sends even this scenario down the neighbourhood-search path.
    settings = EngineSettings(search_above_pairs=0 if search else 1_000_000)
    options = SolveOptions(time_limit=20, workers=2, seed=0, progress=progress, settings=settings)
    plan = make_plan(scenario, options)
    assert plan.has_plan
    assert plan.interrupted
    plan_checks(scenario, plan)


def test_a_fault_in_the_solve_reaches_the_caller():
    class Faulty(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            raise ValueError("a progress receiver's fault")

    model = cp_model.CpModel()
    model.new_bool_var("x")
    with pytest.raises(ValueError, match="progress receiver"):
        run_solver(_slow_solver(), model, Faulty(), StopFlag())
