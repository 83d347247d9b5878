"""The plan report's data: what it counts from a plan folder, checked against hand counts.

Each test writes a tiny plan folder by hand (``assignments.csv`` and ``summary.json``), so
the numbers the report must show are known without solving.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from checker import check_plan, read_assignments
from cli import main
from models import load_scenario
from solver.output.report import build_report, read_plan_folder, report_plan_folder
from solver.output.report.changes import compare

CATEGORIES = {"M1": "general", "M2": "general", "M3": "branch_secretary"}


def _scenario(scenario_dict: Callable[..., dict[str, Any]], **sections: Any) -> dict[str, Any]:
    """Three members of one team over 2026-2027: two general members and a secretary."""
    members = [
        {"id": m, "name": name, "category": CATEGORIES[m], "team": "T1"}
        for m, name in (("M1", "王建国"), ("M2", "李红梅"), ("M3", "张伟"))
    ]
    raw = scenario_dict(
        members,
        [{"id": "rot", "hours": 24}, {"id": "el", "hours": 8, "away": False, "repeatable": True}],
        [
            {"id": "ROT-1", "course": "rot", "start": "2026-03-02", "end": "2026-03-04"},
            {"id": "ROT-2", "course": "rot", "start": "2027-12-31", "end": "2028-01-01"},
            {"id": "ROT-3", "course": "rot", "start": "2027-06-01"},
            {"id": "EL-1", "course": "el", "start": "2026-05-05"},
            {"id": "EL-2", "course": "el", "start": "2027-05-05"},
        ],
        horizon={"start": "2026-01-01", "end": "2028-01-01"},
        requirements=[
            {"id": "rotate", "courses": ["rot"]},
            {"id": "yearly", "courses": ["el"], "window": "year"},
        ],
        limits=[{"who": {}, "max_days_per_year": 3}],
        team_limits=[{"max_away": 2, "blackout": ["2026-07-06/2026-07-12"]}],
    )
    raw.update(sections)
    return raw


def _plan_folder(
    path: Path, pairs: list[tuple[str, str]], unmet: list[dict[str, Any]], **summary: Any
) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    rows = ["member_id,session_id", *(f"{m},{s}" for m, s in pairs)]
    (path / "assignments.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    document = {"status": "OPTIMAL", "objective": {}, "bound": None, "unmet": unmet, **summary}
    (path / "summary.json").write_text(json.dumps(document), encoding="utf-8")
    return path


def _short(member: str, requirement: str, start: str, end: str, cause: str) -> dict[str, Any]:
    return {
        "member_id": member,
        "requirement_id": requirement,
        "window_start": start,
        "window_end": end,
        "shortfall": 1,
        "weight": 1,
        "cause": cause,
        "reason": f"{member} has no seat",
    }


PAIRS = [
    ("M1", "ROT-1"),
    ("M2", "ROT-1"),
    ("M3", "ROT-2"),
    ("M1", "EL-1"),
    ("M2", "EL-1"),
    ("M1", "EL-2"),
]
# Windows: rotate (horizon) for M1-M3, all met; yearly per member in 2026 and 2027 (2028
# has one day in the horizon, a whole year of its own: every member is present on it).
UNMET = [
    _short("M3", "yearly", "2026-01-01", "2026-12-31", "full"),
    _short("M2", "yearly", "2027-01-01", "2027-12-31", "team_cap"),
    _short("M3", "yearly", "2027-01-01", "2027-12-31", "team_cap"),
    _short("M1", "yearly", "2028-01-01", "2028-01-01", "no_session"),
    _short("M2", "yearly", "2028-01-01", "2028-01-01", "no_session"),
    _short("M3", "yearly", "2028-01-01", "2028-01-01", "no_session"),
]


@pytest.fixture
def report_data(scenario_dict: Callable[..., dict[str, Any]], tmp_path: Path) -> Any:
    scenario = load_scenario(_scenario(scenario_dict))
    folder = read_plan_folder(_plan_folder(tmp_path / "plan", PAIRS, UNMET))
    return build_report(folder, scenario)


def test_coverage_counts_windows_met_per_requirement_category_and_year(report_data: Any) -> None:
    coverage = report_data.coverage("category", "period")
    assert coverage[("rotate", "general", "all")] == (2, 2)
    assert coverage[("rotate", "branch_secretary", "all")] == (1, 1)
    assert coverage[("yearly", "general", "2026")] == (2, 2)
    assert coverage[("yearly", "general", "2027")] == (2, 1)  # M2 short
    assert coverage[("yearly", "branch_secretary", "2026")] == (1, 0)
    assert coverage[("yearly", "general", "2028")] == (2, 0)
    # Per unit over every period: 3 rotate windows met, 9 yearly windows of which 3 met.
    assert report_data.coverage("unit") == {("rotate", "U1"): (3, 3), ("yearly", "U1"): (9, 3)}


def test_each_unmet_window_is_tied_to_its_window_and_member_groups(report_data: Any) -> None:
    short = [w for w in report_data.windows if w.unmet >= 0]
    assert len(short) == len(UNMET)
    for window in short:
        row = report_data.unmet[window.unmet]
        assert (row.member, row.requirement, row.start) == (
            window.member,
            window.requirement,
            window.start.isoformat(),
        )
        assert row.category == CATEGORIES[row.member] and row.unit == "U1"
    assert {row.period for row in report_data.unmet} == {"2026", "2027", "2028"}


def test_headline_counts_sessions_per_year_and_takes_bounds_from_stages(
    scenario_dict: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    scenario = load_scenario(_scenario(scenario_dict))
    stages = [{"term": "unmet", "value": 6, "bound": 4, "gap": 1 / 3}]
    objective = {"unmet": 6, "changes": 0, "attendances": 6}
    folder = _plan_folder(tmp_path / "p", PAIRS, UNMET, objective=objective, stages=stages)
    headline = build_report(read_plan_folder(folder), scenario).headline
    # ROT-1 and EL-1 run in 2026; ROT-2 and EL-2 in 2027, ROT-3 there is empty.
    assert [(y.year, y.runs, y.cancelled) for y in headline.years] == [
        (2026, 2, 0),
        (2027, 2, 1),
        (2028, 0, 0),
    ]
    terms = {term.name: term for term in headline.terms}
    assert (terms["unmet"].value, terms["unmet"].bound, terms["unmet"].gap) == (6, 4, 1 / 3)
    assert terms["changes"].bound is None and terms["avoid"].value is None
    assert (headline.windows_short, headline.members, headline.attendances) == (6, 3, 6)
    assert headline.surplus is None  # the summary has no surplus audit


@pytest.mark.parametrize(
    "surplus", [2, {"count": 2, "assignments": []}, [["M1", "EL-1"], ["M2", "EL-1"]]]
)
def test_headline_shows_the_surplus_audit_when_the_summary_has_one(
    scenario_dict: Callable[..., dict[str, Any]], tmp_path: Path, surplus: Any
) -> None:
    scenario = load_scenario(_scenario(scenario_dict))
    folder = _plan_folder(tmp_path / "p", PAIRS, UNMET, surplus=surplus)
    assert build_report(read_plan_folder(folder), scenario).headline.surplus == 2


def test_team_load_marks_the_weeks_the_cap_binds_and_the_blackout(report_data: Any) -> None:
    grid = report_data.load
    assert grid.level == "team" and grid.groups == ["T1"]
    assert grid.weeks[0] == dt.date(2025, 12, 29)  # the Monday of the horizon's first week
    week = grid.weeks.index(dt.date(2026, 3, 2))
    # M1 and M2 away 2026-03-02..04 against max_away 2: the cap binds, at 100 %.
    assert (grid.at_cap[0][week], grid.share[0][week], grid.binds[0][week]) == (1, 1.0, True)
    late = grid.weeks.index(dt.date(2027, 12, 27))
    assert (grid.at_cap[0][late], grid.share[0][late], grid.binds[0][late]) == (0, 0.5, False)
    dark = grid.weeks.index(dt.date(2026, 7, 6))
    assert grid.blackout[0][dark] == 1.0 and grid.share[0][dark] is None
    assert sum(1 for b in grid.blackout[0] if b) == 1


def test_a_row_of_many_teams_shows_their_mean_load(
    scenario_dict: Callable[..., dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = _scenario(scenario_dict)
    raw["members"][2]["team"] = "T2"  # M3 alone in T2; both teams have max_away 2
    monkeypatch.setattr("solver.output.report.load.MOST_ROWS", 1)  # two teams are too many rows
    scenario = load_scenario(raw)
    grid = build_report(read_plan_folder(_plan_folder(tmp_path / "p", PAIRS, UNMET)), scenario).load
    assert grid.level == "unit" and grid.groups == ["U1"] and grid.teams == [2]
    week = grid.weeks.index(dt.date(2026, 3, 2))
    # T1 at its cap (2 of 2), T2 nobody away: the mean is 50 %, one team of two binds.
    assert (grid.share[0][week], grid.at_cap[0][week], grid.binds[0][week]) == (0.5, 1, True)
    late = grid.weeks.index(dt.date(2027, 12, 27))
    # M3 away from T2: 1 of its cap 2, T1 nobody: a mean of 25 %, no team at its cap.
    assert (grid.share[0][late], grid.binds[0][late]) == (0.25, False)


def test_days_away_count_in_the_year_each_day_falls_in(report_data: Any) -> None:
    away = report_data.days_away
    # 2026: M1, M2 3 days (ROT-1), M3 none. 2027: M3 1 day of ROT-2 (2027-12-31), the
    # others none; 2028: M3 its 2028-01-01. Remote EL sessions count no day.
    assert dict(away.counts[2026]) == {3: 2, 0: 1}
    assert dict(away.counts[2027]) == {1: 1, 0: 2}
    assert dict(away.counts[2028]) == {1: 1, 0: 2}
    assert away.limits == [3] and away.at_limit == 2


def test_changes_against_previous_are_moves_within_a_course(
    scenario_dict: Callable[..., dict[str, Any]],
) -> None:
    scenario = load_scenario(_scenario(scenario_dict))
    previous = [("M1", "ROT-3"), ("M2", "ROT-1"), ("M3", "EL-1")]
    plan = [("M1", "ROT-1"), ("M2", "ROT-1"), ("M2", "EL-2")]
    changes = [
        (c.member, c.change, c.from_session, c.to_session)
        for c in compare(scenario, previous, plan)
    ]
    assert changes == [
        ("M1", "moved", "ROT-3", "ROT-1"),
        ("M3", "removed", "EL-1", ""),
        ("M2", "added", "", "EL-2"),
    ]


def test_a_replanned_folders_changes_come_from_its_changes_csv(
    scenario_dict: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    scenario = load_scenario(_scenario(scenario_dict))
    folder = _plan_folder(tmp_path / "p", PAIRS, UNMET)
    (folder / "changes.csv").write_text(
        "member_id,session_id,change,from_session,to_session,start\n"
        "M1,ROT-1,moved,ROT-3,ROT-1,2026-03-02\n",
        encoding="utf-8",
    )
    data = build_report(read_plan_folder(folder), scenario)
    assert [(c.member, c.change) for c in data.changes or []] == [("M1", "moved")]
    plain = build_report(read_plan_folder(_plan_folder(tmp_path / "q", PAIRS, UNMET)), scenario)
    assert plain.changes is None  # no previous plan: the report has no changes section


def test_units_group_into_regions_by_the_sessions_open_to_them(
    scenario_dict: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    members = [{"id": f"M{i}", "unit": unit} for i, unit in enumerate(["A", "B", "C"])]
    sessions = [
        {
            "id": "R01-ROT-1",
            "course": "rot",
            "start": "2026-03-02",
            "audience": {"units": ["A", "B"]},
        },
        {"id": "R02-ROT-1", "course": "rot", "start": "2026-03-02", "audience": {"units": ["C"]}},
    ]
    scenario = load_scenario(scenario_dict(members, ["rot"], sessions))
    data = build_report(read_plan_folder(_plan_folder(tmp_path / "p", [], [])), scenario)
    assert data.regions == {"A": "R01", "B": "R01", "C": "R02"}
    assert data.coverage("region") == {}  # no requirements, no windows


def test_report_command_writes_one_offline_file_in_either_language(
    scenario_dict: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    scenario_file = tmp_path / "scenario.yaml"
    scenario_file.write_text(yaml.safe_dump(_scenario(scenario_dict), allow_unicode=True))
    folder = _plan_folder(tmp_path / "plan", PAIRS, UNMET, scenario_path=str(scenario_file))
    runner = CliRunner()
    result = runner.invoke(main, ["report", str(folder)])
    assert result.exit_code == 0, result.output
    html = (folder / "report.html").read_text(encoding="utf-8")
    # Nothing is fetched: no element loads a file, every script and style is inline.
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=", html)
    assert html.count('class="chart"') == 5 and "Plotly" in html and "Coverage" in html
    out = tmp_path / "zh.html"
    result = runner.invoke(main, ["report", str(folder), "--lang", "zh", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "完成情况" in out.read_text(encoding="utf-8")


def test_report_of_a_folder_that_is_no_plan_is_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert "summary.json: no such file" in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_solve_with_report_writes_it_beside_the_plan(
    scenario_dict: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    scenario_file = tmp_path / "scenario.yaml"
    scenario_file.write_text(yaml.safe_dump(_scenario(scenario_dict), allow_unicode=True))
    out = tmp_path / "plan"
    args = ["solve", str(scenario_file), "--out", str(out), "--time-limit", "10", "--workers", "1"]
    result = CliRunner().invoke(main, [*args, "--quiet", "--report", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert check_plan(load_scenario(scenario_file), read_assignments(out)).violations == []
    assert "培训计划" in (out / "report.html").read_text(encoding="utf-8")
    assert report_plan_folder(out, out=tmp_path / "again.html").is_file()


def test_batch_with_report_writes_one_beside_each_units_plan(
    scenario_dict: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    scenario_file = tmp_path / "units" / "north.yaml"
    scenario_file.parent.mkdir()
    scenario_file.write_text(yaml.safe_dump(_scenario(scenario_dict), allow_unicode=True))
    out = tmp_path / "batch"
    args = [str(scenario_file.parent), "--out", str(out), "--time-limit", "10", "--workers", "1"]
    result = CliRunner().invoke(main, ["batch", *args, "--timetables", "none", "--report"])
    assert result.exit_code == 0, result.output
    plan = out / "north" / "plan"
    assert check_plan(load_scenario(scenario_file), read_assignments(plan)).violations == []
    assert "Coverage per unit" in (plan / "report.html").read_text(encoding="utf-8")


def test_a_plan_row_with_an_empty_id_is_bad_input_naming_the_row(
    scenario_dict: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    folder = _plan_folder(tmp_path / "plan", [("M1", "ROT-1")], [])
    with open(folder / "assignments.csv", "a", encoding="utf-8") as handle:
        handle.write("M2,\n")
    result = CliRunner().invoke(main, ["report", str(folder)])
    assert result.exit_code == 2
    assert "assignments.csv row 3: empty member_id or session_id" in result.output
    assert not (folder / "report.html").exists()


def test_report_replaces_its_own_file_but_never_a_planners(
    scenario_dict: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    scenario_file = tmp_path / "scenario.yaml"
    scenario_file.write_text(yaml.safe_dump(_scenario(scenario_dict), allow_unicode=True))
    folder = _plan_folder(tmp_path / "plan", PAIRS, UNMET, scenario_path=str(scenario_file))
    runner = CliRunner()
    mine = tmp_path / "notes.html"
    mine.write_text("<p>the planner's own notes</p>", encoding="utf-8")
    refused = runner.invoke(main, ["report", str(folder), "--out", str(mine)])
    assert refused.exit_code == 2 and "rotaplan did not write it" in refused.output
    assert mine.read_text(encoding="utf-8") == "<p>the planner's own notes</p>"
    out = tmp_path / "report.html"
    for _ in range(2):  # the second run replaces the report the first one wrote
        result = runner.invoke(main, ["report", str(folder), "--out", str(out)])
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "notes.html",
        "plan",
        "report.html",
        "scenario.yaml",
    ]
