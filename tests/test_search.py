"""The neighbourhood search: moves keep every rule and never worsen the term, and what it
reads about the plan follows the plan."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from checker import check_plan
from models import load_scenario
from solver.construct import construct
from solver.instance import build_instance
from solver.search import NeighbourhoodSearch

TUTORIAL = Path(__file__).resolve().parents[1] / "scenarios" / "tutorial" / "scenario.yaml"


def _pairs(instance, taken):
    scenario = instance.scenario
    return [
        (
            scenario.members[int(instance.pair_member[p])].id,
            scenario.sessions[int(instance.pair_session[p])].id,
        )
        for p in np.flatnonzero(taken)
    ]


def _constructed(instance):
    taken = np.zeros(instance.num_pairs, dtype=bool)
    taken[construct(instance)] = True
    return taken


def test_shortfalls_follow_the_plan():
    instance = build_instance(load_scenario(TUTORIAL))
    search = NeighbourhoodSearch(instance, _constructed(instance))
    planned = search.weighted_shortfalls().sum()
    search.taken = np.zeros(instance.num_pairs, dtype=bool)
    nothing = search.weighted_shortfalls().sum()
    assert nothing == sum(w.weight * w.max_shortfall for w in instance.windows)
    assert nothing > planned


def test_search_improves_and_keeps_every_rule():
    scenario = load_scenario(TUTORIAL)
    instance = build_instance(scenario)
    search = NeighbourhoodSearch(instance, _constructed(instance), workers=1, seed=3)
    before = int(search.weighted_shortfalls().sum())
    gains: list[int] = []
    search.run("unmet", time.monotonic() + 3, on_improve=gains.append)
    after = int(search.weighted_shortfalls().sum())
    report = check_plan(scenario, _pairs(instance, search.taken))
    assert report.violations == []
    assert report.objective["unmet"] == after
    assert before - after == sum(gains)
    assert after <= before
