"""Structures nobody tuned on: random company shapes and scenario features, every plan checked.

The suite (``benchmarks/suite.py``) measures the named families; a planner's scenario is
none of them. This draws companies whose every structure knob of ``rotaplan generate``
(``models.families.Structure``: seat supply, class size, minimum-size share, team sizes
and away share, leave, blackouts, joiners and leavers, regions) is random, at random
sizes and 1-5 years, and gives some of them what the generator never writes: an
objective in another order (some terms left out), ``strict``, and a second solve that
keeps a first plan as ``previous`` with part of it ``pinned``. Each plan is solved with
``rotaplan solve --time-limit T`` in its own process and checked by the checker
(``checker.check_plan``), which shares no code with the engine.

It prints one Markdown table, a row per draw:

- ``family``: the family whose structure the draw starts from (its knobs then drawn anew);
- ``knobs``: the structure knobs drawn away from that family's values;
- ``features``: ``order`` (the objective's terms, first to last), ``strict``, ``previous``
  and ``pinned N``;
- ``status``, ``unmet`` and its proven ``bound`` (``-``: not a term, or not proven);
- ``broken``: rules the checker found broken (must be 0);
- ``surplus``: attendances no requirement or rule needs (must be 0);
- ``seconds``: the solve's wall time, loading included.

and a last line counting the draws with a plan, with a broken rule and with surplus. It
exits with code 1 when any plan breaks a rule or has surplus. Run it:

    .venv/bin/python benchmarks/structures.py                    # 20 draws, 40-400 members
    .venv/bin/python benchmarks/structures.py --draws 10 --members 500-1600 --time-limit 15
    .venv/bin/python benchmarks/structures.py --quick            # three small draws, a smoke run
    .venv/bin/python benchmarks/structures.py --keep /tmp/draws  # the scenarios kept, to rerun one

The same ``--seed`` draws the same scenarios and features.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.runs import fmt, measure, run_rotaplan
from models.families import FAMILIES, MEMBERS_PER_REGION, Structure

TERMS = ("unmet", "changes", "imbalance", "attendances", "cost", "avoid")
# Shares of the draws that get each feature the generator never writes.
REORDERED = 0.3
STRICT = 0.1
REPLANNED = 0.4


@dataclass
class Draw:
    """One random scenario: its size, structure and features."""

    index: int
    family: str
    members: int
    years: int
    seed: int
    structure: Structure
    objective: list[str] | None = None
    strict: bool = False
    replanned: bool = False
    pinned: int = 0
    features: list[str] = field(default_factory=list)

    def knobs(self) -> str:
        """The structure's knobs that differ from its family's, as ``name=value``."""
        base = FAMILIES[self.family].structure
        changed = []
        for knob in dataclasses.fields(Structure):
            value = getattr(self.structure, knob.name)
            if value != getattr(base, knob.name):
                shown = f"{value:.2f}" if isinstance(value, float) else str(value)
                changed.append(f"{knob.name}={shown.replace(' ', '')}")
        return " ".join(changed) or "-"


def draw_structure(rng: random.Random, family: str, members: int) -> Structure:
    """The family's structure with each knob drawn anew at even odds."""
    structure = FAMILIES[family].structure
    low = rng.randint(1, 10)
    draws: dict[str, Any] = {
        "seat_supply": lambda: round(rng.uniform(0.5, 1.5), 2),
        "class_size": lambda: rng.randint(4, 40),
        "min_size_share": lambda: round(rng.random(), 2),
        "team_size": lambda: (low, low + rng.randint(0, 12)),
        "away_share": lambda: round(rng.uniform(0.05, 0.9), 2),
        "leave": lambda: round(rng.uniform(0.0, 0.4), 2),
        "blackout_share": lambda: round(rng.random(), 2),
        "joiners": lambda: round(rng.uniform(0.0, 0.3), 2),
        "leavers": lambda: round(rng.uniform(0.0, 0.3), 2),
        "regions": lambda: rng.randint(1, max(1, members // MEMBERS_PER_REGION)),
    }
    changes = {name: make() for name, make in draws.items() if rng.random() < 0.5}
    return dataclasses.replace(structure, **changes)


def draw_scenarios(seed: int, count: int, smallest: int, largest: int) -> list[Draw]:
    """``count`` draws from ``seed``: family, size, years, structure and features."""
    rng = random.Random(seed)
    draws = []
    for index in range(count):
        family = rng.choice(sorted(FAMILIES))
        members = rng.randint(smallest, largest)
        draw = Draw(
            index,
            family,
            members,
            rng.randint(1, 5),
            rng.randint(1, 10**6),
            draw_structure(rng, family, members),
        )
        if rng.random() < REORDERED:
            order = list(TERMS)
            rng.shuffle(order)
            draw.objective = order[: rng.randint(1, len(order))]
        draw.strict = rng.random() < STRICT
        draw.replanned = rng.random() < REPLANNED
        draw.pinned = rng.randint(0, 30) if draw.replanned else 0
        draws.append(draw)
    return draws


def solve_draw(draw: Draw, folder: Path, time_limit: float, workers: int) -> dict:
    """Generate the draw's scenario, give it its features, solve it (twice when replanned:
    the second solve keeps the first plan as ``previous``, part of it pinned)."""
    from models.generate import generate_scenario
    from solver import SolveOptions, solve
    from solver.output import write_plan

    path = generate_scenario(
        folder / f"draw-{draw.index}",
        draw.members,
        draw.years,
        draw.seed,
        structure=draw.structure,
    )
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if draw.objective is not None:
        document["objective"] = draw.objective
        draw.features.append("order " + ",".join(draw.objective))
    if draw.strict:
        document["strict"] = True
        draw.features.append("strict")
    _write(path, document)
    if draw.replanned:
        from models import load_scenario

        first = solve(load_scenario(path), SolveOptions(time_limit=time_limit, workers=workers))
        if first.has_plan:
            # The planner's way: the first plan's folder, its assignments.csv as previous.
            write_plan(first, path.parent / "first")
            document["previous"] = "first/assignments.csv"
            draw.features.append("previous")
            kept = random.Random(draw.seed).sample(first.pairs, min(draw.pinned, len(first.pairs)))
            if kept:
                document["pinned"] = [{"member": m, "session": s} for m, s in kept]
                draw.features.append(f"pinned {len(kept)}")
            _write(path, document)
    return measure(run_rotaplan, path, time_limit, workers, draw.seed)


def _write(path: Path, document: dict) -> None:
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")


def table(draws: list[Draw], results: list[dict]) -> list[str]:
    """The Markdown table and the summary line."""
    header = ["draw", "family", "members", "years", "knobs", "features", "status"]
    header += ["unmet", "bound", "broken", "surplus", "seconds"]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    planned = broken = surplus = 0
    for draw, result in zip(draws, results, strict=True):
        failed = "error" in result
        objective = result.get("objective") or {}
        stages: list[dict] = result.get("stages") or []
        stage = next((s for s in stages if s["term"] == "unmet"), {})
        if not failed and result.get("violations") is not None:
            planned += 1
            broken += result["violations"] > 0
            surplus += result["surplus"] > 0
        cells = [
            str(draw.index),
            draw.family,
            fmt(draw.members),
            str(draw.years),
            draw.knobs(),
            "; ".join(draw.features) or "-",
            result.get("error", result.get("status", "-")),
            fmt(objective.get("unmet")),
            fmt(stage.get("bound")),
            fmt(result.get("violations")),
            fmt(result.get("surplus")),
            "-" if failed else fmt(result["seconds"], 1),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(
        f"{len(draws)} draws: {planned} with a plan, {broken} with a broken rule, "
        f"{surplus} with surplus attendances"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=20, help="scenarios to draw")
    parser.add_argument("--seed", type=int, default=1, help="the draws' seed")
    parser.add_argument("--members", default="40-400", help="fewest and most members, MIN-MAX")
    parser.add_argument("--time-limit", type=float, default=5.0, help="seconds per solve")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="three draws of 40-80 members, 2 s")
    parser.add_argument(
        "--keep", type=Path, help="write the scenarios into this folder and keep them there"
    )
    options = parser.parse_args(argv)
    if options.quick:
        options.draws, options.members, options.time_limit = 3, "40-80", 2.0
    try:
        smallest, largest = (int(v) for v in options.members.split("-"))
    except ValueError:
        raise SystemExit(f"--members {options.members!r}: expected e.g. 40-400") from None
    if not 30 <= smallest <= largest:
        raise SystemExit(f"--members {options.members!r}: at least 30, fewest first")
    draws = draw_scenarios(options.seed, options.draws, smallest, largest)
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = options.keep or Path(scratch)
        for draw in draws:
            print(f"draw {draw.index}: {draw.family} {draw.members} members", file=sys.stderr)
            results.append(solve_draw(draw, folder, options.time_limit, options.workers))
    command = " ".join(["benchmarks/structures.py", *(argv if argv is not None else sys.argv[1:])])
    print(f"`.venv/bin/python {command}` (seed {options.seed})\n")
    lines = table(draws, results)
    print("\n".join(lines))
    bad = [r for r in results if r.get("violations") or r.get("surplus")]
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
