"""``rotaplan explain --suggest``: solve what-if variants and say what each would serve."""

from __future__ import annotations

from collections.abc import Iterator

from checker import check_plan
from models import (
    Scenario,
)

from . import messages as msg
from .explain_words import MOST_MEMBERS, members_of
from .messages import Note, Renderer, note
from .plan_input import PlanInput
from .suggestions import SuggestOptions, suggest
from .what_if import Trial, UnmetGroup


def suggestion_lines(
    scenario: Scenario,
    plan: PlanInput,
    options: SuggestOptions,
    lang: str = "en",
    member_id: str | None = None,
    requirement_id: str | None = None,
) -> Iterator[str]:
    """Solve what-if variants for the plan's unmet groups and say what each would serve.

    Lines come as each variant is solved, so a planner watches the work progress.
    """
    text = Renderer(scenario, lang)
    before = check_plan(scenario, plan.pairs).objective["unmet"]
    finished: list[tuple[UnmetGroup, Trial]] = []
    groups = suggest(
        scenario,
        plan.pairs,
        options,
        plan.proven,
        member_id,
        requirement_id,
        on_trial=lambda group, trial: finished.append((group, trial)),
    )
    if not groups:
        yield text(note("suggest.nothing"))
        return
    yield text(note("suggest.header", seconds=options.time_limit))
    for group in groups:
        yield text(
            note(
                "suggest.group",
                requirement=msg.requirement(group.requirement.id),
                cause=group.cause,
                count=len(group.findings),
                members=members_of(group.findings),
            )
        )
        if not group.changes:
            yield text(note("suggest.none"))
        # A change that serves none of the group is no suggestion: it is only counted.
        for trial in group.useful:
            yield text(_trial_note(group, trial, before))
        idle = [t for t in group.trials if not t.served]
        if idle:
            open_ = "" if all(t.proven for t in idle) else _not_proven(idle, "suggest.none_open")
            yield text(note("suggest.none_served", count=len(idle), open=open_))
        untried = len(group.changes) - len(group.trials)
        if untried:
            yield text(note("suggest.skipped", count=untried, limit=options.max_variants))
        best = group.best
        if best is not None and len(group.useful) > 1:
            yield text(note("suggest.best", change=best.change.note))


def _not_proven(trials: list[Trial], key: str) -> Note:
    return note(key, seconds=max(t.seconds for t in trials))


def _trial_note(group: UnmetGroup, trial: Trial, before: int) -> Note:
    served = trial.served_members
    who = (
        note("suggest.who", members=msg.shortened([msg.member(m) for m in served], MOST_MEMBERS))
        if served
        else ""
    )
    return note(
        "suggest.result",
        change=trial.change.note,
        served=len(trial.served),
        count=len(group.findings),
        who=who,
        before=before,
        after=trial.unmet,
        open="" if trial.proven else _not_proven([trial], "suggest.not_proven"),
    )
