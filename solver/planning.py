"""The public solve: the engine's plan, then its explanation.

The engine (``solver.engine``) imports no explanation: it returns the plan with its unmet
windows left without reasons, and an infeasible answer without conflicts. This module runs
the engine, then gives each unmet window its reason and an infeasible scenario its
conflicting rules, so that imports point one way, from the explanations to the engine.
"""

from __future__ import annotations

import time

from checker import UnmetWindow
from models import Scenario

from .engine import Plan, SolveOptions, Status, make_plan
from .explain.conflict_search import ConflictBudget
from .explain.conflicts import find_conflicts
from .explain.reasons import explain_unmet


def solve(scenario: Scenario, options: SolveOptions | None = None, **settings: object) -> Plan:
    """Solve a scenario: ``solver.engine.make_plan`` (the same arguments), then each unmet
    window's reason and, for a scenario with no plan, the rules that conflict."""
    options = options or SolveOptions(**settings)  # type: ignore[arg-type]
    plan = make_plan(scenario, options)
    started = time.monotonic()
    if plan.status == Status.INFEASIBLE:
        # The time limit is the whole solve's: the search for the conflicting rules gets
        # what the engine left of it (``ConflictBudget.within``).
        budget = ConflictBudget.within(options.time_limit - plan.seconds)
        plan.conflicts = find_conflicts(scenario, options, budget)
    elif plan.has_plan:
        windows = [
            UnmetWindow(
                u.member_id, u.requirement_id, u.window_start, u.window_end, u.shortfall, u.weight
            )
            for u in plan.unmet
        ]
        plan.unmet = explain_unmet(
            scenario, plan.pairs, windows, proven=plan.status == Status.OPTIMAL
        )
    plan.seconds += time.monotonic() - started
    return plan
