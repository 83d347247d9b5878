"""Indexing a scenario: which pairs the engine leaves out, and the first plan it builds."""

from __future__ import annotations

import numpy as np

from checker import check_plan
from models import load_scenario
from solver.engine import build_instance, construct

# Two teams of four whose daily cap lets two of each go: at most four of the eight can
# be away on one day.
TEAMS = [{"id": f"{team}{i}", "team": team} for team in ("T1", "T2") for i in range(1, 5)]
CAPPED = [{"max_away": 2}]


def _joint_class(min_size: int, away: bool = True) -> dict:
    return {
        "members": TEAMS,
        "courses": [{"id": "joint", "hours": 4, "away": away}],
        "sessions": [
            {"id": "J1", "course": "joint", "start": "2026-05-04", "min_size": min_size},
            {"id": "J2", "course": "joint", "start": "2026-09-07", "min_size": 2},
        ],
        "requirements": [{"id": "meet", "courses": ["joint"]}],
        "team_limits": CAPPED,
    }


def _sessions_with_pairs(instance) -> set[str]:
    sessions = instance.scenario.sessions
    return {sessions[int(s)].id for s in np.unique(instance.pair_session)}


def test_a_class_no_day_can_fill_has_no_pairs(scenario_dict):
    # J1 needs five, the teams may release four: no plan runs it.
    instance = build_instance(load_scenario(scenario_dict(**_joint_class(min_size=5))))
    assert _sessions_with_pairs(instance) == {"J2"}
    assert all(
        instance.scenario.sessions[int(s)].id == "J2"
        for window in instance.windows
        for s in instance.pair_session[window.pairs]
    )


def test_a_class_the_teams_can_fill_keeps_its_pairs(scenario_dict):
    instance = build_instance(load_scenario(scenario_dict(**_joint_class(min_size=4))))
    assert _sessions_with_pairs(instance) == {"J1", "J2"}


def test_remote_study_is_not_held_to_the_team_caps(scenario_dict):
    raw = _joint_class(min_size=5, away=False)
    instance = build_instance(load_scenario(scenario_dict(**raw)))
    assert _sessions_with_pairs(instance) == {"J1", "J2"}


def test_a_pinned_attendee_keeps_the_class(scenario_dict):
    # The pinned row cannot be kept; the model, not the index, has to say so.
    raw = _joint_class(min_size=5) | {"pinned": [{"member": "T11", "session": "J1"}]}
    instance = build_instance(load_scenario(scenario_dict(**raw)))
    assert "J1" in _sessions_with_pairs(instance)
    assert len(instance.pinned) == 1


def test_the_first_plan_spends_a_once_only_class_where_hours_are_scarce(scenario_dict):
    # A rotation class of 8 hours, once in the two years; 10 class hours a year. In 2026
    # four remote lessons give 12 hours, in 2027 (half of it on leave) two give 6: only
    # the rotation in 2027 meets both years.
    lessons = [("2026", m) for m in ("02", "04", "06", "08")] + [("2027", "02"), ("2027", "04")]
    raw = {
        "horizon": {"start": "2026-01-01", "end": "2027-12-31"},
        "members": [{"id": "A", "unavailable": ["2027-06-01/2027-12-31"]}],
        "courses": [
            {"id": "rotation", "hours": 8, "repeatable": False},
            {"id": "lesson", "hours": 3, "away": False, "repeatable": True},
        ],
        "sessions": [
            {"id": "R26", "course": "rotation", "start": "2026-03-02"},
            {"id": "R27", "course": "rotation", "start": "2027-03-01"},
        ]
        + [
            {"id": f"L{year}{month}", "course": "lesson", "start": f"{year}-{month}-10"}
            for year, month in lessons
        ],
        "requirements": [
            {"id": "rotate", "courses": ["rotation"], "window": "horizon", "weight": 10},
            {"id": "hours", "min_hours": 10, "window": "year"},
        ],
    }
    scenario = load_scenario(scenario_dict(**raw))
    instance = build_instance(scenario)
    chosen = construct(instance, scarcity=True)
    pairs = [
        (
            scenario.members[int(instance.pair_member[p])].id,
            scenario.sessions[int(instance.pair_session[p])].id,
        )
        for p in chosen
    ]
    assert ("A", "R27") in pairs
    report = check_plan(scenario, pairs)
    assert report.violations == []
    assert report.objective["unmet"] == 0


def _pairing(pinned: list[dict] | None = None) -> dict:
    # Mentor B leaves at the end of June: from then on nobody of the pair may attend.
    return {
        "members": ["A", {"id": "B", "available_until": "2026-06-30"}, "C"],
        "courses": [{"id": "mentoring", "hours": 2}],
        "sessions": [
            {"id": "M1", "course": "mentoring", "start": "2026-03-02"},
            {"id": "M2", "course": "mentoring", "start": "2026-09-07"},
        ],
        "requirements": [{"id": "paired", "courses": ["mentoring"], "who": {}}],
        "together": [{"course": "mentoring", "members": ["A", "B"]}],
        "pinned": pinned or [],
    }


def test_a_pair_has_no_session_one_of_them_cannot_attend(scenario_dict):
    instance = build_instance(load_scenario(scenario_dict(**_pairing())))
    scenario = instance.scenario
    held = {
        (scenario.members[int(m)].id, scenario.sessions[int(s)].id)
        for m, s in zip(instance.pair_member, instance.pair_session, strict=True)
    }
    # A may not go to M2 without B; C, who is in no pair, may.
    assert ("A", "M2") not in held
    assert {("A", "M1"), ("B", "M1"), ("C", "M1"), ("C", "M2")} <= held


def test_a_pinned_partner_keeps_the_session(scenario_dict):
    raw = _pairing(pinned=[{"member": "A", "session": "M2"}])
    instance = build_instance(load_scenario(scenario_dict(**raw)))
    assert len(instance.pinned) == 1
