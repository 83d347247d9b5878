"""The local process pool: units in worker processes, a dying process found and survived.

Ctrl-C stops the running units' searches, which write their best plans; the batch waits
for those and runs nothing more.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress

from .options import BatchOptions, Dispatch
from .rows import CANCELLED, Row, crashed_row, failed_row
from .task import TaskRunner, UnitTask


def local_cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def run_on_pool(
    tasks: list[UnitTask],
    options: BatchOptions,
    dispatch: Dispatch,
) -> str:
    """Run the tasks in worker processes, at most ``workers`` at once.

    When a worker process dies, every task running with it fails too, and the pool must
    be rebuilt. A task that was alone is the one that crashed; tasks that were not alone
    are run again one at a time, so only the one that kills its process is marked.
    """
    runner, record, progress = dispatch.runner, dispatch.record, dispatch.progress
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
                _submit_up_to_size(pool, runner, queue, suspects, running, workers)
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


def _submit_up_to_size(
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
