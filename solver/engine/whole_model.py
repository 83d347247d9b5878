"""What a stage on the whole CP-SAT model needs besides the model: parameters and hints.

The engine (``solver.engine``) runs the stages; this module chooses CP-SAT's parameters by
the model's size and the workers, turns a plan into a complete hint (every variable, not
only the pairs), and builds the *kept-pairs* model a later stage starts from: the whole
model with every pair the plan does not take fixed out.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from .model import RotaModel
from .settings import EngineSettings
from .stop import StopFlag, new_solver, run_solver

# Terms that taking fewer pairs never raises: a plan's own pairs hold a better plan for
# them whenever the plan trains someone beyond every need.
FEWER_IS_LOWER = frozenset({"attendances", "cost", "avoid"})


def set_parameters(
    solver: cp_model.CpSolver,
    pairs: int,
    threads: int,
    settings: EngineSettings,
    term: str | None = None,
) -> None:
    """CP-SAT's parameters for a stage on the whole model of ``pairs`` eligible pairs that
    minimises ``term`` (None: no stage of the engine's, or a search for any plan)."""
    # Interleaved search is CP-SAT's deterministic parallel mode, and slower; without it
    # a proven plan is made repeatable by ``repeatable_plan``.
    solver.parameters.interleave_search = threads > 1 and settings.interleave_search
    if threads == 1 and term in settings.one_worker_portfolio_terms and settings.lp_subsolvers:
        # One worker runs one LP-guided search, which keeps to the plan it is hinted with
        # where the relaxation proves nothing: on the suite's units (seeds 1, 909, 303) it
        # ended the avoid stage at 2-5 against a bound of 0 on 9 of 21, where the
        # two-worker portfolio, taking turns on the one thread (deterministic as well),
        # reached 0 on 19 of the 21 in 0.1-1.1 s.
        solver.parameters.interleave_search = True
        solver.parameters.subsolvers.extend(settings.lp_subsolvers)
    if pairs <= settings.full_relaxation_pairs:
        # A window that needs one completion is a clause, which the default relaxation
        # leaves out of the LP: on units of 80 members the default proved unmet 57 where
        # the optimum is 337; the full relaxation proves 337 in a tenth of a second.
        solver.parameters.linearization_level = 2
    if threads == 2 and settings.lp_subsolvers:
        # CP-SAT's default portfolio at two workers runs no LP-based bound worker.
        solver.parameters.subsolvers.extend(settings.lp_subsolvers)


def complete_hint(
    rota: RotaModel, taken: np.ndarray, seed: int, seconds: float
) -> tuple[list[int] | None, cp_model.CpSolver | None]:
    """Every variable's value in the plan ``taken`` (a boolean per pair) and the solve
    that found them; (None, None) when CP-SAT cannot complete them in ``seconds`` (or the
    plan breaks a rule of the model).

    With only the pairs hinted, CP-SAT has to find the shortfalls and the sessions that
    run itself, and a single worker often follows the hint no further than that: on a unit
    of 150 members with few seats it stayed at the first plan's unmet 1,751 where a
    complete hint let it reach 1,257 in the same 5.5 s.
    """
    fixed = rota.model.clone()
    for index, value in zip(*rota.decisions(taken), strict=True):
        _fix(fixed, index, value, value)
    fixed.clear_objective()
    fixed.clear_hints()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.catch_sigint_signal = False
    if solver.solve(fixed) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return list(solver.response_proto.solution), solver
    return None, None


def hint(model: cp_model.CpModel, values: list[int]) -> None:
    """Hint ``values``, every variable's value (a solution of ``model``)."""
    model.clear_hints()
    proto = model.proto.solution_hint
    proto.vars.extend(range(len(values)))
    proto.values.extend(values)


def kept_pairs_model(rota: RotaModel, values: list[int]) -> cp_model.CpModel:
    """The whole model (objective and hint included) with every pair the solution
    ``values`` leaves untaken fixed to 0 (a group held to at most the number it takes): a
    small model whose optimum drops what the plan trains beyond need, which the whole
    model's search, from a plan far above it, can take long to find (on a unit of 80
    members, attendances 1,639 became 1,284 in 0.04 s)."""
    kept = rota.model.clone()
    for var in (*rota.vars.attend.values(), *rota.vars.count.values()):
        _fix(kept, var.index, 0, values[var.index])
    return kept


def _fix(model: cp_model.CpModel, index: int, low: int, high: int) -> None:
    """Hold a decision variable of ``model`` (its domain one interval) to ``[low, high]``."""
    domain = model.proto.variables[index].domain
    domain[0] = low
    domain[1] = high


def repeatable_plan(
    rota: RotaModel, seed: int, settings: EngineSettings, seconds: float, flag: StopFlag
) -> list[int] | None:
    """A plan of the whole model, every term held where the stages proved it, found by one
    unhinted worker in ``settings.repeatable_work`` of CP-SAT's deterministic time; None
    when it finds none in that time (or in ``seconds`` of the clock, or is stopped).

    Free-running workers (``interleave_search`` off) race each other, so which of the
    optimal plans a stage returns depends on the threads' timing. One worker on the same
    model, with no hint from that race, returns the same plan on every run.
    """
    model = rota.model.clone()
    model.clear_objective()
    model.clear_hints()
    solver = new_solver(seconds, 1, seed)
    solver.parameters.max_deterministic_time = settings.repeatable_work
    if rota.instance.num_pairs <= settings.full_relaxation_pairs:
        solver.parameters.linearization_level = 2
    status = run_solver(solver, model, None, flag)
    if flag.interrupted or status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return list(solver.response_proto.solution)
