"""A scenario turned into index arrays: eligible pairs, requirement windows, caps.

Everything the CP-SAT model needs is computed here once, with numpy where the scenario is
large, so that model building only reads arrays.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from models import Eligibility, Scenario, member_limits, requirement_windows
from models.eligibility import member_columns, selector_mask
from models.rules import MemberLimits, TeamRule, team_rules

HOUR_SCALES = (1, 2, 4, 5, 10, 20, 100, 1000)


@dataclass
class WindowDemand:
    """One requirement window of one member: what it needs and which pairs can serve it."""

    member: int
    requirement: int
    start: dt.date
    end: dt.date
    need: int  # completions, or scaled class hours still needed after history
    pairs: np.ndarray  # pair indices whose session counts in the window
    credit: np.ndarray  # what each pair contributes (1, or scaled hours)
    weight: int
    hours_scale: int  # 1 for count requirements

    @property
    def max_shortfall(self) -> int:
        """The shortfall with nothing planned, in the requirement's own units."""
        return -(-self.need // self.hours_scale)


@dataclass
class Instance:
    scenario: Scenario
    rules: dict[str, TeamRule]
    limits: list[MemberLimits]
    pair_member: np.ndarray
    pair_session: np.ndarray
    pairs_of_member: list[np.ndarray]
    pairs_of_session: list[np.ndarray]
    session_start: np.ndarray  # ordinal days
    session_end: np.ndarray
    session_away: np.ndarray
    session_hours: np.ndarray  # scaled by hours_scale
    hours_scale: int
    windows: list[WindowDemand]
    member_team: list[str]
    pinned: np.ndarray  # pair indices
    session_year: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    session_months: list[list[tuple[tuple[int, int], int]]] = field(default_factory=list)
    windows_by_member: list[list[int]] = field(default_factory=list)  # windows that need something
    dropped_pairs: int = 0
    previous_pairs: dict[tuple[int, int], int] = field(default_factory=dict)
    previous_outside: int = 0
    _team_index: np.ndarray | None = None
    _pair_index: dict[tuple[int, int], int] | None = None
    _columns: dict[str, np.ndarray] | None = None
    _windows_of_pair: dict[int, list[tuple[int, int, int, int]]] | None = None
    _window_credits: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    _together_groups: list[tuple[list[int], list[int]]] | None = None
    _requirement_sessions: dict[int, np.ndarray] = field(default_factory=dict)

    @property
    def num_pairs(self) -> int:
        return len(self.pair_member)

    @property
    def member_team_index(self) -> np.ndarray:
        """Each member's team as a number, for array lookups."""
        if self._team_index is None:
            names = {team: i for i, team in enumerate(sorted(set(self.member_team)))}
            self._team_index = np.array([names[t] for t in self.member_team], dtype=np.int64)
        return self._team_index

    def requirement_sessions(self, r: int) -> np.ndarray:
        """Which sessions count for requirement ``r``, as a boolean array."""
        if r not in self._requirement_sessions:
            requirement = self.scenario.requirements[r]
            self._requirement_sessions[r] = np.array(
                [requirement.counts_course(s.course) for s in self.scenario.sessions], dtype=bool
            )
        return self._requirement_sessions[r]

    def pairs_of_members(self, members: np.ndarray) -> np.ndarray:
        return np.concatenate(
            [self.pairs_of_member[int(m)] for m in members] or [np.zeros(0, dtype=np.int64)]
        )

    def windows_of_members(self, members: np.ndarray) -> list[int]:
        return [w for m in members for w in self.windows_by_member[int(m)]]

    def pair_index(self) -> dict[tuple[int, int], int]:
        """Pair index by (member, session); built once."""
        if self._pair_index is None:
            self._pair_index = {
                (m, s): p
                for p, (m, s) in enumerate(
                    zip(self.pair_member.tolist(), self.pair_session.tolist(), strict=True)
                )
            }
        return self._pair_index

    @property
    def columns(self) -> dict[str, np.ndarray]:
        """Member attributes as arrays, for selector masks."""
        if self._columns is None:
            self._columns = member_columns(self.scenario)
        return self._columns

    def together_groups(self) -> list[tuple[list[int], list[int]]]:
        """Each ``together`` group as (member indices, sessions of its course); built once."""
        if self._together_groups is None:
            scenario = self.scenario
            member_index = {m.id: i for i, m in enumerate(scenario.members)}
            sessions_of: dict[str, list[int]] = defaultdict(list)
            for s, session in enumerate(scenario.sessions):
                sessions_of[session.course].append(s)
            self._together_groups = [
                ([member_index[m] for m in group.members], sessions_of[group.course])
                for group in scenario.together
            ]
        return self._together_groups

    def window_credits(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every (window, pair, credit) as three flat arrays, for counting what a plan
        serves in each window with one ``bincount``; built once."""
        if self._window_credits is None:
            sizes = [len(window.pairs) for window in self.windows]
            self._window_credits = (
                np.repeat(np.arange(len(self.windows), dtype=np.int64), sizes),
                np.concatenate([w.pairs for w in self.windows] or [np.zeros(0, np.int64)]),
                np.concatenate(
                    [np.asarray(w.credit, dtype=np.int64) for w in self.windows]
                    or [np.zeros(0, np.int64)]
                ),
            )
        return self._window_credits

    def served(self, taken: np.ndarray) -> np.ndarray:
        """What a plan (a boolean per pair) serves in each window, in the window's units."""
        window_of, pairs, credit = self.window_credits()
        return np.bincount(
            window_of, weights=credit * taken[pairs], minlength=len(self.windows)
        ).astype(np.int64)

    def windows_of_pair(self) -> dict[int, list[tuple[int, int, int, int]]]:
        """For each pair: (window, credit, weight, hours scale) of the windows it serves
        (those that need something); built once, since every fill pass of the search uses it."""
        if self._windows_of_pair is None:
            by_pair: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
            for w, window in enumerate(self.windows):
                if window.need <= 0:
                    continue
                credits = window.credit.tolist()
                for p, credit in zip(window.pairs.tolist(), credits, strict=True):
                    by_pair[p].append((w, credit, window.weight, window.hours_scale))
            self._windows_of_pair = by_pair
        return self._windows_of_pair


def build_instance(scenario: Scenario) -> Instance:
    """Index the scenario: eligible pairs, dominated pairs removed, windows and their pairs."""
    rules = team_rules(scenario)
    members, sessions = scenario.members, scenario.sessions
    start = np.array([s.start.toordinal() for s in sessions], dtype=np.int64)
    end = np.array([s.last_day.toordinal() for s in sessions], dtype=np.int64)
    away = np.array([scenario.is_away(s) for s in sessions], dtype=bool)
    scale = _hours_scale(scenario)
    hours = np.array([round(scenario.session_hours(s) * scale) for s in sessions], dtype=np.int64)
    eligible = _eligible_pairs(scenario, rules, start)
    pair_member, pair_session = eligible
    windows = list(_window_demands(scenario, pair_member, pair_session, start, hours, scale))
    keep = _useful_pairs(scenario, pair_member, pair_session, windows)
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
        pairs_of_session=_group(pair_session, len(sessions)),
        session_start=start,
        session_end=end,
        session_away=away,
        session_hours=hours,
        hours_scale=scale,
        windows=windows,
        member_team=[m.team for m in members],
        pinned=np.zeros(0, dtype=np.int64),
        session_year=np.array([s.start.year for s in sessions], dtype=np.int64),
        session_months=[days_by_month(s.start, s.last_day) for s in sessions],
        windows_by_member=_windows_by_member(windows, len(members)),
        dropped_pairs=dropped,
    )
    _index_pinned_and_previous(instance)
    return instance


def days_by_month(start: dt.date, end: dt.date) -> list[tuple[tuple[int, int], int]]:
    """How many of a session's days fall in each month."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    day = start
    while day <= end:
        counts[(day.year, day.month)] += 1
        day += dt.timedelta(days=1)
    return sorted(counts.items())


def _windows_by_member(windows: list[WindowDemand], size: int) -> list[list[int]]:
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


def _window_demands(
    scenario: Scenario,
    pair_member: np.ndarray,
    pair_session: np.ndarray,
    start: np.ndarray,
    hours: np.ndarray,
    scale: int,
):
    history: dict[str, list] = defaultdict(list)
    for row in scenario.history:
        history[row.member].append(row)
    pairs_of_member = _group(pair_member, len(scenario.members))
    course_index = {c.id: i for i, c in enumerate(scenario.courses)}
    session_course = np.array([course_index[s.course] for s in scenario.sessions], dtype=np.int64)
    for r, requirement in enumerate(scenario.requirements):
        listed = None
        if requirement.courses is not None:
            listed = np.array([course_index[c] for c in requirement.courses], dtype=np.int64)
        for m, member in enumerate(scenario.members):
            if not requirement.who.matches(member):
                continue
            for window in requirement_windows(scenario, requirement, member):
                yield _demand(
                    scenario,
                    requirement,
                    r,
                    m,
                    window,
                    history[member.id],
                    pairs_of_member[m],
                    pair_session,
                    session_course,
                    listed,
                    start,
                    hours,
                    scale,
                )


def _demand(
    scenario,
    requirement,
    r,
    m,
    window,
    history_rows,
    mine,
    pair_session,
    session_course,
    listed,
    start,
    hours,
    scale,
) -> WindowDemand:
    sessions = pair_session[mine]
    inside = (start[sessions] >= window.start.toordinal()) & (
        start[sessions] <= window.end.toordinal()
    )
    if listed is not None:
        inside &= np.isin(session_course[sessions], listed)
    pairs = mine[inside]
    done = [
        row
        for row in history_rows
        if window.start <= row.date <= window.end and requirement.counts_course(row.course)
    ]
    if requirement.min_hours is not None:
        got = sum(round(scenario.course_by_id[row.course].hours * scale) for row in done)
        need = max(0, round(requirement.min_hours * scale) - got)
        credit = hours[pair_session[pairs]]
        unit_scale = scale
    else:
        need = max(0, requirement.needed - len(done))
        credit = np.ones(len(pairs), dtype=np.int64)
        unit_scale = 1
    return WindowDemand(
        m, r, window.start, window.end, need, pairs, credit, requirement.weight, unit_scale
    )


def _useful_pairs(scenario, pair_member, pair_session, windows) -> np.ndarray:
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


def _index_pinned_and_previous(instance: Instance) -> None:
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


def share_fraction(share: float) -> Fraction:
    return Fraction(share).limit_denominator(10_000)
