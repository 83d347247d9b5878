"""The lexicographic solve: one CP-SAT stage per objective term, most important first.

Each stage minimises its term with every earlier term held at the value it reached, and
starts from the previous stage's plan as a complete hint, so an earlier term is never
traded for a later one and no stage starts from nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ortools.sat.python import cp_model

from checker import check_plan
from models import Scenario

from .instance import Instance, build_instance
from .model import RotaModel
from .reasons import explain_unmet
from .result import Plan, StageReport, Status

_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.UNKNOWN: Status.UNKNOWN,
}


class Progress(Protocol):
    """Receives what a solve is doing, for a live display or log lines."""

    def stage_started(self, term: str, index: int, count: int, budget: float) -> None: ...

    def improved(self, term: str, value: float, bound: float, elapsed: float) -> None: ...

    def stage_finished(self, report: StageReport) -> None: ...


class SolveError(RuntimeError):
    """The engine produced a plan that breaks a rule: a defect, never shown as a plan."""


@dataclass
class SolveOptions:
    time_limit: float = 120.0
    workers: int = 0  # 0: as many as the machine has
    seed: int = 0
    progress: Progress | None = None
    first_term_share: float = 0.6  # of the time, for the most important term


@dataclass
class _Search:
    """State shared between the search thread and the thread that waits on it."""

    solver: cp_model.CpSolver | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    interrupted: bool = False


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, term: str, progress: Progress | None, started: float):
        super().__init__()
        self.term, self.progress, self.started = term, progress, started
        self.solutions = 0

    def on_solution_callback(self) -> None:
        self.solutions += 1
        if self.progress is not None:
            self.progress.improved(
                self.term,
                self.objective_value,
                self.best_objective_bound,
                time.monotonic() - self.started,
            )


def solve(scenario: Scenario, options: SolveOptions | None = None, **settings: object) -> Plan:
    """Solve a scenario: the best plan the time allows, with every rule of SPEC.md holding.

    Parameters
    ----------
    scenario
        A loaded scenario (``models.load_scenario``).
    options
        Time limit in seconds, CP-SAT workers, random seed and an optional progress
        receiver; keyword arguments of the same names may be given instead.
    """
    options = options or SolveOptions(**settings)  # type: ignore[arg-type]
    started = time.monotonic()
    instance = build_instance(scenario)
    rota = RotaModel(instance)
    build_seconds = time.monotonic() - started
    if scenario.strict:
        rota.model.add(rota.terms["unmet"] == 0)
    stages, solution, search = _lexicographic(rota, options, started)
    plan = _plan_from(instance, rota, stages, solution, search, options)
    plan.build_seconds = build_seconds
    plan.seconds = time.monotonic() - started
    return plan


def _lexicographic(rota: RotaModel, options: SolveOptions, started: float):
    scenario = rota.instance.scenario
    deadline = started + options.time_limit
    search = _Search()
    stages: list[StageReport] = []
    solution: list[int] | None = None
    terms = [t for t in scenario.objective if not _is_constant(rota.terms[t])]
    for index, term in enumerate(terms):
        remaining = deadline - time.monotonic()
        if search.interrupted or (remaining <= 0 and solution is not None):
            break
        share = (
            options.first_term_share if index == 0 and len(terms) > 1 else 1 / (len(terms) - index)
        )
        budget = max(remaining * share, 0.5 if solution is None else 0.05)
        if options.progress is not None:
            options.progress.stage_started(term, index, len(terms), budget)
        report, values, solver = _stage(rota, term, budget, solution, options, search)
        stages.append(report)
        if options.progress is not None:
            options.progress.stage_finished(report)
        if report.status == Status.INFEASIBLE or values is None:
            if solution is None:
                return stages, None, search
            break
        solution = values
        # Hold this term where it got, so no later stage can trade it away.
        rota.model.add(rota.terms[term] <= round(solver.value(rota.terms[term])))
    if not terms:
        report, values, _ = _stage(rota, None, max(1.0, options.time_limit), None, options, search)
        solution = values
        stages.append(report) if report.status == Status.INFEASIBLE else None
    return stages, solution, search


def _stage(
    rota: RotaModel,
    term: str | None,
    budget: float,
    hint: list[int] | None,
    options: SolveOptions,
    search: _Search,
):
    model = rota.model
    model.clear_objective()
    if term is not None:
        model.minimize(rota.terms[term])
    model.clear_hints()
    if hint is not None:
        proto = model.proto.solution_hint
        proto.vars.extend(range(len(hint)))
        proto.values.extend(hint)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = budget
    solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = options.seed
    solver.parameters.catch_sigint_signal = False
    watcher = _Watcher(term or "feasibility", options.progress, time.monotonic())
    status = _run_interruptibly(solver, model, watcher, search)
    stage_status = _STATUS.get(status, Status.UNKNOWN)
    values = None
    value = bound = None
    if stage_status in (Status.OPTIMAL, Status.FEASIBLE):
        values = list(solver.response_proto.solution)
        if term is not None:
            value = int(round(solver.objective_value))
            bound = (
                int(round(solver.best_objective_bound))
                if stage_status == Status.FEASIBLE
                else value
            )
    report = StageReport(
        term=term or "feasibility",
        status=stage_status,
        value=value,
        bound=bound,
        seconds=solver.wall_time,
        solutions=watcher.solutions,
    )
    return report, values, solver


def _run_interruptibly(
    solver: cp_model.CpSolver, model: cp_model.CpModel, watcher: _Watcher, search: _Search
) -> int:
    """Run the search in a thread so that Ctrl-C reaches us and stops it cleanly."""
    outcome: list[int] = []
    thread = threading.Thread(
        target=lambda: outcome.append(solver.solve(model, watcher)), daemon=True
    )
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.1)
    except KeyboardInterrupt:
        search.interrupted = True
        solver.stop_search()
        thread.join()
    return outcome[0] if outcome else cp_model.UNKNOWN


def _is_constant(expr: object) -> bool:
    return isinstance(expr, (int, float))


def _plan_from(
    instance: Instance,
    rota: RotaModel,
    stages: Sequence[StageReport],
    solution: list[int] | None,
    search: _Search,
    options: SolveOptions,
) -> Plan:
    scenario = instance.scenario
    settings = {"time_limit": options.time_limit, "workers": options.workers, "seed": options.seed}
    if solution is None:
        status = (
            Status.INFEASIBLE
            if any(s.status == Status.INFEASIBLE for s in stages)
            else Status.UNKNOWN
        )
        return Plan(
            scenario,
            status,
            [],
            {},
            None,
            list(stages),
            interrupted=search.interrupted,
            settings=settings,
        )
    pairs = _decode(instance, rota, solution)
    report = check_plan(scenario, pairs)
    if not report.ok:
        broken = "; ".join(str(v) for v in report.violations[:5])
        raise SolveError(f"the engine's plan breaks {len(report.violations)} rule(s): {broken}")
    proven = all(s.status == Status.OPTIMAL for s in stages) and not search.interrupted
    bound = next((s.bound for s in stages if s.status != Status.OPTIMAL), None)
    status = Status.OPTIMAL if proven else Status.FEASIBLE
    unmet = explain_unmet(scenario, pairs, report.unmet)
    return Plan(
        scenario,
        status,
        pairs,
        report.objective,
        bound,
        list(stages),
        unmet=unmet,
        interrupted=search.interrupted,
        settings=settings,
    )


def _decode(instance: Instance, rota: RotaModel, solution: list[int]) -> list[tuple[str, str]]:
    scenario = instance.scenario
    pairs = []
    for p, var in enumerate(rota.vars.attend):
        if solution[var.index]:
            member = scenario.members[int(instance.pair_member[p])]
            session = scenario.sessions[int(instance.pair_session[p])]
            pairs.append((member.id, session.id))
    return pairs
