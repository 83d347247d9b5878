"""Several members at once (``checker/group_rules.py``): team_cap, together."""

from __future__ import annotations

from .case import Case, Why, in_, needs, of, session

CASES = [
    Case(
        "team_cap",
        [session("S1", "2026-03-02"), session("S2", "2026-03-09")],
        sections={"team_limits": [{"max_away": 1}]},
        bad=[("A", "S1"), ("B", "S1")],
        good=[("A", "S1"), ("B", "S2")],
        conflict_if_pinned=[
            "team U1 may have 1 away on 2026-03-02 (max_away), but pinned members A and B both "
            "attend S1",
        ],
        why=Why(
            # A weighs more, so B is the one left out of S1, the only session in the window.
            [
                needs(who=of("A"), weight=2, window=in_("2026-03-01", "2026-03-05")),
                needs(rid="r2", who=of("B"), window=in_("2026-03-01", "2026-03-05")),
            ],
            "team_cap",
            ("S1: team U1 may have 1 away on 2026-03-02 and already has 1 (A in S1)",),
            "team U1 may have at most 1 away on any day (max_away)",
            member="B",
        ),
    ),
    Case(
        "team_cap",
        # Team U1 has 3 members: max(1, floor(0.5 * 3)) = 1 away a day. C of team X is
        # not counted with U1.
        [session("S1", "2026-03-02", "2026-03-03"), session("S2", "2026-03-03")],
        members=["A", "B", {"id": "C", "team": "X"}, "D"],
        sections={"team_limits": [{"max_away_share": 0.5}]},
        bad=[("A", "S1"), ("B", "S2")],
        good=[("A", "S1"), ("C", "S2")],
        conflict_if_pinned=[
            "team U1 may have 1 away on 2026-03-03 (max_away_share 0.5 of 3 members), but pinned "
            "members A (S1) and B (S2) are both away that day",
        ],
        label="team-cap-share",
    ),
    Case(
        "together",
        [session("S1", "2026-03-02"), session("S2", "2026-06-01")],
        sections={"together": [{"course": "c", "members": ["A", "B"]}]},
        bad=[("A", "S1"), ("B", "S2")],
        good=[("A", "S1"), ("B", "S1")],
        conflict_if_pinned=[
            "A and B must attend course c together, and A is pinned to S1",
            "B is pinned to S2 (course c, 2026-06-01)",
        ],
    ),
    Case(
        "together",
        # B is on leave in March: A may take S1 only with B, so not at all.
        [session("S1", "2026-03-02"), session("S2", "2026-06-01")],
        members=["A", {"id": "B", "unavailable": ["2026-03-01/2026-03-31"]}, "C"],
        sections={"together": [{"course": "c", "members": ["A", "B"]}]},
        bad=[("A", "S2")],
        good=[("A", "S2"), ("B", "S2")],
        label="together-partner-on-leave",
        why=Why(
            [needs(who=of("A"), window=in_("2026-03-01", "2026-03-31"))],
            "together",
            ("partner B cannot attend S1: during the member's leave 2026-03-01/2026-03-31",),
            "A and B must attend course c together or not at all",
        ),
    ),
]
