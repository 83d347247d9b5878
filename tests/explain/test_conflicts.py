"""Conflicting rules: when a scenario has no plan, ``solve`` names a small set of rules.

One tiny scenario per kind of conflict, each asserting the status, the sentences a planner
reads (members, sessions, team, day and cap), and, for several, that every rule named is
needed: the scenario with any one of them taken out has a plan, which the checker holds
to every other rule. The strict conflict of each rule family comes from the per-rule cases
(``tests/rule_cases``): a case's scenario with its ``Why``'s requirements made strict.
So does the conflict of each rule broken by pinned rows: a case's scenario with the rows of
its bad plan pinned. The horizon is the year 2026 (``scenario_dict``).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from rule_cases import CASES, Case

import cli
import solver.planning
from models import Scenario, load_scenario
from solver import SolveOptions, Status, solve
from solver.explain.conflict_search import LEAST_CONFLICT_SECONDS, ConflictBudget, shrink
from solver.explain.conflicts import find_conflicts
from solver.explain.messages import CATALOGUE, Items, Note, NoteText, Renderer, placeholders
from solver.explain.rule_groups import RuleGroup
from solver.output import plan_summary

QUICK = SolveOptions(time_limit=5, workers=1)
QUICK_RUN = ("--time-limit", "5", "--quiet")  # the same on the command line


def pin(member: str, session: str) -> dict[str, str]:
    return {"member": member, "session": session}


def without(raw: dict[str, Any], section: str, index: int | None = None) -> dict[str, Any]:
    """The scenario mapping with one row of a section taken out, or the whole section."""
    changed = copy.deepcopy(raw)
    if index is None:
        del changed[section]
    else:
        del changed[section][index]
    return changed


def conflicts_of(raw: dict[str, Any]) -> list[str]:
    """Solve; the answer must be INFEASIBLE, and its conflicts are returned.

    Every sentence must also be told in both languages (``told_in_both_languages``).
    """
    scenario = load_scenario(raw)
    plan = solve(scenario, QUICK)
    assert plan.status == Status.INFEASIBLE
    assert plan.pairs == []
    assert plan_summary(plan)["conflicts"] == plan.conflicts
    return told_in_both_languages(plan.conflicts, scenario)


def conflicts_found(scenario: Scenario, budget: ConflictBudget | None = None) -> list[str]:
    """``find_conflicts``, each sentence checked by ``told_in_both_languages``."""
    return told_in_both_languages(find_conflicts(scenario, QUICK, budget), scenario)


def told_in_both_languages(lines: list[str], scenario: Scenario) -> list[str]:
    """Each line is its catalogue note in English, and renders in Chinese too.

    Every note inside a sentence must give exactly the placeholders its message has, so no
    language misses a word; the lines are returned for the test's own assertions.
    """
    english, chinese = Renderer(scenario, "en"), Renderer(scenario, "zh")
    for line in lines:
        assert isinstance(line, NoteText), line
        assert english(line.note) == line
        assert_filled(line.note)
        told = chinese(line)
        assert told and told != line, line
    return lines


def assert_filled(value: Any) -> None:
    """Each note in ``value``, however deep, fills exactly its message's placeholders."""
    if isinstance(value, Note):
        for template in CATALOGUE[value.key]:
            assert placeholders(template) == set(value.params), (value.key, value.params)
        for param in value.params.values():
            assert_filled(param)
    elif isinstance(value, Items):
        for item in value.values:
            assert_filled(item)
    elif isinstance(value, NoteText):
        assert_filled(value.note)


def assert_each_rule_needed(raw, solve_checked, removals) -> None:
    """Each removal (section, row index or None) alone gives a plan that passes the checker."""
    for section, index in removals:
        plan = solve_checked(load_scenario(without(raw, section, index)), time_limit=5)
        assert plan.has_plan, (section, index, plan.conflicts)


# -- each rule made strict: the per-rule cases -------------------------------------------


@pytest.mark.parametrize("case", [c for c in CASES if c.why is not None], ids=lambda case: case.id)
def test_a_strict_window_a_rule_leaves_short_is_a_conflict_naming_the_rule(
    case: Case, scenario_dict
) -> None:
    assert case.why is not None
    raw = scenario_dict(case.members, case.courses, case.sessions, **case.sections)
    lines = conflicts_of({**raw, "requirements": case.why.requirements, "strict": True})
    windows = [line for line in lines if " must meet requirement " in line]
    assert [line for line in lines if line not in windows] == (
        [case.why.rule] if case.why.rule else []
    )
    assert all("(strict: true), but " in line for line in windows), windows
    # The window the rule leaves short is told with the words of its reason.
    mine = [line for line in windows if line.startswith(f"{case.why.member} must meet")]
    assert any(all(words in line for words in case.why.words) for line in mine), windows


# -- pinned rows that break a rule: the per-rule cases -------------------------------------


def pinned_bad_plan(case: Case, scenario_dict) -> dict[str, Any]:
    """The case's scenario with the rows of its bad plan pinned."""
    raw = scenario_dict(case.members, case.courses, case.sessions, **case.sections)
    pins = [pin(member, session) for member, session in dict.fromkeys(case.bad)]
    return {**raw, "pinned": raw.get("pinned", []) + pins}


def case_named(name: str) -> Case:
    return next(case for case in CASES if case.id == name)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.conflict_if_pinned is not None], ids=lambda case: case.id
)
def test_pinned_rows_that_break_a_rule_are_a_conflict_naming_it(case: Case, scenario_dict) -> None:
    assert conflicts_of(pinned_bad_plan(case, scenario_dict)) == case.conflict_if_pinned


@pytest.fixture
def team_cap_raw(scenario_dict) -> dict[str, Any]:
    # Team U1 may have one member away a day; A and B are pinned to the same session S1.
    return pinned_bad_plan(case_named("team_cap"), scenario_dict)


def test_each_rule_of_the_team_cap_conflict_is_needed(team_cap_raw, solve_checked) -> None:
    assert_each_rule_needed(
        team_cap_raw, solve_checked, [("pinned", 0), ("pinned", 1), ("team_limits", None)]
    )


def test_each_rule_of_the_days_conflict_is_needed(scenario_dict, solve_checked) -> None:
    # A may be away 3 days a year and is pinned to two sessions of two days.
    raw = pinned_bad_plan(case_named("max_days_per_year"), scenario_dict)
    assert_each_rule_needed(raw, solve_checked, [("pinned", 0), ("pinned", 1), ("limits", None)])


def test_each_pinned_row_over_capacity_is_needed(scenario_dict, solve_checked) -> None:
    # Two members pinned to a session with one seat.
    raw = pinned_bad_plan(case_named("capacity"), scenario_dict)
    assert_each_rule_needed(raw, solve_checked, [("pinned", 0), ("pinned", 1)])


# -- mix and together ------------------------------------------------------------------------


@pytest.fixture
def mix_raw(scenario_dict) -> dict[str, Any]:
    # Half of every running session must be branch secretaries; A and B (general members)
    # are pinned to S1, which holds 3, and only C is a secretary: 1 of 3 is not half.
    return scenario_dict(
        members=["A", "B", {"id": "C", "category": "branch_secretary"}],
        courses=[
            {
                "id": "c",
                "hours": 8,
                "mix": [{"who": {"categories": ["branch_secretary"]}, "min_share": 0.5}],
            }
        ],
        sessions=[{"id": "S1", "course": "c", "start": "2026-03-02", "capacity": 3}],
        pinned=[pin("A", "S1"), pin("B", "S1")],
    )


def test_a_mix_share_no_session_can_meet_with_its_pinned_attendees(mix_raw) -> None:
    assert conflicts_of(mix_raw) == [
        "course c needs at least 50% of each running session to be {categories: "
        "branch_secretary} (mix), but A and B are pinned to S1 and 0 of them match; S1 "
        "holds 3, and 1 other member who matches may attend it"
    ]


def test_each_rule_of_the_mix_conflict_is_needed(mix_raw, solve_checked) -> None:
    # Without either pin, A or B sits with C: half are secretaries.
    assert_each_rule_needed(mix_raw, solve_checked, [("pinned", 0), ("pinned", 1)])
    no_mix = copy.deepcopy(mix_raw)
    no_mix["courses"][0]["mix"] = []
    assert solve_checked(load_scenario(no_mix), time_limit=5).has_plan


@pytest.fixture
def together_raw(scenario_dict) -> dict[str, Any]:
    # Mentor A and mentee B must attend the mentoring course together; its only session is
    # for unit U1, and B is in U2. A is pinned to it.
    return scenario_dict(
        members=["A", {"id": "B", "unit": "U2"}],
        courses=["mentoring"],
        sessions=[
            {"id": "S1", "course": "mentoring", "start": "2026-03-02", "audience": {"units": "U1"}}
        ],
        together=[{"course": "mentoring", "members": ["A", "B"]}],
        pinned=[pin("A", "S1")],
    )


TOGETHER_PINNED = (
    "A and B must attend course mentoring together, but A is pinned to S1 and B may not "
    "attend it: not in the audience of session S1 (units: U1)"
)


def test_a_together_group_whose_partner_may_not_attend_the_pinned_session(together_raw) -> None:
    assert conflicts_found(load_scenario(together_raw)) == [TOGETHER_PINNED]


def test_solve_names_the_together_conflict(together_raw) -> None:
    assert conflicts_of(together_raw) == [TOGETHER_PINNED]


def test_a_together_group_that_can_never_sit_in_one_session(scenario_dict) -> None:
    # Strict: A needs the mentoring course, which A may take only with B, who may attend
    # none of its sessions.
    raw = scenario_dict(
        members=["A", {"id": "B", "unit": "U2"}],
        courses=["mentoring"],
        sessions=[
            {"id": "S1", "course": "mentoring", "start": "2026-03-02", "audience": {"units": "U1"}}
        ],
        together=[{"course": "mentoring", "members": ["A", "B"]}],
        requirements=[{"id": "mentored", "courses": ["mentoring"], "who": {"members": ["A"]}}],
        strict=True,
    )
    window, group = conflicts_of(raw)
    assert window.startswith(
        "A must meet requirement mentored in 2026-01-01/2026-12-31 (strict: true), but "
    )
    assert "partner B cannot attend S1" in window
    assert group == (
        "A and B must attend course mentoring together, but no session of it admits them "
        "all: B may not attend S1: not in the audience of session S1 (units: U1)"
    )


# -- strict requirements ---------------------------------------------------------------------


@pytest.fixture
def no_session_raw(scenario_dict) -> dict[str, Any]:
    # A must have course c in June; its only session is in March.
    return scenario_dict(
        members=["A", "B"],
        courses=["c"],
        sessions=[{"id": "S1", "course": "c", "start": "2026-03-02"}],
        requirements=[
            {
                "id": "june",
                "courses": ["c"],
                "who": {"members": ["A"]},
                "window": {"from": "2026-06-01", "to": "2026-06-30"},
            }
        ],
        strict=True,
    )


def test_strict_with_no_session_in_the_window(no_session_raw, solve_checked) -> None:
    assert conflicts_of(no_session_raw) == [
        "A must meet requirement june in 2026-06-01/2026-06-30 (strict: true), but no session "
        "of c starts in 2026-06-01/2026-06-30"
    ]
    # Not strict, the same scenario has a plan with A's window unmet.
    plan = solve_checked(load_scenario({**no_session_raw, "strict": False}), time_limit=5)
    assert plan.objective["unmet"] == 1


def test_each_rule_of_the_seat_conflict_is_needed(scenario_dict, solve_checked) -> None:
    # The capacity case made strict has no plan (above); with one seat more, or only A's
    # requirement kept, it has one.
    case = next(c for c in CASES if c.id == "capacity")
    assert case.why is not None
    raw = scenario_dict(case.members, case.courses, case.sessions, **case.sections)
    strict = {**raw, "requirements": case.why.requirements, "strict": True}
    only_a = {**strict, "requirements": case.why.requirements[:1]}
    two_seats = copy.deepcopy(strict)
    two_seats["sessions"][0]["capacity"] = 2
    for changed in (only_a, two_seats):
        assert solve_checked(load_scenario(changed), time_limit=5).has_plan


def test_strict_window_short_because_a_pinned_session_uses_the_days(scenario_dict) -> None:
    # A may be away 4 days a year, is pinned to the three-day S2 and must take c, whose
    # only session S1 also takes three days.
    raw = scenario_dict(
        members=["A"],
        courses=["c", "d"],
        sessions=[
            {"id": "S1", "course": "c", "start": "2026-03-02", "end": "2026-03-04"},
            {"id": "S2", "course": "d", "start": "2026-05-04", "end": "2026-05-06"},
        ],
        limits=[{"max_days_per_year": 4}],
        pinned=[pin("A", "S2")],
        requirements=[{"id": "r", "courses": ["c"]}],
        strict=True,
    )
    window, limit = conflicts_of(raw)
    assert window.startswith("A must meet requirement r in 2026-01-01/2026-12-31 (strict: true)")
    assert window.endswith("S1 would exceed max_days_per_year 4 in 2026 (3 used by S2)")
    assert limit == (
        "A may be away at most 4 days a year (max_days_per_year), and is pinned to S2 "
        "(3 days in 2026)"
    )


# -- the search itself -----------------------------------------------------------------------


def test_a_scenario_with_a_plan_has_no_conflicts(team_cap_raw) -> None:
    assert conflicts_found(load_scenario(without(team_cap_raw, "pinned", 1))) == []


def test_out_of_time_says_so_instead_of_naming_rules(team_cap_raw) -> None:
    budget = ConflictBudget(total_seconds=0, check_seconds=1)
    assert conflicts_found(load_scenario(team_cap_raw), budget) == [
        "the rules conflict, but no small set of them was found: the search stopped at its "
        "limit of 0 s (1 s a check)"
    ]


def test_the_conflict_search_gets_what_the_time_limit_leaves_but_never_too_little() -> None:
    assert ConflictBudget.within(100) == ConflictBudget()  # at most the half minute
    assert ConflictBudget.within(12.5) == ConflictBudget(12.5, 5)
    least = ConflictBudget(LEAST_CONFLICT_SECONDS, min(5, LEAST_CONFLICT_SECONDS))
    assert ConflictBudget.within(0.5) == least
    assert ConflictBudget.within(-3) == least  # the engine ran over: still a reason


@pytest.mark.parametrize("limit", [8.0, 60.0])
def test_solve_gives_the_conflict_search_what_the_engine_left_of_the_limit(
    limit: float, team_cap_raw, monkeypatch
) -> None:
    budgets: list[ConflictBudget] = []
    search = solver.planning.find_conflicts

    def spy(scenario, options, budget=None):
        budgets.append(budget)
        return search(scenario, options, budget)

    monkeypatch.setattr(solver.planning, "find_conflicts", spy)
    plan = solve(load_scenario(team_cap_raw), SolveOptions(time_limit=limit, workers=1))
    assert plan.status == Status.INFEASIBLE and plan.conflicts
    [budget] = budgets
    # The engine proved the conflict in well under a second of the limit.
    assert min(limit - 1, 30) <= budget.total_seconds <= min(limit, 30)
    assert budget.check_seconds == 5


GROUPS = [RuleGroup("pinned", (f"M{i}", "S")) for i in range(8)]


def test_shrink_keeps_exactly_the_groups_a_conflict_needs() -> None:
    needed = {GROUPS[1], GROUPS[6]}
    checked: list[frozenset[RuleGroup]] = []

    def conflicts(groups: frozenset[RuleGroup]) -> bool:
        checked.append(groups)
        return needed <= groups

    assert shrink(conflicts, GROUPS, lambda: False) == [GROUPS[1], GROUPS[6]]
    assert len(checked) < len(GROUPS) * 2  # chunks go at once, not one check per group


def test_shrink_out_of_time_returns_a_set_that_still_conflicts() -> None:
    needed = {GROUPS[2], GROUPS[5]}
    checks = iter(range(3))

    def conflicts(groups: frozenset[RuleGroup]) -> bool:
        next(checks)
        return needed <= groups

    calls = iter([False, False, False, True])
    kept = shrink(conflicts, GROUPS, lambda: next(calls))
    assert needed <= set(kept)
    assert len(kept) < len(GROUPS)


# -- the command line ------------------------------------------------------------------------


def test_solve_prints_the_conflict_writes_nothing_and_exits_1(tmp_path: Path, team_cap_raw):
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(team_cap_raw), encoding="utf-8")
    out = tmp_path / "plan"
    result = CliRunner().invoke(
        cli.main, ["solve", str(scenario), "--out", str(out), "--time-limit", "5", "--quiet"]
    )
    assert result.exit_code == 1, result.output
    assert (
        "conflict: team U1 may have 1 away on 2026-03-02 (max_away), but pinned members A and "
        "B both attend S1"
    ) in result.stdout
    assert not out.exists()


@pytest.fixture
def labelled_strict_file(tmp_path: Path, scenario_dict) -> Path:
    """A strict scenario with no plan: 李明 must take c in June, and c runs only in March."""
    raw = scenario_dict(
        members=[{"id": "A", "name": "李明"}, "B"],
        courses=[{"id": "c", "label": "党史学习"}],
        sessions=[{"id": "S1", "course": "c", "start": "2026-03-02"}],
        requirements=[
            {
                "id": "june",
                "label": "六月集中学习",
                "courses": ["c"],
                "who": {"members": ["A"]},
                "window": {"from": "2026-06-01", "to": "2026-06-30"},
            }
        ],
        strict=True,
    )
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return scenario


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "conflict: A must meet requirement june in 2026-06-01/2026-06-30 (strict: true), "
            "but no session of c starts in 2026-06-01/2026-06-30",
        ),
        (
            "zh",
            "冲突：李明（A）必须在2026-06-01/2026-06-30内达成要求六月集中学习（strict: true），"
            "而2026-06-01/2026-06-30内没有党史学习的班次开班",
        ),
    ],
)
def test_solve_prints_the_conflict_in_the_chosen_language(
    tmp_path: Path, labelled_strict_file: Path, lang: str, expected: str
) -> None:
    out = tmp_path / "plan"
    result = CliRunner().invoke(
        cli.main,
        ["solve", str(labelled_strict_file), "--out", str(out), *QUICK_RUN, "--lang", lang],
    )
    assert result.exit_code == 1, result.output
    assert expected in result.stdout.splitlines()
    assert not out.exists()


def test_replan_prints_the_conflict_in_chinese(tmp_path: Path, labelled_strict_file: Path):
    # The plan made before the requirement became strict; re-planning from 1 March with it
    # strict has no plan.
    lenient = yaml.safe_load(labelled_strict_file.read_text(encoding="utf-8"))
    lenient["strict"] = False
    lenient_file = tmp_path / "lenient.yaml"
    lenient_file.write_text(yaml.safe_dump(lenient, allow_unicode=True), encoding="utf-8")
    runner = CliRunner()
    before = tmp_path / "before"
    solved = runner.invoke(cli.main, ["solve", str(lenient_file), "--out", str(before), *QUICK_RUN])
    assert solved.exit_code == 0, solved.output
    out = tmp_path / "after"
    since = ("--previous", str(before), "--from", "2026-03-01")
    result = runner.invoke(
        cli.main,
        [
            "replan",
            str(labelled_strict_file),
            *since,
            "--out",
            str(out),
            *QUICK_RUN,
            "--lang",
            "zh",
        ],
    )
    assert result.exit_code == 1, result.output
    assert (
        "冲突：李明（A）必须在2026-06-01/2026-06-30内达成要求六月集中学习（strict: true），"
        "而2026-06-01/2026-06-30内没有党史学习的班次开班"
    ) in result.stdout.splitlines()
    assert not out.exists()
