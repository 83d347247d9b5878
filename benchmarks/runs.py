"""What the benchmarks share: one solve per process, by rotaplan or by the textbook model.

``measure(target, path, time_limit, workers, seed)`` runs ``run_rotaplan`` or
``run_textbook`` in a fresh process (so its peak memory is its own and no solve warms the
next one) and returns what the solve reported:

- ``pairs``: the engine's eligible member-session pairs (its model's size);
- ``first_plan``: seconds from the start (loading included) to the first complete plan;
- ``trace``: (seconds, value) of every improvement of the first term;
- ``end``, ``bound``: the first term's final value and proven bound;
- ``stages``: per term ``{term, status, value, bound, end}`` (``end``: seconds from the start);
- ``status``, ``seconds``, ``peak_mb``, ``cpu_seconds`` (user and system time of the process:
  on a shared machine, ``cpu_seconds / seconds`` says how much of its workers it got);
- ``violations``, ``surplus``, ``objective``: the checker's findings on the final plan, or
  None when there is no plan.
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

if TYPE_CHECKING:
    from models import Scenario

Target = Callable[..., None]


def measure(target: Target, path: Path | str, time_limit: float, workers: int, seed: int) -> dict:
    """Run one solve in its own process and return its report (``error`` if it died)."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(str(path), time_limit, workers, seed, queue))
    process.start()
    result = None
    while result is None:
        try:
            result = queue.get(timeout=5)
        except Exception:
            if not process.is_alive():
                result = {"error": f"the solve process ended with code {process.exitcode}"}
    process.join()
    return result


def peak_mb() -> float:
    """This process's peak resident memory in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User and system seconds this process has used, every thread included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def audit(scenario: Scenario, pairs: list[tuple[str, str]] | None) -> dict[str, Any]:
    """The checker's verdict on a plan: broken rules, surplus attendances, its terms."""
    from checker import check_plan

    if pairs is None:
        return {"violations": None, "surplus": None, "objective": None}
    report = check_plan(scenario, pairs)
    return {
        "violations": len(report.violations),
        "surplus": report.surplus,
        "objective": report.objective,
    }


def run_rotaplan(path: str, time_limit: float, workers: int, seed: int, queue: Any) -> None:
    """One ``rotaplan solve --time-limit T``: the plan a planner gets, checked."""
    from models import load_scenario
    from solver import SolveOptions, solve
    from solver.engine import build_instance

    started = time.monotonic()
    scenario = load_scenario(path)
    trace: list[tuple[float, float]] = []
    first_term = scenario.objective[0]
    ends: dict[str, float] = {}

    class Recorder:
        def stage_started(self, term, index, count, budget):
            pass

        def improved(self, term, value, bound, elapsed):
            if term == first_term:
                trace.append((time.monotonic() - started, value))

        def stage_finished(self, report):
            ends[report.term] = time.monotonic() - started

    plan = solve(
        scenario,
        SolveOptions(time_limit=time_limit, workers=workers, seed=seed, progress=Recorder()),
    )
    total = time.monotonic() - started
    first = plan.stages[0] if plan.stages else None
    queue.put(
        {
            "pairs": build_instance(scenario).num_pairs,
            "build": plan.build_seconds,
            "first_plan": trace[0][0] if trace else None,
            "trace": trace,
            "end": plan.objective.get(first_term) if plan.has_plan else None,
            "bound": first.bound if first else None,
            "stages": [
                {
                    "term": s.term,
                    "status": s.status.value,
                    "value": s.value,
                    "bound": s.bound,
                    "end": ends.get(s.term),
                }
                for s in plan.stages
            ],
            "status": plan.status.value,
            "seconds": total,
            "peak_mb": peak_mb(),
            "cpu_seconds": cpu_seconds(),
            **audit(scenario, plan.pairs if plan.has_plan else None),
        }
    )


def run_textbook(path: str, time_limit: float, workers: int, seed: int, queue: Any) -> None:
    """The textbook model with its best parameters, under the same budget, checked."""
    from benchmarks.textbook import best_parameters, solve_textbook
    from models import load_scenario

    started = time.monotonic()
    scenario = load_scenario(path)
    trace: list[tuple[float, float]] = []
    first_term = scenario.objective[0]

    def seen(term, value, bound):
        if term == first_term:
            trace.append((time.monotonic() - started, value))

    # Like rotaplan's time limit, the budget counts from the loaded scenario.
    loaded = time.monotonic() - started
    result = solve_textbook(
        scenario, time_limit, workers, seed, seen, parameters=best_parameters(workers)
    )
    stages = result["stages"]
    first = stages[0] if stages else {}
    for stage in stages:
        stage["end"] += loaded
    optimal = bool(stages) and all(s["status"] == "OPTIMAL" for s in stages)
    queue.put(
        {
            "pairs": result["num_pairs"],
            "build": result["build_seconds"],
            "first_plan": trace[0][0] if trace else None,
            "trace": trace,
            "end": first.get("value"),
            "bound": first.get("bound"),
            "stages": stages,
            "status": "OPTIMAL" if optimal else ("FEASIBLE" if result["pairs"] else "UNKNOWN"),
            "seconds": time.monotonic() - started,
            "peak_mb": peak_mb(),
            "cpu_seconds": cpu_seconds(),
            **audit(scenario, result["pairs"]),
        }
    )


def fmt(value: Any, digits: int = 0) -> str:
    """A table cell: ``-`` for nothing, thousands separated."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
