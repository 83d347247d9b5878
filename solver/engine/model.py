"""The CP-SAT model: one boolean per eligible pair, one method per rule family of SPEC.md.

A model decides for a *scope*: every member (the whole scenario), or some members with
everyone else's assignments fixed (a neighbourhood of the search), or some members and
sessions with the rules that fewer attendees could break dropped (a relaxation whose
optimum bounds the whole scenario's; see ``solver.bound``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from models.eligibility import selector_mask
from models.scenario import TERMS

from .instance import Instance, share_fraction
from .member_rules import interval_cliques
from .model_terms import (
    avoid_term,
    changes_term,
    cost_term,
    imbalance_term,
    total,
    unmet_term,
    weighted,
)


@dataclass
class Scope:
    """Which members a model decides for, and what the others are fixed to."""

    members: np.ndarray  # member indices the model decides for
    background: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    relaxed: bool = False  # drop min_size, mix and together (for a bound)
    pairs: np.ndarray | None = None  # only these of the members' pairs may be taken
    """``background``: pair indices taken by members outside the scope.

    ``relaxed`` drops the rules a plan can break by having *fewer* attendees, and ``pairs``
    leaves the members' other pairs untaken: every other rule only gets easier with fewer
    attendances, so such a model's optimum is a lower bound for the scope's windows.
    """

    @classmethod
    def everyone(cls, instance: Instance) -> Scope:
        return cls(np.arange(len(instance.scenario.members)))


@dataclass
class Variables:
    """The model's decision variables, made only where a rule or term needs them."""

    attend: dict[int, cp_model.IntVar]  # pair index -> attends (a pair that stands alone)
    # A group of interchangeable pairs (``Instance.groups``) -> how many of them are taken.
    count: dict[int, cp_model.IntVar] = field(default_factory=dict)
    runs: dict[int, cp_model.IntVar] = field(default_factory=dict)  # session -> runs
    shortfall: dict[int, cp_model.IntVar] = field(default_factory=dict)  # window -> shortfall


class RotaModel:
    """Builds the CP-SAT model of an instance within a scope: rules, then one expression per term."""

    def __init__(
        self, instance: Instance, scope: Scope | None = None, terms: Iterable[str] | None = None
    ):
        """``terms``: the objective terms to build (all of them by default); a neighbourhood
        of the search needs only its stage's term and the ones held before it."""
        self.instance = instance
        self.scope = scope or Scope.everyone(instance)
        self.model = cp_model.CpModel()
        active = np.zeros(len(instance.scenario.members), dtype=bool)
        active[self.scope.members] = True
        self.active = active
        self.whole = (
            bool(active.all()) and not len(self.scope.background) and self.scope.pairs is None
        )
        self.decided: np.ndarray | None = None
        if self.scope.pairs is not None:
            self.decided = np.zeros(instance.num_pairs, dtype=bool)
            self.decided[self.scope.pairs] = True
        self.pairs = np.concatenate(
            [self.pairs_of(m) for m in self.scope.members] or [np.zeros(0, dtype=np.int64)]
        )
        self.vars = Variables(attend={})
        self.group_pairs: dict[int, np.ndarray] = {}  # group -> its pairs in this model
        self._group_of: dict[int, int] = {}  # pair -> its group, for grouped pairs
        self._any_of_group: dict[int, cp_model.IntVar] = {}
        self._make_decisions()
        self.pairs_of_session = _group_by(instance.pair_session[self.pairs], self.pairs)
        self.background = np.asarray(self.scope.background, dtype=np.int64)
        self.fixed_of_session = _count_by(instance.pair_session[self.background])
        self.terms: dict[str, cp_model.LinearExprT] = {}
        # A balance requirement -> its first completions (``imbalance``'s ``S``).
        self.first_completions: dict[int, cp_model.LinearExprT] = {}
        self._add_rules()
        self._add_terms(TERMS if terms is None else tuple(terms))

    def pairs_of(self, m: int) -> np.ndarray:
        """Member ``m``'s pairs this model decides."""
        pairs = self.instance.pairs_of_member[m]
        return pairs if self.decided is None else pairs[self.decided[pairs]]

    def _make_decisions(self) -> None:
        """A boolean per pair that stands alone, an integer per group of interchangeable
        pairs (``solver.engine.instance_groups``): how many of its sessions are taken."""
        of_pair = self.instance.groups.of_pair[self.pairs]
        # Each pair's variable (a grouped pair: its group's count), kept as arrays over the
        # pairs in order so ``_member_rules`` reads every row's variables at once.
        variables: list[cp_model.IntVar] = []
        pairs_in_order: list[np.ndarray] = []
        slots: list[np.ndarray] = []
        for p in self.pairs[of_pair < 0].tolist():
            self.vars.attend[p] = var = self.model.new_bool_var(f"x{p}")
            variables.append(var)
        pairs_in_order.append(self.pairs[of_pair < 0])
        slots.append(np.arange(len(variables), dtype=np.int64))
        grouped, groups = self.pairs[of_pair >= 0], of_pair[of_pair >= 0]
        order = np.argsort(groups, kind="stable")  # stable: date order within a group
        grouped, groups = grouped[order], groups[order]
        bounds = np.flatnonzero(np.diff(groups)) + 1
        for pairs in np.split(grouped, bounds) if len(grouped) else []:
            if len(pairs) == 1:
                self.vars.attend[int(pairs[0])] = var = self.model.new_bool_var(f"x{pairs[0]}")
            else:
                g = int(self.instance.groups.of_pair[pairs[0]])
                self.vars.count[g] = var = self.model.new_int_var(0, len(pairs), f"n{g}")
                self.group_pairs[g] = pairs
                self._group_of.update(dict.fromkeys(pairs.tolist(), g))
            pairs_in_order.append(pairs)
            slots.append(np.full(len(pairs), len(variables), dtype=np.int64))
            variables.append(var)
        self._variables = variables
        every = np.concatenate(pairs_in_order)
        by_pair = np.argsort(every, kind="stable")
        self._sorted_pairs = every[by_pair]
        self._slot = np.concatenate(slots)[by_pair]  # its variable in ``_variables``
        self._slot_size = np.bincount(self._slot, minlength=len(variables))  # its pairs

    def x(self, pairs: Iterable[int]) -> list[cp_model.IntVar]:
        """The booleans of pairs that stand alone (a grouped pair has none: ``linear``)."""
        return [self.vars.attend[int(p)] for p in pairs]

    def linear(
        self, pairs: Iterable[int], coefs: Iterable[int] | None = None
    ) -> cp_model.LinearExpr:
        """``sum(coef * attends)`` over ``pairs``: a group of interchangeable pairs counts
        once, through its number taken, so every pair of it must be among ``pairs`` with
        one coefficient (which the groups guarantee: its pairs serve the same windows and
        count in the same caps)."""
        pairs = [int(p) for p in pairs]
        weights = [1] * len(pairs) if coefs is None else [int(c) for c in coefs]
        if not self.vars.count:
            return weighted(self.x(pairs), weights)
        variables, factors = [], []
        group_coef: dict[int, int] = {}
        seen: dict[int, int] = defaultdict(int)
        for p, c in zip(pairs, weights, strict=True):
            var = self.vars.attend.get(p)
            if var is not None:
                variables.append(var)
                factors.append(c)
                continue
            g = self._group_of[p]
            if group_coef.setdefault(g, c) != c:
                raise ValueError(f"pairs of group {g} weighed differently")
            seen[g] += 1
        for g, c in group_coef.items():
            if seen[g] != len(self.group_pairs[g]):
                raise ValueError(f"part of group {g} in one sum")
            variables.append(self.vars.count[g])
            factors.append(c)
        return weighted(variables, factors)

    def at_most_one(self, pairs: Iterable[int]) -> None:
        """At most one of ``pairs`` is taken."""
        pairs = [int(p) for p in pairs]
        if any(p in self._group_of for p in pairs):
            self.model.add(self.linear(pairs) <= 1)
        else:
            self.model.add_at_most_one(self.x(pairs))

    def indicators(self, pairs: Iterable[int]) -> list[cp_model.IntVar]:
        """A boolean per pair that stands alone and per group among ``pairs``: whether it
        (any of the group) is taken."""
        chosen, groups = [], []
        for p in (int(p) for p in pairs):
            if p in self.vars.attend:
                chosen.append(self.vars.attend[p])
            elif self._group_of[p] not in groups:
                groups.append(self._group_of[p])
        for g in groups:
            if g not in self._any_of_group:
                count, any_of = self.vars.count[g], self.model.new_bool_var(f"any{g}")
                self.model.add(count >= any_of)
                self.model.add(count <= len(self.group_pairs[g]) * any_of)
                self._any_of_group[g] = any_of
            chosen.append(self._any_of_group[g])
        return chosen

    def attendances(self) -> cp_model.LinearExpr:
        """Every attendance the model decides."""
        return total([*self.vars.attend.values(), *self.vars.count.values()])

    def decisions(self, taken: np.ndarray) -> tuple[list[int], list[int]]:
        """The decision variables' indices and their values in a plan (a boolean per pair)."""
        indices = [var.index for var in self.vars.attend.values()]
        values = [int(v) for v in taken[list(self.vars.attend)]]
        for g, count in self.vars.count.items():
            indices.append(count.index)
            values.append(int(taken[self.group_pairs[g]].sum()))
        return indices, values

    def taken_pairs(self, value: Callable[[cp_model.IntVar], int]) -> np.ndarray:
        """The pairs a solution takes, ``value`` reading a variable's value: every pair
        that stands alone and is set, and the earliest ``count`` of each group."""
        chosen = [p for p, var in self.vars.attend.items() if value(var)]
        for g, count in self.vars.count.items():
            chosen.extend(self.group_pairs[g][: int(value(count))].tolist())
        return np.array(sorted(chosen), dtype=np.int64)

    def decide(self, taken: np.ndarray, value: Callable[[cp_model.IntVar], int]) -> None:
        """Write a solution into ``taken`` (a boolean per pair) for this model's pairs."""
        taken[self.pairs] = False
        taken[self.taken_pairs(value)] = True

    def hint(self, taken: np.ndarray) -> None:
        """Hint every decision variable from a plan held as a boolean per pair."""
        self.model.clear_hints()
        indices, values = self.decisions(taken)
        hint = self.model.proto.solution_hint
        hint.vars.extend(indices)
        hint.values.extend(values)

    # -- hard rules, in the order SPEC.md gives them ---------------------------------

    def _add_rules(self) -> None:
        self._session_size()
        if not self.scope.relaxed:
            self._mix_shares()
            self._together()
        self._member_rules()
        self._team_caps()
        self._pinned()

    def _session_size(self) -> None:
        """Capacity always; a session that runs has at least ``min_size`` attendees."""
        scenario = self.instance.scenario
        for s, pairs in self.pairs_of_session.items():
            session = scenario.sessions[s]
            fixed = self.fixed_of_session.get(s, 0)
            room = session.capacity - fixed
            if len(pairs) <= room and session.min_size <= 1 and not session.fixed_cost:
                continue  # nothing to count (a free session's pairs may be grouped)
            attendees = total(self.x(pairs))
            if self.scope.relaxed:
                if len(pairs) > room:
                    self.model.add(attendees <= room)
                continue
            if fixed == 0 and (session.min_size > 1 or session.fixed_cost > 0):
                runs = self.model.new_bool_var(f"runs{s}")
                self.vars.runs[s] = runs
                self.model.add(attendees <= min(room, len(pairs)) * runs)
                if self.whole:
                    # Each attendee implies the session runs: propagation is the same as
                    # the sum's, but the LP relaxation of the sum lets a session run at a
                    # fraction and still seat whole members. On units with classes that need
                    # a minimum size, the whole model proved unmet 971 instead of 1,222.
                    for var in self.x(pairs):
                        self.model.add_implication(var, runs)
                if session.min_size > 1:
                    self.model.add(attendees >= session.min_size * runs)
            elif fixed > 0 and session.min_size > fixed:
                self.model.add(attendees >= session.min_size - fixed)
            if len(pairs) > room:
                self.model.add(attendees <= room)

    def _mix_shares(self) -> None:
        """``min_share`` and ``max_share`` of a running session, as integer inequalities."""
        instance = self.instance
        scenario = instance.scenario
        if not any(c.mix for c in scenario.courses):
            return
        columns = instance.columns
        masks: dict[int, np.ndarray] = {}
        fixed_matching: dict[int, np.ndarray] = {}
        for s, pairs in self.pairs_of_session.items():
            rules = scenario.course_by_id[scenario.sessions[s].course].mix
            for rule in rules:
                if id(rule) not in masks:
                    masks[id(rule)] = selector_mask(rule.who, columns)
                    # Per session, the fixed attendees the rule matches: one pass.
                    fixed_matching[id(rule)] = np.bincount(
                        instance.pair_session[self.background],
                        weights=masks[id(rule)][instance.pair_member[self.background]],
                        minlength=len(scenario.sessions),
                    )
                matches = masks[id(rule)]
                matched = matches[instance.pair_member[pairs]]
                fixed_all = self.fixed_of_session.get(s, 0)
                fixed_matched = int(fixed_matching[id(rule)][s] + 0.5) if fixed_all else 0
                for share, sign in ((rule.min_share, 1), (rule.max_share, -1)):
                    if share is None or (sign == 1 and share <= 0) or (sign == -1 and share >= 1):
                        continue
                    f = share_fraction(share)
                    # den * matching - num * all >= 0 (min), reversed for max; empty sessions pass.
                    coefs = sign * np.where(matched, f.denominator - f.numerator, -f.numerator)
                    offset = sign * (f.denominator * fixed_matched - f.numerator * fixed_all)
                    self.model.add(weighted(self.x(pairs), coefs) + offset >= 0)

    def _together(self) -> None:
        """Listed members attend every session of the course all together or not at all."""
        instance = self.instance
        if not instance.scenario.together:
            return
        index = instance.pair_index()
        taken = np.zeros(instance.num_pairs, dtype=bool)
        taken[self.background] = True
        for members, sessions in instance.together_groups():
            if not any(self.active[m] for m in members):
                continue
            for s in sessions:
                pairs = [index.get((m, s)) for m in members]
                variables = [
                    self.vars.attend[p] for p in pairs if p is not None and p in self.vars.attend
                ]
                fixed = [
                    p is not None and bool(taken[p])
                    for m, p in zip(members, pairs, strict=True)
                    if not self.active[m]
                ]
                if None in pairs or (fixed and not all(fixed)):
                    for var in variables:  # someone of the group cannot attend, so none does
                        self.model.add(var == 0)
                elif fixed:
                    for var in variables:  # the others are fixed as attending
                        self.model.add(var == 1)
                else:
                    for var in variables[1:]:
                        self.model.add(var == variables[0])

    def _member_rules(self) -> None:
        """Each member's own rules: one away session a day and the gaps between them,
        non-repeatable courses, days, hours and sessions per year or month
        (``solver.engine.member_rules``, worked out once per member), over the pairs this
        model decides.

        Every row of every member is read in one pass of NumPy, then posted: read a row
        at a time, they were the largest part of what a neighbourhood's model cost to
        build (1.6 s of 4.4 s for 59 models of a 2,024-member company)."""
        rows = _RowBatch.of(self.instance, self.scope.members)
        if self.decided is not None:
            rows = rows.within(self.decided)
        slots = self._slot[np.searchsorted(self._sorted_pairs, rows.pairs)]
        weights, row_of = rows.weights, rows.row_of
        grouped = self._slot_size[slots] > 1
        if grouped.any():
            slots, weights, row_of = self._count_groups_once(slots, weights, row_of, grouped)
        bounds = np.searchsorted(row_of, np.arange(len(rows.caps) + 1))
        variables = [self._variables[i] for i in slots.tolist()]
        factors = weights.tolist()
        any_grouped = np.bincount(row_of[self._slot_size[slots] > 1], minlength=len(rows.caps))
        plain = (rows.caps == 1) & ~rows.weighted & (any_grouped == 0)
        starts, ends = bounds[:-1].tolist(), bounds[1:].tolist()
        for start, end, cap, one in zip(
            starts, ends, rows.caps.tolist(), plain.tolist(), strict=True
        ):
            if one:
                self.model.add_at_most_one(variables[start:end])
            else:
                self.model.add(
                    cp_model.LinearExpr.weighted_sum(variables[start:end], factors[start:end])
                    <= cap
                )

    def _count_groups_once(
        self, slots: np.ndarray, weights: np.ndarray, row_of: np.ndarray, grouped: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Entries of rows (sorted by row) with a group's pairs counted once per row, through
        its count: within a row, the pairs that stand alone in their order, then the groups
        in the order their first pairs come (``linear``'s order)."""
        at = np.flatnonzero(grouped)
        keys = row_of[at] * len(self._variables) + slots[at]
        kinds, first, seen = np.unique(keys, return_index=True, return_counts=True)
        kind_slots = kinds % len(self._variables)
        if (seen != self._slot_size[kind_slots]).any():
            slot = kind_slots[seen != self._slot_size[kind_slots]][0]
            raise ValueError(f"part of group {self._group_of_slot(slot)} in one sum")
        same = weights[at][first][np.searchsorted(kinds, keys)] == weights[at]
        if not same.all():
            slot = slots[at][~same][0]
            raise ValueError(f"pairs of group {self._group_of_slot(slot)} weighed differently")
        keep = ~grouped
        keep[at[first]] = True
        kept = np.flatnonzero(keep)
        order = kept[np.lexsort((kept, grouped[kept], row_of[kept]))]
        return slots[order], weights[order], row_of[order]

    def _group_of_slot(self, slot: int) -> int:
        """The group whose count is variable ``slot`` (for a message)."""
        pair = self._sorted_pairs[np.flatnonzero(self._slot == slot)[0]]
        return self._group_of[int(pair)]

    def _team_caps(self) -> None:
        """Members of a team away on one day: at most the team's cap, on every day.

        The set of sessions under way changes only where one starts, so one constraint per
        maximal group of sessions sharing a day covers every day; members of the team who
        are outside the scope count with what they are fixed to.
        """
        instance = self.instance
        by_team: dict[str, list[int]] = defaultdict(list)
        for m in self.scope.members:
            by_team[instance.member_team[m]].append(int(m))
        fixed_away = self._background_away_by_team()
        for team, members in by_team.items():
            cap = instance.rules[team].cap
            if cap is None:
                continue
            pairs = np.concatenate([self.pairs_of(m) for m in members])
            pairs = pairs[instance.session_away[instance.pair_session[pairs]]]
            fixed = fixed_away.get(team, {})
            if len(pairs) + sum(fixed.values()) <= cap:
                continue
            pairs_in = _group_by(instance.pair_session[pairs], pairs)
            sessions = np.array(sorted(set(pairs_in) | set(fixed)), dtype=np.int64)
            starts, ends = instance.session_start[sessions], instance.session_end[sessions]
            for clique in interval_cliques(starts, ends, smallest=1):
                chosen = [p for s in sessions[clique] for p in pairs_in.get(int(s), ())]
                room = cap - sum(fixed.get(int(s), 0) for s in sessions[clique])
                if len(chosen) <= room:
                    continue
                if room == 1:
                    self.model.add_at_most_one(self.x(chosen))
                else:
                    self.model.add(total(self.x(chosen)) <= room)

    def _background_away_by_team(self) -> dict[str, dict[int, int]]:
        """Per team of the scope and session: members outside the scope attending it."""
        instance = self.instance
        counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        if not len(self.background):
            return counts
        teams = instance.member_team_index
        in_scope_team = np.zeros(teams.max() + 1, dtype=bool)
        in_scope_team[teams[self.scope.members]] = True
        others = self.background[
            in_scope_team[teams[instance.pair_member[self.background]]]
            & instance.session_away[instance.pair_session[self.background]]
        ]
        for p in others.tolist():
            counts[instance.member_team[instance.pair_member[p]]][
                int(instance.pair_session[p])
            ] += 1
        return counts

    def _pinned(self) -> None:
        for p in self.instance.pinned:
            if int(p) in self.vars.attend:
                self.model.add(self.vars.attend[int(p)] == 1)

    # -- objective terms: each is the scope's part; the rest is fixed ----------------------

    def _add_terms(self, names: tuple[str, ...]) -> None:
        build = {
            "unmet": unmet_term,
            "changes": changes_term,
            "imbalance": imbalance_term,
            "attendances": lambda rota: rota.attendances(),
            "cost": cost_term,
            "avoid": avoid_term,
        }
        for name in names:
            self.terms[name] = build[name](self)


def _group_by(keys: np.ndarray, values: np.ndarray) -> dict:
    groups: dict = defaultdict(list)
    for key, value in zip(keys.tolist(), values.tolist(), strict=True):
        groups[key].append(value)
    return groups


def _count_by(keys: np.ndarray) -> dict[int, int]:
    values, counts = np.unique(keys, return_counts=True)
    return dict(zip(values.tolist(), counts.tolist(), strict=True))


@dataclass
class _RowBatch:
    """The member rows of many members as flat arrays: entry ``i`` is pair ``pairs[i]`` with
    ``weights[i]`` in row ``row_of[i]`` (rows in order); each row's cap, and whether it
    weighs its pairs."""

    pairs: np.ndarray
    weights: np.ndarray
    row_of: np.ndarray
    caps: np.ndarray
    weighted: np.ndarray

    @classmethod
    def of(cls, instance: Instance, members: np.ndarray) -> _RowBatch:
        rows = [instance.member_rows(m) for m in members.tolist()]
        if not rows:
            empty = np.zeros(0, dtype=np.int64)
            return cls(empty, empty, empty, empty, np.zeros(0, dtype=bool))
        caps = np.concatenate([r.caps for r in rows])
        sizes = np.concatenate([np.diff(r.bounds) for r in rows])
        return cls(
            pairs=np.concatenate([r.pairs for r in rows]),
            weights=np.concatenate([r.weights for r in rows]),
            row_of=np.repeat(np.arange(len(caps)), sizes),
            caps=caps,
            weighted=np.concatenate([r.weighted for r in rows]),
        )

    def within(self, decided: np.ndarray) -> _RowBatch:
        """The rows over the ``decided`` pairs only, less those it leaves with no more
        than their cap (weighed) to take."""
        keep = decided[self.pairs]
        pairs, weights, row_of = self.pairs[keep], self.weights[keep], self.row_of[keep]
        load = np.bincount(row_of, weights=weights, minlength=len(self.caps))
        binding = load > self.caps
        renumber = np.cumsum(binding) - 1
        entries = binding[row_of]
        return _RowBatch(
            pairs[entries],
            weights[entries],
            renumber[row_of[entries]],
            self.caps[binding],
            self.weighted[binding],
        )
