"""The child process that proves the relaxation's bound (``solver.engine.lp_bound``
starts it with the parent's import path and its end of a socket)."""

from __future__ import annotations

import signal
from multiprocessing.connection import Connection

from .lp_bound import prove_in_child


def main(descriptor: int) -> None:
    # Ctrl-C is the parent's to handle; the parent ends this process when its stage is over.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    prove_in_child(Connection(descriptor))
