"""How many members can have a first completion of a ``balance`` requirement, proven
before the ``imbalance`` stage, so that its least value is proven with it.

``imbalance`` sums ``|N * F_y - S|`` over the ``N`` years, where ``S`` first completions
fall into years ``F_y``. Whatever the years, those sizes add up to at least
``2 * k * (N - k)`` with ``k = S mod N`` (``RotaModel`` states it), so once ``S`` is known
the least imbalance is known. The linear relaxation never pins ``S`` down: it lets a
fraction of a member complete, and on a 300-member company the imbalance stage spent its
33 s at 4 with no bound above 0. With ``unmet`` held at its optimum, ``S`` usually has one
value (every member who can rotate does: a rotation outweighs whatever its seat could
serve elsewhere); two short solves, the most and the fewest first completions, prove it
(0.4-0.6 s each there), and the stage proves 4 at once.
"""

from __future__ import annotations

import math

from ortools.sat.python import cp_model

from .model import RotaModel
from .settings import EngineSettings
from .stop import StopFlag, new_solver, run_solver


def pin_first_completions(
    rota: RotaModel,
    seconds: float,
    workers: int,
    seed: int,
    settings: EngineSettings,
    flag: StopFlag,
) -> dict[int, tuple[int | None, int | None]]:
    """Add ``lo <= S <= hi`` for every ``balance`` requirement's first completions ``S``,
    with ``lo`` and ``hi`` what CP-SAT proves of the model as it stands (earlier terms
    held) in ``seconds`` altogether; a side it cannot prove in time keeps its domain.
    Returns ``(lo, hi)`` per requirement, None for a side left unproven."""
    proven: dict[int, tuple[int | None, int | None]] = {}
    counts = rota.first_completions
    model = rota.model
    for r, count in counts.items():
        sides: list[int | None] = [None, None]
        for side in (0, 1):
            if flag.interrupted:
                break
            model.clear_objective()
            if side:
                model.maximize(count)
            else:
                model.minimize(count)
            solver = new_solver(seconds / (2 * len(counts)), workers, seed)
            solver.parameters.linearization_level = 2
            if workers == 2 and settings.lp_subsolvers:
                solver.parameters.subsolvers.extend(settings.lp_subsolvers)
            if run_solver(solver, model, None, flag) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                continue
            if side:
                most = math.floor(solver.best_objective_bound + 1e-6)
                model.add(count <= most)
                sides[side] = most
            else:
                fewest = math.ceil(solver.best_objective_bound - 1e-6)
                model.add(count >= fewest)
                sides[side] = fewest
        proven[r] = (sides[0], sides[1])
    model.clear_objective()
    return proven
