"""What the commands print of a scenario and of a checked plan, and the stream they print to.

Each function returns lines of text and prints nothing, so the command line decides where
they go and a test reads them as they are. This module loads no CP-SAT and no plan
writer: ``rotaplan validate`` and ``rotaplan check`` need neither.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any, ClassVar

from models.errors import EXIT_NO_PLAN, RotaplanError
from models.overview import overview

if TYPE_CHECKING:
    from checker import CheckReport, SurplusAudit
    from models import Scenario

# ``check`` names the courses with the most surplus assignments, at most this many.
SURPLUS_COURSES_SHOWN = 8


class NoPlanError(RotaplanError):
    """There is no plan, or none that holds every rule: exit code 1.

    Its lines, if any, go to standard error; a command raises it without lines when it has
    already printed why (``check``'s violations, ``batch``'s summary).
    """

    exit_code: ClassVar[int] = EXIT_NO_PLAN


def _count(number: int, noun: str) -> str:
    """``1 unit``, ``2 units``: a number with its noun, plural unless one."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def overview_lines(scenario: Scenario, source: str) -> list[str]:
    """What ``rotaplan validate`` shows of a loaded scenario, ending on its verdict.

    Parameters
    ----------
    scenario
        The loaded (and so valid) scenario.
    source
        What to call the scenario when it has no name: the file it was read from.
    """
    view = overview(scenario)
    lines = [
        f"{scenario.name or source}: horizon {scenario.horizon.start} to {scenario.horizon.end}"
    ]
    lines += ["", f"{len(scenario.members)} members by tier and category:"]
    tiers: dict[str, Counter[str]] = defaultdict(Counter)
    for (tier, category), members in view.members_by_tier_category.items():
        tiers[tier][category] = members
    for tier, categories in tiers.items():
        parts = ", ".join(f"{c} {n}" for c, n in sorted(categories.items()))
        lines.append(f"  {tier:<12} {sum(categories.values()):>6}  ({parts})")
    (unit_low, unit_high), (team_low, team_high) = view.members_per_unit, view.members_per_team
    lines += [
        "",
        f"{_count(view.units, 'unit')} ({unit_low}-{unit_high} members), "
        f"{_count(view.teams, 'team')} ({team_low}-{team_high} members)",
    ]
    lines += ["", f"{len(scenario.sessions)} sessions of {len(scenario.courses)} courses by year:"]
    years = sorted({year for year, _ in view.sessions_by_year_course})
    lines.append("  " + f"{'course':<24}" + "".join(f"{y:>7}" for y in years))
    for course in scenario.courses:
        sessions = [view.sessions_by_year_course.get((y, course.id), 0) for y in years]
        runs = "".join(f"{n:>7}" for n in sessions)
        lines.append(f"  {course.id:<24}{runs}  {course.label or ''}")
    lines += ["", f"{len(scenario.requirements)} requirements:"]
    for requirement in scenario.requirements:
        members, windows = view.requirement_reach[requirement.id]
        what = (
            f"{requirement.min_hours:g} hours"
            if requirement.min_hours is not None
            else f"{requirement.needed} of {', '.join(requirement.courses or [])}"
        )
        lines.append(
            f"  {requirement.id:<16} {what} per {requirement.window}: "
            f"{_count(members, 'member')}, {_count(windows, 'window')}"
        )
    return [*lines, "", "The scenario is valid."]


def check_lines(
    scenario: Scenario, report: CheckReport, assignments: int, limit: int = 200
) -> list[str]:
    """What ``rotaplan check`` prints: violations, the terms, the surplus, the verdict.

    Parameters
    ----------
    scenario
        The scenario the plan was checked against; its objective orders the terms.
    report
        The checker's report.
    assignments
        How many distinct assignments the plan has, for the verdict of a plan that holds.
    limit
        The most violations to print one by one.
    """
    lines = [f"VIOLATION {violation}" for violation in report.violations[:limit]]
    if len(report.violations) > limit:
        lines.append(f"... and {len(report.violations) - limit} more violations")
    terms = ", ".join(f"{term} {report.objective[term]}" for term in scenario.objective)
    others = [t for t in report.objective if t not in scenario.objective]
    if others:
        terms += " (not optimised: " + ", ".join(f"{t} {report.objective[t]}" for t in others) + ")"
    lines += [f"objective: {terms}", surplus_line(report.audit)]
    if report.violations:
        rules = Counter(v.rule for v in report.violations)
        lines.append(
            f"{_count(len(report.violations), 'violation')}: "
            + ", ".join(f"{r} {n}" for r, n in rules.most_common())
        )
    else:
        lines.append(f"every hard rule holds ({assignments} assignments)")
    return lines


def surplus_line(audit: SurplusAudit) -> str:
    """``check``'s over-training line: surplus assignments, by course, and jointly."""
    if not audit.count:
        return "surplus 0: every assignment serves a requirement or a rule"
    shown = list(audit.by_course.items())[:SURPLUS_COURSES_SHOWN]
    courses = ", ".join(f"{course} {n}" for course, n in shown)
    more = ", ..." if len(audit.by_course) > SURPLUS_COURSES_SHOWN else ""
    return (
        f"surplus {audit.count} (by course: {courses}{more}); "
        f"{audit.jointly} of them can be dropped together"
    )


class ReaderMayLeave:
    """Standard output that a reader may close early (``rotaplan solve ... | head``).

    The command goes on and finishes its work (the plan, its timetables, its report);
    only what it would still print goes nowhere.
    """

    def __init__(self, stream: Any):
        self._stream = stream

    def _gone(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except BrokenPipeError:
            self._gone()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._gone()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
