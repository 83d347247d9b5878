"""Near misses: a name that is probably a typo of another ("did you mean")."""

from __future__ import annotations

import re
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[\s_\-]+")
_DIGITS = re.compile(r"\d+")


def near_miss(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``word`` is most likely a typo of, or None when none is close.

    Close means: the same but for case and separators (``ID`` and ``id``,
    ``Branch-Secretary`` and ``branch_secretary``, ``unit`` and ``units``), or one edit away (two for words of
    eight letters or more), an edit being a letter added, dropped, changed or two
    neighbours swapped. Two words of three letters or fewer must match but for case and
    separators, and words that differ only in their numbers (``U01`` and ``U02``,
    ``ROT-2604`` and ``ROT-2605``) are never close: numbered names are not typos of
    each other.
    """
    best: tuple[int, str] | None = None
    key = _normal(word)
    for candidate in candidates:
        if candidate == word:
            continue
        other = _normal(candidate)
        if other == key:
            distance = 0
        elif (
            min(len(key), len(other)) < 3
            or max(len(key), len(other)) < 4
            or _DIGITS.sub("#", key) == _DIGITS.sub("#", other)
        ):
            continue
        else:
            allowed = 2 if min(len(key), len(other)) >= 8 else 1
            distance = _edits(key, other, allowed)
            if distance > allowed:
                continue
        if best is None or (distance, candidate) < best:
            best = (distance, candidate)
    return None if best is None else best[1]


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
