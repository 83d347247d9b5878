"""The CP-SAT engine: a scenario becomes index arrays, a model, and the model a plan.

It imports nothing from the explanations or the outputs: ``make_plan`` returns the plan
with its unmet windows left without reasons; the public ``solver.solve`` explains them.

The names below load their module on first use (``solver.lazy``), so that the
explanations and outputs that name an engine type (``PlanLoads``, ``Plan``) load without
CP-SAT.
"""

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

if TYPE_CHECKING:
    from .bound import BlockBound as BlockBound
    from .bound import block_bound as block_bound
    from .constructor import construct as construct
    from .finish import plan_pairs as plan_pairs
    from .instance import Instance as Instance
    from .instance_build import build_instance as build_instance
    from .instance_build import days_by_month as days_by_month
    from .lean import drop_surplus as drop_surplus
    from .model import RotaModel as RotaModel
    from .model import Scope as Scope
    from .options import Progress as Progress
    from .options import SolveError as SolveError
    from .options import SolveOptions as SolveOptions
    from .plan_loads import PlanLoads as PlanLoads
    from .result import Plan as Plan
    from .result import StageReport as StageReport
    from .result import Status as Status
    from .result import Unmet as Unmet
    from .search import NeighbourhoodSearch as NeighbourhoodSearch
    from .settings import EngineSettings as EngineSettings
    from .settings import SettingsError as SettingsError
    from .solve import make_plan as make_plan
    from .term_bounds import attendance_bound as attendance_bound
    from .whole_model import complete_hint as complete_hint
    from .whole_model import kept_pairs_model as kept_pairs_model
    from .whole_model import set_parameters as set_parameters

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "term_bounds": ("attendance_bound",),
        "bound": (
            "BlockBound",
            "block_bound",
        ),
        "constructor": ("construct",),
        "finish": ("plan_pairs",),
        "instance": ("Instance",),
        "instance_build": (
            "build_instance",
            "days_by_month",
        ),
        "lean": ("drop_surplus",),
        "solve": ("make_plan",),
        "model": (
            "RotaModel",
            "Scope",
        ),
        "options": (
            "Progress",
            "SolveError",
            "SolveOptions",
        ),
        "plan_loads": ("PlanLoads",),
        "result": (
            "Plan",
            "StageReport",
            "Status",
            "Unmet",
        ),
        "search": ("NeighbourhoodSearch",),
        "settings": (
            "EngineSettings",
            "SettingsError",
        ),
        "whole_model": (
            "complete_hint",
            "kept_pairs_model",
            "set_parameters",
        ),
    },
)
