"""How long the lean pass takes, and what it leaves, on plans of every size.

For each size, generates a company-like scenario, builds its constructive first plan (the
plan a solve stopped at once would return, and the one with the most surplus), counts its
surplus with the checker, drops the surplus with ``solver.lean.drop_surplus``, and counts
again. Also proves the attendances bound. Prints one table:

    .venv/bin/python benchmarks/lean.py                          # 300 and 2,024 members
    .venv/bin/python benchmarks/lean.py --members 300 2024 20000 --seed 11

The machines are shared: the seconds are wall-clock and noisy.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _row(members: int, years: int, seed: int) -> dict[str, object]:
    from checker import audit_surplus, plan_terms
    from models import load_scenario
    from models.generate import generate_scenario
    from solver.engine import attendance_bound, build_instance, construct, drop_surplus, plan_pairs

    with tempfile.TemporaryDirectory() as folder:
        scenario = load_scenario(
            generate_scenario(Path(folder), members=members, years=years, seed=seed)
        )
    instance = build_instance(scenario)
    taken = np.zeros(instance.num_pairs, dtype=bool)
    taken[construct(instance)] = True
    before = audit_surplus(scenario, plan_pairs(instance, taken))
    started = time.monotonic()
    lean = drop_surplus(instance, taken)
    seconds = time.monotonic() - started
    after = audit_surplus(scenario, plan_pairs(instance, lean))
    unmet = plan_terms(scenario, plan_pairs(instance, lean))["unmet"]
    started = time.monotonic()
    bound = attendance_bound(instance, unmet, seconds=5.0)
    return {
        "members": members,
        "pairs": instance.num_pairs,
        "attendances": int(taken.sum()),
        "surplus": before.count,
        "jointly": before.jointly,
        "lean": int(lean.sum()),
        "dropped": int(taken.sum() - lean.sum()),
        "left": after.count,
        "seconds": round(seconds, 2),
        "bound": bound,
        "bound s": round(time.monotonic() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, nargs="+", default=[300, 2024])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = [_row(members, args.years, args.seed) for members in args.members]
    columns = list(rows[0])
    print(" | ".join(f"{c:>11}" for c in columns))
    for row in rows:
        print(" | ".join(f"{row[c]!s:>11}" for c in columns), flush=True)


if __name__ == "__main__":
    main()
