"""What-if suggestions: for each group of unmet members, the smallest change that serves them.

A group is the plan's unmet windows of one requirement with one cause. For each group a few
candidate changes are drawn from what blocks its members (one more seat where sessions are
only full, a limit entry raised where only the member's own cap binds, a team's away cap
raised by one where only the team cap binds, one more session of a course in the month that
suits most of them); each is applied to a copy of the scenario and solved with the engine,
and the windows of the group that the variant's plan meets are counted as served.

Every variant starts from the plan it changes: each change only relaxes a rule, so the
plan holds in the variant too and is handed to the engine as its first plan. A variant is
therefore never reported worse than the plan; should its solve come back worse all the
same, the plan itself stands as the variant's answer. Each variant gets a time that grows
with the scenario (``variant_seconds``), and a variant not solved to a proof says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from checker import CheckReport, check_plan
from models import DateRange, Scenario

from ..engine import PlanLoads
from .candidate_changes import candidate_changes
from .messages import Renderer
from .reasons import Reasoner
from .verdicts import CAUSES, WindowFinding
from .what_if import Change, Trial, UnmetGroup, WindowKey

# Seconds per what-if: one per PAIRS_PER_SECOND candidate (member, session) pairs, within
# these ends. The shipped company (204,000 pairs) gets 60 s: with 10 s a variant of it
# stopped far short of its plan; with 60 s the same change took unmet from 425 to 378.
PAIRS_PER_SECOND = 3_400
VARIANT_SECONDS = (5.0, 120.0)


@dataclass
class SuggestOptions:
    """How much work the suggestions may do: variants in all, and each variant's solve.

    ``time_limit`` is seconds per variant; None gives ``variant_seconds`` of the scenario.
    """

    max_variants: int = 6
    time_limit: float | None = None
    workers: int = 0
    seed: int = 0


def variant_seconds(scenario: Scenario) -> float:
    """Seconds for one what-if solve: more for a scenario with more candidate pairs."""
    from ..engine import build_instance

    low, high = VARIANT_SECONDS
    return float(min(high, max(low, round(build_instance(scenario).num_pairs / PAIRS_PER_SECOND))))


def unmet_groups(
    scenario: Scenario,
    report: CheckReport,
    reasoner: Reasoner,
    member_id: str | None = None,
    requirement_id: str | None = None,
) -> list[UnmetGroup]:
    """The plan's unmet windows (of one member, of one requirement, when given) by
    (requirement, cause), the heaviest group first."""
    grouped: dict[tuple[str, str], list[WindowFinding]] = defaultdict(list)
    for window in report.unmet:
        if member_id is not None and window.member != member_id:
            continue
        if requirement_id is not None and window.requirement != requirement_id:
            continue
        requirement = scenario.requirement_by_id[window.requirement]
        finding = reasoner.window_finding(
            window.member,
            requirement,
            DateRange(window.window_start, window.window_end),
            window.shortfall,
        )
        grouped[(requirement.id, finding.cause)].append(finding)
    groups = [
        UnmetGroup(scenario.requirement_by_id[r], cause, found)
        for (r, cause), found in grouped.items()
    ]
    groups.sort(key=lambda g: (-g.weighted, g.requirement.id, CAUSES.index(g.cause)))
    return groups


def suggest(
    scenario: Scenario,
    pairs: list[tuple[str, str]],
    options: SuggestOptions | None = None,
    proven: bool | None = None,
    member_id: str | None = None,
    requirement_id: str | None = None,
    on_trial: Callable[[UnmetGroup, Trial], None] | None = None,
) -> list[UnmetGroup]:
    """Draw candidate changes for every unmet group and solve at most ``max_variants`` of them.

    Groups take turns, heaviest first, so that every group gets its smallest change tried
    before any group gets a second; a change drawn for several groups is solved once.
    Every variant starts from ``pairs`` and gets ``options.time_limit`` seconds (when None,
    ``variant_seconds``; ``options`` is updated to say what was used).
    """
    options = options or SuggestOptions()
    report = check_plan(scenario, pairs)
    reasoner = Reasoner(PlanLoads(scenario, pairs), proven)
    groups = unmet_groups(scenario, report, reasoner, member_id, requirement_id)
    if groups and options.time_limit is None:
        options.time_limit = variant_seconds(scenario)
    for group in groups:
        group.changes = candidate_changes(scenario, reasoner, group)
    solved: dict[str, _Answer] = {}
    for group, change in _take_turns(groups):
        key = Renderer(None)(change.note)  # the same change drawn for two groups is solved once
        if key not in solved:
            if len(solved) >= options.max_variants:
                break
            solved[key] = _solve_variant(change, scenario, pairs, report, options)
        answer = solved[key]
        served = [k for k in group.keys if k not in answer.left]
        trial = Trial(change, answer.status, served, answer.unmet, answer.seconds)
        trial.kept_plan = answer.kept_plan
        group.trials.append(trial)
        if on_trial is not None:
            on_trial(group, trial)
    return groups


@dataclass
class _Answer:
    """A variant solved: its status, unmet windows and unmet term, and its time limit."""

    status: str
    left: set[WindowKey]
    unmet: int
    seconds: float
    kept_plan: bool = False


def _solve_variant(
    change: Change,
    scenario: Scenario,
    pairs: list[tuple[str, str]],
    report: CheckReport,
    options: SuggestOptions,
) -> _Answer:
    """Solve a variant from the plan: what it leaves unmet, and whether that is proven.

    The plan holds in every variant (each change relaxes a rule), so a variant's answer is
    never worse than the plan: when the solve returns a worse plan, or none, the plan stands.
    """
    from ..engine import SolveOptions, make_plan

    seconds = options.time_limit or VARIANT_SECONDS[0]
    settings = SolveOptions(
        time_limit=seconds, workers=options.workers, seed=options.seed, start=pairs
    )
    plan = make_plan(change.apply(scenario), settings)
    terms = tuple(plan.objective.get(t, 0) for t in scenario.objective)
    if not plan.has_plan or terms > tuple(report.objective[t] for t in scenario.objective):
        status = plan.status.value if plan.status.value != "OPTIMAL" else "FEASIBLE"
        return _kept_plan(report, status, seconds)
    left = {(u.member_id, u.requirement_id, u.window_start) for u in plan.unmet}
    return _Answer(plan.status.value, left, plan.objective["unmet"], seconds)


def _kept_plan(report: CheckReport, status: str, seconds: float) -> _Answer:
    """The plan itself as a variant's answer: every window it leaves unmet stays unmet."""
    left = {(w.member, w.requirement, w.window_start) for w in report.unmet}
    return _Answer(status, left, report.objective["unmet"], seconds, kept_plan=True)


def _take_turns(groups: list[UnmetGroup]) -> Iterator[tuple[UnmetGroup, Change]]:
    """Every group's first change, then every group's second, and so on."""
    most = max((len(g.changes) for g in groups), default=0)
    for turn in range(most):
        yield from ((g, g.changes[turn]) for g in groups if turn < len(g.changes))
