"""What identifies a scenario's content: its file and the table files it names."""

from __future__ import annotations

import hashlib
from pathlib import Path

from models import ScenarioError
from models.loader import read_document, table_paths


def scenario_digest(path: Path) -> str:
    """A SHA-256 of the scenario file and of the table files it refers to.

    Raises ``OSError`` when the scenario file cannot be read.
    """
    digest = hashlib.sha256()
    content = path.read_bytes()
    digest.update(content)
    for name in _table_files(path):
        table = path.parent / name
        digest.update(b"\0" + name.encode("utf-8") + b"\0")
        digest.update(table.read_bytes() if table.is_file() else b"<missing>")
    return "sha256:" + digest.hexdigest()


def _table_files(path: Path) -> list[str]:
    """The files that the scenario's table sections name (``members: members.csv``)."""
    try:
        return table_paths(read_document(path))
    except ScenarioError:
        return []  # the loader reports it; the file's own bytes identify it well enough
