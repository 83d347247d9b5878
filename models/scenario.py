"""The scenario of SPEC.md as pydantic models: members, courses, sessions and rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal, Protocol, TypeAlias, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from .dates import DateRange, parse_date, parse_ranges
from .selector import Selector, parse_selector

Date = Annotated[dt.date, BeforeValidator(parse_date)]
Ranges = Annotated[list[DateRange], BeforeValidator(parse_ranges)]
Who = Annotated[Selector, BeforeValidator(parse_selector)]
Id = Annotated[str, BeforeValidator(lambda v: _as_id(v))]

Term = Literal["unmet", "changes", "imbalance", "attendances", "cost", "avoid"]
TERMS: tuple[Term, ...] = ("unmet", "changes", "imbalance", "attendances", "cost", "avoid")
DEFAULT_OBJECTIVE: list[Term] = list(TERMS)

# Upper bounds far above any real scenario, so that a typo (an extra few zeros) is an
# error naming its place rather than an overflow deep in the solver's integer arithmetic.
MOST_PEOPLE = 1_000_000
MOST_MONEY = 1_000_000_000
MOST_HOURS = 100_000
MOST_COUNT = 1_000_000
MOST_DAYS = 36_600  # a hundred years
MOST_LIMIT = 1_000_000_000  # a limit this high never binds (and is how one is lifted)


def _as_id(value: Any) -> Any:
    # YAML reads 2024 or 1.0 as numbers; ids are text.
    if isinstance(value, bool):
        raise ValueError(
            f"{value} is not an id: YAML reads yes, no, on, off, true and false as true or "
            "false; write the id in quotes"
        )
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        value = value.strip()
        if not value:
            raise ValueError("an id cannot be empty")
    return value


class Item(BaseModel):
    """Base of every scenario row: unknown keys are errors, and it knows where it came from."""

    # Infinite or NaN numbers (YAML's .inf, .nan) would reach the solver's arithmetic.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)
    _where: str = PrivateAttr(default="")
    _in_table: bool = PrivateAttr(default=False)

    @property
    def where(self) -> str:
        """The file and row (or key path) it was read from, with its id when it has one."""
        return self._where

    def placed(self, where: str, in_table: bool = False) -> Item:
        self._where = where
        self._in_table = in_table
        return self

    def at(self, field: str) -> str:
        """Where one of its fields is: ``members.csv row 3 (A02), column team``."""
        return f"{self._where}, column {field}" if self._in_table else f"{self._where}.{field}"


class Member(Item):
    id: Id
    name: str | None = None
    tier: Id
    track: Id | None = None
    category: Id = "general"
    unit: Id
    team: Id = ""
    joined: Date | None = None
    available_from: Date | None = None
    available_until: Date | None = None
    unavailable: Ranges = Field(default_factory=list)
    avoid: Ranges = Field(default_factory=list)

    @model_validator(mode="after")
    def _team_defaults_to_unit(self) -> Member:
        if not self.team:
            self.team = self.unit
        if (
            self.available_from is not None
            and self.available_until is not None
            and self.available_until < self.available_from
        ):
            raise ValueError(
                f"available_until {self.available_until} is before available_from "
                f"{self.available_from}"
            )
        return self

    @property
    def label(self) -> str:
        return f"{self.id} ({self.name})" if self.name else self.id


class MixRule(Item):
    who: Who = Field(default_factory=Selector)
    min_share: float | None = Field(default=None, ge=0, le=1)
    max_share: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _some_share(self) -> MixRule:
        if self.min_share is None and self.max_share is None:
            raise ValueError("a mix rule needs min_share or max_share")
        if (
            self.min_share is not None
            and self.max_share is not None
            and self.min_share > self.max_share
        ):
            raise ValueError(f"min_share {self.min_share} is above max_share {self.max_share}")
        return self


class Course(Item):
    id: Id
    label: str | None = None
    hours: float = Field(gt=0, le=MOST_HOURS)
    away: bool = True
    audience: Who = Field(default_factory=Selector)
    repeatable: bool = False
    mix: list[MixRule] = Field(default_factory=list)

    @property
    def title(self) -> str:
        return self.label or self.id


class Session(Item):
    id: Id
    course: Id
    start: Date
    end: Date | None = None
    capacity: int = Field(ge=1, le=MOST_PEOPLE)
    min_size: int = Field(default=0, ge=0, le=MOST_PEOPLE)
    hours: float | None = Field(default=None, gt=0, le=MOST_HOURS)
    seat_cost: int = Field(default=0, ge=0, le=MOST_MONEY)
    fixed_cost: int = Field(default=0, ge=0, le=MOST_MONEY)
    audience: Who = Field(default_factory=Selector)
    location: str | None = None

    @model_validator(mode="after")
    def _end_defaults_to_start(self) -> Session:
        if self.end is None:
            self.end = self.start
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    @property
    def last_day(self) -> dt.date:
        assert self.end is not None  # set by the validator
        return self.end

    @property
    def days(self) -> int:
        return (self.last_day - self.start).days + 1


class FixedWindow(Item):
    start: Date = Field(alias="from")
    end: Date = Field(alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> FixedWindow:
        if self.end < self.start:
            raise ValueError(f"window ends ({self.end}) before it starts ({self.start})")
        return self

    def __str__(self) -> str:
        return f"{self.start}/{self.end}"


class JoiningWindow(Item):
    joining_days: int = Field(ge=1, le=MOST_DAYS)

    def __str__(self) -> str:
        return f"first {self.joining_days} days after joining"


Window = Literal["horizon", "year"] | FixedWindow | JoiningWindow


def _parse_window(value: Any) -> Any:
    """Pick the window kind from its shape, so a bad window gets one clear message."""
    if value is None:
        return "horizon"
    if isinstance(value, (FixedWindow, JoiningWindow)) or value in ("horizon", "year"):
        return value
    if isinstance(value, dict) and "joining_days" in value:
        return JoiningWindow.model_validate(value)
    if isinstance(value, dict) and ("from" in value or "to" in value):
        return FixedWindow.model_validate(value)
    raise ValueError(
        f"window must be horizon, year, {{from: DATE, to: DATE}} or {{joining_days: N}}, "
        f"not {value!r}"
    )


class Requirement(Item):
    id: Id
    who: Who = Field(default_factory=Selector)
    window: Annotated[Window, BeforeValidator(_parse_window)] = "horizon"
    weight: int = Field(default=1, ge=1, le=MOST_COUNT)
    courses: list[Id] | None = None
    count: int | None = Field(default=None, ge=1, le=MOST_COUNT)
    min_hours: float | None = Field(default=None, gt=0, le=MOST_HOURS)
    balance: bool = False
    label: str | None = None

    @field_validator("courses", mode="before")
    @classmethod
    def _one_course_is_a_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_form(self) -> Requirement:
        if self.min_hours is None and not self.courses:
            raise ValueError("a requirement needs courses (with count) or min_hours")
        if self.min_hours is not None and self.count is not None:
            raise ValueError("count and min_hours cannot be combined; use two requirements")
        if self.balance and (self.min_hours is not None or self.window != "horizon"):
            raise ValueError("balance needs the courses form and the horizon window")
        return self

    @property
    def needed(self) -> int:
        return self.count if self.count is not None else 1

    @property
    def is_hours(self) -> bool:
        return self.min_hours is not None

    def counts_course(self, course_id: str) -> bool:
        return self.courses is None or course_id in self.courses


class Limit(Item):
    who: Who = Field(default_factory=Selector)
    max_days_per_year: int | None = Field(default=None, ge=0, le=MOST_LIMIT)
    max_days_per_month: int | None = Field(default=None, ge=0, le=MOST_LIMIT)
    max_hours_per_year: float | None = Field(default=None, ge=0, le=MOST_LIMIT)
    max_sessions_per_year: int | None = Field(default=None, ge=0, le=MOST_LIMIT)
    min_gap_days: int | None = Field(default=None, ge=0, le=MOST_DAYS)


LIMIT_FIELDS = (
    "max_days_per_year",
    "max_days_per_month",
    "max_hours_per_year",
    "max_sessions_per_year",
    "min_gap_days",
)


class TeamLimit(Item):
    teams: list[Id] | None = None
    units: list[Id] | None = None
    max_away: int | None = Field(default=None, ge=0, le=MOST_PEOPLE)
    max_away_share: float | None = Field(default=None, gt=0, le=1)
    blackout: Ranges = Field(default_factory=list)

    @field_validator("teams", "units", mode="before")
    @classmethod
    def _one_name_is_a_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, (str, int)) else value

    def applies_to(self, team: str, units: set[str]) -> bool:
        if self.teams is None and self.units is None:
            return True
        return bool(
            (self.teams is not None and team in self.teams)
            or (self.units is not None and units.intersection(self.units))
        )


class Together(Item):
    course: Id
    members: list[Id] = Field(min_length=2)


class HistoryRow(Item):
    member: Id
    course: Id
    date: Date


class PinnedRow(Item):
    member: Id
    session: Id


class UnitName(Item):
    """A unit's name, for what planners read (a row of the optional ``units`` table)."""

    id: Id
    name: str


class TeamName(Item):
    """A team's name, for what planners read (a row of the optional ``teams`` table)."""

    id: Id
    name: str


class Horizon(Item):
    start: Date
    end: Date

    @model_validator(mode="after")
    def _ordered(self) -> Horizon:
        if self.end < self.start:
            raise ValueError(f"horizon ends ({self.end}) before it starts ({self.start})")
        return self

    @property
    def range(self) -> DateRange:
        return DateRange(self.start, self.end)


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_ItemT = TypeVar("_ItemT", bound=_Identified)


# A scenario's look-up by id of one of its lists.
Lookup: TypeAlias = cached_property[dict[str, _ItemT]]


def _by_id(items: Callable[[Scenario], list[_ItemT]]) -> Lookup[_ItemT]:
    """A scenario's look-up by id of one of its lists, made once and kept.

    Ids are unique once the scenario is validated (``models.validate``).
    """
    return cached_property(lambda scenario: {item.id: item for item in items(scenario)})


class Scenario(BaseModel):
    """A whole scenario, loaded and type-checked (see ``models.loader``)."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    name: str | None = None
    horizon: Horizon
    closed: Ranges = Field(default_factory=list)
    members: list[Member]
    courses: list[Course]
    sessions: list[Session]
    requirements: list[Requirement] = Field(default_factory=list)
    limits: list[Limit] = Field(default_factory=list)
    team_limits: list[TeamLimit] = Field(default_factory=list)
    together: list[Together] = Field(default_factory=list)
    history: list[HistoryRow] = Field(default_factory=list)
    pinned: list[PinnedRow] = Field(default_factory=list)
    previous: list[tuple[str, str]] | None = None
    objective: list[Term] = Field(default_factory=lambda: list(DEFAULT_OBJECTIVE))
    strict: bool = False
    strict_values: bool = False
    units: list[UnitName] = Field(default_factory=list)
    teams: list[TeamName] = Field(default_factory=list)

    # Look-ups by id, made on first use and kept (``forget_lookups`` drops them).
    member_by_id: ClassVar[Lookup[Member]] = _by_id(lambda s: s.members)
    course_by_id: ClassVar[Lookup[Course]] = _by_id(lambda s: s.courses)
    session_by_id: ClassVar[Lookup[Session]] = _by_id(lambda s: s.sessions)
    requirement_by_id: ClassVar[Lookup[Requirement]] = _by_id(lambda s: s.requirements)

    @cached_property
    def unit_names(self) -> dict[str, str]:
        """Unit id to the name the ``units`` table gives, for the units it names."""
        return {unit.id: unit.name for unit in self.units}

    @cached_property
    def team_names(self) -> dict[str, str]:
        """Team id to the name the ``teams`` table gives, for the teams it names."""
        return {team.id: team.name for team in self.teams}

    @cached_property
    def years(self) -> list[int]:
        """The calendar years that overlap the horizon."""
        return list(range(self.horizon.start.year, self.horizon.end.year + 1))

    def forget_lookups(self) -> None:
        """Drop the cached look-ups (``session_by_id`` and the like).

        A copy whose lists were edited calls this, so its look-ups see the edited lists.
        """
        for name in dir(type(self)):
            if isinstance(getattr(type(self), name, None), cached_property):
                self.__dict__.pop(name, None)

    def course_of(self, session: Session) -> Course:
        return self.course_by_id[session.course]

    def session_hours(self, session: Session) -> float:
        if session.hours is not None:
            return session.hours
        return self.course_by_id[session.course].hours

    def is_away(self, session: Session) -> bool:
        return self.course_by_id[session.course].away
