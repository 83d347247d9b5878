"""A batch as the command line runs it (``solver.batch.terminal``)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from solver.batch import (
    BatchInputError,
    BatchResult,
    LogBatchProgress,
    RichBatchProgress,
    Row,
    batch_options,
    closing_line,
    run_batch_shown,
    show_summary,
)
from solver.batch import terminal as batch_terminal


def test_the_options_come_from_the_command_words(tmp_path):
    chosen = batch_options(tmp_path, " xlsx,none,, csv", seed=7, workers=2, scheduler=None)
    assert chosen.out_dir == Path(tmp_path)
    assert chosen.timetables == ("xlsx", "csv")
    assert (chosen.seed, chosen.workers, chosen.threads_per_unit) == (7, 2, None)
    assert batch_options(str(tmp_path), "none").timetables == ()


@pytest.mark.parametrize("counts", [{"workers": 0}, {"threads_per_unit": -1}, {"workers": -2}])
def test_fewer_than_one_worker_or_thread_is_bad_input(tmp_path, counts):
    with pytest.raises(BatchInputError) as raised:
        batch_options(tmp_path, "xlsx", **counts)
    assert raised.value.lines() == ["--workers and --threads-per-unit must be at least 1"]


def _result(tmp_path: Path, interrupted: bool = False) -> BatchResult:
    rows: list[Row] = [
        {"unit": "north", "status": "OPTIMAL", "members": 3, "seconds": 0.4},
        {"unit": "broken", "status": "INVALID", "error": "broken.yaml: no such course"},
    ]
    return BatchResult(rows, tmp_path / "batch-summary.csv", "local", interrupted, 2.25)


def test_the_closing_line_counts_the_planned_units(tmp_path):
    summary = tmp_path / "batch-summary.csv"
    assert closing_line(_result(tmp_path)) == (
        f"1 of 2 units planned in 2.2s; summary written to {summary}"
    )
    assert closing_line(_result(tmp_path, interrupted=True)) == (
        f"1 of 2 units planned in 2.2s (interrupted); summary written to {summary}"
    )


def test_off_a_terminal_the_table_is_not_squeezed(tmp_path, capsys):
    show_summary(_result(tmp_path))
    table = capsys.readouterr().out
    assert "broken.yaml: no such course" in table  # on one line: wider than 80 columns
    assert max(len(line) for line in table.splitlines()) > 80


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_and_a_log_gets_lines(tmp_path, monkeypatch):
    shown = []

    def run_batch(units, options, progress):
        shown.append(type(progress))
        return _result(tmp_path)

    monkeypatch.setattr(batch_terminal, "run_batch", run_batch)
    options = batch_options(tmp_path, "none")
    run_batch_shown([], options)
    monkeypatch.setattr(sys, "stderr", _Terminal())
    run_batch_shown([], options)
    assert shown == [LogBatchProgress, RichBatchProgress]
