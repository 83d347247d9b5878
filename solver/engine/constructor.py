"""A fast constructive plan: every rule held, most requirements served, in seconds.

It gives CP-SAT a complete starting point, so the search improves a good plan instead of
looking for a first one, and a planner gets a complete plan early even on large scenarios.
Windows are served most important and scarcest first; each member takes the session that
serves most of what they still need, among those every rule still allows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from models.eligibility import selector_mask

from .instance import Instance, share_fraction
from .pair_lookup import PairWindows


@dataclass
class _SessionFacts:
    away: bool
    start: int
    end: int
    year: int
    hours: int
    capacity: int
    min_size: int
    course: str
    repeatable: bool
    months: list[tuple[tuple[int, int], int]]
    mix: list[tuple[np.ndarray, float | None, float | None]]  # (matches per member, min, max)


@dataclass
class _Loads:
    """What the plan under construction uses: per member, per team day, per session."""

    attendees: list[set[int]]
    days_year: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    days_month: dict[tuple[int, tuple[int, int]], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    hours_year: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    sessions_year: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    away_spans: dict[int, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    courses_done: set[tuple[int, str]] = field(default_factory=set)
    team_day: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))


class Constructor:
    """Builds a plan greedily over an instance; ``chosen`` holds the pair indices taken."""

    def __init__(self, instance: Instance, scarcity: bool = False):
        self.instance = instance
        scenario = instance.scenario
        self.facts = [self._facts(s) for s in range(len(scenario.sessions))]
        self.loads = _Loads(attendees=[set() for _ in scenario.sessions])
        self.chosen: set[int] = set()
        self.pair_of = instance.pair_index()
        self.groups = self._together_groups()
        self.banned: set[int] = set()  # sessions cancelled for falling short of min_size
        self.first_year: dict[tuple[int, int], int] = defaultdict(int)  # (requirement, year)
        self.windows_of_pair = instance.windows_of_pair()
        # What share of all that could serve it a window needs (1: every session of it).
        # A session is worth more where it serves a window with few other ways to be met:
        # a rotation class (once in five years) spent on a year where remote study
        # covers the hours leaves a member on leave for half of another year short there.
        # Measured on generated companies of 2,024 members: first plans 657 instead of
        # 1,361 (small-classes) and 429 instead of 843 (company); of 20,000, 8,842
        # instead of 13,687 and 6,728 instead of 10,378.
        # Off (all 0) unless asked for: the engine asks above
        # ``EngineSettings.scarce_first_pairs`` (every scenario the search improves).
        self.tightness = [
            min(1.0, window.need / max(1, int(window.credit.sum()))) if scarcity else 0.0
            for window in instance.windows
        ]
        balanced = [r for r, req in enumerate(scenario.requirements) if req.balance]
        # For each session, the balanced requirements it counts for.
        self.balanced_of_session = [
            [r for r in balanced if scenario.requirements[r].counts_course(session.course)]
            for session in scenario.sessions
        ]

    # -- facts ------------------------------------------------------------------------

    def _facts(self, s: int) -> _SessionFacts:
        instance = self.instance
        scenario = instance.scenario
        session = scenario.sessions[s]
        course = scenario.course_by_id[session.course]
        months: dict[tuple[int, int], int] = defaultdict(int)
        day = session.start
        while day <= session.last_day:
            months[(day.year, day.month)] += 1
            day += dt.timedelta(days=1)
        mix = []
        if course.mix:
            columns = instance.columns
            for rule in course.mix:
                mix.append((selector_mask(rule.who, columns), rule.min_share, rule.max_share))
        return _SessionFacts(
            away=bool(instance.session_away[s]),
            start=int(instance.session_start[s]),
            end=int(instance.session_end[s]),
            year=session.start.year,
            hours=int(instance.session_hours[s]),
            capacity=session.capacity,
            min_size=session.min_size,
            course=session.course,
            repeatable=course.repeatable,
            months=sorted(months.items()),
            mix=mix,
        )

    def _together_groups(self) -> dict[tuple[int, str], list[int]]:
        scenario = self.instance.scenario
        index = {m.id: i for i, m in enumerate(scenario.members)}
        groups: dict[tuple[int, str], list[int]] = {}
        for group in scenario.together:
            members = [index[m] for m in group.members]
            for m in members:
                groups[(m, group.course)] = members
        return groups

    # -- feasibility ----------------------------------------------------------------------

    def _member_fits(self, m: int, s: int) -> bool:
        facts, loads = self.facts[s], self.loads
        limits = self.instance.limits[m]
        if not facts.repeatable and (m, facts.course) in loads.courses_done:
            return False
        year = facts.year
        if (
            limits.max_sessions_per_year is not None
            and loads.sessions_year[(m, year)] + 1 > limits.max_sessions_per_year
        ):
            return False
        if limits.max_hours_per_year is not None:
            cap = int(limits.max_hours_per_year * self.instance.hours_scale + 1e-6)
            if loads.hours_year[(m, year)] + facts.hours > cap:
                return False
        if not facts.away:
            return True
        gap = limits.min_gap_days or 0
        for start, end in loads.away_spans[m]:
            if facts.start <= end + gap and start <= facts.end + gap:
                return False
        years: dict[int, int] = defaultdict(int)
        for (y, month), days in facts.months:
            years[y] += days
            if (
                limits.max_days_per_month is not None
                and loads.days_month[(m, (y, month))] + days > limits.max_days_per_month
            ):
                return False
        if limits.max_days_per_year is not None:
            for y, days in years.items():
                if loads.days_year[(m, y)] + days > limits.max_days_per_year:
                    return False
        return True

    def group_fits(self, members: list[int], s: int) -> bool:
        """Whether ``members`` (a together group, or one member) may join session ``s``
        with every rule holding: seats, eligibility, the members' caps, mix and team caps."""
        facts, loads = self.facts[s], self.loads
        if s in self.banned:
            return False
        present = loads.attendees[s]
        if len(present) + len(members) > facts.capacity:
            return False
        if any(self.pair_of.get((m, s)) is None for m in members):
            return False
        if not all(self._member_fits(m, s) for m in members):
            return False
        if facts.mix and not self._mix_fits(members, s):
            return False
        return not facts.away or self._team_fits(members, s)

    def _mix_fits(self, members: list[int], s: int) -> bool:
        present = self.loads.attendees[s]
        size = len(present) + len(members)
        for matches, low, high in self.facts[s].mix:
            share = sum(1 for m in present if matches[m]) + sum(1 for m in members if matches[m])
            if (
                low is not None
                and share * share_fraction(low).denominator < share_fraction(low).numerator * size
            ):
                return False
            if (
                high is not None
                and share * share_fraction(high).denominator > share_fraction(high).numerator * size
            ):
                return False
        return True

    def _team_fits(self, members: list[int], s: int) -> bool:
        instance, facts = self.instance, self.facts[s]
        by_team: dict[str, int] = defaultdict(int)
        for m in members:
            by_team[instance.member_team[m]] += 1
        for team, extra in by_team.items():
            cap = instance.rules[team].cap
            if cap is None:
                continue
            for day in range(facts.start, facts.end + 1):
                if self.loads.team_day[(team, day)] + extra > cap:
                    return False
        return True

    # -- changes to the plan --------------------------------------------------------------

    def add(self, members: list[int], s: int) -> None:
        """Seat ``members`` in session ``s`` and count it in their loads."""
        facts, loads = self.facts[s], self.loads
        for m in members:
            self.chosen.add(self.pair_of[(m, s)])
            loads.attendees[s].add(m)
            if not facts.repeatable:
                loads.courses_done.add((m, facts.course))
            if facts.away:
                loads.away_spans[m].append((facts.start, facts.end))
            self._count(m, facts, 1)

    def remove(self, members: list[int], s: int) -> None:
        """Take ``members`` out of session ``s`` and out of their loads."""
        facts, loads = self.facts[s], self.loads
        for m in members:
            self.chosen.discard(self.pair_of[(m, s)])
            loads.attendees[s].discard(m)
            if not facts.repeatable:
                loads.courses_done.discard((m, facts.course))
            if facts.away:
                loads.away_spans[m].remove((facts.start, facts.end))
            self._count(m, facts, -1)

    def _count(self, m: int, facts: _SessionFacts, step: int) -> None:
        """Move member ``m``'s capped counts by one session: ``step`` 1 when added, -1 when
        taken out (sessions, hours, the team's days away, days away per month and year)."""
        loads = self.loads
        loads.sessions_year[(m, facts.year)] += step
        loads.hours_year[(m, facts.year)] += step * facts.hours
        if facts.away:
            team = self.instance.member_team[m]
            for day in range(facts.start, facts.end + 1):
                loads.team_day[(team, day)] += step
            for (y, month), days in facts.months:
                loads.days_month[(m, (y, month))] += step * days
                loads.days_year[(m, y)] += step * days

    def group_of(self, m: int, s: int) -> list[int]:
        return self.groups.get((m, self.facts[s].course), [m])


def construct(
    instance: Instance, keep: list[int] | None = None, scarcity: bool = False
) -> list[int]:
    """A plan that holds every hard rule: the pair indices it takes.

    ``keep`` lists pairs to take first when they fit (pinned ones always), for example a
    previous plan that should change as little as possible. ``scarcity``: a session
    counts more on windows that need much of all that could serve them (``Constructor``).
    """
    builder = Constructor(instance, scarcity)
    for p in instance.pinned:
        m, s = int(instance.pair_member[p]), int(instance.pair_session[p])
        # Pinned rows go in as given, with the together partners who can come; if they
        # break a rule, the whole model answers INFEASIBLE and says why.
        group = [g for g in builder.group_of(m, s) if (g, s) in builder.pair_of]
        builder.add([g for g in group if g not in builder.loads.attendees[s]], s)
    for p in keep or ():
        m, s = int(instance.pair_member[p]), int(instance.pair_session[p])
        group = builder.group_of(m, s)
        if m not in builder.loads.attendees[s] and builder.group_fits(group, s):
            builder.add(group, s)
    serve_until_settled(builder)
    return sorted(builder.chosen)


def serve_until_settled(builder: Constructor, keep_running: set[int] | None = None) -> None:
    """Serve the windows left short; cancel sessions left below their least size (except
    ``keep_running``) and serve again, up to three rounds."""
    for _ in range(3):
        _serve_windows(builder)
        if not _cancel_short_sessions(builder, keep_running or set()):
            break


def _serve_windows(builder: Constructor) -> None:
    instance = builder.instance
    remaining = _remaining_needs(builder)
    # Heaviest first; among equals, the windows with fewest ways to be served.
    order = sorted(
        (w for w, need in remaining.items() if need > 0),
        key=lambda w: (-instance.windows[w].weight, len(instance.windows[w].pairs), w),
    )
    windows_of_pair = builder.windows_of_pair
    windows, credits = windows_of_pair.window, windows_of_pair.credit
    for w in order:
        while remaining[w] > 0:
            choice = _best_session(builder, w, remaining, windows_of_pair)
            if choice is None:
                break
            m, s = choice
            group = builder.group_of(m, s)
            builder.add(group, s)
            for member in group:
                for i in windows_of_pair.entries(builder.pair_of[(member, s)]):
                    remaining[windows[i]] -= credits[i]
            for r in builder.balanced_of_session[s]:
                builder.first_year[(r, builder.facts[s].year)] += 1


# An away session spends days and a team's away capacity that other windows may need;
# remote study spends neither. Valued at half, a 4-hour away day loses to a 3-hour remote
# one, while a session that serves much more (a rotation class) still wins. Measured on
# the shipped company: the first plan's unmet 934 instead of 1,326 (cadres took the team's
# away days for hours remote study gives); on 20,000 members 11,119 instead of 16,884.
AWAY_DISCOUNT = 0.5


def _best_session(
    builder: Constructor, w: int, remaining: dict[int, int], windows_of_pair: PairWindows
) -> tuple[int, int] | None:
    instance = builder.instance
    window = instance.windows[w]
    m = window.member
    best, best_key = None, None
    attendees = builder.loads.attendees
    windows, credits = windows_of_pair.window, windows_of_pair.credit
    weights, scales = windows_of_pair.weight, windows_of_pair.scale
    tightness = builder.tightness
    for p in window.pairs.tolist():
        s = int(instance.pair_session[p])
        facts = builder.facts[s]
        if m in attendees[s] or len(attendees[s]) >= facts.capacity or s in builder.banned:
            continue
        # What the session is worth to this member: every open window it serves.
        gain = 0.0
        for i in windows_of_pair.entries(p):
            o = windows[i]
            left = remaining[o]
            if left > 0:
                gain += weights[o] * min(credits[i], left) / scales[o] * (1 + tightness[o])
        if facts.away:
            gain *= AWAY_DISCOUNT
        balance = sum(builder.first_year[(r, facts.year)] for r in builder.balanced_of_session[s])
        key = (
            -gain,
            facts.away,  # remote study spends no days away and no team capacity
            balance,  # balanced requirements: years where fewer took their first one
            -len(attendees[s]) if facts.min_size > 1 else 0,
            len(attendees[s]) / facts.capacity,
            s,
        )
        if best_key is not None and key >= best_key:
            continue
        if builder.group_fits(builder.group_of(m, s), s):
            best, best_key = (m, s), key
    return best


def _remaining_needs(builder: Constructor) -> dict[int, int]:
    instance = builder.instance
    taken = np.zeros(instance.num_pairs, dtype=bool)
    taken[list(builder.chosen)] = True
    needs = np.array([window.need for window in instance.windows], dtype=np.int64)
    return dict(enumerate((needs - instance.served(taken)).tolist()))


def _cancel_short_sessions(builder: Constructor, keep_running: set[int]) -> bool:
    """Cancel sessions that fell short of min_size; True when any was cancelled."""
    pinned_sessions = {int(builder.instance.pair_session[p]) for p in builder.instance.pinned}
    pinned_sessions |= keep_running
    cancelled = False
    for s, present in enumerate(builder.loads.attendees):
        if 0 < len(present) < builder.facts[s].min_size and s not in pinned_sessions:
            builder.remove(sorted(present), s)
            builder.banned.add(s)
            cancelled = True
    return cancelled
