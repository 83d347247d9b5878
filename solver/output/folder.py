"""Output folders that are rotaplan's alone: written whole, and never over a planner's files.

Every folder rotaplan writes (a plan, a re-plan, timetables, a batch and its units) holds a
manifest, ``.rotaplan.json``, naming each entry rotaplan put there. A folder may be written
into, or replaced, only when it does not exist, is empty, or holds nothing but what its
manifest names: so ``--out .`` inside a scenario's folder is refused instead of deleting the
scenario, while re-solving into a plan folder replaces the plan together with the
timetables and other outputs written beside it, leaving nothing stale.

Files and folders get the permissions the umask gives, as any program's would: temporary
names are made private by the standard library, so they are opened up before they appear.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from models.errors import RotaplanError

MANIFEST = ".rotaplan.json"
# ``tempfile`` names: the prefix ``.NAME.`` (``.NAME.old.``) and eight random characters.
_STAGING_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}$")
# What a plan folder written before folders had manifests holds; such a folder is taken
# as rotaplan's when it holds nothing else and its summary.json is a plan's summary.
_LEGACY_PLAN_ENTRIES = frozenset(
    {
        "assignments.csv",
        "summary.json",
        "sessions.csv",
        "members.csv",
        "unmet.csv",
        "changes.csv",
        "history.csv",
        "previous.csv",
        "scenario.json",
        "timetables",
    }
)


class OutputFolderError(RotaplanError):
    """An output path holds what rotaplan did not write: it is left untouched."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _open_up(path: Path) -> None:
    """Give a path made by ``tempfile`` (0700 / 0600) the permissions the umask gives."""
    mode = 0o777 if path.is_dir() else 0o666
    os.chmod(path, mode & ~_umask())


def _hidden_work(name: str) -> bool:
    """rotaplan's own staging names (``.NAME.xxxxxxxx``), left behind by a killed process."""
    return _STAGING_NAME.match(name) is not None


def clear_leftovers(folder: Path) -> None:
    """Remove the staging files and folders a killed rotaplan left in ``folder`` (its own)."""
    for entry in folder.iterdir():
        if _hidden_work(entry.name):
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def manifest_entries(folder: Path) -> set[str] | None:
    """The entries ``folder``'s manifest names, or None when it has no readable manifest."""
    try:
        content = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    entries = content.get("entries") if isinstance(content, dict) else None
    return {str(e) for e in entries} if isinstance(entries, list) else None


def _legacy_plan(folder: Path, present: set[str]) -> bool:
    if "summary.json" not in present or not present <= _LEGACY_PLAN_ENTRIES:
        return False
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(summary, dict) and {"status", "objective"} <= summary.keys()


def _present(folder: Path) -> set[str]:
    return {e.name for e in folder.iterdir() if e.name != MANIFEST and not _hidden_work(e.name)}


def owned_entries(folder: Path) -> set[str] | None:
    """What of ``folder`` is rotaplan's, or None when the folder is not rotaplan's.

    A missing or empty folder owns nothing yet and may be used; a folder with a manifest
    owns what it names; a plan folder from before manifests owns what it holds.
    """
    if not folder.exists():
        return set()
    if not folder.is_dir():
        return None
    present = _present(folder)
    owned = manifest_entries(folder)
    if owned is not None:
        return owned
    if not present:
        return set()
    return present if _legacy_plan(folder, present) else None


def foreign_entries(folder: Path) -> list[str]:
    """What ``folder`` holds that rotaplan did not write there, sorted; [] if it may be used."""
    if folder.exists() and not folder.is_dir():
        return [folder.name]
    owned = owned_entries(folder)
    present = _present(folder) if folder.exists() else set()
    return sorted(present if owned is None else present - owned)


def ensure_ours(folder: str | Path, what: str = "output folder") -> Path:
    """Raise ``OutputFolderError`` unless ``folder`` may be written by rotaplan.

    Returns the folder as an absolute path.
    """
    folder = Path(folder).resolve()
    if folder.exists() and not folder.is_dir():
        raise OutputFolderError(f"{what} {folder} is a file, not a folder: nothing was written")
    foreign = foreign_entries(folder)
    if foreign:
        shown = ", ".join(foreign[:3]) + (
            f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        )
        raise OutputFolderError(
            f"{what} {folder} holds files rotaplan did not write ({shown}): "
            "choose a new or empty folder; nothing was written"
        )
    return folder


def ensure_writable_file(target: str | Path) -> Path:
    """Raise ``OutputFolderError`` if ``target`` exists and rotaplan did not write it."""
    target = Path(target).resolve()
    if target.is_dir():
        raise OutputFolderError(f"{target} is a folder, not a file: nothing was written")
    if target.exists() and target.name not in (owned_entries(target.parent) or set()):
        raise OutputFolderError(
            f"{target} exists and rotaplan did not write it: nothing was written"
        )
    return target


def _write_manifest(folder: Path, entries: Iterable[str], kind: str) -> None:
    content = {"written_by": "rotaplan", "kind": kind, "entries": sorted(set(entries))}
    with atomic_file(folder / MANIFEST, claim=False) as temporary:
        temporary.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")


def claim(folder: Path, names: Iterable[str], kind: str = "output") -> None:
    """Record ``names`` (just written) in ``folder``'s manifest: rotaplan wrote them there.

    ``folder`` must otherwise be rotaplan's (see ``ensure_ours``); a plan folder written
    before manifests existed gets one now.
    """
    names = set(names)
    folder = Path(folder).resolve()
    foreign = set(foreign_entries(folder)) - names
    if foreign:
        raise OutputFolderError(
            f"output folder {folder} holds files rotaplan did not write "
            f"({', '.join(sorted(foreign)[:3])}): nothing more was written"
        )
    owned = owned_entries(folder) or set()
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        kind = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["kind"]
    _write_manifest(folder, owned | names, kind)


def prepare_folder(folder: str | Path, kind: str) -> Path:
    """Make ``folder`` (if need be) and mark it rotaplan's, for outputs added one by one.

    A new folder inside one of rotaplan's (``PLAN/timetables``) is recorded there too, so
    that replacing the outer folder takes it along.
    """
    folder = ensure_ours(folder)
    # Recorded before it appears, as in staged_folder.
    if not folder.exists() and manifest_entries(folder.parent) is not None:
        _claim_entry(folder.parent, folder.name)
    folder.mkdir(parents=True, exist_ok=True)
    if manifest_entries(folder) is None:
        claim(folder, [], kind)
    return folder


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())


def _swap_in(staging: Path, target: Path) -> None:
    """Put ``staging`` where ``target`` is; the old ``target`` (rotaplan's) goes whole."""
    if not target.exists():
        os.rename(staging, target)
        return
    if not any(target.iterdir()):
        # An empty folder the planner made (maybe the current one): fill it in place, so
        # it stays the folder the planner's shell or file browser has open.
        for entry in sorted(staging.iterdir(), key=lambda e: e.name == MANIFEST):
            os.rename(entry, target / entry.name)
        staging.rmdir()
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
    os.rename(target, retired / target.name)
    os.rename(staging, target)
    shutil.rmtree(retired, ignore_errors=True)


@contextlib.contextmanager
def staged_folder(target: str | Path, kind: str) -> Iterator[Path]:
    """Yield an empty folder; on success it replaces ``target`` whole, manifest included.

    ``target`` must be rotaplan's or absent (checked before and after the work, since the
    work may take minutes); on failure ``target`` is left as it was. A folder of rotaplan's
    that holds ``target`` records it in its manifest.
    """
    target = ensure_ours(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        _open_up(staging)
        yield staging
        _write_manifest(staging, (e.name for e in staging.iterdir()), kind)
        _fsync_tree(staging)
        ensure_ours(target)
        # Recorded before it appears: a process killed right after the swap must not
        # leave a folder its parent's manifest does not name (the next run would refuse).
        if manifest_entries(target.parent) is not None:
            _claim_entry(target.parent, target.name)
        _swap_in(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def atomic_file(target: Path, *, claim: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it is renamed onto ``target``.

    An existing ``target`` is replaced only when rotaplan wrote it. With ``claim``, a
    folder of rotaplan's records the file in its manifest; a planner's folder gets no
    manifest, only the file.
    """
    folder = target.parent
    if claim:
        ensure_writable_file(target)
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        _open_up(temporary)
        # Recorded before it appears, as in staged_folder.
        if claim and manifest_entries(folder) is not None:
            _claim_entry(folder, target.name)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _claim_entry(folder: Path, name: str) -> None:
    owned = manifest_entries(folder) or set()
    if name not in owned:
        claim(folder, [name])


@contextlib.contextmanager
def replaced_subfolder(target: Path, kind: str) -> Iterator[Path]:
    """``staged_folder`` for a folder inside another of rotaplan's, which records it."""
    prepare_folder(target.parent, "output")
    with staged_folder(target, kind) as staging:
        yield staging
