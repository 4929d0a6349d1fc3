"""Parsing on an existing distributed executor: Dask (``dask.distributed``).

policykg runs no cluster of its own.  ``executor="dask"`` starts a Dask
``LocalCluster`` of ``workers`` single-threaded processes on this machine;
``scheduler="tcp://host:8786"`` connects to a cluster that is already running
(``dask scheduler`` / ``dask worker``, Kubernetes, SLURM …).  The workers parse;
the client — this process — stays the only writer, so a store still gets one
transaction per document (``KnowledgeGraph.ingest``), or, with
:mod:`policykg.graph.emit`, the workers write their own N-Quads shards to a
shared folder and the client keeps the manifest.

Workers need policykg installed (the same version) and must see the input
files — and the emit folder — at the same absolute paths (a shared file
system); relative paths are made absolute before they are sent.

:class:`Executor` runs picklable tasks on ``"serial"`` (this process),
``"process"`` (a :class:`~concurrent.futures.ProcessPoolExecutor`) or
``"dask"``, and hands the results back **in input order** with a bounded
number of tasks in flight, so a collection of millions of files neither
floods the scheduler nor piles up results in the client.  A task that fails
as a whole (a worker killed by the kernel, a lost connection) comes back as
a :class:`TaskFailed`, never as an exception that ends the run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ..errors import IngestError, PolicyKGError

EXECUTORS = ("process", "dask")
"""The executors ``policykg ingest --executor`` takes."""

DASK_MISSING = ("parsing on Dask needs dask.distributed, which is not installed; "
                "install it with `pip install 'policykg[dask]'`")


class ExecutorError(PolicyKGError):
    """The executor asked for is unknown, not installed or cannot be reached."""

    status = 400
    title = "Executor unavailable"


@dataclass
class TaskFailed:
    """A task that raised as a whole (its worker died, the scheduler went away …)."""

    error: BaseException

    def __str__(self) -> str:
        return f"{type(self.error).__name__}: {self.error}"


def choose_executor(executor: str | None, scheduler: str | None, workers: int) -> str:
    """The executor a run uses: ``dask`` when a scheduler is named, else the one
    asked for; ``process`` with one worker runs here (``serial``).

    >>> choose_executor("process", None, 1), choose_executor("process", None, 4)
    ('serial', 'process')
    >>> choose_executor(None, "tcp://10.0.0.5:8786", 1)
    'dask'
    """
    executor = executor or ("dask" if scheduler else "process")
    if executor not in EXECUTORS:
        raise ExecutorError(f"unknown executor {executor!r}; use one of {', '.join(EXECUTORS)}")
    if scheduler and executor != "dask":
        raise ExecutorError(f"a scheduler address is for the dask executor, not {executor!r}")
    if executor == "process" and workers <= 1:
        return "serial"
    return executor


def require_dask() -> None:
    """Raise :class:`ExecutorError` (one sentence) when dask.distributed is missing."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ExecutorError(DASK_MISSING[0].upper() + DASK_MISSING[1:] + ".") from None


class Executor:
    """Run tasks on this process, a process pool or a Dask cluster; a context manager.

    >>> with Executor("serial") as ex:
    ...     list(ex.map_ordered(pow, [(2, 3), (3, 2)]))
    [8, 9]
    """

    def __init__(self, kind: str = "serial", *, workers: int = 1, scheduler: str | None = None,
                 connect_timeout: float = 10.0, worker_timeout: float = 60.0) -> None:
        self.kind = kind
        self.workers = max(1, workers)
        self.scheduler = scheduler
        self.connect_timeout = connect_timeout
        self.worker_timeout = worker_timeout
        self._pool = None
        self._client = None
        self._cluster = None

    # ------------------------------------------------------------ life cycle

    def __enter__(self) -> "Executor":
        if self.kind == "process":
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        elif self.kind == "dask":
            self._start_dask()
        elif self.kind != "serial":
            raise ExecutorError(f"unknown executor {self.kind!r}; use one of serial, {', '.join(EXECUTORS)}")
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def _start_dask(self) -> None:
        require_dask()
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                self._client = Client(self.scheduler, timeout=self.connect_timeout)
            except (OSError, TimeoutError, ValueError) as e:
                raise ExecutorError(f"The Dask scheduler at {self.scheduler} cannot be reached "
                                    f"({type(e).__name__}: {e}); is it running, and is the address "
                                    f"tcp://host:port?") from None
            try:
                self._client.wait_for_workers(1, timeout=self.worker_timeout)
            except TimeoutError:
                self.close()
                raise ExecutorError(f"The Dask scheduler at {self.scheduler} has no workers (none joined within "
                                    f"{self.worker_timeout:g} s); start some with `dask worker {self.scheduler}`.") \
                    from None
            return
        # one single-threaded process per worker: the parser holds the GIL
        self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                     dashboard_address=None, silence_logs=logging.ERROR)
        self._client = Client(self._cluster)

    @property
    def slots(self) -> int:
        """How many tasks can run at once (the cluster's threads for Dask)."""
        if self._client is not None:
            info = self._client.scheduler_info()
            return max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))
        return self.workers if self.kind == "process" else 1

    @property
    def description(self) -> str:
        if self.kind == "dask":
            where = self.scheduler or f"a local cluster of {self.workers} worker processes"
            return f"dask ({where})"
        return f"{self.workers} processes" if self.kind == "process" else "this process"

    # ------------------------------------------------------------ running

    def call(self, fn: Callable, *args):
        """``fn(*args)`` on the executor, waited for; a :class:`TaskFailed` if it raised."""
        if self.kind == "serial":
            return _outcome_now(fn, args)
        if self._pool is not None:
            from concurrent.futures.process import BrokenProcessPool

            try:
                result = _outcome(self._pool.submit(fn, *args))
            except BrokenProcessPool as e:
                result = TaskFailed(e)
            if isinstance(result, TaskFailed) and isinstance(result.error, BrokenProcessPool):
                self.kind = "serial"  # the pool is gone: what follows runs here
            return result
        return _outcome(self._client.submit(fn, *args, pure=False))

    def map_ordered(self, fn: Callable, argsets: Sequence[tuple], *, window: int | None = None) -> Iterator:
        """``fn(*args)`` for every ``args`` in ``argsets``, yielded in input order.

        At most ``window`` tasks (default: four per slot) are submitted beyond
        the one the caller waits for.  A task that raised yields a
        :class:`TaskFailed`.  If a process pool breaks (a worker killed), the
        tasks not yet finished are run in this process instead.
        """
        if self.kind == "serial":
            for args in argsets:
                yield _outcome_now(fn, args)
            return
        window = window or 4 * self.slots
        if self._client is not None:
            from distributed import wait

            def submit(args):
                return self._client.submit(fn, *args, pure=False)

            def wait_any(fs):
                return wait(fs, return_when="FIRST_COMPLETED").done
        else:
            from concurrent.futures import FIRST_COMPLETED
            from concurrent.futures import wait as cf_wait

            def submit(args):
                return self._pool.submit(fn, *args)

            def wait_any(fs):
                return cf_wait(fs, return_when=FIRST_COMPLETED).done

        yield from _ordered(self, fn, argsets, submit, wait_any, window)


def _ordered(ex: Executor, fn, argsets, submit, wait_any, window: int) -> Iterator:
    from concurrent.futures.process import BrokenProcessPool

    n = len(argsets)
    pending: dict = {}  # future → index
    results: dict[int, object] = {}
    nxt = 0

    def settle(future, i: int) -> None:
        r = _outcome(future)
        if isinstance(r, TaskFailed) and isinstance(r.error, BrokenProcessPool):
            ex.kind = "serial"  # a pool worker died and took the pool with it: the rest runs here
            r = _outcome_now(fn, argsets[i])
        results[i] = r

    for head in range(n):
        while head not in results:
            while ex.kind != "serial" and nxt < n and nxt - head <= window:
                try:
                    pending[submit(argsets[nxt])] = nxt
                except BrokenProcessPool:
                    ex.kind = "serial"
                    break
                nxt += 1
            if ex.kind == "serial":  # finish here, in order
                for f, i in list(pending.items()):
                    settle(f, i)
                pending.clear()
                if head not in results:
                    results[nxt] = _outcome_now(fn, argsets[nxt])
                    nxt += 1
                continue
            for f in wait_any(list(pending)):
                settle(f, pending.pop(f))
        yield results.pop(head)


def _outcome(future):
    try:
        return future.result()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # noqa: BLE001 — a lost worker or cancelled task is one failed task
        return TaskFailed(e)


def _outcome_now(fn, args):
    try:
        return fn(*args)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as e:
        return TaskFailed(e)


# ---------------------------------------------------------------- parsing for KnowledgeGraph.ingest


def parse_chunk(paths: list[str], max_bytes: int | None) -> list:
    """Worker task: parse each file (a :class:`Document`, or the :class:`IngestError`)."""
    from .kg import _parse_one

    return [_parse_one(p, max_bytes) for p in paths]


def chunk_size(n: int, slots: int, cap: int = 32) -> int:
    """Files per task: enough to amortise a round trip, small enough to balance.

    >>> chunk_size(1000, 2), chunk_size(10, 2), chunk_size(10_000_000, 400)
    (32, 1, 32)
    """
    return max(1, min(cap, n // (slots * 8) or 1))


def parse_on_executor(files: list[str], refused: dict[str, IngestError], max_bytes: int | None, *,
                      task: Callable[[list[str], int | None], list] = parse_chunk, executor: str = "dask",
                      workers: int = 1, scheduler: str | None = None) -> Iterator[tuple[str, object]]:
    """Run ``task(paths, max_bytes)`` over chunks of ``files`` on an executor and yield
    ``(path, what task gave for it)`` in input order.

    ``task`` returns one item per path (a :class:`Document` or
    :class:`IngestError`, or a tuple starting with one); the items come back
    to this process, which writes them (one writer).  ``refused`` files
    (already known to fail) and files whose task was lost with its worker
    yield their :class:`IngestError`.  For a cluster of other machines the
    paths travel as absolute paths and come back as given.
    """
    todo = [f for f in files if f not in refused]
    with Executor(executor, workers=workers, scheduler=scheduler) as ex:
        size = chunk_size(len(todo), ex.slots)
        chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
        sent = (lambda p: os.path.abspath(p)) if scheduler else (lambda p: p)
        parsed = _flatten(ex, task, chunks, max_bytes, sent)
        for f in files:
            yield f, refused[f] if f in refused else next(parsed)


def _flatten(ex: Executor, task, chunks: list[list[str]], max_bytes: int | None, sent) -> Iterator:
    argsets = [([sent(p) for p in c], max_bytes) for c in chunks]
    for chunk, result in zip(chunks, ex.map_ordered(task, argsets)):
        if isinstance(result, TaskFailed):  # a file may have killed its worker: each file once more, alone
            result = [_one_again(ex, task, p, max_bytes, sent) for p in chunk]
        for path, item in zip(chunk, result):
            yield _as_given(path, item) if sent(path) != path else item


def _one_again(ex: Executor, task, path: str, max_bytes: int | None, sent):
    result = ex.call(task, [sent(path)], max_bytes)
    return worker_failed(path, result) if isinstance(result, TaskFailed) else result[0]


def worker_failed(path: str, failure: TaskFailed) -> IngestError:
    """The error of a file whose task was lost (its worker died parsing it, the cluster went away)."""
    return IngestError(path, f"could not be parsed: the worker parsing it failed ({failure})")


def _as_given(path: str, item):
    """Put back the path as the caller gave it (reports, error messages)."""
    if isinstance(item, tuple):
        return (_as_given(path, item[0]), *item[1:]) if item else item
    if isinstance(item, IngestError):
        again = IngestError(path, item.reason)
        if getattr(item, "detail", None):
            again.detail = item.detail
        return again
    if hasattr(item, "bundled"):
        for d in (item, *item.bundled):
            d.source = path
    return item


__all__ = ["EXECUTORS", "Executor", "ExecutorError", "TaskFailed", "choose_executor", "parse_on_executor",
           "parse_chunk", "require_dask", "chunk_size", "worker_failed"]
