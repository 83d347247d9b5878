"""Blockers: why the plan cannot add an eligible member to a session.

In the order of ``verdicts.BLOCKERS``: a course taken twice, seats, the member's caps,
overlap and gap, the team's away cap, a together partner who cannot come, and the
session's mix and minimum size once the member is in.
"""

from __future__ import annotations

from collections import Counter

from models import Member, Session

from ..engine import PlanLoads
from . import messages as msg
from .closures import Closures
from .crowds import Crowds, Partners, mix_block
from .member_blocks import MemberBlocks
from .messages import note
from .verdicts import Block, plan_block

_m, _s = msg.member, msg.session


class Blockers:
    """What in the plan keeps members from sessions open to them.

    Parameters
    ----------
    loads
        What the plan already uses: seats, days, the teams' away members.
    closures
        The closures (a together partner may be closed out of the session).
    member_blocks
        The blockers of a member alone.
    partners
        The together partners.
    crowds
        The joiners of sessions that do not run.
    """

    def __init__(
        self,
        loads: PlanLoads,
        closures: Closures,
        member_blocks: MemberBlocks,
        partners: Partners,
        crowds: Crowds,
    ):
        self.loads = loads
        self.scenario = loads.scenario
        self.closures = closures
        self.member_blocks = member_blocks
        self.partners = partners
        self.crowds = crowds

    def of(self, member: Member, session: Session) -> list[Block]:
        """Why the plan cannot add an eligible member to the session, first blocker first."""
        partners = self.partners.missing(member, session)
        adding = [member, *partners]
        found = self.member_blocks.non_repeatable(member, session)
        found += self._capacity_blocks(adding, session)
        found += self.member_blocks.member_caps(member, session)
        found += self.member_blocks.away_overlap_and_gap(member, session)
        found += self._team_cap_blocks(adding, session)
        found += self._together_blocks(partners, session)
        found += self._mix_and_min_size_blocks(adding, session)
        return found

    def _capacity_blocks(self, adding: list[Member], session: Session) -> list[Block]:
        """``capacity``: too few free seats for the members added (the cause ``full``)."""
        size = self.loads.size(session.id)
        free = session.capacity - size
        if free >= len(adding):
            return []
        if len(adding) == 1:
            return [
                plan_block(
                    "full",
                    "block.full",
                    session=_s(session.id),
                    size=size,
                    capacity=session.capacity,
                )
            ]
        members = [_m(m.id) for m in adding]
        return [
            plan_block(
                "full",
                "block.seats",
                session=_s(session.id),
                free=free,
                members=members,
                need=len(adding),
            )
        ]

    def _team_cap_blocks(self, adding: list[Member], session: Session) -> list[Block]:
        """``team_cap``: the first day a team of the members added would go over its cap."""
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
                found.append(plan_block("team_cap", key, names_session=False, data=data, **params))
                break
        return found

    def _together_blocks(self, partners: list[Member], session: Session) -> list[Block]:
        """``together``: a partner who cannot come along: closed to them, or their own limits."""
        found = []
        for partner in partners:
            why = self.closures.of(partner, session) or self.member_blocks.of(partner, session)
            if why:
                found.append(
                    plan_block(
                        "together",
                        "block.together",
                        partner=_m(partner.id),
                        session=_s(session.id),
                        why=why[0].note,
                    )
                )
        return found

    def _mix_and_min_size_blocks(self, adding: list[Member], session: Session) -> list[Block]:
        """``mix`` shares and ``min_size`` of the session once the members are added."""
        attendees = [
            self.scenario.member_by_id[m] for m in self.loads.attendees.get(session.id, ())
        ]
        if not attendees:
            return self._idle_session_blocks(adding, session)
        crowd = attendees + adding
        size = len(crowd)
        for rule in self.scenario.course_of(session).mix:
            share = sum(1 for m in crowd if rule.who.matches(m))
            block = mix_block(session, rule, share, size)
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
        usable, hits, misses = self.crowds.joiners(session, selectors).beside(adding, selectors)
        free = session.capacity - len(adding)
        joinable = len(adding) + min(usable, free)
        if joinable < session.min_size:
            return [
                plan_block(
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
            block = mix_block(session, rule, share, size)
            if block is not None:
                return [block]
        return []
