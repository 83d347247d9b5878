"""A re-plan as the command line runs it (``solver.replan.terminal``)."""

from __future__ import annotations

import datetime as dt

import pytest

from models import RotaplanError, ScenarioError
from solver.replan import (
    AssignmentChange,
    ChangeReport,
    Completion,
    HistoryEntry,
    SessionInfo,
    change_lines,
    first_day,
    read_previous_plan,
)


def test_the_first_day_is_a_date_or_bad_input_naming_the_option():
    assert first_day(" 2026-06-01 ") == dt.date(2026, 6, 1)
    with pytest.raises(RotaplanError) as raised:
        first_day("2026-13-01")
    assert raised.value.exit_code == 2
    assert str(raised.value).startswith("--from: ")


def test_the_previous_plan_is_read_with_what_happened(tmp_path):
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "assignments.csv").write_text(
        "member_id,session_id,course,start\nM1,S1,rotation,2026-03-02\nM2,S1,rotation,2026-03-02\n",
        encoding="utf-8",
    )
    completed = tmp_path / "completed.csv"
    completed.write_text("member_id,session_id,status\nM2,S1,missed\n", encoding="utf-8")
    previous = read_previous_plan(plan, completed)
    assert previous.assignments == [("M1", "S1"), ("M2", "S1")]
    assert previous.sessions == {"S1": SessionInfo("rotation", dt.date(2026, 3, 2))}
    assert previous.completed == [Completion("M2", "S1", "missed", "completed.csv row 2")]
    assert read_previous_plan(plan / "assignments.csv").completed is None


def test_a_bad_completed_file_is_bad_input(tmp_path):
    (tmp_path / "assignments.csv").write_text("member_id,session_id\nM1,S1\n", encoding="utf-8")
    completed = tmp_path / "completed.csv"
    completed.write_text("member_id,session_id,status\nM1,S1,late\n", encoding="utf-8")
    with pytest.raises(ScenarioError):
        read_previous_plan(tmp_path, completed)


def test_the_change_lines_count_each_kind_then_give_the_notes():
    start = dt.date(2026, 9, 14)
    report = ChangeReport(
        dt.date(2026, 6, 1),
        changes=[
            AssignmentChange("M1", "S9", "moved", "S4", "S9", start),
            AssignmentChange("M2", "S9", "added", "", "S9", start),
            AssignmentChange("M3", "S9", "added", "", "S9", start),
        ],
        history=[HistoryEntry("M4", "S1", "rotation", dt.date(2026, 3, 2), "plan")],
        missed=2,
        notes=["2 past attendance(s) of members who left are dropped"],
    )
    assert change_lines(report) == [
        "changes from 2026-06-01: added 2, removed 0, moved 1, left 0; "
        "1 past attendance(s) kept as history, 2 missed",
        "note: 2 past attendance(s) of members who left are dropped",
    ]
