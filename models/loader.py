"""Read a scenario from YAML, JSON or TOML, with tables inline or in CSV/XLSX files.

Every problem is collected before anything is raised, so a planner fixes a file in one go.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError

from .near import near_miss
from .problems import Problem, ScenarioError
from .scenario import (
    Course,
    HistoryRow,
    Horizon,
    Item,
    Limit,
    Member,
    PinnedRow,
    Requirement,
    Scenario,
    Session,
    TeamLimit,
    TeamName,
    Together,
    UnitName,
)
from .selector import SELECTOR_KEYS
from .tables import TableColumns, csv_text, read_table, row_name
from .validate import cross_check
from .yaml_text import load_yaml

TABLES: dict[str, type[Item]] = {
    "members": Member,
    "sessions": Session,
    "history": HistoryRow,
    "pinned": PinnedRow,
    "units": UnitName,  # names only, for what planners read
    "teams": TeamName,
}
LISTS: dict[str, type[Item]] = {
    "courses": Course,
    "requirements": Requirement,
    "limits": Limit,
    "team_limits": TeamLimit,
    "together": Together,
}
# Every key a row, a window or a selector may have, for "did you mean".
FIELD_NAMES = sorted(
    {name for model in (*TABLES.values(), *LISTS.values()) for name in model.model_fields}
    | {"from", "to", "joining_days", "min_share", "max_share", *SELECTOR_KEYS}
)
REQUIRED = ("version", "horizon", "members", "courses", "sessions")
KNOWN = set(Scenario.model_fields)
SUFFIXES = (".yaml", ".yml", ".json", ".toml")


class LoadedScenario(Scenario):
    """A scenario that remembers where it came from and what the loader warned about."""

    source: Path | None = None
    warnings: list[Problem] = Field(default_factory=list)


def load_scenario(
    source: str | Path | dict[str, Any],
    base_dir: str | Path | None = None,
    *,
    strict_values: bool = False,
) -> LoadedScenario:
    """Load and validate a scenario from a file path or from a mapping.

    Parameters
    ----------
    source
        A ``.yaml``/``.yml``/``.json``/``.toml`` file, or the scenario as a mapping.
    base_dir
        For a mapping: the folder that table paths are relative to (default: the
        current folder).
    strict_values
        Make a table value that is probably a typo (close to a name the rules use, used
        by none) an error instead of a warning, as the scenario key ``strict_values`` does.

    Raises
    ------
    ScenarioError
        With one ``Problem`` per thing wrong, naming the file, row or key.
    """
    if isinstance(source, dict):
        reader = _Reader(Path(base_dir or ".").resolve(), "scenario")
        raw: Any = source
    else:
        path = Path(source)
        reader = _Reader(path.resolve().parent, path.name)
        raw = reader.read_document(path)
    scenario = reader.build(raw, strict_values)
    scenario.source = None if isinstance(source, dict) else Path(source)
    return scenario


def read_document(path: str | Path) -> Any:
    """A scenario file's document as parsed, not yet checked against the format.

    Raises
    ------
    ScenarioError
        When the file is missing, of another kind, not UTF-8, or not valid YAML/JSON/TOML.
    """
    file = Path(path)
    return _Reader(file.resolve().parent, file.name).read_document(file)


def table_paths(document: Any) -> list[str]:
    """The files a scenario document's tables and ``previous`` name, sheets left off, sorted."""
    if not isinstance(document, dict):
        return []
    names = [document.get(key) for key in (*TABLES, "previous")]
    return sorted({name.partition("#")[0] for name in names if isinstance(name, str)})


class _Reader:
    def __init__(self, base: Path, label: str):
        self.base = base
        self.label = label
        self.problems: list[Problem] = []

    def error(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def warn(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message, "warning"))

    def fail_if_errors(self) -> None:
        if any(p.severity == "error" for p in self.problems):
            raise ScenarioError(self.problems)

    # -- the scenario document -------------------------------------------------------

    def read_document(self, path: Path) -> Any:
        if not path.is_file():
            raise ScenarioError([Problem(str(path), "no such file")])
        if path.suffix.lower() not in SUFFIXES:
            raise ScenarioError([Problem(str(path), f"a scenario is a {', '.join(SUFFIXES)} file")])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            line = path.read_bytes()[: error.start].count(b"\n") + 1
            raise ScenarioError(
                [Problem(f"{path.name} line {line}", "not UTF-8 text: save the file as UTF-8")]
            ) from None
        try:
            if path.suffix.lower() == ".json":
                return json.loads(text)
            if path.suffix.lower() == ".toml":
                return tomllib.loads(text)
            return load_yaml(text)
        except json.JSONDecodeError as error:
            where = f"{path.name} line {error.lineno}"
            raise ScenarioError([Problem(where, f"not valid JSON: {error.msg}")]) from None
        except tomllib.TOMLDecodeError as error:
            raise ScenarioError([Problem(path.name, f"not valid TOML: {error}")]) from None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"{path.name} line {mark.line + 1}" if mark else path.name
            problem = getattr(error, "problem", None) or str(error)
            raise ScenarioError([Problem(where, f"not valid YAML: {problem}")]) from None

    def build(self, raw: Any, strict_values: bool = False) -> LoadedScenario:
        if not isinstance(raw, dict):
            raise ScenarioError([Problem(self.label, "a scenario is a mapping of keys")])
        for key in raw:
            if key not in KNOWN:
                meant = near_miss(str(key), sorted(KNOWN))
                hint = f"; did you mean {meant!r}?" if meant else ""
                self.error(f"{self.label}: {key}", f"unknown key {key!r}{hint}")
        for key in REQUIRED:
            if raw.get(key) is None:
                self.error(self.label, f"missing required key {key!r}")
        self.fail_if_errors()
        fields: dict[str, Any] = {}
        for key, value in raw.items():
            if key in TABLES:
                in_table = isinstance(value, str)
                fields[key] = self.read_items(TABLES[key], self.table(key, value), in_table)
            elif key in LISTS:
                fields[key] = self.read_items(LISTS[key], self.inline(key, value), False)
            elif key == "horizon":
                fields[key] = self.read_one(f"{self.label}: horizon", Horizon, value)
            elif key == "previous":
                fields[key] = self.read_previous(value)
            else:
                fields[key] = value
        self.fail_if_errors()
        try:
            scenario = LoadedScenario.model_validate(fields)
        except ValidationError as error:
            for item in error.errors():
                self.error(f"{self.label}: {_key_path(item['loc'])}", _explain(item))
            raise ScenarioError(self.problems) from None
        self.problems.extend(
            cross_check(scenario, strict_values=strict_values or scenario.strict_values)
        )
        self.fail_if_errors()
        scenario.warnings = list(self.problems)
        return scenario

    # -- sections ---------------------------------------------------------------------

    def inline(self, key: str, value: Any) -> list[tuple[str, dict[str, Any]]]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{self.label}: {key}", "must be a list")
            return []
        return [
            (f"{self.label}: {key}[{i}]{row_name(key, row)}", row) for i, row in enumerate(value)
        ]

    def table(self, key: str, value: Any) -> list[tuple[str, dict[str, Any]]]:
        if isinstance(value, list) or value is None:
            return self.inline(key, value)
        if not isinstance(value, str):
            self.error(
                f"{self.label}: {key}", "must be a list of rows or a path to a CSV/XLSX file"
            )
            return []
        path, sheet = self.resolve(key, value)
        if path is None:
            return []
        model = TABLES[key]
        fields = model.model_fields
        columns = TableColumns(
            known=set(fields) | {f.alias for f in fields.values() if f.alias},
            required=[f.alias or name for name, f in fields.items() if f.is_required()],
        )
        table = read_table(path, sheet, key, columns)
        self.problems.extend(table.problems)
        return table.rows

    def resolve(self, key: str, value: str) -> tuple[Path | None, str | None]:
        name, _, sheet = value.partition("#")
        try:
            path = (self.base / name).resolve()
            is_file = path.is_file()
        except (OSError, ValueError):  # a null byte, a name too long for the system
            self.error(f"{self.label}: {key}", f"{value!r} is not a file name")
            return None, None
        if not path.is_relative_to(self.base):
            self.error(f"{self.label}: {key}", f"{value!r} lies outside the scenario's folder")
            return None, None
        if not is_file:
            near = near_miss(name, _file_names(self.base))
            hint = f"; did you mean {near!r}?" if near else ""
            self.error(f"{self.label}: {key}", f"no such file {value!r}{hint}")
            return None, None
        if path.suffix.lower() not in (".csv", ".xlsx"):
            self.error(f"{self.label}: {key}", f"{value!r} is not a .csv or .xlsx file")
            return None, None
        return path, sheet or None

    def read_items(
        self, model: type[Item], rows: list[tuple[str, dict[str, Any]]], in_table: bool
    ) -> list[Item]:
        items = []
        for where, row in rows:
            item = self.read_one(where, model, row, in_table)
            if item is not None:
                items.append(item)
        return items

    def read_one(self, where: str, model: type[Item], row: Any, in_table: bool = False) -> Any:
        if not isinstance(row, dict):
            self.error(where, f"must be a mapping of keys and values, not {_kind(row)}")
            return None
        try:
            return model.model_validate(row).placed(where, in_table)
        except ValidationError as error:
            for item in error.errors():
                loc = _key_path(item["loc"])
                sep = ", column " if in_table else "."
                self.error(f"{where}{sep}{loc}" if loc else where, _explain(item))
            return None

    def read_previous(self, value: Any) -> list[tuple[str, str]] | None:
        if not isinstance(value, str):
            self.error(f"{self.label}: previous", "must be a path to an earlier assignments.csv")
            return None
        path, _ = self.resolve("previous", value)
        if path is None:
            return None
        if path.suffix.lower() != ".csv":
            self.error(f"{self.label}: previous", f"{value!r} must be a plan's assignments.csv")
            return None
        text = csv_text(path, self.problems)
        if text is None:
            return None
        with io.StringIO(text, newline="") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            if "member_id" not in columns or "session_id" not in columns:
                self.error(value, "an assignments file needs columns member_id and session_id")
                return None
            return [
                ((row["member_id"] or "").strip(), (row["session_id"] or "").strip())
                for row in reader
            ]


def _file_names(folder: Path) -> list[str]:
    """The files in a folder, for "did you mean" (none when it cannot be listed)."""
    try:
        return sorted(p.name for p in folder.iterdir() if p.is_file())
    except OSError:
        return []


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (an empty entry)"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


def _key_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif part in ("function-after[_team_defaults_to_unit(), Member]",):
            continue
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts)


def _unknown_key(error: dict[str, Any]) -> str:
    key = str(error["loc"][-1]) if error["loc"] else ""
    meant = near_miss(key, FIELD_NAMES)
    hint = f"; did you mean {meant!r}?" if meant else ""
    return f"unknown key (value {error['input']!r}){hint}"


_MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda e: "missing required field",
    "extra_forbidden": _unknown_key,
    "literal_error": lambda e: f"{e['msg'].lower()}, got {e['input']!r}",
}


def _explain(error: Any) -> str:
    kind = error["type"]
    if kind in _MESSAGES:
        return _MESSAGES[kind](error)
    message = str(error["msg"])
    if message.startswith("Value error, "):
        return message[len("Value error, ") :]
    if "input" in error and not isinstance(error["input"], (dict, list, BaseModel)):
        return f"{message[0].lower()}{message[1:]} (got {error['input']!r})"
    return message[0].lower() + message[1:]
