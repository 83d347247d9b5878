"""The objective terms of SPEC.md as CP-SAT expressions over a model's scope.

Each term is the scope's part (``RotaModel``'s members); what the fixed members hold
counts as constants. ``RotaModel`` builds the terms its stage names with these.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
from ortools.sat.python import cp_model

from models.dates import touches_any

if TYPE_CHECKING:
    from .model import RotaModel


def total(variables: Iterable) -> cp_model.LinearExpr:
    """The sum of CP-SAT variables or expressions."""
    return cp_model.LinearExpr.sum(list(variables))


def weighted(variables: list, coefs: Iterable) -> cp_model.LinearExpr:
    """The sum of the variables, each times its (integer) coefficient."""
    return cp_model.LinearExpr.weighted_sum(variables, [int(c) for c in coefs])


def unmet_term(rota: RotaModel) -> cp_model.LinearExprT:
    """Weighted shortfall over windows; one integer per window that needs something."""
    instance = rota.instance
    parts = []
    for w in instance.windows_of_members(rota.scope.members):
        window = instance.windows[w]
        short = rota.model.new_int_var(0, window.max_shortfall, f"short{w}")
        rota.vars.shortfall[w] = short
        pairs, credit = window.pairs, window.credit
        if rota.decided is not None:
            pairs, credit = pairs[rota.decided[pairs]], credit[rota.decided[pairs]]
        served = rota.linear(pairs, credit) if len(pairs) else 0
        # scale * shortfall >= need - served makes the integer shortfall the ceiling.
        rota.model.add(window.hours_scale * short + served >= window.need)
        parts.append(window.weight * short)
    return total(parts)


def changes_term(rota: RotaModel) -> cp_model.LinearExprT:
    """Assignments in exactly one of the plan and ``previous``, for the scope's members."""
    instance = rota.instance
    if instance.scenario.previous is None:
        return 0
    kept = set(instance.previous_pairs.values())
    # A previous pair is never grouped (``instance_groups``): it names one session.
    removed = [var for p, var in rota.vars.attend.items() if p in kept]
    added = [var for p, var in rota.vars.attend.items() if p not in kept]
    added += rota.vars.count.values()
    # Previous assignments no plan can keep are changes whatever the scope decides.
    outside = instance.previous_outside if rota.whole else 0
    return outside + len(removed) - total(removed) + total(added)


def imbalance_term(rota: RotaModel) -> cp_model.LinearExprT:
    """Sum over years of ``|N * F_y - S|`` for each ``balance`` requirement."""
    scenario = rota.instance.scenario
    years = scenario.years
    terms = []
    for r, requirement in enumerate(scenario.requirements):
        if not requirement.balance:
            continue
        firsts, fixed = _first_completions(rota, r)
        overall = total(v for year in years for v in firsts[year]) + sum(fixed.values())
        rota.first_completions[r] = overall
        spreads = []
        for year in years:
            deviation = len(years) * (total(firsts[year]) + fixed[year]) - overall
            spread = rota.model.new_int_var(0, len(years) * len(scenario.members), f"imb{r}_{year}")
            rota.model.add(spread >= deviation)
            rota.model.add(spread >= -deviation)
            spreads.append(spread)
        _least_spread(rota, r, overall, spreads)
        terms += spreads
    return total(terms)


def _least_spread(rota: RotaModel, r: int, overall: cp_model.LinearExprT, spreads: list) -> None:
    """The least the spreads can add up to, given how many first completions there are.

    With ``N`` years and ``S`` first completions, each ``N * F_y - S`` is ``-S`` modulo
    ``N`` and they add up to 0, so with ``k = S mod N`` the sum of their sizes is at least
    ``2 * k * (N - k)`` (``k`` years one above the even share, the others at it). The
    linear relaxation sees none of it: stated, it proves a spread like 4 optimal at once
    where the relaxation's bound stays 0.
    """
    n = len(rota.instance.scenario.years)
    if n < 2:
        return
    model = rota.model
    rest = model.new_int_var(0, n - 1, f"imb{r}_rest")
    quotient = model.new_int_var(0, len(rota.instance.scenario.members), f"imb{r}_q")
    model.add(overall == n * quotient + rest)
    least = model.new_int_var(0, n * n, f"imb{r}_least")
    model.add_element(rest, [2 * k * (n - k) for k in range(n)], least)
    model.add(total(spreads) >= least)


def _first_completions(rota: RotaModel, r: int) -> tuple[dict[int, list], dict[int, int]]:
    """Per year: expressions that are 1 for scope members whose first completion is then,
    and the count of members outside the scope whose first completion is then."""
    instance = rota.instance
    scenario = instance.scenario
    requirement = scenario.requirements[r]
    years = scenario.years
    firsts: dict[int, list] = {year: [] for year in years}
    fixed: dict[int, int] = dict.fromkeys(years, 0)
    first_fixed: dict[int, int] = {}
    counted = instance.requirement_sessions(r)[instance.pair_session[rota.background]]
    for p in rota.background[counted].tolist():
        s = int(instance.pair_session[p])
        m = int(instance.pair_member[p])
        if requirement.who.matches(scenario.members[m]):
            year = int(instance.session_year[s])
            first_fixed[m] = min(first_fixed.get(m, year), year)
    for year in first_fixed.values():
        fixed[year] += 1
    courses = set(requirement.courses or ())
    single = len(courses) == 1 and not scenario.course_by_id[next(iter(courses))].repeatable
    for m in rota.scope.members:
        if not requirement.who.matches(scenario.members[m]):
            continue
        by_year: dict[int, list[int]] = defaultdict(list)
        for p in rota.pairs_of(m):
            s = int(instance.pair_session[p])
            if scenario.sessions[s].course in courses:
                by_year[int(instance.session_year[s])].append(int(p))
        if single:
            # At most one completion in the horizon: its year is the first one.
            for year, pairs in by_year.items():
                firsts[year].append(rota.linear(pairs))
            continue
        seen_before: cp_model.IntVar | None = None
        for year in years:
            if not by_year.get(year):
                continue
            seen = rota.model.new_bool_var(f"seen{r}_{m}_{year}")
            earlier = [seen_before] if seen_before is not None else []
            rota.model.add_max_equality(seen, rota.indicators(by_year[year]) + earlier)
            firsts[year].append(seen - seen_before if seen_before is not None else seen)
            seen_before = seen
    return firsts, fixed


def cost_term(rota: RotaModel) -> cp_model.LinearExprT:
    """Seat costs of the scope's assignments, fixed costs of sessions only it makes run."""
    scenario = rota.instance.scenario
    seat_cost = np.array([s.seat_cost for s in scenario.sessions], dtype=np.int64)
    paid = rota.pairs[seat_cost[rota.instance.pair_session[rota.pairs]] > 0]
    seats = rota.linear(paid, seat_cost[rota.instance.pair_session[paid]])
    variables, costs = [], []
    for s, runs in rota.vars.runs.items():
        if scenario.sessions[s].fixed_cost:
            variables.append(runs)
            costs.append(scenario.sessions[s].fixed_cost)
    return seats + weighted(variables, costs)


def avoid_term(rota: RotaModel) -> cp_model.LinearExprT:
    instance = rota.instance
    scenario = instance.scenario
    chosen = []
    for m in rota.scope.members:
        member = scenario.members[m]
        if not member.avoid:
            continue
        for p in rota.pairs_of(m):
            session = scenario.sessions[instance.pair_session[p]]
            if touches_any(session.start, session.last_day, member.avoid):
                chosen.append(int(p))
    return rota.linear(chosen)
