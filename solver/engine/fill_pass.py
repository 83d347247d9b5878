"""The search's fill passes: every session that serves an unmet window and fits, added
without a solve.

Moves of the neighbourhood search leave such openings behind (a seat freed, a cap no
longer used). A pass counts what the plan uses (seats, caps, days, hours) and serves the
short windows greedily (``solver.engine.constructor``); sessions that run are never
cancelled, so the plan keeps every rule. The counts are kept from one pass to the next and
brought up to date with what changed between them: counted afresh, they cost a
20,000-member plan (750,000 attendances) 3 s a pass, 44 % of a minute's search.
"""

from __future__ import annotations

import numpy as np

from .constructor import Constructor, serve_until_settled
from .instance import Instance


class Filler:
    """Fill passes over one instance, the plan's counts kept between them."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self._builder: Constructor | None = None
        self._counted = np.zeros(instance.num_pairs, dtype=bool)  # what the counts hold

    def fill(self, taken: np.ndarray) -> np.ndarray:
        """The plan ``taken`` with every session added that serves an unmet window and fits."""
        builder = self._counts(taken)
        builder.banned.clear()
        builder.forget_first_completions()
        running = {s for s, present in enumerate(builder.loads.attendees) if present}
        serve_until_settled(builder, keep_running=running)
        filled = np.zeros(len(taken), dtype=bool)
        filled[np.fromiter(builder.chosen, dtype=np.int64, count=len(builder.chosen))] = True
        self._counted = filled.copy()
        return filled

    def _counts(self, taken: np.ndarray) -> Constructor:
        """The counts of ``taken``: those of the last pass, less what left the plan since,
        plus what joined it."""
        instance = self.instance
        if self._builder is None:
            self._builder = Constructor(instance)
        builder = self._builder
        changed = np.flatnonzero(taken != self._counted)
        for p in changed[self._counted[changed]].tolist():
            builder.remove([int(instance.pair_member[p])], int(instance.pair_session[p]))
        for p in changed[taken[changed]].tolist():
            builder.add([int(instance.pair_member[p])], int(instance.pair_session[p]))
        self._counted = taken.copy()
        return builder
