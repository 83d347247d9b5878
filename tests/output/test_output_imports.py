"""The outputs load without CP-SAT: ``rotaplan timetable`` and ``rotaplan report`` need none."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from types import ModuleType

import pytest


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
    ],
)
def test_outputs_and_explanations_do_not_load_cp_sat(statement):
    assert not _loads_ortools(statement)


def test_the_engine_still_loads_cp_sat():
    # The check above would pass if nothing loaded ortools at all.
    assert _loads_ortools("from solver import solve")


@pytest.mark.parametrize("package", ["solver", "solver.explain", "solver.output"])
def test_every_name_a_package_exports_is_there(package):
    module = importlib.import_module(package)
    # Importing a submodule sets an attribute of its name on the package: a name the
    # package exports must not be a submodule's name, or the module would hide it.
    for found in pkgutil.iter_modules(module.__path__):
        importlib.import_module(f"{package}.{found.name}")
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    hidden = [name for name in module.__all__ if isinstance(getattr(module, name), ModuleType)]
    assert not missing and not hidden
