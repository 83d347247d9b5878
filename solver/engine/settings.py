"""The engine's tuning knobs: one typed object with documented defaults.

Every number the engine uses to choose a path, share its time or set CP-SAT's parameters
is a field of :class:`EngineSettings`. The defaults are what rotaplan was measured with
(``benchmarks/whole_model.py``, ``benchmarks/engine.py``); a benchmark or a library caller
that wants to try others reads them from a file with :meth:`EngineSettings.from_file`.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from models import RotaplanError


class SettingsError(RotaplanError, ValueError):
    """A settings file that cannot be read: an unknown knob, or a value of the wrong kind
    (invalid input: exit code 2)."""


@dataclass(frozen=True)
class EngineSettings:
    """How the engine chooses its path and spends its time.

    Attributes
    ----------
    first_term_share
        Of the time left when the first of several stages starts, the share it may use:
        the first term matters most. Time a stage does not use goes to the next ones.
    first_stage_seconds
        The least the first whole-model stage gets, however little time is left, so that
        it can find a plan.
    complete_hint_seconds
        The most the engine spends turning the first plan into a complete hint (every
        variable of the whole model; the pairs fixed, so it is mostly presolve).
    later_stage_seconds
        The least any later whole-model stage gets.
    finishing_share, finishing_factor
        Checking and explaining the plan is reserved ``finishing_factor`` times the
        seconds indexing took, at most ``finishing_share`` of the time limit.
    search_above_pairs
        Scenarios with more eligible pairs than this are improved by neighbourhood search
        beside the whole model; smaller ones are solved stage by stage on the whole model.
    strong_bound_pairs
        Up to this many pairs, the whole model proving the bound beside the search uses
        CP-SAT's full linear relaxation.
    bound_model_pairs
        Above this many pairs no whole model is built (it would not fit in memory).
    scarce_first_pairs
        Above this many pairs the first plan weighs what a session serves by how much of all
        that could serve it each window needs (``construct``'s ``scarcity``). Its default
        equals ``search_above_pairs``'s: scenarios below it, solved on the whole model, keep
        the plain first plan, which is only their hint. Its first plans are far better at
        every size (unmet about half); in 60 s solves of 2,024 members, 19 runs on the tune
        set and 10 on scenarios seen by nobody before, ``unmet`` ended better on 9
        (``small-classes`` by up to 29: seven of its nine runs within 1.5 % of the bound
        instead of three), worse on 6 (by 2-6; ``company`` seed 101 stalls at 333 with three
        search seeds of five, where 328 was proven with four) and equal on 14; at 20,000
        members it is what the search cannot make up.
    full_relaxation_pairs
        Up to this many pairs, the whole-model stages use CP-SAT's full linear relaxation
        (``linearization_level = 2``): every requirement window that needs one completion
        is a clause, and the default relaxation leaves clauses out of its LP.
    lp_subsolvers
        The CP-SAT subsolvers of a whole-model stage run with two workers: CP-SAT's
        default portfolio at two workers has no worker that proves bounds from the LP.
        ``max_lp`` proves the bound; ``quick_restart`` finds plans (on units of 80
        members it proved ``unmet`` in 0.2-1.7 s where ``default_lp`` beside ``max_lp``
        took 0.7-5.8 s). Empty: CP-SAT's default. (One worker runs one search, with the
        full relaxation.)
    one_worker_portfolio_terms
        The terms whose whole-model stage, run with one worker, runs the two workers'
        subsolvers (``lp_subsolvers``) taking turns on the one thread: where the
        relaxation proves nothing, one worker's search keeps to the plan it starts from.
        ``avoid``: on the suite's units at one worker and 10 s it ended at 2-5 against a
        bound of 0 on 9 of 21 (seeds 1, 909, 303); taking turns, 0 on 19 of them.
        ``attendances`` and ``cost`` lose by it (their relaxation's bound is the proof).
    interleave_search
        Whether a whole-model stage with several workers runs CP-SAT's interleaved search,
        its deterministic parallel mode. It does not by default: interleaved, the workers
        take turns in fixed batches and proved ``unmet`` two to four times slower on the
        suite's units. The plan is made repeatable instead by ``repeatable_work``.
    repeatable_work
        When every stage is proven optimal with several workers (and not interleaved), the
        plan is solved once more on one worker, unhinted, with every term held at its
        optimum, for at most this much of CP-SAT's deterministic time: the same scenario,
        seed and workers then give the same plan, which free-running workers do not.
        Where that solve finds no plan in its time the stages' plan is kept. 0: never.
    kept_pairs_share
        Of a later stage's budget for ``attendances``, ``cost`` or ``avoid``, the most its
        first step may spend on the plan's own pairs alone (dropping what trains beyond
        need) before the whole model continues from the result.
    revisits, revisit_seconds
        When the last whole-model stage ends with at least ``revisit_seconds`` left and a
        stage unproven, that stage runs again with the time left, then every stage after
        it; at most ``revisits`` times. A stage revisited without gain nor proof is not
        revisited again (it would start over from the same plan); the next unproven one is.
    balance_share
        Of the ``imbalance`` stage's budget, the most it spends first proving how many
        first completions a plan can have (``solver.engine.balance_counts``), which
        proves the least imbalance.
    later_term_share
        Of the time left when a later stage (not the last) starts, the share it may use:
        an earlier term matters more than every later one together. 0: an equal share of
        the time left for each stage still to come.
    hint_first_stage
        Whether the first whole-model stage is hinted with the first plan. It is not by
        default: one hinted worker stays near the hint (on a unit of 150 members with few
        seats, unmet 1,864 after 0.3 s of CP-SAT's deterministic time, against 1,226
        unhinted) and proves less (bound 80 against 2,759 on 300 members). Either way the
        stage keeps the first plan when it finds nothing better.
    search_first_term_share
        On the search path, the least share of the time left the first of several terms
        gets: it matters most, and on large scenarios the later terms move little in the
        seconds they get.
    late_model_seconds
        On the search path above ``strong_bound_pairs``, the seconds that must be left
        after the first stage for the whole model to be built for the later ones:
        building it takes several seconds at company size, and in fewer its bounds on the
        later terms stay at 0.
    move_work, opening_work
        CP-SAT's deterministic time for one move of the neighbourhood search (about a
        second of one core's work on these models), and for a move that opens a session.
        Moves are timed by deterministic time, not the clock, so that a move finds the
        same plan whatever else runs on the machine. Measured on 20,000 generated
        members, a move of 32-41 members opening a rotation class found no plan in 0.1
        and its best in 1.
    opening_retry
        Moves before a session that would not open is tried again (doubling with each
        try): the plan around it changes, but most such sessions stay closed for good.
        Openings gain most per try, and few fail (1-4 in 150 s solves of 2,024
        members); at 300 the retry that takes ``company`` seed 101 from 333 to its
        optimum 328 came at move 311, later than a 60 s solve gets on a slower machine
        (docs/engine.md, "Since: a session that would not open ...").
    requirement_members, requirement_work, requirement_retry, requirement_share
        The members of a move over one requirement (those it leaves short, others it
        asks of, their together partners), its deterministic time, the moves before a
        requirement such a move did not lower is tried again (doubling with each try),
        and the last share of the ``unmet`` stage's search in which such moves take
        turns with the others. (See ``Pickers.by_requirement``.)
    fill_every
        Moves between two fill passes of the search: a pass costs about ten moves at
        company size.
    settle_at, settle_wait
        The move at which the search takes the block bound's blocks (at a fixed move, so
        that its trajectory does not depend on when the bound's thread finishes), and the
        most seconds it waits for them there; a bound later than that is asked for again
        at twice the moves, and so on, rather than stall the search. The wait is long
        enough for the blocks of a 2,024-member company on a slow machine (they came 5-6
        s after move 40 where it was 5 s, and two runs of one command then went different
        ways), so there every run takes them at move 40. At 20,000 members one province
        gained 229 by it and another lost 23 (docs/engine.md, "Since: the search waits up
        to 30 s for the blocks").
    relaxation_pairs
        Up to this many eligible pairs, the search's ``unmet`` stage proves the blocks and
        then the bound of the whole model's linear relaxation with the blocks as cuts in a
        child process (``solver.engine.bound_child``); above it the child's copy of the
        instance and model would not fit in memory, and the blocks are proven in a thread.
    seats_block_pairs
        A seats block of the block bound is proven only up to this many pairs, so that
        its model stays small; larger ones (the hours windows of a year reach every
        session of the year) are left to the members' blocks.
    flow_block_pairs
        A seats block of a requirement that counts completions with more pairs than this
        is bounded by the maximum flow of its seats (``solver.engine.bound_flow``) instead
        of CP-SAT's proof. On 26 such blocks of 6,000-8,200 pairs (generated companies of
        2,024 members, seven scenarios of four families) the proof never proved more than
        the flow, and took 0.3-11 s each; on blocks of a few hundred pairs it proved up
        to four times the flow in a twentieth of a second.
    block_work
        CP-SAT's deterministic time one block's proof may take (a few seconds of one
        core): a block then proves the same whatever else runs on the machine, and a
        block CP-SAT cannot close in that time keeps the bound it proved (0 or more)
        instead of holding up every block after it. With 60, one seats block of 399
        members on a churn company of 2,024 (seed 505) ran for the whole `unmet` stage
        and the bound ended at 73; with 2 the blocks prove 526 in 8.5 s. On the tune
        scenarios (five families at 2,024 members, seed 1) and two provinces, 2 proves
        the same value as 60.
    profile_seconds
        The most CP-SAT time for one member profile's priced model of the attendance
        bound at the end of a solve.
    """

    first_term_share: float = 0.6
    first_stage_seconds: float = 1.0
    complete_hint_seconds: float = 2.0
    later_stage_seconds: float = 0.05
    finishing_share: float = 0.1
    finishing_factor: float = 4.0
    search_above_pairs: int = 25_000
    strong_bound_pairs: int = 100_000
    bound_model_pairs: int = 1_200_000
    scarce_first_pairs: int = 25_000
    full_relaxation_pairs: int = 100_000
    lp_subsolvers: tuple[str, ...] = ("max_lp", "quick_restart")
    interleave_search: bool = False
    one_worker_portfolio_terms: tuple[str, ...] = ("avoid",)
    repeatable_work: float = 1.0
    kept_pairs_share: float = 0.2
    balance_share: float = 0.2
    revisits: int = 6
    revisit_seconds: float = 0.5
    hint_first_stage: bool = False
    later_term_share: float = 0.6
    search_first_term_share: float = 0.85
    late_model_seconds: float = 30.0
    move_work: float = 0.1
    opening_work: float = 1.0
    opening_retry: int = 100
    requirement_members: int = 120
    requirement_work: float = 2.0
    requirement_retry: int = 20
    requirement_share: float = 0.25
    fill_every: int = 10
    settle_at: int = 40
    settle_wait: float = 30.0
    relaxation_pairs: int = 600_000
    seats_block_pairs: int = 20_000
    flow_block_pairs: int = 2_000
    block_work: float = 2.0
    profile_seconds: float = 1.0

    def __post_init__(self) -> None:
        for name in ("first_term_share", "search_first_term_share"):
            if not 0 < getattr(self, name) <= 1:
                raise SettingsError(f"{name} must lie in (0, 1], not {getattr(self, name)}")
        for name in ("later_term_share", "requirement_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise SettingsError(f"{name} must lie in [0, 1], not {getattr(self, name)}")
        for name in ("kept_pairs_share", "balance_share"):
            if not 0 <= getattr(self, name) < 1:
                raise SettingsError(f"{name} must lie in [0, 1), not {getattr(self, name)}")
        if not 0 <= self.finishing_share < 1:
            raise SettingsError(f"finishing_share must lie in [0, 1), not {self.finishing_share}")
        for name in (
            "first_stage_seconds",
            "complete_hint_seconds",
            "later_stage_seconds",
            "finishing_factor",
            "late_model_seconds",
            "revisit_seconds",
            "settle_wait",
            "profile_seconds",
            "repeatable_work",
        ):
            if getattr(self, name) < 0:
                raise SettingsError(f"{name} must not be negative")
        if self.revisits < 0:
            raise SettingsError("revisits must not be negative")
        for name in ("move_work", "opening_work", "block_work", "fill_every", "settle_at"):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{name} must be positive")

    @classmethod
    def from_file(cls, path: str | Path) -> EngineSettings:
        """Read the knobs a TOML, JSON or YAML file sets; the others keep their defaults.

        Raises
        ------
        SettingsError
            For a file that is not a mapping, an unknown knob or a value of the wrong kind.
        """
        path = Path(path)
        text = path.read_text(encoding="utf-8")
        suffix = path.suffix.lower()
        try:
            if suffix == ".toml":
                data: Any = tomllib.loads(text)
            elif suffix == ".json":
                data = json.loads(text)
            else:
                data = yaml.safe_load(text)
        except (tomllib.TOMLDecodeError, json.JSONDecodeError, yaml.YAMLError) as error:
            raise SettingsError(
                f"{path}: not readable as {suffix[1:] or 'YAML'}: {error}"
            ) from None
        if not isinstance(data, dict):
            raise SettingsError(f"{path}: expected a mapping of knob names to values")
        return cls.from_mapping(data, source=str(path))

    @classmethod
    def from_mapping(cls, data: dict[str, Any], source: str = "settings") -> EngineSettings:
        """Settings from a mapping of knob names to values, checked against each knob's type."""
        fields = {f.name: f for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name not in fields:
                known = ", ".join(sorted(fields))
                raise SettingsError(f"{source}: unknown knob {name!r} (known: {known})")
            values[name] = _typed(source, name, value, getattr(cls, name))
        return cls(**values)


def _typed(source: str, name: str, value: Any, default: Any) -> Any:
    """``value`` as the kind of the knob's default: int, float or a tuple of strings."""
    wrong = SettingsError(f"{source}: {name} must be {type(default).__name__}, not {value!r}")
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise wrong
        return value
    if isinstance(default, tuple):
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise wrong
        return tuple(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise wrong
    if isinstance(default, int):
        if value != int(value):
            raise wrong
        return int(value)
    return float(value)
