"""What ``rotaplan explain`` prints: the plan's status, then one section per question asked.

The sections come as lines from a generator, so that each suggestion is printed as soon
as its what-if is solved. Suggestions load their module only when asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .explainer import Explainer

if TYPE_CHECKING:
    from .suggestions import SuggestOptions


def explanation_lines(
    explainer: Explainer,
    member_id: str | None = None,
    requirement_id: str | None = None,
    suggest: SuggestOptions | None = None,
    lang: str = "en",
) -> Iterator[str]:
    """The plan's status, then the member's windows, the requirements and the suggestions.

    Parameters
    ----------
    explainer
        The scenario, and the plan if there is one, to explain.
    member_id
        Explain this member's requirement windows.
    requirement_id
        Explain this requirement; with neither id, every requirement.
    suggest
        How much what-if solving the suggestions may do; None for no suggestions. They
        need a plan: without one, none are made.
    lang
        ``en`` or ``zh``, for the suggestions (the explainer has its own).

    The sections are separated by a blank line.
    """
    sections: list[Iterable[str]] = []
    if member_id is not None:
        sections.append(explainer.member_lines(member_id))
    if requirement_id is not None or member_id is None:
        wanted = [requirement_id] if requirement_id else list(explainer.scenario.requirement_by_id)
        sections += [explainer.requirement_lines(r) for r in wanted]
    if explainer.plan is not None and suggest is not None:
        from .suggestion_text import suggestion_lines

        scenario, plan = explainer.scenario, explainer.plan
        sections.append(suggestion_lines(scenario, plan, suggest, lang, member_id, requirement_id))
    yield from explainer.plan_lines()
    for index, lines in enumerate(sections):
        if index:
            yield ""
        yield from lines
