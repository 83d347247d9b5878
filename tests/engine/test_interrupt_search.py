"""Ctrl-C during the neighbourhood search keeps the best plan, like on the whole model."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checker import check_plan, read_assignments
from models import load_scenario
from models.generate import generate_scenario

SOLVE = """
import sys
from models import load_scenario
from pathlib import Path
from solver import EngineSettings, SolveOptions, solve
from solver.output import write_plan
scenario = load_scenario(sys.argv[1])
# search_above_pairs=0 sends even this scenario down the neighbourhood-search path.
settings = EngineSettings(search_above_pairs=0)
plan = solve(scenario, SolveOptions(time_limit=60, workers=2, settings=settings))
write_plan(plan, Path(sys.argv[2]))
print("interrupted" if plan.interrupted else "finished", flush=True)
"""


@pytest.mark.slow
def test_ctrl_c_during_the_search_writes_the_best_plan(tmp_path: Path) -> None:
    scenario_path = generate_scenario(tmp_path / "scenario", members=200, years=2, seed=3)
    out = tmp_path / "plan"
    solving = subprocess.Popen(
        [sys.executable, "-c", SOLVE, str(scenario_path), str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    started = time.monotonic()
    time.sleep(6)  # the first plan is built and the search is under way
    solving.send_signal(signal.SIGINT)
    stdout, stderr = solving.communicate(timeout=60)
    assert solving.returncode == 0, stderr[-2000:]
    assert stdout.strip() == "interrupted"
    assert time.monotonic() - started < 30  # it stopped instead of using its 60 s
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True
    report = check_plan(load_scenario(scenario_path), read_assignments(out))
    assert report.ok, report.violations[:3]
    # The plan of a stopped search is lean too.
    assert (report.surplus, summary["surplus"]) == (0, 0), report.audit.by_course
