"""What a session and a window hold for one member: blocks, verdicts and findings.

A session is closed to a member by the data alone (a *closure*: audience, presence,
leave, team blackout, history) or blocked by what the plan already uses (a *blocker*).
These are the codes and the records every part of the reasons passes around.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models import DateRange, Requirement, Session

from . import messages as msg
from .messages import Note, note

EPSILON = 1e-9

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


def plan_block(
    cause: str,
    key: str,
    *,
    names_session: bool = True,
    data: dict[str, Any] | None = None,
    **params: Any,
) -> Block:
    """A block with the words of catalogue entry ``key``."""
    return Block(cause, note(key, **params), names_session, data or {})


def closure_block(cause: str, key: str, **params: Any) -> Block:
    """A closure: its words never name the session, the line they go on does."""
    return plan_block(cause, f"closed.{key}", names_session=False, **params)
