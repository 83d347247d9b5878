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
        # The members each requirement asks something of (found at its first move), and
        # each member's together partners (a mentee meets mentoring only beside the mentor).
        self._needing: dict[int, np.ndarray] | None = None
        self._partners: dict[int, list[int]] = defaultdict(list)
        for group, _ in instance.together_groups():
            for m in group:
                self._partners[m].extend(p for p in group if p != m)
        # requirement: (tries in vain, move of the last try, its shortfall then)
        self._requirements: dict[int, tuple[int, int, int]] = {}

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

    def by_requirement(self) -> np.ndarray:
        """Many of the members one requirement asks something of: those it leaves short,
        then others it asks of (they hold the seats and days the short ones could take),
        each with their together partners.

        A requirement's windows compete for the same sessions, and the trades that meet
        one of them often go through several members at once: a member who joins late
        meets mentoring only if another class opens for the orientation it shares a
        fortnight with, and only beside the mentor. Measured on a 60 s plan of a
        generated company with small classes (2,024 members, seed 101, unmet 324 against
        a bound of 298): one move of the mentees and their mentors (121 members) met 14,
        one of the members short of class hours and others who owe them 9; moves of 120
        such members without the partners met 6 where 18 were met with them.

        Such a move costs as much as twenty small ones, which gain faster while the plan
        is far from its best: on the same company, taken from the start, they left unmet
        at 497 where the search without them reached 306; after 15 moves in a row without
        a gain, at 333 on a company that small moves alone prove at 328. So they take
        turns with the others only in the last ``requirement_share`` of the stage.

        A requirement whose shortfall a try did not lower is tried again later, less and
        less often (``requirement_retry`` moves, then twice as many, ...)."""
        instance = self.instance
        now = self.moves
        short_members: dict[int, list[int]] = defaultdict(list)
        weight: dict[int, int] = defaultdict(int)
        short = self.plan.weighted_shortfalls()
        for w in self.plan.open_windows().tolist():
            window = instance.windows[w]
            short_members[window.requirement].append(window.member)
            weight[window.requirement] += int(short[w])
        offers = []
        for r in short_members:
            tries, last, then = self._requirements.get(r, (0, 0, 0))
            if weight[r] < then:
                tries = 0  # something lowered it since: worth a try at once
            if tries and now < last + self.settings.requirement_retry * 2 ** (tries - 1):
                continue
            offers.append((r, tries))
        if not offers:
            return np.zeros(0, dtype=np.int64)
        weights = np.array([weight[r] for r, _ in offers], dtype=float)
        r, tries = offers[int(self.rng.choice(len(offers), p=weights / weights.sum()))]
        self._requirements[r] = (tries + 1, now, weight[r])
        first = list(dict.fromkeys(short_members[r]))
        self.rng.shuffle(first)
        needing = self._members_needing()[r]
        others = needing[~np.isin(needing, first)]
        self.rng.shuffle(others)
        room = max(self.size, self.settings.requirement_members)
        chosen: dict[int, None] = {}
        for m in [*first, *others.tolist()]:
            if len(chosen) >= room:
                break
            chosen[m] = None
            chosen.update(dict.fromkeys(self._partners.get(m, ())))
        return np.array(sorted(chosen), dtype=np.int64)

    def _members_needing(self) -> dict[int, np.ndarray]:
        """The members each requirement asks something of; found once."""
        if self._needing is None:
            needing: dict[int, set[int]] = defaultdict(set)
            for window in self.instance.windows:
                if window.need > 0 and len(window.pairs):
                    needing[window.requirement].add(window.member)
            self._needing = {r: np.array(sorted(ms), dtype=np.int64) for r, ms in needing.items()}
        return self._needing

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
