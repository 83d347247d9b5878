"""``rotaplan explain --requirement``: the unmet windows of a requirement, by cause.

With a plan: its unmet windows, grouped by cause. Without one: the windows no plan can
meet, by the data alone, grouped by the rule that shuts them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from checker import CheckReport
from models import (
    DateRange,
    Requirement,
    Scenario,
    requirement_windows,
    window_shortfall,
)
from models.scenario import Session

from . import messages as msg
from .explain_words import MOST_MEMBERS, group_findings, members_of, requirement_note
from .messages import Renderer, note
from .plan_input import ExplainError, PlanInput
from .reasons import Reasoner
from .verdicts import CLOSURES, WindowFinding


@dataclass
class DataGroup:
    """Windows that no session can serve, by the data alone, for one reason."""

    key: str  # no_session, or the closure that shuts most of the window's sessions
    windows: list[tuple[str, DateRange]]


class RequirementLines:
    """Explains one requirement of a scenario, with or without a plan.

    Parameters
    ----------
    scenario
        The loaded scenario.
    plan
        The plan, or None for what the data alone says.
    reasoner
        The reasons of the plan (an empty plan without one).
    report
        The plan's check, when there is a plan.
    text
        The renderer of the planner's language.
    """

    def __init__(
        self,
        scenario: Scenario,
        plan: PlanInput | None,
        reasoner: Reasoner,
        report: CheckReport | None,
        text: Renderer,
    ):
        self.scenario = scenario
        self.plan = plan
        self.reasoner = reasoner
        self.loads = reasoner.loads
        self.report = report
        self.text = text

    def requirement_findings(self, requirement_id: str) -> list[WindowFinding]:
        """The plan's unmet windows of the requirement, each with its cause and reason."""
        requirement = self._requirement(requirement_id)
        return [
            self.reasoner.window_finding(
                w.member,
                requirement,
                DateRange(w.window_start, w.window_end),
                w.shortfall,
                detail=False,
            )
            for w in (self.report.unmet if self.report else [])
            if w.requirement == requirement_id
        ]

    def data_groups(self, requirement_id: str) -> list[DataGroup]:
        """Windows that no plan can meet, by the data alone, grouped by reason.

        A window with no session, or none open to the member, is grouped by the rule that
        shuts most of its sessions; one whose open sessions, all taken, still fall short
        (class hours, or a count above the courses a member may take) is ``short_offer``.
        Limits, caps and seats are not counted: what is reported here is short for sure.
        """
        requirement = self._requirement(requirement_id)
        eligibility = self.loads.eligibility
        groups: dict[str, list[tuple[str, DateRange]]] = defaultdict(list)
        for member in self.scenario.members:
            if not requirement.who.matches(member):
                continue
            for window in requirement_windows(self.scenario, requirement, member):
                done = self.reasoner.done_in(member.id, requirement, window)
                if window_shortfall(requirement, done) == 0:
                    continue
                sessions = self.loads.sessions_starting(
                    window.start, window.end, requirement.courses
                )
                closures = [eligibility.closure(member.id, s) for s in sessions]
                if "" in closures:
                    open_ = [s for s, c in zip(sessions, closures, strict=True) if not c]
                    if window_shortfall(
                        requirement, done + self._most_on_offer(requirement, open_)
                    ):
                        groups["short_offer"].append((member.id, window))
                    continue
                counts = Counter(closures)
                key = (
                    max(counts, key=lambda c: (counts[c], -CLOSURES.index(c)))
                    if counts
                    else "no_session"
                )
                groups[key].append((member.id, window))
        order = ["no_session", *CLOSURES, "short_offer"]
        return [DataGroup(k, groups[k]) for k in order if k in groups]

    def _most_on_offer(self, requirement: Requirement, sessions: list[Session]) -> float:
        """Completions (or class hours) the sessions give at most, all taken: a
        non-repeatable course counts once, with its longest session."""
        best: dict[str, float] = {}
        total = 0.0
        for session in sessions:
            gain = self.scenario.session_hours(session) if requirement.is_hours else 1.0
            if self.scenario.course_of(session).repeatable:
                total += gain
            else:
                best[session.course] = max(best.get(session.course, 0.0), gain)
        return total + sum(best.values())

    def requirement_lines(self, requirement_id: str) -> Iterator[str]:
        """Who the requirement leaves unmet and why (with a plan), or what the data rules out."""
        requirement = self._requirement(requirement_id)
        text = self.text
        yield text(requirement_note(requirement))
        reach = [
            (m.id, w)
            for m in self.scenario.members
            if requirement.who.matches(m)
            for w in requirement_windows(self.scenario, requirement, m)
        ]
        members = len({m for m, _ in reach})
        yield "  " + text(note("req.reach", members=members, windows=len(reach)))
        if self.plan is None:
            yield from self._data_lines(requirement_id)
            return
        findings = self.requirement_findings(requirement_id)
        yield "  " + text(
            note(
                "req.plan",
                met=len(reach) - len(findings),
                unmet=len(findings),
                shortfall=sum(f.shortfall for f in findings),
                weighted=sum(f.shortfall for f in findings) * requirement.weight,
            )
        )
        for cause, group in group_findings(findings):
            yield text(
                note(
                    "req.group",
                    cause=note(f"cause.{cause}"),
                    code=cause,
                    count=len(group),
                    members=members_of(group),
                )
            )
            first = group[0]
            assert first.note is not None
            yield text(
                note(
                    "req.example",
                    member=msg.member(first.member_id),
                    window=first.window,
                    reason=first.note,
                )
            )

    def _data_lines(self, requirement_id: str) -> Iterator[str]:
        groups = self.data_groups(requirement_id)
        count = sum(len(g.windows) for g in groups)
        if not count:
            yield "  " + self.text(note("req.data_ok"))
            return
        yield "  " + self.text(note("req.data_header", count=count))
        for group in groups:
            if group.key in ("no_session", "short_offer"):
                label = note(f"req.{group.key}")
            else:
                label = note("req.closed_by", closure=note(f"closure.{group.key}"))
            members = list(dict.fromkeys(m for m, _ in group.windows))
            yield self.text(
                note(
                    "req.data_group",
                    cause=label,
                    count=len(group.windows),
                    members=msg.shortened([msg.member(m) for m in members], MOST_MEMBERS),
                )
            )

    def _requirement(self, requirement_id: str) -> Requirement:
        requirement = self.scenario.requirement_by_id.get(requirement_id)
        if requirement is None:
            raise ExplainError(
                self.text(note("req.unknown_requirement", requirement=requirement_id))
            )
        return requirement
