"""The whole model's linear relaxation with the blocks as cuts: a bound on ``unmet`` at
company size, proven in a process of its own beside the search.

The block bound (``solver.engine.bound``) proves each block apart; what ties blocks
together (a leader's days between the study group and the yearly hours, a team's cap
between its members' classes) it cannot see. The whole model's linear relaxation sees all
of it, but proves little alone: a window that needs one completion is met by halves of two
sessions. Together they prove more than either: each proven block becomes a row
``sum(weight * shortfall) >= least`` of the relaxation. On a generated company of 2,024
members whose optimum is 328 the blocks prove 319 and the relaxation alone 313; together
they prove 328, the optimum, in 4.4 s of OR-Tools' first-order LP method (PDLP).

CP-SAT's own relaxation of that model took 80 s to solve. PDLP holds Python's lock
while it runs, and building the relaxation is Python's work too, so the whole of it runs
in a child process: it builds the instance and the model from the scenario, waits for the
blocks, solves and sends back its bound. The search goes on meanwhile.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import weakref
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

from models import Scenario

from .instance_build import build_instance
from .lp_relaxation import INFINITE, integer_bound, lp_lower_bound, relaxation_of
from .model import RotaModel


@dataclass
class RelaxationRun:
    """The child process proving the relaxation's bound, and the line to it."""

    process: subprocess.Popen[bytes]
    connection: Connection
    bound: int | None = None
    sent: bool = False
    done: bool = False
    seconds: float = 0.0
    started: float = field(default_factory=time.monotonic)

    def send_blocks(self, blocks: list[tuple[np.ndarray, int]]) -> None:
        """Hand the proven blocks over: the relaxation is solved with them as cuts."""
        if self.sent or self.done:
            return
        self.sent = True
        try:
            self.connection.send([(np.asarray(w, dtype=np.int64), int(v)) for w, v in blocks])
        except (BrokenPipeError, OSError):
            self.done = True

    def poll(self) -> int | None:
        """The bound once the child has sent it (None until then, or if it failed)."""
        if not self.done:
            try:
                if self.connection.poll():
                    self.bound = self.connection.recv()
                    self.done = True
                    self.seconds = time.monotonic() - self.started
            except (EOFError, OSError):
                self.done = True
        return self.bound

    def stop(self) -> None:
        """End the child, finished or not."""
        self.poll()
        self.done = True
        _end(self.process)
        self.connection.close()


def start_relaxation(scenario: Scenario, deadline: float) -> RelaxationRun | None:
    """Start proving the relaxation's bound in a child process; it must end by
    ``deadline`` (``time.monotonic()``, which the child shares). None where no child can
    be started: the search then goes on with the blocks' bound alone.

    The child is a fresh interpreter running ``solver.engine.lp_child``, not one of
    multiprocessing's: its "spawn" runs the caller's main script again in the child, so
    a library caller's script without an ``if __name__ == "__main__"`` guard would do its
    work twice (and fail in the child); "fork" would copy CP-SAT's running threads.
    """
    if os.name != "posix":
        return None  # the child's end of the socket is handed over as a POSIX descriptor
    ours, theirs = socket.socketpair()
    child_end = theirs.fileno()
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", _child_code(child_end)],
            pass_fds=(child_end,),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            # CP-SAT's and PDLP's own messages would reach the planner's terminal.
            stderr=subprocess.DEVNULL,
            # Ctrl-C at the terminal is the parent's to handle, not the child's.
            process_group=0,
        )
    except OSError:
        ours.close()
        return None
    finally:
        theirs.close()
    connection = Connection(ours.detach())
    try:
        connection.send((scenario, deadline))
    except (BrokenPipeError, OSError):
        _end(process)
        connection.close()
        return None
    run = RelaxationRun(process, connection)
    # Ended with the run, or when the interpreter exits (an exception that never reached
    # ``stop``): PDLP alone would otherwise run on to the deadline.
    weakref.finalize(run, _end, process)
    return run


def _child_code(descriptor: int) -> str:
    """The child's program: the parent's import path exactly (its current folder named,
    a library caller's additions kept, nothing from the folder the child starts in), then
    ``solver.engine.lp_child``."""
    paths = [p or os.getcwd() for p in sys.path]
    return (
        f"import sys; sys.path[:] = {paths!r}; "
        f"from solver.engine.lp_child import main; main({descriptor})"
    )


def _end(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait()


def prove_in_child(connection: Connection) -> None:
    """The child's work: the scenario, the model's relaxation, the blocks as cuts, PDLP,
    the bound."""
    try:
        scenario, deadline = connection.recv()
        instance = build_instance(scenario)
        rota = RotaModel(instance, terms=["unmet"])
        rota.model.minimize(rota.terms["unmet"])
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "model.pb"
            rota.model.export_to_file(str(path))
            relaxation = relaxation_of(path.read_bytes())
        while not connection.poll(0.05):
            if time.monotonic() >= deadline:
                return
        blocks = connection.recv()
        rows, least = [], []
        for windows, value in blocks:
            # A window without a shortfall variable needs nothing: its shortfall is 0,
            # so leaving it out of the row changes nothing.
            chosen = [int(w) for w in windows if int(w) in rota.vars.shortfall]
            columns = np.array([rota.vars.shortfall[w].index for w in chosen], dtype=np.int64)
            weights = np.array([instance.windows[w].weight for w in chosen], dtype=float)
            rows.append((columns, weights))
            least.append(float(value))
        relaxation.add_rows(rows, np.array(least), np.full(len(least), 2 * INFINITE))
        seconds = deadline - time.monotonic()
        if seconds > 0.1:
            connection.send(integer_bound(lp_lower_bound(relaxation, seconds)))
    except (EOFError, OSError, BrokenPipeError):
        pass
    finally:
        connection.close()
