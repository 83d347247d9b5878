"""The CP-SAT checks of the conflict search: a scenario with rule groups dropped, as a model."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from models import Scenario

from ..engine import Instance, RotaModel, build_instance
from .rule_groups import RuleGroup, drop_rules


def window_key(instance: Instance, w: int) -> tuple[str, ...]:
    """A requirement window as (member, requirement, start), the same in every variant."""
    window = instance.windows[w]
    scenario = instance.scenario
    return (
        scenario.members[window.member].id,
        scenario.requirements[window.requirement].id,
        window.start.isoformat(),
    )


@dataclass
class Variant:
    """The CP-SAT model of a scenario variant, with its windows by key."""

    rota: RotaModel
    windows: dict[tuple[str, ...], int]

    @classmethod
    def build(
        cls,
        scenario: Scenario,
        dropped: Iterable[RuleGroup],
        strict: Iterable[RuleGroup],
        members: set[str] | None = None,
    ) -> Variant:
        """The scenario without ``dropped`` (and other members), ``strict`` windows met."""
        rota = RotaModel(build_instance(drop_rules(scenario, dropped, members)))
        windows = {window_key(rota.instance, w): w for w in rota.vars.shortfall}
        for group in strict:
            rota.model.add(rota.vars.shortfall[windows[group.key]] == 0)
        return cls(rota, windows)

    def pairs(self, chosen: Iterable[int]) -> list[tuple[str, str]]:
        """Pair indices as (member, session) ids."""
        instance = self.rota.instance
        scenario = instance.scenario
        return [
            (
                scenario.members[int(instance.pair_member[p])].id,
                scenario.sessions[int(instance.pair_session[p])].id,
            )
            for p in chosen
        ]

    def solution(self, solver: cp_model.CpSolver) -> list[tuple[str, str]]:
        """The solver's assignments as (member, session) ids."""
        return self.pairs(self.rota.taken_pairs(solver.value).tolist())


def cp_solver(seconds: float, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    solver.parameters.num_workers = workers
    solver.parameters.catch_sigint_signal = False
    return solver
