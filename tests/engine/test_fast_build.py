"""The first plan and the models are built in bulk (NumPy over a window's sessions, every
member row at once); each must make exactly the choices and the constraints the plain
rule, one candidate or one row at a time, makes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models import load_scenario
from models.families import FAMILIES
from models.generate import generate_scenario
from solver.engine import build_instance, construct
from solver.engine import constructor as constructor_module
from solver.engine.constructor import AWAY_DISCOUNT
from solver.engine.model import RotaModel, Scope

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial" / "scenario.yaml"


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The tutorial and small generated scenarios of families with together groups, mix
    rules, minimum sizes and tight team caps."""
    found = {"tutorial": build_instance(load_scenario(TUTORIAL))}
    for family, seed in (("small-classes", 4), ("tight-teams", 5), ("company", 6)):
        folder = tmp_path_factory.mktemp(family)
        path = generate_scenario(folder, 120, 2, seed, structure=FAMILIES[family].structure)
        found[family] = build_instance(load_scenario(path))
    return found


def _plain_best_session(builder, candidates, remaining, refused):
    """The rule itself: among the window's sessions the member (and their together group)
    may join, the least key; every candidate's worth summed window by window."""
    windows_of_pair = builder.windows_of_pair
    m = candidates.member
    best, best_key = None, None
    for s in candidates.session_list:
        p = builder.pair_of[(m, s)]
        facts = builder.facts[s]
        present = builder.loads.attendees[s]
        if m in present or len(present) >= facts.capacity or s in builder.banned:
            continue
        gain = 0.0
        for i in windows_of_pair.entries(p):
            o = windows_of_pair.window[i]
            left = int(remaining[o])
            if left > 0:
                gain += (
                    windows_of_pair.weight[o]
                    * min(windows_of_pair.credit[i], left)
                    / windows_of_pair.scale[o]
                    * (1 + builder.tightness[o])
                )
        if facts.away:
            gain *= AWAY_DISCOUNT
        balance = sum(builder.first_year[(r, facts.year)] for r in builder.balanced_of_session[s])
        key = (
            -gain,
            facts.away,
            balance,
            -len(present) if facts.min_size > 1 else 0,
            len(present) / facts.capacity,
            s,
        )
        if best_key is not None and key >= best_key:
            continue
        if builder.group_fits(builder.group_of(m, s), s):
            best, best_key = (m, s), key
    return best


@pytest.mark.parametrize("scarcity", [False, True])
def test_the_first_plan_is_the_one_the_plain_rule_builds(instances, monkeypatch, scarcity):
    for name, instance in instances.items():
        fast = construct(instance, scarcity=scarcity)
        with monkeypatch.context() as patch:
            patch.setattr(constructor_module, "_best_session", _plain_best_session)
            plain = construct(instance, scarcity=scarcity)
        assert fast == plain, name
        assert len(fast) > 0, name


def _rows_one_at_a_time(rota: RotaModel) -> None:
    """Member rules posted row by row, through ``linear`` and ``at_most_one``."""
    for m in rota.scope.members.tolist():
        for row in rota.instance.member_rows(m):
            pairs, weights = row.pairs, row.weights
            if rota.decided is not None:
                keep = rota.decided[pairs]
                pairs = pairs[keep]
                weights = None if weights is None else weights[keep]
                if (len(pairs) if weights is None else int(weights.sum())) <= row.cap:
                    continue
            if weights is None and row.cap == 1:
                rota.at_most_one(pairs)
            else:
                rota.model.add(rota.linear(pairs, weights) <= row.cap)


def _scopes(instance):
    """The whole scenario, a neighbourhood with everyone else fixed to the first plan, and
    a relaxed block over part of its members' pairs."""
    taken = np.zeros(instance.num_pairs, dtype=bool)
    taken[construct(instance)] = True
    members = np.arange(0, len(instance.scenario.members), 7)
    mine = np.isin(instance.pair_member, members)
    some = np.flatnonzero(mine)[::2]
    return [
        Scope.everyone(instance),
        Scope(members, np.flatnonzero(taken & ~mine)),
        Scope(members, relaxed=True, pairs=some),
    ]


def test_member_rows_are_posted_as_one_row_at_a_time_would(instances, monkeypatch):
    grouped = 0
    for name, instance in instances.items():
        for scope in _scopes(instance):
            bulk = RotaModel(instance, scope)
            with monkeypatch.context() as patch:
                patch.setattr(RotaModel, "_member_rules", _rows_one_at_a_time)
                plain = RotaModel(instance, scope)
            assert str(bulk.model.proto) == str(plain.model.proto), name
            grouped += len(bulk.vars.count)
    assert grouped > 0  # some rows counted a group of interchangeable pairs once
