"""Who else could attend a session that does not run yet: partners, joiners and crowds.

A session with no attendees runs only with ``min_size`` members in the right mix. These
classes count, per team and within the team's away cap, the members free to join, and
pick the crowd with whom the session could run.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from models import Member, Scenario, Selector, Session
from models.scenario import MixRule

from ..engine import PlanLoads
from . import messages as msg
from .member_blocks import MemberBlocks
from .verdicts import EPSILON, Block, plan_block

_s = msg.session


class Partners:
    """Each member's together partners, per course (SPEC.md's ``together`` groups).

    Parameters
    ----------
    loads
        The plan's loads (who attends what).
    """

    def __init__(self, loads: PlanLoads):
        self.loads = loads
        self.scenario = loads.scenario
        self.by_member_course = _together_partners(self.scenario)

    def missing(self, member: Member, session: Session) -> list[Member]:
        """The member's together partners for this course who are not in the session yet."""
        return [
            self.scenario.member_by_id[p]
            for p in self.by_member_course.get((member.id, session.course), ())
            if (p, session.id) not in self.loads.attending
        ]

    def grouped(self, course_id: str) -> set[str]:
        """The members in a together group for the course."""
        return {m for (m, c) in self.by_member_course if c == course_id}


@dataclass
class Joiners:
    """The members who could join a session that does not run, counted by team.

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
        """Sum the teams once; ``beside`` then adjusts only the teams it touches."""
        none = [0] * len(self.matching)
        usable, hits, misses = 0, list(none), list(none)
        for team in self.count:
            u, h, m = self._team(team, 0, none, 0)
            usable += u
            hits = [a + b for a, b in zip(hits, h, strict=True)]
            misses = [a + b for a, b in zip(misses, m, strict=True)]
        self.totals = (usable, hits, misses)

    def beside(
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


class Crowds:
    """The joiners of sessions that do not run, and the crowds they could run with.

    Parameters
    ----------
    loads
        The plan's loads.
    partners
        The together partners.
    member_blocks
        The blockers of a member alone: a joiner must be free of them.
    """

    def __init__(self, loads: PlanLoads, partners: Partners, member_blocks: MemberBlocks):
        self.loads = loads
        self.scenario = loads.scenario
        self.partners = partners
        self.member_blocks = member_blocks
        self._joiners: dict[str, Joiners] = {}

    def joiners(self, session: Session, selectors: list[Selector]) -> Joiners:
        """Members free to join the session on their own, by team (cached per session)."""
        cached = self._joiners.get(session.id)
        if cached is not None:
            return cached
        in_groups = self.partners.grouped(session.course)
        joiners = Joiners(matching=[Counter() for _ in selectors])
        for i in self.loads.eligibility.eligible(session):
            member = self.scenario.members[i]
            if member.id not in in_groups and not self.member_blocks.of(member, session):
                joiners.add(member, selectors)
        if self.scenario.is_away(session):
            days = self.loads.span(session).days
            for team in joiners.count:
                cap = self.loads.team_cap(team)
                if cap is not None:
                    joiners.room[team] = min(cap - len(self.loads.away_on(team, d)) for d in days)
        joiners.close()
        self._joiners[session.id] = joiners
        return joiners

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
        adding = [member, *self.partners.missing(member, session)]
        mix = self.scenario.course_of(session).mix
        wanted = [r.who for r in mix if r.min_share]
        if session.min_size <= len(adding) and not wanted:
            return []
        joiners = self.joiners(session, [r.who for r in mix])
        taken = {m.id for m in adding}
        added = Counter(m.team for m in adding)
        chosen: list[Member] = []
        for candidate in sorted(
            joiners.members, key=lambda m: not any(w.matches(m) for w in wanted)
        ):
            crowd = adding + chosen
            if len(crowd) >= session.capacity or (
                len(crowd) >= session.min_size and not self.mix_breaks(crowd, session)
            ):
                break
            room = joiners.room.get(candidate.team)
            if candidate.id in taken or (room is not None and added[candidate.team] >= room):
                continue
            chosen.append(candidate)
            added[candidate.team] += 1
        return chosen

    def mix_breaks(self, crowd: list[Member], session: Session) -> bool:
        """Whether the crowd breaks a mix rule of the session's course."""
        return any(
            mix_block(session, rule, sum(1 for m in crowd if rule.who.matches(m)), len(crowd))
            for rule in self.scenario.course_of(session).mix
        )


def mix_block(session: Session, rule: MixRule, share: int, size: int) -> Block | None:
    """The mix rule broken by ``share`` matching attendees of ``size``, or None."""
    params: dict[str, Any] = {
        "session": _s(session.id),
        "share": share,
        "size": size,
        "who": rule.who,
    }
    if rule.min_share is not None and share < rule.min_share * size - EPSILON:
        return plan_block("mix", "block.mix_min", limit=rule.min_share, **params)
    if rule.max_share is not None and share > rule.max_share * size + EPSILON:
        return plan_block("mix", "block.mix_max", limit=rule.max_share, **params)
    return None


def _together_partners(scenario: Scenario) -> dict[tuple[str, str], list[str]]:
    """(member, course) -> the member's together partners for that course."""
    partners: dict[tuple[str, str], list[str]] = defaultdict(list)
    for group in scenario.together:
        for member_id in group.members:
            for other in group.members:
                if other != member_id and other not in partners[(member_id, group.course)]:
                    partners[(member_id, group.course)].append(other)
    return dict(partners)
