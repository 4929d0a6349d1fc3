"""Read-only snapshots of the server's store, one generation per write.

pyoxigraph lets one process open an on-disk store read-write, and opening it
read-only "while another process writes the database is undefined
behaviour".  So the server process owns the read-write store and, after every
write, takes a RocksDB checkpoint (``Store.backup``: hard links on the same
file system, a few milliseconds) into a fresh folder.  Query workers open the
newest checkpoint read-only; nobody ever writes a checkpoint, so every reader
sees whole transactions only — never a half-ingested document.  A checkpoint
no worker has open any more is deleted.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

from ..errors import StoreError

log = logging.getLogger("policykg.api")

_PREFIX = ".policykg-snapshots-"


class Snapshots:
    """Checkpoint generations of a :class:`~policykg.graph.store.LocalStore`."""

    def __init__(self, backend, root: str | os.PathLike | None = None) -> None:
        if not hasattr(backend, "backup"):
            raise StoreError("Snapshots need an on-disk store.")
        self._backend = backend
        self._lock = threading.Lock()
        store = Path(backend.location).resolve()
        if root is None:
            parent = store.parent
            _remove_stale(parent)
            try:  # next to the store: same file system, so checkpoints are hard links
                root = tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-", dir=parent)
            except OSError:
                root = tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-")
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.generation = 0
        self.path: Path | None = None
        self._kept: dict[int, Path] = {}
        self.take()

    def current(self) -> tuple[int, str]:
        with self._lock:
            return self.generation, str(self.path)

    def take(self) -> int:
        """Checkpoint the store as it is now; returns the new generation."""
        with self._lock:
            gen = self.generation + 1
            target = self.root / f"g{gen:06d}"
            try:
                self._backend.backup(target)
            except (OSError, RuntimeError) as e:
                raise StoreError(f"A snapshot of the store could not be taken in {target} ({e}).") from None
            self.generation, self.path = gen, target
            self._kept[gen] = target
            return gen

    def collect(self, in_use: set[int]) -> None:
        """Delete the checkpoints older than the current one that no worker has open."""
        with self._lock:
            old = [g for g in self._kept if g != self.generation and g not in in_use]
            paths = [self._kept.pop(g) for g in old]
        for p in paths:
            shutil.rmtree(p, ignore_errors=True)

    @property
    def kept(self) -> list[int]:
        with self._lock:
            return sorted(self._kept)

    def close(self) -> None:
        with self._lock:
            self._kept.clear()
        shutil.rmtree(self.root, ignore_errors=True)


def _remove_stale(parent: Path) -> None:
    """Remove snapshot folders left by a server process that no longer runs."""
    try:
        entries = list(parent.glob(_PREFIX + "*"))
    except OSError:
        return
    for entry in entries:
        m = re.match(re.escape(_PREFIX) + r"(\d+)-", entry.name)
        if not m or not entry.is_dir():
            continue
        pid = int(m.group(1))
        if pid == os.getpid() or _alive(pid):
            continue
        log.info("removing stale snapshots %s", entry)
        shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
