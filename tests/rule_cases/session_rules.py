"""A running session (``checker/session_rules.py``): capacity, min_size, mix."""

from __future__ import annotations

from .case import Case, Why, needs, of, session

CASES = [
    Case(
        "capacity",
        [session("S1", "2026-03-02", capacity=1)],
        bad=[("A", "S1"), ("B", "S1")],
        good=[("A", "S1")],
        conflict_if_pinned=[
            "session S1 holds 1, but 2 members are pinned to it: A and B",
        ],
        why=Why(
            # A weighs more, so B is the one left out.
            [needs(who=of("A"), weight=2), needs(rid="r2", who=of("B"))],
            "full",
            ("S1 is full (1 of 1)",),
            "session S1 (course c, 2026-03-02) holds at most 1",
            member="B",
        ),
    ),
    Case(
        "min_size",
        # A session nobody attends does not run, so S2's min_size does not apply.
        [session("S1", "2026-03-02", min_size=2), session("S2", "2026-03-09", min_size=2)],
        bad=[("A", "S1")],
        good=[("A", "S1"), ("B", "S1")],
    ),
    Case(
        "min_size",
        # S1 runs only with 3, and C is on leave that day: A and B alone may not run it.
        [session("S1", "2026-06-01", min_size=3)],
        members=["A", "B", {"id": "C", "unavailable": ["2026-06-01"]}],
        bad=[("A", "S1"), ("B", "S1")],
        good=[],
        conflict_if_pinned=[
            "session S1 runs only with at least 3 attendees (min_size), but A is pinned to it "
            "and only 2 members may attend it",
        ],
        label="min-size-too-few",
        why=Why(
            [needs(who=of("A"))],
            "min_size",
            ("S1 does not run: it needs 3 attendees and only 2 could join",),
            "session S1 runs only with at least 3 attendees (min_size); 2 members may attend it",
        ),
    ),
    Case(
        "mix",
        # 1 of 3 near retirement is below 0.5; 1 of 2 is exactly 0.5.
        [session("S1", "2026-03-02")],
        courses=[
            {"id": "c", "mix": [{"who": {"categories": ["near_retirement"]}, "min_share": 0.5}]}
        ],
        members=[{"id": "A", "category": "near_retirement"}, "B", "C"],
        bad=[("A", "S1"), ("B", "S1"), ("C", "S1")],
        good=[("A", "S1"), ("B", "S1")],
        conflict_if_pinned=[
            "course c needs at least 50% of each running session to be {categories: "
            "near_retirement} (mix), but B and C are pinned to S1 and 0 of them match; S1 holds "
            "10, and 1 other member who matches may attend it",
        ],
        label="mix-min-share",
        why=Why(
            # A and B weigh more: S1 runs with them, and C would make it 1 of 3.
            [needs(who=of("A", "B"), weight=2), needs(rid="r2", who=of("C"))],
            "mix",
            (
                "S1 would have 1 of 3 attendees matching categories: near_retirement, below "
                "min_share 0.5",
            ),
            "course c needs at least 50% of each running session to be {categories: "
            "near_retirement} (mix)",
            member="C",
        ),
    ),
    Case(
        "mix",
        # 2 of 3 middle managers is above 0.5; 1 of 2 is exactly 0.5.
        [session("S1", "2026-03-02")],
        courses=[{"id": "c", "mix": [{"who": {"tiers": ["middle"]}, "max_share": 0.5}]}],
        members=[{"id": "A", "tier": "middle"}, {"id": "B", "tier": "middle"}, "C"],
        bad=[("A", "S1"), ("B", "S1"), ("C", "S1")],
        good=[("A", "S1"), ("C", "S1")],
        conflict_if_pinned=[
            "course c needs at most 50% of each running session to be {tiers: middle} (mix), but "
            "A and B are pinned to S1 and 2 of them match; S1 holds 10, and 1 other member who "
            "does not match may attend it",
        ],
        label="mix-max-share",
        why=Why(
            # A and C weigh more: S1 runs with them, and B would make it 2 of 3.
            [needs(who=of("A", "C"), weight=2), needs(rid="r2", who=of("B"))],
            "mix",
            ("S1 would have 2 of 3 attendees matching tiers: middle, above max_share 0.5",),
            "course c needs at most 50% of each running session to be {tiers: middle} (mix)",
            member="B",
        ),
    ),
]
