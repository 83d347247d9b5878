"""Showing a batch's progress: log lines, or a progress bar on a terminal."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any, Protocol

from .rows import Row

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress


class BatchProgress(Protocol):
    """Receives what a batch is doing, for a progress bar or log lines."""

    def started(self, total: int, where: str) -> None: ...

    def finished(self, row: Row) -> None: ...

    def note(self, message: str) -> None: ...


class LogBatchProgress:
    """One line per unit finished, for logs (batch jobs whose stderr is a file)."""

    def __init__(self, stream: Any = None):
        self.stream = stream or sys.stderr
        self.total = 0
        self.done = 0
        self._started = time.monotonic()

    def _say(self, text: str) -> None:
        print(f"[{time.monotonic() - self._started:7.1f}s] {text}", file=self.stream, flush=True)

    def started(self, total: int, where: str) -> None:
        self.total = total
        self._say(f"planning {total} unit{'s' if total != 1 else ''} on {where}")

    def finished(self, row: Row) -> None:
        self.done += 1
        self._say(f"{self.done}/{self.total} {describe(row)}")

    def note(self, message: str) -> None:
        self._say(f"note: {message}")


class RichBatchProgress:
    """A progress bar over units on a terminal, with a line per unit as it finishes."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = Console(stderr=True)
        self.bar: RichProgress = Progress(
            TextColumn("[bold]units"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        self.job = self.bar.add_task("units", total=None)

    def __enter__(self) -> RichBatchProgress:
        self.bar.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.bar.stop()

    def started(self, total: int, where: str) -> None:
        self.bar.update(self.job, total=total)
        self.bar.console.print(f"planning {total} unit{'s' if total != 1 else ''} on {where}")

    def finished(self, row: Row) -> None:
        self.bar.advance(self.job)
        self.bar.console.print(_escape(describe(row)), highlight=False)

    def note(self, message: str) -> None:
        self.bar.console.print(f"[yellow]note:[/] {_escape(message)}")


def describe(row: Row) -> str:
    """One line about a finished unit."""
    parts = [f"{row['unit']}: {row['status']}"]
    if row.get("unmet") is not None:
        parts.append(f"unmet {row['unmet']}")
    if row.get("seconds") is not None:
        parts.append(f"in {row['seconds']:.1f}s")
    if row.get("skipped"):
        parts.append("(already planned, kept)")
    if row.get("error"):
        parts.append(f"- {row['error']}")
    return " ".join(parts)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
