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
