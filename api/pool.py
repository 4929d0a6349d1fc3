"""Where API reads run: a pool of worker processes that can be killed.

pyoxigraph cannot cancel a query, so every read the API serves runs in a
worker process (:mod:`policykg.api.worker`) over a read-only snapshot of the
store (:mod:`policykg.api.snapshots`).  A job that runs past
``Settings.query_time_limit`` gets its worker killed (SIGKILL) and replaced,
and the caller a :class:`~policykg.errors.QueryTimeout`; the other workers
keep answering the other requests meanwhile.

Waiting for a free worker counts against the same time limit, so a request
is answered (or refused) within the limit plus the time to send the answer.

:class:`InlinePool` runs jobs in the calling thread instead, for stores that
cannot be snapshotted (in memory, or a remote endpoint, which has its own
timeout).
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from anyio import to_thread

from ..errors import QueryTimeout, StoreError
from ..settings import Settings
from .snapshots import Snapshots
from .worker import decode_error, worker_main

log = logging.getLogger("policykg.api")

_context = None


def _mp_context():
    """forkserver where available: forking a threaded server (uvicorn, RocksDB) is unsafe, and the fork
    server preloads the worker's imports so a replacement worker starts in milliseconds."""
    global _context
    if _context is None:
        methods = multiprocessing.get_all_start_methods()
        if "forkserver" in methods:
            _context = multiprocessing.get_context("forkserver")
            try:
                # modules that fail to import are skipped by the fork server
                _context.set_forkserver_preload(["policykg.api.worker", "policykg.api.tasks", "policykg.graph.kg",
                                                 "policykg.graph.lookup", "policykg.graph.deps"])
            except Exception:  # the fork server already runs
                pass
        else:
            _context = multiprocessing.get_context("spawn")
    return _context


def timeout_error(limit: float, waited_for_worker: bool = False) -> QueryTimeout:
    if waited_for_worker:
        msg = (f"Every query worker stayed busy for the whole time limit of {limit:g} s; try again, or start "
               f"the server with more workers ({Settings.env_name('query_workers')}).")
        return QueryTimeout(msg, setting="query_workers")
    return QueryTimeout(
        f"The query ran longer than the time limit of {limit:g} s and was stopped; make it more selective "
        f"(a LIMIT, fewer unbound patterns) or raise {Settings.env_name('query_time_limit')}.",
        setting="query_time_limit")


@dataclass(eq=False)  # identity: a worker is a process, not a value
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: object
    generation: int | None = None  # the snapshot it has (or is about to have) open
    jobs: int = 0


class QueryPool:
    """``size`` worker processes answering jobs over the newest snapshot."""

    def __init__(self, snapshots: Snapshots, settings: Settings, size: int | None = None) -> None:
        self.snapshots = snapshots
        self.settings = settings
        self.size = max(1, size or settings.query_workers)
        self.time_limit = float(settings.query_time_limit)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.replaced = 0  # workers killed (runaway job) or found dead, and replaced
        self.timeouts = 0

    # ------------------------------------------------------------ life cycle

    def start(self) -> "QueryPool":
        for _ in range(self.size):
            self._idle.put(self._spawn())
        return self

    def _spawn(self) -> _Worker:
        ctx = _mp_context()
        parent, child = ctx.Pipe(duplex=True)
        proc = ctx.Process(target=worker_main, args=(child, self.settings), name="policykg-query-worker",
                           daemon=True)
        proc.start()
        child.close()
        w = _Worker(proc, parent)
        with self._lock:
            self._workers.add(w)
        return w

    def _retire(self, w: _Worker, *, kill: bool) -> None:
        with self._lock:
            self._workers.discard(w)
        if kill and w.process.is_alive():
            w.process.kill()
        w.process.join(timeout=2)
        try:
            w.conn.close()
        except OSError:
            pass

    def _replace(self, w: _Worker) -> None:
        self._retire(w, kill=True)
        self.replaced += 1
        if not self._closed:
            self._idle.put(self._spawn())
        self._collect()

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._workers)
        for w in workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + 2
        for w in workers:
            w.process.join(timeout=max(0.0, deadline - time.monotonic()))
            self._retire(w, kill=True)

    @property
    def pids(self) -> list[int]:
        with self._lock:
            return sorted(w.process.pid for w in self._workers if w.process.pid)

    def status(self) -> dict:
        with self._lock:
            alive = sum(1 for w in self._workers if w.process.is_alive())
        return {"workers": self.size, "alive": alive, "idle": self._idle.qsize(), "replaced": self.replaced,
                "timeouts": self.timeouts, "snapshot": self.snapshots.generation,
                "time_limit": self.time_limit}

    # ------------------------------------------------------------ jobs

    def run(self, fn: Callable, *args, timeout: float | None = None, deadline: float | None = None, **kwargs):
        """Run ``fn(kg, *args, **kwargs)`` in a worker; raise QueryTimeout past the limit.

        ``deadline`` (a :func:`time.monotonic` time) defaults to now plus the time limit.
        """
        if self._closed:
            raise StoreError("The server is shutting down.")
        limit = self.time_limit if timeout is None else timeout
        if deadline is None:
            deadline = time.monotonic() + limit
        try:
            w = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            self.timeouts += 1
            raise timeout_error(limit, waited_for_worker=True) from None
        if not w.process.is_alive():
            self._replace(w)
            return self.run(fn, *args, timeout=limit, deadline=deadline, **kwargs)
        with self._lock:
            generation, path = self.snapshots.current()
            w.generation = generation
        try:
            w.conn.send((generation, path, fn, args, kwargs))
            ready = w.conn.poll(max(0.0, deadline - time.monotonic()))
            reply = w.conn.recv() if ready else None
        except (EOFError, OSError, BrokenPipeError):
            self._replace(w)
            raise StoreError("A query worker stopped unexpectedly (out of memory?); it has been replaced, "
                             "try again.") from None
        if reply is None:  # still running at the deadline: stop it for good
            log.warning("query worker %s ran past %.1fs; killing it", w.process.pid, limit)
            self.timeouts += 1
            self._replace(w)
            raise timeout_error(limit)
        w.jobs += 1
        self._idle.put(w)
        if generation != self.snapshots.generation or len(self.snapshots.kept) > 1:
            self._collect()
        kind, value = reply
        if kind == "ok":
            return value
        if kind == "error":
            raise decode_error(value)
        raise RuntimeError(f"query worker failed: {value}")

    async def call(self, fn: Callable, *args, **kwargs):
        """:meth:`run` from async code, without blocking the event loop; the time limit counts from
        now, so waiting for a thread counts too."""
        deadline = time.monotonic() + self.time_limit
        return await to_thread.run_sync(lambda: self.run(fn, *args, deadline=deadline, **kwargs))

    def _collect(self) -> None:
        with self._lock:
            in_use = {w.generation for w in self._workers if w.generation is not None}
        self.snapshots.collect(in_use)


class InlinePool:
    """Runs jobs in the calling thread over the server's own store (no kill, no snapshot).

    For in-memory stores and remote endpoints (which have their own request timeout).
    """

    def __init__(self, kg, settings: Settings) -> None:
        self.kg = kg
        self.settings = settings
        self.size = 1
        self.replaced = 0
        self.timeouts = 0

    def start(self) -> "InlinePool":
        return self

    def close(self) -> None:
        pass

    @property
    def pids(self) -> list[int]:
        return []

    def status(self) -> dict:
        return {"workers": 0, "alive": 0, "idle": 0, "replaced": 0, "timeouts": 0, "snapshot": None,
                "time_limit": self.settings.query_time_limit}

    def run(self, fn: Callable, *args, timeout: float | None = None, **kwargs):
        return fn(self.kg, *args, **kwargs)

    async def call(self, fn: Callable, *args, **kwargs):
        return await to_thread.run_sync(lambda: self.run(fn, *args, **kwargs))
