"""The CP-SAT model: one boolean per eligible pair, one method per rule family of SPEC.md."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from models.dates import touches_any

from .instance import Instance, member_columns, selector_mask, share_fraction


@dataclass
class Variables:
    """The model's decision variables, made only where a rule or term needs them."""

    attend: list[cp_model.IntVar]  # one per eligible pair
    runs: dict[int, cp_model.IntVar] = field(default_factory=dict)  # session -> runs
    shortfall: dict[int, cp_model.IntVar] = field(default_factory=dict)  # window -> shortfall


class RotaModel:
    """Builds the CP-SAT model of an instance: the hard rules, then one expression per term."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.model = cp_model.CpModel()
        self.vars = Variables(
            attend=[self.model.new_bool_var(f"x{p}") for p in range(instance.num_pairs)]
        )
        self.terms: dict[str, cp_model.LinearExprT] = {}
        self._add_rules()
        self._add_terms()

    # -- hard rules, in the order SPEC.md gives them ---------------------------------

    def _add_rules(self) -> None:
        self._session_size()
        self._mix_shares()
        self._away_overlap_and_gap()
        self._non_repeatable()
        self._member_day_caps()
        self._member_hour_and_session_caps()
        self._team_caps()
        self._together()
        self._pinned()

    def _session_size(self) -> None:
        """Capacity always; a session that runs has at least ``min_size`` attendees."""
        instance, x = self.instance, self.vars.attend
        for s, session in enumerate(instance.scenario.sessions):
            pairs = instance.pairs_of_session[s]
            if not len(pairs):
                continue
            attendees = _total(x[p] for p in pairs)
            needs_flag = session.min_size > 1 or session.fixed_cost > 0
            if needs_flag:
                runs = self.model.new_bool_var(f"runs{s}")
                self.vars.runs[s] = runs
                self.model.add(attendees <= min(session.capacity, len(pairs)) * runs)
                if session.min_size > 1:
                    self.model.add(attendees >= session.min_size * runs)
                if len(pairs) < session.min_size:
                    self.model.add(runs == 0)
            elif len(pairs) > session.capacity:
                self.model.add(attendees <= session.capacity)

    def _mix_shares(self) -> None:
        """``min_share`` and ``max_share`` of a running session, as integer inequalities."""
        instance, x = self.instance, self.vars.attend
        scenario = instance.scenario
        columns = member_columns(scenario)
        for s, session in enumerate(scenario.sessions):
            pairs = instance.pairs_of_session[s]
            rules = scenario.course_by_id[session.course].mix
            if not len(pairs) or not rules:
                continue
            for rule in rules:
                matched = selector_mask(rule.who, columns)[instance.pair_member[pairs]]
                if rule.min_share is not None and rule.min_share > 0:
                    share = share_fraction(rule.min_share)
                    # den * matching - num * all >= 0, which an empty session meets too.
                    coefs = np.where(matched, share.denominator - share.numerator, -share.numerator)
                    self.model.add(_weighted(x, pairs, coefs) >= 0)
                if rule.max_share is not None and rule.max_share < 1:
                    share = share_fraction(rule.max_share)
                    coefs = np.where(matched, share.numerator - share.denominator, share.numerator)
                    self.model.add(_weighted(x, pairs, coefs) >= 0)

    def _away_overlap_and_gap(self) -> None:
        """No two away sessions sharing a day or closer than ``min_gap_days``, as cliques."""
        instance, x = self.instance, self.vars.attend
        for m, pairs in enumerate(instance.pairs_of_member):
            sessions = instance.pair_session[pairs]
            away = instance.session_away[sessions]
            if away.sum() < 2:
                continue
            gap = instance.limits[m].min_gap_days or 0
            chosen = pairs[away]
            chosen_sessions = sessions[away]
            for clique in _interval_cliques(
                instance.session_start[chosen_sessions], instance.session_end[chosen_sessions] + gap
            ):
                self.model.add_at_most_one(x[p] for p in chosen[clique])

    def _non_repeatable(self) -> None:
        """At most one session of a non-repeatable course per member (history removed pairs)."""
        instance, x = self.instance, self.vars.attend
        scenario = instance.scenario
        repeatable = {c.id for c in scenario.courses if c.repeatable}
        for pairs in instance.pairs_of_member:
            by_course: dict[str, list[int]] = defaultdict(list)
            for p in pairs:
                course = scenario.sessions[instance.pair_session[p]].course
                if course not in repeatable:
                    by_course[course].append(int(p))
            for chosen in by_course.values():
                if len(chosen) > 1:
                    self.model.add_at_most_one(x[p] for p in chosen)

    def _member_day_caps(self) -> None:
        """Days away per year and per month; each day counts in its own month and year."""
        instance = self.instance
        for m, pairs in enumerate(instance.pairs_of_member):
            limits = instance.limits[m]
            if limits.max_days_per_year is None and limits.max_days_per_month is None:
                continue
            per_year: dict[int, list[tuple[int, int]]] = defaultdict(list)
            per_month: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
            for p in pairs:
                s = instance.pair_session[p]
                if not instance.session_away[s]:
                    continue
                for (year, month), days in _days_by_month(
                    instance.session_start[s], instance.session_end[s]
                ):
                    per_month[(year, month)].append((int(p), days))
            for (year, _), items in per_month.items():
                per_year[year].extend(items)
            self._cap(per_year, limits.max_days_per_year)
            self._cap(per_month, limits.max_days_per_month)

    def _member_hour_and_session_caps(self) -> None:
        """Class hours and sessions per year, counted in the year a session starts."""
        instance = self.instance
        for m, pairs in enumerate(instance.pairs_of_member):
            limits = instance.limits[m]
            if limits.max_hours_per_year is None and limits.max_sessions_per_year is None:
                continue
            hours: dict[int, list[tuple[int, int]]] = defaultdict(list)
            count: dict[int, list[tuple[int, int]]] = defaultdict(list)
            for p in pairs:
                s = instance.pair_session[p]
                year = dt.date.fromordinal(int(instance.session_start[s])).year
                hours[year].append((int(p), int(instance.session_hours[s])))
                count[year].append((int(p), 1))
            if limits.max_hours_per_year is not None:
                # Scaled hours are whole numbers, so flooring the cap loses nothing.
                self._cap(hours, int(limits.max_hours_per_year * instance.hours_scale + 1e-6))
            self._cap(count, limits.max_sessions_per_year)

    def _cap(self, groups: dict, cap: int | None) -> None:
        if cap is None:
            return
        x = self.vars.attend
        for items in groups.values():
            if sum(w for _, w in items) > cap:
                self.model.add(_weighted(x, [p for p, _ in items], [w for _, w in items]) <= cap)

    def _team_caps(self) -> None:
        """Members of a team away on one day: at most the team's cap, on every day.

        The set of sessions under way changes only where one starts, so one constraint per
        maximal group of sessions that share a day covers every day.
        """
        instance, x = self.instance, self.vars.attend
        by_team: dict[str, list[int]] = defaultdict(list)
        for m, team in enumerate(instance.member_team):
            by_team[team].append(m)
        for team, member_indices in by_team.items():
            cap = instance.rules[team].cap
            if cap is None:
                continue
            pairs = np.concatenate([instance.pairs_of_member[m] for m in member_indices])
            pairs = pairs[instance.session_away[instance.pair_session[pairs]]]
            if len(pairs) <= cap:
                continue
            sessions = np.unique(instance.pair_session[pairs])
            pairs_in = _group_by(instance.pair_session[pairs], pairs)
            starts, ends = instance.session_start[sessions], instance.session_end[sessions]
            for clique in _interval_cliques(starts, ends, smallest=1):
                chosen = [p for s in sessions[clique] for p in pairs_in[int(s)]]
                if len(chosen) <= cap:
                    continue
                if cap == 1:
                    self.model.add_at_most_one(x[p] for p in chosen)
                else:
                    self.model.add(_total(x[p] for p in chosen) <= cap)

    def _together(self) -> None:
        """Listed members attend every session of the course all together or not at all."""
        instance, x = self.instance, self.vars.attend
        scenario = instance.scenario
        member_index = {m.id: i for i, m in enumerate(scenario.members)}
        index = instance.pair_index()
        for group in scenario.together:
            members = [member_index[m] for m in group.members]
            for s, session in enumerate(scenario.sessions):
                if session.course != group.course:
                    continue
                pairs = [index.get((m, s)) for m in members]
                present = [p for p in pairs if p is not None]
                if len(present) < len(pairs):
                    for p in present:  # someone of the group cannot attend, so none does
                        self.model.add(x[p] == 0)
                else:
                    for p in present[1:]:
                        self.model.add(x[p] == x[present[0]])

    def _pinned(self) -> None:
        for p in self.instance.pinned:
            self.model.add(self.vars.attend[int(p)] == 1)

    # -- objective terms -----------------------------------------------------------------

    def _add_terms(self) -> None:
        self.terms["unmet"] = self._unmet()
        self.terms["changes"] = self._changes()
        self.terms["imbalance"] = self._imbalance()
        self.terms["attendances"] = _total(self.vars.attend)
        self.terms["cost"] = self._cost()
        self.terms["avoid"] = self._avoid()

    def _unmet(self) -> cp_model.LinearExprT:
        """Weighted shortfall over windows; one integer per window that needs something."""
        x, total = self.vars.attend, []
        for w, window in enumerate(self.instance.windows):
            if window.need <= 0:
                continue
            short = self.model.new_int_var(0, window.max_shortfall, f"short{w}")
            self.vars.shortfall[w] = short
            served = _weighted(x, window.pairs, window.credit) if len(window.pairs) else 0
            # scale * shortfall >= need - served makes the integer shortfall the ceiling.
            self.model.add(window.hours_scale * short + served >= window.need)
            total.append(window.weight * short)
        return _total(total)

    def _changes(self) -> cp_model.LinearExprT:
        instance = self.instance
        if instance.scenario.previous is None:
            return 0
        x = self.vars.attend
        kept = set(instance.previous_pairs.values())
        removed = len(kept) - _total(x[p] for p in kept)
        added = _total(x[p] for p in range(instance.num_pairs) if p not in kept)
        return instance.previous_outside + removed + added

    def _imbalance(self) -> cp_model.LinearExprT:
        """Sum over years of ``|N * F_y - S|`` for each ``balance`` requirement."""
        instance = self.instance
        scenario = instance.scenario
        years = scenario.years
        terms = []
        for r, requirement in enumerate(scenario.requirements):
            if not requirement.balance:
                continue
            firsts = self._first_completions(r, years)
            total = sum(sum(f) for f in firsts.values())
            for year in years:
                deviation = len(years) * sum(firsts[year]) - total
                bound = len(years) * len(scenario.members)
                spread = self.model.new_int_var(0, bound, f"imb{r}_{year}")
                self.model.add(spread >= deviation)
                self.model.add(spread >= -deviation)
                terms.append(spread)
        return _total(terms)

    def _first_completions(self, r: int, years: Sequence[int]) -> dict[int, list]:
        """Per year, expressions that are 1 for members whose first completion is that year."""
        instance, x = self.instance, self.vars.attend
        scenario = instance.scenario
        requirement = scenario.requirements[r]
        courses = set(requirement.courses or ())
        firsts: dict[int, list] = {year: [] for year in years}
        for m, member in enumerate(scenario.members):
            if not requirement.who.matches(member):
                continue
            by_year: dict[int, list[int]] = defaultdict(list)
            for p in instance.pairs_of_member[m]:
                session = scenario.sessions[instance.pair_session[p]]
                if session.course in courses:
                    by_year[session.start.year].append(int(p))
            if not by_year:
                continue
            single = len(courses) == 1 and not scenario.course_by_id[next(iter(courses))].repeatable
            if single:
                # At most one completion in the horizon: its year is the first one.
                for year, pairs in by_year.items():
                    firsts[year].append(_total(x[p] for p in pairs))
                continue
            seen_before: cp_model.IntVar | int = 0
            for year in years:
                if not by_year.get(year):
                    continue
                seen = self.model.new_bool_var(f"seen{r}_{m}_{year}")
                self.model.add_max_equality(
                    seen,
                    [x[p] for p in by_year[year]]
                    + ([seen_before] if not isinstance(seen_before, int) else []),
                )
                firsts[year].append(seen - seen_before)
                seen_before = seen
        return firsts

    def _cost(self) -> cp_model.LinearExprT:
        instance, x = self.instance, self.vars.attend
        sessions = instance.scenario.sessions
        seat = [
            (p, sessions[s].seat_cost)
            for p, s in enumerate(instance.pair_session)
            if sessions[s].seat_cost
        ]
        fixed = [
            (runs, sessions[s].fixed_cost)
            for s, runs in self.vars.runs.items()
            if sessions[s].fixed_cost
        ]
        variables = [x[p] for p, _ in seat] + [runs for runs, _ in fixed]
        return cp_model.LinearExpr.weighted_sum(variables, [c for _, c in seat + fixed])

    def _avoid(self) -> cp_model.LinearExprT:
        instance, x = self.instance, self.vars.attend
        scenario = instance.scenario
        chosen = []
        for m, member in enumerate(scenario.members):
            if not member.avoid:
                continue
            for p in instance.pairs_of_member[m]:
                session = scenario.sessions[instance.pair_session[p]]
                if touches_any(session.start, session.last_day, member.avoid):
                    chosen.append(x[p])
        return _total(chosen)


def _total(variables) -> cp_model.LinearExprT:
    return cp_model.LinearExpr.sum(list(variables))


def _weighted(x: list, pairs, coefs) -> cp_model.LinearExprT:
    return cp_model.LinearExpr.weighted_sum([x[p] for p in pairs], [int(c) for c in coefs])


def _interval_cliques(
    starts: np.ndarray, ends: np.ndarray, smallest: int = 2
) -> Iterator[np.ndarray]:
    """Maximal groups of closed intervals sharing a day, found at start points.

    Two intervals that meet share the later one's start day, so the groups at start days
    cover every conflict; a group is kept only if the next start drops one of its members.
    """
    order = np.lexsort((ends, starts))
    starts, ends = starts[order], ends[order]
    open_ends: list[tuple[int, int]] = []  # (end, position)
    for i in range(len(order)):
        open_ends = [(e, j) for e, j in open_ends if e >= starts[i]]
        open_ends.append((int(ends[i]), i))
        next_start = starts[i + 1] if i + 1 < len(order) else None
        closes = next_start is None or min(e for e, _ in open_ends) < next_start
        if closes and len(open_ends) >= smallest:
            yield order[[j for _, j in open_ends]]


def _days_by_month(start: int, end: int) -> Iterator[tuple[tuple[int, int], int]]:
    day = dt.date.fromordinal(int(start))
    last = dt.date.fromordinal(int(end))
    counts: dict[tuple[int, int], int] = defaultdict(int)
    while day <= last:
        counts[(day.year, day.month)] += 1
        day += dt.timedelta(days=1)
    yield from counts.items()


def _group_by(keys: np.ndarray, values: np.ndarray) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for key, value in zip(keys, values, strict=True):
        groups[int(key)].append(int(value))
    return groups
