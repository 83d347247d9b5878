"""Speed and scale of rotaplan's engine against the textbook formulation.

Generates company-like scenarios with ``rotaplan generate``, solves each with rotaplan and
with the textbook formulation (``benchmarks/textbook.py``) under the same time budget, each
in its own process so peak memory is its own (``benchmarks/runs.py``, shared with
``benchmarks/suite.py``), checks every plan with ``rotaplan check``'s checker, and prints
one table. Anyone can rerun it:

    .venv/bin/python benchmarks/engine.py                      # 300 and 2,024 members
    .venv/bin/python benchmarks/engine.py --members 20000 --time-limit 1800 --no-textbook

These machines are shared and noisy: compare the two engines within one run (the ratio
columns), not figures across runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.runs import fmt, measure, run_rotaplan, run_textbook

MARKS = (15.0, 60.0)


def _print_distances(members: int, results: dict) -> None:
    """How much closer rotaplan's unmet is to a proven bound than the textbook's: to each
    engine's own bound (each engine's gap), and to the best bound either proved (a bound
    holds for every plan, so that one measures both plans alike)."""
    ends = {name: r["end"] for name, r in results.items()}
    if any(end is None for end in ends.values()):
        return
    own = {name: r["bound"] for name, r in results.items()}
    proven = [bound for bound in own.values() if bound is not None]
    if not proven:
        return
    best = max(proven)
    for label, bounds in (("own bounds", own), (f"best bound {best}", dict.fromkeys(own, best))):
        if any(bound is None for bound in bounds.values()):
            continue
        distance = {name: ends[name] - bounds[name] for name in ends}
        if distance["rotaplan"] == 0 and distance["textbook"] == 0:
            verdict = "both plans reach it"
        elif distance["rotaplan"] == 0:
            # No ratio to a distance of 0: the textbook's distance is what it says.
            verdict = "only rotaplan's plan reaches it"
        else:
            verdict = (
                f"textbook / rotaplan = {distance['textbook'] / max(1, distance['rotaplan']):.1f}x"
            )
        print(
            f"{members} members, distance from unmet to {label}: rotaplan {distance['rotaplan']},"
            f" textbook {distance['textbook']}: {verdict}",
            flush=True,
        )


def _at(trace: list[tuple[float, float]], mark: float) -> float | None:
    """The best first-term value found by ``mark`` seconds after the start."""
    seen = [value for seconds, value in trace if seconds <= mark]
    return min(seen) if seen else None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, nargs="+", default=[300, 2024])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--no-textbook", action="store_true", help="Skip the baseline (for 20,000 members)."
    )
    args = parser.parse_args()

    from models.generate import generate_scenario

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for members in args.members:
            path = generate_scenario(
                Path(folder) / f"m{members}", members=members, years=args.years, seed=args.seed
            )
            engines = [("rotaplan", run_rotaplan)] + (
                [] if args.no_textbook else [("textbook", run_textbook)]
            )
            results = {}
            for name, target in engines:
                print(
                    f"solving {members} members with {name} ({args.time_limit:.0f}s)...",
                    file=sys.stderr,
                    flush=True,
                )
                results[name] = measure(target, path, args.time_limit, args.workers, args.seed)
            pairs = results["rotaplan"]["pairs"]
            for name, result in results.items():
                at = [_at(result["trace"], mark) for mark in MARKS]
                end, bound = result["end"], result["bound"]
                gap = (end - bound) / max(1, end) if end is not None and bound is not None else None
                rows.append(
                    [
                        members,
                        name,
                        pairs,
                        result["build"],
                        result["first_plan"],
                        *at,
                        end,
                        bound,
                        None if gap is None else 100 * gap,
                        result["seconds"],
                        result["peak_mb"],
                        result["violations"],
                    ]
                )
            if "textbook" in results:
                _print_distances(members, results)
    header = [
        "members",
        "engine",
        "pairs",
        "build s",
        "first plan s",
        "unmet@15s",
        "unmet@60s",
        "unmet end",
        "bound",
        "gap %",
        "total s",
        "peak MB",
        "violations",
    ]
    widths = [max(len(h), 9) for h in header]
    print(" | ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        cells = [fmt(v, 1 if i in (3, 4, 9) else 0) for i, v in enumerate(row)]
        print(" | ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)))


if __name__ == "__main__":
    main()
