"""Finding a batch's units: scenario files, and folders of them, each named once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from models.errors import RotaplanError
from models.loader import SUFFIXES as SCENARIO_SUFFIXES


class BatchInputError(RotaplanError):
    """The batch's inputs are unusable as a whole: nothing found, or names that clash."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class BatchUnit:
    """One unit of the batch: its name (the folder it gets under OUT) and scenario file."""

    name: str
    scenario: Path


def find_units(inputs: Iterable[str | Path], skip: Path | None = None) -> list[BatchUnit]:
    """The units named by scenario files and folders of them, in the order given.

    A folder contributes every scenario file directly in it and in its subfolders (one
    level down). A unit is named after its file's stem, or after its folder when the file
    is ``scenario.*``. ``skip`` is a folder not to look in (the batch's own output).

    Raises
    ------
    BatchInputError
        When an input does not exist, nothing is found, or two files give one name.
    """
    problems: list[str] = []
    found: dict[Path, BatchUnit] = {}
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            files = _scenarios_in(path, skip.resolve() if skip else None)
        elif path.is_file() and path.suffix.lower() in SCENARIO_SUFFIXES:
            files = [path]
        elif path.exists():
            problems.append(f"{path}: not a scenario file ({', '.join(SCENARIO_SUFFIXES)})")
            continue
        else:
            problems.append(f"{path}: no such file or folder")
            continue
        if not files:
            problems.append(f"{path}: no scenario files in this folder or its subfolders")
        for file in files:
            found.setdefault(file.resolve(), BatchUnit(_unit_name(file), file.resolve()))
    units = list(found.values())
    problems.extend(_name_clashes(units))
    if not units and not problems:
        problems.append("no scenarios given")
    if problems:
        raise BatchInputError(problems)
    return units


def _scenarios_in(folder: Path, skip: Path | None) -> list[Path]:
    """Scenario files directly in ``folder`` and one level down, hidden ones left out."""
    files: list[Path] = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and entry.resolve() != skip:
            files.extend(
                child
                for child in sorted(entry.iterdir())
                if _is_scenario_file(child) and not child.name.startswith(".")
            )
        elif _is_scenario_file(entry):
            files.append(entry)
    return files


def _is_scenario_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in SCENARIO_SUFFIXES


def _unit_name(file: Path) -> str:
    return file.resolve().parent.name if file.stem == "scenario" else file.stem


def _name_clashes(units: Sequence[BatchUnit]) -> list[str]:
    by_name: dict[str, list[Path]] = {}
    for unit in units:
        by_name.setdefault(unit.name, []).append(unit.scenario)
    return [
        f"unit name '{name}' is given by {len(paths)} scenarios: "
        + ", ".join(str(p) for p in paths)
        + " (each unit needs its own name: rename a file or its folder)"
        for name, paths in by_name.items()
        if len(paths) > 1
    ]
