"""Building an ``Instance``: the scenario's eligible pairs, its windows' demands, and the
pairs no optimal plan contains left out."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TypedDict

import numpy as np

from models import Eligibility, Scenario, member_limits
from models.eligibility import member_columns, selector_mask
from models.rules import TeamRule, team_rules

from .instance import Instance, WindowDemand, together_groups
from .instance_windows import window_demands

HOUR_SCALES = (1, 2, 4, 5, 10, 20, 100, 1000)


class SessionArrays(TypedDict):
    """The ``Instance`` fields that describe each session, one array entry per session."""

    session_start: np.ndarray
    session_end: np.ndarray
    session_away: np.ndarray
    session_hours: np.ndarray
    hours_scale: int
    session_year: np.ndarray
    session_months: list[list[tuple[tuple[int, int], int]]]
    session_course: np.ndarray
    session_repeatable: np.ndarray


def build_instance(scenario: Scenario) -> Instance:
    """Index the scenario: eligible pairs, dominated pairs removed, windows and their pairs."""
    rules = team_rules(scenario)
    members = scenario.members
    sessions = session_arrays(scenario)
    start, hours, scale = (
        sessions["session_start"],
        sessions["session_hours"],
        sessions["hours_scale"],
    )
    pair_member, pair_session = _eligible_pairs(scenario, rules, start)
    windows = list(
        window_demands(
            scenario, _group(pair_member, len(members)), pair_session, start, hours, scale
        )
    )
    keep = _useful_pairs(scenario, pair_member, pair_session, windows)
    keep &= ~_cannot_run(scenario, rules, pair_member, pair_session)[pair_session]
    keep &= ~_partner_absent(scenario, pair_member, pair_session)
    dropped = int(len(keep) - keep.sum())
    if dropped:
        remap = np.cumsum(keep) - 1
        pair_member, pair_session = pair_member[keep], pair_session[keep]
        for window in windows:
            mask = keep[window.pairs]
            window.pairs, window.credit = remap[window.pairs[mask]], window.credit[mask]
    instance = Instance(
        scenario=scenario,
        rules=rules,
        limits=[member_limits(scenario, m) for m in members],
        pair_member=pair_member,
        pair_session=pair_session,
        pairs_of_member=_group(pair_member, len(members)),
        pairs_of_session=_group(pair_session, len(scenario.sessions)),
        windows=windows,
        member_team=[m.team for m in members],
        pinned=np.zeros(0, dtype=np.int64),
        windows_by_member=_windows_by_member(windows, len(members)),
        dropped_pairs=dropped,
        **sessions,
    )
    _index_pinned_and_previous(instance)
    return instance


def session_arrays(scenario: Scenario) -> SessionArrays:
    """Each session's days, whether it is away, its class hours (times the hours scale),
    its year, its days in each month, its course (an index into ``scenario.courses``) and
    whether that course is repeatable."""
    sessions = scenario.sessions
    scale = _hours_scale(scenario)
    course_index = {course.id: c for c, course in enumerate(scenario.courses)}
    return SessionArrays(
        session_start=np.array([s.start.toordinal() for s in sessions], dtype=np.int64),
        session_end=np.array([s.last_day.toordinal() for s in sessions], dtype=np.int64),
        session_away=np.array([scenario.is_away(s) for s in sessions], dtype=bool),
        session_hours=np.array(
            [round(scenario.session_hours(s) * scale) for s in sessions], dtype=np.int64
        ),
        hours_scale=scale,
        session_year=np.array([s.start.year for s in sessions], dtype=np.int64),
        session_months=[days_by_month(s.start, s.last_day) for s in sessions],
        session_course=np.array([course_index[s.course] for s in sessions], dtype=np.int64),
        session_repeatable=np.array(
            [scenario.course_by_id[s.course].repeatable for s in sessions], dtype=bool
        ),
    )


def days_by_month(start: dt.date, end: dt.date) -> list[tuple[tuple[int, int], int]]:
    """How many of a session's days fall in each month."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    day = start
    while day <= end:
        counts[(day.year, day.month)] += 1
        day += dt.timedelta(days=1)
    return sorted(counts.items())


def _windows_by_member(windows: list[WindowDemand], size: int) -> list[list[int]]:
    """Each member's windows that still need something, by window index."""
    by_member: list[list[int]] = [[] for _ in range(size)]
    for w, window in enumerate(windows):
        if window.need > 0:
            by_member[window.member].append(w)
    return by_member


def _hours_scale(scenario: Scenario) -> int:
    """The smallest factor that makes every class-hour figure a whole number."""
    values = [c.hours for c in scenario.courses] + [
        scenario.session_hours(s) for s in scenario.sessions
    ]
    values += [r.min_hours for r in scenario.requirements if r.min_hours is not None]
    values += [e.max_hours_per_year for e in scenario.limits if e.max_hours_per_year is not None]
    for scale in HOUR_SCALES:
        if all(abs(v * scale - round(v * scale)) < 1e-6 for v in values):
            return scale
    return HOUR_SCALES[-1]


def _eligible_pairs(
    scenario: Scenario, rules: dict[str, TeamRule], start: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """All eligible (member, session) pairs (``models.Eligibility``), sorted by member then
    session start."""
    eligibility = Eligibility(scenario, rules, cache=False)
    chosen_m, chosen_s = [], []
    for s, session in enumerate(scenario.sessions):
        chosen = eligibility.eligible(session)
        chosen_m.append(chosen)
        chosen_s.append(np.full(len(chosen), s, dtype=np.int64))
    pair_member = np.concatenate(chosen_m) if chosen_m else np.zeros(0, dtype=np.int64)
    pair_session = np.concatenate(chosen_s) if chosen_s else np.zeros(0, dtype=np.int64)
    order = np.lexsort((start[pair_session], pair_member))
    return pair_member[order].astype(np.int64), pair_session[order].astype(np.int64)


def _group(keys: np.ndarray, size: int) -> list[np.ndarray]:
    """Indices of ``keys`` grouped by value, for values ``0..size-1``."""
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[order], np.arange(size + 1))
    return [order[bounds[i] : bounds[i + 1]] for i in range(size)]


def _useful_pairs(
    scenario: Scenario,
    pair_member: np.ndarray,
    pair_session: np.ndarray,
    windows: list[WindowDemand],
) -> np.ndarray:
    """Pairs that can matter to some term or rule; the rest are always better left out.

    A pair that serves no window, is not pinned or previous, in a session with no minimum
    size, mix rule or together group, only adds attendances, cost and load: removing an
    attendee never breaks a rule there, so no optimal plan contains it.
    """
    keep = np.zeros(len(pair_member), dtype=bool)
    for window in windows:
        if window.need > 0:
            keep[window.pairs] = True
    sessions = scenario.sessions
    together_courses = {g.course for g in scenario.together}
    needs_crowd = np.array(
        [
            s.min_size > 1
            or bool(scenario.course_by_id[s.course].mix)
            or s.course in together_courses
            for s in sessions
        ],
        dtype=bool,
    )
    keep |= needs_crowd[pair_session]
    # A balanced requirement counts first completions whether or not a window still needs them.
    columns = member_columns(scenario)
    for requirement in scenario.requirements:
        if requirement.balance:
            counted = np.array([requirement.counts_course(s.course) for s in sessions], dtype=bool)
            keep |= counted[pair_session] & selector_mask(requirement.who, columns)[pair_member]
    wanted = {(row.member, row.session) for row in scenario.pinned}
    wanted |= set(scenario.previous or ())
    if wanted:
        member_ids = [m.id for m in scenario.members]
        session_ids = [s.id for s in sessions]
        for p, (m, s) in enumerate(zip(pair_member, pair_session, strict=True)):
            if (member_ids[m], session_ids[s]) in wanted:
                keep[p] = True
    return keep


def _cannot_run(
    scenario: Scenario,
    rules: dict[str, TeamRule],
    pair_member: np.ndarray,
    pair_session: np.ndarray,
) -> np.ndarray:
    """A boolean per session: whether no plan can reach its ``min_size``.

    Fewer members are eligible than the minimum, or, for an ``away`` course, fewer even
    with every team sending as many as its daily cap lets go: a class for a whole unit
    that needs more than its teams may release on one day. No plan runs such a session,
    so its pairs are left out, and with them the hours a relaxation would count on it
    (generated small classes, 2,024 members: a joint class per unit and year needing 18 of
    a unit's 36, whose teams release 8). A session with a pinned attendee is kept: the
    model then reports the pinned row's conflict.
    """
    sessions = scenario.sessions
    minimum = np.array([s.min_size for s in sessions], dtype=np.int64)
    dead = np.zeros(len(sessions), dtype=bool)
    if not (minimum > 1).any() or not len(pair_session):
        return dead
    team_names = sorted({m.team for m in scenario.members})
    team_of = {team: t for t, team in enumerate(team_names)}
    member_team = np.array([team_of[m.team] for m in scenario.members], dtype=np.int64)
    caps = [rules[team].cap if team in rules else None for team in team_names]
    unlimited = len(scenario.members)
    cap = np.array([unlimited if c is None else c for c in caps], dtype=np.int64)
    away = np.array([scenario.is_away(s) for s in sessions], dtype=bool)
    # How many of each team are eligible for each session, then at most its cap of them
    # for an away session.
    keys = pair_session * len(team_names) + member_team[pair_member]
    found, eligible = np.unique(keys, return_counts=True)
    session, team = found // len(team_names), found % len(team_names)
    released = np.where(away[session], np.minimum(eligible, cap[team]), eligible)
    reach = np.bincount(session, weights=released, minlength=len(sessions))
    dead = minimum > reach + 0.5
    if scenario.pinned:
        index = {s.id: i for i, s in enumerate(sessions)}
        dead[[index[row.session] for row in scenario.pinned]] = False
    return dead


def _partner_absent(
    scenario: Scenario, pair_member: np.ndarray, pair_session: np.ndarray
) -> np.ndarray:
    """A boolean per pair: a session of a ``together`` course that a member of the group
    may not attend (leave, presence, audience), so that nobody of the group can.

    The model would hold such pairs at 0 anyway, but the bound's blocks drop ``together``
    and counted them: a mentee whose mentor leaves in the first year still seemed to have
    every later mentoring session open (generated small classes of 2,024 members, seed
    101: the blocks under a plan of 324 prove 298 instead of 296). A pinned row keeps its
    pair: the model then reports the conflict.
    """
    absent = np.zeros(len(pair_member), dtype=bool)
    if not scenario.together:
        return absent
    groups = together_groups(scenario)
    wanted = np.isin(pair_session, [s for _, sessions in groups for s in sessions])
    pair_of = {
        (int(m), int(s)): p
        for p, m, s in zip(
            np.flatnonzero(wanted), pair_member[wanted], pair_session[wanted], strict=True
        )
    }
    members, sessions = scenario.members, scenario.sessions
    pinned = {(row.member, row.session) for row in scenario.pinned}
    for group, group_sessions in groups:
        for s in group_sessions:
            found = [pair_of.get((m, s)) for m in group]
            if None not in found:
                continue
            for m, p in zip(group, found, strict=True):
                if p is not None and (members[m].id, sessions[s].id) not in pinned:
                    absent[p] = True
    return absent


def _index_pinned_and_previous(instance: Instance) -> None:
    """Pinned assignments and the previous plan's (for ``changes``) as pair indices."""
    scenario = instance.scenario
    if not scenario.pinned and scenario.previous is None:
        return
    member_index = {m.id: i for i, m in enumerate(scenario.members)}
    session_index = {s.id: i for i, s in enumerate(scenario.sessions)}
    index = instance.pair_index()
    pinned = []
    for row in scenario.pinned:
        key = (member_index[row.member], session_index[row.session])
        pinned.append(index[key])
    instance.pinned = np.array(sorted(set(pinned)), dtype=np.int64)
    if scenario.previous is None:
        return
    outside = 0
    for member_id, session_id in set(scenario.previous):
        key = (member_index.get(member_id, -1), session_index.get(session_id, -1))
        if key in index:
            instance.previous_pairs[key] = index[key]
        else:
            outside += 1  # a previous assignment the plan cannot keep is a change for sure
    instance.previous_outside = outside
