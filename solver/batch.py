"""Batch planning: many units' scenarios solved on a local process pool or a Dask cluster.

A unit is one scenario file. Each task gets plain data (a ``UnitTask``: paths, time limit,
seed, CP-SAT worker count) and returns plain data (a summary row as a ``dict``): solver
objects never cross a process boundary, so the same task runs in a local process pool
and on a Dask cluster.

A unit's folder ``OUT/<unit>/`` holds ``plan/``, ``timetables/`` and ``batch.json``, the
marker written last (atomically) that says the folder is complete. Rerunning a batch
skips a unit whose marker matches the scenario's current content, whose plan is proven
optimal (or feasible, unless asked to redo those) and whose assignments pass
``checker.check_plan``; every other unit is solved again. So an interrupted batch loses
no finished unit, and a changed scenario or a broken plan is redone.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import sys
import time
import tomllib
import traceback
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

import yaml

from models.scenario import TERMS

from .folder import atomic_file, claim, prepare_folder, replaced_subfolder

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.table import Table

    from models import Scenario

SCENARIO_SUFFIXES = (".yaml", ".yml", ".json", ".toml")
TABLE_KEYS = ("members", "sessions", "history", "pinned", "previous")
TIMETABLE_FORMATS = ("xlsx", "csv", "ics")
MARKER = "batch.json"
CRASH_REPORT = "batch-error.txt"  # the traceback of a unit's last crash, for whoever debugs it
SUMMARY_FILE = "batch-summary.csv"
PLANNED = ("OPTIMAL", "FEASIBLE")
INVALID = "INVALID"  # the scenario is not valid input
CRASHED = "CRASHED"  # the task raised, or its process died
CANCELLED = "CANCELLED"  # the batch was stopped before this unit finished
SUMMARY_COLUMNS = (
    "unit",
    "scenario",
    "members",
    "status",
    *TERMS,
    "bound",
    "gap",
    "seconds",
    "skipped",
    "error",
)
# Staging names that Plan.write, the timetables and the marker use inside a unit folder;
# a process killed while writing leaves one behind, and the next run of the unit clears it.
_STAGING_PREFIXES = (".plan.", ".timetables.", f".{MARKER}.")

Row = dict[str, Any]
TaskRunner = Callable[["UnitTask"], Row]


class BatchInputError(Exception):
    """The batch's inputs are unusable as a whole: nothing found, or names that clash."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class ClusterError(RuntimeError):
    """The Dask cluster cannot run the batch: unreachable, no workers, too few threads."""


# -- finding the units ------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One unit of the batch: its name (the folder it gets under OUT) and scenario file."""

    name: str
    scenario: Path


def find_units(inputs: Iterable[str | Path], skip: Path | None = None) -> list[Unit]:
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
    found: dict[Path, Unit] = {}
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
            found.setdefault(file.resolve(), Unit(_unit_name(file), file.resolve()))
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


def _name_clashes(units: Sequence[Unit]) -> list[str]:
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


# -- what identifies a scenario's content -----------------------------------------------


def scenario_digest(path: Path) -> str:
    """A SHA-256 of the scenario file and of the table files it refers to.

    Raises ``OSError`` when the scenario file cannot be read.
    """
    digest = hashlib.sha256()
    content = path.read_bytes()
    digest.update(content)
    for name in _table_files(path, content):
        table = path.parent / name
        digest.update(b"\0" + name.encode("utf-8") + b"\0")
        digest.update(table.read_bytes() if table.is_file() else b"<missing>")
    return "sha256:" + digest.hexdigest()


def _table_files(path: Path, content: bytes) -> list[str]:
    """The files that the scenario's table sections name (``members: members.csv``)."""
    try:
        text = content.decode("utf-8-sig")
        suffix = path.suffix.lower()
        if suffix == ".json":
            document = json.loads(text)
        elif suffix == ".toml":
            document = tomllib.loads(text)
        else:
            document = yaml.safe_load(text)
    except (UnicodeDecodeError, ValueError, yaml.YAMLError):
        return []  # the loader reports it; the file's own bytes identify it well enough
    if not isinstance(document, dict):
        return []
    names = [document.get(key) for key in TABLE_KEYS]
    return sorted({name.split("#", 1)[0] for name in names if isinstance(name, str)})


# -- one unit ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitTask:
    """Everything one unit's task needs, as plain data that any process can unpickle."""

    unit: str
    scenario: str  # absolute path, readable where the task runs
    unit_dir: str  # OUT/<unit>, on a filesystem the task can write
    time_limit: float
    seed: int
    cp_sat_workers: int
    timetables: tuple[str, ...] = ("xlsx",)
    redo_feasible: bool = False


def run_unit(task: UnitTask) -> Row:
    """Make ``OUT/<unit>`` complete: keep a finished plan, or solve and write one.

    Returns the unit's summary row. Invalid input gives a row with status INVALID; any
    other error is raised for the caller to report as a crash.
    """
    started = time.monotonic()
    unit_dir = Path(task.unit_dir)
    digest = scenario_digest(Path(task.scenario))
    kept = _finished_row(task, unit_dir, digest)
    if kept is not None:
        return kept
    return _plan_unit(task, unit_dir, digest, started)


def _plan_unit(task: UnitTask, unit_dir: Path, digest: str, started: float) -> Row:
    from models import ScenarioError, load_scenario

    from .engine import SolveOptions, solve

    prepare_folder(unit_dir, "batch-unit")
    # The folder is no longer complete from here on, whatever it held before.
    (unit_dir / MARKER).unlink(missing_ok=True)
    (unit_dir / CRASH_REPORT).unlink(missing_ok=True)
    _clear_staging(unit_dir)
    try:
        scenario = load_scenario(task.scenario)
    except ScenarioError as error:
        return _row(task, INVALID, error="; ".join(str(p) for p in error.errors))
    options = SolveOptions(time_limit=task.time_limit, workers=task.cp_sat_workers, seed=task.seed)
    plan = solve(scenario, options)
    row = _row(
        task,
        plan.status.value,
        members=len(scenario.members),
        objective=plan.objective,
        bound=plan.bound,
        gap=plan.gap,
    )
    if not plan.has_plan:
        row["error"] = "; ".join(plan.conflicts) or (
            "the rules conflict" if plan.status.value == "INFEASIBLE" else "no plan found in time"
        )
        row["seconds"] = round(time.monotonic() - started, 3)
        return row
    plan.write(unit_dir / "plan")
    if task.timetables:
        write_unit_timetables(scenario, plan.pairs, unit_dir, task.timetables)
    row["seconds"] = round(time.monotonic() - started, 3)
    if plan.interrupted:
        row["error"] = "stopped before the time limit: the plan is the best found so far"
    _write_marker(
        unit_dir,
        {
            "unit": task.unit,
            "scenario": task.scenario,
            "scenario_hash": digest,
            "status": plan.status.value,
            "interrupted": plan.interrupted,
            "timetables": list(task.timetables),
            "settings": {
                "time_limit": task.time_limit,
                "seed": task.seed,
                "cp_sat_workers": task.cp_sat_workers,
            },
            "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "row": row,
        },
    )
    return row


def _finished_row(task: UnitTask, unit_dir: Path, digest: str) -> Row | None:
    """The recorded row of a unit whose folder is complete and valid, or None to redo it."""
    from checker import check_plan, read_assignments
    from models import ScenarioError, load_scenario

    marker = _read_json(unit_dir / MARKER)
    summary = _read_json(unit_dir / "plan" / "summary.json")
    if marker is None or summary is None or marker.get("scenario_hash") != digest:
        return None
    wanted = ("OPTIMAL",) if task.redo_feasible else PLANNED
    if marker.get("interrupted") or summary.get("status") not in wanted:
        return None
    try:
        scenario = load_scenario(task.scenario)
        pairs = read_assignments(unit_dir / "plan")
    except ScenarioError:
        return None
    report = check_plan(scenario, pairs)
    # A plan edited by hand may still hold every rule; it is no longer the solved one.
    if not report.ok or report.objective != summary.get("objective"):
        return None
    written = set(marker.get("timetables", []))
    if not written.issuperset(task.timetables):
        # Add the formats asked for now, keeping those the folder already has.
        formats = [f for f in TIMETABLE_FORMATS if f in written or f in task.timetables]
        write_unit_timetables(scenario, pairs, unit_dir, formats)
        marker["timetables"] = formats
        _write_marker(unit_dir, marker)
    return {**marker["row"], "skipped": True}


def write_unit_timetables(
    scenario: Scenario, pairs: list[tuple[str, str]], unit_dir: Path, formats: Sequence[str]
) -> Path:
    """Write every year's timetables of a plan into ``unit_dir/timetables``, whole or not at all."""
    from .timetable import write_timetables

    with replaced_subfolder(unit_dir / "timetables", "timetables") as staging:
        write_timetables(scenario, pairs, staging, formats=tuple(formats))
    return unit_dir / "timetables"


def _write_marker(unit_dir: Path, marker: dict[str, Any]) -> None:
    """Write ``batch.json``: the last step, after which the unit is complete."""

    def fill(handle: TextIO) -> None:
        json.dump(marker, handle, ensure_ascii=False, indent=2)
        handle.write("\n")

    _write_atomically(unit_dir / MARKER, fill)


def _write_atomically(path: Path, fill: Callable[[TextIO], None], encoding: str = "utf-8") -> None:
    """Write a file through a temporary beside it and a rename: readers see old or new."""
    with (
        atomic_file(path) as temporary,
        open(temporary, "w", encoding=encoding, newline="") as handle,
    ):
        fill(handle)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return content if isinstance(content, dict) else None


def _clear_staging(unit_dir: Path) -> None:
    for entry in unit_dir.iterdir():
        if entry.name.startswith(_STAGING_PREFIXES):
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def _row(
    task: UnitTask,
    status: str,
    *,
    members: int | None = None,
    objective: dict[str, int] | None = None,
    bound: int | None = None,
    gap: float | None = None,
    error: str = "",
) -> Row:
    """A summary row; terms a unit has no value for stay empty."""
    row: Row = {"unit": task.unit, "scenario": task.scenario, "members": members, "status": status}
    row.update({term: (objective or {}).get(term) for term in TERMS})
    row.update({"bound": bound, "gap": gap, "seconds": None, "skipped": False, "error": error})
    return row


def failed_row(task: UnitTask, status: str, error: BaseException | str) -> Row:
    """The row of a unit whose task did not return: it crashed, or the batch stopped."""
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return _row(task, status, error=text.strip().splitlines()[0] if text.strip() else status)


def crashed_row(task: UnitTask, error: BaseException | str, details: str = "") -> Row:
    """A CRASHED row; the traceback, when there is one, goes to the unit's crash report."""
    row = failed_row(task, CRASHED, error)
    if details.strip():
        unit_dir = Path(task.unit_dir)
        prepare_folder(unit_dir, "batch-unit")
        with atomic_file(unit_dir / CRASH_REPORT) as temporary:
            temporary.write_text(details.strip() + "\n", encoding="utf-8")
        row["error"] += f" (traceback in {task.unit}/{CRASH_REPORT})"
    return row


# -- running a batch --------------------------------------------------------------------


class BatchProgress(Protocol):
    """Receives what a batch is doing, for a progress bar or log lines."""

    def started(self, total: int, where: str) -> None: ...

    def finished(self, row: Row) -> None: ...

    def note(self, message: str) -> None: ...


@dataclass
class BatchOptions:
    """How to run a batch; ``workers`` and ``threads_per_unit`` default from the machine."""

    out_dir: Path
    time_limit: float = 120.0
    seed: int = 0
    workers: int | None = None  # local pool processes; default cores // threads_per_unit
    threads_per_unit: int | None = None  # CP-SAT workers per unit; default 1 (see docs)
    scheduler: str | None = None  # a Dask scheduler address: run there instead
    timetables: tuple[str, ...] = ("xlsx",)
    redo_feasible: bool = False
    connect_timeout: float = 60.0  # seconds to reach the scheduler and see a worker


@dataclass
class BatchResult:
    """Every unit's row, in the order of the units, and where the summary was written."""

    rows: list[Row]
    summary_path: Path
    where: str
    interrupted: bool = False
    seconds: float = 0.0
    columns: list[str] = field(default_factory=lambda: list(SUMMARY_COLUMNS))

    @property
    def planned(self) -> list[Row]:
        return [row for row in self.rows if row["status"] in PLANNED]

    @property
    def exit_code(self) -> int:
        """0 when every unit has a plan, 1 otherwise."""
        return 0 if len(self.planned) == len(self.rows) else 1


def run_batch(
    units: Sequence[Unit],
    options: BatchOptions,
    progress: BatchProgress | None = None,
    runner: TaskRunner = run_unit,
) -> BatchResult:
    """Plan every unit, on a local process pool or on the Dask cluster at ``scheduler``.

    A unit that is invalid or crashes gets a row saying so and the others go on. The
    summary CSV is rewritten after every unit, so it is current even if the batch stops.
    ``runner`` is the task (a module-level function, so that it pickles by name).
    """
    if not units:
        raise BatchInputError(["no scenarios given"])
    bad = [f for f in options.timetables if f not in TIMETABLE_FORMATS]
    if bad:
        raise BatchInputError([f"unknown timetable format(s): {', '.join(bad)}"])
    started = time.monotonic()
    out_dir = prepare_folder(options.out_dir, "batch")
    summary_path = out_dir / SUMMARY_FILE
    rows: dict[str, Row] = {}
    order = {unit.name: index for index, unit in enumerate(units)}

    def record(row: Row) -> None:
        rows[row["unit"]] = row
        write_summary(sorted(rows.values(), key=lambda r: order[r["unit"]]), summary_path)
        if progress is not None:
            progress.finished(row)

    tasks = [_task(unit, out_dir, options) for unit in units]
    # Units run in parallel processes: their folders are recorded once, here, up front.
    claim(out_dir, [unit.name for unit in units] + [SUMMARY_FILE])
    interrupted = False
    try:
        if options.scheduler:
            where = _run_on_dask(tasks, options, record, runner, progress)
        else:
            where = _run_on_pool(tasks, options, record, runner, progress)
    except KeyboardInterrupt:
        interrupted, where = True, "interrupted"
    for task in tasks:
        if task.unit not in rows:
            rows[task.unit] = failed_row(task, CANCELLED, "the batch stopped before this unit ran")
    ordered = [rows[task.unit] for task in tasks]
    write_summary(ordered, summary_path)
    return BatchResult(ordered, summary_path, where, interrupted, time.monotonic() - started)


def _task(unit: Unit, out_dir: Path, options: BatchOptions) -> UnitTask:
    return UnitTask(
        unit=unit.name,
        scenario=str(unit.scenario.resolve()),
        unit_dir=str(out_dir / unit.name),
        time_limit=options.time_limit,
        seed=options.seed,
        cp_sat_workers=options.threads_per_unit or 1,
        timetables=tuple(options.timetables),
        redo_feasible=options.redo_feasible,
    )


def local_cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# -- the local process pool --------------------------------------------------------------


def _run_on_pool(
    tasks: list[UnitTask],
    options: BatchOptions,
    record: Callable[[Row], None],
    runner: TaskRunner,
    progress: BatchProgress | None,
) -> str:
    """Run the tasks in worker processes, at most ``workers`` at once.

    When a worker process dies, every task running with it fails too, and the pool must
    be rebuilt. A task that was alone is the one that crashed; tasks that were not alone
    are run again one at a time, so only the one that kills its process is marked.
    """
    threads = options.threads_per_unit or 1
    workers = max(1, min(len(tasks), options.workers or local_cores() // threads))
    where = (
        f"a local pool of {workers} process{'es' if workers != 1 else ''}, "
        f"{threads} CP-SAT thread{'s' if threads != 1 else ''} per unit"
    )
    if progress is not None:
        progress.started(len(tasks), where)
    queue, suspects = deque(tasks), deque[UnitTask]()
    running: dict[Future[Row], tuple[UnitTask, bool]] = {}
    pool = _new_pool(workers)
    try:
        while queue or suspects or running:
            with _interrupts_held():
                _fill(pool, runner, queue, suspects, running, workers)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            if any(_broke(future) for future in done):
                # Everything still running went down with the pool: collect it all.
                done = set(running)
                wait(done)
                pool.shutdown(wait=True)
                pool = _new_pool(workers)
            broken = [future for future in done if _broke(future)]
            for future in done:
                task, alone = running.pop(future)
                if future in broken and not alone and len(broken) > 1:
                    suspects.append(task)
                elif future in broken:
                    record(crashed_row(task, _death_message(future)))
                else:
                    record(_outcome(future, task))
    except KeyboardInterrupt:
        # Running units stop their searches and write their best plans: wait for those,
        # and run nothing more.
        for future in running:
            future.cancel()
        # A worker still starting up cannot take a Ctrl-C yet: pass it on until all stop.
        _pass_interrupt_on(pool)
        while wait(running, timeout=0.5).not_done:
            _pass_interrupt_on(pool)
        for future in wait(running).done:
            task = running[future][0]
            if _broke(future):
                record(failed_row(task, CANCELLED, "stopped by Ctrl-C"))
            elif not future.cancelled():
                record(_outcome(future, task))
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return where


def _fill(
    pool: ProcessPoolExecutor,
    runner: TaskRunner,
    queue: deque[UnitTask],
    suspects: deque[UnitTask],
    running: dict[Future[Row], tuple[UnitTask, bool]],
    workers: int,
) -> None:
    """Submit tasks up to the pool's size; a suspect runs only once the pool is empty."""
    if suspects:
        if not running:
            task = suspects.popleft()
            running[pool.submit(_pool_task, runner, task)] = (task, True)
        return
    while queue and len(running) < workers:
        task = queue.popleft()
        running[pool.submit(_pool_task, runner, task)] = (task, False)


def _new_pool(workers: int) -> ProcessPoolExecutor:
    # spawn: a fresh interpreter per worker, never a fork of a process holding solver
    # threads or locks.
    stop_on_interrupt = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_set_up_worker,
        initargs=(stop_on_interrupt,),
    )


_stop_on_interrupt = False  # in a pool worker: does Ctrl-C stop the running task?


def _set_up_worker(stop_on_interrupt: bool) -> None:
    """An idle worker ignores Ctrl-C; a running task stops on it only if the batch does.

    A batch started with Ctrl-C ignored (in the background, under nohup) must not have
    its units cut short by a Ctrl-C meant for something else.
    """
    global _stop_on_interrupt
    _stop_on_interrupt = stop_on_interrupt
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # also drops one held since the start
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C while submitting, so that worker processes start with it blocked.

    A worker being started would otherwise die of a Ctrl-C halfway through its imports;
    this process still gets the Ctrl-C, as soon as the hold ends.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _pass_interrupt_on(pool: ProcessPoolExecutor) -> None:
    """Send Ctrl-C to the pool's workers: the batch may have been told alone (``kill -INT``)."""
    # The executor has no public list of its processes; _processes has been there since 3.2.
    processes = dict(getattr(pool, "_processes", None) or {})
    for process in processes.values():
        if process.pid is not None:
            with suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGINT)


def _interrupt_once(signum: int, frame: object) -> None:
    """Stop the running task on the first Ctrl-C; the same Ctrl-C passed on by the batch
    (or pressed twice) must not break off the writing of its best plan."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def _pool_task(runner: TaskRunner, task: UnitTask) -> Row:
    """Run one task in a pool worker, with Ctrl-C stopping its search as in ``solve``."""
    if _stop_on_interrupt:
        signal.signal(signal.SIGINT, _interrupt_once)
    try:
        return runner(task)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _broke(future: Future[Row]) -> bool:
    return not future.cancelled() and isinstance(future.exception(), BrokenProcessPool)


def _death_message(future: Future[Row]) -> str:
    cause = future.exception()
    detail = cause.__cause__ if cause is not None and cause.__cause__ else None
    text = "the worker process died while planning this unit"
    return f"{text} ({str(detail).strip().splitlines()[-1]})" if detail else text


def _outcome(future: Future[Row], task: UnitTask) -> Row:
    error = future.exception()
    if error is None:
        return future.result()
    if isinstance(error, KeyboardInterrupt):
        return failed_row(task, CANCELLED, "stopped by Ctrl-C before a plan was found")
    # The pool attaches the worker's formatted traceback as the cause.
    remote = str(error.__cause__) if error.__cause__ is not None else ""
    return crashed_row(task, error, remote.strip().strip('"').strip())


# -- a Dask cluster ----------------------------------------------------------------------


def _run_on_dask(
    tasks: list[UnitTask],
    options: BatchOptions,
    record: Callable[[Row], None],
    runner: TaskRunner,
    progress: BatchProgress | None,
) -> str:
    """Submit one task per unit to the cluster and record each row as it finishes."""
    from dask.distributed import Client, as_completed

    address = options.scheduler
    try:
        client = Client(address, timeout=options.connect_timeout)
    except (OSError, TimeoutError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    with client:
        threads, resources, warning = _dask_threads(client, options)
        where = (
            f"the Dask cluster at {address} ({_dask_size(client)}), "
            f"{threads} CP-SAT thread{'s' if threads != 1 else ''} per unit"
        )
        if progress is not None:
            progress.started(len(tasks), where)
            if warning:
                progress.note(warning)
        batch = uuid.uuid4().hex[:8]
        futures = {
            client.submit(
                runner,
                replace(task, cp_sat_workers=threads),
                key=f"rotaplan-batch-{batch}-{task.unit}",
                pure=False,
                resources=resources,
            ): task
            for task in tasks
        }
        try:
            for future in as_completed(futures):
                task = futures[future]
                if future.status == "finished":
                    record(future.result())
                else:
                    record(crashed_row(task, *_dask_error(future)))
        except KeyboardInterrupt:
            client.cancel(list(futures))
            raise
    return where


def _dask_threads(client: Any, options: BatchOptions) -> tuple[int, dict[str, int] | None, str]:
    """CP-SAT threads per unit, the resources each task holds, and any warning.

    Workers that advertise a ``threads`` resource (``dask worker --resources threads=N``)
    let each task hold the threads it uses: by default all of a worker's, or
    ``threads_per_unit`` of them. Workers without it run one task per worker thread, so
    each task gets one CP-SAT thread unless told otherwise.
    """
    try:
        client.wait_for_workers(1, timeout=options.connect_timeout)
    except TimeoutError:
        raise ClusterError(
            f"no Dask worker joined the scheduler at {options.scheduler} "
            f"within {options.connect_timeout:.0f}s"
        ) from None
    workers = client.scheduler_info(n_workers=-1)["workers"].values()
    offered = [w.get("resources", {}).get("threads") for w in workers]
    if offered and all(value is not None for value in offered):
        threads = options.threads_per_unit or int(min(offered))
        if threads > max(offered):
            raise ClusterError(
                f"--threads-per-unit {threads}, but no worker offers more than "
                f"{max(offered):g} threads (its --resources threads=N)"
            )
        return threads, {"threads": threads}, ""
    threads = options.threads_per_unit or 1
    warning = ""
    if threads > 1:
        warning = (
            f"the workers do not advertise a 'threads' resource, so each worker runs as many "
            f"units as it has threads, each with {threads} CP-SAT threads: start the workers "
            f"with --resources threads=N (see docs/batch.md)"
        )
    return threads, None, warning


def _dask_size(client: Any) -> str:
    workers = client.scheduler_info(n_workers=-1)["workers"].values()
    threads = sum(w.get("nthreads", 0) for w in workers)
    return f"{len(workers)} worker{'s' if len(workers) != 1 else ''}, {threads} threads"


def _dask_error(future: Any) -> tuple[str, str]:
    """The one-line error of a failed Dask task and its traceback, when the cluster has it."""
    try:
        error = future.exception()
        trace = future.traceback()
    except Exception as lost:  # the future itself is gone: the scheduler lost it
        error, trace = lost, None
    if error is None:
        return f"the task ended as {future.status}", ""
    line = f"{type(error).__name__}: {error}"
    details = "".join(traceback.format_tb(trace)) + line if trace is not None else ""
    return line, details


# -- the summary -------------------------------------------------------------------------


def write_summary(rows: Sequence[Row], path: Path) -> Path:
    """Write the batch summary CSV atomically (UTF-8 with BOM, for spreadsheet programs)."""

    def fill(handle: TextIO) -> None:
        writer = csv.DictWriter(handle, fieldnames=SUMMARY_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: _cell(row.get(key)) for key in SUMMARY_COLUMNS})

    _write_atomically(path, fill, encoding="utf-8-sig")
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
            _escape(row.get("error") or ""),
        )
    return table


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


# -- showing progress --------------------------------------------------------------------


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
