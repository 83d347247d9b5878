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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from .fill_pass import Filler
from .instance import Instance
from .instance_groups import free_sessions
from .model import RotaModel, Scope
from .search_pickers import Pickers
from .search_shortfalls import Shortfalls
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
        seed: int = 0,
        settings: EngineSettings | None = None,
    ):
        # Its knobs (move work, openings, fill passes, when the blocks settle): see
        # ``EngineSettings``. Moves are timed in CP-SAT's deterministic time, so a run's
        # moves follow one trajectory and a longer time limit only continues it.
        self.settings = settings or EngineSettings()
        self.instance = instance
        self.rng = np.random.default_rng(seed)
        self.plan = Shortfalls(instance, taken.astype(bool).copy())
        self.pickers = Pickers(instance, self.plan, self.rng, self.settings)
        self.move_work = self.settings.move_work
        self.overlap = True  # solve a move while the next, independent one is built
        # Measured on generated companies: small models improve fastest without the LP.
        self.parameters: dict[str, Any] = {"linearization_level": 0}
        # A boolean per session: those whose attendance no move needs to know (room for
        # everyone eligible and nothing else to count); reaches and backgrounds leave them out.
        self.loose = free_sessions(instance)
        self.filler = Filler(instance)

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
        pickers = self.pickers.for_term(term)
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

        # The stage's last share, when requirement moves take turns with the others.
        late: float | None = deadline - knobs.requirement_share * max(0.0, deadline - started)
        while time.monotonic() + 0.2 < deadline and not (stop is not None and stop()):
            if term == "unmet" and late is not None and time.monotonic() >= late:
                pickers = [*pickers, (self.pickers.by_requirement, knobs.requirement_work)]
                late = None
            self.pickers.moves = stats.moves
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
            reach = self.reach(members) if overlap else None
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

    def move(
        self, term: str, members: np.ndarray, deadline: float, work: float | None = None
    ) -> int:
        """One move over ``members``: re-solve them for ``term`` with everyone else fixed,
        for ``work`` of CP-SAT's deterministic time (by default the adaptive amount), and
        take the result unless it is worse. Returns the gain on ``term`` (0 when the
        neighbourhood cannot be read or solved)."""
        move = self._prepare(term, members, deadline, work)
        return 0 if move is None else self._finish(self._launch(move))

    def _fill(self) -> int:
        """Add every session that serves an unmet window and fits; the gain on unmet."""
        before = int((self.shortfalls() * self.plan.weight).sum())
        self.taken = self.filler.fill(self.taken)
        return before - int((self.shortfalls() * self.plan.weight).sum())

    def _prepare(
        self, term: str, members: np.ndarray, deadline: float, work: float | None = None
    ) -> _Move | None:
        """The neighbourhood's model, minimising the term with the held terms kept where
        they are, hinted with the current plan, solved for ``work`` of CP-SAT's
        deterministic time (by default the amount the adaptive neighbourhood size is tuned
        for); None when it cannot be read."""
        instance = self.instance
        terms = (*self._held_terms, term) if term not in self._held_terms else self._held_terms
        background = self.background(members, global_terms="imbalance" in terms)
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
        move.rota.decide(taken, solver.value)
        self.plan.replace(taken, move.members)
        return move.current - value

    def reach(self, members: np.ndarray) -> frozenset[tuple[str, int | str]]:
        """What a move's members share with others: sessions with room to run out, and
        teams (whose away caps and together groups' partners count across members).

        Two moves whose reaches are disjoint cannot affect each other, so ``run`` solves
        one while it builds the next; ``("session", s)`` and ``("team", name)`` entries."""
        teams = {self.instance.member_team[m] for m in members.tolist()}
        return frozenset(
            [("session", int(s)) for s in self._fillable_sessions(members)]
            + [("team", t) for t in teams]
        )

    def _fillable_sessions(self, members: np.ndarray) -> np.ndarray:
        """The sessions the members could attend that can fill up (not loose)."""
        instance = self.instance
        sessions = np.unique(instance.pair_session[instance.pairs_of_members(members)])
        return sessions[~self.loose[sessions]]

    def background(self, members: np.ndarray, global_terms: bool) -> np.ndarray:
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
            teammates = {t for m in members for t in self.pickers.teams[instance.member_team[m]]}
            near = np.concatenate(
                [instance.pairs_of_session[s] for s in sessions]
                + [instance.pairs_of_member[t] for t in teammates]
            )
            held = np.unique(near[self.taken[near]])
        return held[~mine[instance.pair_member[held]]]

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
            return int((self.shortfalls()[windows] * self.plan.weight[windows]).sum())
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
        pickers = self.pickers
        if status == cp_model.OPTIMAL and work < 0.3 * limit:
            pickers.size = min(int(pickers.size * 1.15) + 1, 600)
        elif status != cp_model.OPTIMAL:
            pickers.size = max(int(pickers.size * 0.9), pickers.floor)

    # -- the plan, as the bookkeeping holds it ------------------------------------------

    @property
    def taken(self) -> np.ndarray:
        """The current plan, a boolean per eligible pair; assign a new array to change it."""
        return self.plan.taken

    @taken.setter
    def taken(self, value: np.ndarray) -> None:
        self.plan.taken = value

    def shortfalls(self) -> np.ndarray:
        """Each window's shortfall under the current plan, in the requirement's units."""
        return self.plan.shortfalls()

    def weighted_shortfalls(self) -> np.ndarray:
        """Each window's part of ``unmet`` under the current plan."""
        return self.plan.weighted_shortfalls()

    def open_windows(self) -> np.ndarray:
        """The unmet windows a move may still gain on (``Shortfalls.open_windows``)."""
        return self.plan.open_windows()

    def settle(self, blocks: list[tuple[np.ndarray, int]]) -> None:
        """Blocks of windows at their proven least (``Shortfalls.settle``)."""
        self.plan.settle(blocks)
