"""The least imbalance, proven through the number of first completions."""

from __future__ import annotations

from conftest import build_scenario_dict

from models import load_scenario
from solver.engine import EngineSettings, RotaModel, build_instance
from solver.engine.balance_counts import pin_first_completions
from solver.engine.stop import StopFlag


def _seven_seats_for_eight():
    """Eight members need one rotation in three years; the years seat 2, 2 and 3."""
    sessions = [
        {"id": f"R{year}", "course": "rotation", "start": f"{year}-06-01", "capacity": seats}
        for year, seats in ((2026, 2), (2027, 2), (2028, 3))
    ]
    raw = build_scenario_dict(
        [f"M{i}" for i in range(8)],
        ["rotation"],
        sessions,
        horizon={"start": "2026-01-01", "end": "2028-12-31"},
        requirements=[{"id": "rotate", "courses": ["rotation"], "balance": True}],
    )
    return load_scenario(raw)


def test_the_first_completions_are_proven_with_unmet_held():
    rota = RotaModel(build_instance(_seven_seats_for_eight()))
    rota.model.add(rota.terms["unmet"] <= 1)
    assert pin_first_completions(rota, 5.0, 1, 0, EngineSettings(), StopFlag()) == {0: (7, 7)}


def test_the_imbalance_stage_proves_its_least(solve_checked):
    # 7 = 2 + 2 + 3: |6 - 7| + |6 - 7| + |9 - 7| = 4, the least of any 7 in 3 years.
    plan = solve_checked(_seven_seats_for_eight())
    stage = next(s for s in plan.stages if s.term == "imbalance")
    assert (stage.value, stage.bound) == (4, 4)
    assert plan.objective["imbalance"] == 4
