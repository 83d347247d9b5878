"""The search path, stage by stage: neighbourhood search improves the plan while the whole
model (when it fits) proves a bound beside it; see ``solver.engine.search``."""

from __future__ import annotations

import time

import numpy as np
from ortools.sat.python import cp_model

from .bound_run import adopt_if_better, bound_of, end_bound, start_bound
from .finish import terms_of
from .instance import Instance
from .lean import drop_surplus
from .model import RotaModel
from .options import SolveOptions
from .result import StageReport, Status
from .search import NeighbourhoodSearch
from .stop import StopFlag
from .whole_stages import terms_to_optimise


def search_stages(
    instance: Instance, taken: np.ndarray, options: SolveOptions, flag: StopFlag, deadline: float
):
    # Above ``bound_model_pairs`` the whole model would not fit in memory: the search runs
    # alone and the stages report no proven bound beyond the blocks'. Above
    # ``strong_bound_pairs`` the first stage does not run the whole model (its bound is the
    # blocks'), so the model is built only when a later stage needs it: building it takes
    # seconds of the first stage's time at company size.
    with_model = instance.num_pairs <= options.settings.bound_model_pairs
    late_model = instance.num_pairs > options.settings.strong_bound_pairs
    rota = RotaModel(instance) if with_model and not late_model else None
    terms = terms_to_optimise(rota) if rota is not None else _terms_in_play(instance)
    # One CP-SAT worker per move (``NeighbourhoodSearch``), whatever ``--workers`` says:
    # the second core builds the next move and proves the bound.
    neighbourhoods = NeighbourhoodSearch(
        instance, taken, seed=options.seed, settings=options.settings
    )
    stages: list[StageReport] = []
    # Every term of the plan, recomputed from its assignments once per stage: checking
    # a province's plan takes seconds.
    values = terms_of(instance, neighbourhoods.taken)
    for index, term in enumerate(terms):
        budget = _search_budget(options, index, len(terms), deadline)
        if flag.interrupted or budget <= 0.05:
            break
        if (
            rota is None
            and with_model
            and (term != "unmet" or index > 0)
            and deadline - time.monotonic() >= options.settings.late_model_seconds
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
            rota, neighbourhoods, term, values[term], budget, options, flag
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
    ``search_first_term_share`` of it, then even shares; a stage that ends early (its
    plan reaches the bound) leaves its time to the next."""
    remaining = max(0.0, deadline - time.monotonic())
    if index == 0 and count > 1:
        knobs = options.settings
        return remaining * max(knobs.first_term_share, knobs.search_first_term_share)
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
    flag: StopFlag,
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
    bound_run = start_bound(rota, term, neighbourhoods, budget, options, flag)

    def improved(delta: int) -> None:
        nonlocal value
        value -= delta
        if options.progress is not None:
            bound = bound_of(bound_run) if bound_run is not None else None
            options.progress.improved(term, value, bound, time.monotonic() - started)

    def between_moves() -> bool:
        """Whether the stage is over: stopped, or the bound proven or met."""
        if flag.stop.is_set():
            return True
        if bound_run is None:
            return False
        if bound_run.status and bound_run.status[0] in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
            return True
        bound = bound_of(bound_run)
        return bound is not None and value <= bound

    if options.progress is not None:
        options.progress.improved(term, value, None, 0.0)
    blocks = None
    if bound_run is not None and term == "unmet":

        def blocks(wait: float):
            return bound_run.settled(wait, flag)

    try:
        neighbourhoods.run(
            term, started + budget, on_improve=improved, stop=between_moves, blocks=blocks
        )
    except KeyboardInterrupt:
        flag.interrupt()
    finally:
        # Also on a fault (a progress receiver's, say): the bound's thread and child
        # process end with the stage.
        if bound_run is not None:
            end_bound(bound_run, flag)
    bound = None
    if bound_run is not None:
        if rota is not None:
            adopt_if_better(rota, bound_run, neighbourhoods, value)
        bound = bound_of(bound_run)
    values = terms_of(instance, neighbourhoods.taken)
    reached = values[term]
    report = StageReport(
        term=term,
        status=Status.OPTIMAL if bound is not None and reached <= bound else Status.FEASIBLE,
        value=reached,
        bound=None if bound is None else min(max(bound, 0), reached),
        seconds=time.monotonic() - started,
    )
    return report, values
