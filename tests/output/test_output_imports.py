"""The outputs load without CP-SAT: ``rotaplan timetable`` and ``rotaplan report`` need none."""

from __future__ import annotations

import subprocess
import sys

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
