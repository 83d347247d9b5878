"""Plain reasons for unmet requirement windows, found from the data and the plan.

For an unmet window, the sessions that could count in it (those of the requirement's
courses, or any counted course for ``min_hours``, that start in the window) are sorted
into: attended, closed to the member (audience, presence, leave, team blackout, history),
blocked by the plan (full, the member's caps, overlap, min gap, the team's away cap, the
together partner, the mix share, the minimum size, a non-repeatable course already taken),
or open. The window's cause follows: ``no_session``, ``ineligible``, the dominant blocker,
or ``open`` (nothing blocks a session, so the plan is not optimal for unmet).

Every check reads ``PlanLoads``, computed once per plan, so thousands of windows are cheap.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from checker import UnmetWindow
from models import DateRange, Member, Requirement, Scenario, Selector, Session, presence
from models.scenario import MixRule

from ..plan_loads import PlanLoads
from ..result import Unmet
from . import messages as msg
from .messages import Items, Note, Renderer, note
from .window_cuts import with_cut

EPSILON = 1e-9
MOST_DETAILS = 4

_m, _c, _s = msg.member, msg.course, msg.session

CLOSURES = ("audience", "presence", "unavailable", "blackout", "history")
# A session's first blocker in this order names it; repeat first, since no seat or limit
# change can ever let a member take a non-repeatable course twice.
BLOCKERS = (
    "repeat",
    "full",
    "member_caps",
    "overlap",
    "min_gap",
    "team_cap",
    "together",
    "mix",
    "min_size",
)
CAUSES = ("no_session", "ineligible", *BLOCKERS, "open")

# (cap name, cap, period, used, what the session needs, the sessions that use it)
CapUse = tuple[str, float, object, float, float, Callable[[], list[Session]]]


@dataclass(frozen=True)
class Block:
    """One reason a member cannot attend a session; ``cause`` is a closure or blocker code."""

    cause: str
    note: Note
    names_session: bool = True  # whether the note itself says which session
    data: dict[str, Any] = field(default_factory=dict)  # what a what-if change needs

    def about(self, session: Session) -> Note:
        """The note, prefixed with the session where the note does not name it."""
        if self.names_session:
            return self.note
        return note("part.session", session=msg.session(session.id), why=self.note)


@dataclass
class SessionVerdict:
    """Where a session stands for one member: attends, closed, blocked or open."""

    session: Session
    state: str
    blocks: list[Block] = field(default_factory=list)
    closure: str = ""  # for a closed session: the first rule that shuts it

    @property
    def cause(self) -> str | None:
        if self.closure:
            return self.closure
        return self.blocks[0].cause if self.blocks else None


@dataclass
class WindowFinding:
    """What a requirement window holds for a member, and why it stays short."""

    member_id: str
    requirement: Requirement
    window: DateRange
    shortfall: int
    done: float  # completions, or class hours, counted in the window (plan and history)
    verdicts: list[SessionVerdict]
    cause: str = ""
    note: Note | None = None


class Reasoner:
    """Answers, for one plan, why a member cannot attend a session and why a window is short.

    Parameters
    ----------
    loads
        The plan's loads.
    proven
        Whether the plan is proven optimal, when known; only sharpens the wording for
        windows that a session could still serve.
    """

    def __init__(self, loads: PlanLoads, proven: bool | None = None):
        self.loads = loads
        self.scenario = loads.scenario
        self.proven = proven
        self._presence: dict[str, DateRange | None] = {}
        self._partners = _partners(self.scenario)
        self._pools: dict[str, _Pool] = {}

    # -- closures: the data alone ------------------------------------------------------

    def closures(self, member: Member, session: Session) -> list[Block]:
        """Why the member may never attend the session, whatever the plan; empty if eligible."""
        course = self.scenario.course_of(session)
        found = []
        if not course.audience.matches(member):
            found.append(
                _closed("audience", "course_audience", course=_c(course.id), who=course.audience)
            )
        if not session.audience.matches(member):
            found.append(
                _closed(
                    "audience", "session_audience", session=_s(session.id), who=session.audience
                )
            )
        found += self._presence_closures(member, session)
        dark = self.loads.blackout(member.team, session) if course.away else None
        if dark is not None:
            found.append(_closed("blackout", "blackout", team=member.team, blackout=dark))
        done_on = self.loads.history_done.get((member.id, course.id))
        if not course.repeatable and done_on is not None:
            found.append(_closed("history", "history", course=_c(course.id), date=done_on))
        return found

    def _presence_closures(self, member: Member, session: Session) -> list[Block]:
        if member.id not in self._presence:
            self._presence[member.id] = presence(self.scenario, member)
        here = self._presence[member.id]
        found = []
        if here is None:
            found.append(_closed("presence", "absent"))
        elif session.start < here.start or session.last_day > here.end:
            found.append(_closed("presence", "presence", presence=here))
        leave = [r for r in member.unavailable if r.touches(session.start, session.last_day)]
        if leave:
            found.append(_closed("unavailable", "unavailable", leave=leave[0]))
        return found

    # -- blockers: what the plan already uses ------------------------------------------

    def blockers(self, member: Member, session: Session) -> list[Block]:
        """Why the plan cannot add an eligible member to the session, first blocker first."""
        partners = self._missing_partners(member, session)
        adding = [member, *partners]
        found = self._repeat_blocks(member, session)
        found += self._seat_blocks(adding, session)
        found += self._cap_blocks(member, session)
        found += self._clash_blocks(member, session)
        found += self._team_blocks(adding, session)
        found += self._partner_blocks(partners, session)
        found += self._crowd_blocks(adding, session)
        return found

    def _missing_partners(self, member: Member, session: Session) -> list[Member]:
        """The member's together partners for this course who are not in the session yet."""
        return [
            self.scenario.member_by_id[p]
            for p in self._partners.get((member.id, session.course), ())
            if (p, session.id) not in self.loads.attending
        ]

    def _own_blocks(self, member: Member, session: Session) -> list[Block]:
        """The blockers that belong to the member alone: repeat, caps, overlap and gap."""
        return (
            self._repeat_blocks(member, session)
            + self._cap_blocks(member, session)
            + self._clash_blocks(member, session)
        )

    def _repeat_blocks(self, member: Member, session: Session) -> list[Block]:
        course = self.scenario.course_of(session)
        if course.repeatable:
            return []
        others = [
            s for s in self.loads.sessions_of_course(member.id, course.id) if s.id != session.id
        ]
        if not others:
            return []
        return [
            _block(
                "repeat",
                "block.repeat",
                names_session=False,
                member=_m(member.id),
                other=_s(others[0].id),
                course=_c(course.id),
            )
        ]

    def _seat_blocks(self, adding: list[Member], session: Session) -> list[Block]:
        size = self.loads.size(session.id)
        free = session.capacity - size
        if free >= len(adding):
            return []
        if len(adding) == 1:
            return [
                _block(
                    "full",
                    "block.full",
                    session=_s(session.id),
                    size=size,
                    capacity=session.capacity,
                )
            ]
        members = [_m(m.id) for m in adding]
        return [
            _block(
                "full",
                "block.seats",
                session=_s(session.id),
                free=free,
                members=members,
                need=len(adding),
            )
        ]

    def _cap_blocks(self, member: Member, session: Session) -> list[Block]:
        """The member caps that adding the session would exceed, naming what uses each."""
        return [
            _cap_block(session, cap_name, cap, period, used, need, users())
            for cap_name, cap, period, used, need, users in self._cap_uses(member, session)
            if used + need > cap + EPSILON
        ]

    def _cap_uses(self, member: Member, session: Session) -> Iterator[CapUse]:
        """Each cap the session counts against: (name, cap, period, used, need, users)."""
        limits, loads, who = self.loads.limits(member.id), self.loads, member.id
        if self.scenario.is_away(session):
            span = loads.span(session)
            if limits.max_days_per_year is not None:
                for year, days in span.days_by_year.items():
                    used = loads.days_year[who][year] if who in loads.days_year else 0
                    yield (
                        "max_days_per_year",
                        limits.max_days_per_year,
                        year,
                        used,
                        days,
                        partial(loads.sessions_in_year, who, year, away_only=True),
                    )
            if limits.max_days_per_month is not None:
                for month, days in span.days_by_month.items():
                    used = loads.days_month[who][month] if who in loads.days_month else 0
                    yield (
                        "max_days_per_month",
                        limits.max_days_per_month,
                        f"{month[0]}-{month[1]:02d}",
                        used,
                        days,
                        partial(loads.sessions_in_month, who, month),
                    )
        year = session.start.year
        that_year = partial(loads.sessions_in_year, who, year, away_only=False)
        if limits.max_hours_per_year is not None:
            used_hours = loads.hours_year[who][year] if who in loads.hours_year else 0.0
            hours = self.scenario.session_hours(session)
            yield (
                "max_hours_per_year",
                limits.max_hours_per_year,
                year,
                used_hours,
                hours,
                that_year,
            )
        if limits.max_sessions_per_year is not None:
            count = loads.sessions_year[who][year] if who in loads.sessions_year else 0
            yield ("max_sessions_per_year", limits.max_sessions_per_year, year, count, 1, that_year)

    def _clash_blocks(self, member: Member, session: Session) -> list[Block]:
        """Overlap with, or too short a gap to, the member's other away sessions."""
        if not self.scenario.is_away(session):
            return []
        gap = self.loads.limits(member.id).min_gap_days
        overlapping: list[Session] = []
        closest: tuple[int, Session] | None = None
        for other in self.loads.away_sessions(member.id):
            if other.id == session.id:
                continue
            if other.start <= session.last_day and session.start <= other.last_day:
                overlapping.append(other)
                continue
            if gap is None:
                continue
            if other.start > session.last_day:
                free = (other.start - session.last_day).days - 1
            else:
                free = (session.start - other.last_day).days - 1
            if free < gap and (closest is None or free < closest[0]):
                closest = (free, other)
        found = []
        if overlapping:
            others = [_s(s.id) for s in overlapping]
            found.append(_block("overlap", "block.overlap", session=_s(session.id), other=others))
        if closest is not None:
            free, other = closest
            found.append(
                _block(
                    "min_gap",
                    "block.min_gap",
                    session=_s(session.id),
                    free=free,
                    other=_s(other.id),
                    gap=gap,
                )
            )
        return found

    def _team_blocks(self, adding: list[Member], session: Session) -> list[Block]:
        """The first day on which a team of the members added would go over its away cap."""
        if not self.scenario.is_away(session):
            return []
        found = []
        added = Counter(m.team for m in adding)
        for team, add in added.items():
            cap = self.loads.team_cap(team)
            if cap is None:
                continue
            for day in self.loads.span(session).days:
                away = self.loads.away_on(team, day)
                if len(away) + add <= cap:
                    continue
                who = msg.shortened(
                    [note("away.who", member=_m(m), session=_s(s)) for m, s in away], 3
                )
                params = {"team": team, "cap": cap, "day": day, "used": len(away), "who": who}
                data = {"team": team, "cap": cap}
                if len(adding) > 1:
                    params["members"] = [_m(m.id) for m in adding if m.team == team]
                    params["add"] = add
                key = "block.team_cap" if len(adding) == 1 else "block.team_cap_group"
                found.append(_block("team_cap", key, names_session=False, data=data, **params))
                break
        return found

    def _partner_blocks(self, partners: list[Member], session: Session) -> list[Block]:
        """A together partner who cannot come along: closed to them, or their own limits."""
        found = []
        for partner in partners:
            why = self.closures(partner, session) or self._own_blocks(partner, session)
            if why:
                found.append(
                    _block(
                        "together",
                        "block.together",
                        partner=_m(partner.id),
                        session=_s(session.id),
                        why=why[0].note,
                    )
                )
        return found

    def _crowd_blocks(self, adding: list[Member], session: Session) -> list[Block]:
        """Minimum size and mix shares of the session once the members are added."""
        attendees = [
            self.scenario.member_by_id[m] for m in self.loads.attendees.get(session.id, ())
        ]
        if not attendees:
            return self._idle_session_blocks(adding, session)
        crowd = attendees + adding
        size = len(crowd)
        for rule in self.scenario.course_of(session).mix:
            share = sum(1 for m in crowd if rule.who.matches(m))
            block = _mix_block(session, rule, share, size)
            if block is not None:
                return [block]
        return []

    def _idle_session_blocks(self, adding: list[Member], session: Session) -> list[Block]:
        """A session that does not run: could enough others join it, in the right mix?

        Counts, per team, the members free to join and the room the team's away cap
        leaves: a best case, not a plan, so a block here is one no plan can overcome.
        """
        mix = self.scenario.course_of(session).mix
        if not mix and session.min_size <= len(adding):
            return []  # the member (and partners) alone may run it
        selectors = [r.who for r in mix]
        usable, hits, misses = self._pool(session, selectors).joiners(adding, selectors)
        free = session.capacity - len(adding)
        joinable = len(adding) + min(usable, free)
        if joinable < session.min_size:
            return [
                _block(
                    "min_size",
                    "block.min_size",
                    session=_s(session.id),
                    min_size=session.min_size,
                    joinable=joinable,
                )
            ]
        least = max(session.min_size, len(adding))
        for rule, hit, miss in zip(mix, hits, misses, strict=True):
            already = sum(1 for m in adding if rule.who.matches(m))
            if rule.min_share is not None:
                # Matching joiners first: the share only grows with each one added.
                extra = min(hit, free)
                share, size = already + extra, max(least, len(adding) + extra)
            else:
                others = min(miss, free)
                size = max(least, len(adding) + others)
                share = already + max(0, least - len(adding) - others)
            block = _mix_block(session, rule, share, size)
            if block is not None:
                return [block]
        return []

    def _pool(self, session: Session, selectors: list[Selector]) -> _Pool:
        """Members free to join the session on their own, by team (cached per session)."""
        cached = self._pools.get(session.id)
        if cached is not None:
            return cached
        in_groups = {m for (m, c) in self._partners if c == session.course}
        pool = _Pool(matching=[Counter() for _ in selectors])
        for i in self.loads.eligibility.eligible(session):
            member = self.scenario.members[i]
            if member.id not in in_groups and not self._own_blocks(member, session):
                pool.add(member, selectors)
        if self.scenario.is_away(session):
            days = self.loads.span(session).days
            for team in pool.count:
                cap = self.loads.team_cap(team)
                if cap is not None:
                    pool.room[team] = min(cap - len(self.loads.away_on(team, d)) for d in days)
        pool.close()
        self._pools[session.id] = pool
        return pool

    def crowd(self, member: Member, session: Session) -> list[Member]:
        """Others free to join with whom a session that does not run yet could run.

        For a session with no attendees whose ``min_size`` (or ``min_share`` of a mix rule)
        the member and their partners cannot meet alone: members free to join, found
        greedily within their teams' away caps, those who help a ``min_share`` rule first.
        Empty when nothing more is needed. It is the witness behind calling such a session
        open: the member, their partners and this crowd can all be added at once.
        """
        if self.loads.size(session.id):
            return []
        adding = [member, *self._missing_partners(member, session)]
        mix = self.scenario.course_of(session).mix
        wanted = [r.who for r in mix if r.min_share]
        if session.min_size <= len(adding) and not wanted:
            return []
        pool = self._pool(session, [r.who for r in mix])
        taken = {m.id for m in adding}
        added = Counter(m.team for m in adding)
        chosen: list[Member] = []
        for candidate in sorted(pool.members, key=lambda m: not any(w.matches(m) for w in wanted)):
            crowd = adding + chosen
            if len(crowd) >= session.capacity or (
                len(crowd) >= session.min_size and not self._mix_breaks(crowd, session)
            ):
                break
            room = pool.room.get(candidate.team)
            if candidate.id in taken or (room is not None and added[candidate.team] >= room):
                continue
            chosen.append(candidate)
            added[candidate.team] += 1
        return chosen

    def _mix_breaks(self, crowd: list[Member], session: Session) -> bool:
        return any(
            _mix_block(session, rule, sum(1 for m in crowd if rule.who.matches(m)), len(crowd))
            for rule in self.scenario.course_of(session).mix
        )

    # -- sessions and windows ---------------------------------------------------------

    def verdict(self, member: Member, session: Session, detail: bool = True) -> SessionVerdict:
        """Where the session stands for the member in this plan.

        Without ``detail`` a closed session carries only its closure code, not the words.
        """
        if (member.id, session.id) in self.loads.attending:
            return SessionVerdict(session, "attends")
        closure = self.loads.eligibility.closure(member.id, session)
        if closure:
            blocks = self.closures(member, session) if detail else []
            return SessionVerdict(session, "closed", blocks, closure)
        blocks = self.blockers(member, session)
        return SessionVerdict(session, "blocked" if blocks else "open", blocks)

    def window_verdicts(
        self, member: Member, requirement: Requirement, window: DateRange, detail: bool = True
    ) -> list[SessionVerdict]:
        """The sessions that count in the window, judged in date order.

        Without ``detail``, judging stops at the first open session: that alone decides
        the window's cause.
        """
        verdicts = []
        for session in self.loads.sessions_starting(window.start, window.end, requirement.courses):
            verdicts.append(self.verdict(member, session, detail))
            if not detail and verdicts[-1].state == "open":
                break
        return verdicts

    def done_in(self, member_id: str, requirement: Requirement, window: DateRange) -> float:
        """Completions (or class hours) counted in the window: the plan's and history's."""
        done = 0.0
        for session in self.loads.taken.get(member_id, ()):
            if window.start <= session.start <= window.end and requirement.counts_course(
                session.course
            ):
                done += self.scenario.session_hours(session) if requirement.is_hours else 1
        for row in self.loads.history_of(member_id):
            if window.start <= row.date <= window.end and requirement.counts_course(row.course):
                done += self.scenario.course_by_id[row.course].hours if requirement.is_hours else 1
        return done

    def window_finding(
        self,
        member_id: str,
        requirement: Requirement,
        window: DateRange,
        shortfall: int,
        detail: bool = True,
    ) -> WindowFinding:
        """Why the member's window stays short: a cause code and a note in plain words."""
        member = self.scenario.member_by_id[member_id]
        verdicts = self.window_verdicts(member, requirement, window, detail)
        done = self.done_in(member_id, requirement, window)
        finding = WindowFinding(member_id, requirement, window, shortfall, done, verdicts)
        finding.cause, reason = self._cause(member, requirement, window, verdicts, done)
        if requirement.is_hours and verdicts:
            reason = note(
                "window.hours",
                planned=done,
                needed=requirement.min_hours,
                window=window,
                then=reason,
            )
        finding.note = with_cut(reason, self.scenario, requirement, member, window)
        return finding

    def _cause(
        self,
        member: Member,
        requirement: Requirement,
        window: DateRange,
        verdicts: list[SessionVerdict],
        done: float,
    ) -> tuple[str, Note]:
        courses = _courses(requirement)
        hours = requirement.is_hours
        who = msg.member(member.id)
        if not verdicts:
            if hours and requirement.courses is None:
                return "no_session", note("window.no_session_hours", window=window)
            return "no_session", note("window.no_session", courses=courses, window=window)
        others = [v for v in verdicts if v.state != "attends"]
        if not others:
            if hours:
                return "no_session", note("hours.all_attended", member=who)
            return "no_session", note(
                "window.all_attended",
                member=who,
                courses=courses,
                window=window,
                done=done,
                needed=requirement.needed,
            )
        open_ = [v for v in others if v.state == "open"]
        if open_:
            return "open", self._open_note(member, open_[0].session)
        blocked = [v for v in others if v.state == "blocked"]
        closed = [v for v in others if v.state == "closed"]
        if not blocked:
            parts = self._closure_parts(member, closed)
            if hours:
                return "ineligible", note(
                    "hours.ineligible", count=len(closed), member=who, parts=parts
                )
            return "ineligible", note(
                "window.ineligible",
                count=len(closed),
                courses=courses,
                window=window,
                member=who,
                parts=parts,
            )
        cause, details = _blocked_details(blocked)
        if closed:
            details = Items(
                [
                    details,
                    note(
                        "window.also_closed",
                        count=len(closed),
                        parts=self._closure_parts(member, closed),
                    ),
                ],
                major=True,
            )
        if hours:
            return cause, note("hours.blocked", count=len(blocked), details=details)
        return cause, note(
            "window.blocked",
            count=len(blocked),
            courses=courses,
            window=window,
            member=who,
            details=details,
        )

    def _closure_parts(self, member: Member, closed: list[SessionVerdict]) -> Items:
        """How many sessions each closure shuts, with the words of an example."""
        counts = Counter(v.closure for v in closed)
        words: dict[str, list[Note]] = defaultdict(list)
        for verdict in closed:
            if len(words[verdict.closure]) < 2:
                blocks = verdict.blocks or self.closures(member, verdict.session)
                if blocks[0].note not in words[verdict.closure]:
                    words[verdict.closure].append(blocks[0].note)
        parts = []
        for code in (c for c in CLOSURES if c in counts):
            if len(words[code]) == 1:  # every session shut for the same stated reason
                parts.append(note("part.count", count=counts[code], why=words[code][0]))
            else:
                name = note(f"closure.{code}")
                parts.append(
                    note("part.count_eg", count=counts[code], name=name, why=words[code][0])
                )
        return Items(parts, major=True)

    def _open_note(self, member: Member, session: Session) -> Note:
        """A session open to the member: with whom it would run, and why the plan has it not."""
        crowd = self.crowd(member, session)
        params = {"session": _s(session.id), "member": _m(member.id), "why": self._why_open()}
        if not crowd:
            return note("window.open", **params)
        who = msg.shortened([_m(m.id) for m in crowd], 3)
        return note("window.open_crowd", count=len(crowd), who=who, **params)

    def _why_open(self) -> Note:
        objective = self.scenario.objective
        if "unmet" not in objective:
            return note("why.no_unmet_term")
        first = objective.index("unmet")
        if first > 0:
            return note("why.objective_order", terms=Items(objective[:first]))
        if self.proven is False:
            return note("why.not_proven")
        return note("why.not_optimal")


def _cap_block(
    session: Session,
    cap_name: str,
    cap: float,
    period: object,
    used: float,
    need: float,
    users: list[Session],
) -> Block:
    params: dict[str, Any] = {
        "session": _s(session.id),
        "cap_name": note(f"cap.{cap_name}"),
        "cap": cap,
    }
    data = {"cap": cap_name, "excess": used + need - cap}
    if not users:
        return _block(
            "member_caps", "block.cap_unused", data=data, period=period, need=need, **params
        )
    used_by = [_s(s.id) for s in users]
    return _block(
        "member_caps", "block.cap", data=data, period=period, used=used, sessions=used_by, **params
    )


@dataclass
class _Pool:
    """Who could join a session that does not run, counted by team, once per session.

    ``count[t]`` members of team ``t`` are free to join, ``matching[i][t]`` of them match
    mix selector ``i``, and the team's away cap leaves ``room[t]`` places (absent: no cap).
    """

    ids: set[str] = field(default_factory=set)
    members: list[Member] = field(default_factory=list)
    count: Counter[str] = field(default_factory=Counter)
    matching: list[Counter[str]] = field(default_factory=list)
    room: dict[str, int] = field(default_factory=dict)
    totals: tuple[int, list[int], list[int]] = (0, [], [])

    def add(self, member: Member, selectors: list[Selector]) -> None:
        self.ids.add(member.id)
        self.members.append(member)
        self.count[member.team] += 1
        for counts, who in zip(self.matching, selectors, strict=True):
            counts[member.team] += who.matches(member)

    def _team(
        self, team: str, removed: int, removed_matching: list[int], added: int
    ) -> tuple[int, list[int], list[int]]:
        """Team ``team``'s joiners: all, matching each selector, not matching each selector."""
        free = self.count[team] - removed
        room = self.room.get(team)
        usable = free if room is None else max(0, min(free, room - added))
        hits = [c[team] - r for c, r in zip(self.matching, removed_matching, strict=True)]
        return usable, [min(h, usable) for h in hits], [min(free - h, usable) for h in hits]

    def close(self) -> None:
        """Sum the teams once; ``joiners`` then adjusts only the teams it touches."""
        none = [0] * len(self.matching)
        usable, hits, misses = 0, list(none), list(none)
        for team in self.count:
            u, h, m = self._team(team, 0, none, 0)
            usable += u
            hits = [a + b for a, b in zip(hits, h, strict=True)]
            misses = [a + b for a, b in zip(misses, m, strict=True)]
        self.totals = (usable, hits, misses)

    def joiners(
        self, adding: list[Member], selectors: list[Selector]
    ) -> tuple[int, list[int], list[int]]:
        """Beside ``adding``: how many could join, and how many matching / not each selector."""
        usable, hits, misses = self.totals[0], list(self.totals[1]), list(self.totals[2])
        none = [0] * len(selectors)
        for team in {m.team for m in adding}:
            mine = [m for m in adding if m.team == team]
            gone = [m for m in mine if m.id in self.ids]
            removed = [sum(1 for m in gone if who.matches(m)) for who in selectors]
            old = self._team(team, 0, none, 0)
            new = self._team(team, len(gone), removed, len(mine))
            usable += new[0] - old[0]
            hits = [a + n - o for a, n, o in zip(hits, new[1], old[1], strict=True)]
            misses = [a + n - o for a, n, o in zip(misses, new[2], old[2], strict=True)]
        return usable, hits, misses


def _mix_block(session: Session, rule: MixRule, share: int, size: int) -> Block | None:
    """The mix rule broken by ``share`` matching attendees of ``size``, or None."""
    params: dict[str, Any] = {
        "session": _s(session.id),
        "share": share,
        "size": size,
        "who": rule.who,
    }
    if rule.min_share is not None and share < rule.min_share * size - EPSILON:
        return _block("mix", "block.mix_min", limit=rule.min_share, **params)
    if rule.max_share is not None and share > rule.max_share * size + EPSILON:
        return _block("mix", "block.mix_max", limit=rule.max_share, **params)
    return None


def _block(
    cause: str,
    key: str,
    *,
    names_session: bool = True,
    data: dict[str, Any] | None = None,
    **params: Any,
) -> Block:
    return Block(cause, note(key, **params), names_session, data or {})


def _closed(cause: str, key: str, **params: Any) -> Block:
    """A closure: its words never name the session, the line they go on does."""
    return _block(cause, f"closed.{key}", names_session=False, **params)


def _partners(scenario: Scenario) -> dict[tuple[str, str], list[str]]:
    """(member, course) -> the member's together partners for that course."""
    partners: dict[tuple[str, str], list[str]] = defaultdict(list)
    for group in scenario.together:
        for member_id in group.members:
            for other in group.members:
                if other != member_id and other not in partners[(member_id, group.course)]:
                    partners[(member_id, group.course)].append(other)
    return dict(partners)


def _courses(requirement: Requirement) -> Items:
    return Items([msg.course(c) for c in requirement.courses or ()])


def _blocked_details(blocked: list[SessionVerdict]) -> tuple[str, Items]:
    """The dominant blocker, and the blocked sessions in words, dominant cause first."""
    counts = Counter(v.cause for v in blocked)
    dominant = max(counts, key=lambda c: (counts[c], -BLOCKERS.index(str(c))))
    ordered = sorted(
        blocked,
        key=lambda v: (v.cause != dominant, BLOCKERS.index(str(v.cause)), v.session.start),
    )
    shown = [v.blocks[0].about(v.session) for v in ordered[:MOST_DETAILS]]
    rest = ordered[MOST_DETAILS:]
    if rest:
        tally = Counter(str(v.cause) for v in rest)
        shown.append(
            note(
                "window.more",
                count=len(rest),
                causes=Items([f"{c} {n}" for c, n in tally.most_common()]),
            )
        )
    return str(dominant), Items(shown, major=True)


def find_reasons(
    scenario: Scenario,
    pairs: Iterable[tuple[str, str]],
    windows: Iterable[UnmetWindow],
    proven: bool | None = None,
    detail: bool = False,
) -> list[WindowFinding]:
    """A finding (cause, note, judged sessions) for every unmet window of a plan.

    Without ``detail`` (enough for the reasons), closed sessions carry only their
    closure code and judging a window stops at its first open session.
    """
    reasoner = Reasoner(PlanLoads(scenario, pairs), proven)
    return [
        reasoner.window_finding(
            w.member,
            scenario.requirement_by_id[w.requirement],
            DateRange(w.window_start, w.window_end),
            w.shortfall,
            detail,
        )
        for w in windows
    ]


def explain_unmet(
    scenario: Scenario,
    pairs: list[tuple[str, str]],
    windows: list[UnmetWindow],
    proven: bool | None = None,
) -> list[Unmet]:
    """Every unmet window with its reason in plain English and a cause code for grouping.

    Parameters
    ----------
    scenario
        The loaded scenario.
    pairs
        The plan's ``(member_id, session_id)`` assignments.
    windows
        The plan's unmet windows, as ``checker.check_plan`` reports them.
    proven
        Whether the plan is proven optimal, when the caller knows.
    """
    text = Renderer(scenario, "en")
    weights = {w.requirement: w.weight for w in windows}
    return [
        Unmet(
            f.member_id,
            f.requirement.id,
            f.window.start,
            f.window.end,
            f.shortfall,
            text(f.note),
            weights[f.requirement.id],
            f.cause,
            f.note,
        )
        for f in find_reasons(scenario, pairs, windows, proven)
    ]
