"""rotaplan's planning: the engine (``solver.engine``), the explanations (``solver.explain``)
and the outputs (``solver.output``) built on a plan, and the workflows (``solver.replan``,
``solver.batch``).

The names below load their module on first use, so that ``solver.output`` and
``solver.explain`` can be imported without loading CP-SAT.
"""

from typing import TYPE_CHECKING

from .lazy import lazy_exports

if TYPE_CHECKING:
    from .engine import EngineSettings as EngineSettings
    from .engine import Plan as Plan
    from .engine import SettingsError as SettingsError
    from .engine import SolveError as SolveError
    from .engine import SolveOptions as SolveOptions
    from .engine import StageReport as StageReport
    from .engine import Status as Status
    from .engine import Unmet as Unmet
    from .planning import solve as solve

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "engine": (
            "EngineSettings",
            "Plan",
            "SettingsError",
            "SolveError",
            "SolveOptions",
            "StageReport",
            "Status",
            "Unmet",
        ),
        "planning": ("solve",),
    },
)
