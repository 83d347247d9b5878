"""A member's own rules as rows: worked out once per member, posted by every model that
decides for the member.

The rules that hold within one member's plan (one away session a day, the gap between
away sessions, non-repeatable courses, days, hours and sessions per year or month) depend
on nothing but the member's eligible pairs, yet a neighbourhood search builds thousands of
models over the same members: computed afresh, the cliques and caps were most of what a
move's model cost to build (on a 2,024-member company with small classes, 5 s of every
11 s spent building moves). Each row is "at most ``cap`` of these pairs, each weighing its
weight".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .instance import Instance


@dataclass(frozen=True)
class MemberRow:
    """``sum(weight * attends) <= cap`` over ``pairs`` (every weight 1 when None)."""

    pairs: np.ndarray
    weights: np.ndarray | None
    cap: int


@dataclass(frozen=True)
class MemberRows:
    """One member's rows packed into a few arrays: kept for every member of a province,
    a list of small arrays per row would cost four times the memory."""

    pairs: np.ndarray  # every row's pairs, one row after the other
    weights: np.ndarray  # each of those pairs' weight in its row
    bounds: np.ndarray  # row i holds pairs[bounds[i]:bounds[i + 1]]
    caps: np.ndarray
    weighted: np.ndarray  # whether row i has weights other than 1

    def __iter__(self):
        """Each row as ``MemberRow``."""
        for i, cap in enumerate(self.caps.tolist()):
            chosen = slice(self.bounds[i], self.bounds[i + 1])
            weights = self.weights[chosen] if self.weighted[i] else None
            yield MemberRow(self.pairs[chosen], weights, cap)


def member_rows(instance: Instance, m: int) -> MemberRows:
    """Every row of member ``m``'s own rules, packed."""
    rows = [
        *away_overlap_and_gap(instance, m),
        *non_repeatable(instance, m),
        *day_caps(instance, m),
        *hour_and_session_caps(instance, m),
    ]
    sizes = [len(row.pairs) for row in rows]
    weights = [
        np.ones(len(r.pairs), dtype=np.int64) if r.weights is None else r.weights for r in rows
    ]
    return MemberRows(
        pairs=np.concatenate([row.pairs for row in rows]) if rows else np.zeros(0, np.int64),
        weights=np.concatenate(weights) if rows else np.zeros(0, np.int64),
        bounds=np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
        caps=np.array([row.cap for row in rows], dtype=np.int64),
        weighted=np.array([row.weights is not None for row in rows], dtype=bool),
    )


def away_overlap_and_gap(instance: Instance, m: int) -> list[MemberRow]:
    """No two away sessions sharing a day or closer than ``min_gap_days``, as cliques."""
    pairs = instance.pairs_of_member[m]
    sessions = instance.pair_session[pairs]
    away = instance.session_away[sessions]
    if away.sum() < 2:
        return []
    gap = instance.limits[m].min_gap_days or 0
    chosen, chosen_sessions = pairs[away], sessions[away]
    starts = instance.session_start[chosen_sessions]
    ends = instance.session_end[chosen_sessions] + gap
    return [MemberRow(chosen[clique], None, 1) for clique in interval_cliques(starts, ends)]


def non_repeatable(instance: Instance, m: int) -> list[MemberRow]:
    """At most one session of a non-repeatable course (history removed its pairs)."""
    pairs = instance.pairs_of_member[m]
    sessions = instance.pair_session[pairs]
    once = ~instance.session_repeatable[sessions]
    course = instance.session_course[sessions[once]]
    return [
        MemberRow(chosen, None, 1) for chosen in _split_by(course, pairs[once]) if len(chosen) > 1
    ]


def day_caps(instance: Instance, m: int) -> list[MemberRow]:
    """Days away per year and per month; each day counts in its own month and year."""
    limits = instance.limits[m]
    if limits.max_days_per_year is None and limits.max_days_per_month is None:
        return []
    per_year: dict[int, list[tuple[int, int]]] = defaultdict(list)
    per_month: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for p in instance.pairs_of_member[m].tolist():
        s = instance.pair_session[p]
        if not instance.session_away[s]:
            continue
        for (year, month), days in instance.session_months[s]:
            per_month[(year, month)].append((p, days))
            per_year[year].append((p, days))
    return [
        *_caps(per_year, limits.max_days_per_year),
        *_caps(per_month, limits.max_days_per_month),
    ]


def hour_and_session_caps(instance: Instance, m: int) -> list[MemberRow]:
    """Class hours and sessions per year, counted in the year a session starts."""
    limits = instance.limits[m]
    if limits.max_hours_per_year is None and limits.max_sessions_per_year is None:
        return []
    hours: dict[int, list[tuple[int, int]]] = defaultdict(list)
    count: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for p in instance.pairs_of_member[m].tolist():
        s = instance.pair_session[p]
        year = int(instance.session_year[s])
        hours[year].append((p, int(instance.session_hours[s])))
        count[year].append((p, 1))
    rows = []
    if limits.max_hours_per_year is not None:
        # Scaled hours are whole numbers, so flooring the cap loses nothing.
        rows += _caps(hours, int(limits.max_hours_per_year * instance.hours_scale + 1e-6))
    return rows + _caps(count, limits.max_sessions_per_year)


def _caps(groups: dict, cap: int | None) -> list[MemberRow]:
    """A row per group whose weights can add up to more than ``cap``."""
    if cap is None:
        return []
    rows = []
    for items in groups.values():
        pairs, weights = (np.array(column, dtype=np.int64) for column in zip(*items, strict=True))
        if weights.sum() > cap:
            rows.append(MemberRow(pairs, weights, cap))
    return rows


def _split_by(keys: np.ndarray, values: np.ndarray) -> list[np.ndarray]:
    """``values`` grouped by equal ``keys``."""
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    return np.split(values, np.flatnonzero(np.diff(keys)) + 1) if len(keys) else []


def interval_cliques(starts: np.ndarray, ends: np.ndarray, smallest: int = 2):
    """Maximal groups of closed intervals sharing a day, found at start points (indices
    into ``starts``).

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
