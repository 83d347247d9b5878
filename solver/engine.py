"""The lexicographic solve: one stage per objective term, most important first.

Each stage minimises its term with every earlier term held at the value it reached, and
starts from the plan the previous stage left, so an earlier term is never traded for a
later one and no stage starts from nothing. The first plan comes from a fast construction.

Small scenarios are solved on the whole CP-SAT model, which proves optimality. Large ones
are improved by a neighbourhood search of small exact models while the whole model runs
beside it to prove a bound; see ``solver.search``.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from ortools.sat.python import cp_model

from checker import check_plan, plan_terms
from models import Scenario

from .attendance_bound import bound_seconds, term_bounds
from .bound import BlockBound, block_bound
from .construct import construct
from .explain.reasons import explain_unmet
from .instance import Instance, build_instance
from .lean import drop_surplus
from .model import RotaModel
from .result import Plan, StageReport, Status
from .search import NeighbourhoodSearch
from .settings import EngineSettings
from .whole_model import FEWER_IS_LOWER, complete_hint, hint, kept_pairs_model, set_parameters

_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.UNKNOWN: Status.UNKNOWN,
}


class Progress(Protocol):
    """Receives what a solve is doing, for a live display or log lines."""

    def stage_started(self, term: str, index: int, count: int, budget: float) -> None: ...

    def improved(self, term: str, value: float, bound: float | None, elapsed: float) -> None: ...

    def stage_finished(self, report: StageReport) -> None: ...


class SolveError(RuntimeError):
    """The engine produced a plan that breaks a rule: a defect, never shown as a plan."""


@dataclass
class SolveOptions:
    """How a solve may spend its time.

    ``settings`` holds the engine's tuning knobs (``solver.settings.EngineSettings``); the
    properties below read the ones the search path uses.
    """

    time_limit: float = 120.0
    workers: int = 0  # 0: every core
    seed: int = 0
    progress: Progress | None = None
    settings: EngineSettings = field(default_factory=EngineSettings)
    # A plan to start from (a what-if starts from the plan it changes): its assignments
    # that fit are taken first, so the search can only improve on it.
    start: list[tuple[str, str]] | None = None

    @property
    def threads(self) -> int:
        return self.workers if self.workers > 0 else max(1, os.cpu_count() or 1)

    @property
    def first_term_share(self) -> float:
        return self.settings.first_term_share

    @property
    def search_above_pairs(self) -> int:
        return self.settings.search_above_pairs

    @property
    def strong_bound_pairs(self) -> int:
        return self.settings.strong_bound_pairs

    @property
    def bound_model_pairs(self) -> int:
        return self.settings.bound_model_pairs


@dataclass
class _Search:
    """State shared with the threads that run CP-SAT, so Ctrl-C can stop them."""

    stop: threading.Event = field(default_factory=threading.Event)
    running: list[cp_model.CpSolver] = field(default_factory=list)
    interrupted: bool = False

    def interrupt(self) -> None:
        self.interrupted = True
        self.stop.set()
        for solver in list(self.running):
            solver.stop_search()


@contextmanager
def _stop_on_ctrl_c(search: _Search) -> Iterator[None]:
    """Ctrl-C stops the search and keeps the best plan; a second Ctrl-C stops at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        if search.interrupted:
            raise KeyboardInterrupt
        search.interrupt()

    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, term: str, progress: Progress | None, started: float):
        super().__init__()
        self.term, self.progress, self.started = term, progress, started
        self.solutions = 0
        self.best: float | None = None

    def on_solution_callback(self) -> None:
        self.solutions += 1
        self.best = self.objective_value
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
    search = _Search()
    with _stop_on_ctrl_c(search):
        instance = build_instance(scenario)
        indexing = time.monotonic() - started
        keep = sorted(instance.previous_pairs.values()) + _start_pairs(instance, options.start)
        taken = np.zeros(instance.num_pairs, dtype=bool)
        taken[construct(instance, keep=keep)] = True
        first_plan = time.monotonic() - started
        # Checking and explaining the final plan takes a few times as long as indexing the
        # scenario did; that time comes out of the search so the solve ends on time.
        knobs = options.settings
        finishing = min(
            knobs.finishing_share * options.time_limit, knobs.finishing_factor * indexing
        ) + bound_seconds(options.time_limit)
        deadline = started + options.time_limit - finishing
        # The search improves a plan that holds every rule; when pinned rows make the first
        # plan break one, only the whole model can say whether any plan exists.
        first_ok = not scenario.pinned or check_plan(scenario, _pairs(instance, taken)).ok
        whole = scenario.strict or instance.num_pairs <= options.search_above_pairs or not first_ok
        if whole:
            stages, decided, terms = _whole_model_stages(instance, taken, options, search, deadline)
        else:
            stages, decided, terms = _search_stages(instance, taken, options, search, deadline)
        if decided is None and first_ok and not scenario.strict:
            # Stopped, or out of time, before any stage found a plan: the first plan holds
            # every rule and is the best there is.
            decided = taken
    complete = len(stages) == len(terms)
    plan = _plan_from(instance, stages, decided, complete, search, options)
    plan.build_seconds = first_plan
    plan.seconds = time.monotonic() - started
    return plan


def _budget(options: SolveOptions, index: int, count: int, deadline: float) -> float:
    remaining = max(0.0, deadline - time.monotonic())
    share = options.first_term_share if index == 0 and count > 1 else 1 / (count - index)
    return remaining * share


def _terms_to_optimise(rota: RotaModel) -> list[str]:
    scenario = rota.instance.scenario
    return [t for t in scenario.objective if not isinstance(rota.terms[t], (int, float))]


# -- the whole model, stage by stage --------------------------------------------------------


def _whole_model_stages(
    instance: Instance, taken: np.ndarray, options: SolveOptions, search: _Search, deadline: float
):
    rota = RotaModel(instance)
    if instance.scenario.strict:
        rota.model.add(rota.terms["unmet"] == 0)
    terms = _terms_to_optimise(rota)
    stages: list[StageReport] = []
    knobs = options.settings
    first = [bool(taken[p]) for p in rota.vars.attend]
    # ``held``: the solve whose plan a stage keeps when it finds none better in its time:
    # the first plan's, when it keeps every rule of the model, then each stage's. Unhinted,
    # the first stage needs the first plan completed only when it proves no optimum.
    held: cp_model.CpSolver | None = None
    if knobs.hint_first_stage:
        values, held = complete_hint(rota, first, options.seed, knobs.complete_hint_seconds)
        hint(rota.model, rota, values)
    solution: list[int] | None = None
    for index, term in enumerate(terms):
        if search.interrupted:
            break
        budget = _budget(options, index, len(terms), deadline)
        if solution is not None and budget <= 0:
            break
        budget = max(
            budget, knobs.first_stage_seconds if solution is None else knobs.later_stage_seconds
        )
        if options.progress is not None:
            options.progress.stage_started(term, index, len(terms), budget)
        if solution is not None and term in FEWER_IS_LOWER:
            spent = _start_from_kept_pairs(
                rota, term, solution, budget * knobs.kept_pairs_share, options, search
            )
            budget = max(budget - spent, knobs.later_stage_seconds)
        report, values, solver = _stage(rota, term, budget, options, search)
        # (Interrupted, the solve falls back on the first plan by itself.)
        unproven = report.status != Status.OPTIMAL and not search.interrupted
        if solution is None and held is None and unproven:
            _, held = complete_hint(rota, first, options.seed, knobs.complete_hint_seconds)
        kept = None if held is None else round(held.value(rota.terms[term]))
        if held is not None and kept is not None and (values is None or (report.value or 0) > kept):
            # Out of time before a plan of its own (a stage's presolve can take its whole
            # share), or, unhinted, before a plan as good as the one it got: the stage
            # keeps that one, which holds every rule. Its proven bound still holds.
            values, solver = list(held.response_proto.solution), held
            report.status = Status.OPTIMAL if report.bound == kept else Status.FEASIBLE
            report.value = kept
        stages.append(report)
        if options.progress is not None:
            options.progress.stage_finished(report)
        if values is None:
            if solution is None:
                return stages, None, terms
            break
        solution, held = values, solver
        hint(rota.model, rota, values)
        # Hold this term where it got, so no later stage can trade it away; and tell the
        # later stages what this one proved, so their relaxation starts from it.
        rota.model.add(rota.terms[term] <= round(solver.value(rota.terms[term])))
        if report.bound:
            rota.model.add(rota.terms[term] >= report.bound)
    if not terms:
        report, solution, _ = _stage(
            rota, None, max(1.0, deadline - time.monotonic()), options, search
        )
        if solution is None:
            stages.append(report)
    if solution is None:
        return stages, None, terms
    decided = np.zeros(instance.num_pairs, dtype=bool)
    for p, var in rota.vars.attend.items():
        decided[p] = bool(solution[var.index])
    return stages, decided, terms


def _start_from_kept_pairs(
    rota: RotaModel,
    term: str,
    solution: list[int],
    budget: float,
    options: SolveOptions,
    search: _Search,
) -> float:
    """Hint the stage with the best plan among the pairs ``solution`` takes; returns the
    seconds that took.

    The whole model's search, started from a plan that trains many beyond need, finds the
    plans that drop them slowly; the model of the kept pairs only is small and usually
    solved to optimality in a fraction of the budget.
    """
    kept = kept_pairs_model(rota, solution)
    kept.clear_objective()
    kept.minimize(rota.terms[term])
    solver = _solver(budget, 1, options.seed)
    solver.parameters.linearization_level = 2
    if _run(solver, kept, None, search) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        hint(rota.model, rota, list(solver.response_proto.solution))
    return solver.response_proto.wall_time


def _stage(
    rota: RotaModel, term: str | None, budget: float, options: SolveOptions, search: _Search
):
    model = rota.model
    model.clear_objective()
    if term is not None:
        model.minimize(rota.terms[term])
    solver = _solver(budget, options.threads, options.seed)
    set_parameters(solver, rota.instance.num_pairs, options.threads, options.settings)
    watcher = _Watcher(term or "feasibility", options.progress, time.monotonic())
    status = _run(solver, model, watcher, search)
    stage_status = _STATUS.get(status, Status.UNKNOWN)
    values = value = bound = None
    if stage_status in (Status.OPTIMAL, Status.FEASIBLE):
        values = list(solver.response_proto.solution)
        if term is not None:
            value = round(solver.objective_value)
            bound = round(solver.best_objective_bound) if stage_status == Status.FEASIBLE else value
    elif stage_status == Status.UNKNOWN and term is not None and not search.interrupted:
        # No plan in time, but what CP-SAT proved still holds (the stage may keep the plan
        # it got; see ``_whole_model_stages``).
        bound = max(0, int(np.ceil(solver.best_objective_bound - 1e-6)))
    report = StageReport(
        term=term or "feasibility",
        status=stage_status,
        value=value,
        bound=bound,
        seconds=solver.response_proto.wall_time,
        solutions=watcher.solutions,
    )
    return report, values, solver


def _solver(budget: float, workers: int, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, budget)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.catch_sigint_signal = False
    return solver


def _run(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    watcher: cp_model.CpSolverSolutionCallback | None,
    search: _Search,
) -> cp_model.CpSolverStatus:
    """Run CP-SAT in a thread and wait on an event, so Ctrl-C reaches us and stops it cleanly."""
    outcome: list[cp_model.CpSolverStatus] = []
    done = threading.Event()

    def work() -> None:
        try:
            outcome.append(solver.solve(model, watcher))
        finally:
            done.set()

    search.running.append(solver)
    threading.Thread(target=work, daemon=True).start()
    try:
        while not done.wait(0.1):
            pass
    except KeyboardInterrupt:
        search.interrupted = True
        solver.stop_search()
        done.wait()
    finally:
        search.running.remove(solver)
    return outcome[0] if outcome else cp_model.UNKNOWN


# -- neighbourhood search with the whole model proving a bound beside it ----------------------


@dataclass
class _BoundRun:
    """The whole model minimising the stage's term in a thread: a bound, maybe a better plan."""

    solver: cp_model.CpSolver
    thread: threading.Thread
    done: threading.Event
    status: list[cp_model.CpSolverStatus] = field(default_factory=list)
    live_bound: list[float] = field(default_factory=list)
    blocks: list[int] = field(default_factory=list)  # the block bound, once proven
    halt: threading.Event = field(default_factory=threading.Event)
    proof: list[BlockBound] = field(default_factory=list)
    proven: threading.Event = field(default_factory=threading.Event)  # the blocks are in

    def settled(self, wait: float, search: _Search) -> list[tuple[np.ndarray, int]] | None:
        """The blocks at their least, for the search to steer by; waits up to ``wait``
        seconds for the block bound (None when it is not in by then, or proved none)."""
        until = time.monotonic() + wait
        while not self.proven.wait(0.05):
            if time.monotonic() >= until or search.stop.is_set():
                return None
        return self.proof[0].blocks if self.proof else []


# On the search path the first term gets this share of the time (at least): it matters
# most, and on large scenarios the later terms move little in the seconds they get.
SEARCH_FIRST_TERM_SHARE = 0.85
# Seconds that must be left after the first stage for the whole model to be built for the
# later ones (above ``strong_bound_pairs``): building it takes several seconds at company
# size, and in fewer its bounds on the later terms stay at 0.
LATE_MODEL_SECONDS = 30.0


def _search_stages(
    instance: Instance, taken: np.ndarray, options: SolveOptions, search: _Search, deadline: float
):
    # Above ``bound_model_pairs`` the whole model would not fit in memory: the search runs
    # alone and the stages report no proven bound beyond the blocks'. Above
    # ``strong_bound_pairs`` the first stage does not run the whole model (its bound is the
    # blocks'), so the model is built only when a later stage needs it: building it takes
    # seconds of the first stage's time at company size.
    with_model = instance.num_pairs <= options.bound_model_pairs
    late_model = instance.num_pairs > options.strong_bound_pairs
    rota = RotaModel(instance) if with_model and not late_model else None
    terms = _terms_to_optimise(rota) if rota is not None else _terms_in_play(instance)
    threads = 1 if with_model else options.threads
    neighbourhoods = NeighbourhoodSearch(instance, taken, workers=threads, seed=options.seed)
    stages: list[StageReport] = []
    # Every term of the plan, recomputed from its assignments once per stage: checking
    # a province's plan takes seconds.
    values = _terms_of(instance, neighbourhoods.taken)
    for index, term in enumerate(terms):
        budget = _search_budget(options, index, len(terms), deadline)
        if search.interrupted or budget <= 0.05:
            break
        if (
            rota is None
            and with_model
            and (term != "unmet" or index > 0)
            and deadline - time.monotonic() >= LATE_MODEL_SECONDS
        ):
            rota = RotaModel(instance)
            for held in stages:
                if held.value is not None and not _constant(rota, held.term):
                    rota.model.add(rota.terms[held.term] <= held.value)
            budget = _search_budget(options, index, len(terms), deadline)
        if rota is not None and _constant(rota, term):
            continue  # no plan changes it
        if options.progress is not None:
            options.progress.stage_started(term, index, len(terms), budget)
        neighbourhoods.hold(terms[:index])
        if term == "attendances":
            # The stage starts from the plan less its surplus, dropped without a solve.
            neighbourhoods.taken = drop_surplus(instance, neighbourhoods.taken)
            values = {**values, term: int(neighbourhoods.taken.sum())}
        report, values = _search_stage(
            rota, neighbourhoods, term, values[term], budget, options, search
        )
        stages.append(report)
        if options.progress is not None:
            options.progress.stage_finished(report)
        if rota is not None and report.value is not None:
            # Hold this term where it got, so no later stage can trade it away.
            rota.model.add(rota.terms[term] <= report.value)
    return (
        stages,
        neighbourhoods.taken,
        [t for t in terms if rota is None or not _constant(rota, t)],
    )


def _constant(rota: RotaModel, term: str) -> bool:
    return isinstance(rota.terms[term], (int, float))


def _search_budget(options: SolveOptions, index: int, count: int, deadline: float) -> float:
    """The stage's share of the time left: the first term at least
    ``SEARCH_FIRST_TERM_SHARE`` of it, then even shares; a stage that ends early (its
    plan reaches the bound) leaves its time to the next."""
    remaining = max(0.0, deadline - time.monotonic())
    if index == 0 and count > 1:
        return remaining * max(options.first_term_share, SEARCH_FIRST_TERM_SHARE)
    return remaining / (count - index)


def _terms_in_play(instance: Instance) -> list[str]:
    """The terms a plan can change, read from the instance (when no whole model is built)."""
    scenario = instance.scenario
    sessions = {int(s) for s in np.unique(instance.pair_session)}
    in_play = {
        "unmet": any(w.need > 0 for w in instance.windows),
        "changes": scenario.previous is not None,
        "imbalance": any(r.balance for r in scenario.requirements),
        "attendances": instance.num_pairs > 0,
        "cost": any(
            scenario.sessions[s].seat_cost or scenario.sessions[s].fixed_cost for s in sessions
        ),
        "avoid": any(m.avoid for m in scenario.members),
    }
    return [term for term in scenario.objective if in_play[term]]


def _search_stage(
    rota: RotaModel | None,
    neighbourhoods: NeighbourhoodSearch,
    term: str,
    value: int,
    budget: float,
    options: SolveOptions,
    search: _Search,
) -> tuple[StageReport, dict[str, int]]:
    """Search neighbourhoods while the whole model proves a bound, until the budget is spent
    or the bound meets the plan; ``value`` is the term's value at the start. Returns the
    stage's report and every term of the plan it leaves."""
    started = time.monotonic()
    instance = neighbourhoods.instance
    if rota is not None:
        rota.model.clear_objective()
        rota.model.minimize(rota.terms[term])
        rota.hint(neighbourhoods.taken)
    bound_run = _start_bound(rota, term, neighbourhoods, budget, options, search)
    neighbourhoods.workers = max(1, options.threads - (bound_run is not None))

    def improved(delta: int) -> None:
        nonlocal value
        value -= delta
        if options.progress is not None:
            bound = _bound_of(bound_run) if bound_run is not None else None
            options.progress.improved(term, value, bound, time.monotonic() - started)

    def between_moves() -> bool:
        """Whether the stage is over; the search gets every thread once the bound is in."""
        if search.stop.is_set():
            return True
        if bound_run is None:
            return False
        if bound_run.done.is_set():
            neighbourhoods.workers = options.threads
        if bound_run.status and bound_run.status[0] in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
            return True
        bound = _bound_of(bound_run)
        return bound is not None and value <= bound

    if options.progress is not None:
        options.progress.improved(term, value, None, 0.0)
    blocks = None
    if bound_run is not None and term == "unmet":

        def blocks(wait: float):
            return bound_run.settled(wait, search)

    try:
        neighbourhoods.run(
            term, started + budget, on_improve=improved, stop=between_moves, blocks=blocks
        )
    except KeyboardInterrupt:
        search.interrupt()
    bound = None
    if bound_run is not None:
        bound_run.halt.set()
        # Asked again until the thread ends: a whole-model solve that started just after
        # the first request would not have heard it.
        while not bound_run.done.wait(0.05):
            bound_run.solver.stop_search()
        if bound_run.solver in search.running:
            search.running.remove(bound_run.solver)
        if rota is not None:
            _adopt_if_better(rota, bound_run, neighbourhoods, value)
        bound = _bound_of(bound_run)
    values = _terms_of(instance, neighbourhoods.taken)
    reached = values[term]
    report = StageReport(
        term=term,
        status=Status.OPTIMAL if bound is not None and reached <= bound else Status.FEASIBLE,
        value=reached,
        bound=None if bound is None else min(max(bound, 0), reached),
        seconds=time.monotonic() - started,
    )
    return report, values


def _start_bound(
    rota: RotaModel | None,
    term: str,
    neighbourhoods: NeighbourhoodSearch,
    budget: float,
    options: SolveOptions,
    search: _Search,
) -> _BoundRun | None:
    """Prove the stage's bound in a thread: for ``unmet`` block by block first (see
    ``solver.bound``), then on the whole model when there is one."""
    blocks = term == "unmet"
    if blocks and rota is not None and rota.instance.num_pairs > options.strong_bound_pairs:
        # Without the full linearisation the whole model proves far less than the blocks
        # do (a window that needs one completion is a clause, out of its LP), and its
        # thread is worth more to the search.
        rota = None
    if rota is None and not blocks:
        return None
    solver = _solver(budget, max(1, options.threads - 1), options.seed)
    if rota is not None and rota.instance.num_pairs <= options.strong_bound_pairs:
        # The full linear relaxation proves much better bounds; on large models its root
        # takes longer than a stage, so there the default relaxation is used.
        solver.parameters.linearization_level = 2
    done = threading.Event()
    run = _BoundRun(solver, threading.Thread(), done)
    # The bound as CP-SAT proves it, for the live display while the search runs.
    solver.best_bound_callback = run.live_bound.append
    deadline = time.monotonic() + budget
    short = neighbourhoods.weighted_shortfalls() if blocks else None

    def halted() -> bool:
        return run.halt.is_set() or search.stop.is_set()

    def work() -> None:
        try:
            if short is not None:
                proof = block_bound(neighbourhoods.instance, short, deadline, stop=halted)
                run.blocks.append(proof.value)
                # Blocks already at their least are no place for moves: measured on the
                # shipped company, 433 after 30 s of search instead of 473-479. The
                # search takes them at a fixed move (``NeighbourhoodSearch.run``).
                run.proof.append(proof)
                run.proven.set()
            if rota is not None and not halted() and time.monotonic() < deadline - 0.1:
                solver.parameters.max_time_in_seconds = deadline - time.monotonic()
                run.status.append(solver.solve(rota.model))
        finally:
            run.proven.set()
            done.set()

    run.thread = threading.Thread(target=work, daemon=True)
    search.running.append(solver)
    run.thread.start()
    return run


def _bound_of(run: _BoundRun) -> int | None:
    """The best bound proven so far (the blocks' or the whole model's), or None."""
    bounds = list(run.blocks)
    finished = run.done.is_set() and bool(run.status)
    if finished and run.status[0] != cp_model.INFEASIBLE:
        # Stopped before a plan of its own, CP-SAT still reports the bound it has proven.
        bounds.append(int(np.ceil(run.solver.best_objective_bound - 1e-6)))
    elif not finished and run.live_bound:
        bounds.append(int(np.ceil(max(run.live_bound) - 1e-6)))
    return max(bounds) if bounds else None


def _adopt_if_better(
    rota: RotaModel, run: _BoundRun, neighbourhoods: NeighbourhoodSearch, current: int
) -> None:
    """The whole model sometimes finds a better plan than the search (whose term is at
    ``current``): take it then."""
    if not run.status or run.status[0] not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return
    if round(run.solver.objective_value) < current:
        solution = run.solver.response_proto.solution
        taken = neighbourhoods.taken.copy()
        for p, var in rota.vars.attend.items():
            taken[p] = bool(solution[var.index])
        neighbourhoods.taken = taken


def _start_pairs(instance: Instance, start: list[tuple[str, str]] | None) -> list[int]:
    """The pair indices of a starting plan; assignments the scenario cannot pair are left out."""
    if not start:
        return []
    scenario = instance.scenario
    member_index = {m.id: i for i, m in enumerate(scenario.members)}
    session_index = {s.id: i for i, s in enumerate(scenario.sessions)}
    index = instance.pair_index()
    keys = ((member_index.get(m, -1), session_index.get(s, -1)) for m, s in dict.fromkeys(start))
    return [index[key] for key in keys if key in index]


def _terms_of(instance: Instance, taken: np.ndarray) -> dict[str, int]:
    return plan_terms(instance.scenario, _pairs(instance, taken))


def _pairs(instance: Instance, taken: np.ndarray) -> list[tuple[str, str]]:
    scenario = instance.scenario
    return [
        (
            scenario.members[int(instance.pair_member[p])].id,
            scenario.sessions[int(instance.pair_session[p])].id,
        )
        for p in np.flatnonzero(taken)
    ]


# -- the plan ---------------------------------------------------------------------------------


def _plan_from(
    instance: Instance,
    stages: list[StageReport],
    taken: np.ndarray | None,
    complete: bool,
    search: _Search,
    options: SolveOptions,
) -> Plan:
    scenario = instance.scenario
    settings = {"time_limit": options.time_limit, "workers": options.workers, "seed": options.seed}
    if taken is None:
        from .explain.conflicts import find_conflicts  # only an infeasible scenario needs it

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
            stages,
            interrupted=search.interrupted,
            conflicts=find_conflicts(scenario, options) if status == Status.INFEASIBLE else [],
            settings=settings,
        )
    # No plan leaves with over-training in it, however its search ended.
    taken = drop_surplus(instance, taken)
    pairs = _pairs(instance, taken)
    report = check_plan(scenario, pairs)
    if not report.ok:
        broken = "; ".join(str(v) for v in report.violations[:5])
        raise SolveError(f"the engine's plan breaks {len(report.violations)} rule(s): {broken}")
    proven = complete and not search.interrupted and all(s.status == Status.OPTIMAL for s in stages)
    bound = next((s.bound for s in stages if s.status != Status.OPTIMAL), None)
    unmet = explain_unmet(scenario, pairs, report.unmet, proven=proven)
    return Plan(
        scenario,
        Status.OPTIMAL if proven else Status.FEASIBLE,
        pairs,
        report.objective,
        bound,
        stages,
        unmet=unmet,
        interrupted=search.interrupted,
        settings=settings,
        surplus=report.surplus,
        term_bounds=term_bounds(instance, report.objective, stages, options.time_limit),
    )
