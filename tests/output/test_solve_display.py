"""A solve as the planner watches it (``solver.output.solve_display``)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from models import load_scenario
from solver import Plan, SolveOptions, Status
from solver.output import (
    LiveProgress,
    LogProgress,
    NoPlanError,
    showing_progress,
    write_and_tell,
    write_plan_timetables,
)

MINI = Path(__file__).parent.parent / "data" / "mini" / "scenario.yaml"


@pytest.fixture(scope="module")
def mini():
    return load_scenario(MINI)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_shown_as_the_stream_allows(monkeypatch):
    quiet = SolveOptions()
    with showing_progress(quiet, quiet=True):
        assert quiet.progress is None
    logged = SolveOptions()
    with showing_progress(logged, quiet=False, lang="zh"):
        assert isinstance(logged.progress, LogProgress)  # pytest's stderr is no terminal
        assert not isinstance(logged.progress, LiveProgress)
    monkeypatch.setattr(sys, "stderr", _Terminal())
    live = SolveOptions()
    with showing_progress(live, quiet=False):
        assert isinstance(live.progress, LiveProgress)


def test_no_plan_is_told_and_nothing_is_written(tmp_path, mini):
    plan = Plan(mini, Status.INFEASIBLE, [], {}, None, [], conflicts=["E02 cannot attend"])
    said: list[str] = []
    with pytest.raises(NoPlanError) as raised:
        write_and_tell(plan, str(tmp_path / "plan"), said.append)
    assert said == ["status INFEASIBLE", "conflict: E02 cannot attend"]
    assert raised.value.lines() == ["no plan: the rules conflict"]
    assert not (tmp_path / "plan").exists()


def test_the_plan_is_written_before_its_story_is_told(tmp_path, mini, solve_checked):
    plan = solve_checked(mini)
    out = tmp_path / "plan"
    said: list[str] = []

    def tell(line: str) -> None:
        assert (out / "assignments.csv").is_file()  # already there at the first word
        said.append(line)

    write_and_tell(plan, str(out), tell)
    assert said[0].startswith(f"status {plan.status.value}: unmet ")
    assert said[-1].startswith(f"plan written to {out} in ")


def test_a_given_writer_writes_the_plan(tmp_path, mini, solve_checked):
    plan = solve_checked(mini)
    wrote: list[str] = []

    def write(out: str) -> Path:
        wrote.append(out)
        return Path(out)

    write_and_tell(plan, str(tmp_path / "plan"), lambda line: None, write)
    assert wrote == [str(tmp_path / "plan")]
    assert not (tmp_path / "plan").exists()  # the default writer was not called


def test_the_timetables_follow_in_the_plan_folder(tmp_path, mini, solve_checked):
    plan = solve_checked(mini)
    line = write_plan_timetables(plan, str(tmp_path), ("csv", "ics"), "en")
    assert (tmp_path / "timetables" / "timetable-2026").is_dir()
    assert (tmp_path / "timetables" / "calendars-2026").is_dir()
    assert line == f"2 timetable file(s) and folder(s) written to {tmp_path / 'timetables'}"
