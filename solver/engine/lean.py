"""Dropping surplus attendances without a solve: the plan's over-training, taken out.

An attendance is surplus when removing it raises no window's shortfall of its member,
leaves its session empty or at least at ``min_size`` and within its ``mix`` shares, breaks
no ``together`` group, is not pinned, not in ``previous`` and not the member's first
planned completion of a ``balance`` requirement (SPEC.md's over-training audit). Removing
one worsens no term: ``unmet``, ``changes`` and ``imbalance`` stay, ``attendances`` falls,
``cost`` and ``avoid`` do not rise.

Each round takes the surplus attendances in order of preference and keeps those that fit
together: in every window the credits dropped add up to no more than it can lose, and per
session no more go than its ``min_size`` and mix shares allow. Rounds repeat until no
attendance is surplus; each is a few array operations over the plan's attendances.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.eligibility import selector_mask

from .instance import Instance

EPSILON = 1e-9  # shares compare as the checker compares them


@dataclass
class _Mix:
    """One ``mix`` rule: the sessions it governs and the members it counts."""

    sessions: np.ndarray  # bool per session
    matches: np.ndarray  # bool per member
    min_share: float | None
    max_share: float | None


def drop_surplus(instance: Instance, taken: np.ndarray) -> np.ndarray:
    """The plan without its surplus attendances, dropped greedily to a fix point.

    Parameters
    ----------
    instance
        The indexed scenario.
    taken
        The plan, a boolean per pair; it must hold every rule.

    Returns
    -------
    A new boolean array: ``taken`` less every attendance the rounds could drop.
    """
    taken = taken.astype(bool).copy()
    plan = np.flatnonzero(taken)
    if len(plan) == 0:
        return taken
    # Everything below is indexed by the plan's attendances, not by every eligible pair.
    member, session = instance.pair_member[plan], instance.pair_session[plan]
    local = np.full(instance.num_pairs, -1, dtype=np.int64)
    local[plan] = np.arange(len(plan))
    window_of, pairs, credit = instance.window_credits()
    mine = taken[pairs]
    window_of, attendance, credit = window_of[mine], local[pairs[mine]], credit[mine]
    need = np.array([w.need for w in instance.windows], dtype=np.int64)
    scale = np.array([w.hours_scale for w in instance.windows], dtype=np.int64)
    min_size = np.array([s.min_size for s in instance.scenario.sessions], dtype=np.int64)
    mixes = _mix_rules(instance)
    rank = np.empty(len(plan), dtype=np.int64)
    rank[_preference(instance, plan)] = np.arange(len(plan))
    movable = ~_kept(instance, taken)[plan]
    present = np.ones(len(plan), dtype=bool)
    while True:
        served = np.bincount(
            window_of, weights=credit * present[attendance], minlength=len(need)
        ).astype(np.int64)
        short = _shortfall(need, served, scale)
        # The credit a window can lose and keep its shortfall.
        slack = served - (need - short * scale)
        size = np.bincount(session[present], minlength=len(min_size))
        candidate = present & movable & _may_leave(member, session, present, size, min_size, mixes)
        tight = (credit > slack[window_of]) & present[attendance]
        candidate[attendance[tight]] = False
        chosen = _jointly(
            candidate, rank, window_of, attendance, credit, slack, session, size, min_size, mixes
        )
        if len(chosen) == 0:
            taken[plan[~present]] = False
            return taken
        present[chosen] = False


def _shortfall(need: np.ndarray, served: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Shortfall in the requirement's units: completions, or whole class hours."""
    return -(-np.maximum(0, need - served) // scale)


def _kept(instance: Instance, taken: np.ndarray) -> np.ndarray:
    """Attendances that may never go: pinned, previous, tied by ``together``, or the first
    planned completion of a ``balance`` requirement (its year is what ``imbalance`` counts)."""
    kept = np.zeros(instance.num_pairs, dtype=bool)
    kept[instance.pinned] = True
    kept[list(instance.previous_pairs.values())] = True
    index = instance.pair_index()
    for members, sessions in instance.together_groups():
        if len(set(members)) < 2:
            continue
        for m in members:
            for s in sessions:
                p = index.get((m, s))
                if p is not None:
                    kept[p] = True
    kept[_balance_firsts(instance, taken)] = True
    return kept


def _balance_firsts(instance: Instance, taken: np.ndarray) -> np.ndarray:
    """Each member's first planned completion (earliest start, then session id) of each
    ``balance`` requirement that applies to the member."""
    scenario = instance.scenario
    ids = np.array([s.id for s in scenario.sessions], dtype=object)
    id_rank = np.empty(len(ids), dtype=np.int64)
    id_rank[np.argsort(ids, kind="stable")] = np.arange(len(ids))
    firsts = []
    for r, requirement in enumerate(scenario.requirements):
        if not requirement.balance:
            continue
        who = selector_mask(requirement.who, instance.columns)
        counted = taken & instance.requirement_sessions(r)[instance.pair_session]
        counted &= who[instance.pair_member]
        pairs = np.flatnonzero(counted)
        sessions = instance.pair_session[pairs]
        order = np.lexsort(
            (id_rank[sessions], instance.session_start[sessions], instance.pair_member[pairs])
        )
        members = instance.pair_member[pairs[order]]
        first = np.ones(len(order), dtype=bool)
        first[1:] = members[1:] != members[:-1]
        firsts.append(pairs[order[first]])
    return np.concatenate(firsts) if firsts else np.zeros(0, dtype=np.int64)


def _mix_rules(instance: Instance) -> list[_Mix]:
    scenario = instance.scenario
    rules = []
    for course in scenario.courses:
        if not course.mix:
            continue
        sessions = np.array([s.course == course.id for s in scenario.sessions], dtype=bool)
        for rule in course.mix:
            matches = selector_mask(rule.who, instance.columns)
            rules.append(_Mix(sessions, matches, rule.min_share, rule.max_share))
    return rules


def _may_leave(
    member: np.ndarray,
    session: np.ndarray,
    present: np.ndarray,
    size: np.ndarray,
    min_size: np.ndarray,
    mixes: list[_Mix],
) -> np.ndarray:
    """Per attendance: whether its session keeps min_size and every mix share without it."""
    left = size[session] - 1
    ok = (left == 0) | (left >= min_size[session])
    for mix in mixes:
        matching = mix.matches[member]
        share = np.bincount(session[present & matching], minlength=len(size))
        after = share[session] - matching
        governed = mix.sessions[session] & (left > 0)
        if mix.min_share is not None:
            ok &= ~governed | (after >= mix.min_share * left - EPSILON)
        if mix.max_share is not None:
            ok &= ~governed | (after <= mix.max_share * left + EPSILON)
    return ok


def _preference(instance: Instance, plan: np.ndarray) -> np.ndarray:
    """The order in which the plan's surplus attendances go: the fewest class hours first
    (the slack they leave lets more go), then those on unwanted days, then the dearest."""
    scenario = instance.scenario
    seat_cost = np.array([s.seat_cost for s in scenario.sessions], dtype=np.int64)
    sessions = instance.pair_session[plan]
    unwanted = np.zeros(len(plan), dtype=bool)
    avoiding = np.array([bool(m.avoid) for m in scenario.members], dtype=bool)
    for i in np.flatnonzero(avoiding[instance.pair_member[plan]]).tolist():
        avoid = scenario.members[int(instance.pair_member[plan[i]])].avoid
        session = scenario.sessions[int(sessions[i])]
        unwanted[i] = any(r.touches(session.start, session.last_day) for r in avoid)
    return np.lexsort(
        (np.arange(len(plan)), -seat_cost[sessions], ~unwanted, instance.session_hours[sessions])
    )


def _jointly(
    candidate: np.ndarray,
    rank: np.ndarray,
    window_of: np.ndarray,
    attendance: np.ndarray,
    credit: np.ndarray,
    slack: np.ndarray,
    session: np.ndarray,
    size: np.ndarray,
    min_size: np.ndarray,
    mixes: list[_Mix],
) -> np.ndarray:
    """Candidates that can all go at once, in order of preference: in each window, those
    whose credits, added up in that order, stay within the window's slack; then per
    session no more than keep it at ``min_size`` (or close it), one where a mix rule holds.

    A candidate left out still counts in the sums before the next, so the sums only
    overstate what goes: every window keeps its shortfall.
    """
    counted = candidate[attendance]
    windows, who, credits = window_of[counted], attendance[counted], credit[counted]
    order = np.lexsort((rank[who], windows))
    windows, who, credits = windows[order], who[order], credits[order]
    total = np.cumsum(credits)
    first = np.ones(len(windows), dtype=bool)
    first[1:] = windows[1:] != windows[:-1]
    before = (total - credits)[first][np.cumsum(first) - 1]
    over = total - before > slack[windows]
    fits = candidate.copy()
    fits[who[over]] = False
    chosen = np.flatnonzero(fits)
    chosen = chosen[np.argsort(rank[chosen], kind="stable")]
    sessions = session[chosen]
    room = np.where(min_size <= 1, size, np.where(size == 1, 1, size - min_size))
    for mix in mixes:
        room = np.where(mix.sessions, np.minimum(room, 1), room)
    by_session = np.argsort(sessions, kind="stable")
    sorted_sessions = sessions[by_session]
    starts = np.searchsorted(sorted_sessions, sorted_sessions)
    place = np.empty(len(chosen), dtype=np.int64)
    place[by_session] = np.arange(len(chosen)) - starts
    return chosen[place < room[sessions]]
