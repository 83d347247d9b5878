"""The outputs load without CP-SAT: ``rotaplan timetable`` and ``rotaplan report`` need none."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from models import load_scenario
from solver.output import write_plan


def _loads_ortools(statement: str) -> bool:
    """Whether running ``statement`` in a fresh interpreter loads ortools."""
    code = f"import sys\n{statement}\nprint('ortools' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip() == "True"


@pytest.mark.parametrize(
    "statement",
    [
        "import solver.output.timetable",
        "import solver.output.report",
        "from solver.output import write_timetables",
        "from solver.explain import Explainer, CATALOGUE",
        "from solver import Plan",
        "from solver.engine import PlanLoads, Plan",
    ],
)
def test_outputs_and_explanations_do_not_load_cp_sat(statement):
    assert not _loads_ortools(statement)


def test_the_engine_still_loads_cp_sat():
    # The check above would pass if nothing loaded ortools at all.
    assert _loads_ortools("from solver import solve")


@pytest.mark.parametrize("package", ["solver", "solver.engine", "solver.explain", "solver.output"])
def test_every_name_a_package_exports_is_there(package):
    module = importlib.import_module(package)
    # Importing a submodule sets an attribute of its name on the package: a name the
    # package exports must not be a submodule's name, or the module would hide it.
    for found in pkgutil.iter_modules(module.__path__):
        importlib.import_module(f"{package}.{found.name}")
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    hidden = [name for name in module.__all__ if isinstance(getattr(module, name), ModuleType)]
    assert not missing and not hidden


@pytest.fixture
def mini_plan(tmp_path, solve_checked):
    """The mini scenario solved and written, by this process (which may load CP-SAT)."""
    scenario_file = Path(__file__).parent.parent / "data" / "mini" / "scenario.yaml"
    plan = solve_checked(load_scenario(scenario_file))
    return scenario_file, write_plan(plan, tmp_path / "plan")


@pytest.mark.parametrize("command", ["timetable", "report"])
def test_the_timetable_and_report_commands_do_not_load_cp_sat(tmp_path, mini_plan, command):
    scenario_file, plan = mini_plan
    args = [command, str(plan), "--scenario", str(scenario_file)]
    if command == "timetable":
        args += ["--year", "2026", "--out", str(tmp_path / "timetables")]
    else:
        args += ["--out", str(tmp_path / "report.html")]
    statement = (
        "import cli\n"
        "try:\n"
        f"    cli.main({args!r})\n"
        "except SystemExit as stop:\n"
        "    assert stop.code == 0, stop.code"
    )
    assert not _loads_ortools(statement)
