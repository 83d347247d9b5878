"""The checker's over-training audit: one tiny plan per condition of SPEC.md's surplus.

Each case is one member (or a few) in 2026; the surplus count and the joint count (drop
one after another, each judged on what is left) are worked out by hand beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from checker import audit_surplus, check_plan
from models import load_scenario

Build = Callable[..., dict[str, Any]]

ELEARN = {"id": "e", "hours": 8, "away": False, "repeatable": True}
MONTHLY = [{"id": f"E{m}", "course": "e", "start": f"2026-{m:02d}-10"} for m in range(1, 7)]


def test_hours_beyond_the_norm_are_surplus(scenario_dict: Build) -> None:
    # 16 hours needed, 24 planned: any one 8-hour session can go, but only one of them.
    scenario = load_scenario(
        scenario_dict(
            ["M1"],
            [ELEARN],
            MONTHLY,
            requirements=[{"id": "hours", "who": {}, "min_hours": 16}],
        )
    )
    audit = audit_surplus(scenario, [("M1", "E1"), ("M1", "E2"), ("M1", "E3")])
    assert (audit.count, audit.jointly, audit.by_course) == (3, 1, {"e": 3})


def test_an_attendance_a_window_needs_is_not_surplus(scenario_dict: Build) -> None:
    # Exactly 16 hours for a 16-hour norm, and fractional hours that only a ceiling meets:
    # 15.5 hours leave a shortfall of 1, and so do 15 (ceil(16 - 15) = 1): the 0.5-hour
    # session changes no shortfall and is surplus.
    scenario = load_scenario(
        scenario_dict(
            ["M1"],
            [ELEARN, {"id": "h", "hours": 0.5, "away": False}],
            [*MONTHLY, {"id": "H1", "course": "h", "start": "2026-08-01"}],
            requirements=[{"id": "hours", "who": {}, "min_hours": 16}],
        )
    )
    assert audit_surplus(scenario, [("M1", "E1"), ("M1", "E2")]).count == 0
    scenario_short = load_scenario(
        scenario_dict(
            ["M1"],
            [{"id": "e", "hours": 7.5, "away": False, "repeatable": True}, ELEARN | {"id": "h"}],
            [
                *MONTHLY,
                {"id": "H1", "course": "h", "start": "2026-08-01", "hours": 0.5},
            ],
            requirements=[{"id": "hours", "who": {}, "min_hours": 16}],
        )
    )
    audit = audit_surplus(scenario_short, [("M1", "E1"), ("M1", "E2"), ("M1", "H1")])
    assert (audit.count, audit.by_course) == (1, {"h": 1})


def test_min_size_keeps_an_attendee(scenario_dict: Build) -> None:
    # M1 needs the course; M2 and M3 need nothing. With min_size 2 and two attendees, M2
    # keeps the session running; with three, either of M2 and M3 may go, not both.
    raw = scenario_dict(
        ["M1", "M2", "M3"],
        ["c"],
        [{"id": "S1", "course": "c", "start": "2026-03-02", "min_size": 2}],
        requirements=[{"id": "r", "who": {"members": ["M1"]}, "courses": ["c"]}],
    )
    scenario = load_scenario(raw)
    assert audit_surplus(scenario, [("M1", "S1"), ("M2", "S1")]).count == 0
    audit = audit_surplus(scenario, [("M1", "S1"), ("M2", "S1"), ("M3", "S1")])
    assert (audit.count, audit.jointly) == (2, 1)


def test_a_lone_attendee_may_close_the_session(scenario_dict: Build) -> None:
    # Leaving a session empty is allowed whatever its min_size.
    scenario = load_scenario(
        scenario_dict(["M1"], ["c"], [{"id": "S1", "course": "c", "start": "2026-03-02"}])
    )
    assert audit_surplus(scenario, [("M1", "S1")]).count == 1


def test_together_keeps_a_mentor(scenario_dict: Build) -> None:
    # M1 needs the course and M2 attends with M1 by a together rule: M2 stays.
    scenario = load_scenario(
        scenario_dict(
            ["M1", "M2"],
            ["c"],
            [{"id": "S1", "course": "c", "start": "2026-03-02"}],
            requirements=[{"id": "r", "who": {"members": ["M1"]}, "courses": ["c"]}],
            together=[{"course": "c", "members": ["M1", "M2"]}],
        )
    )
    assert audit_surplus(scenario, [("M1", "S1"), ("M2", "S1")]).count == 0


def test_pinned_keeps_an_attendance(scenario_dict: Build) -> None:
    # Two hours' worth for one norm: E2 alone is surplus, E1 is pinned.
    scenario = load_scenario(
        scenario_dict(
            ["M1"],
            [ELEARN],
            MONTHLY,
            requirements=[{"id": "hours", "who": {}, "min_hours": 8}],
            pinned=[{"member": "M1", "session": "E1"}],
        )
    )
    audit = audit_surplus(scenario, [("M1", "E1"), ("M1", "E2")])
    assert (audit.count, audit.jointly) == (1, 1)
    assert check_plan(scenario, [("M1", "E1"), ("M1", "E2")]).surplus == 1


def test_previous_keeps_an_attendance(scenario_dict: Build, tmp_path: Path) -> None:
    # Dropping E1 would add a change: only E2 is surplus.
    (tmp_path / "previous.csv").write_text("member_id,session_id\nM1,E1\n", encoding="utf-8")
    scenario = load_scenario(
        scenario_dict(
            ["M1"],
            [ELEARN],
            MONTHLY,
            requirements=[{"id": "hours", "who": {}, "min_hours": 8}],
            previous="previous.csv",
        ),
        base_dir=tmp_path,
    )
    audit = audit_surplus(scenario, [("M1", "E1"), ("M1", "E2")])
    assert (audit.count, audit.by_course) == (1, {"e": 1})
    assert audit_surplus(scenario, [("M1", "E1")]).count == 0


def test_the_first_completion_of_a_balanced_requirement_stays(scenario_dict: Build) -> None:
    # Two completions of a balanced once-only requirement: dropping the first could move
    # the year imbalance counts, so only the later one (E6) is surplus.
    scenario = load_scenario(
        scenario_dict(
            ["M1"],
            [ELEARN],
            MONTHLY,
            requirements=[{"id": "rot", "who": {}, "courses": ["e"], "balance": True}],
        )
    )
    audit = audit_surplus(scenario, [("M1", "E6"), ("M1", "E2")])
    assert (audit.count, audit.jointly) == (1, 1)
    lone = audit_surplus(scenario, [("M1", "E2")])
    assert lone.count == 0  # also the only completion


def test_a_mix_share_keeps_an_attendee(scenario_dict: Build) -> None:
    # At least half the seats for leadership: with L1 and G1 attending, G1 may go (L1
    # alone is all leadership) but L1 may not (G1 alone is none).
    scenario = load_scenario(
        scenario_dict(
            [{"id": "L1", "tier": "leadership"}, "G1"],
            [
                {
                    "id": "c",
                    "hours": 8,
                    "mix": [{"who": {"tiers": ["leadership"]}, "min_share": 0.5}],
                }
            ],
            [{"id": "S1", "course": "c", "start": "2026-03-02"}],
        )
    )
    audit = audit_surplus(scenario, [("L1", "S1"), ("G1", "S1")])
    assert (audit.count, audit.jointly) == (1, 1)
    report = check_plan(scenario, [("L1", "S1"), ("G1", "S1")])
    assert (report.ok, report.surplus) == (True, 1)


def test_history_counts_toward_the_window(scenario_dict: Build) -> None:
    # History already holds 8 of the 16 hours: one planned session is needed, the other
    # is surplus.
    scenario = load_scenario(
        scenario_dict(
            ["M1"],
            [ELEARN],
            MONTHLY,
            requirements=[{"id": "hours", "who": {}, "min_hours": 16}],
            history=[{"member": "M1", "course": "e", "date": "2026-01-02"}],
        )
    )
    audit = audit_surplus(scenario, [("M1", "E2"), ("M1", "E3")])
    assert (audit.count, audit.jointly) == (2, 1)
