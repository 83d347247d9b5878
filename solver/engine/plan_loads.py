"""What a plan uses: each member's days, hours and sessions per period, each team's away days.

Computed once per plan, so that "what would it cost to add this member to that session" is
a handful of look-ups, however many unmet windows ask it. The figures follow SPEC.md's
definitions: days count ``away`` sessions only, each day in the month and year it falls in;
hours and sessions count every session in the year of its start.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from models import DateRange, Eligibility, MemberLimits, Scenario, Session, member_limits
from models.dates import each_day
from models.rules import team_rules
from models.scenario import HistoryRow


@dataclass(frozen=True)
class SessionSpan:
    """The days of one session, counted the ways the member caps read them."""

    days: tuple[dt.date, ...]
    days_by_year: dict[int, int]
    days_by_month: dict[tuple[int, int], int]


@dataclass(frozen=True)
class YearLoad:
    """One member's use of one calendar year in the plan."""

    year: int
    sessions: int
    days: int
    hours: float


class PlanLoads:
    """A plan's loads per member, session and team-day, and an index of sessions by course.

    Parameters
    ----------
    scenario
        The loaded scenario.
    pairs
        The plan's ``(member_id, session_id)`` assignments; unknown ids are ignored.
    """

    def __init__(self, scenario: Scenario, pairs: Iterable[tuple[str, str]]):
        self.scenario = scenario
        self.rules = team_rules(scenario)
        self.pairs = [
            (m, s)
            for m, s in dict.fromkeys(pairs)
            if m in scenario.member_by_id and s in scenario.session_by_id
        ]
        self.attending = set(self.pairs)
        self.attendees: dict[str, list[str]] = defaultdict(list)
        self.taken: dict[str, list[Session]] = defaultdict(list)
        self.days_year: dict[str, Counter[int]] = defaultdict(Counter)
        self.days_month: dict[str, Counter[tuple[int, int]]] = defaultdict(Counter)
        self.hours_year: dict[str, defaultdict[int, float]] = defaultdict(
            lambda: defaultdict(float)
        )
        self.sessions_year: dict[str, Counter[int]] = defaultdict(Counter)
        self.team_away: dict[tuple[str, dt.date], list[tuple[str, str]]] = defaultdict(list)
        self._spans: dict[str, SessionSpan] = {}
        self._limits: dict[str, MemberLimits] = {}
        self._team_caps: dict[str, int | None] = {}
        self._blackouts: dict[tuple[str, str], DateRange | None] = {}
        self._index_sessions()
        for member_id, session_id in self.pairs:
            self._add(member_id, scenario.session_by_id[session_id])
        for sessions in self.taken.values():
            sessions.sort(key=lambda s: (s.start, s.last_day, s.id))
        self.history_done = self._history_in_horizon()
        self.eligibility = Eligibility(scenario, self.rules)
        self._history: dict[str, list[HistoryRow]] = defaultdict(list)
        for row in scenario.history:
            self._history[row.member].append(row)

    def _index_sessions(self) -> None:
        """Sessions sorted by start, overall and per course, for window look-ups by bisection."""
        ordered = sorted(self.scenario.sessions, key=lambda s: (s.start, s.id))
        self._all = ordered
        self._all_starts = [s.start for s in ordered]
        by_course: dict[str, list[Session]] = defaultdict(list)
        for session in ordered:
            by_course[session.course].append(session)
        self._by_course = dict(by_course)
        self._course_starts = {c: [s.start for s in ss] for c, ss in by_course.items()}

    def _add(self, member_id: str, session: Session) -> None:
        scenario = self.scenario
        self.attendees[session.id].append(member_id)
        self.taken[member_id].append(session)
        year = session.start.year
        self.hours_year[member_id][year] += scenario.session_hours(session)
        self.sessions_year[member_id][year] += 1
        if not scenario.is_away(session):
            return
        span = self.span(session)
        self.days_year[member_id].update(span.days_by_year)
        self.days_month[member_id].update(span.days_by_month)
        team = scenario.member_by_id[member_id].team
        for day in span.days:
            self.team_away[(team, day)].append((member_id, session.id))

    def _history_in_horizon(self) -> dict[tuple[str, str], dt.date]:
        """(member, course) -> date of a history completion inside the horizon."""
        horizon = self.scenario.horizon
        done: dict[tuple[str, str], dt.date] = {}
        for row in self.scenario.history:
            if horizon.start <= row.date <= horizon.end:
                done.setdefault((row.member, row.course), row.date)
        return done

    # -- sessions -----------------------------------------------------------------------

    def span(self, session: Session) -> SessionSpan:
        """The session's days by year and month (cached)."""
        cached = self._spans.get(session.id)
        if cached is None:
            days = tuple(each_day(session.start, session.last_day))
            cached = SessionSpan(
                days,
                dict(Counter(d.year for d in days)),
                dict(Counter((d.year, d.month) for d in days)),
            )
            self._spans[session.id] = cached
        return cached

    def size(self, session_id: str) -> int:
        return len(self.attendees.get(session_id, ()))

    def sessions_starting(
        self, start: dt.date, end: dt.date, courses: Iterable[str] | None = None
    ) -> list[Session]:
        """Sessions that start in ``[start, end]``, of the given courses (all when None)."""
        if courses is None:
            return _between(self._all, self._all_starts, start, end)
        found: list[Session] = []
        for course_id in courses:
            if course_id in self._by_course:
                found += _between(
                    self._by_course[course_id], self._course_starts[course_id], start, end
                )
        return sorted(found, key=lambda s: (s.start, s.id))

    # -- members --------------------------------------------------------------------------

    def limits(self, member_id: str) -> MemberLimits:
        """The member's limits after the cascade (cached)."""
        cached = self._limits.get(member_id)
        if cached is None:
            cached = member_limits(self.scenario, self.scenario.member_by_id[member_id])
            self._limits[member_id] = cached
        return cached

    def away_sessions(self, member_id: str) -> list[Session]:
        return [s for s in self.taken.get(member_id, ()) if self.scenario.is_away(s)]

    def sessions_in_year(self, member_id: str, year: int, away_only: bool) -> list[Session]:
        """The member's sessions that use year ``year``: by day for days, by start otherwise."""
        if away_only:
            return [s for s in self.away_sessions(member_id) if year in self.span(s).days_by_year]
        return [s for s in self.taken.get(member_id, ()) if s.start.year == year]

    def sessions_in_month(self, member_id: str, month: tuple[int, int]) -> list[Session]:
        return [s for s in self.away_sessions(member_id) if month in self.span(s).days_by_month]

    def year_load(self, member_id: str, year: int) -> YearLoad:
        return YearLoad(
            year,
            self.sessions_year[member_id][year] if member_id in self.sessions_year else 0,
            self.days_year[member_id][year] if member_id in self.days_year else 0,
            self.hours_year[member_id][year] if member_id in self.hours_year else 0.0,
        )

    def history_of(self, member_id: str) -> list[HistoryRow]:
        return self._history.get(member_id, [])

    def sessions_of_course(self, member_id: str, course_id: str) -> list[Session]:
        return [s for s in self.taken.get(member_id, ()) if s.course == course_id]

    # -- teams ----------------------------------------------------------------------------

    def team_cap(self, team: str) -> int | None:
        """Most members of the team away on one day, or None (cached)."""
        if team not in self._team_caps:
            rule = self.rules.get(team)
            self._team_caps[team] = rule.cap if rule is not None else None
        return self._team_caps[team]

    def blackout(self, team: str, session: Session) -> DateRange | None:
        """The team's blackout range that the session touches, if any (cached)."""
        key = (team, session.id)
        if key not in self._blackouts:
            rule = self.rules.get(team)
            self._blackouts[key] = (
                next((r for r in rule.blackout if r.touches(session.start, session.last_day)), None)
                if rule is not None
                else None
            )
        return self._blackouts[key]

    def away_on(self, team: str, day: dt.date) -> list[tuple[str, str]]:
        """(member, session) pairs of the team away on that day."""
        return self.team_away.get((team, day), [])


def _between(sessions: list[Session], starts: list[dt.date], start: dt.date, end: dt.date):
    low = bisect.bisect_left(starts, start)
    high = bisect.bisect_right(starts, end)
    return sessions[low:high]
