"""The large-scenario path on structures the generator alone does not make.

Generates a company with ``rotaplan generate`` and reshapes its tables the way real
scenarios differ: tighter team caps (``tight``), more classes with a minimum size
(``classes``), fewer seats against the demand (``seats``), or all three (``hard``). Each
scenario is solved by rotaplan at every ``--time-limit`` given (a planner's run of that
limit, each in its own process) and, once at the longest limit, by the textbook
formulation (``benchmarks/textbook.py``) in the same run. Every rotaplan plan is checked
with the checker. One table: unmet at each limit, rotaplan's bound, the textbook's, the
best of them, and the distances to it:

    .venv/bin/python benchmarks/large.py --seeds 11 --variants tight hard --time-limit 60 120
    .venv/bin/python benchmarks/large.py --members 20000 --seeds 5 --variants base \\
        --time-limit 600 --no-textbook

These machines are shared and noisy: compare the rows of one run, not figures across runs.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.engine import measure, run_rotaplan, run_textbook

VARIANTS = ("base", "tight", "classes", "seats", "hard")


def reshape(folder: Path, variant: str) -> None:
    """Edit a generated scenario's tables in place to give it another structure."""
    if variant in ("tight", "hard"):
        # Team caps: a sixth of a team away a day instead of a quarter.
        path = folder / "scenario.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("max_away_share: 0.25", "max_away_share: 0.16"), "utf-8")
    if variant in ("classes", "seats", "hard"):
        path = folder / "sessions.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        fields = list(rows[0])
        for row in rows:
            capacity = int(row["capacity"])
            if variant in ("classes", "hard") and row["course"] in (
                "thematic",
                "party_affairs",
                "red_trip",
                "orientation",
                "activist",
            ):
                # Classes that run only with a third of their seats taken.
                row["min_size"] = str(max(int(row["min_size"] or 0), capacity // 3))
            if variant in ("seats", "hard") and row["course"] in ("rotation", "thematic"):
                row["capacity"] = str(max(1, round(capacity * 0.8)))
                row["min_size"] = str(min(int(row["min_size"] or 0), int(row["capacity"])))
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fields)
            writer.writeheader()
            writer.writerows(rows)


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=2024)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seeds", type=int, nargs="+", default=[11])
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=["tight"])
    parser.add_argument("--time-limit", type=float, nargs="+", default=[60.0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-textbook", action="store_true")
    args = parser.parse_args()

    from models.generate import generate_scenario

    limits = sorted(args.time_limit)
    header = ["seed", "variant", "pairs"]
    header += [f"unmet@{t:.0f}" for t in limits]
    header += ["bound", "gap %", "textbook", "tb bound", "best bound", "dist", "tb dist", "x"]
    header += ["peak MB", "bad"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            for variant in args.variants:
                folder = Path(tmp) / f"s{seed}-{variant}"
                path = generate_scenario(folder, members=args.members, years=args.years, seed=seed)
                reshape(folder, variant)
                runs = []
                for limit in limits:
                    print(f"seed {seed} {variant}: rotaplan {limit:.0f}s", file=sys.stderr)
                    runs.append(measure(run_rotaplan, path, limit, args.workers, seed))
                textbook = None
                if not args.no_textbook:
                    print(f"seed {seed} {variant}: textbook {limits[-1]:.0f}s", file=sys.stderr)
                    textbook = measure(run_textbook, path, limits[-1], args.workers, seed)
                last = runs[-1]
                bounds = [r["bound"] for r in runs if r["bound"] is not None]
                tb_bound = textbook["bound"] if textbook else None
                best = max(bounds + ([tb_bound] if tb_bound is not None else []), default=None)
                gap = (
                    100 * (last["end"] - last["bound"]) / max(1, last["end"])
                    if last["bound"] is not None
                    else None
                )
                dist = last["end"] - best if best is not None else None
                tb_end = textbook["end"] if textbook else None
                tb_dist = tb_end - best if tb_end is not None and best is not None else None
                ratio = tb_dist / max(1, dist) if dist is not None and tb_dist is not None else None
                ends = [r["end"] for r in runs]
                peak = max(r["peak_mb"] for r in runs)
                bad = sum(r["violations"] for r in runs)
                ours = [seed, variant, last["pairs"], *ends, last["bound"], gap]
                rows.append([*ours, tb_end, tb_bound, best, dist, tb_dist, ratio, peak, bad])
                print(" ".join(_fmt(v) for v in rows[-1]), file=sys.stderr, flush=True)
    widths = [max(len(h), 7) for h in header]
    print(" | ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print(" | ".join(_fmt(v).rjust(w) for v, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
