"""The plan's rows (``checker/plan_rows.py``): each row once, known ids, every pin kept;
and ``strict``, every window met."""

from __future__ import annotations

from .case import Case, session

CASES = [
    Case(
        "duplicate",
        [session("S1", "2026-03-02")],
        bad=[("A", "S1"), ("A", "S1")],
        good=[("A", "S1")],
    ),
    Case(
        "unknown",
        [session("S1", "2026-03-02")],
        bad=[("A", "S1"), ("Z", "S1")],
        good=[("A", "S1")],
        label="unknown-member",
    ),
    Case(
        "unknown",
        [session("S1", "2026-03-02")],
        bad=[("A", "S9")],
        good=[("A", "S1")],
        label="unknown-session",
    ),
    Case(
        "pinned",
        [session("S1", "2026-03-02"), session("S2", "2026-06-01")],
        sections={"pinned": [{"member": "A", "session": "S1"}]},
        bad=[("A", "S2")],
        good=[("A", "S1")],
        conflict_if_pinned=[
            "A is pinned to S1 and S2, but course c may be taken only once",
        ],
    ),
    Case(
        "strict",
        [session("S1", "2026-03-02")],
        members=["A"],
        sections={"strict": True, "requirements": [{"id": "r", "courses": ["c"]}]},
        bad=[],
        good=[("A", "S1")],
    ),
]
