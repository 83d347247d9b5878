"""The suite benchmark's smoke run: its table is complete, and no plan breaks a rule."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.slow
def test_quick_suite_prints_a_checked_markdown_table() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "suite.py"), "--quick", "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    lines = [line for line in run.stdout.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = [
        dict(zip(header, (c.strip() for c in line.strip("|").split("|")), strict=True))
        for line in lines[2:]
    ]
    assert {"unmet @1s", "bound", "surplus", "attendances / bound", "peak MB"} <= set(header)
    # Two scenarios, each solved by both engines.
    assert [(r["family"], r["engine"]) for r in rows] == [
        ("unit", "rotaplan"),
        ("unit", "textbook"),
        ("small-classes", "rotaplan"),
        ("small-classes", "textbook"),
    ]
    for row in rows:
        if row["engine"] == "rotaplan":
            # rotaplan always has a plan, checked by the checker with no rule broken.
            assert row["unmet @1s"].replace(",", "").isdigit()
            assert row["broken"] == "0"
            assert int(row["pairs"].replace(",", "")) > 0
        assert row["broken"] in ("0", "-")
