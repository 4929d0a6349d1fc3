"""Parsing on Dask (dask.distributed): a real LocalCluster, started by the tests (2 workers).

A Dask ingest gives the same store as the single-process one (sorted N-Quads
dumps); `--scheduler` runs on a cluster that is already there, whose workers
write their own shards with `--emit`; a worker that dies takes only its file
down; a missing dask or an unreachable scheduler is one clear sentence.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
from helpers import SAMPLE, run_cli
from test_emit import make_corpus, manifest, oxigraph_load, sorted_dump

pytest.importorskip("distributed", reason="the dask extra is not installed (pip install '.[test]')")
pytestmark = pytest.mark.slow  # a real Dask cluster: seconds to start


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return make_corpus(tmp_path_factory.mktemp("dask") / "corpus", generated=12, seed=34)


@pytest.fixture(scope="module")
def single_store(corpus, tmp_path_factory):
    store = tmp_path_factory.mktemp("single") / "store"
    run_cli("ingest", str(corpus), "--store", str(store), "-q", check=True)
    return store


@pytest.fixture(scope="module")
def cluster():
    """A Dask LocalCluster of two single-threaded worker processes, as `dask scheduler` + `dask worker` would be."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as c, Client(c) as client:
        yield c, client


def test_distributed_dask_local_cluster_ingest_gives_the_same_store(corpus, single_store, tmp_path):
    store = tmp_path / "store"
    proc = run_cli("ingest", str(corpus), "--store", str(store), "--workers", "2", "--executor", "dask", "-q",
                   check=True)
    assert "ingested: 17 files (18 documents) — 18 added" in proc.stdout.decode()
    assert sorted_dump(store) == sorted_dump(single_store)


def test_distributed_ingest_on_a_running_cluster_is_the_same_store(corpus, single_store, cluster, tmp_path,
                                                                   monkeypatch):
    c, client = cluster
    from policykg import KnowledgeGraph

    monkeypatch.chdir(corpus.parent)  # a relative path: the workers get it absolute, the reports as given
    before = _finished(client)
    with KnowledgeGraph(tmp_path / "store") as kg:
        reports = kg.ingest(["corpus"], scheduler=c.scheduler_address)
    assert [r.status for r in reports] == ["added"] * 18
    assert all(r.source.startswith("corpus/") for r in reports)
    assert sorted_dump(tmp_path / "store") == sorted_dump(single_store)
    assert _finished(client) - before >= 2  # parsed there, in several tasks


def test_distributed_emit_on_a_running_cluster_workers_write_the_shards(corpus, single_store, cluster, tmp_path):
    c, client = cluster
    out = tmp_path / "nq"
    before = _finished(client)
    run_cli("ingest", str(corpus), "--emit", str(out), "--shard-size", "4", "--scheduler", c.scheduler_address,
            "-q", check=True)
    shards = sorted(p.name for p in out.glob("shard-*.nq"))
    assert len(shards) == 5 and {e["file"] for e in manifest(out)} == set(shards)  # 17 files, 4 a shard
    assert _finished(client) - before == 5  # one task per shard, each run on a worker
    oxigraph_load(out, tmp_path / "loaded")
    assert sorted_dump(tmp_path / "loaded") == sorted_dump(single_store)


def _finished(client) -> int:
    """How many tasks the scheduler has seen finish on a worker so far."""
    def count(dask_scheduler):
        return sum(tp.state_counts.get("memory", 0) for tp in dask_scheduler.task_prefixes.values())

    return client.run_on_scheduler(count)


def _die_on_bad(paths: list[str], max_bytes):
    """A parse task that kills its worker process when it meets a file named bad.txt (a segfault in a C library)."""
    from policykg.graph.distributed import parse_chunk

    if any(os.path.basename(p) == "bad.txt" for p in paths):
        os._exit(1)
    return parse_chunk(paths, max_bytes)


def test_distributed_a_worker_that_dies_takes_only_its_file_down(tmp_path):
    import dask

    from policykg.errors import IngestError
    from policykg.graph.distributed import parse_on_executor

    folder = tmp_path / "in"
    folder.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    files = []
    for i in range(6):
        name = "bad.txt" if i == 2 else f"doc{i}.txt"
        (folder / name).write_text(text.replace("普府办〔2022〕16号", f"普府办〔2022〕{30 + i}号"), encoding="utf-8")
        files.append(str(folder / name))
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):  # KilledWorker at the first death
        results = dict(parse_on_executor(files, {}, None, task=_die_on_bad, executor="dask", workers=2))
    assert list(results) == files
    bad = results[str(folder / "bad.txt")]
    assert isinstance(bad, IngestError) and "the worker parsing it failed" in str(bad)
    assert all(results[f].meta.doc_number for f in files if not f.endswith("bad.txt"))


def test_distributed_executor_keeps_input_order_with_a_bounded_window():
    from policykg.graph.distributed import Executor, TaskFailed

    with Executor("process", workers=2) as ex:
        out = list(ex.map_ordered(divmod, [(i, 3 - (i == 5) * 3) for i in range(40)], window=2))
    assert isinstance(out[5], TaskFailed) and "ZeroDivisionError" in str(out[5])
    assert [o for i, o in enumerate(out) if i != 5] == [divmod(i, 3) for i in range(40) if i != 5]


def test_distributed_unreachable_scheduler_is_one_clear_error(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = run_cli("ingest", str(SAMPLE), "--store", str(tmp_path / "s"), "--scheduler", f"tcp://127.0.0.1:{port}")
    err = proc.stderr.decode().strip()
    assert proc.returncode == 1 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert f"The Dask scheduler at tcp://127.0.0.1:{port} cannot be reached" in err


def test_distributed_without_dask_installed_is_one_clear_error(tmp_path):
    # the same installed CLI, in an interpreter where `import distributed` fails as it does without the extra
    code = "import sys; sys.modules['distributed'] = None; from policykg.cli import main; main()"
    for args in (["--store", str(tmp_path / "s"), "--executor", "dask"], ["--emit", str(tmp_path / "nq"),
                                                                          "--executor", "dask"]):
        proc = subprocess.run([sys.executable, "-c", code, "ingest", str(SAMPLE), *args], capture_output=True,
                              timeout=120)
        err = proc.stderr.decode().strip()
        assert proc.returncode == 1 and len(err.splitlines()) == 1, err
        assert "needs dask.distributed" in err and "pip install 'policykg[dask]'" in err
