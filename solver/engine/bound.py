"""A lower bound on ``unmet`` that every plan obeys, proven block by block.

``unmet`` is a sum over requirement windows, so cutting the windows into blocks and
proving, for each block, the least weighted shortfall any plan can leave on it gives a
lower bound on the whole: the sum of the blocks' bounds. Each block is proven on a small
relaxed model (``Scope(relaxed=True, pairs=...)``): only the pairs that can serve the
block, and only the rules that fewer attendances never break, so whatever a plan does on
the block, the relaxed model can do too.

Two kinds of blocks, because shortfall has two kinds of causes:

- **seats**: the windows of one requirement in one year (or over the horizon) whose
  sessions are few, with the capacity and team caps of those sessions (the middle tier
  wanting more seats of its yearly course than there are);
- **members**: what is left of one member's windows, with that member's own limits
  (days, hours, gaps, overlaps, presence), which the whole model's linear relaxation
  sees only fractionally.

Only windows the current plan leaves short need a block: a block the plan meets in full
has bound 0. On the shipped company the whole model's relaxation proves 245 and this 425
(in under 3 s), against plans of about 433; at province size, where no whole model is
built, it is the only bound.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from .bound_flow import seats_flow_shortfall
from .instance import Instance
from .model import RotaModel, Scope
from .settings import EngineSettings


@dataclass
class BlockBound:
    """The bound and how it was reached."""

    value: int = 0
    seats: dict[tuple[int, int, int], int] = field(default_factory=dict)
    members: int = 0  # member blocks proven (interchangeable members share one)
    # Every block that proved more than 0: its windows and the least weighted shortfall
    # any plan leaves on them. A plan at that value on a block cannot gain there.
    blocks: list[tuple[np.ndarray, int]] = field(default_factory=list)
    complete: bool = True  # False when the deadline cut the proof short (value still holds)
    seconds: float = 0.0


def block_bound(
    instance: Instance,
    short: np.ndarray,
    deadline: float,
    stop: Callable[[], bool] | None = None,
    settings: EngineSettings | None = None,
) -> BlockBound:
    """Prove a lower bound on the weighted shortfall of every plan.

    ``short``: each window's weighted shortfall in the current plan; windows at 0 need no
    proof. Stops at ``deadline`` or when ``stop()`` says so; whatever was proven by then
    is returned and still holds (unproven blocks count 0). ``settings``: which seats
    blocks are proven and the work each proof may take (``EngineSettings``).
    """
    knobs = settings or EngineSettings()
    started = time.monotonic()
    result = BlockBound()

    def halted() -> bool:
        return time.monotonic() >= deadline or (stop is not None and stop())

    taken_by_seats: set[int] = set()
    for key, part in _seat_blocks(instance, short):
        if halted():
            result.complete = False
            break
        pairs = np.unique(np.concatenate([instance.windows[w].pairs for w in part]))
        counts = _counts_completions(instance, part)
        if counts and len(pairs) > min(knobs.flow_block_pairs, knobs.seats_block_pairs):
            # Large enough that CP-SAT's proof costs seconds: what its seats alone force.
            value = seats_flow_shortfall(instance, part)
        elif len(pairs) <= knobs.seats_block_pairs:
            members = np.unique(instance.pair_member[pairs])
            value = _prove(instance, members, pairs, part, deadline, knobs.block_work)
        else:
            continue
        if value > 0:
            result.seats[key] = result.seats.get(key, 0) + value
            result.value += value
            result.blocks.append((np.array(part, dtype=np.int64), value))
            taken_by_seats.update(part)
    # Interchangeable members (same sessions open, limits and windows) have the same
    # block: proven once, counted for each.
    proven: dict[tuple, int] = {}
    for m, windows in _member_blocks(instance, short, taken_by_seats).items():
        if halted():
            result.complete = False
            break
        key = _member_block_key(instance, m, windows)
        if key not in proven:
            members = np.array([m], dtype=np.int64)
            pairs = instance.pairs_of_member[m]
            proven[key] = _prove(instance, members, pairs, windows, deadline, knobs.block_work)
            result.members += 1
        result.value += proven[key]
        if proven[key] > 0:
            result.blocks.append((np.array(windows, dtype=np.int64), proven[key]))
    result.seconds = time.monotonic() - started
    return result


def _counts_completions(instance: Instance, windows: list[int]) -> bool:
    """Whether the windows' requirement counts completions (not class hours)."""
    requirement = instance.scenario.requirements[instance.windows[windows[0]].requirement]
    return requirement.min_hours is None


def _seat_blocks(instance: Instance, short: np.ndarray) -> list[tuple[tuple, list[int]]]:
    """Candidate seats blocks, most short first: the windows of one requirement, split
    where they share no session (the years of a yearly requirement, a province's
    regions), each with every window of its part (the met ones compete for the seats
    too), and only parts the plan leaves short. A part is keyed by its requirement and
    the first and last year of its windows.

    A requirement over the horizon is one part even where its windows differ (a member
    who joins or leaves has a shorter one): they compete for the same sessions. Cut by
    their years, a block of 36 joiners counted every rotation seat as theirs.
    """
    by_requirement: dict[int, list[int]] = defaultdict(list)
    for w, window in enumerate(instance.windows):
        if window.need > 0 and len(window.pairs):
            by_requirement[window.requirement].append(w)
    blocks = []
    for r, windows in by_requirement.items():
        if not short[windows].any():
            continue
        for part in _session_components(instance, windows):
            if short[part].any():
                first = min(instance.windows[w].start.year for w in part)
                last = max(instance.windows[w].end.year for w in part)
                blocks.append(((r, first, last), part))
    return sorted(blocks, key=lambda block: -int(short[block[1]].sum()))


def _session_components(instance: Instance, windows: list[int]) -> list[list[int]]:
    """The windows split where they share no session: a province's regions run their own
    classes, so one requirement-year falls apart into a block per region, each small."""
    parent: dict[int, int] = {}

    def root(s: int) -> int:
        while parent.setdefault(s, s) != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    sessions_of = {w: np.unique(instance.pair_session[instance.windows[w].pairs]) for w in windows}
    for sessions in sessions_of.values():
        first = root(int(sessions[0]))
        for s in sessions[1:].tolist():
            other = root(s)
            if other != first:
                parent[other] = first
    parts: dict[int, list[int]] = defaultdict(list)
    for w, sessions in sessions_of.items():
        parts[root(int(sessions[0]))].append(w)
    return list(parts.values())


def _member_blocks(instance: Instance, short: np.ndarray, taken: set[int]) -> dict[int, list[int]]:
    """Each member's short windows that no seats block holds, with the member's other
    free windows (met or not, they compete for the member's days and hours)."""
    blocks: dict[int, list[int]] = {}
    for w in np.flatnonzero(short):
        if int(w) in taken:
            continue
        m = instance.windows[int(w)].member
        if m not in blocks:
            blocks[m] = [v for v in instance.windows_by_member[m] if v not in taken]
    return blocks


def _member_block_key(instance: Instance, m: int, windows: list[int]) -> tuple:
    """What a member's block model is made of, without the member's name."""
    pairs = instance.pairs_of_member[m]
    sessions = instance.pair_session[pairs]
    pinned = np.isin(pairs, instance.pinned)
    shape = tuple(
        (
            window.need,
            window.weight,
            window.hours_scale,
            instance.pair_session[window.pairs].tobytes(),
            np.asarray(window.credit).tobytes(),
        )
        for window in (instance.windows[w] for w in windows)
    )
    return (sessions.tobytes(), pinned.tobytes(), repr(instance.limits[m]), shape)


def _prove(
    instance: Instance,
    members: np.ndarray,
    pairs: np.ndarray,
    windows: list[int],
    deadline: float,
    work: float,
) -> int:
    """The least weighted shortfall of ``windows`` on the relaxed model, as proven by the
    deadline or in ``work`` of CP-SAT's deterministic time (CP-SAT's bound when it stops
    before the optimum)."""
    rota = RotaModel(instance, Scope(members, relaxed=True, pairs=pairs))
    objective = sum(
        instance.windows[w].weight * rota.vars.shortfall[w]
        for w in windows
        if w in rota.vars.shortfall
    )
    rota.model.minimize(objective)
    solver = cp_model.CpSolver()
    # rotaplan handles Ctrl-C itself; CP-SAT's own handler would end the process.
    solver.parameters.catch_sigint_signal = False
    solver.parameters.num_workers = 1
    # A window that needs one completion is a clause, which the default relaxation leaves
    # out of the LP: the full linearisation is what gives these small models their bound.
    solver.parameters.linearization_level = 2
    # Limited in deterministic time, so a block proves the same whatever else runs on the
    # machine (the bound then steers the search the same way every run); the deadline
    # caps it by the clock.
    solver.parameters.max_deterministic_time = work
    solver.parameters.max_time_in_seconds = max(0.05, deadline - time.monotonic())
    status = solver.solve(rota.model)
    if status == cp_model.OPTIMAL:
        return round(solver.objective_value)
    if status == cp_model.FEASIBLE:
        return max(0, math.ceil(solver.best_objective_bound - 1e-6))
    return 0
