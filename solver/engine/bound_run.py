"""The bound a search stage proves beside the search, in a thread: block by block for
``unmet`` (``solver.engine.bound``, proven in the bound's child process where there is
one, ``solver.engine.bound_child``), then on the whole model when there is one."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from .bound import BlockBound, block_bound
from .bound_child import BoundChild, start_child
from .model import RotaModel
from .options import SolveOptions
from .search import NeighbourhoodSearch
from .stop import StopFlag, new_solver


@dataclass
class BoundRun:
    """The whole model minimising the stage's term in a thread: a bound, maybe a better plan."""

    solver: cp_model.CpSolver
    thread: threading.Thread
    done: threading.Event
    status: list[cp_model.CpSolverStatus] = field(default_factory=list)
    live_bound: list[float] = field(default_factory=list)
    blocks: list[int] = field(default_factory=list)  # the block bound, once proven
    halt: threading.Event = field(default_factory=threading.Event)
    proof: list[BlockBound] = field(default_factory=list)
    proven: threading.Event = field(default_factory=threading.Event)  # the blocks are in
    # The blocks, then the whole model's relaxation with them as cuts, in a child process.
    child: BoundChild | None = None

    def settled(self, wait: float, flag: StopFlag) -> list[tuple[np.ndarray, int]] | None:
        """The blocks at their least, for the search to steer by; waits up to ``wait``
        seconds for the block bound (None when it is not in by then, or proved none)."""
        until = time.monotonic() + wait
        while not self.proven.wait(0.05):
            if time.monotonic() >= until or flag.stop.is_set():
                return None
        return self.proof[0].blocks if self.proof else []


def start_bound(
    rota: RotaModel | None,
    term: str,
    neighbourhoods: NeighbourhoodSearch,
    budget: float,
    options: SolveOptions,
    flag: StopFlag,
) -> BoundRun | None:
    """Prove the stage's bound in a thread: for ``unmet`` block by block first (see
    ``solver.bound``; in the bound's child process, with the relaxation after them, up
    to ``relaxation_pairs``), then on the whole model when there is one."""
    blocks = term == "unmet"
    if (
        blocks
        and rota is not None
        and rota.instance.num_pairs > options.settings.strong_bound_pairs
    ):
        # Without the full linearisation the whole model proves far less than the blocks
        # do (a window that needs one completion is a clause, out of its LP), and its
        # thread is worth more to the search.
        rota = None
    if rota is None and not blocks:
        return None
    solver = new_solver(budget, max(1, options.threads - 1), options.seed)
    short = neighbourhoods.weighted_shortfalls() if blocks else None
    child = None
    if short is not None and neighbourhoods.instance.num_pairs <= options.settings.relaxation_pairs:
        child = start_child(
            neighbourhoods.instance.scenario, short, time.monotonic() + budget, options.settings
        )
    if rota is not None and rota.instance.num_pairs <= options.settings.strong_bound_pairs:
        # The full linear relaxation proves much better bounds; on large models its root
        # takes longer than a stage, so there the default relaxation is used.
        solver.parameters.linearization_level = 2
    done = threading.Event()
    run = BoundRun(solver, threading.Thread(), done, child=child)
    # The bound as CP-SAT proves it, for the live display while the search runs.
    solver.best_bound_callback = run.live_bound.append
    deadline = time.monotonic() + budget

    def halted() -> bool:
        return run.halt.is_set() or flag.stop.is_set()

    def work() -> None:
        try:
            if short is not None:
                proof = run.child.blocks(halted) if run.child is not None else None
                if proof is None and not halted():
                    # No child, or it ended without its blocks: proven here.
                    proof = block_bound(
                        neighbourhoods.instance,
                        short,
                        deadline,
                        stop=halted,
                        settings=options.settings,
                    )
                if proof is not None:
                    run.blocks.append(proof.value)
                    run.proof.append(proof)
                # Blocks already at their least are no place for moves: measured on the
                # shipped company, 433 after 30 s of search instead of 473-479. The
                # search takes them at a fixed move (``NeighbourhoodSearch.run``).
                run.proven.set()
            if rota is not None and not halted() and time.monotonic() < deadline - 0.1:
                solver.parameters.max_time_in_seconds = deadline - time.monotonic()
                run.status.append(solver.solve(rota.model))
        finally:
            run.proven.set()
            done.set()

    run.thread = threading.Thread(target=work, daemon=True)
    flag.running.append(solver)
    run.thread.start()
    return run


def end_bound(run: BoundRun, flag: StopFlag) -> None:
    """Stop the bound's thread and wait for it, and end the bound's child; what they
    proved stays readable (``bound_of``)."""
    run.halt.set()
    # Asked again until the thread ends: a whole-model solve that started just after the
    # first request would not have heard it.
    while not run.done.wait(0.05):
        run.solver.stop_search()
    if run.solver in flag.running:
        flag.running.remove(run.solver)
    if run.child is not None:
        run.child.stop()
        if not run.blocks and run.child.proof is not None:
            # In after the thread stopped waiting for them: they still hold.
            run.blocks.append(run.child.proof.value)


def bound_of(run: BoundRun) -> int | None:
    """The best bound proven so far (the blocks' or the whole model's), or None."""
    bounds = list(run.blocks)
    relaxed = run.child.poll() if run.child is not None else None
    if relaxed is not None:
        bounds.append(relaxed)
    finished = run.done.is_set() and bool(run.status)
    if finished and run.status[0] != cp_model.INFEASIBLE:
        # Stopped before a plan of its own, CP-SAT still reports the bound it has proven.
        bounds.append(int(np.ceil(run.solver.best_objective_bound - 1e-6)))
    elif not finished and run.live_bound:
        bounds.append(int(np.ceil(max(run.live_bound) - 1e-6)))
    return max(bounds) if bounds else None


def adopt_if_better(
    rota: RotaModel, run: BoundRun, neighbourhoods: NeighbourhoodSearch, current: int
) -> None:
    """The whole model sometimes finds a better plan than the search (whose term is at
    ``current``): take it then."""
    if not run.status or run.status[0] not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return
    if round(run.solver.objective_value) < current:
        solution = run.solver.response_proto.solution
        taken = neighbourhoods.taken.copy()
        rota.decide(taken, lambda var: solution[var.index])
        neighbourhoods.taken = taken
