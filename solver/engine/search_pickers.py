"""The neighbourhoods of the search: which members a move re-solves, taken in turn."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np

from .instance import Instance
from .search_shortfalls import Shortfalls
from .settings import EngineSettings


class Pickers:
    """Choose each move's members: around unmet windows, whole teams or units, the
    attendees of one course, or enough members to open an idle session.

    ``size`` is the members per neighbourhood, which the search adapts to how fast moves
    solve (never below ``floor``); ``moves`` is the search's clock, the moves made in the
    current run.
    """

    def __init__(
        self,
        instance: Instance,
        plan: Shortfalls,
        rng: np.random.Generator,
        settings: EngineSettings,
    ):
        self.instance, self.plan, self.rng, self.settings = instance, plan, rng, settings
        # Measured on the shipped company (60 s of search, 2 workers): many small moves
        # beat few large ones (unmet 437-443 with 0.1 s and 6 members, 449 with 0.05 s and
        # 5, 463 with 0.3 s and 12, 516 with 1 s and 30, 557 with 2 s and 60).
        self.size = 6
        self.floor = 4
        self.moves = 0
        self.teams = members_by(instance.member_team)
        self._units = members_by([m.unit for m in instance.scenario.members])
        sessions = instance.scenario.sessions
        self._min_size = np.array([session.min_size for session in sessions], dtype=np.int64)
        self._openings: dict[int, tuple[int, int]] = {}  # session: (tries, move of last try)

    def for_term(self, term: str) -> list[tuple[Callable[[], np.ndarray], float | None]]:
        """The neighbourhoods taken in turn, each with its moves' seconds (None: the
        adaptive default)."""
        if term == "unmet":
            return [
                (self.around_unmet, None),
                (self.around_unmet, None),
                (self.by_teams, None),
                (self.by_course, None),
                # Opening a session takes many members at once, and more time.
                (self.opening, self.settings.opening_work),
            ]
        return [(self.by_teams, None), (self.by_course, None), (self.by_units, None)]

    def around_unmet(self) -> np.ndarray:
        """Members short where a plan can still gain, their teammates (who share the team's
        daily away cap) and the people holding the seats they could take."""
        instance = self.instance
        open_windows = self.plan.open_windows()
        if not len(open_windows):
            return np.zeros(0, dtype=np.int64)
        chosen: set[int] = set()
        for w in self.rng.choice(open_windows, size=min(3, len(open_windows)), replace=False):
            window = instance.windows[int(w)]
            chosen.add(window.member)
            chosen.update(self.teams[instance.member_team[window.member]])
            sessions = np.unique(instance.pair_session[window.pairs])
            self.rng.shuffle(sessions)
            for s in sessions[:4]:
                pairs = instance.pairs_of_session[s]
                holders = instance.pair_member[pairs[self.plan.taken[pairs]]].tolist()
                self.rng.shuffle(holders)
                chosen.update(holders[: max(2, self.size // 8)])
            if len(chosen) >= self.size:
                break
        return np.array(sorted(chosen), dtype=np.int64)

    def opening(self) -> np.ndarray:
        """Enough members to open a session nobody attends that needs more than one to
        run: those it would serve where they are short, and those holding a seat of the
        same course elsewhere, who could move there and leave their seat to someone short.

        No smaller move opens such a session: a class of 16 opens with 16 members moving
        at once. Measured on 20,000 generated members: a region whose rotation classes
        were all full but one that never ran kept 21 members short (210 of unmet) for the
        whole search; this move, given a second, met 16-21 of them at once.
        """
        instance = self.instance
        now = self.moves
        attendance = np.bincount(
            instance.pair_session[self.plan.taken], minlength=len(self._min_size)
        )
        idle = np.flatnonzero((attendance == 0) & (self._min_size > 1))
        short = self.plan.shortfalls()
        windows_of = instance.windows_of_pair()
        offers: list[tuple[int, list[int]]] = []
        for s in idle.tolist():
            tries, last = self._openings.get(s, (0, 0))
            # A session that would not open is tried again later, less and less often:
            # the plan around it changes, but most such sessions stay closed for good.
            if tries and now < last + self.settings.opening_retry * 2 ** (tries - 1):
                continue
            pairs = instance.pairs_of_session[s]
            wanting = instance.pair_member[pairs[windows_of.serving(pairs, short > 0)]].tolist()
            if wanting:
                offers.append((s, wanting))
        if not offers:
            return np.zeros(0, dtype=np.int64)
        weights = np.array([len(wanting) for _, wanting in offers], dtype=float)
        s, wanting = offers[int(self.rng.choice(len(offers), p=weights / weights.sum()))]
        tries, _ = self._openings.get(s, (0, 0))
        self._openings[s] = (tries + 1, now)
        eligible = instance.pair_member[instance.pairs_of_session[s]]
        theirs = instance.pairs_of_members(eligible)
        same_course = (
            instance.session_course[instance.pair_session[theirs]] == instance.session_course[s]
        )
        movers = np.unique(
            instance.pair_member[theirs[self.plan.taken[theirs] & same_course]]
        ).tolist()
        self.rng.shuffle(wanting)
        self.rng.shuffle(movers)
        least = int(self._min_size[s])
        room = max(self.size, 2 * least)
        chosen = dict.fromkeys(wanting[: room - least])
        for m in movers:
            if len(chosen) >= room:
                break
            chosen.setdefault(m)
        return np.array(sorted(chosen), dtype=np.int64)

    def by_teams(self) -> np.ndarray:
        return self._by_groups(self.teams)

    def by_units(self) -> np.ndarray:
        return self._by_groups(self._units)

    def _by_groups(self, groups: dict[str, list[int]]) -> np.ndarray:
        names = list(groups)
        chosen: list[int] = []
        for i in self.rng.permutation(len(names)):
            if len(chosen) >= self.size:
                break
            chosen.extend(groups[names[i]])
        return np.array(sorted(chosen), dtype=np.int64)

    def by_course(self) -> np.ndarray:
        """The attendees of some sessions of one course and year, who may swap seats."""
        instance = self.instance
        s = int(self.rng.integers(len(instance.session_course)))
        related = np.flatnonzero(
            (instance.session_course == instance.session_course[s])
            & (instance.session_year == instance.session_year[s])
        )
        pairs = np.concatenate([instance.pairs_of_session[t] for t in related])
        members = np.unique(instance.pair_member[pairs[self.plan.taken[pairs]]]).tolist()
        self.rng.shuffle(members)
        return np.array(sorted(members[: self.size]), dtype=np.int64)


def members_by(keys: list[str]) -> dict[str, list[int]]:
    """Member indices by their key (team or unit)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for m, key in enumerate(keys):
        groups[key].append(m)
    return groups
