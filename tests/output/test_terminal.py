"""What the commands print of a scenario and a checked plan (``solver.output.terminal``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker import SurplusAudit, check_plan, read_assignments
from models import load_scenario
from models.errors import EXIT_NO_PLAN
from solver.output import NoPlanError, ReaderMayLeave, check_lines, overview_lines, surplus_line

MINI = Path(__file__).parent.parent / "data" / "mini"


@pytest.fixture(scope="module")
def mini():
    return load_scenario(MINI / "scenario.yaml")


def test_the_overview_counts_members_units_sessions_and_requirements(mini):
    lines = overview_lines(mini, "scenario.yaml")
    assert lines[0] == "小型示例 / mini example: horizon 2026-01-01 to 2026-12-31"
    # Eight members of one unit; DESK holds 2 and OPS 6.
    assert "1 unit (8-8 members), 2 teams (2-6 members)" in lines
    assert "  middle            1  (branch_secretary 1)" in lines
    assert "  course                     2026" in lines
    assert "  rotation                      2  党员集中轮训班" in lines
    # orient applies to the one new graduate, in the one window after joining.
    assert (
        "  orient           1 of mentoring per first 180 days after joining: 1 member, 1 window"
        in (lines)
    )
    # Each section follows a blank line; the verdict closes the overview.
    assert [lines[i + 1] for i, line in enumerate(lines) if line == ""] == [
        "8 members by tier and category:",
        "1 unit (8-8 members), 2 teams (2-6 members)",
        "8 sessions of 4 courses by year:",
        "4 requirements:",
        "The scenario is valid.",
    ]


def test_a_scenario_without_a_name_is_named_by_its_file(mini):
    nameless = mini.model_copy(update={"name": None})
    assert overview_lines(nameless, "plans/s.yaml")[0] == (
        "plans/s.yaml: horizon 2026-01-01 to 2026-12-31"
    )


def test_check_lines_stop_at_the_limit_and_end_on_the_rules_broken(mini):
    pairs = read_assignments(MINI / "plan-bad.csv")
    lines = check_lines(mini, check_plan(mini, pairs), len(set(pairs)), limit=2)
    assert [line.split(" ")[0] for line in lines[:3]] == ["VIOLATION", "VIOLATION", "..."]
    assert lines[2] == "... and 9 more violations"  # 11 in all, as the CLI test counts
    assert lines[3].startswith("objective: unmet ")
    assert lines[4] == "surplus 0: every assignment serves a requirement or a rule"
    assert lines[5] == "11 violations: team_cap 6, together 2, unavailable 1, capacity 1, mix 1"
    assert len(lines) == 6


def test_a_plan_that_holds_ends_on_its_assignment_count(mini):
    pairs = read_assignments(MINI / "plan-good.csv")
    report = check_plan(mini, pairs)
    lines = check_lines(mini, report, 20)
    assert not any(line.startswith("VIOLATION") for line in lines)
    assert lines[-1] == "every hard rule holds (20 assignments)"


def test_the_surplus_line_names_eight_courses_at_most():
    assert surplus_line(SurplusAudit()) == (
        "surplus 0: every assignment serves a requirement or a rule"
    )
    courses = {f"c{i}": 1 for i in range(9)}
    line = surplus_line(SurplusAudit(count=9, by_course=courses, jointly=4))
    assert line == (
        "surplus 9 (by course: c0 1, c1 1, c2 1, c3 1, c4 1, c5 1, c6 1, c7 1, ...); "
        "4 of them can be dropped together"
    )


def test_no_plan_means_exit_code_1_and_may_say_nothing_more():
    assert NoPlanError.exit_code == EXIT_NO_PLAN
    assert NoPlanError().lines() == []
    assert NoPlanError("no plan: the rules conflict").lines() == ["no plan: the rules conflict"]


def test_a_reader_who_leaves_does_not_stop_the_writer():
    read_end, write_end = os.pipe()
    os.close(read_end)
    stream = ReaderMayLeave(os.fdopen(write_end, "w", buffering=1))
    # The first write meets the closed pipe; it and every later write go nowhere.
    assert stream.write("status OPTIMAL\n") == len("status OPTIMAL\n")
    assert stream.write("plan written\n") == len("plan written\n")
    stream.flush()
    assert stream.fileno() == write_end  # everything else is the stream's own
