"""A plan's assignments, indexed the ways the rules read them."""

from __future__ import annotations

from collections import defaultdict

from models import Scenario, Session

# Shares, caps in hours and hour shortfalls are compared as floats, with this tolerance.
EPSILON = 1e-9


class PlanIndex:
    """The assignments of a plan by member (in date order) and by session.

    Pairs naming an unknown member or session are kept in ``pairs`` (the rows rule
    reports them) but left out of the indexes, which the other rules read.
    """

    def __init__(self, scenario: Scenario, pairs: list[tuple[str, str]]):
        self.scenario = scenario
        self.pairs = list(dict.fromkeys(pairs))
        self.by_member: dict[str, list[Session]] = defaultdict(list)
        self.by_session: dict[str, list[str]] = defaultdict(list)
        for member_id, session_id in self.pairs:
            if member_id in scenario.member_by_id and session_id in scenario.session_by_id:
                self.by_member[member_id].append(scenario.session_by_id[session_id])
                self.by_session[session_id].append(member_id)
        for sessions in self.by_member.values():
            sessions.sort(key=lambda s: (s.start, s.last_day, s.id))
