"""Each hard rule and objective term of SPEC.md, in a tiny scenario where it binds.

Every scenario is built so that, without the rule, the optimum would be better; the
comment above each solve gives the optimum worked out by hand. The ``solve_checked``
fixture also holds every plan to the independent checker (no violation, same terms).
The objective is SPEC.md's default, ``[unmet, changes, imbalance, attendances, cost,
avoid]``, unless a test says otherwise; the horizon is the year 2026 unless given.
"""

from __future__ import annotations

import pytest
import yaml

from models import load_scenario
from models.scenario import TERMS
from solver import Status
from solver.output import sessions_table

NOTHING: dict[str, int] = dict.fromkeys(TERMS, 0)
TWO_YEARS = {"start": "2026-01-01", "end": "2027-12-31"}


def needs(course: str, **fields: object) -> dict[str, object]:
    """A requirement (everyone, whole horizon, weight 1) of one completion of ``course``."""
    return {"id": f"need_{course}", "courses": [course], **fields}


def assert_optimum(plan, pairs=None, **terms: int) -> None:
    """OPTIMAL, with the given terms (every other one 0) and, if given, exactly these pairs."""
    assert plan.status == Status.OPTIMAL
    assert plan.objective == {**NOTHING, **terms}
    if pairs is not None:
        assert set(plan.pairs) == pairs


# -- eligibility ---------------------------------------------------------------------


SECRETARIES = {"categories": ["branch_secretary"]}
LATE_MAY = {"start": "2026-05-31", "end": "2026-06-02"}


@pytest.mark.parametrize(
    ("course", "session", "other"),
    [
        # The course is for branch secretaries; B is a general member.
        pytest.param({"audience": SECRETARIES}, {}, {}, id="course-audience"),
        # The course is open to all, its only session to unit U1; B is in U2.
        pytest.param({}, {"audience": {"units": ["U1"]}}, {"unit": "U2"}, id="session-audience"),
        # S1 starts inside B's presence (to 06-01), but its last day 06-02 is outside it.
        pytest.param({}, LATE_MAY, {"available_until": "2026-06-01"}, id="presence"),
        # B's leave touches the last day of S1.
        pytest.param({}, LATE_MAY, {"unavailable": ["2026-06-02/2026-06-10"]}, id="unavailable"),
    ],
)
def test_eligibility(scenario_dict, solve_checked, course, session, other):
    scenario = load_scenario(
        scenario_dict(
            members=[{"id": "A", "category": "branch_secretary"}, {"id": "B", **other}],
            courses=[{"id": "c", **course}],
            sessions=[{"id": "S1", "course": "c", "start": "2026-06-01", **session}],
            requirements=[needs("c")],
        )
    )
    # Both need c; B may not attend its only session. Without the rule both attend
    # (unmet 0); with it: unmet 1 (B), attendances 1.
    plan = solve_checked(scenario)
    assert_optimum(plan, {("A", "S1")}, unmet=1, attendances=1)


def test_blackout_bars_away_sessions_only(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=[{"id": "A", "team": "DESK"}, {"id": "B", "team": "OPS"}],
            courses=["rotation", {"id": "elearn", "away": False}],
            sessions=[
                {"id": "R1", "course": "rotation", "start": "2026-06-01", "end": "2026-06-03"},
                {"id": "E1", "course": "elearn", "start": "2026-06-04"},
            ],
            requirements=[needs("rotation"), needs("elearn")],
            team_limits=[{"teams": ["OPS"], "blackout": ["2026-06-03/2026-06-05"]}],
        )
    )
    # OPS's blackout touches R1's last day, so B cannot rotate (unmet 1); the remote E1
    # lies inside the blackout but is not away, so both take it. attendances 3.
    plan = solve_checked(scenario)
    assert_optimum(plan, {("A", "R1"), ("A", "E1"), ("B", "E1")}, unmet=1, attendances=3)


# -- session size and mix ----------------------------------------------------------------


def test_capacity(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=["A", "B", "C"],
            courses=["c"],
            sessions=[{"id": "S1", "course": "c", "start": "2026-06-01", "capacity": 2}],
            requirements=[needs("c")],
        )
    )
    # Three need the course, two seats: unmet 1, attendances 2.
    plan = solve_checked(scenario)
    assert_optimum(plan, unmet=1, attendances=2)
    assert len(plan.pairs) == 2


def test_min_size_cancels_a_session_too_few_can_attend(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=["A", "B", {"id": "C", "unavailable": ["2026-06-01"]}],
            courses=["c"],
            sessions=[
                {
                    "id": "S1",
                    "course": "c",
                    "start": "2026-06-01",
                    "min_size": 3,
                    "fixed_cost": 500,
                }
            ],
            requirements=[needs("c")],
        )
    )
    # Only A and B may attend S1, which needs 3 to run: it is cancelled and nobody is
    # served. unmet 3, attendances 0, cost 0 (no fixed cost for a cancelled session).
    # Without min_size: unmet 1.
    plan = solve_checked(scenario)
    assert_optimum(plan, unmet=3)
    assert plan.pairs == []
    sessions = sessions_table(plan.scenario, plan.pairs).set_index("session_id")
    assert sessions.loc["S1", "status"] == "cancelled"


def test_min_size_met_brings_members_who_need_nothing(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=["A", "B", "C"],
            courses=["c"],
            sessions=[
                {"id": "S1", "course": "c", "start": "2026-06-01", "min_size": 3, "seat_cost": 100}
            ],
            requirements=[needs("c", who={"members": ["A"]})],
        )
    )
    # Only A needs c, but S1 runs with 3 or not at all: serving A (unmet first) brings
    # B and C along. unmet 0, attendances 3, cost 300. Without min_size: attendances 1.
    plan = solve_checked(scenario)
    assert_optimum(plan, {("A", "S1"), ("B", "S1"), ("C", "S1")}, attendances=3, cost=300)


def test_mix_min_share(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=[
                {"id": "Y1", "category": "new_graduate"},
                {"id": "Y2", "category": "new_graduate"},
                {"id": "O1", "category": "near_retirement"},
            ],
            courses=[
                {
                    "id": "mentoring",
                    "mix": [{"who": {"categories": ["near_retirement"]}, "min_share": 0.5}],
                }
            ],
            sessions=[{"id": "S1", "course": "mentoring", "start": "2026-06-01"}],
            requirements=[needs("mentoring", who={"categories": ["new_graduate"]})],
        )
    )
    # At least half of S1 must be near retirement, and there is one such member: with O1,
    # one graduate fits (1 of 2 = 0.5); both would make 1 of 3. unmet 1, attendances 2.
    # Without the mix: unmet 0.
    plan = solve_checked(scenario)
    assert_optimum(plan, unmet=1, attendances=2)
    assert ("O1", "S1") in plan.pairs
    assert len(plan.pairs) == 2


def test_mix_max_share(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=[
                {"id": "Y1", "category": "new_graduate"},
                {"id": "Y2", "category": "new_graduate"},
                "O1",
                "O2",
            ],
            courses=[
                {
                    "id": "mentoring",
                    "mix": [{"who": {"categories": ["new_graduate"]}, "max_share": 0.5}],
                }
            ],
            sessions=[{"id": "S1", "course": "mentoring", "start": "2026-06-01"}],
            requirements=[needs("mentoring", who={"categories": ["new_graduate"]})],
        )
    )
    # Graduates may be at most half of S1: serving both takes two others along.
    # unmet 0, attendances 4. Without the mix: attendances 2.
    plan = solve_checked(scenario)
    assert_optimum(plan, {("Y1", "S1"), ("Y2", "S1"), ("O1", "S1"), ("O2", "S1")}, attendances=4)


# -- one member's calendar ------------------------------------------------------------


def test_away_sessions_do_not_overlap_but_remote_ones_may(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=["A"],
            courses=["c1", "c2", {"id": "remote", "away": False}],
            sessions=[
                {"id": "S1", "course": "c1", "start": "2026-06-01", "end": "2026-06-03"},
                {"id": "S2", "course": "c2", "start": "2026-06-03", "end": "2026-06-05"},
                {"id": "E1", "course": "remote", "start": "2026-06-03"},
            ],
            requirements=[needs("c1"), needs("c2", weight=2), needs("remote")],
        )
    )
    # S1 and S2 share 06-03, so A takes the heavier S2 (weight 2) and misses c1 (unmet 1);
    # the remote E1 on the same day is no conflict. attendances 2.
    plan = solve_checked(scenario)
    assert_optimum(plan, {("A", "S2"), ("A", "E1")}, unmet=1, attendances=2)


@pytest.mark.parametrize(
    ("first", "second", "rule", "tight", "loose"),
    [
        # Between S1 and S2 lie 3 free days (06-03..06-05): a gap of 3 allows both, a
        # gap of 4 does not.
        pytest.param(
            ("2026-06-01", "2026-06-02"),
            ("2026-06-06", "2026-06-07"),
            "min_gap_days",
            4,
            3,
            id="min_gap_days",
        ),
        # S1 has 2 days in January and 1 in February, S2 3 in February: 4 February days,
        # above 3, within 4. Counting S1 in its start month only would allow both under
        # 3; counting all its days in each month it touches would forbid them under 4.
        pytest.param(
            ("2026-01-30", "2026-02-01"),
            ("2026-02-10", "2026-02-12"),
            "max_days_per_month",
            3,
            4,
            id="max_days_per_month-split-session",
        ),
        # S1 has 2 days in 2026 and 2 in 2027, S2 3 in 2027: 5 days in 2027, above 4,
        # within 5. Counting S1 in its start year only would allow both under 4.
        pytest.param(
            ("2026-12-30", "2027-01-02"),
            ("2027-03-02", "2027-03-04"),
            "max_days_per_year",
            4,
            5,
            id="max_days_per_year-across-new-year",
        ),
    ],
)
def test_away_day_rules_at_their_boundary(
    scenario_dict, solve_checked, first, second, rule, tight, loose
):
    scenario = load_scenario(
        scenario_dict(
            members=["A", "B"],
            courses=["c1", "c2"],
            sessions=[
                {"id": "S1", "course": "c1", "start": first[0], "end": first[1]},
                {"id": "S2", "course": "c2", "start": second[0], "end": second[1]},
            ],
            requirements=[needs("c1"), needs("c2", weight=2)],
            limits=[
                {"who": {"members": ["A"]}, rule: tight},
                {"who": {"members": ["B"]}, rule: loose},
            ],
            horizon=TWO_YEARS,
        )
    )
    # A's tight limit allows one of the two: the heavier S2 (c1 unmet, weight 1); B's
    # loose limit allows both. unmet 1, attendances 3.
    plan = solve_checked(scenario)
    assert_optimum(plan, {("A", "S2"), ("B", "S1"), ("B", "S2")}, unmet=1, attendances=3)


def test_max_hours_per_year_counts_in_the_start_year(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=["A"],
            courses=["c1", "c2", "c3"],
            sessions=[
                {"id": "S1", "course": "c1", "start": "2026-12-31", "end": "2027-01-01"},
                {"id": "S2", "course": "c2", "start": "2027-03-01"},
                {"id": "S3", "course": "c3", "start": "2026-06-01"},
            ],
            requirements=[needs("c1", weight=2), needs("c2", weight=5), needs("c3")],
            limits=[{"who": {}, "max_hours_per_year": 10}],
            horizon=TWO_YEARS,
        )
    )
    # 8 hours each, at most 10 a year: one session a year. S1 counts in 2026 (its start)
    # with S3, so A drops c3 (weight 1): unmet 1. Counting S1 in 2027 would clash with
    # S2 instead and cost c1 (weight 2). attendances 2.
    plan = solve_checked(scenario)
    assert_optimum(plan, {("A", "S1"), ("A", "S2")}, unmet=1, attendances=2)


def test_max_sessions_per_year_counts_remote_sessions_too(scenario_dict, solve_checked):
    remote = [{"id": c, "away": False} for c in ("e1", "e2", "e3")]
    scenario = load_scenario(
        scenario_dict(
            members=["A"],
            courses=remote,
            sessions=[
                {"id": "S1", "course": "e1", "start": "2026-03-01"},
                {"id": "S2", "course": "e2", "start": "2026-09-01"},
                {"id": "S3", "course": "e3", "start": "2027-03-01"},
            ],
            requirements=[needs("e1"), needs("e2", weight=2), needs("e3")],
            limits=[{"who": {}, "max_sessions_per_year": 1}],
            horizon=TWO_YEARS,
        )
    )
    # One session a year: S2 (weight 2) in 2026, S3 in 2027; e1 stays unmet.
    # unmet 1, attendances 2.
    plan = solve_checked(scenario)
    assert_optimum(plan, {("A", "S2"), ("A", "S3")}, unmet=1, attendances=2)


def test_non_repeatable_course(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=["A"],
            courses=["rotation", {"id": "elearn", "away": False, "repeatable": True}],
            sessions=[
                {"id": "R1", "course": "rotation", "start": "2026-03-02"},
                {"id": "R2", "course": "rotation", "start": "2026-09-01", "seat_cost": 100},
                {"id": "E1", "course": "elearn", "start": "2026-04-01"},
                {"id": "E2", "course": "elearn", "start": "2026-10-01"},
            ],
            requirements=[needs("rotation", count=2), needs("elearn", count=2)],
        )
    )
    # Two completions of each asked; rotation may be attended once (the free R1), elearn
    # twice. unmet 1, attendances 3, cost 0.
    plan = solve_checked(scenario)
    assert_optimum(plan, {("A", "R1"), ("A", "E1"), ("A", "E2")}, unmet=1, attendances=3)


def test_history_inside_the_horizon_blocks_a_non_repeatable_course(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=["A", "C"],
            courses=["rotation"],
            sessions=[{"id": "R1", "course": "rotation", "start": "2026-06-01"}],
            requirements=[needs("rotation", window={"from": "2026-03-01", "to": "2026-12-31"})],
            history=[
                {"member": "A", "course": "rotation", "date": "2026-01-15"},
                {"member": "C", "course": "rotation", "date": "2025-12-01"},
            ],
        )
    )
    # Both completions lie outside the window, so both need R1. A's is inside the
    # horizon and blocks the course; C's is before it and does not. unmet 1 (A),
    # attendances 1.
    plan = solve_checked(scenario)
    assert_optimum(plan, {("C", "R1")}, unmet=1, attendances=1)


def test_limits_cascade_takes_the_last_entry_per_field(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=[{"id": "M", "tier": "middle"}, "G"],
            courses=["c1", "c2"],
            sessions=[
                {"id": "S1", "course": "c1", "start": "2026-06-01", "end": "2026-06-03"},
                {"id": "S2", "course": "c2", "start": "2026-06-10", "end": "2026-06-12"},
            ],
            requirements=[needs("c1"), needs("c2", weight=2)],
            limits=[
                {"who": {}, "max_days_per_year": 2, "min_gap_days": 10},
                {"who": {"tiers": ["middle"]}, "max_days_per_year": 6},
            ],
        )
    )
    # M gets 6 days (second entry) and still a 10-day gap (first entry, which the second
    # does not override): S1 and S2 are 6 free days apart, so M takes only S2 (unmet 1).
    # G keeps 2 days a year and fits neither 3-day session (unmet 1 + 2).
    # unmet 4, attendances 1.
    plan = solve_checked(scenario)
    assert_optimum(plan, {("M", "S2")}, unmet=4, attendances=1)


# -- teams -------------------------------------------------------------------------------


def test_team_max_away_counts_away_sessions_only(scenario_dict, solve_checked):
    team = [{"id": m, "team": "T"} for m in ("A", "B", "C")]
    scenario = load_scenario(
        scenario_dict(
            members=team,
            courses=["rotation", {"id": "elearn", "away": False}],
            sessions=[
                {"id": "R1", "course": "rotation", "start": "2026-06-01", "end": "2026-06-03"},
                {"id": "E1", "course": "elearn", "start": "2026-06-02"},
            ],
            requirements=[needs("rotation"), needs("elearn")],
            team_limits=[{"max_away": 2}],
        )
    )
    # Two of team T may be away a day: one member misses rotation (unmet 1); the remote
    # E1 on the same days takes all three. attendances 2 + 3.
    plan = solve_checked(scenario)
    assert_optimum(plan, unmet=1, attendances=5)
    assert sum(1 for _, s in plan.pairs if s == "R1") == 2


def test_team_max_away_share_floors_with_at_least_one(scenario_dict, solve_checked):
    members = (
        [{"id": f"A{i}", "team": "T1"} for i in (1, 2, 3)]
        + [{"id": f"B{i}", "team": "T2"} for i in (1, 2)]
        + [{"id": f"D{i}", "team": "T3"} for i in (1, 2, 3)]
        + [{"id": "D4", "team": "T3", "available_until": "2026-03-31"}]
    )
    scenario = load_scenario(
        scenario_dict(
            members=members,
            courses=["rotation"],
            sessions=[{"id": "R1", "course": "rotation", "start": "2026-06-01", "capacity": 20}],
            requirements=[needs("rotation")],
            team_limits=[{"max_away_share": 0.5}, {"teams": ["T2"], "max_away_share": 0.3}],
        )
    )
    # Caps: T1 floor(0.5 * 3) = 1; T2 max(1, floor(0.3 * 2) = 0) = 1; T3 floor(0.5 * 4)
    # = 2, its size counting D4, who left before R1 (counting only the 3 present would
    # give 1). Unserved: T1 2, T2 1, T3 D4 and one more = 2. unmet 5, attendances 4.
    plan = solve_checked(scenario)
    assert_optimum(plan, unmet=5, attendances=4)
    teams = sorted(scenario.member_by_id[m].team for m, _ in plan.pairs)
    assert teams == ["T1", "T2", "T3", "T3"]


def test_team_limits_by_unit(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=[
                {"id": "A1", "unit": "U1", "team": "TA"},
                {"id": "A2", "unit": "U1", "team": "TA"},
                {"id": "B1", "unit": "U2", "team": "TB"},
                {"id": "B2", "unit": "U2", "team": "TB"},
            ],
            courses=["rotation"],
            sessions=[{"id": "R1", "course": "rotation", "start": "2026-06-01"}],
            requirements=[needs("rotation")],
            team_limits=[{"units": ["U2"], "max_away": 1}],
        )
    )
    # The cap names unit U2, so it binds team TB only: one of B1, B2 misses rotation.
    # unmet 1, attendances 3.
    plan = solve_checked(scenario)
    assert_optimum(plan, unmet=1, attendances=3)
    assert {("A1", "R1"), ("A2", "R1")} <= set(plan.pairs)


def test_blackouts_of_all_matching_entries_add_up(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=[{"id": "A", "team": "DESK"}, {"id": "B", "team": "OPS"}],
            courses=["rotation"],
            sessions=[
                {"id": "R1", "course": "rotation", "start": "2026-06-03"},
                {"id": "R2", "course": "rotation", "start": "2026-07-03"},
            ],
            requirements=[needs("rotation")],
            team_limits=[
                {"blackout": ["2026-06-01/2026-06-05"]},
                {"teams": ["OPS"], "blackout": ["2026-07-01/2026-07-05"]},
            ],
        )
    )
    # Every team is dark in early June, OPS in early July as well: A takes R2, B has no
    # session left. unmet 1, attendances 1.
    plan = solve_checked(scenario)
    assert_optimum(plan, {("A", "R2")}, unmet=1, attendances=1)


# -- together and pinned ------------------------------------------------------------------


def test_together_all_or_none(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=["A", {"id": "B", "unavailable": ["2026-07-01"]}, "C", "D"],
            courses=["mentoring", "pairing"],
            sessions=[
                {"id": "M1", "course": "mentoring", "start": "2026-06-01"},
                {"id": "M2", "course": "mentoring", "start": "2026-07-01"},
                {"id": "P1", "course": "pairing", "start": "2026-08-03", "capacity": 1},
            ],
            requirements=[
                needs("mentoring", who={"members": ["A"]}),
                needs("pairing", who={"members": ["C"]}),
            ],
            together=[
                {"course": "mentoring", "members": ["A", "B"]},
                {"course": "pairing", "members": ["C", "D"]},
            ],
        )
    )
    # Only A needs mentoring, but A and B go together: not M2 (B is away that day), so
    # both attend M1. C and D cannot both fit P1's one seat, so neither goes: C unmet.
    # unmet 1, attendances 2. Without the groups: unmet 0, attendances 2 (A and C alone).
    plan = solve_checked(scenario)
    assert_optimum(plan, {("A", "M1"), ("B", "M1")}, unmet=1, attendances=2)


def test_pinned_forces_a_worse_plan_on_a_later_term(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=["A", "B"],
            courses=["c"],
            sessions=[
                {"id": "CHEAP", "course": "c", "start": "2026-06-01", "seat_cost": 100},
                {"id": "DEAR", "course": "c", "start": "2026-07-01", "seat_cost": 500},
            ],
            requirements=[needs("c", who={"members": ["A"]})],
            pinned=[{"member": "A", "session": "DEAR"}, {"member": "B", "session": "CHEAP"}],
        )
    )
    # A needs one session of c and would take CHEAP (cost 100) but is pinned to DEAR;
    # B needs nothing but is pinned to CHEAP. unmet 0, attendances 2, cost 600.
    plan = solve_checked(scenario)
    assert_optimum(plan, {("A", "DEAR"), ("B", "CHEAP")}, attendances=2, cost=600)


@pytest.mark.parametrize(("seats", "status"), [(1, Status.INFEASIBLE), (2, Status.OPTIMAL)])
def test_strict_makes_any_unmet_requirement_infeasible(scenario_dict, solve_checked, seats, status):
    scenario = load_scenario(
        scenario_dict(
            members=["A", "B"],
            courses=["c"],
            sessions=[{"id": "S1", "course": "c", "start": "2026-06-01", "capacity": seats}],
            requirements=[needs("c")],
            strict=True,
        )
    )
    # One seat for two who need it: unmet 1 at best, which strict forbids: no plan.
    # Two seats: both served, unmet 0, attendances 2.
    plan = solve_checked(scenario)
    assert plan.status == status
    if status == Status.INFEASIBLE:
        assert not plan.has_plan
        assert plan.pairs == []
    else:
        assert plan.objective == {**NOTHING, "attendances": 2}


# -- requirement windows -------------------------------------------------------------------


def test_year_windows_need_half_the_year_present(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=[
                {"id": "A", "available_from": "2026-07-03"},
                {"id": "B", "available_from": "2026-07-02"},
                {"id": "C", "available_until": "2027-07-01"},
            ],
            courses=[{"id": "study", "repeatable": True}],
            sessions=[
                {"id": "S26", "course": "study", "start": "2026-09-01"},
                {"id": "S27", "course": "study", "start": "2027-03-01"},
            ],
            requirements=[needs("study", window="year")],
            horizon=TWO_YEARS,
        )
    )
    # 2026 and 2027 have 365 days each. A is present 182 days of 2026 (2 * 182 < 365),
    # so only 2027 applies to A; B is present 183 days (2 * 183 >= 365): both years;
    # C 182 days of 2027: only 2026. unmet 0, attendances 1 + 2 + 1.
    plan = solve_checked(scenario)
    assert_optimum(plan, {("A", "S27"), ("B", "S26"), ("B", "S27"), ("C", "S26")}, attendances=4)


def test_fixed_window_meets_presence(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=[
                "A",
                {"id": "B", "available_until": "2026-02-28"},
                {"id": "C", "available_from": "2026-04-20"},
            ],
            courses=["c"],
            sessions=[
                {"id": "FEB", "course": "c", "start": "2026-02-16"},
                {"id": "APR", "course": "c", "start": "2026-04-15", "seat_cost": 300},
                {"id": "JUN", "course": "c", "start": "2026-06-15"},
            ],
            requirements=[needs("c", window={"from": "2026-03-01", "to": "2026-05-31"})],
        )
    )
    # Only APR starts in March-May: A takes it (cost 300), not the free FEB or JUN.
    # B leaves before March: no window. C arrives 04-20: window 04-20..05-31 has no
    # session, unmet 1. unmet 1, attendances 1, cost 300.
    plan = solve_checked(scenario)
    assert_optimum(plan, {("A", "APR")}, unmet=1, attendances=1, cost=300)


def test_joining_days_window_counts_history_before_the_horizon(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=[
                {"id": "N", "joined": "2025-12-15"},
                {"id": "M", "joined": "2025-12-01"},
                {"id": "L", "joined": "2025-03-01"},
                {"id": "Q", "joined": "2026-08-01"},
                "K",
            ],
            courses=["orient"],
            sessions=[{"id": "O1", "course": "orient", "start": "2026-05-10"}],
            requirements=[needs("orient", window={"joining_days": 180})],
            history=[{"member": "N", "course": "orient", "date": "2025-12-20"}],
        )
    )
    # Windows of 180 days from joining: N 2025-12-15..2026-06-12, met by history of
    # 2025-12-20; M 2025-12-01..2026-05-29, served by O1; L's ends in 2025, before the
    # horizon: no window; Q 2026-08-01..2026-12-31 (cut to presence): no session, unmet
    # 1; K has no joining date: no window. unmet 1, attendances 1. Without history
    # counting, N would attend O1 too.
    plan = solve_checked(scenario)
    assert_optimum(plan, {("M", "O1")}, unmet=1, attendances=1)


def test_min_hours_rounds_up_and_filters_courses(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=["A"],
            courses=[
                {"id": "lecture", "hours": 2.5, "away": False},
                {"id": "elearn", "hours": 3, "away": False},
                {"id": "sports", "hours": 8},
            ],
            sessions=[
                {"id": "L1", "course": "lecture", "start": "2026-03-02"},
                {"id": "E1", "course": "elearn", "start": "2026-04-01"},
                {"id": "X1", "course": "sports", "start": "2026-05-04"},
            ],
            requirements=[{"id": "hours", "min_hours": 10, "courses": ["lecture", "elearn"]}],
        )
    )
    # Lecture and elearn give 5.5 of the 10 hours: shortfall ceil(4.5) = 5. The 8 hours
    # of sports would make up the rest but do not count. unmet 5, attendances 2.
    plan = solve_checked(scenario)
    assert_optimum(plan, {("A", "L1"), ("A", "E1")}, unmet=5, attendances=2)
    assert [(u.member_id, u.requirement_id, u.shortfall) for u in plan.unmet] == [("A", "hours", 5)]


# -- objective terms -------------------------------------------------------------------


def test_changes_against_a_previous_plan(scenario_dict, solve_checked, tmp_path):
    (tmp_path / "assignments.csv").write_text(
        "member_id,session_id,course\nA,S1,c\nB,S1,c\nA,GONE,c\n", encoding="utf-8"
    )
    raw = scenario_dict(
        members=["A", "B", "C"],
        courses=["c"],
        sessions=[
            {"id": "S1", "course": "c", "start": "2026-06-01", "capacity": 2, "seat_cost": 100},
            {"id": "S2", "course": "c", "start": "2026-07-01", "capacity": 2},
        ],
        requirements=[needs("c")],
        previous="assignments.csv",
    )
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    scenario = load_scenario(path)
    # Everyone needs c. Keeping A and B in S1 and adding C to S2 changes 1 assignment,
    # plus A-GONE (no such session any more) which no plan can keep: changes 2. The
    # cheaper plan (two in the free S2, cost 100) would change 4. attendances 3, cost 200.
    plan = solve_checked(scenario)
    assert_optimum(
        plan, {("A", "S1"), ("B", "S1"), ("C", "S2")}, changes=2, attendances=3, cost=200
    )
    assert [s.term for s in plan.stages] == list(TERMS)


def test_imbalance_spreads_first_completions_over_the_years(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=["A", "B", "C"],
            courses=["rotation"],
            sessions=[
                {"id": "R26", "course": "rotation", "start": "2026-06-01"},
                {"id": "R27", "course": "rotation", "start": "2027-06-01", "seat_cost": 100},
            ],
            requirements=[needs("rotation", balance=True)],
            horizon=TWO_YEARS,
        )
    )
    # N = 2 years, S = 3 members. All in 2026 (free): |2*3-3| + |2*0-3| = 6. Two and one:
    # |2*2-3| + |2*1-3| = 2, the least for an odd S, and cheapest with one in 2027.
    # unmet 0, imbalance 2, attendances 3, cost 100.
    plan = solve_checked(scenario)
    assert_optimum(plan, imbalance=2, attendances=3, cost=100)
    assert sorted(s for _, s in plan.pairs) == ["R26", "R26", "R27"]


def test_imbalance_may_ask_for_a_completion_history_already_gave(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=["A", "B"],
            courses=[{"id": "study", "repeatable": True}],
            sessions=[
                {"id": "S26", "course": "study", "start": "2026-06-01"},
                {"id": "S27", "course": "study", "start": "2027-06-01"},
            ],
            requirements=[needs("study", balance=True)],
            history=[{"member": "A", "course": "study", "date": "2026-02-02"}],
            horizon=TWO_YEARS,
        )
    )
    # A's requirement is met by history, B needs one session. B alone: F = (1, 0) or
    # (0, 1), imbalance |2*1-1| + |2*0-1| = 2. Imbalance counts planned completions
    # only, so A in the other year's session gives F = (1, 1), imbalance 0, and
    # imbalance comes before attendances. unmet 0, imbalance 0, attendances 2.
    plan = solve_checked(scenario)
    assert_optimum(plan, attendances=2)


@pytest.mark.parametrize(("people", "cost", "chosen"), [(2, 600, "SEAT"), (6, 1600, "FIXED")])
def test_cost_pays_fixed_cost_only_for_running_sessions(
    scenario_dict, solve_checked, people, cost, chosen
):
    scenario = load_scenario(
        scenario_dict(
            members=[f"M{i}" for i in range(people)],
            courses=["c"],
            sessions=[
                {
                    "id": "FIXED",
                    "course": "c",
                    "start": "2026-06-01",
                    "seat_cost": 100,
                    "fixed_cost": 1000,
                },
                {"id": "SEAT", "course": "c", "start": "2026-07-01", "seat_cost": 300},
                {"id": "DEAR", "course": "c", "start": "2026-08-03", "fixed_cost": 5000},
            ],
            requirements=[needs("c")],
        )
    )
    # k people in FIXED and the rest in SEAT cost 100k + 1000 + 300(n-k) when k > 0,
    # else 300n; DEAR costs 5000 once it runs. n = 2: all in SEAT, 600 (FIXED and DEAR
    # cancelled pay nothing); n = 6: all in FIXED, 600 + 1000 = 1600 < 1800.
    plan = solve_checked(scenario)
    assert_optimum(plan, attendances=people, cost=cost)
    assert {s for _, s in plan.pairs} == {chosen}
    sessions = sessions_table(plan.scenario, plan.pairs).set_index("session_id")
    assert sessions.loc[chosen, "cost"] == cost
    assert sessions.loc["DEAR", "status"] == "cancelled"


def test_avoid_days_come_last(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=[
                {"id": "A", "avoid": ["2026-06-01"]},
                {"id": "B", "avoid": ["2026-06-01", "2026-07-01"]},
            ],
            courses=["c"],
            sessions=[
                {"id": "S1", "course": "c", "start": "2026-06-01"},
                {"id": "S2", "course": "c", "start": "2026-07-01"},
                {"id": "S3", "course": "c", "start": "2026-08-03", "seat_cost": 100},
            ],
            requirements=[needs("c")],
        )
    )
    # A avoids S1 and takes S2. B avoids both free sessions; S3 would spare that but
    # costs 100, and cost comes before avoid: B takes S1 or S2. unmet 0, attendances 2,
    # cost 0, avoid 1.
    plan = solve_checked(scenario)
    assert_optimum(plan, attendances=2, avoid=1)
    assert ("A", "S2") in plan.pairs
    assert ("B", "S3") not in plan.pairs
