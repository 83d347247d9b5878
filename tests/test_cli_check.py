"""``rotaplan check`` and ``rotaplan validate`` as a planner runs them, and every command's help."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

import cli

ROOT = Path(__file__).parent.parent
MINI = Path(__file__).parent / "data" / "mini"
TUTORIAL = ROOT / "scenarios" / "tutorial"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli.main, [str(a) for a in args])


def lines(text: str) -> list[str]:
    """Output lines with runs of spaces made single, so column widths do not matter."""
    return [" ".join(line.split()) for line in text.splitlines()]


# -- check ------------------------------------------------------------------------------


def test_check_good_plan_exits_0_and_prints_the_objective() -> None:
    result = run("check", MINI / "scenario.yaml", MINI / "plan-good.csv")
    assert result.exit_code == 0, result.output
    assert lines(result.stdout) == [
        "objective: unmet 28, changes 0, imbalance 0, attendances 20, cost 6000, avoid 0",
        "surplus 0: every assignment serves a requirement or a rule",
        "every hard rule holds (20 assignments)",
    ]


def test_check_reads_a_plan_folder(tmp_path: Path) -> None:
    shutil.copy(MINI / "plan-good.csv", tmp_path / "assignments.csv")
    result = run("check", MINI / "scenario.yaml", tmp_path)
    assert result.exit_code == 0, result.output
    assert "every hard rule holds (20 assignments)" in result.stdout


def test_check_bad_plan_exits_1_and_prints_each_violation() -> None:
    result = run("check", MINI / "scenario.yaml", MINI / "plan-bad.csv")
    assert result.exit_code == 1
    out = lines(result.stdout)
    violations = [line for line in out if line.startswith("VIOLATION ")]
    assert len(violations) == 11
    assert {
        "VIOLATION [unavailable] E02 may not attend ROT-04: the member is unavailable "
        "2026-03-01/2026-04-30",
        "VIOLATION [capacity] ROT-04 has 5 attendees for 4 seats",
        "VIOLATION [together] E07 attend MEN-05 without E08",
        "VIOLATION [team_cap] team DESK may have 1 away on 2026-04-13 but has 2: "
        "E01 (ROT-04), E05 (ROT-04)",
    } <= set(violations)
    assert "objective: unmet 156, changes 0, imbalance 0, attendances 8, cost 3700, avoid 0" in out
    assert out[-1] == "11 violations: team_cap 6, together 2, unavailable 1, capacity 1, mix 1"
    assert "Traceback" not in result.output


def test_check_limits_the_violations_printed() -> None:
    result = run("check", MINI / "scenario.yaml", MINI / "plan-bad.csv", "--limit", "3")
    assert result.exit_code == 1
    out = lines(result.stdout)
    assert sum(line.startswith("VIOLATION ") for line in out) == 3
    assert "... and 8 more violations" in out


def test_check_the_tutorial_against_its_previous_plan() -> None:
    # The previous plan was published before M17's autumn project: it now breaks M17's
    # leave twice, and leaves M08 (hired since) untrained.
    result = run("check", TUTORIAL / "scenario.yaml", TUTORIAL / "previous-assignments.csv")
    assert result.exit_code == 1
    out = lines(result.stdout)
    assert [line for line in out if line.startswith("VIOLATION ")] == [
        "VIOLATION [unavailable] M17 may not attend ROT-2609: the member is unavailable "
        "2026-09-01/2026-12-31",
        "VIOLATION [unavailable] M17 may not attend EL-2609: the member is unavailable "
        "2026-09-01/2026-12-31",
    ]
    # Terms in the scenario's own order (cost before attendances). unmet: the tutorial's
    # 31 (see its header) + M08 untrained: rotate 10 + 2027 hours 32 + orient 3 + mentor
    # 2 x 1 = 78. changes 0: the plan is the previous plan itself. 181 rows in the file.
    assert (
        "objective: unmet 78, changes 0, imbalance 0, cost 44200, attendances 181, avoid 0" in out
    )


def test_check_plan_without_the_required_columns_exits_2(tmp_path: Path) -> None:
    plan = tmp_path / "assignments.csv"
    plan.write_text("member,session\nE01,ROT-04\n", encoding="utf-8")
    result = run("check", MINI / "scenario.yaml", plan)
    assert result.exit_code == 2
    assert "assignments.csv: missing column(s) member_id, session_id in the header" in result.stderr
    assert "Traceback" not in result.output


# -- validate ---------------------------------------------------------------------------


def test_validate_mini_shows_what_was_loaded() -> None:
    result = run("validate", MINI / "scenario.yaml")
    assert result.exit_code == 0, result.output
    out = lines(result.stdout)
    # Members by tier and category.
    assert "8 members by tier and category:" in out
    assert (
        "grassroots 7 (backbone 1, general 3, near_retirement 1, new_graduate 1, party_affairs 1)"
        in out
    )
    assert "middle 1 (branch_secretary 1)" in out
    # Sessions per year and course.
    assert "8 sessions of 4 courses by year:" in out
    assert "course 2026" in out
    assert "elearn 3 远程教育专题" in out
    assert "rotation 2 党员集中轮训班" in out
    # Requirement reach: the new graduate joined 2026-03-01, inside the horizon.
    assert "rotate 1 of rotation per horizon: 8 members, 8 windows" in out
    assert "orient 1 of mentoring per first 180 days after joining: 1 member, 1 window" in out
    assert out[-1] == "The scenario is valid."


def test_validate_tutorial_shows_what_was_loaded() -> None:
    result = run("validate", TUTORIAL / "scenario.yaml")
    assert result.exit_code == 0, result.output
    out = lines(result.stdout)
    assert "30 members by tier and category:" in out
    assert "leadership 3 (general 3)" in out
    assert "middle 6 (branch_secretary 3, general 2, party_affairs 1)" in out
    assert any(line.startswith("grassroots 21 (") for line in out)
    assert "4 units (5-11 members), 5 teams (5-8 members)" in out
    assert "course 2026 2027" in out
    assert "rotation 4 4 党员集中轮训班" in out
    assert "party_affairs 1 2 党务干部和支部书记培训" in out
    # 30 members x 2 years, less M08 (from 2026-07-15: under half of 2026), M10 (until
    # 2027-06-30: 181 days of 2027) and M28 (retired 2026-10-31): 57 windows.
    assert "hours 32 hours per year: 30 members, 57 windows" in out
    # Middle managers' red trip between 2026-03-01 and 2027-06-30.
    assert "red 1 of red_trip per 2026-03-01/2027-06-30: 6 members, 6 windows" in out
    # New graduates M08, M13, M18, M30: each has joined, so each has a window.
    assert "orient 1 of orientation per first 365 days after joining: 4 members, 4 windows" in out
    assert out[-1] == "The scenario is valid."
    assert result.stderr == ""  # no warnings either


@pytest.mark.parametrize(
    "scenario", sorted(ROOT.glob("scenarios/*/scenario.yaml")), ids=lambda p: p.parent.name
)
def test_every_shipped_scenario_validates(scenario: Path) -> None:
    result = run("validate", scenario)
    assert result.exit_code == 0, result.output


# -- help -------------------------------------------------------------------------------


def test_the_group_help_has_an_example() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "Example:" in result.output


@pytest.mark.parametrize("name", sorted(cli.main.commands))
def test_every_command_has_help_with_an_example(name: str) -> None:
    command: click.Command = cli.main.commands[name]
    assert command.help and command.help.strip()
    assert "Example:" in command.help
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
