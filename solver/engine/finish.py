"""The plan a solve returns: its surplus dropped, checked by the independent checker, its
terms and bounds; and the pairs of a plan by the ids a planner knows."""

from __future__ import annotations

import numpy as np

from checker import check_plan, plan_terms

from .instance import Instance
from .lean import drop_surplus
from .options import SolveError, SolveOptions
from .result import Plan, StageReport, Status, Unmet
from .stop import StopFlag
from .term_bounds import term_bounds


def start_pairs(instance: Instance, start: list[tuple[str, str]] | None) -> list[int]:
    """The pair indices of a starting plan; assignments the scenario cannot pair are left out."""
    if not start:
        return []
    scenario = instance.scenario
    member_index = {m.id: i for i, m in enumerate(scenario.members)}
    session_index = {s.id: i for i, s in enumerate(scenario.sessions)}
    index = instance.pair_index()
    keys = ((member_index.get(m, -1), session_index.get(s, -1)) for m, s in dict.fromkeys(start))
    return [index[key] for key in keys if key in index]


def terms_of(instance: Instance, taken: np.ndarray) -> dict[str, int]:
    """Every term of the plan of ``taken``, as the checker computes it."""
    return plan_terms(instance.scenario, plan_pairs(instance, taken))


def plan_pairs(instance: Instance, taken: np.ndarray) -> list[tuple[str, str]]:
    """The ``(member_id, session_id)`` assignments of the pairs ``taken`` marks."""
    scenario = instance.scenario
    return [
        (
            scenario.members[int(instance.pair_member[p])].id,
            scenario.sessions[int(instance.pair_session[p])].id,
        )
        for p in np.flatnonzero(taken)
    ]


def finished_plan(
    instance: Instance,
    stages: list[StageReport],
    taken: np.ndarray | None,
    complete: bool,
    flag: StopFlag,
    options: SolveOptions,
) -> Plan:
    """The plan of the stages' ``taken`` pairs, or a plan-less answer when there are none.

    The plan's unmet windows carry no reason and an infeasible answer no conflicts: the
    public ``solver.solve`` adds them, so that the engine imports no explanation.

    Raises
    ------
    SolveError
        When the plan breaks a rule: a defect of the engine, never shown as a plan.
    """
    scenario = instance.scenario
    settings = {"time_limit": options.time_limit, "workers": options.workers, "seed": options.seed}
    if taken is None:
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
            interrupted=flag.interrupted,
            settings=settings,
        )
    # No plan leaves with over-training in it, however its search ended.
    taken = drop_surplus(instance, taken)
    pairs = plan_pairs(instance, taken)
    report = check_plan(scenario, pairs)
    if not report.ok:
        broken = "; ".join(str(v) for v in report.violations[:5])
        raise SolveError(f"the engine's plan breaks {len(report.violations)} rule(s): {broken}")
    proven = complete and not flag.interrupted and all(s.status == Status.OPTIMAL for s in stages)
    bound = next((s.bound for s in stages if s.status != Status.OPTIMAL), None)
    # The windows as the checker finds them; their reasons are the explanation's to give.
    unmet = [
        Unmet(w.member, w.requirement, w.window_start, w.window_end, w.shortfall, "", w.weight)
        for w in report.unmet
    ]
    return Plan(
        scenario,
        Status.OPTIMAL if proven else Status.FEASIBLE,
        pairs,
        report.objective,
        bound,
        stages,
        unmet=unmet,
        interrupted=flag.interrupted,
        settings=settings,
        surplus=report.surplus,
        term_bounds=term_bounds(
            instance,
            report.objective,
            stages,
            options.time_limit,
            options.settings.profile_seconds,
        ),
    )
