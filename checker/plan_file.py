"""Reading a plan's ``assignments.csv`` (a plan folder or the file itself)."""

from __future__ import annotations

import csv
from pathlib import Path

from models import Problem, ScenarioError


def read_assignments(path: str | Path) -> list[tuple[str, str]]:
    """The ``(member_id, session_id)`` rows of a plan, in file order."""
    path = Path(path)
    file = path / "assignments.csv" if path.is_dir() else path
    if not file.is_file():
        raise ScenarioError([Problem(str(file), "no such file")])
    try:
        with open(file, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            missing = [c for c in ("member_id", "session_id") if c not in columns]
            if missing:
                raise ScenarioError(
                    [Problem(file.name, f"missing column(s) {', '.join(missing)} in the header")]
                )
            rows = []
            problems = []
            for number, row in enumerate(reader, start=2):
                member, session = (
                    (row["member_id"] or "").strip(),
                    (row["session_id"] or "").strip(),
                )
                if not member or not session:
                    problems.append(
                        Problem(f"{file.name} row {number}", "empty member_id or session_id")
                    )
                    continue
                rows.append((member, session))
    except UnicodeDecodeError as error:
        raise ScenarioError([Problem(file.name, f"not UTF-8 text ({error.reason})")]) from None
    if problems:
        raise ScenarioError(problems)
    return rows
