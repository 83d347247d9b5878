"""Lookups over the eligible pairs kept as sorted arrays, not Python dictionaries.

At province size a dictionary entry per pair is most of the solve's memory: on a
generated company of 20,000 members with small classes (3.4 million pairs) the pair
index by (member, session) took 700 MB and the windows of each pair 1,030 MB, against
470 MB for the whole instance without them. The arrays below hold the same in about
30 bytes a pair.
"""

from __future__ import annotations

from array import array

import numpy as np


class PairIndex:
    """The pair of a (member, session), read like a dictionary: ``index[(m, s)]``,
    ``(m, s) in index``, ``index.get((m, s))``."""

    def __init__(self, pair_member: np.ndarray, pair_session: np.ndarray, sessions: int):
        self._sessions = max(1, sessions)
        keys = pair_member.astype(np.int64) * self._sessions + pair_session.astype(np.int64)
        self._order = np.argsort(keys, kind="stable")
        self._keys = keys[self._order]

    def __len__(self) -> int:
        return len(self._keys)

    def get(self, key: tuple[int, int], default: int | None = None) -> int | None:
        m, s = key
        if not (0 <= s < self._sessions) or m < 0:
            return default
        wanted = m * self._sessions + s
        at = int(self._keys.searchsorted(wanted))
        if at < len(self._keys) and self._keys[at] == wanted:
            return int(self._order[at])
        return default

    def __getitem__(self, key: tuple[int, int]) -> int:
        pair = self.get(key)
        if pair is None:
            raise KeyError(key)
        return pair

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and len(key) == 2 and self.get(key) is not None


class PairWindows:
    """For each pair, the windows it serves that need something and the pair's credit
    there, as flat arrays sorted by pair (and by window within a pair): the entries of pair
    ``p`` are ``entries(p)`` of ``window`` and ``credit``; each window's weight and hours
    scale are ``weight[w]`` and ``scale[w]``.

    The flat arrays are ``array.array``s: the constructor reads them an entry at a time in
    its innermost loop, where indexing an ``array.array`` costs a tenth of indexing NumPy.
    """

    def __init__(
        self,
        num_pairs: int,
        window_of: np.ndarray,
        pairs: np.ndarray,
        credit: np.ndarray,
        weight: np.ndarray,
        scale: np.ndarray,
    ):
        """``window_of``, ``pairs``, ``credit``: one entry per (window, pair) served;
        ``weight`` and ``scale``: one per window."""
        order = np.lexsort((window_of, pairs))
        counts = np.bincount(pairs, minlength=num_pairs)
        starts = np.zeros(num_pairs + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        self.start = _packed(starts)
        self.window = _packed(window_of[order])
        self.credit = _packed(credit[order])
        # NumPy: the constructor reads them for a window's candidates at once.
        self.weight = np.asarray(weight, dtype=np.int64)
        self.scale = np.asarray(scale, dtype=np.int64)

    def entries(self, p: int) -> range:
        """The positions of pair ``p``'s windows in ``window`` and ``credit``."""
        return range(self.start[p], self.start[p + 1])

    def gathered(self, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every entry of ``pairs``, in their order and in entry order within a pair: the
        position in ``pairs`` it belongs to, its window and its credit (NumPy arrays)."""
        pairs = np.asarray(pairs, dtype=np.int64)
        start = np.frombuffer(self.start, dtype=np.int64)
        starts, ends = start[pairs], start[pairs + 1]
        lengths = ends - starts
        entries = int(lengths.sum())
        owner = np.repeat(np.arange(len(pairs)), lengths)
        positions = np.arange(entries) - np.repeat(np.cumsum(lengths) - lengths - starts, lengths)
        windows = np.frombuffer(self.window, dtype=np.int64)[positions]
        credits = np.frombuffer(self.credit, dtype=np.int64)[positions]
        return owner, windows, credits

    def serving(self, pairs: np.ndarray, wanted: np.ndarray) -> np.ndarray:
        """For each of ``pairs``, whether it serves some window where ``wanted`` (a
        boolean per window) is true."""
        owner, windows, _ = self.gathered(pairs)
        return np.bincount(owner, weights=wanted[windows], minlength=len(pairs)) > 0


def _packed(values: np.ndarray) -> array:
    """Whole numbers as a compact ``array.array`` of 64-bit integers."""
    packed = array("q")
    packed.frombytes(np.ascontiguousarray(values, dtype=np.int64).tobytes())
    return packed
