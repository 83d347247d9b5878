"""A scenario turned into index arrays: eligible pairs, requirement windows, caps.

Everything the CP-SAT model needs is computed once (``solver.engine.instance_build``), with
numpy where the scenario is large, so that model building only reads arrays. This module
holds the arrays and the lookups built on them on first use.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from models import Scenario
from models.eligibility import member_columns
from models.rules import MemberLimits, TeamRule

from .instance_groups import PairGroups, pair_groups
from .member_rules import MemberRows, member_rows
from .pair_lookup import PairIndex, PairWindows


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
        return int(scaled_shortfall(self.need, 0, self.hours_scale))


@dataclass
class Instance:
    """A scenario as index arrays (``build_instance``): the eligible (member, session)
    pairs, each session's days and hours, each window's demand, each member's limits."""

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
    session_course: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    session_repeatable: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    windows_by_member: list[list[int]] = field(default_factory=list)  # windows that need something
    dropped_pairs: int = 0
    previous_pairs: dict[tuple[int, int], int] = field(default_factory=dict)
    previous_outside: int = 0
    _team_index: np.ndarray | None = None
    _pair_index: PairIndex | None = None
    _columns: dict[str, np.ndarray] | None = None
    _windows_of_pair: PairWindows | None = None
    _window_credits: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    _together_groups: list[tuple[list[int], list[int]]] | None = None
    _requirement_sessions: dict[int, np.ndarray] = field(default_factory=dict)
    _groups: PairGroups | None = None
    _member_rows: dict[int, MemberRows] = field(default_factory=dict)

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

    @property
    def groups(self) -> PairGroups:
        """Each member's interchangeable pairs (``solver.engine.instance_groups``); built once."""
        if self._groups is None:
            self._groups = pair_groups(self)
        return self._groups

    def member_rows(self, m: int) -> MemberRows:
        """Member ``m``'s own rules as rows (``solver.engine.member_rules``); built once."""
        rows = self._member_rows.get(m)
        if rows is None:
            rows = self._member_rows[m] = member_rows(self, m)
        return rows

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

    def pair_index(self) -> PairIndex:
        """Pair index by (member, session); built once."""
        if self._pair_index is None:
            self._pair_index = PairIndex(
                self.pair_member, self.pair_session, len(self.scenario.sessions)
            )
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
            self._together_groups = together_groups(self.scenario)
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

    def windows_of_pair(self) -> PairWindows:
        """The windows each pair serves (those that need something), with its credit there
        (``PairWindows``); built once, since every fill pass of the search uses it."""
        if self._windows_of_pair is None:
            window_of, pairs, credit = self.window_credits()
            need = np.array([w.need for w in self.windows], dtype=np.int64)
            serves = need[window_of] > 0 if len(need) else np.zeros(0, dtype=bool)
            self._windows_of_pair = PairWindows(
                self.num_pairs,
                window_of[serves],
                pairs[serves],
                credit[serves],
                np.array([w.weight for w in self.windows], dtype=np.int64),
                np.array([w.hours_scale for w in self.windows], dtype=np.int64),
            )
        return self._windows_of_pair


def scaled_shortfall(
    need: np.ndarray | int, served: np.ndarray | int, scale: np.ndarray | int
) -> np.ndarray:
    """SPEC.md's shortfall of a window (``models.window_shortfall``) in the engine's units.

    Parameters
    ----------
    need
        What the window still needs after history (``WindowDemand.need``): completions, or
        class hours times ``scale``.
    served
        What the plan serves in the window, in the same units.
    scale
        The window's ``hours_scale`` (1 for a count requirement).

    Returns
    -------
    The shortfall in the requirement's own units (completions, or whole class hours), an
    int64 per window where the arguments are arrays (one int64 where they are numbers).

    Notes
    -----
    It is ``window_shortfall(requirement, done)`` for ``done`` the history and the plan
    together: for a count, ``need - served = count - completions`` (scale 1). For
    ``min_hours``, ``need - served = round(min_hours * scale) - scale * hours done``, and
    ``hours_scale`` is chosen so that every hour figure times it is a whole number, so this
    is exactly ``scale * (min_hours - hours)``; the ceiling of a whole number over ``scale``
    is ``-(-a // scale)``. ``window_shortfall``'s ``1e-9`` only absorbs the float error of a
    whole difference, which whole numbers do not have. The search counts every window of
    a plan at once and recounts a move's windows move by move, so it needs this integer,
    array form (``tests/engine/test_shortfalls.py`` checks that the two agree).
    """
    return -(-np.maximum(need - served, 0) // scale)


def together_groups(scenario: Scenario) -> list[tuple[list[int], list[int]]]:
    """Each ``together`` group as (member indices, sessions of its course)."""
    member_index = {m.id: i for i, m in enumerate(scenario.members)}
    sessions_of: dict[str, list[int]] = defaultdict(list)
    for s, session in enumerate(scenario.sessions):
        sessions_of[session.course].append(s)
    return [
        ([member_index[m] for m in group.members], sessions_of[group.course])
        for group in scenario.together
    ]


def share_fraction(share: float) -> Fraction:
    """A mix rule's share as an exact fraction, so that share constraints stay integral."""
    return Fraction(share).limit_denominator(10_000)
