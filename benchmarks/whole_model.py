"""The whole-model path against the textbook formulation, term by term.

Generates small and medium scenarios with ``rotaplan generate``, turns each into variants
that change its structure (tighter team caps, classes with a minimum size, fewer seats),
and solves every one with rotaplan and with the textbook formulation
(``benchmarks/textbook.py``) under the same time limit and workers, each in its own
process. The textbook runs with its best simple parameters: the full linear relaxation
(``linearization_level = 2``) and, at one or two workers, subsolvers chosen so that one of
them proves bounds from the LP. Every rotaplan plan is run through ``rotaplan check``'s
checker (``check``: ok; empty for the textbook, or when rotaplan wrote no plan). One row
per scenario and engine: each term's value in the final plan, the bound its stage proved,
and the seconds the stage took (``*`` marks a term proven optimal; ``-`` a stage that did
not run or found no plan).

    .venv/bin/python benchmarks/whole_model.py                       # units of 80 and 150
    .venv/bin/python benchmarks/whole_model.py --members 300 --years 3 --time-limit 60
    .venv/bin/python benchmarks/whole_model.py --seeds 11 12 --families base small-classes

These machines are shared and noisy: compare the engines within one run.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# -- scenario variants: the same company, another structure --------------------------------


def _edit_sessions(folder: Path, edit: Callable[[dict[str, str], random.Random], None]) -> None:
    path = folder / "sessions.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rng = random.Random(len(rows))
    for row in rows:
        edit(row, rng)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _tight_teams(folder: Path) -> None:
    """Team caps at two members away a day, and at a sixth of the team."""
    path = folder / "scenario.yaml"
    scenario = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in scenario.get("team_limits", []):
        if "max_away_share" in entry:
            entry["max_away_share"] = 0.17
            entry["max_away"] = 2
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")


def _small_classes(folder: Path) -> None:
    """Two classes in three need half their seats filled to run."""

    def edit(row: dict[str, str], rng: random.Random) -> None:
        capacity = int(row["capacity"])
        if row["course"] != "elearn" and capacity >= 4 and rng.random() < 0.67:
            row["min_size"] = str(max(int(row["min_size"] or 0), capacity // 2))

    _edit_sessions(folder, edit)


def _short_supply(folder: Path) -> None:
    """Classes at 60 % of their seats, and one e-learning course in three withdrawn."""

    def edit(row: dict[str, str], rng: random.Random) -> None:
        capacity = int(row["capacity"])
        if row["course"] == "elearn":
            if rng.random() < 0.33:
                row["capacity"] = "1"
            return
        row["capacity"] = str(max(1, round(capacity * 0.6)))
        row["min_size"] = str(min(int(row["min_size"] or 0), int(row["capacity"])))

    _edit_sessions(folder, edit)


FAMILIES: dict[str, Callable[[Path], None]] = {
    "base": lambda folder: None,
    "tight-teams": _tight_teams,
    "small-classes": _small_classes,
    "short-supply": _short_supply,
}


def make_scenario(root: Path, members: int, years: int, seed: int, family: str) -> Path:
    from models.generate import generate_scenario

    path = generate_scenario(
        root / f"{family}-{members}-{years}y-s{seed}", members=members, years=years, seed=seed
    )
    FAMILIES[family](path.parent)
    return path


# -- the two engines, each in its own process --------------------------------------------


def run_rotaplan(
    path: str, time_limit: float, workers: int, seed: int, queue, settings: str | None = None
) -> None:
    from checker import check_plan
    from models import load_scenario
    from solver import SolveOptions, solve

    started = time.monotonic()
    scenario = load_scenario(path)
    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed)
    if settings is not None:
        from solver.engine import EngineSettings

        options.settings = EngineSettings.from_file(settings)
    plan = solve(scenario, options)
    report = check_plan(scenario, plan.pairs)
    queue.put(
        {
            "stages": [
                {
                    "term": s.term,
                    "optimal": s.status.value == "OPTIMAL",
                    "value": plan.objective.get(s.term, s.value),
                    "bound": s.bound,
                    "seconds": s.seconds,
                }
                for s in plan.stages
            ],
            "seconds": time.monotonic() - started,
            "ok": report.ok and report.objective == plan.objective if plan.has_plan else None,
        }
    )


def run_textbook(path: str, time_limit: float, workers: int, seed: int, queue) -> None:
    from ortools.sat.python import cp_model

    from benchmarks.textbook import Textbook, apply_parameters, best_parameters
    from models import load_scenario

    started = time.monotonic()
    book = Textbook(load_scenario(path))
    terms = [t for t in book.scenario.objective if not isinstance(book.terms[t], int)]
    stages = []
    for index, term in enumerate(terms):
        remaining = started + time_limit - time.monotonic()
        if remaining <= 0:
            break
        share = 0.6 if index == 0 and len(terms) > 1 else 1 / (len(terms) - index)
        book.model.clear_objective()
        book.model.minimize(book.terms[term])
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = remaining * share
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        apply_parameters(solver, best_parameters(workers))
        status = solver.solve(book.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        value = round(solver.objective_value)
        stages.append(
            {
                "term": term,
                "optimal": status == cp_model.OPTIMAL,
                "value": value,
                "bound": round(solver.best_objective_bound),
                "seconds": solver.wall_time,
            }
        )
        book.model.add(book.terms[term] <= value)
    queue.put({"stages": stages, "seconds": time.monotonic() - started, "ok": None})


def measure(target, path: Path, time_limit: float, workers: int, seed: int, *extra) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(
        target=target, args=(str(path), time_limit, workers, seed, queue, *extra)
    )
    process.start()
    result = queue.get()
    process.join()
    return result


# -- the table ----------------------------------------------------------------------------

TERMS = ("unmet", "imbalance", "attendances", "cost", "avoid")


def _cell(stage: dict | None) -> str:
    """``value/bound seconds``, with ``*`` when proven optimal."""
    if stage is None:
        return "-"
    mark = "*" if stage["optimal"] else ""
    return f"{stage['value']}/{stage['bound']}{mark} {stage['seconds']:.1f}s"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, nargs="+", default=[80, 150])
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--seeds", type=int, nargs="+", default=[31])
    parser.add_argument("--families", nargs="+", default=list(FAMILIES), choices=list(FAMILIES))
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--no-textbook", action="store_true")
    parser.add_argument(
        "--settings",
        nargs="+",
        default=[],
        metavar="FILE",
        help="Also run rotaplan with the engine settings of each file (TOML, JSON or YAML).",
    )
    args = parser.parse_args()

    from models import load_scenario
    from solver.engine import build_instance

    header = ["scenario", "pairs", "engine", *TERMS, "total s", "check"]
    print(" | ".join(header), flush=True)
    with tempfile.TemporaryDirectory() as folder:
        for seed in args.seeds:
            for members in args.members:
                for family in args.families:
                    path = make_scenario(Path(folder), members, args.years, seed, family)
                    pairs = build_instance(load_scenario(path)).num_pairs
                    engines: list[tuple[str, Callable, tuple]] = [("rotaplan", run_rotaplan, ())]
                    engines += [
                        (f"rotaplan {Path(f).stem}", run_rotaplan, (f,)) for f in args.settings
                    ]
                    if not args.no_textbook:
                        engines.append(("textbook", run_textbook, ()))
                    for name, target, extra in engines:
                        result = measure(target, path, args.time_limit, args.workers, seed, *extra)
                        by_term = {s["term"]: s for s in result["stages"]}
                        check = {True: "ok", False: "BROKEN"}.get(result["ok"], "")
                        cells = [
                            path.parent.name,
                            str(pairs),
                            name,
                            *(_cell(by_term.get(t)) for t in TERMS),
                            f"{result['seconds']:.1f}",
                            check,
                        ]
                        print(" | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
