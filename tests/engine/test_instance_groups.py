"""Interchangeable pairs: which sessions of a member the model counts as one integer."""

from __future__ import annotations

from conftest import build_scenario_dict, solve_and_check

from models import load_scenario
from solver.engine import RotaModel, build_instance

MONTHS = range(1, 13)


def _elearning(**sections):
    """Two members who need 12 hours a year of 3-hour e-learning, one session a month over
    two years, and a two-day away class; what a test adds comes in ``sections``."""
    sessions = [
        {"id": f"EL-{year}-{month:02d}", "course": "elearn", "start": f"{year}-{month:02d}-05"}
        for year in (2026, 2027)
        for month in MONTHS
    ]
    sessions.append({"id": "CLASS", "course": "class", "start": "2026-03-10", "end": "2026-03-11"})
    requirements = [{"id": "hours", "who": {}, "min_hours": 12, "window": "year"}]
    return build_scenario_dict(
        sections.pop("members", ["A", "B"]),
        [{"id": "elearn", "hours": 3, "away": False, "repeatable": True}, "class"],
        sessions,
        horizon={"start": "2026-01-01", "end": "2027-12-31"},
        requirements=requirements,
        **sections,
    )


def _groups(raw) -> list[list[tuple[str, str]]]:
    instance = build_instance(load_scenario(raw))
    scenario = instance.scenario
    return [
        [
            (
                scenario.members[int(instance.pair_member[p])].id,
                scenario.sessions[int(instance.pair_session[p])].id,
            )
            for p in pairs
        ]
        for pairs in instance.groups.pairs
    ]


def test_a_members_e_learning_of_one_year_is_one_group_in_date_order():
    groups = _groups(_elearning())
    assert len(groups) == 4  # two members, two years
    for group in groups:
        assert len({m for m, _ in group}) == 1
        assert len({s[3:7] for _, s in group}) == 1
        assert [s for _, s in group] == sorted(s for _, s in group)
    assert all(s.startswith("EL-") for group in groups for _, s in group)  # away: alone


def test_windows_avoid_days_pins_and_seat_costs_split_groups():
    raw = _elearning(
        pinned=[{"member": "A", "session": "EL-2026-06"}],
        members=[
            {"id": "A", "tier": "grassroots", "unit": "U1", "avoid": ["2026-02-05"]},
            {"id": "B", "tier": "grassroots", "unit": "U1", "joined": "2026-07-01"},
        ],
    )
    raw["requirements"].append(
        {"id": "new", "who": {}, "courses": ["elearn"], "window": {"joining_days": 30}}
    )
    for session in raw["sessions"]:
        if session["id"] == "EL-2027-12":
            session["seat_cost"] = 5
    groups = {frozenset(group) for group in map(tuple, _groups(raw))}
    members_2026 = {
        m: [s for group in groups for mm, s in group if mm == m and s.startswith("EL-2026")]
        for m in "AB"
    }
    # A: the pinned June and the avoided February stand alone.
    assert "EL-2026-06" not in members_2026["A"] and "EL-2026-02" not in members_2026["A"]
    # B: July (inside the joining window) serves one more window than the other months.
    assert "EL-2026-07" not in members_2026["B"]
    # The costlier December of 2027 stands alone for both.
    assert not any(s == "EL-2027-12" for group in groups for _, s in group)


def test_the_model_counts_a_group_with_one_integer_and_plans_keep_every_rule():
    raw = _elearning(limits=[{"who": {}, "max_sessions_per_year": 3}])
    scenario = load_scenario(raw)
    instance = build_instance(scenario)
    rota = RotaModel(instance)
    assert len(rota.vars.count) == len(instance.groups.pairs) == 4
    domains = [
        list(rota.model.proto.variables[var.index].domain) for var in rota.vars.count.values()
    ]
    assert domains == [[0, 12]] * 4
    plan = solve_and_check(scenario)
    # In 2026 the 8-hour class and two sessions of 3 hours meet 12 hours within the cap of
    # three sessions; in 2027 three sessions give 9 hours: 3 short per member. The earliest
    # sessions of a group are the ones taken.
    assert plan.objective["unmet"] == 2 * 3
    assert plan.objective["attendances"] == 2 * 6
    assert sorted(s for m, s in plan.pairs if m == "A") == [
        "CLASS",
        "EL-2026-01",
        "EL-2026-02",
        "EL-2027-01",
        "EL-2027-02",
        "EL-2027-03",
    ]
