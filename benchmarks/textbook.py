"""The textbook formulation: the baseline rotaplan's engine is measured against.

One boolean per eligible member-session pair; every rule posted directly (pairwise
conflicts, a team cap on every day, every cap whether or not it can bind); each objective
term minimised stage by stage from nothing, without a starting plan. It reads the scenario
through ``models`` and shares the engine's eligibility only, so both solve the same problem.
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

from models import Scenario, member_limits, requirement_windows
from models.dates import each_day
from models.rules import team_rules
from solver.instance import _eligible_matrix_pairs


class Textbook:
    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.model = cp_model.CpModel()
        sessions = scenario.sessions
        start = [s.start.toordinal() for s in sessions]
        end = [s.last_day.toordinal() for s in sessions]
        away = [scenario.is_away(s) for s in sessions]
        import numpy as np

        pair_member, pair_session = _eligible_matrix_pairs(
            scenario, team_rules(scenario), np.array(start), np.array(end), np.array(away)
        )
        self.x: dict[tuple[int, int], cp_model.IntVar] = {
            (int(m), int(s)): self.model.new_bool_var("")
            for m, s in zip(pair_member, pair_session, strict=True)
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
) -> dict:
    """Stage by stage, no hints; reports each improvement as (term, value, bound)."""
    started = time.monotonic()
    book = Textbook(scenario)
    built = time.monotonic() - started
    stages: list[dict[str, Any]] = []
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

        status = solver.solve(book.model, _Watch(term, on_solution))
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            stages.append(
                {"term": term, "status": solver.status_name(status), "value": None, "bound": None}
            )
            break
        value = round(solver.objective_value)
        stages.append(
            {
                "term": term,
                "status": solver.status_name(status),
                "value": value,
                "bound": round(solver.best_objective_bound),
            }
        )
        book.model.add(book.terms[term] <= value)
    return {"build_seconds": built, "stages": stages, "seconds": time.monotonic() - started}


class _Watch(cp_model.CpSolverSolutionCallback):
    def __init__(self, term: str, on_solution: Callable[[str, float, float], None]):
        super().__init__()
        self.term, self.on_solution = term, on_solution

    def on_solution_callback(self) -> None:
        self.on_solution(self.term, self.objective_value, self.best_objective_bound)
