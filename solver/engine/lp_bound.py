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

import multiprocessing
import signal
import tempfile
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np

from models import Scenario

from .instance_build import build_instance
from .lp_relaxation import INFINITE, integer_bound, lp_lower_bound, relaxation_of
from .model import RotaModel


@dataclass
class RelaxationRun:
    """The child process proving the relaxation's bound, and the line to it."""

    process: Any  # multiprocessing's process of the spawn context
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
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def start_relaxation(scenario: Scenario, deadline: float) -> RelaxationRun | None:
    """Start proving the relaxation's bound in a child process; it must end by
    ``deadline`` (``time.monotonic()``, which the child shares). None where no child can
    be started: a daemonic process may have none (a Dask worker is one by default), and
    the search then goes on with the blocks' bound alone."""
    if multiprocessing.current_process().daemon:
        return None
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(
        target=_prove_in_child, args=(theirs, scenario, deadline), daemon=True
    )
    try:
        process.start()
    except OSError:
        ours.close()
        return None
    finally:
        theirs.close()
    return RelaxationRun(process, ours)


def _prove_in_child(connection: Connection, scenario: Scenario, deadline: float) -> None:
    """The child's work: the model's relaxation, the blocks as cuts, PDLP, the bound."""
    # Ctrl-C is the parent's to handle; it ends this process when the stage is over.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
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
