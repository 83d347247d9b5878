"""The checker against every hard rule and objective term of SPEC.md.

For each hard rule: a tiny scenario, one plan that breaks that rule and nothing else
(the checker must name exactly that rule) and one plan where it holds (no violation).
Then each objective term on small plans, with the value worked out by hand beside it,
and the worked example of the format (``tests/data/mini``) with its published terms.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rule_cases import CASES, REPEATABLE, RULES, Case, Pairs, session

from checker import check_plan, read_assignments
from models import Scenario, load_scenario

MINI = Path(__file__).parent / "data" / "mini"


@pytest.fixture
def build(scenario_dict: Callable[..., dict[str, Any]]) -> Callable[[Case], Scenario]:
    def make(case: Case) -> Scenario:
        return load_scenario(
            scenario_dict(case.members, case.courses, case.sessions, **case.sections)
        )

    return make


def test_every_rule_of_the_checker_has_a_case() -> None:
    assert {case.rule for case in CASES} == RULES


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_plan_breaking_the_rule_reports_exactly_it(
    case: Case, build: Callable[[Case], Scenario]
) -> None:
    report = check_plan(build(case), case.bad)
    assert report.violations, "the bad plan must break the rule"
    assert {v.rule for v in report.violations} == {case.rule}, [str(v) for v in report.violations]
    assert not report.ok


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_plan_keeping_the_rule_has_no_violation(
    case: Case, build: Callable[[Case], Scenario]
) -> None:
    report = check_plan(build(case), case.good)
    assert [str(v) for v in report.violations] == []
    assert report.ok


def test_violation_names_member_session_and_day(build: Callable[[Case], Scenario]) -> None:
    case = next(c for c in CASES if c.rule == "unavailable")
    (violation,) = check_plan(build(case), case.bad).violations
    assert (violation.member, violation.session, str(violation.day)) == ("A", "S1", "2026-03-05")
    assert str(violation) == (
        "[unavailable] A may not attend S1: the member is unavailable 2026-03-01/2026-03-05"
    )


def test_team_cap_is_reported_for_each_day(build: Callable[[Case], Scenario]) -> None:
    case = next(c for c in CASES if c.label == "team-cap-share")
    # A is away 03-02 and 03-03, B on 03-03: only 03-03 has two of U1 away.
    days = [str(v.day) for v in check_plan(build(case), case.bad).violations]
    assert days == ["2026-03-03"]


# -- objective terms, by hand ----------------------------------------------------------


def terms(scenario: Scenario, pairs: Pairs) -> dict[str, int]:
    report = check_plan(scenario, pairs)
    assert [str(v) for v in report.violations] == []
    return report.objective


def test_unmet_count_form(scenario_dict: Callable[..., dict[str, Any]]) -> None:
    scenario = load_scenario(
        scenario_dict(
            ["A", "B"],
            [REPEATABLE, "other"],
            [
                session("S1", "2026-03-02"),
                session("S2", "2026-06-01"),
                session("S3", "2026-09-01", course="other"),
            ],
            requirements=[{"id": "twice", "courses": ["c"], "count": 2, "weight": 3}],
        )
    )
    # A: 1 of 2 (S3 is another course) -> 3 * 1 = 3; B: 0 of 2 -> 3 * 2 = 6.
    assert terms(scenario, [("A", "S1"), ("A", "S3")])["unmet"] == 9
    # A: 2 of 2 -> 0; B: 1 of 2 -> 3.
    assert terms(scenario, [("A", "S1"), ("A", "S2"), ("B", "S2")])["unmet"] == 3


def test_unmet_hours_form_rounds_fractional_hours_up(
    scenario_dict: Callable[..., dict[str, Any]],
) -> None:
    scenario = load_scenario(
        scenario_dict(
            ["A", "B"],
            [{"id": "c", "hours": 2.5, "repeatable": True}, {"id": "other", "hours": 16}],
            [
                session("S1", "2026-03-02"),
                session("S2", "2026-06-01"),
                session("S3", "2026-09-01", hours=3.25),
                session("S4", "2026-10-12", course="other"),
            ],
            requirements=[
                {"id": "hours", "min_hours": 8},
                {"id": "c_hours", "min_hours": 4, "courses": ["c"], "weight": 2},
            ],
        )
    )
    pairs = [("A", "S1"), ("A", "S2"), ("A", "S3"), ("B", "S1"), ("B", "S4")]
    # hours:   A 2.5 + 2.5 + 3.25 = 8.25 -> 0; B 2.5 + 16 = 18.5 -> 0.
    # c_hours: A 8.25 >= 4 -> 0; B only S1 counts (S4 is not c): ceil(4 - 2.5) = 2, x2 = 4.
    assert terms(scenario, pairs)["unmet"] == 4
    # hours: A 2.5 + 2.5 = 5 -> ceil(3) = 3; B none -> 8. c_hours: A 0; B 4 x 2 = 8.
    assert terms(scenario, [("A", "S1"), ("A", "S2")])["unmet"] == 19
    # hours: A 3.25 -> ceil(4.75) = 5; B 8. c_hours: A ceil(0.75) = 1 x 2 = 2; B 8.
    assert terms(scenario, [("A", "S3")])["unmet"] == 23


def test_year_windows_apply_from_half_a_year_of_presence(
    scenario_dict: Callable[..., dict[str, Any]],
) -> None:
    scenario = load_scenario(
        scenario_dict(
            [
                {"id": "A", "available_from": "2026-07-02"},  # 183 days of 2026's 365
                {"id": "B", "available_from": "2026-07-03"},  # 182 days
                {"id": "C", "available_until": "2027-07-02"},  # 183 days of 2027
            ],
            [REPEATABLE],
            [session("S1", "2026-09-01"), session("S2", "2027-03-01")],
            horizon={"start": "2026-01-01", "end": "2027-12-31"},
            requirements=[{"id": "yearly", "courses": ["c"], "window": "year"}],
        )
    )
    report = check_plan(scenario, [("C", "S2")])
    # A: 2026 (2 * 183 >= 365) and 2027 -> 2; B: 2027 only (2 * 182 < 365) -> 1;
    # C: 2026 -> 1, 2027 met by S2 -> 0. Total 4.
    assert report.objective["unmet"] == 4
    windows = sorted((w.member, str(w.window_start), str(w.window_end)) for w in report.unmet)
    assert windows == [
        ("A", "2026-07-02", "2026-12-31"),
        ("A", "2027-01-01", "2027-12-31"),
        ("B", "2027-01-01", "2027-12-31"),
        ("C", "2026-01-01", "2026-12-31"),
    ]


def test_joining_days_window_counts_history_before_the_horizon(
    scenario_dict: Callable[..., dict[str, Any]],
) -> None:
    scenario = load_scenario(
        scenario_dict(
            [
                {"id": "A", "joined": "2025-11-15"},  # window 2025-11-15..2026-02-12
                {"id": "B", "joined": "2025-11-15"},
                {"id": "C", "joined": "2025-06-01"},  # window ends 2025-08-29: never applies
                {"id": "D"},  # never joined: no window
                {"id": "E", "joined": "2026-11-01"},  # window cut at the horizon's end
            ],
            ["c"],
            [session("S1", "2026-03-02")],
            requirements=[
                {"id": "orient", "courses": ["c"], "window": {"joining_days": 90}, "weight": 4}
            ],
            history=[
                {"member": "A", "course": "c", "date": "2025-12-01"},  # counts for A
                {"member": "B", "course": "c", "date": "2025-11-10"},  # before B joined
            ],
        )
    )
    report = check_plan(scenario, [("B", "S1")])  # S1 is after B's window too
    # A 0; B 1 x 4 = 4; C, D no window; E 1 x 4 = 4. Total 8.
    assert report.objective["unmet"] == 8
    windows = sorted((w.member, str(w.window_start), str(w.window_end)) for w in report.unmet)
    assert windows == [("B", "2025-11-15", "2026-02-12"), ("E", "2026-11-01", "2026-12-31")]


def test_fixed_window(scenario_dict: Callable[..., dict[str, Any]]) -> None:
    scenario = load_scenario(
        scenario_dict(
            ["A", "B", {"id": "C", "available_from": "2026-07-01"}],
            ["c"],
            [session("S1", "2026-02-09"), session("S2", "2026-04-13")],
            requirements=[
                {
                    "id": "spring",
                    "courses": ["c"],
                    "window": {"from": "2026-03-01", "to": "2026-06-30"},
                }
            ],
        )
    )
    # A: S1 is before the window -> 1; B: S2 inside -> 0; C arrives after it -> no window.
    assert terms(scenario, [("A", "S1"), ("B", "S2")])["unmet"] == 1


def test_changes_against_previous(
    scenario_dict: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    (tmp_path / "previous.csv").write_text(
        "member_id,session_id,course\nA,S1,c\nB,S1,c\n", encoding="utf-8"
    )
    raw = scenario_dict(["A", "B", "C"], ["c"], [session("S1", "2026-03-02")])
    plan = [("A", "S1"), ("C", "S1")]
    # Without a previous plan there is nothing to change.
    assert terms(load_scenario(raw), plan)["changes"] == 0
    scenario = load_scenario({**raw, "previous": "previous.csv"}, base_dir=tmp_path)
    # {A-S1, C-S1} vs {A-S1, B-S1}: C-S1 added, B-S1 removed -> 2.
    assert terms(scenario, plan)["changes"] == 2
    assert terms(scenario, [("A", "S1"), ("B", "S1")])["changes"] == 0


def test_imbalance_of_a_balance_requirement(scenario_dict: Callable[..., dict[str, Any]]) -> None:
    scenario = load_scenario(
        scenario_dict(
            ["A", "B", "C", {"id": "D", "tier": "middle"}],
            [REPEATABLE, "other"],
            [
                session("S26", "2026-03-02"),
                session("S27", "2027-03-01"),
                session("O26", "2026-06-01", course="other"),
            ],
            horizon={"start": "2026-01-01", "end": "2027-12-31"},
            requirements=[
                {
                    "id": "rotate",
                    "who": {"tiers": ["grassroots"]},
                    "courses": ["c"],
                    "balance": True,
                }
            ],
        )
    )
    # N = 2 years. F26 = 2 (A, B), F27 = 0, S = 2: |2*2 - 2| + |2*0 - 2| = 4.
    # D is not in `who`; O26 is not a listed course.
    assert (
        terms(scenario, [("A", "S26"), ("B", "S26"), ("D", "S27"), ("C", "O26")])["imbalance"] == 4
    )
    # Only first completions count: A's is in 2026 although A also attends S27.
    # F26 = 1 (A), F27 = 1 (B), S = 2: |2 - 2| + |2 - 2| = 0.
    assert terms(scenario, [("A", "S26"), ("A", "S27"), ("B", "S27")])["imbalance"] == 0
    # F26 = 2, F27 = 1, S = 3: |4 - 3| + |2 - 3| = 2.
    assert terms(scenario, [("A", "S26"), ("B", "S26"), ("C", "S27")])["imbalance"] == 2


def test_attendances_cost_and_avoid(scenario_dict: Callable[..., dict[str, Any]]) -> None:
    scenario = load_scenario(
        scenario_dict(
            [{"id": "A", "avoid": ["2026-03-03/2026-03-10"]}, "B", "C"],
            [REPEATABLE],
            [
                session("S1", "2026-03-01", "2026-03-03", seat_cost=100, fixed_cost=1000),
                session("S2", "2026-03-11", seat_cost=50, fixed_cost=700),
                session("S3", "2026-06-01", seat_cost=40, fixed_cost=900),
            ],
        )
    )
    objective = terms(scenario, [("A", "S1"), ("B", "S1"), ("A", "S2")])
    # A-S1, B-S1, A-S2.
    assert objective["attendances"] == 3
    # S1: 2 x 100 + 1000; S2: 1 x 50 + 700; S3 does not run, so no fixed cost: 1950.
    assert objective["cost"] == 1950
    # A-S1 touches A's avoid range on 03-03; A-S2 on 03-11 does not; B has none: 1.
    assert objective["avoid"] == 1


def test_duplicate_rows_count_once_in_the_terms(
    scenario_dict: Callable[..., dict[str, Any]],
) -> None:
    scenario = load_scenario(
        scenario_dict(["A"], ["c"], [session("S1", "2026-03-02", seat_cost=10)])
    )
    report = check_plan(scenario, [("A", "S1"), ("A", "S1")])
    assert [v.rule for v in report.violations] == ["duplicate"]
    # One assignment, one seat.
    assert (report.objective["attendances"], report.objective["cost"]) == (1, 10)


# -- the worked example of the format ---------------------------------------------------


@pytest.fixture(scope="module")
def mini() -> Scenario:
    return load_scenario(MINI / "scenario.yaml")


def test_mini_good_plan(mini: Scenario) -> None:
    report = check_plan(mini, read_assignments(MINI / "plan-good.csv"))
    assert [str(v) for v in report.violations] == []
    assert report.objective == {
        "unmet": 28, "changes": 0, "imbalance": 0, "attendances": 20, "cost": 6000, "avoid": 0,
    }  # fmt: skip
    # 2 members unrotated (weight 10) + E07 and E08 4 hours short each.
    assert sorted((w.member, w.requirement, w.shortfall) for w in report.unmet) == [
        ("E07", "hours", 4), ("E07", "rotate", 1), ("E08", "hours", 4), ("E08", "rotate", 1),
    ]  # fmt: skip


def test_mini_bad_plan(mini: Scenario) -> None:
    report = check_plan(mini, read_assignments(MINI / "plan-bad.csv"))
    assert report.objective == {
        "unmet": 156, "changes": 0, "imbalance": 0, "attendances": 8, "cost": 3700, "avoid": 0,
    }  # fmt: skip
    # E02 on leave in ROT-04; ROT-04 5 for 4 seats; MEN-11 without a mentor; DESK (cap 1)
    # and OPS (cap 2) over their caps on each of ROT-04's 3 days; E07/E08 split twice.
    assert Counter(v.rule for v in report.violations) == {
        "unavailable": 1, "capacity": 1, "mix": 1, "team_cap": 6, "together": 2,
    }  # fmt: skip
    unavailable = next(v for v in report.violations if v.rule == "unavailable")
    assert (unavailable.member, unavailable.session) == ("E02", "ROT-04")
    together = sorted(str(v.session) for v in report.violations if v.rule == "together")
    assert together == ["MEN-05", "MEN-11"]
