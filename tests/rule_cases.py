"""One tiny scenario per hard rule of SPEC.md, with its results worked out by hand.

Each ``Case`` is a scenario, a plan that breaks that rule and nothing else, and a plan
that keeps every rule. The checker's tests (``tests/test_check_rules.py``) hold that the
checker names exactly the rule broken and nothing in the good plan; the engine's
(``tests/engine/test_rule_cases.py``) that the engine's plan keeps every rule and is no
worse, term by term, than the good plan. A new rule gets its case here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Pairs = list[tuple[str, str]]

# Every hard rule the checker recomputes: each has a case below.
RULES = {
    "duplicate", "unknown", "audience", "presence", "unavailable", "blackout",
    "capacity", "min_size", "mix", "overlap", "min_gap", "repeat",
    "max_days_per_year", "max_days_per_month", "max_hours_per_year",
    "max_sessions_per_year", "team_cap", "together", "pinned", "strict",
}  # fmt: skip


def session(
    sid: str, start: str, end: str | None = None, course: str = "c", **fields: Any
) -> dict[str, Any]:
    """A session row; the course is ``c`` unless said otherwise."""
    row = {"id": sid, "course": course, "start": start, **fields}
    if end is not None:
        row["end"] = end
    return row


@dataclass
class Case:
    """One hard rule: a scenario, a plan that breaks only it, a plan that keeps it."""

    rule: str
    sessions: list[dict[str, Any]]
    bad: Pairs
    good: Pairs
    members: list[Any] = field(default_factory=lambda: ["A", "B", "C"])
    courses: list[Any] = field(default_factory=lambda: ["c"])
    sections: dict[str, Any] = field(default_factory=dict)
    label: str = ""

    @property
    def id(self) -> str:
        return self.label or self.rule


NON_AWAY = {"id": "remote", "away": False, "repeatable": True}
REPEATABLE = {"id": "c", "repeatable": True}

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
        "audience",
        [session("S1", "2026-03-02")],
        courses=[{"id": "c", "audience": {"categories": ["branch_secretary"]}}],
        members=["A", {"id": "B", "category": "branch_secretary"}],
        bad=[("A", "S1")],
        good=[("B", "S1")],
    ),
    Case(
        "audience",
        [session("S1", "2026-03-02", audience={"units": ["U2"]}), session("S2", "2026-03-09")],
        bad=[("A", "S1")],
        good=[("A", "S2")],
        label="session-audience",
    ),
    Case(
        "presence",
        # Presence is [available_from, available_until]; every session day must lie in it.
        [session("S1", "2026-02-27", "2026-03-02"), session("S2", "2026-02-26", "2026-02-28")],
        members=[{"id": "A", "available_until": "2026-02-28"}],
        bad=[("A", "S1")],
        good=[("A", "S2")],
    ),
    Case(
        "unavailable",
        [session("S1", "2026-03-05", "2026-03-06"), session("S2", "2026-03-06")],
        members=[{"id": "A", "unavailable": ["2026-03-01/2026-03-05"]}],
        bad=[("A", "S1")],
        good=[("A", "S2")],
    ),
    Case(
        "blackout",
        # A blackout keeps the team off away courses only; remote study goes on.
        [session("S1", "2026-03-02"), session("S2", "2026-03-02", course="remote")],
        courses=["c", NON_AWAY],
        sections={"team_limits": [{"teams": ["U1"], "blackout": ["2026-03-01/2026-03-05"]}]},
        bad=[("A", "S1")],
        good=[("A", "S2")],
    ),
    Case(
        "capacity",
        [session("S1", "2026-03-02", capacity=1)],
        bad=[("A", "S1"), ("B", "S1")],
        good=[("A", "S1")],
    ),
    Case(
        "min_size",
        # A session nobody attends does not run, so S2's min_size does not apply.
        [session("S1", "2026-03-02", min_size=2), session("S2", "2026-03-09", min_size=2)],
        bad=[("A", "S1")],
        good=[("A", "S1"), ("B", "S1")],
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
        label="mix-min-share",
    ),
    Case(
        "mix",
        # 2 of 3 middle managers is above 0.5; 1 of 2 is exactly 0.5.
        [session("S1", "2026-03-02")],
        courses=[{"id": "c", "mix": [{"who": {"tiers": ["middle"]}, "max_share": 0.5}]}],
        members=[{"id": "A", "tier": "middle"}, {"id": "B", "tier": "middle"}, "C"],
        bad=[("A", "S1"), ("B", "S1"), ("C", "S1")],
        good=[("A", "S1"), ("C", "S1")],
        label="mix-max-share",
    ),
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
    ),
    Case(
        "repeat",
        [session("S1", "2026-03-02"), session("S2", "2026-06-01")],
        bad=[("A", "S1"), ("A", "S2")],
        good=[("A", "S1"), ("B", "S2")],
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
    ),
    Case(
        "max_days_per_month",
        # S1 has 3 days in March > 2; S2 has 2 in March and 2 in April, each day in its month.
        [session("S1", "2026-03-02", "2026-03-04"), session("S2", "2026-03-30", "2026-04-02")],
        sections={"limits": [{"who": {}, "max_days_per_month": 2}]},
        bad=[("A", "S1")],
        good=[("A", "S2")],
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
    ),
    Case(
        "team_cap",
        [session("S1", "2026-03-02"), session("S2", "2026-03-09")],
        sections={"team_limits": [{"max_away": 1}]},
        bad=[("A", "S1"), ("B", "S1")],
        good=[("A", "S1"), ("B", "S2")],
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
        label="team-cap-share",
    ),
    Case(
        "together",
        [session("S1", "2026-03-02"), session("S2", "2026-06-01")],
        sections={"together": [{"course": "c", "members": ["A", "B"]}]},
        bad=[("A", "S1"), ("B", "S2")],
        good=[("A", "S1"), ("B", "S1")],
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
