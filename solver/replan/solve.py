"""Re-planning from a date: derive the scenario, solve it, and report what changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from models import Scenario

from ..engine import Plan, SolveOptions
from ..planning import solve
from .compare import change_order, compare
from .derive import derive_scenario
from .inputs import Completion, SessionInfo
from .past import session_infos
from .report import ChangeReport


def replan(
    scenario: Scenario,
    previous_pairs: Iterable[tuple[str, str]],
    from_date: dt.date,
    completed: Iterable[Completion] | None = None,
    options: SolveOptions | None = None,
    *,
    previous_sessions: Mapping[str, SessionInfo] | None = None,
) -> tuple[Plan, ChangeReport]:
    """Re-plan from ``from_date`` with as few changes to the previous plan as the rules allow.

    Parameters
    ----------
    scenario
        The new scenario (new members, leavers, new categories, sessions cancelled or added).
    previous_pairs
        The published plan's ``(member_id, session_id)`` assignments.
    from_date
        Sessions starting before it happened (or were missed); the plan changes from it on.
    completed
        What the completed-sessions file says of past sessions; missed attendances are
        dropped and attended ones the plan did not have are added.
    options
        Time limit, workers and seed of the solve.
    previous_sessions
        Course and start of the previous plan's sessions (``read_previous_sessions``), for
        past sessions the new scenario no longer lists.

    Raises
    ------
    ScenarioError
        When the completed file names sessions the scenarios do not know, or sessions that
        start on or after ``from_date``.
    """
    previous = list(dict.fromkeys(previous_pairs))
    derived, report = derive_scenario(
        scenario, previous, from_date, list(completed or []), previous_sessions or {}
    )
    plan = solve(derived, options or SolveOptions())
    if plan.has_plan:
        infos = session_infos(scenario, previous_sessions or {})
        changes = report.changes + compare(derived.previous or [], plan.pairs, infos)
        report.changes = sorted(changes, key=change_order)
    return plan, report
