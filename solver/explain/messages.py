"""Rendering the message catalogue: notes, references and lists, in English or Chinese.

Reasons are built as ``Note`` values (a message id and its parameters) and rendered only
at the end, so the same finding prints in either language. Parameters that name scenario
objects are ``Ref`` values: English prints their ids, Chinese prints the scenario's labels
(course label, member name, requirement label) where they exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from string import Formatter
from typing import TYPE_CHECKING, Any

from models.dates import DateRange

from .catalogue import CATALOGUE, LANGUAGES

if TYPE_CHECKING:
    from models import Scenario


_SEPARATORS = {"en": ("; ", ", "), "zh": ("；", "、")}


@dataclass(frozen=True)
class Ref:
    """A scenario object named in a message: ``kind`` is member, course, session or requirement."""

    kind: str
    id: str


@dataclass
class Note:
    """A message id with its parameters; render it with a ``Renderer``."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Items:
    """A list parameter: ``major`` lists join with ``;``, the others with ``,``."""

    values: Sequence[Any]
    major: bool = False


class NoteText(str):
    """A message rendered in English that keeps its note, to be rendered again in another language.

    The conflict sentences are such texts: ``Plan.conflicts`` stays a list of plain English
    strings for library callers, ``summary.json`` and batch reports, while the closing lines
    of ``solve`` and ``replan`` render each one's ``note`` in the chosen language. Keeping the
    note inside the string, rather than in a list beside it, means no caller can pair a
    sentence with the wrong note, and the engine that fills ``Plan.conflicts`` need not know
    about notes at all.
    """

    note: Note

    def __new__(cls, note: Note, scenario: Scenario | None = None) -> NoteText:
        text = super().__new__(cls, Renderer(scenario, "en")(note))
        text.note = note
        return text


def note(key: str, **params: Any) -> Note:
    """Build a note, checking the id so a typo fails where it is written."""
    if key not in CATALOGUE:
        raise KeyError(f"no message {key!r} in the catalogue")
    return Note(key, params)


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template uses."""
    return {name for _, name, _, _ in Formatter().parse(template) if name}


class Renderer:
    """Turns notes into text in one language, naming scenario objects as that language wants."""

    def __init__(self, scenario: Scenario | None, lang: str = "en"):
        if lang not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
        self.scenario = scenario
        self.lang = lang

    def __call__(self, value: Any) -> str:
        return self.text(value)

    def text(self, value: Any) -> str:
        """Render a note, reference, list, date or number."""
        if isinstance(value, NoteText):
            return self.text(value.note)
        if isinstance(value, Note):
            template = CATALOGUE[value.key][LANGUAGES.index(self.lang)]
            return template.format(**{k: self.text(v) for k, v in value.params.items()})
        if isinstance(value, Ref):
            return self.name(value)
        if isinstance(value, Items):
            major, minor = _SEPARATORS[self.lang]
            return (major if value.major else minor).join(self.text(v) for v in value.values)
        if isinstance(value, DateRange):
            return str(value)
        if isinstance(value, (list, tuple)):
            return _SEPARATORS[self.lang][1].join(self.text(v) for v in value)
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else f"{value:g}"
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)

    def name(self, ref: Ref) -> str:
        """English prints ids; Chinese prints the scenario's label where there is one."""
        if self.lang == "en" or self.scenario is None:
            return ref.id
        label = self._label(ref)
        if not label or label == ref.id:
            return ref.id
        return f"{label}（{ref.id}）" if ref.kind == "member" else label

    def _label(self, ref: Ref) -> str | None:
        scenario = self.scenario
        assert scenario is not None
        if ref.kind == "member" and ref.id in scenario.member_by_id:
            return scenario.member_by_id[ref.id].name
        if ref.kind == "course" and ref.id in scenario.course_by_id:
            return scenario.course_by_id[ref.id].label
        if ref.kind == "requirement" and ref.id in scenario.requirement_by_id:
            return scenario.requirement_by_id[ref.id].label
        return None


def member(member_id: str) -> Ref:
    return Ref("member", member_id)


def course(course_id: str) -> Ref:
    return Ref("course", course_id)


def session(session_id: str) -> Ref:
    return Ref("session", session_id)


def requirement(requirement_id: str) -> Ref:
    return Ref("requirement", requirement_id)


def shortened(values: Sequence[Any], most: int = 5) -> Any:
    """At most ``most`` values, then how many more: keeps long member lists readable."""
    if len(values) <= most:
        return Items(list(values))
    return note("list.more", shown=Items(list(values[:most])), count=len(values) - most)
