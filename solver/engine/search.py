"""Large-neighbourhood search: re-solve a few dozen members exactly, everyone else fixed.

On a company-size scenario one CP-SAT move over the whole model costs seconds; a model of
one neighbourhood (the members around an unmet window, a few teams, the attendees of a
course's sessions) builds and solves in a fraction of that, with every rule exact because
the fixed members count with what they hold. Each move keeps every earlier term where it
is and never makes the current term worse, so the plan only improves.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from .constructor import fill
from .instance import Instance
from .model import RotaModel, Scope
from .settings import EngineSettings


@dataclass
class _Move:
    """One neighbourhood's model, ready to solve, and what is needed to take its plan."""

    members: np.ndarray
    rota: RotaModel
    solver: cp_model.CpSolver
    term: str
    current: int  # the term over the neighbourhood in the current plan
    limit: float
    adapt: bool = True  # whether its solve time steers the neighbourhood size
    reach: frozenset = frozenset()
    thread: threading.Thread | None = None
    status: cp_model.CpSolverStatus = cp_model.UNKNOWN


@dataclass
class SearchStats:
    moves: int = 0
    improvements: int = 0
    seconds: float = 0.0


class NeighbourhoodSearch:
    """Improves a complete plan, held as a boolean per eligible pair."""

    def __init__(
        self,
        instance: Instance,
        taken: np.ndarray,
        workers: int = 1,
        seed: int = 0,
        settings: EngineSettings | None = None,
    ):
        # Its knobs (move work, openings, fill passes, when the blocks settle): see
        # ``EngineSettings``. Moves are timed in CP-SAT's deterministic time, so a run's
        # moves follow one trajectory and a longer time limit only continues it.
        self.settings = settings or EngineSettings()
        self.instance = instance
        self._short: np.ndarray | None = None
        self.taken = taken.astype(bool).copy()
        self.workers = max(1, workers)
        self.rng = np.random.default_rng(seed)
        # Members per neighbourhood, adapting to how fast moves solve. Measured on the
        # shipped company (60 s of search, 2 workers): many small moves beat few large
        # ones (unmet 437-443 with 0.1 s and 6 members, 449 with 0.05 s and 5, 463 with
        # 0.3 s and 12, 516 with 1 s and 30, 557 with 2 s and 60).
        self.size = 6
        self.floor = 4
        self.move_work = self.settings.move_work
        self._moves = 0  # moves made in the current run, the search's clock
        self.overlap = True  # solve a move while the next, independent one is built
        # Measured on generated companies: small models improve fastest without the LP.
        self.parameters: dict[str, Any] = {"linearization_level": 0}
        self._teams = _members_by(instance.member_team)
        self._units = _members_by([m.unit for m in instance.scenario.members])
        self._window_need = np.array([w.need for w in instance.windows], dtype=np.int64)
        self._window_weight = np.array([w.weight for w in instance.windows], dtype=np.int64)
        self._window_scale = np.array([w.hours_scale for w in instance.windows], dtype=np.int64)
        self.settle([])
        self._loose = _loose_sessions(instance)
        sessions = instance.scenario.sessions
        self._min_size = np.array([session.min_size for session in sessions], dtype=np.int64)
        courses = {course: c for c, course in enumerate(instance.scenario.course_by_id)}
        self._session_course = np.array([courses[x.course] for x in sessions], dtype=np.int64)
        self._openings: dict[int, tuple[int, int]] = {}  # session: (tries, move of last try)

    # -- the loop -----------------------------------------------------------------------

    def run(
        self,
        term: str,
        deadline: float,
        on_improve=None,
        stop=None,
        blocks: Callable[[float], list[tuple[np.ndarray, int]] | None] | None = None,
    ) -> SearchStats:
        """Move until the deadline or ``stop()``; ``on_improve(delta)`` hears each gain.

        ``blocks(wait)``, when given, is asked at move ``settings.settle_at`` for the block bound's
        blocks, waiting up to ``wait`` seconds (None: not in yet, asked again at twice the
        moves); once they are in they steer the moves.
        """
        stats = SearchStats()
        started = time.monotonic()
        pickers = self._pickers(term)
        knobs = self.settings
        last_fill = -knobs.fill_every
        # Moves that share no session with room to run out, no team and no together
        # group cannot affect each other: one solves while the next is built. A term over
        # everyone (imbalance) couples every move.
        terms = {*self._held_terms, term}
        overlap = self.overlap and "imbalance" not in terms
        pending: _Move | None = None
        settle_at = knobs.settle_at

        def drain() -> None:
            """Finish the move solving in its thread, if any, and count it."""
            nonlocal pending
            if pending is not None:
                count(self._finish(pending))
                pending = None

        def count(gain: int) -> None:
            stats.moves += 1
            if gain > 0:
                stats.improvements += 1
                if on_improve is not None:
                    on_improve(gain)

        while time.monotonic() + 0.2 < deadline and not (stop is not None and stop()):
            self._moves = stats.moves
            if blocks is not None and stats.moves >= settle_at:
                drain()
                settled = blocks(min(knobs.settle_wait, max(0.0, deadline - time.monotonic())))
                if settled is not None:
                    self.settle(settled)
                    blocks = None
                settle_at *= 2
                continue
            if term == "unmet" and stats.moves - last_fill >= knobs.fill_every:
                drain()
                last_fill = stats.moves
                gain = self._fill()
                if gain > 0 and on_improve is not None:
                    on_improve(gain)
            picker, work = pickers[stats.moves % len(pickers)]
            members = picker()
            if len(members) == 0:
                stats.moves += 1
                if (
                    stats.moves > 50
                    and stats.improvements == 0
                    and term == "unmet"
                    and not self.shortfalls().any()
                ):
                    break
                continue
            reach = self._reach(members) if overlap else None
            if pending is not None and (reach is None or not pending.reach.isdisjoint(reach)):
                drain()  # the next move reads what this one may change
            move = self._prepare(term, members, deadline, work)
            if move is not None:
                move.reach = reach or frozenset()
            drain()
            if move is None:
                stats.moves += 1
            elif overlap:
                # Solved in a thread while the next neighbourhood's model is built: CP-SAT
                # runs outside Python's lock, and at province size building a model costs
                # about as long as solving it.
                self._launch(move)
                pending = move
            else:
                count(self._finish(self._launch(move)))
        drain()
        if term == "unmet" and stats.moves:
            # The last moves may have left seats or caps free that a window can use.
            gain = self._fill()
            if gain > 0 and on_improve is not None:
                on_improve(gain)
        stats.seconds = time.monotonic() - started
        return stats

    def _fill(self) -> int:
        """Add every session that serves an unmet window and fits; the gain on unmet."""
        before = int((self.shortfalls() * self._window_weight).sum())
        self.taken = fill(self.instance, self.taken)
        return before - int((self.shortfalls() * self._window_weight).sum())

    def _prepare(
        self, term: str, members: np.ndarray, deadline: float, work: float | None = None
    ) -> _Move | None:
        """The neighbourhood's model, minimising the term with the held terms kept where
        they are, hinted with the current plan, solved for ``work`` of CP-SAT's
        deterministic time (by default the amount the adaptive neighbourhood size is tuned
        for); None when it cannot be read."""
        instance = self.instance
        terms = (*self._held_terms, term) if term not in self._held_terms else self._held_terms
        background = self._background(members, global_terms="imbalance" in terms)
        rota = RotaModel(instance, Scope(np.sort(members), background), terms=terms)
        if self._held_terms:
            current = self._current_values(rota)
            if current is None:
                return None
        else:
            value = self._scope_value(term, members, rota)
            if value is None:
                return None
            current = {term: value}
        for held_term, value in current.items():
            if held_term != term and held_term in self._held_terms:
                rota.model.add(rota.terms[held_term] <= value)
        rota.model.minimize(rota.terms[term])
        self._hint(rota)
        solver = cp_model.CpSolver()
        # rotaplan handles Ctrl-C itself; CP-SAT's own handler would end the process.
        solver.parameters.catch_sigint_signal = False
        limit = work or self.move_work
        solver.parameters.max_deterministic_time = limit
        # The clock only ends the last move of a stage.
        solver.parameters.max_time_in_seconds = max(0.05, deadline - time.monotonic())
        # One worker: a parallel CP-SAT solve stopped by its time limit depends on how its
        # threads were scheduled; the second core builds the next move meanwhile.
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = int(self.rng.integers(1 << 30))
        for name, setting in self.parameters.items():
            setattr(solver.parameters, name, setting)
        return _Move(members, rota, solver, term, current[term], limit, adapt=work is None)

    def _launch(self, move: _Move) -> _Move:
        """Start the move's solve in a thread."""

        def solve() -> None:
            move.status = move.solver.solve(move.rota.model)

        move.thread = threading.Thread(target=solve, daemon=True)
        move.thread.start()
        return move

    def _finish(self, move: _Move) -> int:
        """Wait for the move's solve and take its plan unless worse; the gain."""
        if move.thread is not None:
            move.thread.join()
        solver, status = move.solver, move.status
        if move.adapt:
            self._adapt(status, solver.response_proto.deterministic_time, move.limit)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return 0
        value = round(solver.value(move.rota.terms[move.term]))
        if value > move.current:
            return 0
        # Ties are taken too: a different plan of equal value lets the next moves go elsewhere.
        taken = self.taken.copy()
        for p, var in move.rota.vars.attend.items():
            taken[p] = bool(solver.value(var))
        self._replace(taken, move.members)
        return move.current - value

    def _reach(self, members: np.ndarray) -> frozenset[tuple[str, int | str]]:
        """What a move's members share with others: sessions with room to run out, and
        teams (whose away caps and together groups' partners count across members)."""
        teams = {self.instance.member_team[m] for m in members.tolist()}
        return frozenset(
            [("session", int(s)) for s in self._fillable_sessions(members)]
            + [("team", t) for t in teams]
        )

    def _fillable_sessions(self, members: np.ndarray) -> np.ndarray:
        """The sessions the members could attend that can fill up (not loose)."""
        instance = self.instance
        sessions = np.unique(instance.pair_session[instance.pairs_of_members(members)])
        return sessions[~self._loose[sessions]]

    def _background(self, members: np.ndarray, global_terms: bool) -> np.ndarray:
        """The pairs a move's model counts as fixed: what others hold on the sessions the
        members could attend and what their teammates hold (for the team caps). A term
        over everyone (``imbalance``) needs every pair the others hold."""
        instance = self.instance
        mine = np.zeros(len(instance.scenario.members), dtype=bool)
        mine[members] = True
        if global_terms:
            held = np.flatnonzero(self.taken)
        else:
            # At province size every other pair is most of two million: the members'
            # sessions and teams are all the model reads.
            sessions = self._fillable_sessions(members)
            teammates = {t for m in members for t in self._teams[instance.member_team[m]]}
            near = np.concatenate(
                [instance.pairs_of_session[s] for s in sessions]
                + [instance.pairs_of_member[t] for t in teammates]
            )
            held = np.unique(near[self.taken[near]])
        return held[~mine[instance.pair_member[held]]]

    def _replace(self, taken: np.ndarray, members: np.ndarray) -> None:
        """Take a plan that differs from the current one only in ``members``' pairs; their
        windows' shortfalls are recounted, the rest kept (a full count passes over every
        window credit, which at province size costs more than the move)."""
        short = self._short
        self.taken = taken
        if short is None:
            return
        instance = self.instance
        windows = np.array(instance.windows_of_members(members), dtype=np.int64)
        served = np.array(
            [
                int((instance.windows[w].credit * taken[instance.windows[w].pairs]).sum())
                for w in windows.tolist()
            ],
            dtype=np.int64,
        )
        short = short.copy()
        short[windows] = self._short_of(windows, served)
        self._short = short

    _held_terms: tuple[str, ...] = ()

    def hold(self, terms: list[str]) -> None:
        """Terms earlier in the objective: moves keep each of them where it is."""
        self._held_terms = tuple(terms)

    def _scope_value(self, term: str, members: np.ndarray, rota: RotaModel) -> int | None:
        """The first stage's term over the scope: straight from the plan for unmet and
        attendances, from a fixed solve of the scope's model otherwise."""
        instance = self.instance
        if term == "unmet":
            windows = np.array(instance.windows_of_members(members), dtype=np.int64)
            if not len(windows):
                return 0
            return int((self.shortfalls()[windows] * self._window_weight[windows]).sum())
        if term == "attendances":
            return int(self.taken[instance.pairs_of_members(members)].sum())
        values = self._current_values(rota)
        return values[term] if values is not None else None

    def _current_values(self, rota: RotaModel) -> dict[str, int] | None:
        """The scope's part of every term under the current plan, read from a fixed solve."""
        self._hint(rota)
        solver = cp_model.CpSolver()
        # rotaplan handles Ctrl-C itself; CP-SAT's own handler would end the process.
        solver.parameters.catch_sigint_signal = False
        solver.parameters.fix_variables_to_their_hinted_value = True
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = 10
        rota.model.clear_objective()
        status = solver.solve(rota.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return {term: round(solver.value(expr)) for term, expr in rota.terms.items()}

    def _hint(self, rota: RotaModel) -> None:
        rota.hint(self.taken)

    def _adapt(self, status: cp_model.CpSolverStatus, work: float, limit: float) -> None:
        """Grow the neighbourhood while moves prove their optimum in under a third of
        their work, shrink it when they do not (both in deterministic time)."""
        if status == cp_model.OPTIMAL and work < 0.3 * limit:
            self.size = min(int(self.size * 1.15) + 1, 600)
        elif status != cp_model.OPTIMAL:
            self.size = max(int(self.size * 0.9), self.floor)

    # -- neighbourhoods ---------------------------------------------------------------------

    def settle(self, blocks: list[tuple[np.ndarray, int]]) -> None:
        """Blocks of windows with the least weighted shortfall any plan leaves on them
        (``solver.bound``). While the plan sits at that value on a block, no move can gain
        there, so moves are centred on the other unmet windows. May be called from another
        thread: the blocks are replaced in one assignment."""
        windows = [w for w, _ in blocks]
        self._settled = (
            np.concatenate(windows) if windows else np.zeros(0, dtype=np.int64),
            np.repeat(np.arange(len(blocks)), [len(w) for w in windows]),
            np.array([value for _, value in blocks], dtype=np.int64),
        )

    def open_windows(self) -> np.ndarray:
        """The unmet windows a move may still gain on: outside every block whose shortfall
        is already down to its proven least (all unmet windows when every one is)."""
        short = self.weighted_shortfalls()
        unmet = short > 0
        windows, block, least = self._settled
        if len(least):
            on_block = np.bincount(block, weights=short[windows], minlength=len(least))
            at_least = on_block <= least
            open_ = unmet.copy()
            open_[windows[at_least[block]]] = False
            if open_.any():
                return np.flatnonzero(open_)
        return np.flatnonzero(unmet)

    def shortfalls(self) -> np.ndarray:
        """Each window's shortfall under the current plan, in the requirement's units."""
        # Kept until the plan changes: a move reads it two or three times, and at province
        # size each count passes over millions of window credits.
        if self._short is None:
            self._short = self._short_of(slice(None), self.instance.served(self._taken))
        return self._short

    def _short_of(self, windows, served: np.ndarray) -> np.ndarray:
        """Shortfalls of ``windows`` given what they are served: the ceiling, in the
        requirement's units, of what is missing."""
        missing = np.maximum(self._window_need[windows] - served, 0)
        return -(-missing // self._window_scale[windows])

    def weighted_shortfalls(self) -> np.ndarray:
        """Each window's part of ``unmet`` under the current plan."""
        return self.shortfalls() * self._window_weight

    @property
    def taken(self) -> np.ndarray:
        """The current plan, a boolean per eligible pair; assign a new array to change it."""
        return self._taken

    @taken.setter
    def taken(self, value: np.ndarray) -> None:
        self._taken = value
        self._short = None

    def _pickers(self, term: str) -> list[tuple[Callable[[], np.ndarray], float | None]]:
        """The neighbourhoods taken in turn, each with its moves' seconds (None: the
        adaptive default)."""
        if term == "unmet":
            return [
                (self._around_unmet, None),
                (self._around_unmet, None),
                (self._teams_pick, None),
                (self._course_pick, None),
                # Opening a session takes many members at once, and more time.
                (self._opening_pick, self.settings.opening_work),
            ]
        return [(self._teams_pick, None), (self._course_pick, None), (self._units_pick, None)]

    def _around_unmet(self) -> np.ndarray:
        """Members short where a plan can still gain, their teammates (who share the team's
        daily away cap) and the people holding the seats they could take."""
        instance = self.instance
        open_windows = self.open_windows()
        if not len(open_windows):
            return np.zeros(0, dtype=np.int64)
        chosen: set[int] = set()
        for w in self.rng.choice(open_windows, size=min(3, len(open_windows)), replace=False):
            window = instance.windows[int(w)]
            chosen.add(window.member)
            chosen.update(self._teams[instance.member_team[window.member]])
            sessions = np.unique(instance.pair_session[window.pairs])
            self.rng.shuffle(sessions)
            for s in sessions[:4]:
                pairs = instance.pairs_of_session[s]
                holders = instance.pair_member[pairs[self.taken[pairs]]].tolist()
                self.rng.shuffle(holders)
                chosen.update(holders[: max(2, self.size // 8)])
            if len(chosen) >= self.size:
                break
        return np.array(sorted(chosen), dtype=np.int64)

    def _opening_pick(self) -> np.ndarray:
        """Enough members to open a session nobody attends that needs more than one to
        run: those it would serve where they are short, and those holding a seat of the
        same course elsewhere, who could move there and leave their seat to someone short.

        No smaller move opens such a session: a class of 16 opens with 16 members moving
        at once. Measured on 20,000 generated members: a region whose rotation classes
        were all full but one that never ran kept 21 members short (210 of unmet) for the
        whole search; this move, given a second, met 16-21 of them at once.
        """
        instance = self.instance
        now = self._moves
        attendance = np.bincount(instance.pair_session[self.taken], minlength=len(self._min_size))
        idle = np.flatnonzero((attendance == 0) & (self._min_size > 1))
        short = self.shortfalls()
        windows_of = instance.windows_of_pair()
        offers: list[tuple[int, list[int]]] = []
        for s in idle.tolist():
            tries, last = self._openings.get(s, (0, 0))
            # A session that would not open is tried again later, less and less often:
            # the plan around it changes, but most such sessions stay closed for good.
            if tries and now < last + self.settings.opening_retry * 2 ** (tries - 1):
                continue
            pairs = instance.pairs_of_session[s]
            wanting = [
                int(instance.pair_member[p])
                for p in pairs.tolist()
                if any(short[w] > 0 for w, *_ in windows_of.get(p, ()))
            ]
            if wanting:
                offers.append((s, wanting))
        if not offers:
            return np.zeros(0, dtype=np.int64)
        weights = np.array([len(wanting) for _, wanting in offers], dtype=float)
        s, wanting = offers[int(self.rng.choice(len(offers), p=weights / weights.sum()))]
        tries, _ = self._openings.get(s, (0, 0))
        self._openings[s] = (tries + 1, now)
        eligible = instance.pair_member[instance.pairs_of_session[s]]
        theirs = instance.pairs_of_members(eligible)
        same_course = self._session_course[instance.pair_session[theirs]] == self._session_course[s]
        movers = np.unique(instance.pair_member[theirs[self.taken[theirs] & same_course]]).tolist()
        self.rng.shuffle(wanting)
        self.rng.shuffle(movers)
        least = int(self._min_size[s])
        room = max(self.size, 2 * least)
        chosen = dict.fromkeys(wanting[: room - least])
        for m in movers:
            if len(chosen) >= room:
                break
            chosen.setdefault(m)
        return np.array(sorted(chosen), dtype=np.int64)

    def _teams_pick(self) -> np.ndarray:
        return self._groups_pick(self._teams)

    def _units_pick(self) -> np.ndarray:
        return self._groups_pick(self._units)

    def _groups_pick(self, groups: dict[str, list[int]]) -> np.ndarray:
        names = list(groups)
        chosen: list[int] = []
        for i in self.rng.permutation(len(names)):
            if len(chosen) >= self.size:
                break
            chosen.extend(groups[names[i]])
        return np.array(sorted(chosen), dtype=np.int64)

    def _course_pick(self) -> np.ndarray:
        """The attendees of some sessions of one course and year, who may swap seats."""
        instance = self.instance
        s = int(self.rng.integers(len(self._session_course)))
        related = np.flatnonzero(
            (self._session_course == self._session_course[s])
            & (instance.session_year == instance.session_year[s])
        )
        pairs = np.concatenate([instance.pairs_of_session[t] for t in related])
        members = np.unique(instance.pair_member[pairs[self.taken[pairs]]]).tolist()
        self.rng.shuffle(members)
        return np.array(sorted(members[: self.size]), dtype=np.int64)


def _loose_sessions(instance: Instance) -> np.ndarray:
    """Sessions whose attendance no move needs to know: room for everyone eligible, no
    least size, no seat mix, no cost for running, no together group (remote courses open
    to all, mostly)."""
    scenario = instance.scenario
    together = {group.course for group in scenario.together}
    loose = np.zeros(len(scenario.sessions), dtype=bool)
    for s, session in enumerate(scenario.sessions):
        loose[s] = (
            session.capacity >= len(instance.pairs_of_session[s])
            and session.min_size <= 1
            and not session.fixed_cost
            and not scenario.course_by_id[session.course].mix
            and session.course not in together
        )
    return loose


def _members_by(keys: list[str]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for m, key in enumerate(keys):
        groups[key].append(m)
    return groups
