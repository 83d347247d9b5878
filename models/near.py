"""Near misses: a name that is probably a typo of another ("did you mean")."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[\s_\-]+")
# Numbers, Chinese numerals and single letters standing alone (team-a, 班组A) tell
# numbered names apart; names that differ only there are not typos of each other.
_NUMBERING = re.compile(r"\d+|[一二三四五六七八九十百千零〇两]+|(?<![a-z])[a-z](?![a-z])")


class Names:
    """A set of names to find near misses in, indexed once for many look-ups.

    Close means: the same but for case, separators and a plural (``ID`` and ``id``,
    ``Branch-Secretary`` and ``branch_secretary``, ``unit`` and ``units``), or one edit
    away (two for words of eight letters or more), an edit being a letter added, dropped,
    changed or two neighbours swapped. Two words of three letters or fewer must match but
    for case, separators and plural, and names that differ only in their numbering
    (``U01`` and ``U02``, ``ROT-2604`` and ``ROT-2605``, ``运维一班`` and ``运维二班``,
    ``team-a`` and ``team-b``) are never close: numbered names are not typos of each other.
    """

    def __init__(self, names: Iterable[str]):
        self._by_normal: dict[str, str] = {}
        self._by_length: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
        for name in sorted(set(names)):
            normal = _normal(name)
            self._by_normal.setdefault(normal, name)
            self._by_length[len(normal)].append((name, normal, _NUMBERING.sub("#", normal)))

    def near(self, word: str) -> str | None:
        """The name ``word`` is most likely a typo of, or None when none is close."""
        key = _normal(word)
        same = self._by_normal.get(key)
        if same is not None and same != word:
            return same
        skeleton = _NUMBERING.sub("#", key)
        best: tuple[int, str] | None = None
        for length in range(len(key) - 2, len(key) + 3):
            for name, normal, other_skeleton in self._by_length.get(length, ()):
                if name == word or other_skeleton == skeleton or normal == key:
                    continue
                if min(len(key), length) < 3 or max(len(key), length) < 4:
                    continue
                allowed = 2 if min(len(key), length) >= 8 else 1
                distance = _edits(key, normal, allowed)
                if distance <= allowed and (best is None or (distance, name) < best):
                    best = (distance, name)
        return None if best is None else best[1]


def near_miss(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``word`` is most likely a typo of (see ``Names``), or None."""
    return Names(candidates).near(word)


def _normal(word: str) -> str:
    """Lower case, one kind of separator, and singular (``categories`` as ``category``)."""
    word = _SEPARATORS.sub("_", word.strip().casefold())
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _edits(a: str, b: str, cap: int) -> int:
    """Optimal string alignment distance of ``a`` and ``b``, or ``cap + 1`` when above ``cap``."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    previous: list[int] = []
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        before, previous, row = previous, row, [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            row[j] = min(
                previous[j] + 1,
                row[j - 1] + 1,
                previous[j - 1] + (ca != cb),
            )
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], before[j - 2] + 1)
        if min(row) > cap:
            return cap + 1
    return row[-1]
