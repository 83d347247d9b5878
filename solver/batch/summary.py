"""The batch summary: one row per unit, as a CSV file and as a table for the terminal."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.scenario import TERMS

from ..output.folder import atomic_file
from .rows import SUMMARY_COLUMNS, Row

if TYPE_CHECKING:
    from rich.table import Table

SUMMARY_FILE = "batch-summary.csv"


def write_summary(rows: Sequence[Row], path: Path) -> Path:
    """Write the batch summary CSV atomically (UTF-8 with BOM, for spreadsheet programs)."""

    with (
        atomic_file(path) as temporary,
        open(temporary, "w", encoding="utf-8-sig", newline="") as handle,
    ):
        writer = csv.DictWriter(handle, fieldnames=SUMMARY_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: _cell(row.get(key)) for key in SUMMARY_COLUMNS})
    return path


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    return value


def summary_table(rows: Sequence[Row], title: str = "batch summary") -> Table:
    """The summary rows as a rich table for the terminal."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for name in ("unit", "members", "status", *TERMS, "bound", "gap", "seconds", "skipped"):
        table.add_column(name, justify="left" if name in ("unit", "status") else "right")
    table.add_column("error", overflow="fold", max_width=60)
    for row in rows:
        status = row["status"]
        style = "green" if status == "OPTIMAL" else "yellow" if status == "FEASIBLE" else "red"
        gap = row.get("gap")
        table.add_row(
            row["unit"],
            _text(row.get("members")),
            f"[{style}]{status}[/]",
            *(_text(row.get(term)) for term in TERMS),
            _text(row.get("bound")),
            "" if gap is None else f"{gap:.2%}",
            "" if row.get("seconds") is None else f"{row['seconds']:.1f}",
            "yes" if row.get("skipped") else "",
            escape(row.get("error") or ""),
        )
    return table


def _text(value: Any) -> str:
    return "" if value is None else str(value)
