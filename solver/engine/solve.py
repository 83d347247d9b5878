"""The lexicographic solve: one stage per objective term, most important first.

Each stage minimises its term with every earlier term held at the value it reached, and
starts from the plan the previous stage left, so an earlier term is never traded for a
later one and no stage starts from nothing. The first plan comes from a fast construction.

Small scenarios are solved on the whole CP-SAT model, which proves optimality. Large ones
are improved by a neighbourhood search of small exact models while the whole model runs
beside it to prove a bound; see ``solver.engine.search``.
"""

from __future__ import annotations

import time

import numpy as np

from checker import check_plan
from models import Scenario

from .constructor import construct
from .finish import finished_plan, plan_pairs, start_pairs
from .instance_build import build_instance
from .options import SolveOptions
from .result import Plan
from .search_stages import search_stages
from .stop import StopFlag, stop_on_ctrl_c
from .term_bounds import bound_seconds
from .whole_stages import whole_model_stages


def make_plan(scenario: Scenario, options: SolveOptions | None = None, **settings: object) -> Plan:
    """The best plan the time allows, with every rule of SPEC.md holding.

    Its unmet windows carry no reasons and, with no plan, it names no conflicts: the public
    ``solver.solve`` runs this, then the explanation.

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
    flag = StopFlag()
    with stop_on_ctrl_c(flag):
        instance = build_instance(scenario)
        indexing = time.monotonic() - started
        keep = sorted(instance.previous_pairs.values()) + start_pairs(instance, options.start)
        taken = np.zeros(instance.num_pairs, dtype=bool)
        scarcity = instance.num_pairs > options.settings.scarce_first_pairs
        taken[construct(instance, keep=keep, scarcity=scarcity)] = True
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
        first_ok = not scenario.pinned or check_plan(scenario, plan_pairs(instance, taken)).ok
        whole = (
            scenario.strict
            or instance.num_pairs <= options.settings.search_above_pairs
            or not first_ok
        )
        if whole:
            stages, decided, terms = whole_model_stages(instance, taken, options, flag, deadline)
        else:
            stages, decided, terms = search_stages(instance, taken, options, flag, deadline)
        if decided is None and first_ok and not scenario.strict:
            # Stopped, or out of time, before any stage found a plan: the first plan holds
            # every rule and is the best there is.
            decided = taken
    complete = len(stages) == len(terms)
    plan = finished_plan(instance, stages, decided, complete, flag, options)
    plan.build_seconds = first_plan
    plan.seconds = time.monotonic() - started
    return plan
