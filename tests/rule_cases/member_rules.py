"""A member's own attendances (``checker/member_rules.py``): overlap, min_gap, repeat and
the caps of ``limits``."""

from __future__ import annotations

from .case import NON_AWAY, REPEATABLE, Case, Why, in_, needs, of, session

CASES = [
    Case(
        "overlap",
        # Two away sessions may not share a day; a remote one on that day may.
        [
            session("S1", "2026-03-02", "2026-03-04"),
            session("S2", "2026-03-04", course="c2"),
            session("S3", "2026-03-04", course="remote"),
        ],
        courses=["c", "c2", NON_AWAY],
        bad=[("A", "S1"), ("A", "S2")],
        good=[("A", "S1"), ("A", "S3")],
        conflict_if_pinned=[
            "A is pinned to S1 and S2, which are both away on 2026-03-04: a member attends one "
            "away session a day",
        ],
        why=Why(
            # c weighs more, so A takes S1 and c2's S2 clashes with it.
            [needs(who=of("A"), weight=5), needs("c2", "r2", who=of("A"))],
            "overlap",
            ("S2 shares days with S1",),
        ),
    ),
    Case(
        "min_gap",
        # Free days between S1 (ends 03-02) and S2 (03-05): 03-03, 03-04 = 2 < 3;
        # between S1 and S3 (03-06): 3 free days, enough.
        [session("S1", "2026-03-02"), session("S2", "2026-03-05"), session("S3", "2026-03-06")],
        courses=[REPEATABLE],
        sections={"limits": [{"who": {}, "min_gap_days": 3}]},
        bad=[("A", "S1"), ("A", "S2")],
        good=[("A", "S1"), ("A", "S3")],
        conflict_if_pinned=[
            "A needs 3 free days between away sessions (min_gap_days), but is pinned to S1 "
            "ending 2026-03-02 and S2 starting 2026-03-05: 2 free days",
        ],
        why=Why(
            # Three completions asked; S2 is too close to S1 and to S3.
            [needs(who=of("A"), count=3)],
            "min_gap",
            ("S2 leaves 0 free day(s) to S3, fewer than min_gap_days 3",),
            "A needs 3 free days between away sessions (min_gap_days)",
        ),
    ),
    Case(
        "repeat",
        [session("S1", "2026-03-02"), session("S2", "2026-06-01")],
        bad=[("A", "S1"), ("A", "S2")],
        good=[("A", "S1"), ("B", "S2")],
        conflict_if_pinned=[
            "A is pinned to S1 and S2, but course c may be taken only once",
        ],
        why=Why(
            [needs(who=of("A"), count=2)],
            "repeat",
            ("A already attends", "of non-repeatable course c"),
        ),
    ),
    Case(
        "repeat",
        # A's completion inside the horizon bars the course; B's before the horizon does not.
        [session("S1", "2026-03-02")],
        sections={
            "history": [
                {"member": "A", "course": "c", "date": "2026-01-10"},
                {"member": "B", "course": "c", "date": "2025-12-10"},
            ]
        },
        bad=[("A", "S1")],
        good=[("B", "S1")],
        label="repeat-after-history",
        why=Why(
            # History counts in the window: one of two; c cannot be taken again.
            [needs(who=of("A"), count=2)],
            "ineligible",
            ("closed to A: 1 non-repeatable course c already completed on 2026-01-10 (history)",),
        ),
    ),
    Case(
        "max_days_per_year",
        # S1 + S2 = 2 + 2 = 4 days away in 2026 > 3; S1 + remote S3 = 2 days away.
        [
            session("S1", "2026-03-02", "2026-03-03"),
            session("S2", "2026-06-01", "2026-06-02"),
            session("S3", "2026-06-01", "2026-06-02", course="remote"),
        ],
        courses=[REPEATABLE, NON_AWAY],
        sections={"limits": [{"who": {}, "max_days_per_year": 3}]},
        bad=[("A", "S1"), ("A", "S2")],
        good=[("A", "S1"), ("A", "S3")],
        conflict_if_pinned=[
            "A may be away at most 3 days in 2026 (max_days_per_year), but is pinned to S1 (2 "
            "days) and S2 (2 days), 4 in all",
        ],
        why=Why(
            [needs(who=of("A"), count=2)],
            "member_caps",
            ("would exceed max_days_per_year 3 in 2026 (2 used by",),
            "A may be away at most 3 days a year (max_days_per_year)",
        ),
    ),
    Case(
        "max_days_per_month",
        # S1 has 3 days in March > 2; S2 has 2 in March and 2 in April, each day in its month.
        [session("S1", "2026-03-02", "2026-03-04"), session("S2", "2026-03-30", "2026-04-02")],
        sections={"limits": [{"who": {}, "max_days_per_month": 2}]},
        bad=[("A", "S1")],
        good=[("A", "S2")],
        conflict_if_pinned=[
            "A may be away at most 2 days in 2026-03 (max_days_per_month), but is pinned to S1 "
            "(3 days), 3 in all",
        ],
        why=Why(
            [needs(who=of("A"), window=in_("2026-03-01", "2026-03-05"))],
            "member_caps",
            ("S1 alone exceeds max_days_per_month 2 in 2026-03 (it needs 3)",),
            "A may be away at most 2 days a month (max_days_per_month)",
        ),
    ),
    Case(
        "max_hours_per_year",
        # Hours count in the year a session starts: S1 + S2 = 16 h in 2026 > 10;
        # S1 in 2026 and S3 (starting 2027) are 8 h each.
        [session("S1", "2026-03-02"), session("S2", "2026-06-01"), session("S3", "2027-01-04")],
        courses=[REPEATABLE],
        sections={
            "horizon": {"start": "2026-01-01", "end": "2027-12-31"},
            "limits": [{"who": {}, "max_hours_per_year": 10}],
        },
        bad=[("A", "S1"), ("A", "S2")],
        good=[("A", "S1"), ("A", "S3")],
        conflict_if_pinned=[
            "A may take at most 10 class hours in 2026 (max_hours_per_year), but is pinned to S1 "
            "(8 class hours) and S2 (8 class hours), 16 in all",
        ],
        why=Why(
            [needs(who=of("A"), count=2, window=in_("2026-01-01", "2026-12-31"))],
            "member_caps",
            ("would exceed max_hours_per_year 10 in 2026 (8 used by",),
            "A may take at most 10 class hours a year (max_hours_per_year)",
        ),
    ),
    Case(
        "max_sessions_per_year",
        # Sessions count whether away or not.
        [
            session("S1", "2026-03-02", course="remote"),
            session("S2", "2026-06-01", course="remote"),
        ],
        courses=[NON_AWAY],
        sections={"limits": [{"who": {}, "max_sessions_per_year": 1}]},
        bad=[("A", "S1"), ("A", "S2")],
        good=[("A", "S1"), ("B", "S2")],
        conflict_if_pinned=[
            "A may attend at most 1 sessions in 2026 (max_sessions_per_year), but is pinned to "
            "S1 (1 sessions) and S2 (1 sessions), 2 in all",
        ],
        why=Why(
            [needs("remote", who=of("A"), count=2)],
            "member_caps",
            ("would exceed max_sessions_per_year 1 in 2026 (1 used by",),
            "A may attend at most 1 sessions a year (max_sessions_per_year)",
        ),
    ),
]
