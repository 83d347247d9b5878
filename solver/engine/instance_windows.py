"""Each member's requirement windows as demands: what is still needed after history, and
which eligible pairs serve it with what credit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from models import Scenario, requirement_windows
from models.dates import DateRange
from models.scenario import HistoryRow, Requirement

from .instance import WindowDemand


@dataclass(frozen=True)
class SessionIndex:
    """What a window's demand reads of the sessions, as arrays over pairs and sessions."""

    pair_session: np.ndarray  # each eligible pair's session
    course: np.ndarray  # each session's course, as an index into ``scenario.courses``
    start: np.ndarray  # each session's first day, as an ordinal
    hours: np.ndarray  # each session's class hours times ``scale``
    scale: int  # the instance's ``hours_scale``


def window_demands(
    scenario: Scenario,
    pairs_of_member: list[np.ndarray],
    pair_session: np.ndarray,
    start: np.ndarray,
    hours: np.ndarray,
    scale: int,
) -> Iterator[WindowDemand]:
    """Every window of every requirement for every member it applies to, in requirement,
    member and window order, with the pairs among ``pairs_of_member`` that count in it."""
    history: dict[str, list[HistoryRow]] = defaultdict(list)
    for row in scenario.history:
        history[row.member].append(row)
    course_index = {c.id: i for i, c in enumerate(scenario.courses)}
    index = SessionIndex(
        pair_session=pair_session,
        course=np.array([course_index[s.course] for s in scenario.sessions], dtype=np.int64),
        start=start,
        hours=hours,
        scale=scale,
    )
    for r, requirement in enumerate(scenario.requirements):
        listed = None
        if requirement.courses is not None:
            listed = np.array([course_index[c] for c in requirement.courses], dtype=np.int64)
        for m, member in enumerate(scenario.members):
            if not requirement.who.matches(member):
                continue
            for window in requirement_windows(scenario, requirement, member):
                mine = pairs_of_member[m]
                yield _demand(
                    scenario, requirement, r, m, window, history[member.id], mine, listed, index
                )


def _demand(
    scenario: Scenario,
    requirement: Requirement,
    r: int,
    m: int,
    window: DateRange,
    history_rows: list[HistoryRow],
    mine: np.ndarray,
    listed: np.ndarray | None,
    index: SessionIndex,
) -> WindowDemand:
    """Member ``m``'s demand in one window of requirement ``r``: ``mine`` are the member's
    pairs, ``listed`` the courses that count (None: every course the requirement counts)."""
    sessions = index.pair_session[mine]
    inside = (index.start[sessions] >= window.start.toordinal()) & (
        index.start[sessions] <= window.end.toordinal()
    )
    if listed is not None:
        inside &= np.isin(index.course[sessions], listed)
    pairs = mine[inside]
    done = [
        row
        for row in history_rows
        if window.start <= row.date <= window.end and requirement.counts_course(row.course)
    ]
    if requirement.min_hours is not None:
        scale = index.scale
        got = sum(round(scenario.course_by_id[row.course].hours * scale) for row in done)
        need = max(0, round(requirement.min_hours * scale) - got)
        credit = index.hours[index.pair_session[pairs]]
        unit_scale = scale
    else:
        need = max(0, requirement.needed - len(done))
        credit = np.ones(len(pairs), dtype=np.int64)
        unit_scale = 1
    return WindowDemand(
        m, r, window.start, window.end, need, pairs, credit, requirement.weight, unit_scale
    )
