"""The query worker process: opens the latest snapshot read-only and runs jobs.

A job is ``(generation, snapshot_path, fn, args, kwargs)``; ``fn`` is a
module-level function taking the :class:`~policykg.graph.KnowledgeGraph`
first (pickled by name).  The worker answers ``("ok", result)``,
``("error", encoded_error)`` for an expected :class:`PolicyKGError`, or
``("crash", text)`` for a bug.  When the generation changes it closes the old
snapshot and opens the new one.  The parent kills the process when a job runs
past the time limit; nothing here needs to cooperate with that.

This module is imported by the multiprocessing forkserver, so it keeps its
imports to what every job needs.
"""

from __future__ import annotations

import importlib
import signal
import traceback

from ..errors import PolicyKGError


def encode_error(e: PolicyKGError) -> tuple[str, str, str, dict]:
    """A picklable description of a library error (its class may not round-trip through pickle)."""
    attrs = {k: v for k, v in vars(e).items() if k not in ("message",)}
    return type(e).__module__, type(e).__qualname__, e.message, attrs


def decode_error(encoded: tuple[str, str, str, dict]) -> PolicyKGError:
    module, qualname, message, attrs = encoded
    try:
        cls = importlib.import_module(module)
        for part in qualname.split("."):
            cls = getattr(cls, part)
        if not (isinstance(cls, type) and issubclass(cls, PolicyKGError)):
            raise TypeError(qualname)
    except (ImportError, AttributeError, TypeError):
        cls = PolicyKGError
    err = cls.__new__(cls)
    PolicyKGError.__init__(err, message, setting=attrs.get("setting"))
    for k, v in attrs.items():
        setattr(err, k, v)
    return err


def worker_main(conn, settings) -> None:
    """Serve jobs from ``conn`` until it closes or sends ``None``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server; it stops us
    from ..graph.kg import KnowledgeGraph

    kg = None
    generation = None
    try:
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError):
                break
            if job is None:
                break
            job_generation, path, fn, args, kwargs = job
            try:
                if job_generation != generation:
                    if kg is not None:
                        kg.close()
                        kg = None
                    kg = KnowledgeGraph(path, settings, read_only=True)
                    generation = job_generation
                reply = ("ok", fn(kg, *args, **kwargs))
            except PolicyKGError as e:
                reply = ("error", encode_error(e))
            except Exception as e:  # a bug in a task: report it, keep serving
                reply = ("crash", f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=8)}")
            try:
                conn.send(reply)
            except (BrokenPipeError, EOFError, OSError):
                break
            except Exception as e:  # an answer that cannot be pickled
                conn.send(("crash", f"the answer could not be sent ({type(e).__name__}: {e})"))
    finally:
        if kg is not None:
            kg.close()
