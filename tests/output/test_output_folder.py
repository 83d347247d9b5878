"""An output folder is rotaplan's alone: no command deletes or overwrites a planner's files."""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from models import load_scenario
from solver import Plan
from solver.output import write_plan
from solver.output.folder import MANIFEST, OutputFolderError

MINI = Path(__file__).parent.parent / "data" / "mini"
SOLVE = ["--time-limit", "10", "--workers", "1", "--quiet"]


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes: what a planner would miss."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def scenario_folder(tmp_path: Path) -> Path:
    """A copy of the worked example with a planner's unrelated file beside it."""
    folder = tmp_path / "scenario"
    shutil.copytree(MINI, folder)
    (folder / "notes.docx").write_bytes(b"the planner's notes")
    return folder


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _solved_into(scenario_folder: Path, out: Path) -> CliRunner:
    """Solve the scenario into ``out`` on the command line; the runner for what follows."""
    runner = CliRunner()
    args = ["solve", str(scenario_folder / "scenario.yaml"), "--out", str(out), *SOLVE]
    assert runner.invoke(main, args).exit_code == 0
    return runner


@pytest.fixture(scope="module")
def mini_plan() -> Plan:
    from solver import SolveOptions, solve

    return solve(load_scenario(MINI / "scenario.yaml"), SolveOptions(time_limit=10, workers=1))


def test_solve_into_the_scenarios_own_folder_is_refused_and_touches_nothing(
    scenario_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(scenario_folder)
    monkeypatch.chdir(scenario_folder)
    result = CliRunner().invoke(main, ["solve", "scenario.yaml", "--out", ".", *SOLVE])
    assert result.exit_code == 2, result.output
    assert "rotaplan did not write" in result.output
    assert "Traceback" not in result.output
    assert _snapshot(scenario_folder) == before
    assert sorted(p.name for p in scenario_folder.iterdir()) == sorted(before)


def test_solve_into_a_folder_with_a_planners_file_writes_nothing(
    scenario_folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "budget.xlsx").write_bytes(b"numbers")
    result = CliRunner().invoke(
        main, ["solve", str(scenario_folder / "scenario.yaml"), "--out", str(out), *SOLVE]
    )
    assert result.exit_code == 2
    assert "budget.xlsx" in result.output
    assert _snapshot(out) == {"budget.xlsx": b"numbers"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_library_write_into_a_planners_folder_raises_and_keeps_it(
    mini_plan: Plan, scenario_folder: Path
) -> None:
    before = _snapshot(scenario_folder)
    with pytest.raises(OutputFolderError, match=r"notes\.docx"):
        write_plan(mini_plan, scenario_folder)
    assert _snapshot(scenario_folder) == before


def test_resolving_replaces_the_plan_with_its_timetables(
    scenario_folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plan"
    scenario = str(scenario_folder / "scenario.yaml")
    runner = _solved_into(scenario_folder, out)
    made = runner.invoke(main, ["timetable", str(out), "--year", "2026", "--format", "csv"])
    assert made.exit_code == 0, made.output
    assert (out / "timetables" / "timetable-2026" / "calendar.csv").exists()
    again = runner.invoke(main, ["solve", scenario, "--out", str(out), *SOLVE])
    assert again.exit_code == 0, again.output
    # The timetables belonged to the old plan: nothing stale is left beside the new one.
    assert not (out / "timetables").exists()
    assert (out / "assignments.csv").exists()


def test_a_planners_file_in_the_plan_folder_stops_the_resolve(
    scenario_folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plan"
    scenario = str(scenario_folder / "scenario.yaml")
    runner = _solved_into(scenario_folder, out)
    (out / "comments.txt").write_text("keep me", encoding="utf-8")
    before = _snapshot(out)
    result = runner.invoke(main, ["solve", scenario, "--out", str(out), *SOLVE])
    assert result.exit_code == 2
    assert "comments.txt" in result.output
    assert _snapshot(out) == before


def test_an_empty_folder_is_filled_in_place(mini_plan: Plan, tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    inode = out.stat().st_ino
    write_plan(mini_plan, out)
    assert out.stat().st_ino == inode  # a shell standing in it stays in the plan folder
    assert (out / "summary.json").exists()
    assert "assignments.csv" in json.loads((out / MANIFEST).read_text())["entries"]


def test_a_plan_folder_from_before_manifests_is_replaced(mini_plan: Plan, tmp_path: Path) -> None:
    out = write_plan(mini_plan, tmp_path / "plan")
    (out / MANIFEST).unlink()
    write_plan(mini_plan, out)
    assert (out / MANIFEST).exists()


def test_timetable_never_overwrites_a_planners_workbook(mini_plan: Plan, tmp_path: Path) -> None:
    out = write_plan(mini_plan, tmp_path / "plan")
    mine = tmp_path / "timetable.xlsx"
    mine.write_bytes(b"hand-made")
    result = CliRunner().invoke(
        main,
        [
            "timetable", str(out), "--year", "2026", "--out", str(mine),
            "--scenario", str(MINI / "scenario.yaml"),
        ],
    )  # fmt: skip
    assert result.exit_code == 2
    assert mine.read_bytes() == b"hand-made"


def test_batch_into_a_planners_folder_is_refused(scenario_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "batch"
    out.mkdir()
    (out / "units.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["batch", str(scenario_folder / "scenario.yaml"), "--out", str(out)]
    )
    assert result.exit_code == 2
    assert _snapshot(out) == {"units.txt": b"mine"}


@pytest.mark.usefixtures("umask_022")
def test_folders_and_files_get_the_umasks_permissions(mini_plan: Plan, tmp_path: Path) -> None:
    from solver.output.timetable import write_timetables

    out = write_plan(mini_plan, tmp_path / "plan")
    write_timetables(
        mini_plan.scenario, mini_plan.pairs, out / "timetables", formats=("xlsx", "csv")
    )
    for path in [out, *out.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o755 if path.is_dir() else 0o644), (path, oct(mode))


def test_generate_never_overwrites_a_hand_written_scenario(scenario_folder: Path) -> None:
    before = _snapshot(scenario_folder)
    result = CliRunner().invoke(
        main, ["generate", str(scenario_folder), "--family", "unit", "--seed", "1"]
    )
    assert result.exit_code == 2
    assert "rotaplan did not write" in result.output
    assert _snapshot(scenario_folder) == before


def test_a_reader_that_leaves_early_costs_no_plan(scenario_folder: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "plan"
    command = [sys.executable, "-c", "import cli; cli.main()", "solve"]
    command += [str(scenario_folder / "scenario.yaml"), "--out", str(out), *SOLVE]
    # The reader closes its end at once, as ``| head -c0`` would.
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as solving:
        assert solving.stdout is not None
        solving.stdout.close()
        _, errors = solving.communicate(timeout=120)
    assert solving.returncode == 0, errors.decode()
    assert b"Traceback" not in errors
    assert (out / "assignments.csv").exists()


def test_a_killed_writers_staging_is_cleared_and_a_planners_dotfile_kept(tmp_path: Path) -> None:
    from solver.output.folder import clear_leftovers

    (tmp_path / ".plan.k3x9_a2b").mkdir()  # what tempfile names a plan's staging folder
    (tmp_path / ".batch.json.q1w2e3r4").write_text("{", encoding="utf-8")
    (tmp_path / ".notes.txt").write_text("mine", encoding="utf-8")
    clear_leftovers(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.txt"]


class _Killed(BaseException):
    """A process killed at one instant: nothing after it runs, not even ``finally``'s work."""


@pytest.mark.parametrize("instant", ["_swap_in", "replace", "mkdir"])
def test_a_writer_killed_as_its_output_appears_leaves_a_folder_rotaplan_may_reuse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, instant: str
) -> None:
    # A batch unit's worker can die at any instant (another unit's crash takes the pool
    # down); its next run must find the unit's folder still rotaplan's.
    from solver.output import folder as writer

    outer = writer.prepare_folder(tmp_path / "unit", "batch-unit")

    def dies_after(original: Callable[..., object]) -> Callable[..., None]:
        def call(*args: object, **kwargs: object) -> None:
            original(*args, **kwargs)
            raise _Killed

        return call

    with pytest.raises(_Killed):
        if instant == "_swap_in":
            monkeypatch.setattr(writer, "_swap_in", dies_after(writer._swap_in))
            with writer.staged_folder(outer / "plan", "plan") as staging:
                (staging / "summary.json").write_text("{}", encoding="utf-8")
        elif instant == "replace":
            monkeypatch.setattr(writer.os, "replace", dies_after(os.replace))
            with writer.atomic_file(outer / "batch.json") as temporary:
                temporary.write_text("{}", encoding="utf-8")
        else:
            monkeypatch.setattr(Path, "mkdir", dies_after(Path.mkdir))
            writer.prepare_folder(outer / "timetables", "timetables")
    monkeypatch.undo()
    assert writer.foreign_entries(outer) == []
    writer.prepare_folder(outer, "batch-unit")  # the next run goes on
