"""Explanations for planners: why a member is or is not served, and who a requirement leaves
unmet and why; the data alone, or a plan.

``Explainer`` answers for one scenario and, optionally, one plan; its ``member_lines`` and
``requirement_lines`` render in English or Chinese through the message catalogue.
``suggestion_lines`` reports the what-if changes of ``solver.explain.suggestions``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from checker import CheckReport, check_plan
from models import (
    DateRange,
    Member,
    Requirement,
    Scenario,
    presence,
    requirement_windows,
    window_shortfall,
)
from models.scenario import LIMIT_FIELDS, Session

from ..engine import PlanLoads
from . import messages as msg
from .explain_words import needed_amount, requirement_note
from .messages import Items, Note, Renderer, note
from .plan_input import ExplainError, PlanInput
from .reasons import Reasoner
from .requirement_lines import DataGroup, RequirementLines
from .verdicts import SessionVerdict, WindowFinding

EPSILON = 1e-9
GROUP_FROM = 3  # sessions sharing one reason that go on one line


@dataclass
class WindowView:
    """One requirement window of one member: what counts in it, and where each session stands."""

    requirement: Requirement
    window: DateRange
    done: float
    shortfall: int
    verdicts: list[SessionVerdict]
    finding: WindowFinding | None = None  # with a plan, for a window left short


class Explainer:
    """Explains one scenario, with or without a plan.

    Parameters
    ----------
    scenario
        The loaded scenario.
    plan
        A plan to explain, or None to report what the data alone says.
    lang
        ``en`` or ``zh``.
    """

    def __init__(self, scenario: Scenario, plan: PlanInput | None = None, lang: str = "en"):
        self.scenario = scenario
        self.plan = plan
        self.text = Renderer(scenario, lang)
        self.loads = PlanLoads(scenario, plan.pairs if plan else [])
        self.reasoner = Reasoner(self.loads, plan.proven if plan else None)
        self.report: CheckReport | None = check_plan(scenario, plan.pairs) if plan else None
        self.requirements = RequirementLines(scenario, plan, self.reasoner, self.report, self.text)
        self.unmet = {
            (w.member, w.requirement, w.window_start): w
            for w in (self.report.unmet if self.report else [])
        }

    # -- members ------------------------------------------------------------------------

    def member_windows(self, member_id: str) -> list[WindowView]:
        """Every requirement window that applies to the member, judged."""
        member = self._member(member_id)
        views = []
        for requirement in self.scenario.requirements:
            if not requirement.who.matches(member):
                continue
            for window in requirement_windows(self.scenario, requirement, member):
                views.append(self._window_view(member, requirement, window))
        return views

    def _window_view(
        self, member: Member, requirement: Requirement, window: DateRange
    ) -> WindowView:
        done = self.reasoner.done_in(member.id, requirement, window)
        if self.plan is None:
            sessions = self.loads.sessions_starting(window.start, window.end, requirement.courses)
            verdicts = [self._data_verdict(member, s) for s in sessions]
            return WindowView(
                requirement, window, done, window_shortfall(requirement, done), verdicts
            )
        short = self.unmet.get((member.id, requirement.id, window.start))
        if short is None:
            verdicts = self.reasoner.window_verdicts(member, requirement, window)
            return WindowView(requirement, window, done, 0, verdicts)
        finding = self.reasoner.window_finding(member.id, requirement, window, short.shortfall)
        return WindowView(requirement, window, done, short.shortfall, finding.verdicts, finding)

    def _data_verdict(self, member: Member, session: Session) -> SessionVerdict:
        closed = self.reasoner.closures(member, session)
        if closed:
            return SessionVerdict(session, "closed", closed, closed[0].cause)
        return SessionVerdict(session, "open")

    def member_lines(self, member_id: str) -> Iterator[str]:
        """A member's situation: limits, loads, and every requirement window, in words."""
        member = self._member(member_id)
        text = self.text
        here = presence(self.scenario, member)
        who = msg.member(member.id)
        if here is None:
            yield text(note("member.absent", member=who))
            return
        yield text(
            note(
                "member.header",
                member=who,
                tier=member.tier,
                category=member.category,
                unit=member.unit,
                team=member.team,
                presence=here,
            )
        )
        yield text(self._limits_note(member))
        yield text(self._team_note(member))
        for year in self.scenario.years if self.plan else ():
            load = self.loads.year_load(member.id, year)
            yield text(
                note(
                    "member.year_load",
                    year=year,
                    sessions=load.sessions,
                    days=load.days,
                    hours=float(load.hours),
                )
            )
        rows = self.loads.history_of(member.id)
        if rows:
            done = [f"{r.date.isoformat()} {text(msg.course(r.course))}" for r in rows]
            yield text(note("member.history", rows=Items(done)))
        views = self.member_windows(member_id)
        if not views:
            yield text(note("member.no_requirement", member=who))
        current = None
        for view in views:
            if view.requirement is not current:
                current = view.requirement
                yield text(requirement_note(current))
            yield from self._window_lines(member, view)

    def _window_lines(self, member: Member, view: WindowView) -> Iterator[str]:
        text = self.text
        needed = needed_amount(view.requirement)
        if self.plan is None:
            open_count = sum(1 for v in view.verdicts if v.state == "open")
            state = note("state.data_only", done=view.done, needed=needed, open=open_count)
        elif view.shortfall == 0:
            state = note("state.met", done=view.done, needed=needed)
        else:
            assert view.finding is not None
            state = note(
                "state.short",
                shortfall=view.shortfall,
                cause_name=note(f"cause.{view.finding.cause}"),
                cause=view.finding.cause,
            )
        yield text(note("window.line", window=view.window, state=state))
        if view.finding is not None and view.finding.note is not None:
            yield text(note("window.reason", reason=view.finding.note))
        if not view.verdicts:
            yield text(note("session.none"))
        single, groups = self._sorted_sessions(view)
        for verdict in single:
            yield text(
                note(
                    "session.line",
                    session=msg.session(verdict.session.id),
                    dates=DateRange(verdict.session.start, verdict.session.last_day),
                    state=self._session_state(member, view, verdict),
                )
            )
        yield from (text(line) for line in groups)

    def _sorted_sessions(self, view: WindowView) -> tuple[list[SessionVerdict], list[Note]]:
        """Sessions to show one by one, and notes for many that share one reason.

        Sessions closed by the same rule, and (in a window already met) sessions blocked
        for the same cause, go on one line, with an example, once there are
        ``GROUP_FROM`` of them: a five-year plan would otherwise list a hundred joint
        sessions of other units one by one.
        """
        closed: dict[str, list[SessionVerdict]] = defaultdict(list)
        blocked: dict[str, list[SessionVerdict]] = defaultdict(list)
        for verdict in view.verdicts:
            if verdict.state == "closed":
                closed[verdict.blocks[0].note.key].append(verdict)
            elif verdict.state == "blocked" and view.shortfall == 0:
                blocked[str(verdict.cause)].append(verdict)
        grouped = [g for g in [*closed.values(), *blocked.values()] if len(g) >= GROUP_FROM]
        in_groups = {id(v) for g in grouped for v in g}
        notes = []
        for group in grouped:
            sessions = msg.shortened([msg.session(v.session.id) for v in group], 6)
            first = group[0]
            if first.state == "closed":
                notes.append(
                    note(
                        "session.closed_group",
                        count=len(group),
                        closure=note(f"closure.{first.cause}"),
                        example=first.blocks[0].note,
                        sessions=sessions,
                    )
                )
            else:
                notes.append(
                    note(
                        "session.blocked_group",
                        count=len(group),
                        cause=str(first.cause),
                        example=first.blocks[0].about(first.session),
                        sessions=sessions,
                    )
                )
        return [v for v in view.verdicts if id(v) not in in_groups], notes

    def _session_state(self, member: Member, view: WindowView, verdict: SessionVerdict) -> Note:
        if verdict.state == "attends":
            also = self._also_counts(member, view, verdict.session)
            extra = note("session.chosen_also", requirements=Items(also)) if also else ""
            return note("session.chosen", also=extra)
        if verdict.state == "closed":
            return note("session.closed", why=Items([b.note for b in verdict.blocks], major=True))
        if verdict.state == "blocked":
            return note("session.blocked", why=Items([b.note for b in verdict.blocks], major=True))
        if self.plan is not None and view.shortfall == 0:
            return note("session.open_unneeded")
        crowd = self.reasoner.crowd(member, verdict.session) if self.plan is not None else []
        if crowd:
            who = msg.shortened([msg.member(m.id) for m in crowd], 3)
            return note("session.open_crowd", count=len(crowd), who=who)
        return note("session.open")

    def _also_counts(self, member: Member, view: WindowView, session: Session) -> list[msg.Ref]:
        """The member's other requirements whose windows the session also counts in."""
        found = []
        for requirement in self.scenario.requirements:
            if requirement is view.requirement or not requirement.who.matches(member):
                continue
            if not requirement.counts_course(session.course):
                continue
            windows = requirement_windows(self.scenario, requirement, member)
            if any(w.start <= session.start <= w.end for w in windows):
                found.append(msg.requirement(requirement.id))
        return found

    def _limits_note(self, member: Member) -> Note:
        limits = self.loads.limits(member.id)
        values = [
            note("cap.value", cap_name=note(f"cap.{name}"), value=getattr(limits, name))
            for name in LIMIT_FIELDS
            if getattr(limits, name) is not None
        ]
        if not values:
            return note("member.no_limits")
        return note("member.limits", limits=Items(values))

    def _team_note(self, member: Member) -> Note:
        rule = self.loads.rules[member.team]
        blackout = note("member.blackout", ranges=Items(rule.blackout)) if rule.blackout else ""
        cap = self.loads.team_cap(member.team)
        if cap is None:
            return note("member.team_uncapped", team=member.team, size=rule.size, blackout=blackout)
        return note("member.team", team=member.team, size=rule.size, cap=cap, blackout=blackout)

    def plan_lines(self) -> Iterator[str]:
        """The plan's status, and a warning when it breaks rules (say, edited by hand)."""
        if self.plan is None or self.report is None:
            return
        yield self.text(
            note("plan.status", plan=self.plan.label, status=self.plan.status or "unknown")
        )
        if self.report.violations:
            yield self.text(note("plan.violations", count=len(self.report.violations)))

    # -- requirements ---------------------------------------------------------------------

    def requirement_findings(self, requirement_id: str) -> list[WindowFinding]:
        """The plan's unmet windows of the requirement, each with its cause and reason."""
        return self.requirements.requirement_findings(requirement_id)

    def data_groups(self, requirement_id: str) -> list[DataGroup]:
        """Windows that no plan can meet, by the data alone, grouped by reason."""
        return self.requirements.data_groups(requirement_id)

    def requirement_lines(self, requirement_id: str) -> Iterator[str]:
        """The requirement's unmet windows by cause (with a plan) or by the data alone."""
        return self.requirements.requirement_lines(requirement_id)

    # -- look-ups -----------------------------------------------------------------------

    def _member(self, member_id: str) -> Member:
        member = self.scenario.member_by_id.get(member_id)
        if member is None:
            raise ExplainError(self.text(note("req.unknown_member", member=member_id)))
        return member
