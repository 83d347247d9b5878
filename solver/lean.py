"""Dropping surplus attendances without a solve: the plan's over-training, taken out.

An attendance is surplus when removing it raises no window's shortfall of its member,
leaves its session empty or at least at ``min_size`` and within its ``mix`` shares, breaks
no ``together`` group, is not pinned, not in ``previous`` and not the member's first
planned completion of a ``balance`` requirement (SPEC.md's over-training audit). Removing
one worsens no term: ``unmet``, ``changes`` and ``imbalance`` stay, ``attendances`` falls,
``cost`` and ``avoid`` do not rise.

Rounds drop at most one attendance per member (so each member's windows are judged on what
is left) and no more per session than its ``min_size`` and mix shares allow, until no
attendance is surplus. Each round is a few array operations over the plan's attendances.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .instance import Instance, selector_mask

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
    if not taken.any():
        return taken
    kept = _kept(instance, taken)
    window_of, pairs, credit = instance.window_credits()
    # Only the plan's attendances can go; its credits are all that ever changes.
    mine = taken[pairs]
    window_of, pairs, credit = window_of[mine], pairs[mine], credit[mine]
    need = np.array([w.need for w in instance.windows], dtype=np.int64)
    scale = np.array([w.hours_scale for w in instance.windows], dtype=np.int64)
    min_size = np.array([s.min_size for s in instance.scenario.sessions], dtype=np.int64)
    mixes = _mix_rules(instance)
    order = _preference(instance)
    while True:
        served = np.bincount(window_of, weights=credit * taken[pairs], minlength=len(need))
        served = served.astype(np.int64)
        now = _shortfall(need[window_of], served[window_of], scale[window_of])
        after = _shortfall(need[window_of], served[window_of] - credit, scale[window_of])
        needed = np.zeros(instance.num_pairs, dtype=bool)
        needed[pairs[(after > now) & taken[pairs]]] = True
        size = np.bincount(instance.pair_session[taken], minlength=len(min_size))
        candidate = taken & ~kept & ~needed & _may_leave(instance, taken, size, min_size, mixes)
        chosen = _one_per_member_and_session(instance, candidate, order, size, min_size, mixes)
        if len(chosen) == 0:
            return taken
        taken[chosen] = False


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
    instance: Instance,
    taken: np.ndarray,
    size: np.ndarray,
    min_size: np.ndarray,
    mixes: list[_Mix],
) -> np.ndarray:
    """Per pair: whether its session keeps min_size and every mix share without it."""
    left = size[instance.pair_session] - 1
    ok = (left == 0) | (left >= min_size[instance.pair_session])
    for mix in mixes:
        matching = taken & mix.matches[instance.pair_member]
        share = np.bincount(instance.pair_session[matching], minlength=len(size))
        after = share[instance.pair_session] - mix.matches[instance.pair_member]
        governed = mix.sessions[instance.pair_session] & (left > 0)
        if mix.min_share is not None:
            ok &= ~governed | (after >= mix.min_share * left - EPSILON)
        if mix.max_share is not None:
            ok &= ~governed | (after <= mix.max_share * left + EPSILON)
    return ok


def _preference(instance: Instance) -> np.ndarray:
    """The order in which a member's surplus attendances go: the fewest class hours first
    (the slack they leave lets more go), then those on unwanted days, then the dearest."""
    scenario = instance.scenario
    seat_cost = np.array([s.seat_cost for s in scenario.sessions], dtype=np.int64)
    unwanted = np.zeros(instance.num_pairs, dtype=bool)
    for m, member in enumerate(scenario.members):
        if not member.avoid:
            continue
        for p in instance.pairs_of_member[m]:
            session = scenario.sessions[int(instance.pair_session[p])]
            unwanted[p] = any(r.touches(session.start, session.last_day) for r in member.avoid)
    sessions = instance.pair_session
    return np.lexsort(
        (
            np.arange(instance.num_pairs),
            -seat_cost[sessions],
            ~unwanted,
            instance.session_hours[sessions],
        )
    )


def _one_per_member_and_session(
    instance: Instance,
    candidate: np.ndarray,
    order: np.ndarray,
    size: np.ndarray,
    min_size: np.ndarray,
    mixes: list[_Mix],
) -> np.ndarray:
    """Candidates that can all go at once: the preferred one of each member, and per
    session no more than keep it at ``min_size`` (or close it), one where a mix rule holds."""
    ranked = order[candidate[order]]
    members = instance.pair_member[ranked]
    _, first = np.unique(members, return_index=True)
    chosen = ranked[np.sort(first)]
    sessions = instance.pair_session[chosen]
    room = np.where(min_size <= 1, size, np.where(size == 1, 1, size - min_size))
    for mix in mixes:
        room = np.where(mix.sessions, np.minimum(room, 1), room)
    by_session = np.argsort(sessions, kind="stable")
    sorted_sessions = sessions[by_session]
    starts = np.searchsorted(sorted_sessions, sorted_sessions)
    rank = np.empty(len(chosen), dtype=np.int64)
    rank[by_session] = np.arange(len(chosen)) - starts
    return chosen[rank < room[sessions]]
