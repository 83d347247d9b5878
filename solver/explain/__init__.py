"""Explanations: why a window is unmet, why a scenario has no plan, what would help.

It holds the one message catalogue for all planner text, English and Chinese
(``messages``). The names below load their module on first use: the catalogue and
the reasons need no CP-SAT, the conflict search does.
"""

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

if TYPE_CHECKING:
    from .closing import no_plan_line as no_plan_line
    from .closing import status_lines as status_lines
    from .closing import written_lines as written_lines
    from .conflicts import find_conflicts as find_conflicts
    from .explainer import Explainer as Explainer
    from .explanation import explanation_lines as explanation_lines
    from .messages import CATALOGUE as CATALOGUE
    from .messages import LANGUAGES as LANGUAGES
    from .messages import Note as Note
    from .messages import Renderer as Renderer
    from .messages import note as note
    from .plan_input import ExplainError as ExplainError
    from .plan_input import PlanInput as PlanInput
    from .plan_input import read_plan as read_plan
    from .reasons import Reasoner as Reasoner
    from .reasons import explain_unmet as explain_unmet
    from .reasons import find_reasons as find_reasons
    from .suggestion_text import suggestion_lines as suggestion_lines
    from .suggestions import SuggestOptions as SuggestOptions
    from .suggestions import suggest as suggest

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "closing": (
            "no_plan_line",
            "status_lines",
            "written_lines",
        ),
        "conflicts": ("find_conflicts",),
        "explainer": ("Explainer",),
        "explanation": ("explanation_lines",),
        "plan_input": (
            "ExplainError",
            "PlanInput",
            "read_plan",
        ),
        "messages": (
            "CATALOGUE",
            "LANGUAGES",
            "Note",
            "Renderer",
            "note",
        ),
        "reasons": (
            "Reasoner",
            "explain_unmet",
            "find_reasons",
        ),
        "suggestions": (
            "SuggestOptions",
            "suggest",
        ),
        "suggestion_text": ("suggestion_lines",),
    },
)
