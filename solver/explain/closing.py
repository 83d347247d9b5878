"""The lines that close a solve: the plan's status, each term's proof, and what was written.

Each term says whether it is proven optimal or how far it may be from the best, from its
own stage's bound (``summary.json``'s single ``bound`` speaks of the first term not proven
only). A term whose final value differs from the value its stage ended at says why: a later
stage holds every earlier term at most where it got, and may lower it further.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..engine import Plan, StageReport, Status
from .messages import CATALOGUE, Note, Renderer, note

# A term that ends on one of these is at its best given the terms before it.
SETTLED = ("close.least", "close.fixed", "close.proven", "close.proven_given")


def status_lines(plan: Plan, lang: str = "en") -> list[str]:
    """The status with every term, one line per term on its proof, then stops and conflicts."""
    text = Renderer(plan.scenario, lang)
    objective = plan.scenario.objective
    lines = []
    if plan.objective:
        terms = [note("close.term", term=_term(t), value=plan.objective[t]) for t in objective]
        lines.append(text(note("close.status", status=_status(plan), terms=terms)))
        stages = {stage.term: stage for stage in plan.stages}
        held = True  # every term before this one is proven optimal
        for term in objective:
            found = _term_note(plan, term, stages.get(term), held)
            lines.append(text(found))
            held = held and found.key in SETTLED
    else:
        lines.append(text(note("close.status_only", status=_status(plan))))
    if plan.interrupted:
        lines.append(text(note("close.interrupted")))
    # A conflict sentence that keeps its note (a ``NoteText``) is told in the chosen language.
    lines += [text(note("close.conflict", reason=reason)) for reason in plan.conflicts]
    return lines


def no_plan_line(plan: Plan, lang: str = "en") -> str:
    """Why there is no plan: the rules conflict, or time ran out."""
    key = "close.infeasible" if plan.status == Status.INFEASIBLE else "close.no_plan"
    return Renderer(plan.scenario, lang)(note(key))


def written_lines(plan: Plan, written: Path | str, lang: str = "en") -> list[str]:
    """The unmet windows by cause, and where the plan went in how long."""
    text = Renderer(plan.scenario, lang)
    lines = [text(note("close.surplus", count=plan.surplus))]
    if plan.unmet:
        causes = Counter(u.cause or "unmet" for u in plan.unmet)
        parts = [
            note("close.cause", cause=_cause(c, lang), count=n) for c, n in causes.most_common()
        ]
        lines.append(text(note("close.unmet", count=len(plan.unmet), causes=parts)))
    seconds = f"{plan.seconds:.1f}"
    lines.append(text(note("close.written", path=str(written), seconds=seconds)))
    return lines


def _term_note(plan: Plan, term: str, stage: StageReport | None, held: bool) -> Note:
    """One term: proven, bounded (with its gap), or not optimised, and its stage's own value."""
    value = plan.objective[term]
    params = {"term": _term(term), "value": value}
    if value == 0:
        return note("close.least", **params)
    if stage is None:
        # Only a term the plan cannot change gets no stage in a complete, proven solve.
        key = "close.fixed" if plan.status == Status.OPTIMAL else "close.not_optimised"
        return note(key, **params)
    later: Note | str = ""
    if stage.value is not None and stage.value != value:
        later = note("close.stage_value", stage=stage.value)
    if stage.status == Status.OPTIMAL or (stage.bound is not None and value <= stage.bound):
        return note("close.proven" if held else "close.proven_given", stage=later, **params)
    if not stage.bound:
        return note("close.no_bound", stage=later, **params)
    gap = (value - stage.bound) / max(1, abs(value))
    return note("close.gap", bound=stage.bound, gap=f"{gap:.2%}", stage=later, **params)


def _status(plan: Plan) -> Note:
    return note(f"status.{plan.status.value}")


def _term(term: str) -> Note:
    return note(f"term.{term}")


def _cause(code: str, lang: str) -> str | Note:
    """English prints the cause code a planner greps for; Chinese its name."""
    if lang == "en" or f"cause.{code}" not in CATALOGUE:
        return code
    return note(f"cause.{code}")


def timetables_line(plan: Plan, count: int, folder: Path | str, lang: str = "en") -> str:
    """How many timetable files and folders went where."""
    return Renderer(plan.scenario, lang)(note("close.timetables", count=count, path=str(folder)))
