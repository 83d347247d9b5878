"""A Dask cluster: one task per unit, each holding the CP-SAT threads it uses."""

from __future__ import annotations

import traceback
import uuid
from dataclasses import replace
from typing import Any

from models.errors import RotaplanError

from .options import BatchOptions, Dispatch
from .rows import crashed_row
from .task import UnitTask


class ClusterError(RotaplanError):
    """The Dask cluster cannot run the batch: unreachable, no workers, too few threads."""


def run_on_cluster(
    tasks: list[UnitTask],
    options: BatchOptions,
    dispatch: Dispatch,
) -> str:
    """Submit one task per unit to the cluster and record each row as it finishes."""
    runner, record, progress = dispatch.runner, dispatch.record, dispatch.progress
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
