"""The child process that proves the ``unmet`` bound beside the search
(``solver.engine.bound_child`` starts it with the parent's import path and its end of a
socket)."""

from __future__ import annotations

import os
import signal
from multiprocessing.connection import Connection

from .bound_child import CHILD_NICENESS, prove_in_child


def main(descriptor: int) -> None:
    # Ctrl-C is the parent's to handle; the parent ends this process when its stage is over.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The search's plan comes first: the child takes what the search leaves of the cores.
    os.nice(CHILD_NICENESS)
    prove_in_child(Connection(descriptor))
