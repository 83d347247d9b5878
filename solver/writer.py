"""Writing a plan folder atomically: it appears whole, or the old one stays as it was."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .result import Plan


def write_plan(plan: Plan, out_dir: Path) -> Path:
    """Write ``assignments.csv``, ``summary.json``, ``sessions.csv`` and ``members.csv``.

    Everything goes to a temporary folder beside ``out_dir`` first and is moved into
    place with a rename, so a reader never sees half a plan.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        plan.assignments_frame().to_csv(staging / "assignments.csv", index=False, encoding="utf-8")
        plan.sessions_frame().to_csv(staging / "sessions.csv", index=False, encoding="utf-8")
        plan.members_frame().to_csv(staging / "members.csv", index=False, encoding="utf-8")
        with open(staging / "summary.json", "w", encoding="utf-8") as handle:
            json.dump(plan.summary(), handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        replace_folder(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out_dir


def replace_folder(staging: Path, target: Path) -> None:
    """Move ``staging`` to ``target``; an existing ``target`` is swapped out, then removed."""
    for path in staging.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    if target.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
        os.rename(target, retired / target.name)
        os.rename(staging, target)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.rename(staging, target)
