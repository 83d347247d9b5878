"""The array lookups over pairs answer as the dictionaries they replace would."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from solver.engine.pair_lookup import PairIndex, PairWindows


def _random_pairs(seed: int, members: int = 40, sessions: int = 25):
    rng = np.random.default_rng(seed)
    chosen = rng.random((members, sessions)) < 0.3
    pair_member, pair_session = np.nonzero(chosen)
    order = rng.permutation(len(pair_member))  # pairs in no particular order, as the engine's
    return pair_member[order], pair_session[order], members, sessions


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_pair_index_finds_every_pair_and_nothing_else(seed):
    pair_member, pair_session, members, sessions = _random_pairs(seed)
    index = PairIndex(pair_member, pair_session, sessions)
    expected = {
        (int(m), int(s)): p for p, (m, s) in enumerate(zip(pair_member, pair_session, strict=True))
    }
    assert len(index) == len(expected)
    for m in range(-1, members + 1):
        for s in range(-1, sessions + 1):
            assert index.get((m, s)) == expected.get((m, s))
            assert ((m, s) in index) == ((m, s) in expected)
    some = next(iter(expected))
    assert index[some] == expected[some]
    with pytest.raises(KeyError):
        index[(members + 5, 0)]
    assert "not a pair" not in index


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_windows_of_each_pair_are_those_that_list_it(seed):
    rng = np.random.default_rng(seed)
    num_pairs, num_windows = 60, 15
    window_of, pairs, credit = [], [], []
    for w in range(num_windows):
        served = rng.choice(num_pairs, size=int(rng.integers(0, 12)), replace=False)
        window_of += [w] * len(served)
        pairs += served.tolist()
        credit += rng.integers(1, 5, size=len(served)).tolist()
    weight = rng.integers(1, 10, size=num_windows)
    scale = rng.integers(1, 3, size=num_windows)
    lookup = PairWindows(
        num_pairs,
        np.array(window_of, dtype=np.int64),
        np.array(pairs, dtype=np.int64),
        np.array(credit, dtype=np.int64),
        weight,
        scale,
    )
    expected: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    for w, p, c in zip(window_of, pairs, credit, strict=True):
        expected[p].append((w, c, int(weight[w]), int(scale[w])))
    for p in range(num_pairs):
        found = [
            (w, lookup.credit[i], lookup.weight[w], lookup.scale[w])
            for i in lookup.entries(p)
            for w in [lookup.window[i]]
        ]
        assert found == sorted(expected[p])
    wanted = rng.random(num_windows) < 0.4
    asked = rng.permutation(num_pairs)[:30]
    assert lookup.serving(asked, wanted).tolist() == [
        any(wanted[w] for w, *_ in expected[int(p)]) for p in asked
    ]
    assert lookup.serving(np.zeros(0, dtype=np.int64), wanted).tolist() == []
