"""The rotaplan engine: a scenario becomes a CP-SAT model, and the model a plan.

The names below load their module on first use, so that ``solver.output`` and
``solver.explain`` can be imported without loading CP-SAT.
"""

from typing import TYPE_CHECKING

from .lazy import lazy_exports

if TYPE_CHECKING:
    from .engine import SolveError as SolveError
    from .engine import SolveOptions as SolveOptions
    from .engine import solve as solve
    from .result import Plan as Plan
    from .result import StageReport as StageReport
    from .result import Status as Status
    from .result import Unmet as Unmet
    from .settings import EngineSettings as EngineSettings
    from .settings import SettingsError as SettingsError

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "engine": (
            "SolveError",
            "SolveOptions",
            "solve",
        ),
        "result": (
            "Plan",
            "StageReport",
            "Status",
            "Unmet",
        ),
        "settings": (
            "EngineSettings",
            "SettingsError",
        ),
    },
)
