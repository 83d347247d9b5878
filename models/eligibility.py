"""Who may attend which session by the data alone: SPEC.md's eligibility, written once.

A member may attend a session when they are in the course's and the session's audience,
present for all of it, on no leave that touches it, their team has no blackout that
touches it (for an away course), and the course is repeatable or not yet completed in
history inside the horizon. The engine reads this as arrays (``Eligibility.eligible``),
the explanations as the first rule that shuts a session (``closure``), validation and
re-planning as plain words (``reasons``). The independent checker (``checker/``) keeps
its own on purpose, so that a defect here cannot also hide in the check.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from .rules import TeamRule, presence
from .scenario import Member, Scenario, Session
from .selector import MEMBER_FIELD, Selector

CLOSURE_CODES = ("", "audience", "presence", "unavailable", "blackout", "history")


def member_columns(scenario: Scenario) -> dict[str, np.ndarray]:
    """Each selector key's member values, one array per key, in the members' order."""
    return {
        key: np.array([getattr(m, name) for m in scenario.members], dtype=object)
        for key, name in MEMBER_FIELD.items()
    }


def selector_mask(selector: Selector, columns: dict[str, np.ndarray]) -> np.ndarray:
    """Which members a selector matches, as a boolean array."""
    size = len(columns["members"])
    mask = np.ones(size, dtype=bool)
    for key, values in selector.given().items():
        mask &= np.isin(columns[key], np.array(values, dtype=object))
    return mask


class Eligibility:
    """Who may attend each session, as one closure code per member and session.

    ``codes(session)[i]`` is 0 when member ``i`` is eligible, else the index in
    ``CLOSURE_CODES`` of the first rule that shuts the session to them (audience,
    presence, leave, team blackout, a non-repeatable course done in history). One array
    per session, computed with numpy; ``cache`` keeps them, so that a window with a
    hundred sessions costs a hundred look-ups (the engine, reading each session once,
    does not keep them: at province size they would not fit in memory).
    """

    def __init__(self, scenario: Scenario, rules: dict[str, TeamRule], cache: bool = True):
        self.scenario = scenario
        self.rules = rules
        self.cache = cache
        members = scenario.members
        self.index = {m.id: i for i, m in enumerate(members)}
        self._columns = member_columns(scenario)
        self._presence = [presence(scenario, m) for m in members]
        spans = self._presence
        self._first = np.array([p.start.toordinal() if p else 1 for p in spans], dtype=np.int64)
        self._last = np.array([p.end.toordinal() if p else 0 for p in spans], dtype=np.int64)
        # Every leave range as three arrays, so a session tests them all at once.
        leave = [(i, r) for i, m in enumerate(members) for r in m.unavailable]
        self._leave_member = np.array([i for i, _ in leave], dtype=np.int64)
        self._leave_first = np.array([r.start.toordinal() for _, r in leave], dtype=np.int64)
        self._leave_last = np.array([r.end.toordinal() for _, r in leave], dtype=np.int64)
        team_ids = {team: i for i, team in enumerate(sorted(rules))}
        self._team = np.array([team_ids[m.team] for m in members], dtype=np.int64)
        # Many teams share one blackout calendar (all operations teams): each is tested once.
        self._calendars: dict[tuple, list[int]] = defaultdict(list)
        for team, rule in rules.items():
            if rule.blackout:
                self._calendars[tuple(rule.blackout)].append(team_ids[team])
        self._done: dict[str, list[int]] = defaultdict(list)
        start, end = scenario.horizon.start, scenario.horizon.end
        for row in scenario.history:
            if start <= row.date <= end and row.member in self.index:
                self._done[row.course].append(self.index[row.member])
        self._audience: dict[Selector, np.ndarray] = {}
        self._codes: dict[str, np.ndarray] = {}

    def codes(self, session: Session) -> np.ndarray:
        """The closure code of every member for the session."""
        cached = self._codes.get(session.id)
        if cached is not None:
            return cached
        course = self.scenario.course_of(session)
        code = np.zeros(len(self.index), dtype=np.int8)
        # Lowest priority first: a later assignment is a rule that comes earlier in the list.
        if not course.repeatable and course.id in self._done:
            code[self._done[course.id]] = CLOSURE_CODES.index("history")
        if course.away:
            dark = [
                team
                for ranges, teams in self._calendars.items()
                if any(r.touches(session.start, session.last_day) for r in ranges)
                for team in teams
            ]
            if dark:
                code[np.isin(self._team, dark)] = CLOSURE_CODES.index("blackout")
        first, last = session.start.toordinal(), session.last_day.toordinal()
        away = (self._leave_first <= last) & (self._leave_last >= first)
        code[self._leave_member[away]] = CLOSURE_CODES.index("unavailable")
        outside = (self._first > first) | (self._last < last)
        code[outside] = CLOSURE_CODES.index("presence")
        code[~self._in_audience(session)] = CLOSURE_CODES.index("audience")
        if self.cache:
            self._codes[session.id] = code
        return code

    def closure(self, member_id: str, session: Session) -> str:
        """The first rule that shuts the session to the member, or '' when eligible."""
        return CLOSURE_CODES[self.codes(session)[self.index[member_id]]]

    def eligible(self, session: Session) -> np.ndarray:
        """Indices of the members eligible for the session."""
        return np.flatnonzero(self.codes(session) == 0)

    def reasons(self, member: Member, session: Session) -> list[tuple[str, str]]:
        """Why the member may not attend the session: ``(rule, plain words)`` for every
        rule but history that shuts it; empty when none does.

        The rules are ``audience``, ``presence``, ``unavailable`` and ``blackout``.
        """
        i = self.index[member.id]
        course = self.scenario.course_of(session)
        start, end = session.start, session.last_day
        found = []
        for selector, what in ((course.audience, "course"), (session.audience, "session")):
            if not self._matching(selector)[i]:
                name = course.id if what == "course" else session.id
                found.append(("audience", f"not in the audience of {what} {name} ({selector})"))
        if self._first[i] > start.toordinal() or self._last[i] < end.toordinal():
            here = self._presence[i]
            span = str(here) if here else "none in the horizon"
            found.append(("presence", f"{start}/{end} is outside the member's presence ({span})"))
        leave = [r for r in member.unavailable if r.touches(start, end)]
        if leave:
            found.append(("unavailable", f"the member is unavailable {leave[0]}"))
        rule = self.rules.get(member.team)
        if course.away and rule is not None and rule.in_blackout(start, end):
            dark = next(r for r in rule.blackout if r.touches(start, end))
            found.append(("blackout", f"team {member.team} has a blackout {dark}"))
        return found

    def _in_audience(self, session: Session) -> np.ndarray:
        course = self.scenario.course_of(session)
        audience = self._matching(course.audience)
        if not session.audience.is_everyone:
            audience = audience & self._matching(session.audience)
        return audience

    def _matching(self, selector: Selector) -> np.ndarray:
        """Which members a selector matches (cached: sessions share a few audiences)."""
        mask = self._audience.get(selector)
        if mask is None:
            mask = self._audience[selector] = selector_mask(selector, self._columns)
        return mask
