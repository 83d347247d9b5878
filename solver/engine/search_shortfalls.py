"""The neighbourhood search's bookkeeping of the plan: each window's shortfall, kept
current move by move, and the blocks the block bound proved at their least."""

from __future__ import annotations

import numpy as np

from .instance import Instance, scaled_shortfall


class Shortfalls:
    """The current plan, a boolean per eligible pair, with each window's shortfall under it.

    The shortfalls are counted once and then recounted only for the windows of the members
    a move changed: at province size a full count passes over millions of window credits.
    """

    def __init__(self, instance: Instance, taken: np.ndarray):
        self.instance = instance
        self._short: np.ndarray | None = None
        self.taken = taken
        self.weight = np.array([w.weight for w in instance.windows], dtype=np.int64)
        self._need = np.array([w.need for w in instance.windows], dtype=np.int64)
        self._scale = np.array([w.hours_scale for w in instance.windows], dtype=np.int64)
        self.settle([])

    def replace(self, taken: np.ndarray, members: np.ndarray) -> None:
        """Take a plan that differs from the current one only in ``members``' pairs; their
        windows' shortfalls are recounted, the rest kept (a full count passes over every
        window credit, which at province size costs more than the move)."""
        short = self._short
        self.taken = taken
        if short is None:
            return
        instance = self.instance
        windows = np.array(instance.windows_of_members(members), dtype=np.int64)
        served = np.array(
            [
                int((instance.windows[w].credit * taken[instance.windows[w].pairs]).sum())
                for w in windows.tolist()
            ],
            dtype=np.int64,
        )
        short = short.copy()
        short[windows] = self._short_of(windows, served)
        self._short = short

    def settle(self, blocks: list[tuple[np.ndarray, int]]) -> None:
        """Blocks of windows with the least weighted shortfall any plan leaves on them
        (``solver.engine.bound``). While the plan sits at that value on a block, no move can gain
        there, so moves are centred on the other unmet windows. May be called from another
        thread: the blocks are replaced in one assignment."""
        windows = [w for w, _ in blocks]
        self.settled = (
            np.concatenate(windows) if windows else np.zeros(0, dtype=np.int64),
            np.repeat(np.arange(len(blocks)), [len(w) for w in windows]),
            np.array([value for _, value in blocks], dtype=np.int64),
        )

    def open_windows(self) -> np.ndarray:
        """The unmet windows a move may still gain on: outside every block whose shortfall
        is already down to its proven least (all unmet windows when every one is)."""
        short = self.weighted_shortfalls()
        unmet = short > 0
        windows, block, least = self.settled
        if len(least):
            on_block = np.bincount(block, weights=short[windows], minlength=len(least))
            at_least = on_block <= least
            open_ = unmet.copy()
            open_[windows[at_least[block]]] = False
            if open_.any():
                return np.flatnonzero(open_)
        return np.flatnonzero(unmet)

    def shortfalls(self) -> np.ndarray:
        """Each window's shortfall under the current plan, in the requirement's units."""
        # Kept until the plan changes: a move reads it two or three times, and at province
        # size each count passes over millions of window credits.
        if self._short is None:
            self._short = self._short_of(slice(None), self.instance.served(self._taken))
        return self._short

    def _short_of(self, windows: slice | np.ndarray, served: np.ndarray) -> np.ndarray:
        """Shortfalls of ``windows`` given what they are served (``scaled_shortfall``: the
        domain's ``window_shortfall`` in the engine's whole units, for many windows at once)."""
        return scaled_shortfall(self._need[windows], served, self._scale[windows])

    def weighted_shortfalls(self) -> np.ndarray:
        """Each window's part of ``unmet`` under the current plan."""
        return self.shortfalls() * self.weight

    @property
    def taken(self) -> np.ndarray:
        """The current plan, a boolean per eligible pair; assign a new array to change it."""
        return self._taken

    @taken.setter
    def taken(self, value: np.ndarray) -> None:
        self._taken = value
        self._short = None
