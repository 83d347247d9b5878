"""A proven lower bound on ``attendances`` for plans whose ``unmet`` is at most a value.

Priced member by member: with ``g_m`` the least of ``attendances + K * unmet`` over the
plans of member ``m`` alone (keeping the member's own limits: non-repeatable courses, no
two away sessions on a day, the yearly and monthly caps; relaxing every rule that ties
members together: seats, team caps, min_size, mix, together), any plan whose unmet is
``U`` has at least ``sum(g_m) - K * U`` attendances, for any ``K >= 0``. ``g_m`` is a small
CP-SAT model per distinct member profile, solved while the time lasts, the profiles most
members share first.

For the profiles left a cheaper proof gives ``g_m``: with the member limits relaxed too,
every window reaches its least shortfall at once (all the member's sessions taken); let
``a_m`` be the fewest sessions that do it and ``u_m`` the member's unmet then. A window
short by ``s`` units more than its least gets there with at most ``K * s`` more sessions
(``K = 1`` when every session credits at least one class hour, ``ceil(1 hour / credit)``
otherwise), so ``g_m >= a_m + K * u_m``.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from models import MemberLimits

from .instance import Instance
from .result import StageReport
from .settings import EngineSettings

# One requirement window of a profile: its sessions, their credits, what it needs (after
# history, in its units times the hours scale), the hours scale and its weight.
Window = tuple[tuple[int, ...], tuple[int, ...], int, int, int]


@dataclass(frozen=True)
class _Profile:
    """What a member's bound depends on: the windows that need something, and the limits."""

    windows: tuple[Window, ...]
    limits: MemberLimits


@dataclass(frozen=True)
class _Cover:
    """Windows of one member profile: for each, its sessions, their credits and the least
    credit that brings the window to its least shortfall."""

    windows: tuple[tuple[tuple[int, ...], tuple[int, ...], int], ...]


def bound_seconds(time_limit: float) -> float:
    """Time for proving the bound at the end of a solve, for the priced member models;
    the cheaper proof covers the profiles left."""
    return min(5.0, 0.05 * time_limit)


def term_bounds(
    instance: Instance,
    terms: dict[str, int],
    stages: list[StageReport],
    time_limit: float,
    profile_seconds: float = EngineSettings.profile_seconds,
) -> dict[str, int]:
    """Proven bounds of later terms, given the earlier ones at the plan's ``terms``: for
    ``attendances``, the better of its stage's bound and the member-by-member one
    (``profile_seconds``: as for ``attendance_bound``)."""
    if "attendances" not in instance.scenario.objective:
        return {}
    seconds = bound_seconds(time_limit)
    bounds = [attendance_bound(instance, terms["unmet"], seconds, profile_seconds)]
    bounds += [s.bound for s in stages if s.term == "attendances" and s.bound is not None]
    return {"attendances": min(max(bounds), terms["attendances"])}


def attendance_bound(
    instance: Instance,
    unmet: int,
    seconds: float = 30.0,
    profile_seconds: float = EngineSettings.profile_seconds,
) -> int:
    """A proven lower bound on the attendances of any plan whose ``unmet`` is at most
    ``unmet``.

    Parameters
    ----------
    instance
        The indexed scenario.
    unmet
        The plan's weighted unmet requirements.
    seconds
        Time for the priced member models; profiles left when it is spent get the
        cheaper proof.
    profile_seconds
        The most CP-SAT time for one profile's priced model
        (``EngineSettings.profile_seconds``); its proven bound counts after.
    """
    deadline = time.monotonic() + seconds
    profiles: Counter[_Profile] = Counter()
    cheap: dict[_Profile, tuple[_Cover, int]] = {}
    steepness = 1
    for m in range(len(instance.scenario.members)):
        profile = _profile(instance, m)
        profiles[profile] += 1
        if profile not in cheap:
            cover, least, steep = _member_cover(profile)
            cheap[profile] = (cover, least)
            steepness = max(steepness, steep)
    total = 0
    for profile, members in profiles.most_common():
        cover, least = cheap[profile]
        floor = _packing_bound(cover) + steepness * least
        total += members * max(
            floor, _priced(instance, profile, steepness, floor, deadline, profile_seconds)
        )
    return max(0, total - steepness * unmet)


def _profile(instance: Instance, m: int) -> _Profile:
    windows = []
    for w in instance.windows_by_member[m]:
        window = instance.windows[w]
        windows.append(
            (
                tuple(instance.pair_session[window.pairs].tolist()),
                tuple(np.asarray(window.credit, dtype=np.int64).tolist()),
                int(window.need),
                int(window.hours_scale),
                int(window.weight),
            )
        )
    return _Profile(tuple(sorted(windows)), instance.limits[m])


def _member_cover(profile: _Profile) -> tuple[_Cover, int, int]:
    """The profile's covering problem with every limit relaxed, its least weighted unmet,
    and its ``K``."""
    windows = []
    least = 0
    steep = 1
    for sessions, credits, need, scale, weight in profile.windows:
        short = -(-max(0, need - sum(credits)) // scale)
        least += weight * short
        required = max(0, need - short * scale)
        if required == 0:
            continue
        small = [c for c in credits if c < scale]
        if small:
            steep = max(steep, -(-scale // min(small)))
        windows.append((sessions, credits, required))
    return _Cover(tuple(windows)), least, steep


def _priced(
    instance: Instance, profile: _Profile, price: int, floor: int, deadline: float, most: float
) -> int:
    """A lower bound on the least ``attendances + price * unmet`` of a member with this
    profile, keeping the member's own limits, in at most ``most`` seconds; ``floor`` when the
    time is spent."""
    remaining = deadline - time.monotonic()
    if remaining <= 0 or not profile.windows:
        return floor
    model = cp_model.CpModel()
    sessions = sorted({s for window in profile.windows for s in window[0]})
    take = {s: model.new_bool_var(f"s{s}") for s in sessions}
    unmet = []
    for session_ids, credits, need, scale, weight in profile.windows:
        short = model.new_int_var(0, -(-need // scale), "short")
        served = sum(c * take[s] for s, c in zip(session_ids, credits, strict=True))
        model.add(short * scale + served >= need)
        unmet.append(weight * short)
    _member_limits(instance, profile.limits, take, model)
    objective = sum(take.values()) + price * sum(unmet)
    model.add(objective >= floor)
    model.minimize(objective)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = min(most, remaining)
    solver.parameters.num_workers = 1
    # Covering rows want the LP and its cuts: without them one worker proves little.
    solver.parameters.linearization_level = 2
    status = solver.solve(model)
    if status == cp_model.OPTIMAL:
        return round(solver.objective_value)
    if status == cp_model.FEASIBLE:
        return int(np.ceil(solver.best_objective_bound - 1e-6))
    return floor


def _member_limits(
    instance: Instance,
    limits: MemberLimits,
    take: dict[int, cp_model.IntVar],
    model: cp_model.CpModel,
) -> None:
    """One member's own rules: a non-repeatable course once, one away session a day,
    and the yearly and monthly caps (min_gap is left out: the bound stays valid)."""
    scenario = instance.scenario
    by_course: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    by_day: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    by_year: dict[int, list[int]] = defaultdict(list)
    days_in: dict[tuple[int, ...], list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for s, var in take.items():
        course = scenario.sessions[s].course
        if not scenario.course_by_id[course].repeatable:
            by_course[course].append(var)
        by_year[int(instance.session_year[s])].append(s)
        if instance.session_away[s]:
            for day in range(int(instance.session_start[s]), int(instance.session_end[s]) + 1):
                by_day[day].append(var)
            for (year, month), days in instance.session_months[s]:
                days_in[(year,)].append((days, var))
                days_in[(year, month)].append((days, var))
    for group in (*by_course.values(), *by_day.values()):
        if len(group) > 1:
            model.add(sum(group) <= 1)
    for year_sessions in by_year.values():
        if limits.max_sessions_per_year is not None:
            model.add(sum(take[s] for s in year_sessions) <= limits.max_sessions_per_year)
        if limits.max_hours_per_year is not None:
            # Rounded down only past any float error: a lower cap would prove too much.
            hours = math.floor(limits.max_hours_per_year * instance.hours_scale + 1e-6)
            model.add(sum(int(instance.session_hours[s]) * take[s] for s in year_sessions) <= hours)
    for period, counted in days_in.items():
        days_cap = limits.max_days_per_year if len(period) == 1 else limits.max_days_per_month
        if days_cap is not None:
            model.add(sum(days * var for days, var in counted) <= days_cap)


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


def _fewest_alone(credits: tuple[int, ...], required: int) -> int:
    """The fewest sessions that give one window its required credit: the largest first."""
    total = 0
    for count, credit in enumerate(sorted(credits, reverse=True), start=1):
        total += credit
        if total >= required:
            return count
    return len(credits)
