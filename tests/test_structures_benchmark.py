"""The structures benchmark's smoke run: random shapes, every plan checked, one table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.structures import FAMILIES, draw_scenarios  # noqa: E402


def test_the_same_seed_draws_the_same_scenarios_and_another_seed_others() -> None:
    first, again, other = (draw_scenarios(seed, 12, 40, 400) for seed in (1, 1, 2))
    assert first == again
    assert first != other
    for draw in first:
        assert draw.family in FAMILIES and 40 <= draw.members <= 400 and 1 <= draw.years <= 5
        regions = draw.structure.regions
        assert regions is None or 1 <= regions <= max(1, draw.members // 100)
        assert draw.pinned == 0 or draw.replanned
    # Some draws leave their family's knobs, reorder the objective or replan.
    assert any(draw.knobs() != "-" for draw in first)
    assert any(draw.objective is not None for draw in first)
    assert any(draw.replanned for draw in first)


@pytest.mark.slow
def test_quick_structures_prints_a_row_per_draw_with_no_rule_broken(tmp_path: Path) -> None:
    script = str(ROOT / "benchmarks" / "structures.py")
    run = subprocess.run(
        [sys.executable, script, "--quick", "--workers", "1", "--keep", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = [line for line in run.stdout.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = [
        dict(zip(header, (c.strip() for c in line.strip("|").split("|")), strict=True))
        for line in lines[2:]
    ]
    assert len(rows) == 3
    for row in rows:
        assert row["broken"] in ("0", "-") and row["surplus"] in ("0", "-")
        assert row["status"] in ("OPTIMAL", "FEASIBLE", "INFEASIBLE")
    assert run.stdout.strip().splitlines()[-1].startswith("3 draws: ")
    # The scenarios are kept where asked.
    assert len(list(tmp_path.glob("draw-*/scenario.yaml"))) == 3
