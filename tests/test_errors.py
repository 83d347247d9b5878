"""rotaplan's errors: one base class, the exit code each kind means, mapped in one place."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from models import Problem, RotaplanError, ScenarioError
from models.errors import EXIT_BAD_INPUT, EXIT_NO_PLAN
from solver.batch import BatchInputError, ClusterError
from solver.output.folder import OutputFolderError


@pytest.mark.parametrize("kind", [ScenarioError, OutputFolderError, BatchInputError, ClusterError])
def test_every_error_of_bad_input_is_a_rotaplan_error_with_exit_code_2(kind: type) -> None:
    assert issubclass(kind, RotaplanError)
    assert kind.exit_code == EXIT_BAD_INPUT


def test_a_scenario_error_lists_each_problem_then_the_count() -> None:
    error = ScenarioError([Problem("members.csv row 3", "unknown tier"), Problem("x", "y")])
    assert error.lines() == [
        "members.csv row 3: unknown tier",
        "x: y",
        "2 problems found; nothing was written.",
    ]


def test_a_bad_option_of_batch_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    args = ["batch", str(tmp_path), "--out", str(tmp_path / "out"), "--workers", "0"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == EXIT_BAD_INPUT
    assert result.output == "--workers and --threads-per-unit must be at least 1\n"
    assert "Traceback" not in result.output


def test_a_plan_that_breaks_a_rule_is_exit_code_1_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A defect of the engine: the input is valid, but there is no valid plan to write.
    import solver.planning
    from solver import SolveError

    def broken(scenario, options):
        raise SolveError("the engine's plan breaks 1 rule(s): seats of S1")

    assert issubclass(SolveError, RotaplanError) and SolveError.exit_code == EXIT_NO_PLAN
    monkeypatch.setattr(solver.planning, "make_plan", broken)
    scenario = Path(__file__).parents[1] / "scenarios" / "tutorial" / "scenario.yaml"
    out = tmp_path / "plan"
    result = CliRunner().invoke(main, ["solve", str(scenario), "--out", str(out), "--quiet"])
    assert result.exit_code == EXIT_NO_PLAN
    assert "the engine's plan breaks 1 rule(s): seats of S1" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
