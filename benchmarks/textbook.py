"""The textbook formulation: the baseline rotaplan's engine is measured against.

One boolean per eligible member-session pair; every rule posted directly (pairwise
conflicts, a team cap on every day, every cap whether or not it can bind); the objective
terms minimised lexicographically like rotaplan's (unmet, then changes, imbalance,
attendances, ...), each stage holding the earlier terms at their values and starting from
the plan of the stage before as a hint (the first stage starts from nothing). It reads the
scenario through ``models`` only, with an eligibility of its own (SPEC.md's: audience,
presence, leave, blackouts), and shares no code with the engine.

``best_parameters(workers)`` are the CP-SAT parameters it is measured with: linearization
level 2 (every constraint in the LP relaxation) and, at one or two workers, where CP-SAT's
default portfolio runs no LP-based bound worker, subsolvers named explicitly.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from ortools.sat.python import cp_model

from models import Scenario, member_limits, presence, requirement_windows, team_rules
from models.dates import each_day

# Measured on tune-seed scenarios at a 10 s budget and two workers: the default portfolio
# (with or without linearization 2) and ["default_lp", "max_lp"] proved unmet >= 245 on an
# 80-member unit whose optimum is 515, and 115 on 300 tight-team members; "max_lp" first
# proved 515 (in 1.7 s with "quick_restart" beside it, 2.8 s with "objective_lb_search") and
# 315-319. CP-SAT runs the subsolvers in the order given, so the LP worker comes first.
SUBSOLVERS = {1: ["max_lp"], 2: ["max_lp", "quick_restart"]}


def best_parameters(workers: int) -> dict[str, Any]:
    """The textbook's CP-SAT parameters at ``workers`` workers."""
    parameters: dict[str, Any] = {"linearization_level": 2}
    if workers in SUBSOLVERS:
        parameters["subsolvers"] = SUBSOLVERS[workers]
    return parameters


def apply_parameters(solver: cp_model.CpSolver, parameters: dict[str, Any]) -> None:
    """Set ``parameters`` (as ``best_parameters`` gives them) on ``solver``."""
    for name, value in parameters.items():
        if isinstance(value, list):
            getattr(solver.parameters, name).extend(value)
        else:
            setattr(solver.parameters, name, value)


def eligible_pairs(scenario: Scenario) -> list[tuple[int, int]]:
    """(member index, session index) pairs SPEC.md allows: audience, presence, leave, blackout."""
    rules = team_rules(scenario)
    members = scenario.members
    here = [presence(scenario, member) for member in members]
    audiences: dict[tuple, list[int]] = {}
    pairs = []
    for s, session in enumerate(scenario.sessions):
        course = scenario.course_by_id[session.course]
        key = (course.audience, session.audience)
        if key not in audiences:
            audiences[key] = [
                m
                for m, member in enumerate(members)
                if course.audience.matches(member) and session.audience.matches(member)
            ]
        start, end = session.start, session.last_day
        for m in audiences[key]:
            span, member = here[m], members[m]
            if span is None or start < span.start or end > span.end:
                continue
            if any(r.touches(start, end) for r in member.unavailable):
                continue
            rule = rules.get(member.team)
            if course.away and rule is not None and rule.in_blackout(start, end):
                continue
            pairs.append((m, s))
    return pairs


class Textbook:
    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.model = cp_model.CpModel()
        self.x: dict[tuple[int, int], cp_model.IntVar] = {
            pair: self.model.new_bool_var("") for pair in eligible_pairs(scenario)
        }
        self.by_member: dict[int, list[int]] = defaultdict(list)
        self.by_session: dict[int, list[int]] = defaultdict(list)
        for m, s in self.x:
            self.by_member[m].append(s)
            self.by_session[s].append(m)
        self.runs: dict[int, cp_model.IntVar] = {}
        self._rules()
        self.terms = self._terms()

    def _rules(self) -> None:
        scenario, model, x = self.scenario, self.model, self.x
        sessions = scenario.sessions
        for s, members in self.by_session.items():
            session = sessions[s]
            runs = self.model.new_bool_var("")
            self.runs[s] = runs
            model.add(sum(x[m, s] for m in members) <= session.capacity)
            model.add(sum(x[m, s] for m in members) >= session.min_size * runs)
            for m in members:
                model.add(x[m, s] <= runs)
            for rule in scenario.course_by_id[session.course].mix:
                matched = [m for m in members if rule.who.matches(scenario.members[m])]
                for share, sign in ((rule.min_share, 1), (rule.max_share, -1)):
                    if share is None:
                        continue
                    f = Fraction(share).limit_denominator(10_000)
                    expr = f.denominator * sum(x[m, s] for m in matched) - f.numerator * sum(
                        x[m, s] for m in members
                    )
                    model.add(sign * expr >= 0)
        index = {m.id: i for i, m in enumerate(scenario.members)}
        for m, taken in self.by_member.items():
            member = scenario.members[m]
            limits = member_limits(scenario, member)
            gap = limits.min_gap_days or 0
            away = [s for s in taken if scenario.is_away(sessions[s])]
            for i, a in enumerate(away):
                for b in away[i + 1 :]:
                    first, later = sorted((sessions[a], sessions[b]), key=lambda t: t.start)
                    if (later.start - first.last_day).days - 1 < gap:
                        model.add(x[m, a] + x[m, b] <= 1)
            by_course: dict[str, list[int]] = defaultdict(list)
            for s in taken:
                by_course[sessions[s].course].append(s)
            for course, chosen in by_course.items():
                if not scenario.course_by_id[course].repeatable:
                    model.add(sum(x[m, s] for s in chosen) <= 1)
            days_year: dict[int, list] = defaultdict(list)
            days_month: dict[tuple[int, int], list] = defaultdict(list)
            hours_year: dict[int, list] = defaultdict(list)
            for s in taken:
                session = sessions[s]
                hours_year[session.start.year].append((x[m, s], scenario.session_hours(session)))
                if scenario.is_away(session):
                    for day in each_day(session.start, session.last_day):
                        days_year[day.year].append(x[m, s])
                        days_month[(day.year, day.month)].append(x[m, s])
            for cap, groups in (
                (limits.max_days_per_year, days_year),
                (limits.max_days_per_month, days_month),
            ):
                if cap is not None:
                    for items in groups.values():
                        model.add(sum(items) <= cap)
            for items in hours_year.values():
                if limits.max_hours_per_year is not None:
                    model.add(
                        sum(round(h * 100) * v for v, h in items)
                        <= round(limits.max_hours_per_year * 100)
                    )
                if limits.max_sessions_per_year is not None:
                    model.add(sum(v for v, _ in items) <= limits.max_sessions_per_year)
        rules = team_rules(scenario)
        away_on: dict[tuple[str, dt.date], list] = defaultdict(list)
        for (m, s), var in x.items():
            session = sessions[s]
            if scenario.is_away(session):
                for day in each_day(session.start, session.last_day):
                    away_on[(scenario.members[m].team, day)].append(var)
        for (team, _), items in away_on.items():
            cap = rules[team].cap
            if cap is not None:
                model.add(sum(items) <= cap)
        for group in scenario.together:
            members = [index[i] for i in group.members]
            for s, session in enumerate(sessions):
                if session.course == group.course:
                    values = [x.get((m, s), 0) for m in members]
                    for value in values[1:]:
                        model.add(value == values[0])
        for row in scenario.pinned:
            model.add(
                x[index[row.member], next(i for i, t in enumerate(sessions) if t.id == row.session)]
                == 1
            )

    def _terms(self) -> dict[str, cp_model.LinearExprT]:
        scenario, model, x = self.scenario, self.model, self.x
        sessions = scenario.sessions
        unmet = []
        for requirement in scenario.requirements:
            for m, member in enumerate(scenario.members):
                if not requirement.who.matches(member):
                    continue
                for window in requirement_windows(scenario, requirement, member):
                    served = [
                        (x[m, s], scenario.session_hours(sessions[s]))
                        for s in self.by_member.get(m, [])
                        if window.start <= sessions[s].start <= window.end
                        and requirement.counts_course(sessions[s].course)
                    ]
                    done = [
                        r
                        for r in scenario.history
                        if r.member == member.id
                        and window.start <= r.date <= window.end
                        and requirement.counts_course(r.course)
                    ]
                    if requirement.min_hours is not None:
                        need = round(requirement.min_hours * 100) - sum(
                            round(scenario.course_by_id[r.course].hours * 100) for r in done
                        )
                        short = model.new_int_var(0, max(0, math.ceil(need / 100)), "")
                        model.add(100 * short + sum(round(h * 100) * v for v, h in served) >= need)
                    else:
                        need = requirement.needed - len(done)
                        short = model.new_int_var(0, max(0, need), "")
                        model.add(short + sum(v for v, _ in served) >= need)
                    unmet.append(requirement.weight * short)
        previous = {(m, s) for m, s in scenario.previous or ()}
        ids = {
            (member.id, session.id): key
            for key in x
            for member, session in [(scenario.members[key[0]], sessions[key[1]])]
        }
        changes = (
            sum((1 - v) if key in {ids.get(p) for p in previous} else v for key, v in x.items())
            if scenario.previous is not None
            else 0
        )
        return {
            "unmet": sum(unmet),
            "changes": changes,
            "imbalance": self._imbalance(),
            "attendances": sum(x.values()),
            "cost": sum(sessions[s].seat_cost * v for (m, s), v in x.items())
            + sum(sessions[s].fixed_cost * r for s, r in self.runs.items()),
            "avoid": sum(
                v
                for (m, s), v in x.items()
                if any(
                    r.touches(sessions[s].start, sessions[s].last_day)
                    for r in scenario.members[m].avoid
                )
            ),
        }

    def _imbalance(self) -> cp_model.LinearExprT:
        scenario, model, x = self.scenario, self.model, self.x
        years = scenario.years
        total = []
        for requirement in scenario.requirements:
            if not requirement.balance:
                continue
            first: dict[int, list] = defaultdict(list)
            for m, member in enumerate(scenario.members):
                if not requirement.who.matches(member):
                    continue
                before = None
                for year in years:
                    chosen = [
                        x[m, s]
                        for s in self.by_member.get(m, [])
                        if scenario.sessions[s].start.year == year
                        and requirement.counts_course(scenario.sessions[s].course)
                    ]
                    seen = model.new_bool_var("")
                    options = chosen + ([before] if before is not None else [])
                    model.add_max_equality(seen, options or [model.new_constant(0)])
                    first[year].append(seen - before if before is not None else seen)
                    before = seen
            planned = sum(sum(first[y]) for y in years)
            for year in years:
                spread = model.new_int_var(0, len(years) * len(scenario.members), "")
                model.add(spread >= len(years) * sum(first[year]) - planned)
                model.add(spread >= planned - len(years) * sum(first[year]))
                total.append(spread)
        return sum(total)


def solve_textbook(
    scenario: Scenario,
    time_limit: float,
    workers: int,
    seed: int,
    on_solution: Callable[[str, float, float], None],
    parameters: dict[str, Any] | None = None,
) -> dict:
    """Stage by stage, each from the plan before; reports improvements as (term, value, bound).

    Returns the build seconds, each stage's term, status, value, bound and end (seconds
    from the start), the total seconds, ``num_pairs`` (the model's eligible pairs) and
    ``pairs``: the last plan found, as ``(member_id, session_id)``, or None.
    """
    started = time.monotonic()
    book = Textbook(scenario)
    built = time.monotonic() - started
    stages: list[dict[str, Any]] = []
    plan: dict[tuple[int, int], int] | None = None
    # Every variable's value in the last solution: a complete hint for the next stage.
    solution: list[int] = []
    terms = [t for t in scenario.objective if not isinstance(book.terms[t], int)]
    for index, term in enumerate(terms):
        remaining = started + time_limit - time.monotonic()
        if remaining <= 0:
            break
        budget = remaining * (0.6 if index == 0 and len(terms) > 1 else 1 / (len(terms) - index))
        book.model.clear_objective()
        book.model.minimize(book.terms[term])
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = budget
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        apply_parameters(solver, parameters or {})
        book.model.clear_hints()
        if solution:
            hint = book.model.proto.solution_hint
            hint.vars.extend(range(len(solution)))
            hint.values.extend(solution)

        status = solver.solve(book.model, _Watch(term, on_solution))
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            stages.append(
                {
                    "term": term,
                    "status": solver.status_name(status),
                    "value": None,
                    "bound": None,
                    "end": time.monotonic() - started,
                }
            )
            break
        value = round(solver.objective_value)
        stages.append(
            {
                "term": term,
                "status": solver.status_name(status),
                "value": value,
                "bound": math.ceil(solver.best_objective_bound - 1e-6),
                "end": time.monotonic() - started,
            }
        )
        plan = {key: int(solver.value(var)) for key, var in book.x.items()}
        solution = list(solver.response_proto.solution)
        book.model.add(book.terms[term] <= value)
    pairs = None
    if plan is not None:
        pairs = [
            (scenario.members[m].id, scenario.sessions[s].id) for (m, s), v in plan.items() if v
        ]
    return {
        "build_seconds": built,
        "stages": stages,
        "seconds": time.monotonic() - started,
        "pairs": pairs,
        "num_pairs": len(book.x),
    }


class _Watch(cp_model.CpSolverSolutionCallback):
    def __init__(self, term: str, on_solution: Callable[[str, float, float], None]):
        super().__init__()
        self.term, self.on_solution = term, on_solution

    def on_solution_callback(self) -> None:
        self.on_solution(self.term, self.objective_value, self.best_objective_bound)
