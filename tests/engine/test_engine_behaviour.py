"""The engine as planners and library callers meet it: examples, time, Ctrl-C, files, seeds."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from checker import read_assignments
from cli import main
from models import load_scenario
from models.scenario import TERMS
from solver import SolveOptions, Status, solve
from solver.output import assignments_table, members_table, plan_summary, sessions_table, write_plan

TESTS = Path(__file__).parent.parent
MINI = TESTS / "data" / "mini" / "scenario.yaml"
TUTORIAL = TESTS.parent / "scenarios" / "tutorial" / "scenario.yaml"
PLAN_FILES = ["assignments.csv", "members.csv", "sessions.csv", "summary.json", "unmet.csv"]


def test_mini_example_solves_to_its_known_optimum(solve_checked):
    # EXPECTED.md of the mini example works the optimum out by hand: the team caps let
    # 3 of 8 into each rotation session (2 unrotated x weight 10), and E07 and E08 miss
    # 4 class hours each. unmet 28, changes 0, imbalance 0, attendances 20, cost 6000.
    scenario = load_scenario(MINI)
    plan = solve_checked(scenario, workers=2)
    assert plan.status == Status.OPTIMAL
    assert plan.objective == {
        "unmet": 28,
        "changes": 0,
        "imbalance": 0,
        "attendances": 20,
        "cost": 6000,
        "avoid": 0,
    }
    assert plan.bound is None
    # No `previous` in the mini example, so changes has nothing to optimise: no stage.
    assert [s.term for s in plan.stages] == [t for t in scenario.objective if t != "changes"]


@pytest.mark.slow
def test_tutorial_scenario_solves_to_optimal(solve_checked):
    if not TUTORIAL.is_file():
        pytest.skip(f"the tutorial scenario {TUTORIAL} is not written yet")
    plan = solve_checked(load_scenario(TUTORIAL), time_limit=20, workers=2)
    assert plan.status == Status.OPTIMAL


# -- larger scenarios: the time limit and Ctrl-C -----------------------------------------


def built_scenario(members: int, years: int) -> dict[str, Any]:
    """A plain company of ``members`` in teams of 10, when the generator is not there.

    Rotation once in the horizon (3-day sessions, 30 seats, twice a month), 16 remote hours
    a year, team caps of a fifth away, a gap of 14 days between away sessions.
    """
    first = 2026
    rows = [
        {
            "id": f"M{i:04d}",
            "tier": "grassroots",
            "unit": f"U{i // 50:02d}",
            "team": f"T{i // 10:03d}",
        }
        for i in range(members)
    ]
    sessions = []
    for year in range(first, first + years):
        for month in range(1, 13):
            for day in (5, 19):
                sessions.append(
                    {
                        "id": f"ROT-{year}-{month:02d}-{day}",
                        "course": "rotation",
                        "start": f"{year}-{month:02d}-{day:02d}",
                        "end": f"{year}-{month:02d}-{day + 2:02d}",
                        "capacity": 30,
                        "min_size": 10,
                        "fixed_cost": 2000,
                    }
                )
            sessions.append(
                {
                    "id": f"EL-{year}-{month:02d}",
                    "course": "elearn",
                    "start": f"{year}-{month:02d}-25",
                    "capacity": members,
                }
            )
    return {
        "version": 1,
        "horizon": {"start": f"{first}-01-01", "end": f"{first + years - 1}-12-31"},
        "members": rows,
        "courses": [
            {"id": "rotation", "hours": 24},
            {"id": "elearn", "hours": 4, "away": False, "repeatable": True},
        ],
        "sessions": sessions,
        "requirements": [
            {"id": "rotate", "courses": ["rotation"], "weight": 10, "balance": True},
            {"id": "hours", "min_hours": 16, "courses": ["elearn"], "window": "year"},
        ],
        "limits": [{"who": {}, "min_gap_days": 14, "max_days_per_month": 3}],
        "team_limits": [{"max_away_share": 0.2}],
    }


def large_scenario(folder: Path, members: int, years: int) -> Path:
    """A generated company scenario in ``folder``, or a built one if there is no generator."""
    try:
        from models.generate import generate_scenario
    except ImportError:
        path = folder / "scenario.yaml"
        path.write_text(yaml.safe_dump(built_scenario(members, years)), encoding="utf-8")
        return path
    return generate_scenario(folder, members=members, years=years, seed=1)


def test_time_limit_is_kept(tmp_path, plan_checks):
    scenario = load_scenario(large_scenario(tmp_path, members=300, years=2))
    started = time.monotonic()
    plan = solve(scenario, SolveOptions(time_limit=2, workers=2, seed=0))
    elapsed = time.monotonic() - started
    # The limit covers the search; building the model comes on top, and a stage that is
    # stopped takes a moment to hand back its solution.
    assert elapsed <= 2 + plan.build_seconds + 10
    assert plan.status in (Status.FEASIBLE, Status.OPTIMAL)
    plan_checks(scenario, plan)


def rotaplan_command() -> list[str]:
    script = Path(sys.executable).parent / "rotaplan"
    if script.is_file():
        return [str(script)]
    found = shutil.which("rotaplan")
    assert found, "the rotaplan console script is not installed"
    return [found]


@pytest.mark.slow
def test_ctrl_c_writes_the_best_plan_so_far(tmp_path):
    scenario_path = large_scenario(tmp_path / "scenario", members=300, years=3)
    out = tmp_path / "plan"
    command = rotaplan_command()
    solving = subprocess.Popen(
        [
            *command,
            *("solve", str(scenario_path), "--out", str(out)),
            *("--time-limit", "60", "--workers", "2", "--seed", "0"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    started = time.monotonic()
    try:
        time.sleep(4)
        solving.send_signal(signal.SIGINT)
        _, stderr = solving.communicate(timeout=60)
    finally:
        if solving.poll() is None:
            solving.kill()
            solving.wait()
    assert solving.returncode == 0, stderr[-2000:]
    assert time.monotonic() - started < 30  # it stopped, instead of using its 60 s
    assert sorted(p.name for p in out.iterdir() if p.name != ".rotaplan.json") == PLAN_FILES
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True
    assert summary["status"] in ("FEASIBLE", "OPTIMAL")
    checked = subprocess.run(
        [*command, "check", str(scenario_path), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout[-2000:]
    assert "every hard rule holds" in checked.stdout


# -- results a caller can rely on ------------------------------------------------------


@pytest.mark.slow
def test_same_seed_and_workers_give_the_same_plan_when_proven(solve_checked):
    # Twelve runs rather than two: among tied optima, two runs agree by chance often
    # enough to hide the difference, twelve hardly ever.
    plans = [solve_checked(load_scenario(MINI), workers=2, seed=3) for _ in range(12)]
    assert {plan.status for plan in plans} == {Status.OPTIMAL}
    assert {tuple(plan.pairs) for plan in plans} == {tuple(plans[0].pairs)}
    assert all(plan.objective == plans[0].objective for plan in plans)


def test_one_worker_with_a_seed_gives_the_same_plan(solve_checked):
    # CP-SAT's single-worker search is deterministic for a fixed seed.
    plans = [solve_checked(load_scenario(MINI), workers=1, seed=3) for _ in range(3)]
    assert {tuple(plan.pairs) for plan in plans} == {tuple(plans[0].pairs)}


def test_plan_write_replaces_the_folder_whole(tmp_path, solve_checked):
    scenario = load_scenario(MINI)
    plan = solve_checked(scenario, workers=2)
    out = tmp_path / "plan"
    out.mkdir()
    assert write_plan(plan, out) == out.resolve()
    first = (out / "assignments.csv").stat().st_ino
    assert write_plan(plan, out) == out.resolve()  # twice: the second replaces the first
    assert (out / "assignments.csv").stat().st_ino != first
    assert sorted(p.name for p in out.iterdir() if p.name != ".rotaplan.json") == PLAN_FILES
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".rotaplan.json") == [
        "plan"
    ]  # no staging left over
    header = (out / "assignments.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("member_id,session_id")
    assert sorted(read_assignments(out)) == sorted(plan.pairs)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "OPTIMAL"
    assert summary["objective"] == plan.objective
    assert summary["interrupted"] is False
    result = CliRunner().invoke(main, ["check", str(MINI), str(out)])
    assert result.exit_code == 0, result.output
    assert "unmet 28" in result.output


def test_library_use_from_a_dict(solve_checked):
    scenario = load_scenario(
        {
            "version": 1,
            "name": "两人小组 / a pair",
            "horizon": {"start": "2026-01-01", "end": "2026-12-31"},
            "members": [
                {"id": "E1", "name": "张伟", "tier": "middle", "unit": "B1"},
                {"id": "E2", "name": "王芳", "tier": "grassroots", "unit": "B1"},
            ],
            "courses": [{"id": "rotation", "label": "党员集中轮训班", "hours": 24}],
            "sessions": [
                {
                    "id": "ROT-1",
                    "course": "rotation",
                    "start": "2026-04-13",
                    "end": "2026-04-15",
                    "capacity": 1,
                    "seat_cost": 300,
                }
            ],
            "requirements": [{"id": "rotate", "courses": ["rotation"], "weight": 10}],
        }
    )
    # One seat for two: unmet 10 (weight 10), attendances 1, cost 300.
    plan = solve_checked(scenario)
    assert plan.has_plan and plan.status == Status.OPTIMAL
    assert plan.objective == {**dict.fromkeys(TERMS, 0), "unmet": 10, "attendances": 1, "cost": 300}
    assert plan.bound is None and plan.gap is None
    assert [(u.requirement_id, u.shortfall, u.weight) for u in plan.unmet] == [("rotate", 1, 10)]
    ((attendee, _),) = plan.pairs
    assert plan.unmet[0].member_id == ({"E1", "E2"} - {attendee}).pop()
    assignments = assignments_table(plan.scenario, plan.pairs)
    assert list(assignments.columns[:2]) == ["member_id", "session_id"]
    assert assignments.loc[0, "course_label"] == "党员集中轮训班"
    sessions = sessions_table(plan.scenario, plan.pairs)
    assert sessions.loc[0, "status"] == "runs" and sessions.loc[0, "cost"] == 300
    members = members_table(plan.scenario, plan.pairs)
    assert sorted(members["completions_rotate"]) == [0, 1]
    summary = json.loads(json.dumps(plan_summary(plan), ensure_ascii=False))
    assert summary["scenario"] == "两人小组 / a pair"
    assert summary["unmet"][0]["window_start"] == "2026-01-01"
