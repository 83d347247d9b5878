"""The search's shortfalls, counted in the engine's whole units, are SPEC.md's shortfalls:
``models.window_shortfall`` of what history and the plan do in each window."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models import Scenario, load_scenario, window_shortfall
from solver.engine import Instance, build_instance, construct
from solver.engine.search_shortfalls import Shortfalls

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial" / "scenario.yaml"


def _domain_shortfalls(instance: Instance, taken: np.ndarray) -> list[int]:
    """Each window's shortfall from the scenario's own objects, as the explanations count it:
    completions or class hours of history and of the planned sessions inside the window."""
    scenario = instance.scenario
    planned: dict[int, list[int]] = {}
    for p in np.flatnonzero(taken).tolist():
        planned.setdefault(int(instance.pair_member[p]), []).append(int(instance.pair_session[p]))
    shortfalls = []
    for window in instance.windows:
        requirement = scenario.requirements[window.requirement]
        member = scenario.members[window.member]
        courses = [
            row.course
            for row in scenario.history
            if row.member == member.id and window.start <= row.date <= window.end
        ]
        hours = [scenario.course_by_id[course].hours for course in courses]
        for s in planned.get(window.member, []):
            session = scenario.sessions[s]
            if window.start <= session.start <= window.end:
                courses.append(session.course)
                hours.append(scenario.session_hours(session))
        counted = [requirement.counts_course(course) for course in courses]
        if requirement.min_hours is not None:
            done: float = sum(h for h, c in zip(hours, counted, strict=True) if c)
        else:
            done = sum(counted)
        shortfalls.append(window_shortfall(requirement, done))
    return shortfalls


def _fractional_hours(scenario_dict) -> Scenario:
    """Class hours in quarters (hours scale 4), history inside and before the window, and a
    requirement that counts only some courses."""
    return load_scenario(
        scenario_dict(
            members=["A", "B", "C"],
            courses=[
                {"id": "lecture", "hours": 1.5, "repeatable": True},
                {"id": "seminar", "hours": 2.25, "repeatable": True},
                {"id": "drill", "hours": 0.75, "repeatable": True},
            ],
            sessions=[
                {"id": f"{course}{month}", "course": course, "start": f"2026-{month:02d}-03"}
                for course in ("lecture", "seminar", "drill")
                for month in (2, 5, 9)
            ],
            requirements=[
                {"id": "hours", "min_hours": 5.25, "courses": ["lecture", "seminar"]},
                {"id": "drills", "courses": ["drill"], "count": 2},
            ],
            history=[
                {"member": "A", "course": "seminar", "date": "2026-01-10"},
                {"member": "B", "course": "lecture", "date": "2025-11-10"},
                {"member": "C", "course": "drill", "date": "2026-01-12"},
            ],
        )
    )


@pytest.fixture(params=["tutorial", "fractional"])
def instance(request, scenario_dict) -> Instance:
    if request.param == "tutorial":
        return build_instance(load_scenario(TUTORIAL))
    instance = build_instance(_fractional_hours(scenario_dict))
    assert instance.hours_scale == 4
    return instance


def test_shortfalls_are_the_domains_window_shortfall(instance):
    rng = np.random.default_rng(7)
    constructed = np.zeros(instance.num_pairs, dtype=bool)
    constructed[construct(instance)] = True
    plans = [
        np.zeros(instance.num_pairs, dtype=bool),
        constructed,
        *(rng.random(instance.num_pairs) < share for share in (0.1, 0.4, 0.9)),
    ]
    plan = Shortfalls(instance, plans[0])
    for taken in plans:
        plan.taken = taken
        assert plan.shortfalls().tolist() == _domain_shortfalls(instance, taken)
    assert [w.max_shortfall for w in instance.windows] == _domain_shortfalls(instance, plans[0])


def test_a_moves_recount_is_the_full_count(instance):
    """``replace`` recounts only the moved members' windows; it ends where a full count of
    the new plan does."""
    rng = np.random.default_rng(11)
    taken = np.zeros(instance.num_pairs, dtype=bool)
    taken[construct(instance)] = True
    plan = Shortfalls(instance, taken)
    plan.shortfalls()
    members = len(instance.scenario.members)
    for _ in range(30):
        moved = rng.choice(members, size=min(2, members), replace=False)
        pairs = instance.pairs_of_members(moved)
        taken = plan.taken.copy()
        taken[pairs] = rng.random(len(pairs)) < 0.5
        plan.replace(taken, moved)
        assert plan.shortfalls().tolist() == _domain_shortfalls(instance, taken)
