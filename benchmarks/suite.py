"""The suite: rotaplan and the textbook model on scenarios of every family and size.

Generates the suite's scenarios with ``rotaplan generate`` (``models.families``): the
families ``company``, ``tight-teams``, ``small-classes``, ``churn`` and ``scarce-seats`` at
80, 300 and 2,024 members (2, 3 and 5 years), and ``unit`` at 80 and 150 members (2 years)
when 80 is among the sizes: 17 scenarios per seed; ``--long`` adds 20,000 members
(5 years) of the five families, without the textbook model (whose model would not fit
in memory there). Each scenario is solved by rotaplan and by the textbook model
(``benchmarks/textbook.py``, with ``best_parameters``: linearization level 2 and explicit
subsolvers at 1-2 workers) once per budget, each solve in its own process: the value
"at T s" is what ``rotaplan solve --time-limit T`` gives, not a stage's value T seconds
into a longer run. Every plan is checked by the checker (``checker.check_plan``).

It prints one Markdown table, a row per scenario and engine:

- ``pairs``: eligible member-session pairs of the engine's model;
- ``first plan s``: seconds to the first complete plan (loading included), longest budget;
- ``unmet @T``: the ``unmet`` term of the plan from the solve with budget T;
- ``bound``: the best ``unmet`` bound the engine proved in any of its solves;
- ``gap %``: the longest budget's ``unmet`` against the best bound either engine proved,
  ``(unmet - bound) / unmet``;
- ``surplus``: attendances of the longest budget's plan that serve no earlier term (the
  checker's definition, SPEC.md "Surplus");
- ``attendances / bound``: that plan's attendances and its stage's proven bound;
- ``later gap %``: the widest gap of a term after the first, each term's value in that
  plan against the bound its stage proved, and that term's name (``-``: some later term
  has no bound);
- ``unmet proven s``, ``all proven s``: seconds (loading included) to ``unmet`` proven
  optimal, and to every term proven, in the shortest budget that got there; ``-`` where
  no solve did;
- ``broken``: rules the checker found broken in any of the engine's plans (must be 0);
- ``peak MB``: the most memory any of its solves used;
- ``cpu %``: CPU time over wall time of the longest budget's solve (200 % is two busy
  workers): on a shared machine, how much of the cores the solve got.

Seeds: ``TUNE_SEEDS`` are for tuning the engine; figures are quoted on ``QUOTE_SEEDS``
(the default), scenarios nobody tuned on. Run it:

    .venv/bin/python benchmarks/suite.py --budgets 2,10 --budgets 2024:60
    .venv/bin/python benchmarks/suite.py --sizes 2024 --budgets 60 --families company,churn
    .venv/bin/python benchmarks/suite.py --long --budgets 600 --sizes 20000
    .venv/bin/python benchmarks/suite.py --quick          # two small units, a smoke run

``--budgets`` lists seconds for every size; ``SIZE:B,B`` sets them for one size. The
machine is shared and noisy: compare the rows of one run, not figures across runs.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.runs import fmt, measure, run_rotaplan, run_textbook

SIZES = (80, 300, 2024)
LONG_SIZE = 20_000
FAMILIES = ("company", "tight-teams", "small-classes", "churn", "scarce-seats")
UNIT_SIZES = (80, 150)
TUNE_SEEDS = (1, 2, 3)
QUOTE_SEEDS = (101,)
QUICK = (("unit", 40), ("small-classes", 40))
ENGINES = {"rotaplan": run_rotaplan, "textbook": run_textbook}


@dataclass(frozen=True)
class Case:
    """One scenario of the suite."""

    family: str
    members: int
    seed: int

    @property
    def years(self) -> int:
        """2 years for a unit, 3 up to 1,000 members, 5 for a company and more."""
        if self.members <= 150:
            return 2
        return 3 if self.members <= 1000 else 5


def suite_cases(sizes: Sequence[int], families: Sequence[str], seeds: Sequence[int]) -> list[Case]:
    """The families at the sizes, the ``unit`` family at its own sizes, for every seed."""
    cases = []
    for seed in seeds:
        for members in sizes:
            cases += [Case(family, members, seed) for family in families if family != "unit"]
        if "unit" in families and 80 in sizes:
            cases += [Case("unit", members, seed) for members in UNIT_SIZES]
    return cases


def parse_budgets(texts: Sequence[str]) -> tuple[list[float], dict[int, list[float]]]:
    """``2,10`` for every size and ``2024:60`` for one size."""
    common: list[float] = []
    by_size: dict[int, list[float]] = {}
    for text in texts:
        size, colon, values = text.rpartition(":")
        try:
            budgets = sorted(float(v) for v in values.split(",") if v.strip())
            if colon:
                by_size[int(size)] = budgets
            else:
                common = budgets
        except ValueError:
            raise SystemExit(f"--budgets {text!r}: expected e.g. 2,10 or 2024:60") from None
        if not budgets or min(budgets) <= 0:
            raise SystemExit(f"--budgets {text!r}: every budget must be above 0 seconds")
    return common, by_size


def solve_case(
    case: Case, folder: Path, budgets: list[float], workers: int, engines: list[str]
) -> dict[str, list[dict]]:
    """Generate the scenario and solve it once per engine and budget."""
    from models.families import FAMILIES as NAMED
    from models.generate import generate_scenario

    path = generate_scenario(
        folder / f"{case.family}-{case.members}-{case.seed}",
        case.members,
        case.years,
        case.seed,
        structure=NAMED[case.family].structure,
    )
    results: dict[str, list[dict]] = {}
    for engine in engines:
        results[engine] = []
        for budget in budgets:
            print(
                f"{case.family} {case.members} members seed {case.seed}: {engine} {budget:g}s",
                file=sys.stderr,
                flush=True,
            )
            result = measure(ENGINES[engine], path, budget, workers, case.seed)
            result["budget"] = budget
            results[engine].append(result)
    return results


def _best_bound(runs: list[dict]) -> int | None:
    bounds = [r["bound"] for r in runs if "error" not in r and r.get("bound") is not None]
    return max(bounds) if bounds else None


def _proven_seconds(runs: list[dict], first_term: bool) -> float | None:
    """Seconds to the proof in the shortest budget that got there."""
    for run in runs:
        if "error" in run:
            continue
        stages = run.get("stages") or []
        if first_term and stages and stages[0]["status"] == "OPTIMAL":
            return stages[0].get("end")
        if not first_term and run.get("status") == "OPTIMAL":
            return run["seconds"]
    return None


def _attendances(run: dict) -> str:
    objective = run.get("objective")
    if not objective:
        return "-"
    stage = next((s for s in run.get("stages") or [] if s["term"] == "attendances"), None)
    bound = stage.get("bound") if stage else None
    return f"{fmt(objective['attendances'])} / {fmt(bound)}"


def _later_gap(run: dict) -> str:
    """The widest gap of a later term: its value in the plan against the bound its stage
    proved, ``(value - bound) / value`` in percent; ``-`` when a later term has no bound
    (or its stage did not run), ``none`` when there is no later term."""
    objective = run.get("objective")
    stages = (run.get("stages") or [])[1:]
    if not objective or not stages:
        return "none" if objective else "-"
    widest, term = 0.0, ""
    for stage in stages:
        value, bound = objective.get(stage["term"]), stage.get("bound")
        if value is None or bound is None:
            return "-"
        gap = 100 * max(0, value - bound) / max(1, value)
        if gap > widest:
            widest, term = gap, stage["term"]
    # The term is named: 100 % can be one attendance on an avoided day against a bound of 0.
    return f"{fmt(widest, 1)} {term}" if term else fmt(widest, 1)


def table_rows(
    case: Case, results: dict[str, list[dict]], columns: list[float], budgets: list[float]
) -> list[list[str]]:
    """The table's rows of one scenario: one per engine."""
    best = [b for b in (_best_bound(runs) for runs in results.values()) if b is not None]
    best_bound = max(best) if best else None
    rows = []
    for engine, runs in results.items():
        by_budget = {run["budget"]: run for run in runs}
        last = by_budget[max(budgets)]
        failed = "error" in last
        unmet_at = []
        for budget in columns:
            run = by_budget.get(budget)
            if run is None:
                unmet_at.append("")
            elif "error" in run:
                unmet_at.append("died")
            else:
                unmet_at.append(fmt(run.get("end")) if run.get("end") is not None else "none")
        end = None if failed else last.get("end")
        gap = None
        if end is not None and best_bound is not None:
            gap = 100 * (end - best_bound) / max(1, end)
        broken = [r["violations"] for r in runs if r.get("violations") is not None]
        ok = [r for r in runs if "error" not in r]
        pairs = next((r["pairs"] for r in ok if r.get("pairs") is not None), None)
        rows.append(
            [
                case.family,
                fmt(case.members),
                str(case.years),
                str(case.seed),
                engine,
                fmt(pairs),
                "-" if failed else fmt(last.get("first_plan"), 1),
                *unmet_at,
                fmt(_best_bound(runs)),
                fmt(gap, 1),
                "-" if failed else fmt(last.get("surplus")),
                "-" if failed else _attendances(last),
                "-" if failed else _later_gap(last),
                fmt(_proven_seconds(runs, True), 1),
                fmt(_proven_seconds(runs, False), 1),
                fmt(max(broken)) if broken else "-",
                fmt(max((r["peak_mb"] for r in ok), default=None), 0),
                "-" if failed else fmt(100 * last["cpu_seconds"] / max(1e-9, last["seconds"]), 0),
            ]
        )
    return rows


def markdown(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, text columns left-aligned and figures right-aligned."""
    text_columns = {"family", "engine"}
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("| " + " | ".join("---" if h in text_columns else "---:" for h in header) + " |")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--budgets",
        action="append",
        default=None,
        help="Seconds per solve, e.g. 2,10; SIZE:B,B for one size (repeatable) [2,10,60].",
    )
    parser.add_argument("--sizes", default=None, help="Members, e.g. 80,300 [80,300,2024].")
    parser.add_argument("--families", default=None, help="Families, e.g. company,churn [all].")
    parser.add_argument(
        "--seeds",
        default=None,
        help=f"Scenario seeds [quote seeds {','.join(map(str, QUOTE_SEEDS))}; "
        f"tune seeds are {','.join(map(str, TUNE_SEEDS))}].",
    )
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers [2].")
    parser.add_argument("--long", action="store_true", help="Add 20,000 members.")
    parser.add_argument("--no-textbook", action="store_true", help="Solve with rotaplan only.")
    parser.add_argument("--quick", action="store_true", help="Smoke run: two small units, 1 s.")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = _arguments(argv)
    common, by_size = parse_budgets(args.budgets or ["2,10,60"])
    seeds = [int(s) for s in args.seeds.split(",")] if args.seeds else list(QUOTE_SEEDS)
    families = args.families.split(",") if args.families else [*FAMILIES, "unit"]
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else list(SIZES)
    if args.long and LONG_SIZE not in sizes:
        sizes.append(LONG_SIZE)
    if args.quick:
        cases = [Case(family, members, seed) for family, members in QUICK for seed in seeds[:1]]
        common, by_size = ([1.0] if args.budgets is None else common), {}
    else:
        cases = suite_cases(sizes, families, seeds)
    budgets_of = {case: by_size.get(case.members, common) for case in cases}
    if any(not budgets for budgets in budgets_of.values()):
        raise SystemExit("--budgets: some size has no budget")
    columns = sorted({b for budgets in budgets_of.values() for b in budgets})
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for case in cases:
            engines = ["rotaplan"]
            if not args.no_textbook and case.members < LONG_SIZE:
                engines.append("textbook")
            results = solve_case(case, Path(folder), budgets_of[case], args.workers, engines)
            rows += table_rows(case, results, columns, budgets_of[case])
    header = [
        *("family", "members", "years", "seed", "engine", "pairs", "first plan s"),
        *(f"unmet @{b:g}s" for b in columns),
        *("bound", "gap %", "surplus", "attendances / bound", "later gap %"),
        *("unmet proven s", "all proven s", "broken", "peak MB", "cpu %"),
    ]
    command = " ".join(
        [
            ".venv/bin/python benchmarks/suite.py",
            *map(shlex.quote, sys.argv[1:] if argv is None else argv),
        ]
    )
    print(f"`{command}` ({args.workers} workers)\n")
    print(markdown(header, rows))


if __name__ == "__main__":
    main()
