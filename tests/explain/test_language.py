"""What a planner reads, in English and Chinese: the closing lines of ``solve``, ``unmet.csv``,
reasons that say why a window is short of its span, ``members.csv``'s column names, and
timetable workbooks with unit and team names.

Every plan a test solves goes through ``solve_checked`` (or the checker), so it passes
the independent checker.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from checker import check_plan
from cli import main
from models import load_scenario
from solver import Plan, StageReport, Status
from solver.explain.closing import status_lines
from solver.output import write_plan
from solver.output.tables import UNMET_COLUMNS

# -- a branch with names: two units, a seat short, a member who joins, one who leaves --------


@pytest.fixture
def branch_raw(scenario_dict):
    """Everyone needs rotation in the horizon (2026); ROT-06 has two seats.

    张伟 (E01, unit OFF) and 王芳 (E02, unit OPS) take the two seats; 李强 (E03) joins on
    2026-09-01, after the only session, and 刘洋 (E04) leaves on 2026-03-31, before it.
    Members present at least half of 2026 need 8 class hours in it (E01 and E02): the
    rotation's 16 hours serve them, so e-learning (EL-05) is not needed.
    """
    return scenario_dict(
        members=[
            {"id": "E01", "name": "张伟", "unit": "OFF", "team": "OFF-1"},
            {"id": "E02", "name": "王芳", "unit": "OPS", "team": "OPS-1"},
            {
                "id": "E03",
                "name": "李强",
                "unit": "OPS",
                "team": "OPS-1",
                "joined": "2026-09-01",
                "available_from": "2026-09-01",
            },
            {
                "id": "E04",
                "name": "刘洋",
                "unit": "OPS",
                "team": "OPS-1",
                "available_until": "2026-03-31",
            },
        ],
        courses=[
            {"id": "rotation", "label": "党员集中轮训班", "hours": 16},
            {"id": "elearn", "label": "远程教育", "away": False, "hours": 8},
        ],
        sessions=[
            {"id": "ROT-06", "course": "rotation", "start": "2026-06-08", "capacity": 2},
            {"id": "EL-05", "course": "elearn", "start": "2026-05-15"},
        ],
        requirements=[
            {"id": "rotate", "label": "全员轮训", "courses": ["rotation"], "window": "horizon"},
            {"id": "study", "label": "每年学习8学时", "min_hours": 8, "window": "year"},
        ],
        units=[{"id": "OFF", "name": "办公室党支部"}, {"id": "OPS", "name": "运维检修党支部"}],
        teams=[{"id": "OFF-1", "name": "综合组"}, {"id": "OPS-1", "name": "检修一班"}],
    )


@pytest.fixture
def branch(branch_raw):
    return load_scenario(branch_raw)


@pytest.fixture
def branch_file(tmp_path, branch_raw) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(branch_raw, allow_unicode=True), encoding="utf-8")
    return path


def test_units_and_teams_give_names(branch):
    assert branch.unit_names == {"OFF": "办公室党支部", "OPS": "运维检修党支部"}
    assert branch.team_names["OPS-1"] == "检修一班"


def test_units_and_teams_read_from_tables(tmp_path, branch_raw):
    (tmp_path / "units.csv").write_text("id,name\nOFF,办公室党支部\nOPS,运维检修党支部\n")
    (tmp_path / "teams.csv").write_text("id,name\nOFF-1,综合组\nOPS-1,检修一班\n")
    raw = {**branch_raw, "units": "units.csv", "teams": "teams.csv"}
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    loaded = load_scenario(path)
    assert loaded.unit_names["OPS"] == "运维检修党支部"
    assert loaded.team_names == {"OFF-1": "综合组", "OPS-1": "检修一班"}


# -- reasons: joining and leaving ------------------------------------------------------------


def _reason(plan: Plan, member: str, requirement: str) -> str:
    [row] = [u for u in plan.unmet if (u.member_id, u.requirement_id) == (member, requirement)]
    return row.reason


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        # E03's 2026 window is cut to 2026-09-01/2026-12-31: no rotation session starts in it.
        (
            "E03",
            "no session of rotation starts in 2026-09-01/2026-12-31; the window is shorter than "
            "2026-01-01/2026-12-31: it starts on 2026-09-01, when E03 joins",
        ),
        (
            "E04",
            "no session of rotation starts in 2026-01-01/2026-03-31; the window is shorter than "
            "2026-01-01/2026-12-31: it ends on 2026-03-31, when E04 leaves (available_until)",
        ),
    ],
    ids=["joining", "leaving"],
)
def test_a_window_cut_by_joining_or_leaving_says_so(branch, solve_checked, member, expected):
    assert _reason(solve_checked(branch), member, "rotate") == expected


def test_a_window_of_the_whole_span_says_nothing_of_cuts(branch, solve_checked):
    plan = solve_checked(branch)
    assert all("shorter than" not in u.reason for u in plan.unmet if u.member_id in ("E01", "E02"))


# -- the closing lines of solve ----------------------------------------------------------------


def test_closing_lines_say_per_term_whether_it_is_proven(branch_file):
    runner = CliRunner()
    out = branch_file.parent / "plan"
    english = runner.invoke(main, ["solve", str(branch_file), "--out", str(out), "--quiet"])
    assert english.exit_code == 0, english.output
    lines = english.output.splitlines()
    # E03 and E04 cannot rotate (no session in their cut windows): unmet 2, proven.
    assert lines[0].startswith("status OPTIMAL: unmet 2, ")
    assert "  unmet 2: proven optimal" in lines
    assert "  avoid 0: the least possible" in lines
    assert "bound" not in english.output  # the old single line spoke of one term only
    assert "2 requirement windows unmet: no_session 2" in lines
    chinese = runner.invoke(
        main, ["solve", str(branch_file), "--out", str(out), "--quiet", "--lang", "zh"]
    )
    assert chinese.exit_code == 0, chinese.output
    lines = chinese.output.splitlines()
    assert lines[0].startswith("状态 最优（OPTIMAL）：未满足 2、")
    assert "  未满足 2：已证明最优" in lines
    assert "2个要求窗口未满足：窗口内没有班次（2个）" in lines
    assert lines[-1].startswith(f"计划已写入{out.resolve()}，用时")


def test_closing_lines_give_each_terms_bound_and_explain_a_later_stage(branch):
    # A solve that ran out of time: unmet proven, attendances lowered by the cost stage
    # after its own stage ended, cost bounded, avoid never reached.
    stages = [
        StageReport("unmet", Status.OPTIMAL, 425, 425, 30.0),
        StageReport("attendances", Status.FEASIBLE, 92923, 0, 20.0),
        StageReport("cost", Status.FEASIBLE, 1000, 800, 10.0),
    ]
    terms = {"unmet": 425, "changes": 0, "imbalance": 0, "attendances": 91811, "cost": 1000}
    plan = Plan(branch, Status.FEASIBLE, [], {**terms, "avoid": 7}, 0, stages)
    lines = status_lines(plan)
    assert lines[1:] == [
        "  unmet 425: proven optimal",
        "  changes 0: the least possible",
        "  imbalance 0: the least possible",
        "  attendances 91811: not proven optimal; no bound above 0 is proven (92923 when its "
        "stage ended; later stages lowered it, holding it never higher)",
        "  cost 1000: not proven optimal; no plan goes below 800, so it is at most 20.00% "
        "above the best",
        "  avoid 7: not optimised: the solve ended before its stage",
    ]
    chinese = status_lines(plan, "zh")
    assert chinese[1] == "  未满足 425：已证明最优"
    assert chinese[5] == "  费用 1000：未证明最优；任何计划都不低于800，最多比最优高20.00%"
    assert "（该项阶段结束时为92923；" in chinese[4]


def test_a_term_proven_after_an_unproven_one_says_what_it_is_proven_against(branch):
    stages = [
        StageReport("unmet", Status.FEASIBLE, 10, 8, 30.0),
        StageReport("attendances", Status.OPTIMAL, 50, 50, 1.0),
    ]
    branch = branch.model_copy(update={"objective": ["unmet", "attendances"]})
    plan = Plan(branch, Status.FEASIBLE, [], {"unmet": 10, "attendances": 50}, 8, stages)
    assert status_lines(plan)[2] == (
        "  attendances 50: proven optimal with the terms before it held where they are"
    )


# -- unmet.csv and members.csv ----------------------------------------------------------------


def test_unmet_csv_names_member_unit_requirement_and_reason(branch, solve_checked, tmp_path):
    plan = solve_checked(branch)
    write_plan(plan, tmp_path / "en")
    write_plan(plan, tmp_path / "zh", "zh")
    english = pd.read_csv(tmp_path / "en" / "unmet.csv", dtype=str, keep_default_na=False)
    assert list(english.columns) == UNMET_COLUMNS
    assert len(english) == len(plan.unmet) == 2
    row = english[english["member_id"] == "E03"].iloc[0].to_dict()
    assert row | {"reason": ""} == {
        "member_id": "E03",
        "member_name": "李强",
        "unit": "OPS",
        "unit_name": "运维检修党支部",
        "team": "OPS-1",
        "requirement_id": "rotate",
        "requirement_label": "全员轮训",
        "window_start": "2026-09-01",
        "window_end": "2026-12-31",
        "shortfall": "1",
        "weight": "1",
        "cause": "no_session",
        "cause_text": "no session in the window",
        "reason": "",
    }
    assert row["reason"] == _reason(plan, "E03", "rotate")
    chinese = pd.read_csv(tmp_path / "zh" / "unmet.csv", dtype=str, keep_default_na=False)
    assert list(chinese.columns) == UNMET_COLUMNS
    row = chinese[chinese["member_id"] == "E03"].iloc[0]
    assert row["cause"] == "no_session" and row["cause_text"] == "窗口内没有班次"
    assert row["reason"].endswith("从2026-09-01开始，即李强（E03）入党、到岗之日")


def test_unmet_csv_has_its_header_when_all_is_met(scenario_dict, solve_checked, tmp_path):
    scenario = load_scenario(
        scenario_dict(
            members=["A"],
            courses=["c"],
            sessions=[{"id": "S1", "course": "c", "start": "2026-06-01"}],
            requirements=[{"id": "need_c", "courses": ["c"]}],
        )
    )
    plan = solve_checked(scenario)
    write_plan(plan, tmp_path / "plan")
    assert (tmp_path / "plan" / "unmet.csv").read_text().splitlines() == [",".join(UNMET_COLUMNS)]


def test_members_csv_columns_say_what_they_count(branch, solve_checked, tmp_path):
    plan = solve_checked(branch)
    write_plan(plan, tmp_path / "plan")
    members = pd.read_csv(tmp_path / "plan" / "members.csv")
    assert "completions_rotate" in members and "class_hours_study" in members
    assert not [c for c in members.columns if c.startswith("done_")]
    e01 = members[members["member_id"] == "E01"].iloc[0]
    # E01 rotates (16 h, which count toward study too): one completion, 16 class hours.
    assert (e01["completions_rotate"], e01["class_hours_study"]) == (1, 16)
    assert e01["hours"] == 16 and e01["sessions"] == 1


# -- timetable workbooks ----------------------------------------------------------------------


def test_workbook_in_chinese_with_unit_and_team_names(branch, solve_checked, tmp_path):
    from solver.output.timetable import write_timetables

    plan = solve_checked(branch)
    [path] = write_timetables(branch, plan.pairs, tmp_path, years=[2026], lang="zh")
    workbook = load_workbook(path)
    assert workbook.sheetnames[:4] == ["日历", "完成情况", "OFF 办公室党支部", "OPS 运维检修党支部"]
    header = [cell.value for cell in workbook["日历"][1]]
    assert header[:4] == ["月份", "班次编号", "课程", "课程名称"]
    assert "是否脱产" in header and "名单" in header
    unit = workbook["OPS 运维检修党支部"]
    assert unit["A1"].value.startswith("OPS 运维检修党支部：2026年共")
    unit_header = [cell.value for cell in unit[2]]
    assert unit_header[:4] == ["党员编号", "姓名", "班组", "班组名称"]
    assert unit["D3"].value == "检修一班"
    statuses = {row[11] for row in workbook["日历"].iter_rows(min_row=2, values_only=True)}
    assert statuses == {"开班", "取消"}  # ROT-06 runs, EL-05 is not needed


def test_timetable_command_takes_a_language(branch, solve_checked, branch_file, tmp_path):
    runner = CliRunner()
    out = tmp_path / "plan"
    result = runner.invoke(main, ["solve", str(branch_file), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["timetable", str(out), "--year", "2026", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(out / "timetables" / "timetable-2026.xlsx")
    assert workbook.sheetnames[0] == "日历"
    english = runner.invoke(main, ["timetable", str(out), "--year", "2026"])
    assert english.exit_code == 0, english.output
    workbook = load_workbook(out / "timetables" / "timetable-2026.xlsx")
    assert workbook.sheetnames[:3] == ["Calendar", "Coverage", "OFF 办公室党支部"]
    assert [c.value for c in workbook["Calendar"][1]][:4] == [
        "Month",
        "Session",
        "Course",
        "Course name",
    ]
    assert check_plan(
        branch,
        [
            tuple(p)
            for p in pd.read_csv(out / "assignments.csv")[["member_id", "session_id"]].values
        ],
    ).ok


# -- progress ------------------------------------------------------------------------------


def test_progress_lines_follow_the_language():
    import io

    from solver.output.progress import LogProgress

    report = StageReport("unmet", Status.OPTIMAL, 31, 31, 1.04)
    for lang, started, finished in [
        ("en", "stage 1/6: minimising unmet (up to 60s)", "  unmet: OPTIMAL 31 (bound 31) in 1.0s"),
        ("zh", "第1/6阶段：最小化未满足（最多60秒）", "  未满足：OPTIMAL 31（下界31），用时1.0秒"),
    ]:
        stream = io.StringIO()
        progress = LogProgress(stream, lang=lang)
        progress.stage_started("unmet", 0, 6, 60.0)
        progress.stage_finished(report)
        lines = [line.split("] ", 1)[1] for line in stream.getvalue().splitlines()]
        assert lines == [started, finished]
