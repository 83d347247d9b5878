"""The child process that proves the relaxation's bound (``solver.engine.lp_bound``):
``python -m solver.engine.lp_child FD``, FD its end of a socket to the parent."""

from __future__ import annotations

import signal
import sys
from multiprocessing.connection import Connection

from .lp_bound import prove_in_child

if __name__ == "__main__":
    # Ctrl-C is the parent's to handle; the parent ends this process when its stage is over.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    prove_in_child(Connection(int(sys.argv[1])))
