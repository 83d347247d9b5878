"""The ``unmet`` bound's child process: the block bound, then the whole model's linear
relaxation with the blocks as cuts, proven beside the search.

The block bound (``solver.engine.bound``) proves each block apart; what ties blocks
together (a leader's days between the study group and the yearly hours, a team's cap
between its members' classes) it cannot see. The whole model's linear relaxation sees all
of it, but proves little alone: a window that needs one completion is met by halves of two
sessions. Together they prove more than either: each proven block becomes a row
``sum(weight * shortfall) >= least`` of the relaxation. On a generated company of 2,024
members whose optimum is 328 the blocks prove 319 and the relaxation alone 313; together
they prove 328, the optimum, in 4.4 s of OR-Tools' first-order LP method (PDLP).

Both run in a child process, at the lowest priority (``os.nice(19)``): building hundreds
of block models and the relaxation is Python's work, and PDLP holds Python's lock while
it runs. In the search's own process they took its lock and its cores: on a generated
company of 2,024 members with small classes (seed 1, a 60 s solve) the search made 79
moves in its 42 s ``unmet`` stage with the blocks in a thread; with them in the child,
123-138 (162 with no bound at all), and unmet 346-384 instead of 417-636. The child
builds the instance from the scenario, proves the blocks and sends them (the search
steers by them), then solves the relaxation and sends its bound.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

from models import Scenario

from .bound import BlockBound, block_bound
from .instance_build import build_instance
from .lp_relaxation import INFINITE, integer_bound, lp_lower_bound, relaxation_of
from .model import RotaModel
from .settings import EngineSettings

# The child's priority below the search's (``os.nice``): the plan comes first.
CHILD_NICENESS = 19
# Seconds before the stage's deadline by which the relaxation's bound is sent.
SENDING_MARGIN = 1.0


@dataclass
class BoundChild:
    """The child process proving the blocks and the relaxation's bound, and the line to it.

    Its two messages, in order: ``("blocks", BlockBound)``, then ``("relaxation", int)``.
    Read from two threads (the bound's thread waits for the blocks, the search's asks for
    the bound), so reading is locked."""

    process: subprocess.Popen[bytes]
    connection: Connection
    proof: BlockBound | None = None
    bound: int | None = None
    done: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _receive(self, wait: float = 0.0) -> None:
        """Take what the child has sent, waiting up to ``wait`` seconds for a message."""
        if wait > 0 and not self.done:
            # Waited for outside the lock: the search asks for the bound between its
            # moves and must not wait for the bound's thread.
            with contextlib.suppress(EOFError, OSError):
                self.connection.poll(wait)
        with self.lock:
            if self.done:
                return
            try:
                while self.connection.poll():
                    kind, value = self.connection.recv()
                    if kind == "blocks":
                        self.proof = value
                    else:
                        self.bound = value
                        self.done = True
                        return
            except (EOFError, OSError, pickle.UnpicklingError):
                self.done = True
            except BaseException:
                # Ctrl-C in the middle of a message: the line is out of step for good.
                self.done = True
                raise

    def blocks(self, halted: Callable[[], bool]) -> BlockBound | None:
        """The block bound once the child has sent it; None when ``halted()`` comes first
        or the child ended without it."""
        while True:
            self._receive(0.05)
            if self.proof is not None or self.done or halted():
                return self.proof

    def poll(self) -> int | None:
        """The relaxation's bound once the child has sent it (None until then, or if it
        failed)."""
        self._receive()
        return self.bound

    def stop(self) -> None:
        """End the child, finished or not."""
        self.poll()
        with self.lock:
            self.done = True
            _end(self.process)
            self.connection.close()

    def _send(self, message: object) -> None:
        """Hand the child its work; a line that breaks, or a message that cannot be
        pickled, ends the child (the search then proves the blocks itself)."""
        try:
            self.connection.send(message)
        except Exception:
            with self.lock:
                self.done = True
                _end(self.process)


def start_child(
    scenario: Scenario, short: np.ndarray, deadline: float, settings: EngineSettings
) -> BoundChild | None:
    """Start proving the bound of the plan whose windows fall ``short`` (each window's
    weighted shortfall) in a child process; it must end by ``deadline``
    (``time.monotonic()``, which the child shares). None where no child can be started:
    the search then proves the blocks in a thread of its own, without the relaxation.

    The child is a fresh interpreter running ``solver.engine.bound_child_main``, not one of
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
    child = BoundChild(process, Connection(ours.detach()))
    # Ended with the run, or when the interpreter exits (an exception that never reached
    # ``stop``): PDLP alone would otherwise run on to the deadline.
    weakref.finalize(child, _end, process)
    # Sent from a thread: a company's scenario is larger than the socket's buffer, and the
    # search would wait for the child to start and read it (about a second).
    message = (scenario, np.array(short), deadline, settings)
    threading.Thread(target=child._send, args=(message,), daemon=True).start()
    return child


def relaxation_seconds(deadline: float) -> float:
    """The seconds PDLP may take: up to ``SENDING_MARGIN`` before the stage's deadline, so
    that a solve cut short by its limit still sends what its duals prove before the
    parent ends the child at the deadline (at the lowest priority, it is often cut short)."""
    return deadline - time.monotonic() - SENDING_MARGIN


def _child_code(descriptor: int) -> str:
    """The child's program: the parent's import path exactly (its current folder named,
    a library caller's additions kept, nothing from the folder the child starts in), then
    ``solver.engine.bound_child_main``."""
    paths = [p or os.getcwd() for p in sys.path]
    return (
        f"import sys; sys.path[:] = {paths!r}; "
        f"from solver.engine.bound_child_main import main; main({descriptor})"
    )


def _end(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait()


def prove_in_child(connection: Connection) -> None:
    """The child's work: the scenario, the blocks (sent), the model's relaxation with the
    blocks as cuts, PDLP, the bound (sent)."""
    try:
        scenario, short, deadline, settings = connection.recv()
        instance = build_instance(scenario)
        proof = block_bound(instance, short, deadline, settings=settings)
        connection.send(("blocks", proof))
        if time.monotonic() >= deadline:
            return
        rota = RotaModel(instance, terms=["unmet"])
        rota.model.minimize(rota.terms["unmet"])
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "model.pb"
            rota.model.export_to_file(str(path))
            relaxation = relaxation_of(path.read_bytes())
        rows, least = [], []
        for windows, value in proof.blocks:
            # A window without a shortfall variable needs nothing: its shortfall is 0,
            # so leaving it out of the row changes nothing.
            chosen = [int(w) for w in windows if int(w) in rota.vars.shortfall]
            columns = np.array([rota.vars.shortfall[w].index for w in chosen], dtype=np.int64)
            weights = np.array([instance.windows[w].weight for w in chosen], dtype=float)
            rows.append((columns, weights))
            least.append(float(value))
        relaxation.add_rows(rows, np.array(least), np.full(len(least), 2 * INFINITE))
        seconds = relaxation_seconds(deadline)
        if seconds > 0.1:
            connection.send(("relaxation", integer_bound(lp_lower_bound(relaxation, seconds))))
    except (EOFError, OSError):
        pass  # the parent ended the stage, and the line with it
    finally:
        connection.close()
