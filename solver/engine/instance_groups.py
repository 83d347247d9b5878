"""Interchangeable pairs: sessions of one member that no rule and no term tells apart.

A member short of class hours may take any three of a year's twelve monthly e-learning
sessions: they credit the same windows, count in the same year's hour and session caps,
cost the same, take nobody's seat and keep nobody from work. With one boolean per session
the model searches, and must prove, every choice of three among twelve (220 of them, all
alike). One integer per such group, the number of its sessions taken, says the same with
no symmetry and a fraction of the variables: on the suite's units and 300-member
companies three pairs in four are of this kind.

Which sessions of a group a plan takes is then a matter of presentation: the earliest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .instance import Instance


@dataclass(frozen=True)
class PairGroups:
    """Groups of two or more interchangeable pairs of one member.

    ``of_pair``: each pair's group, -1 for a pair that stands alone. ``pairs``: each
    group's pairs in date order, the order in which a plan takes them.
    """

    of_pair: np.ndarray
    pairs: list[np.ndarray]


def free_sessions(instance: Instance) -> np.ndarray:
    """A boolean per session: sessions whose attendees no rule counts together.

    Room for everyone eligible, no least size, no seat mix, no cost for running and no
    together group: what one member does there touches nobody else (remote courses open
    to all, mostly). Away sessions among them still count in team caps.
    """
    scenario = instance.scenario
    together = {group.course for group in scenario.together}
    free = np.zeros(len(scenario.sessions), dtype=bool)
    for s, session in enumerate(scenario.sessions):
        free[s] = (
            session.capacity >= len(instance.pairs_of_session[s])
            and session.min_size <= 1
            and not session.fixed_cost
            and not scenario.course_by_id[session.course].mix
            and session.course not in together
        )
    return free


def pair_groups(instance: Instance) -> PairGroups:
    """The instance's interchangeable pairs (see the module's text).

    Two pairs of one member are interchangeable when both sessions are free
    (``free_sessions``) and not away (days away count by date, in team caps, monthly caps
    and gaps), of one course with the same class hours and seat cost, start in one year
    (hour and session caps count by the year a session starts), serve exactly the same
    requirement windows, touch the member's ``avoid`` days alike, and neither is pinned
    or in ``previous`` (both name a session, not a number of them).
    """
    scenario = instance.scenario
    pair_session = instance.pair_session
    candidate = (free_sessions(instance) & ~instance.session_away)[pair_session]
    candidate[instance.pinned] = False
    candidate[np.fromiter(instance.previous_pairs.values(), dtype=np.int64)] = False
    of_pair = np.full(instance.num_pairs, -1, dtype=np.int64)
    chosen = np.flatnonzero(candidate)
    if len(chosen) < 2:
        return PairGroups(of_pair, [])
    course_index = {c.id: i for i, c in enumerate(scenario.courses)}
    course = np.array([course_index[s.course] for s in scenario.sessions], dtype=np.int64)
    seat_cost = np.array([s.seat_cost for s in scenario.sessions], dtype=np.int64)
    sessions = pair_session[chosen]
    columns = np.stack(
        [
            instance.pair_member[chosen],
            course[sessions],
            instance.session_hours[sessions],
            seat_cost[sessions],
            instance.session_year[sessions],
            _avoided(instance, chosen).astype(np.int64),
            _served_windows(instance, chosen),
        ]
    )
    _, label = np.unique(columns, axis=1, return_inverse=True)
    order = np.argsort(label, kind="stable")  # stable: date order within a group
    bounds = np.flatnonzero(np.diff(label[order])) + 1
    groups = [group for group in np.split(chosen[order], bounds) if len(group) > 1]
    for g, group in enumerate(groups):
        of_pair[group] = g
    return PairGroups(of_pair, groups)


def _served_windows(instance: Instance, pairs: np.ndarray) -> np.ndarray:
    """A number per pair (of ``pairs``, in order) naming exactly the set of windows that
    need something it serves: equal numbers, equal sets."""
    window_of, served, _ = instance.window_credits()
    needed = np.array([window.need > 0 for window in instance.windows], dtype=bool)
    row = np.full(instance.num_pairs, -1, dtype=np.int64)
    row[pairs] = np.arange(len(pairs))
    keep = (row[served] >= 0) & needed[window_of]
    rows, windows = row[served[keep]], window_of[keep]
    order = np.lexsort((windows, rows))
    rows, windows = rows[order], windows[order]
    # Each pair's windows, sorted, as one row of a table padded with -1.
    first = np.searchsorted(rows, rows, side="left")
    position = np.arange(len(rows)) - first
    width = int(position.max()) + 1 if len(rows) else 1
    table = np.full((len(pairs), width), -1, dtype=np.int64)
    table[rows, position] = windows
    return np.unique(table, axis=0, return_inverse=True)[1].reshape(-1)


def _avoided(instance: Instance, pairs: np.ndarray) -> np.ndarray:
    """Whether each pair's session touches one of its member's ``avoid`` days."""
    scenario = instance.scenario
    avoided = np.zeros(len(pairs), dtype=bool)
    avoiding = np.array([bool(m.avoid) for m in scenario.members], dtype=bool)
    for i in np.flatnonzero(avoiding[instance.pair_member[pairs]]).tolist():
        p = int(pairs[i])
        ranges = scenario.members[int(instance.pair_member[p])].avoid
        session = scenario.sessions[int(instance.pair_session[p])]
        avoided[i] = any(r.touches(session.start, session.last_day) for r in ranges)
    return avoided
