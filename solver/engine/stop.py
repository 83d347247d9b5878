"""Stopping a solve: Ctrl-C, and CP-SAT run in a thread so that Ctrl-C reaches it."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from ortools.sat.python import cp_model


@dataclass
class StopFlag:
    """State shared with the threads that run CP-SAT, so Ctrl-C can stop them."""

    stop: threading.Event = field(default_factory=threading.Event)
    running: list[cp_model.CpSolver] = field(default_factory=list)
    interrupted: bool = False

    def interrupt(self) -> None:
        self.interrupted = True
        self.stop.set()
        for solver in list(self.running):
            solver.stop_search()


@contextmanager
def stop_on_ctrl_c(flag: StopFlag) -> Iterator[None]:
    """Ctrl-C stops the search and keeps the best plan; a second Ctrl-C stops at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        if flag.interrupted:
            raise KeyboardInterrupt
        flag.interrupt()

    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def new_solver(budget: float, workers: int, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, budget)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.catch_sigint_signal = False
    return solver


def run_solver(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    watcher: cp_model.CpSolverSolutionCallback | None,
    flag: StopFlag,
) -> cp_model.CpSolverStatus:
    """Run CP-SAT in a thread and wait on an event, so Ctrl-C reaches us and stops it
    cleanly; a solve started after Ctrl-C is not run at all (UNKNOWN)."""
    if flag.interrupted:
        return cp_model.UNKNOWN
    outcome: list[cp_model.CpSolverStatus] = []
    failed: list[BaseException] = []
    done = threading.Event()

    def work() -> None:
        try:
            outcome.append(solver.solve(model, watcher))
        except BaseException as error:  # raised again in the caller's thread below
            failed.append(error)
        finally:
            done.set()

    flag.running.append(solver)
    threading.Thread(target=work, daemon=True).start()
    try:
        while not done.wait(0.1):
            # Ctrl-C stops the solvers running when it comes; one that was about to start
            # (between the check above and its search) would miss it and run its whole
            # budget: on 300 members, 30 s of an attendance stage after Ctrl-C.
            if flag.interrupted:
                solver.stop_search()
    except KeyboardInterrupt:
        flag.interrupted = True
        solver.stop_search()
        done.wait()
    finally:
        flag.running.remove(solver)
    if failed:
        # A fault in the solve (a progress receiver's, say) is the caller's to see, not
        # a solve that found nothing.
        raise failed[0]
    return outcome[0] if outcome else cp_model.UNKNOWN


def seconds_run(solver: cp_model.CpSolver) -> float:
    """The seconds the solver's last solve took: 0 when ``run_solver`` did not run it
    because Ctrl-C came first (CP-SAT then holds no response to read)."""
    try:
        return float(solver.wall_time)
    except RuntimeError:  # solve() never called
        return 0.0
