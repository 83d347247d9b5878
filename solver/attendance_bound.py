"""A proven lower bound on ``attendances`` for plans whose ``unmet`` is at most a value.

Member by member, with every rule that ties members together relaxed (seats, team caps,
min_size, mix, together) and every member limit too, each requirement window can reach its
least shortfall at once: with all of the member's eligible sessions taken. The fewest
attendances that bring every window of a member to that least shortfall, ``a_m``, is a
small covering problem, solved exactly once per distinct window profile.

A plan may leave a member above that least unmet ``u_m`` to save attendances, but each
unit of weighted shortfall saves at most ``K`` of them (``K = 1`` when every session
credits at least one class hour; a window short by ``s`` units more than its least gets
there with at most ``K * s`` more sessions). So any plan with unmet ``U`` has at least
``sum(a_m) - K * (U - sum(u_m))`` attendances.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from .instance import Instance
from .result import StageReport

PROFILE_SECONDS = 1.0  # most CP-SAT time for one profile; its proven bound counts after


@dataclass(frozen=True)
class _Cover:
    """Windows of one member profile: for each, its sessions, their credits and the least
    credit that brings the window to its least shortfall."""

    windows: tuple[tuple[tuple[int, ...], tuple[int, ...], int], ...]


def bound_seconds(time_limit: float) -> float:
    """Time for proving the bound at the end of a solve: the exact covering problems
    tighten it by a few percent; a cheaper proof covers the profiles left."""
    return min(2.0, 0.02 * time_limit)


def term_bounds(
    instance: Instance, terms: dict[str, int], stages: list[StageReport], time_limit: float
) -> dict[str, int]:
    """Proven bounds of later terms, given the earlier ones at the plan's ``terms``: for
    ``attendances``, the better of its stage's bound and the member-by-member one."""
    if "attendances" not in instance.scenario.objective:
        return {}
    bounds = [attendance_bound(instance, terms["unmet"], bound_seconds(time_limit))]
    bounds += [s.bound for s in stages if s.term == "attendances" and s.bound is not None]
    return {"attendances": min(max(bounds), terms["attendances"])}


def attendance_bound(instance: Instance, unmet: int, seconds: float = 30.0) -> int:
    """A proven lower bound on the attendances of any plan whose ``unmet`` is at most
    ``unmet``.

    Parameters
    ----------
    instance
        The indexed scenario.
    unmet
        The plan's weighted unmet requirements.
    seconds
        Time for the covering problems; profiles left when it is spent get the bound of
        their largest window alone, which is weaker but still proven.
    """
    deadline = time.monotonic() + seconds
    least_unmet = 0
    steepness = 1
    sharing: Counter[_Cover] = Counter()
    for m in range(len(instance.scenario.members)):
        cover, least, steep = _member_cover(instance, m)
        least_unmet += least
        steepness = max(steepness, steep)
        sharing[cover] += 1
    # The profiles most members share first: where the time runs out, the rest get a
    # weaker bound that costs nothing to prove.
    fewest = sum(n * _fewest(cover, deadline) for cover, n in sharing.most_common())
    return max(0, fewest - steepness * max(0, unmet - least_unmet))


def _member_cover(instance: Instance, m: int) -> tuple[_Cover, int, int]:
    """A member's covering problem, its least weighted unmet, and its ``K``."""
    windows = []
    least = 0
    steep = 1
    for w in instance.windows_by_member[m]:
        window = instance.windows[w]
        credit = np.asarray(window.credit, dtype=np.int64)
        scale = window.hours_scale
        most = int(credit.sum())
        short = -(-max(0, window.need - most) // scale)
        least += window.weight * short
        required = max(0, window.need - short * scale)
        if required == 0:
            continue
        small = credit[credit < scale]
        if len(small):
            steep = max(steep, int(-(-scale // int(small.min()))))
        sessions = instance.pair_session[window.pairs].tolist()
        windows.append((tuple(sessions), tuple(credit.tolist()), required))
    return _Cover(tuple(sorted(windows))), least, steep


def _fewest(cover: _Cover, deadline: float) -> int:
    """The fewest sessions that give every window of the profile its required credit,
    or a lower bound on it when the time is spent."""
    if not cover.windows:
        return 0
    lower = _packing_bound(cover)
    if lower == _union_of_greedy(cover):
        return lower
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return lower
    model = cp_model.CpModel()
    sessions = sorted({s for session_ids, _, _ in cover.windows for s in session_ids})
    chosen = {s: model.new_bool_var(f"s{s}") for s in sessions}
    for session_ids, credits, required in cover.windows:
        model.add(sum(c * chosen[s] for s, c in zip(session_ids, credits, strict=True)) >= required)
    model.add(sum(chosen.values()) >= lower)
    model.minimize(sum(chosen.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = min(PROFILE_SECONDS, remaining)
    solver.parameters.num_workers = 1
    # Covering rows want the LP and its cuts: without them one worker proves nothing.
    solver.parameters.linearization_level = 2
    status = solver.solve(model)
    if status == cp_model.OPTIMAL:
        return round(solver.objective_value)
    if status == cp_model.FEASIBLE:
        return max(lower, int(np.ceil(solver.best_objective_bound - 1e-6)))
    return lower


def _packing_bound(cover: _Cover) -> int:
    """Windows that share no session need their sessions apart: the sum of their fewest
    alone, over windows picked greedily (largest first) so that no two share a session."""
    used: set[int] = set()
    total = 0
    alone = sorted(
        ((_fewest_alone(c, r), set(s)) for s, c, r in cover.windows), key=lambda x: -x[0]
    )
    for fewest, sessions in alone:
        if not sessions & used:
            used |= sessions
            total += fewest
    return total


def _union_of_greedy(cover: _Cover) -> int:
    """A plan that serves every window (each window's largest sessions), for its size."""
    picked: set[int] = set()
    for session_ids, credits, required in cover.windows:
        got = sum(c for s, c in zip(session_ids, credits, strict=True) if s in picked)
        for credit, s in sorted(zip(credits, session_ids, strict=True), reverse=True):
            if got >= required:
                break
            if s not in picked:
                picked.add(s)
                got += credit
    return len(picked)


def _fewest_alone(credits: tuple[int, ...], required: int) -> int:
    """The fewest sessions that give one window its required credit: the largest first."""
    total = 0
    for count, credit in enumerate(sorted(credits, reverse=True), start=1):
        total += credit
        if total >= required:
            return count
    return len(credits)
