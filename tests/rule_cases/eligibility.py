"""Who may attend (``checker/eligibility.py``): audience, presence, leave, blackout."""

from __future__ import annotations

from .case import NON_AWAY, Case, Why, in_, needs, of, session

CASES = [
    Case(
        "audience",
        [session("S1", "2026-03-02")],
        courses=[{"id": "c", "audience": {"categories": ["branch_secretary"]}}],
        members=["A", {"id": "B", "category": "branch_secretary"}],
        bad=[("A", "S1")],
        good=[("B", "S1")],
        why=Why(
            [needs(who=of("A"))],
            "ineligible",
            ("closed to A: 1 not in the audience of course c (categories: branch_secretary)",),
        ),
    ),
    Case(
        "audience",
        [session("S1", "2026-03-02", audience={"units": ["U2"]}), session("S2", "2026-03-09")],
        bad=[("A", "S1")],
        good=[("A", "S2")],
        label="session-audience",
        why=Why(
            [needs(who=of("A"), window=in_("2026-03-01", "2026-03-08"))],
            "ineligible",
            ("closed to A: 1 not in the audience of session S1 (units: U2)",),
        ),
    ),
    Case(
        "presence",
        # Presence is [available_from, available_until]; every session day must lie in it.
        [session("S1", "2026-02-27", "2026-03-02"), session("S2", "2026-02-26", "2026-02-28")],
        members=[{"id": "A", "available_until": "2026-02-28"}],
        bad=[("A", "S1")],
        good=[("A", "S2")],
        why=Why(
            [needs(window=in_("2026-02-27", "2026-02-28"))],
            "ineligible",
            ("closed to A: 1 outside the member's presence (2026-01-01/2026-02-28)",),
        ),
    ),
    Case(
        "unavailable",
        [session("S1", "2026-03-05", "2026-03-06"), session("S2", "2026-03-06")],
        members=[{"id": "A", "unavailable": ["2026-03-01/2026-03-05"]}],
        bad=[("A", "S1")],
        good=[("A", "S2")],
        why=Why(
            [needs(window=in_("2026-03-01", "2026-03-05"))],
            "ineligible",
            ("closed to A: 1 during the member's leave 2026-03-01/2026-03-05",),
        ),
    ),
    Case(
        "blackout",
        # A blackout keeps the team off away courses only; remote study goes on.
        [session("S1", "2026-03-02"), session("S2", "2026-03-02", course="remote")],
        courses=["c", NON_AWAY],
        sections={"team_limits": [{"teams": ["U1"], "blackout": ["2026-03-01/2026-03-05"]}]},
        bad=[("A", "S1")],
        good=[("A", "S2")],
        why=Why(
            [needs(who=of("A"))],
            "ineligible",
            ("closed to A: 1 in team U1's blackout 2026-03-01/2026-03-05",),
        ),
    ),
]
