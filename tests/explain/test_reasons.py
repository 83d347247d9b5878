"""Reasons for unmet windows: one tiny scenario per cause, solved to the optimum.

Each test asserts the cause code of the unmet row and that its reason names what a
planner has to act on (the session, the team, the cap, the partner, the dates). The rule
of each rule family is taken from the per-rule cases (``tests/rule_cases``), with the
requirements its ``Why`` adds; the tests here add what those cases do not hold (several
closures at once, class hours, the dominant cause, open sessions). Every plan is solved
through the ``solve_checked`` fixture, so it passes the independent checker.
"""

from __future__ import annotations

import pytest
from rule_cases import CASES, EXPLAINED_RULES, Case

from checker import check_plan
from models import load_scenario
from solver import Status
from solver.engine import PlanLoads
from solver.explain.reasons import Reasoner, explain_unmet, find_reasons


def needs(course: str, **fields: object) -> dict[str, object]:
    """A requirement (everyone, whole horizon) of one completion of ``course``."""
    return {"id": f"need_{course}", "courses": [course], **fields}


def only_unmet(plan, member: str | None = None, requirement: str | None = None):
    """The one unmet row of the plan (for that member and requirement, when given)."""
    rows = [
        u
        for u in plan.unmet
        if (member is None or u.member_id == member)
        and (requirement is None or u.requirement_id == requirement)
    ]
    assert len(rows) == 1, [(u.member_id, u.requirement_id, u.reason) for u in plan.unmet]
    return rows[0]


EXPLAINED = [case for case in CASES if case.why is not None]


def test_every_rule_a_window_can_be_short_of_has_an_explained_case() -> None:
    assert {case.rule for case in EXPLAINED} == EXPLAINED_RULES


@pytest.mark.parametrize("case", EXPLAINED, ids=lambda case: case.id)
def test_the_window_a_rule_leaves_short_gets_its_cause_and_words(
    case: Case, scenario_dict, solve_checked
) -> None:
    assert case.why is not None
    raw = scenario_dict(case.members, case.courses, case.sessions, **case.sections)
    plan = solve_checked(load_scenario({**raw, "requirements": case.why.requirements}))
    assert plan.status == Status.OPTIMAL
    row = only_unmet(plan)
    assert (row.member_id, row.cause) == (case.why.member, case.why.cause), row.reason
    for words in case.why.words:
        assert words in row.reason


def test_no_session_in_the_window(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=["A"],
            courses=["c"],
            sessions=[{"id": "S1", "course": "c", "start": "2026-03-02"}],
            requirements=[needs("c", window={"from": "2026-06-01", "to": "2026-06-30"})],
        )
    )
    # The only session starts in March, the window is June: nothing can serve it.
    row = only_unmet(solve_checked(scenario))
    assert row.cause == "no_session"
    assert row.reason == "no session of c starts in 2026-06-01/2026-06-30"


def test_every_session_closed_counts_each_closure(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=[
                {
                    "id": "B",
                    "team": "OPS",
                    "available_until": "2026-11-30",
                    "unavailable": ["2026-03-01/2026-04-30"],
                }
            ],
            courses=["c"],
            sessions=[
                {
                    "id": "S-AUD",
                    "course": "c",
                    "start": "2026-02-02",
                    "audience": {"units": ["U9"]},
                },
                {"id": "S-LEAVE1", "course": "c", "start": "2026-03-02"},
                {"id": "S-LEAVE2", "course": "c", "start": "2026-04-06"},
                {"id": "S-DARK", "course": "c", "start": "2026-07-06"},
                {"id": "S-GONE", "course": "c", "start": "2026-11-30", "end": "2026-12-01"},
            ],
            team_limits=[{"teams": ["OPS"], "blackout": ["2026-07-01/2026-08-31"]}],
            requirements=[needs("c")],
        )
    )
    # One session per closure: another unit's, two in B's leave, one in OPS's blackout,
    # one that ends after B leaves the company. B can attend none of them.
    row = only_unmet(solve_checked(scenario))
    assert row.cause == "ineligible"
    assert row.reason.startswith("all 5 session(s) of c in 2026-01-01/2026-11-30 are closed to B:")
    assert "1 not in the audience of session S-AUD (units: U9)" in row.reason
    assert "1 outside the member's presence (2026-01-01/2026-11-30)" in row.reason
    assert "2 during the member's leave 2026-03-01/2026-04-30" in row.reason
    assert "1 in team OPS's blackout 2026-07-01/2026-08-31" in row.reason


def test_hours_window_says_what_is_planned_and_what_blocks(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=["A", "B"],
            courses=[{"id": "c", "repeatable": True}],
            sessions=[
                {"id": "S1", "course": "c", "start": "2026-03-02", "capacity": 2},
                {"id": "S2", "course": "c", "start": "2026-09-07", "capacity": 1},
            ],
            requirements=[{"id": "hours", "min_hours": 16}],
        )
    )
    # Both need 16 hours (two sessions of 8); S2 has one seat: one member gets 8 of 16.
    plan = solve_checked(scenario)
    row = only_unmet(plan)
    assert row.cause == "full"
    assert row.reason == (
        "8 of 16 class hours planned in 2026-01-01/2026-12-31; 1 session(s) could add hours "
        "but are blocked: S2 is full (1 of 1)"
    )


def test_dominant_cause_first_and_the_others_briefly(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=[
                {"id": "A", "team": "T"},
                {"id": "B", "team": "T"},
                {"id": "C", "team": "U"},
                {"id": "D", "team": "T"},
            ],
            courses=["c"],
            sessions=[
                {"id": "S1", "course": "c", "start": "2026-03-02", "capacity": 1},
                {"id": "S2", "course": "c", "start": "2026-04-06", "capacity": 1},
                {"id": "S3", "course": "c", "start": "2026-05-04", "capacity": 2},
            ],
            team_limits=[{"teams": ["T"], "max_away": 1}],
            pinned=[
                {"member": "C", "session": "S1"},
                {"member": "B", "session": "S2"},
                {"member": "A", "session": "S3"},
            ],
            requirements=[needs("c", who={"members": ["D"]})],
        )
    )
    # Pinned: C fills S1, B fills S2, A (team T, cap 1) is in S3. D (team T) finds S1 and
    # S2 full and S3 barred by T's cap: dominant cause full, the team cap named after.
    row = only_unmet(solve_checked(scenario))
    assert row.cause == "full"
    assert row.reason == (
        "3 session(s) of c in 2026-01-01/2026-12-31 are open to D but the plan cannot add "
        "them: S1 is full (1 of 1); S2 is full (1 of 1); S3: team T may have 1 away on "
        "2026-05-04 and already has 1 (A in S3)"
    )


@pytest.fixture
def one_session_raw(scenario_dict):
    """A needs c, and S1 is c's one session: nothing keeps A from it."""
    return scenario_dict(
        members=["A"],
        courses=["c"],
        sessions=[{"id": "S1", "course": "c", "start": "2026-06-01"}],
        requirements=[needs("c")],
    )


def test_open_session_says_the_plan_is_not_optimal(one_session_raw):
    scenario = load_scenario(one_session_raw)
    # A hand-made empty plan: S1 is open and nothing blocks A.
    report = check_plan(scenario, [])
    [row] = explain_unmet(scenario, [], report.unmet)
    assert row.cause == "open"
    assert row.reason.startswith("S1 is open to A and adding it breaks no rule: the plan is not")
    [row] = explain_unmet(scenario, [], report.unmet, proven=False)
    assert "the solve stopped before it was proven optimal" in row.reason


def test_open_session_when_the_objective_ranks_another_term_first(one_session_raw, solve_checked):
    scenario = load_scenario({**one_session_raw, "objective": ["attendances", "unmet"]})
    # Fewest attendances first: the optimum attends nothing and leaves A unmet.
    plan = solve_checked(scenario)
    assert plan.status == Status.OPTIMAL
    row = only_unmet(plan)
    assert row.cause == "open"
    assert row.reason.endswith("the objective ranks attendances above unmet")


def test_detail_judges_every_session_and_the_fast_path_agrees(scenario_dict, solve_checked):
    scenario = load_scenario(
        scenario_dict(
            members=["A", "B"],
            courses=["c"],
            sessions=[
                {"id": "S1", "course": "c", "start": "2026-03-02", "capacity": 1},
                {"id": "S2", "course": "c", "start": "2026-06-01", "audience": {"units": ["U9"]}},
            ],
            requirements=[needs("c")],
        )
    )
    plan = solve_checked(scenario)
    report = check_plan(scenario, plan.pairs)
    [fast] = find_reasons(scenario, plan.pairs, report.unmet)
    [full] = find_reasons(scenario, plan.pairs, report.unmet, detail=True)
    assert (fast.cause, fast.note) == (full.cause, full.note)
    states = {v.session.id: (v.state, v.cause) for v in full.verdicts}
    assert states == {"S1": ("blocked", "full"), "S2": ("closed", "audience")}
    reasoner = Reasoner(PlanLoads(scenario, plan.pairs))
    member = scenario.member_by_id[fast.member_id]
    assert reasoner.closures(member, scenario.session_by_id["S2"])[0].cause == "audience"


@pytest.mark.slow
def test_verdicts_agree_with_the_checker_on_a_generated_company(tmp_path, solve_checked):
    """Every verdict, tested against the independent checker by making the change it judges.

    On a generated company: a session called open takes the member (with any together
    partner, and the crowd it needs to run) without breaking a rule; a session called
    blocked does not take the member alone. The plan is the
    solved one with some sessions emptied, so that open sessions exist to be tested.
    """
    import random

    from models.generate import generate_scenario

    scenario = load_scenario(generate_scenario(tmp_path, 120, 1, seed=3))
    plan = solve_checked(scenario, time_limit=5, workers=2)
    assert plan.has_plan
    emptied = {s.id for s in scenario.sessions[::4]}
    pairs = [(m, s) for m, s in plan.pairs if s not in emptied]
    report = check_plan(scenario, pairs)
    assert report.violations == []
    findings = find_reasons(scenario, pairs, report.unmet, detail=True)
    judged = [(f.member_id, v) for f in findings for v in f.verdicts]
    opened = [(m, v) for m, v in judged if v.state == "open"]
    blocked = [(m, v) for m, v in judged if v.state == "blocked"]
    assert opened and blocked
    partners = {
        (m, g.course): [p for p in g.members if p != m]
        for g in scenario.together
        for m in g.members
    }
    rng = random.Random(0)
    reasoner = Reasoner(PlanLoads(scenario, pairs))
    for member, verdict in rng.sample(opened, min(40, len(opened))):
        session = verdict.session.id
        crowd = reasoner.crowd(scenario.member_by_id[member], verdict.session)
        added = [(member, session)] + [
            (p, session)
            for p in partners.get((member, verdict.session.course), []) + [m.id for m in crowd]
            if (p, session) not in pairs
        ]
        assert check_plan(scenario, pairs + added).violations == [], (member, session)
    for member, verdict in rng.sample(blocked, min(80, len(blocked))):
        broken = check_plan(scenario, [*pairs, (member, verdict.session.id)]).violations
        assert broken, (member, verdict.session.id, verdict.cause)
