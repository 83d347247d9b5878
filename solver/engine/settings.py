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
    full_relaxation_pairs
        Up to this many pairs, the whole-model stages use CP-SAT's full linear relaxation
        (``linearization_level = 2``): every requirement window that needs one completion
        is a clause, and the default relaxation leaves clauses out of its LP.
    lp_subsolvers
        The CP-SAT subsolvers of a whole-model stage run with two workers: CP-SAT's
        default portfolio at two workers has no worker that proves bounds from the LP.
        Empty: CP-SAT's default. (One worker runs one search, with the full relaxation.)
    kept_pairs_share
        Of a later stage's budget for ``attendances``, ``cost`` or ``avoid``, the most its
        first step may spend on the plan's own pairs alone (dropping what trains beyond
        need) before the whole model continues from the result.
    hint_first_stage
        Whether the first whole-model stage is hinted with the first plan. It is not by
        default: one hinted worker stays near the hint (on a unit of 150 members with few
        seats, unmet 1,864 after 0.3 s of CP-SAT's deterministic time, against 1,226
        unhinted) and proves less (bound 80 against 2,759 on 300 members). Either way the
        stage keeps the first plan when it finds nothing better.
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
    full_relaxation_pairs: int = 100_000
    lp_subsolvers: tuple[str, ...] = ("default_lp", "max_lp")
    kept_pairs_share: float = 0.2
    hint_first_stage: bool = False

    def __post_init__(self) -> None:
        if not 0 < self.first_term_share <= 1:
            raise SettingsError(f"first_term_share must lie in (0, 1], not {self.first_term_share}")
        if not 0 <= self.kept_pairs_share < 1:
            raise SettingsError(f"kept_pairs_share must lie in [0, 1), not {self.kept_pairs_share}")
        if not 0 <= self.finishing_share < 1:
            raise SettingsError(f"finishing_share must lie in [0, 1), not {self.finishing_share}")
        for name in (
            "first_stage_seconds",
            "complete_hint_seconds",
            "later_stage_seconds",
            "finishing_factor",
        ):
            if getattr(self, name) < 0:
                raise SettingsError(f"{name} must not be negative")

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
