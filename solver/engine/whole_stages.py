"""The whole model, stage by stage: each stage minimises its term on the whole CP-SAT model
with every earlier term held where it got."""

from __future__ import annotations

import time

import numpy as np
from ortools.sat.python import cp_model

from .balance_counts import pin_first_completions
from .instance import Instance
from .model import RotaModel
from .options import Progress, SolveOptions
from .result import StageReport, Status
from .stop import StopFlag, new_solver, run_solver, seconds_run
from .whole_model import (
    FEWER_IS_LOWER,
    complete_hint,
    hint,
    kept_pairs_model,
    repeatable_plan,
    set_parameters,
)

_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.UNKNOWN: Status.UNKNOWN,
}


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


def _budget(options: SolveOptions, index: int, count: int, deadline: float) -> float:
    remaining = max(0.0, deadline - time.monotonic())
    knobs = options.settings
    if index == count - 1:
        share = 1.0
    elif index == 0:
        share = knobs.first_term_share
    else:
        share = knobs.later_term_share or 1 / (count - index)
    return remaining * share


def terms_to_optimise(rota: RotaModel) -> list[str]:
    scenario = rota.instance.scenario
    return [t for t in scenario.objective if not isinstance(rota.terms[t], (int, float))]


def whole_model_stages(
    instance: Instance, taken: np.ndarray, options: SolveOptions, flag: StopFlag, deadline: float
):
    rota = RotaModel(instance)
    if instance.scenario.strict:
        rota.model.add(rota.terms["unmet"] == 0)
    terms = terms_to_optimise(rota)
    run = _Stages(rota, terms, taken, options, flag, deadline)
    if not run.from_stage(0):
        return run.stages, None, terms
    run.revisit()
    solution = run.solution
    if not terms:
        report, solution, _ = _stage(
            rota, None, max(1.0, deadline - time.monotonic()), options, flag
        )
        if solution is None:
            run.stages.append(report)
    if solution is None:
        return run.stages, None, terms
    knobs = options.settings
    if _needs_repeating(run.stages, terms, options, flag):
        remaining = deadline - time.monotonic()
        repeated = (
            repeatable_plan(rota, options.seed, knobs, remaining, flag) if remaining > 0 else None
        )
        solution = repeated or solution
    decided = np.zeros(instance.num_pairs, dtype=bool)
    rota.decide(decided, lambda var: solution[var.index])
    return run.stages, decided, terms


class _Stages:
    """The stages on one whole model: each term minimised with the earlier ones held."""

    def __init__(
        self,
        rota: RotaModel,
        terms: list[str],
        taken: np.ndarray,
        options: SolveOptions,
        flag: StopFlag,
        deadline: float,
    ):
        self.rota, self.terms, self.taken = rota, terms, taken
        self.options, self.flag, self.deadline = options, flag, deadline
        self.knobs = options.settings
        self.stages: list[StageReport] = []
        self.solution: list[int] | None = None
        # The constraints that hold each stage's term at most where it got, by stage.
        self.holds: dict[int, int] = {}
        # ``held``: the solve whose plan a stage keeps when it finds none better in its
        # time: the first plan's, when it keeps every rule of the model, then each stage's.
        # Unhinted, the first stage needs the first plan completed only when it proves no
        # optimum.
        self.held: cp_model.CpSolver | None = None
        if self.knobs.hint_first_stage:
            values, self.held = complete_hint(
                rota, taken, options.seed, self.knobs.complete_hint_seconds
            )
            if values is None:
                rota.hint(taken)
            else:
                hint(rota.model, values)

    def from_stage(self, first: int) -> bool:
        """Run the stages from ``first`` on; False when the first stage found no plan."""
        del self.stages[first:]
        for index in range(first, len(self.terms)):
            if self.flag.interrupted:
                break
            if not self._run_stage(index):  # no plan, or no time left
                break
        return self.solution is not None

    def _run_stage(self, index: int, share: float | None = None) -> bool | None:
        """Stage ``index``: its term minimised with the earlier ones held, its report
        appended; ``share`` of the time left, or its share by ``_budget``. False when it
        found no plan (nor kept one); None when no time is left."""
        rota, options, flag, knobs = self.rota, self.options, self.flag, self.knobs
        term = self.terms[index]
        budget = _budget(options, index, len(self.terms), self.deadline)
        if share is not None:
            budget = share * max(0.0, self.deadline - time.monotonic())
        if self.solution is not None and budget <= 0:
            return None
        budget = max(
            budget,
            knobs.first_stage_seconds if self.solution is None else knobs.later_stage_seconds,
        )
        if options.progress is not None:
            options.progress.stage_started(term, index, len(self.terms), budget)
        budget = self._prepare(term, budget)
        report, values, solver = _stage(rota, term, budget, options, flag)
        # (Interrupted, the solve falls back on the first plan by itself.)
        unproven = report.status != Status.OPTIMAL and not flag.interrupted
        if self.solution is None and self.held is None and unproven:
            _, self.held = complete_hint(
                rota, self.taken, options.seed, knobs.complete_hint_seconds
            )
        held = self.held
        kept = None if held is None else round(held.value(rota.terms[term]))
        if held is not None and kept is not None and (values is None or (report.value or 0) > kept):
            # Out of time before a plan of its own (a stage's presolve can take its whole
            # share), or, unhinted, before a plan as good as the one it got: the stage
            # keeps that one, which holds every rule. Its proven bound still holds.
            values, solver = list(held.response_proto.solution), held
            report.status = Status.OPTIMAL if report.bound == kept else Status.FEASIBLE
            report.value = kept
        self.stages.append(report)
        if options.progress is not None:
            options.progress.stage_finished(report)
        if values is None:
            return False
        self.solution, self.held = values, solver
        hint(rota.model, values)
        # Hold this term where it got, so no later stage can trade it away; and tell the
        # later stages what this one proved, so their relaxation starts from it.
        self._hold(index, round(solver.value(rota.terms[term])))
        if report.bound:
            rota.model.add(rota.terms[term] >= report.bound)
        return True

    def _hold(self, index: int, value: int) -> None:
        self.holds[index] = self.rota.model.add(self.rota.terms[self.terms[index]] <= value).index

    def _prepare(self, term: str, budget: float) -> float:
        """What a later stage does before its search: pin the first completions for
        ``imbalance``; start from the plan's own pairs for the terms fewer pairs never
        raise. Returns the budget left for the search."""
        if self.solution is None:
            return budget
        rota, options, knobs = self.rota, self.options, self.knobs
        if term == "imbalance":
            # Pins the first completions down, and with them the least imbalance.
            spent = time.monotonic()
            pin_first_completions(
                rota, budget * knobs.balance_share, options.threads, options.seed, knobs, self.flag
            )
            budget = max(budget - (time.monotonic() - spent), knobs.later_stage_seconds)
        if term in FEWER_IS_LOWER:
            kept_plan, spent = _best_of_kept_pairs(
                rota, term, self.solution, budget * knobs.kept_pairs_share, options, self.flag
            )
            budget = max(budget - spent, knobs.later_stage_seconds)
            self.held = kept_plan or self.held
            _start_later_stage(rota, term, self.held)
        return budget

    def revisit(self) -> None:
        """Give the time the last stages did not use back to the first stage left
        unproven: its term again, and when it gains, every stage after it, which may trade
        their terms anew for the better one. Repeated while time is left and some stage
        is left unproven that has not been revisited in vain.

        Each later stage but the last gets a share of the time left (``_budget``), so a
        last stage proven early leaves time unused; on units of 150 members a cost stage
        stopped at 3.5 s, 15 % above its bound, with 2 s of the 10 unused. The revisited
        stage gets half the time left, the stages after it the rest.
        """
        knobs = self.knobs
        # Stages revisited without a gain nor a proof: run again, they would start over
        # from the same plan, so the time goes to the next one left unproven.
        stalled: set[int] = set()
        for _ in range(knobs.revisits):
            if self.flag.interrupted or self.deadline - time.monotonic() < knobs.revisit_seconds:
                return
            unproven = [
                i
                for i, s in enumerate(self.stages)
                if s.status != Status.OPTIMAL and i not in stalled
            ]
            if not unproven or len(self.stages) < len(self.terms):
                return
            first = unproven[0]
            before, plan, held = self.stages[first:], self.solution, self.held
            for index in range(first + 1, len(self.terms)):
                # The later terms were held for this one's old value; they may move.
                _release(self.rota, self.holds.pop(index))
            del self.stages[first:]
            # Half the time left: the other half for the stages after it, should it gain.
            found = self._run_stage(first, share=0.5 if first < len(self.terms) - 1 else 1.0)
            if not found:
                self.stages[first:] = before
                return
            again = self.stages[first]
            _keep_bound(again, before[0])
            if again.value == before[0].value:
                # No better plan: the plan and the later stages stand as they were. The
                # next revisit goes to the next stage left unproven.
                self.solution, self.held = plan, held
                if plan is not None:
                    hint(self.rota.model, plan)
                self.stages[first + 1 :] = before[1:]
                for index, report in enumerate(before[1:], start=first + 1):
                    if report.value is not None:
                        self._hold(index, report.value)
                if again.status != Status.OPTIMAL:
                    stalled.add(first)
                continue
            stalled = {i for i in stalled if i < first}
            self.from_stage(first + 1)
            for report, old in zip(self.stages[first + 1 :], before[1:], strict=False):
                _keep_bound(report, old)


def _keep_bound(report: StageReport, earlier: StageReport) -> None:
    """A stage run again keeps the bound its earlier run proved (the earlier terms are
    held no higher than then, so it still holds) when that is the higher one."""
    if earlier.bound is not None and (report.bound is None or earlier.bound > report.bound):
        report.bound = earlier.bound
    if report.value is not None and report.value == report.bound:
        report.status = Status.OPTIMAL


def _release(rota: RotaModel, constraint: int) -> None:
    """Lift a hold: its linear constraint may take any value."""
    domain = rota.model.proto.constraints[constraint].linear.domain
    domain[0] = cp_model.INT_MIN
    domain[1] = cp_model.INT_MAX


def _needs_repeating(
    stages: list[StageReport], terms: list[str], options: SolveOptions, flag: StopFlag
) -> bool:
    """Whether the stages' plan came from free-running workers and every term is proven:
    then one worker finds a plan of the same terms that every run finds alike."""
    knobs = options.settings
    parallel = options.threads > 1 and not knobs.interleave_search
    proven = len(stages) == len(terms) > 0 and all(s.status == Status.OPTIMAL for s in stages)
    return parallel and proven and knobs.repeatable_work > 0 and not flag.interrupted


def _best_of_kept_pairs(
    rota: RotaModel,
    term: str,
    solution: list[int],
    budget: float,
    options: SolveOptions,
    flag: StopFlag,
) -> tuple[cp_model.CpSolver | None, float]:
    """The best plan for ``term`` among the pairs ``solution`` takes (its solve, or None
    when it found none), and the seconds that took.

    The plan before a later stage often trains many beyond need; the model of its pairs
    only is small and usually solved to optimality in a fraction of the budget. Its
    solution is one of the whole model (the same variables, fewer pairs free).
    """
    kept = kept_pairs_model(rota, solution)
    kept.clear_objective()
    kept.minimize(rota.terms[term])
    solver = new_solver(budget, 1, options.seed)
    solver.parameters.linearization_level = 2
    found = run_solver(solver, kept, None, flag) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return (solver if found else None), seconds_run(solver)


def _start_later_stage(rota: RotaModel, term: str, held: cp_model.CpSolver | None) -> None:
    """Set the stage for ``term`` off from ``held``, the plan it keeps when it finds none
    better: hinted with it, and held at or below its value, which prunes from the start
    what a hint alone leaves to the search.
    """
    if held is None:
        return
    hint(rota.model, list(held.response_proto.solution))
    rota.model.add(rota.terms[term] <= round(held.value(rota.terms[term])))


def _stage(rota: RotaModel, term: str | None, budget: float, options: SolveOptions, flag: StopFlag):
    model = rota.model
    model.clear_objective()
    if term is not None:
        model.minimize(rota.terms[term])
    solver = new_solver(budget, options.threads, options.seed)
    set_parameters(solver, rota.instance.num_pairs, options.threads, options.settings, term)
    watcher = _Watcher(term or "feasibility", options.progress, time.monotonic())
    status = run_solver(solver, model, watcher, flag)
    stage_status = _STATUS.get(status, Status.UNKNOWN)
    values = value = bound = None
    if stage_status in (Status.OPTIMAL, Status.FEASIBLE):
        values = list(solver.response_proto.solution)
        if term is not None:
            value = round(solver.objective_value)
            bound = round(solver.best_objective_bound) if stage_status == Status.FEASIBLE else value
    elif stage_status == Status.UNKNOWN and term is not None and not flag.interrupted:
        # No plan in time, but what CP-SAT proved still holds (the stage may keep the plan
        # it got; see ``whole_model_stages``).
        bound = max(0, int(np.ceil(solver.best_objective_bound - 1e-6)))
    report = StageReport(
        term=term or "feasibility",
        status=stage_status,
        value=value,
        bound=bound,
        seconds=seconds_run(solver),
        solutions=watcher.solutions,
    )
    return report, values, solver
