"""Selectors (``who``): which members a rule applies to."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from .yaml_text import load_yaml

if TYPE_CHECKING:
    from .scenario import Member

SELECTOR_KEYS = ("tiers", "tracks", "categories", "units", "teams", "members")


# The member field each selector key reads.
MEMBER_FIELD = {
    "tiers": "tier",
    "tracks": "track",
    "categories": "category",
    "units": "unit",
    "teams": "team",
    "members": "id",
}


class Selector(BaseModel):
    """A member matches when, for every key given, its value is in that list."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tiers: tuple[str, ...] | None = None
    tracks: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None
    units: tuple[str, ...] | None = None
    teams: tuple[str, ...] | None = None
    members: tuple[str, ...] | None = None

    @field_validator(*SELECTOR_KEYS, mode="before")
    @classmethod
    def _one_value_is_a_list(cls, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, (str, int, float)):
            return (str(value),)
        if isinstance(value, (list, tuple)):
            return tuple(str(item) for item in value)
        return value

    def matches(self, member: Member) -> bool:
        return (
            _admits(self.tiers, member.tier)
            and _admits(self.tracks, member.track)
            and _admits(self.categories, member.category)
            and _admits(self.units, member.unit)
            and _admits(self.teams, member.team)
            and _admits(self.members, member.id)
        )

    @property
    def is_everyone(self) -> bool:
        return all(getattr(self, key) is None for key in SELECTOR_KEYS)

    def given(self) -> dict[str, tuple[str, ...]]:
        """The keys the selector sets, for messages and validation."""
        return {key: getattr(self, key) for key in SELECTOR_KEYS if getattr(self, key) is not None}

    def __str__(self) -> str:
        if self.is_everyone:
            return "everyone"
        return ", ".join(f"{key}: {', '.join(values)}" for key, values in self.given().items())


def _admits(values: tuple[str, ...] | None, value: str | None) -> bool:
    return values is None or value in values


def parse_selector(value: Any) -> Any:
    """Accept a selector as a mapping, or as YAML flow style / JSON text (CSV cells)."""
    if value is None:
        return Selector()
    if isinstance(value, str):
        return _selector_from_text(value.strip())
    if isinstance(value, (list, tuple)):
        raise ValueError("a selector is a mapping such as {tiers: [leadership]}, not a list")
    return value


@lru_cache(maxsize=4096)
def _selector_from_text(text: str) -> Selector:
    """Parse a CSV cell once: a province's sessions repeat a few long audience cells."""
    if not text:
        return Selector()
    try:
        parsed = load_yaml(text)
    except yaml.YAMLError:
        raise ValueError(f"{text!r} is not a selector such as {{units: [U01]}}") from None
    if parsed is None:
        return Selector()
    if not isinstance(parsed, dict):
        raise ValueError(f"{text!r} is not a selector such as {{units: [U01]}}")
    return Selector.model_validate(parsed)
