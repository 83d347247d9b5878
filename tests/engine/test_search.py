"""The neighbourhood search: moves keep every rule and never worsen the term, and what it
reads about the plan follows the plan."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from checker import check_plan
from models import load_scenario
from models.generate import generate_scenario
from solver.engine import NeighbourhoodSearch, build_instance, construct
from solver.engine.fill_pass import Filler

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial" / "scenario.yaml"


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


@pytest.mark.slow
def test_search_improves_and_keeps_every_rule():
    scenario = load_scenario(TUTORIAL)
    instance = build_instance(scenario)
    search = NeighbourhoodSearch(instance, _constructed(instance), seed=3)
    before = int(search.weighted_shortfalls().sum())
    gains: list[int] = []
    search.run("unmet", time.monotonic() + 3, on_improve=gains.append)
    after = int(search.weighted_shortfalls().sum())
    report = check_plan(scenario, _pairs(instance, search.taken))
    assert report.violations == []
    assert report.objective["unmet"] == after
    assert before - after == sum(gains)
    assert after <= before


def test_moves_leave_blocks_at_their_least():
    instance = build_instance(load_scenario(TUTORIAL))
    search = NeighbourhoodSearch(instance, _constructed(instance))
    short = search.weighted_shortfalls()
    unmet = np.flatnonzero(short)
    assert len(unmet) >= 2
    block = unmet[:1]
    # The plan sits at the block's proven least: moves go to the other windows.
    search.settle([(block, int(short[block].sum()))])
    assert search.open_windows().tolist() == unmet[1:].tolist()
    # Above its least, the block is open again.
    search.settle([(block, int(short[block].sum()) - 1)])
    assert search.open_windows().tolist() == unmet.tolist()
    # Every unmet window at its least: moves go anywhere rather than nowhere.
    search.settle([(unmet, int(short.sum()))])
    assert search.open_windows().tolist() == unmet.tolist()


def test_background_holds_what_a_move_reads():
    """The pairs a move counts as fixed: everything the others hold on the members'
    sessions (but those with room for all and nothing else to count) and in their teams,
    and for a term over everyone, everything."""
    instance = build_instance(load_scenario(TUTORIAL))
    taken = _constructed(instance)
    search = NeighbourhoodSearch(instance, taken)
    members = np.array([0, 1])
    others = np.flatnonzero(taken & ~np.isin(instance.pair_member, members))
    near = search.background(members, global_terms=False)
    assert set(near.tolist()) <= set(others.tolist())
    sessions = set(instance.pair_session[np.isin(instance.pair_member, members)].tolist())
    teams = {instance.member_team[m] for m in members.tolist()}
    for p in others.tolist():
        if (
            int(instance.pair_session[p]) in sessions and not search.loose[instance.pair_session[p]]
        ) or instance.member_team[int(instance.pair_member[p])] in teams:
            assert p in near
    assert search.background(members, global_terms=True).tolist() == others.tolist()


def test_a_moves_reach_is_what_another_move_could_share():
    """Moves overlap only when their reaches are disjoint: a reach names every session the
    members could attend that can fill up, and their teams."""
    instance = build_instance(load_scenario(TUTORIAL))
    search = NeighbourhoodSearch(instance, _constructed(instance))
    member = 0
    reach = search.reach(np.array([member]))
    sessions = set(instance.pair_session[instance.pairs_of_member[member]].tolist())
    assert ("team", instance.member_team[member]) in reach
    for s in sessions:
        assert (("session", s) in reach) == (not search.loose[s])
    assert {key for kind, key in reach if kind == "session"} <= sessions
    # A teammate always shares the reach, whatever sessions they could attend.
    mates = [
        m for m, team in enumerate(instance.member_team) if team == instance.member_team[member]
    ]
    for mate in mates:
        assert not search.reach(np.array([mate])).isdisjoint(reach)


def test_an_opening_move_runs_a_session_nobody_attends(scenario_dict):
    # Six members each need the course once; both sessions seat 4 and run with 3 or not
    # at all. With A-D in S1, E and F can only be served by opening S2, which takes one
    # of A-D moving with them: no move of one or two members gets there.
    scenario = load_scenario(
        scenario_dict(
            members=["A", "B", "C", "D", "E", "F"],
            courses=["c"],
            sessions=[
                {"id": "S1", "course": "c", "start": "2026-03-02", "capacity": 4, "min_size": 3},
                {"id": "S2", "course": "c", "start": "2026-09-01", "capacity": 4, "min_size": 3},
            ],
            requirements=[{"id": "need_c", "courses": ["c"], "weight": 5}],
        )
    )
    instance = build_instance(scenario)
    index = instance.pair_index()
    taken = np.zeros(instance.num_pairs, dtype=bool)
    for m in range(4):
        taken[index[(m, 0)]] = True
    search = NeighbourhoodSearch(instance, taken, seed=1)
    assert int(search.weighted_shortfalls().sum()) == 10

    members = search.pickers.opening()
    # Those S2 would serve where they are short, and enough holders of S1 to make 3.
    assert {4, 5} <= set(members.tolist())
    assert len(set(members.tolist()) & {0, 1, 2, 3}) >= 1
    assert search.move("unmet", members, time.monotonic() + 10, work=1.0) == 10
    report = check_plan(scenario, _pairs(instance, search.taken))
    assert report.violations == []
    assert report.objective["unmet"] == 0
    # Nothing is idle now that S2 runs; a session that would not open waits before
    # it is offered again.
    assert len(search.pickers.opening()) == 0
    search.taken = taken
    assert len(search.pickers.opening()) == 0
    # It is offered again once ``opening_retry`` moves have passed since its try, then
    # after twice as many.
    retry = search.settings.opening_retry
    search.pickers.moves = retry - 1
    assert len(search.pickers.opening()) == 0
    search.pickers.moves = retry
    assert {4, 5} <= set(search.pickers.opening().tolist())
    search.pickers.moves = 3 * retry - 1
    assert len(search.pickers.opening()) == 0
    search.pickers.moves = 3 * retry
    assert {4, 5} <= set(search.pickers.opening().tolist())


def test_a_requirement_move_takes_the_short_the_others_and_their_partners(scenario_dict):
    # A and B need mentoring and may only go beside their mentors X and Y, who are in
    # other units; C needs it too and holds the one seat of class S2 that A could take.
    scenario = load_scenario(
        scenario_dict(
            members=["A", "B", "C", {"id": "X", "unit": "U2"}, {"id": "Y", "unit": "U3"}],
            courses=["mentoring"],
            sessions=[
                {"id": "S1", "course": "mentoring", "start": "2026-03-02", "capacity": 4},
                {"id": "S2", "course": "mentoring", "start": "2026-09-01", "capacity": 3},
            ],
            requirements=[
                {"id": "men", "courses": ["mentoring"], "who": {"members": ["A", "B", "C"]}}
            ],
            together=[
                {"course": "mentoring", "members": ["A", "X"]},
                {"course": "mentoring", "members": ["B", "Y"]},
            ],
        )
    )
    instance = build_instance(scenario)
    index = instance.pair_index()
    taken = np.zeros(instance.num_pairs, dtype=bool)
    taken[index[(2, 1)]] = True  # C in S2
    search = NeighbourhoodSearch(instance, taken, seed=1)
    assert int(search.weighted_shortfalls().sum()) == 2

    members = search.pickers.by_requirement()
    assert set(members.tolist()) == {0, 1, 2, 3, 4}
    # Without the mentors the mentees cannot move at all.
    assert search.move("unmet", np.array([0, 1, 2]), time.monotonic() + 10, work=1.0) == 0
    assert search.move("unmet", members, time.monotonic() + 10, work=1.0) == 2
    report = check_plan(scenario, _pairs(instance, search.taken))
    assert report.violations == []
    assert report.objective["unmet"] == 0
    # Nothing is short now: no requirement to offer.
    assert len(search.pickers.by_requirement()) == 0


def test_a_requirement_tried_in_vain_waits_before_it_is_offered_again(scenario_dict):
    # Three members need a course whose one class seats two: one stays short whatever
    # moves, so after one try the requirement waits ``requirement_retry`` moves.
    scenario = load_scenario(
        scenario_dict(
            members=["A", "B", "C"],
            courses=["c"],
            sessions=[{"id": "S1", "course": "c", "start": "2026-03-02", "capacity": 2}],
            requirements=[{"id": "need_c", "courses": ["c"]}],
        )
    )
    instance = build_instance(scenario)
    taken = np.zeros(instance.num_pairs, dtype=bool)
    taken[instance.pair_index()[(0, 0)]] = True
    taken[instance.pair_index()[(1, 0)]] = True
    search = NeighbourhoodSearch(instance, taken, seed=1)
    pickers = search.pickers
    assert set(pickers.by_requirement().tolist()) == {0, 1, 2}
    assert len(pickers.by_requirement()) == 0
    pickers.moves = search.settings.requirement_retry
    assert len(pickers.by_requirement()) == 3
    # Tried twice in vain: it waits twice as long.
    pickers.moves += search.settings.requirement_retry
    assert len(pickers.by_requirement()) == 0
    pickers.moves += search.settings.requirement_retry
    assert len(pickers.by_requirement()) == 3


def _after_moves(instance, moves: int, delay: float) -> np.ndarray:
    """The plan after ``moves`` moves from the constructive plan, each loop turn slowed by
    ``delay`` seconds (as a busy machine would)."""
    search = NeighbourhoodSearch(instance, _constructed(instance), seed=5)
    turns = [0]

    def stop() -> bool:
        turns[0] += 1
        time.sleep(delay)
        return turns[0] > moves

    search.run("unmet", time.monotonic() + 120, stop=stop)
    return search.taken


def test_the_same_moves_give_the_same_plan_whatever_the_clock():
    # Moves are limited in CP-SAT's deterministic time, so a slower machine makes the same
    # moves, and a longer run only continues them.
    scenario = load_scenario(TUTORIAL)
    instance = build_instance(scenario)
    fast = _after_moves(instance, 25, 0.0)
    slow = _after_moves(instance, 25, 0.02)
    assert fast.tolist() == slow.tolist()
    assert check_plan(scenario, _pairs(instance, fast)).violations == []
    longer = _after_moves(instance, 50, 0.0)
    unmet = check_plan(scenario, _pairs(instance, fast)).objective["unmet"]
    assert check_plan(scenario, _pairs(instance, longer)).objective["unmet"] <= unmet


def test_the_block_bound_is_taken_at_fixed_moves():
    # The blocks steer the moves from a fixed move on; a bound not in by then is asked for
    # again at twice the moves, so a slow bound never stalls the search.
    instance = build_instance(load_scenario(TUTORIAL))
    search = NeighbourhoodSearch(instance, _constructed(instance), seed=2)
    settle_at = search.settings.settle_at
    short = search.weighted_shortfalls()
    block = np.flatnonzero(short)[:1]
    asked: list[int] = []

    def blocks(wait: float):
        asked.append(search.pickers.moves)
        return None if len(asked) == 1 else [(block, int(short[block].sum()))]

    turns = [0]

    def stop() -> bool:
        turns[0] += 1
        return turns[0] > 4 * settle_at

    search.run("unmet", time.monotonic() + 120, stop=stop, blocks=blocks)
    assert asked == [settle_at, 2 * settle_at]
    assert block.tolist() == search.plan.settled[0].tolist()


def test_fill_passes_that_keep_their_counts_fill_as_a_fresh_pass_does(tmp_path):
    # The search's fill passes bring their counts up to date with what changed since the
    # last pass; the plan they give must be the one a pass counting afresh gives.
    instance = build_instance(load_scenario(generate_scenario(tmp_path, 120, 2, seed=5)))
    rng = np.random.default_rng(0)
    taken = np.zeros(instance.num_pairs, dtype=bool)
    taken[construct(instance)] = True
    filler = Filler(instance)
    for _ in range(4):
        dropped = rng.choice(np.flatnonzero(taken), size=int(taken.sum()) // 5, replace=False)
        taken[dropped] = False
        kept = filler.fill(taken)
        assert np.array_equal(kept, Filler(instance).fill(taken))  # counted afresh
        taken = kept
