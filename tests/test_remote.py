"""The remote store backend against a real `oxigraph serve` on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import DATA, SAMPLE, run_cli, sparql_json


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _oxigraph_exe() -> str:
    exe = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if not exe:
        pytest.fail("the `oxigraph` server binary is missing; install the [test] extra (pip install '.[test]')")
    return exe


class OxigraphServer:
    def __init__(self, location: Path) -> None:
        self.port = _free_port()
        self.location = location
        self.proc = None

    def start(self) -> "OxigraphServer":
        self.proc = subprocess.Popen([_oxigraph_exe(), "serve", "--location", str(self.location), "--bind",
                                      f"127.0.0.1:{self.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("oxigraph serve did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"


@pytest.fixture
def oxigraph(tmp_path):
    server = OxigraphServer(tmp_path / "oxigraph").start()
    yield server
    server.stop()


NAMED = ["who-owns-what"]


def _named_rows(store: str, name: str, *params: str) -> list[dict]:
    args = ["query", "--name", name, "--store", store, "--format", "json"]
    for p in params:
        args += ["--param", p]
    out = json.loads(run_cli(*args, check=True).stdout)
    return [{k: v["value"] for k, v in b.items()} for b in out["results"]["bindings"]]


def test_remote_ingest_and_queries_match_the_embedded_store(oxigraph, sample_store):
    run_cli("ingest", str(SAMPLE), str(DATA / "county-tasks.txt"), "--store", oxigraph.url, check=True)
    again = run_cli("ingest", str(SAMPLE), "--store", oxigraph.url, check=True)
    assert b"unchanged" in again.stdout
    local = str(sample_store)
    for params in ([], ["unit=区科委"], ["unit=上海市普陀区科学技术委员会"]):
        remote_rows = [r for r in _named_rows(oxigraph.url, "who-owns-what", *params)
                       if r.get("docNumber") == "普府办〔2022〕16号"]
        assert remote_rows == _named_rows(local, "who-owns-what", *params)
    q = "SELECT ?p ?u WHERE { ?a a pk:Action ; pk:path ?p ; pk:responsibleUnit/rdfs:label ?u } ORDER BY ?p ?u"
    remote = {tuple(r.values()) for r in sparql_json_url(oxigraph.url, q)}
    local_rows = {tuple(r.values()) for r in sparql_json(sample_store, q)}
    assert len(local_rows) > 30 and local_rows <= remote
    assert {p for p, _ in remote - local_rows} == {"1.1", "1.2"}  # the county document's two task rows


def sparql_json_url(url: str, q: str) -> list[dict]:
    out = json.loads(run_cli("query", q, "--store", url, "--format", "json", check=True).stdout)
    return [{k: v["value"] for k, v in b.items()} for b in out["results"]["bindings"]]


def test_remote_parameters_cannot_change_the_query(oxigraph):
    run_cli("ingest", str(SAMPLE), "--store", oxigraph.url, check=True)
    before = sparql_json_url(oxigraph.url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    rows = _named_rows(oxigraph.url, "who-owns-what", 'unit=区科委" } } UNION { ?s ?p ?o } #')
    assert rows == []
    assert sparql_json_url(oxigraph.url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == before


def test_remote_endpoint_down_is_one_clear_error(tmp_path):
    url = f"http://127.0.0.1:{_free_port()}/query"
    proc = run_cli("ingest", str(SAMPLE), "--store", url)
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert "cannot be reached" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_remote_slow_endpoint_times_out(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    conns = []
    stop = threading.Event()

    def accept():  # accepts connections and never answers
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conns.append(listener.accept()[0])
            except OSError:
                pass

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    try:
        t0 = time.time()
        proc = run_cli("query", "ASK {}", "--store", f"http://127.0.0.1:{port}/query",
                       env={"POLICYKG_REMOTE_TIMEOUT": "1.5"})
        elapsed = time.time() - t0
    finally:
        stop.set()
        listener.close()
    assert proc.returncode == 1
    assert "did not answer within 1.5 s" in proc.stderr.decode()
    assert elapsed < 15


def test_remote_server_lost_mid_ingest_leaves_whole_documents(oxigraph, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    for i in range(30):  # distinct documents: each its own 文号
        (folder / f"d{i:02}.txt").write_text(text.replace("16号", f"{100 + i}号"), encoding="utf-8")
    proc = subprocess.Popen([*_cli(), "ingest", str(folder), "--store", oxigraph.url],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:  # wait until a few documents are in, then pull the plug
        try:
            n = int(sparql_json_url(oxigraph.url, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g {} }")[0]["n"])
        except AssertionError:
            n = 0
        if n >= 3 or proc.poll() is not None:
            break
        time.sleep(0.05)
    oxigraph.stop()
    out, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("the ingest finished before the server was stopped")
    assert proc.returncode == 1
    assert b"cannot be reached" in err
    assert b"Traceback" not in err
    oxigraph.start()  # same data folder: every document graph present is whole
    counts = sparql_json_url(oxigraph.url,
                             "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert counts
    assert len({c["n"] for c in counts}) == 1  # every stored copy has the same, complete size
    retry = run_cli("ingest", str(folder), "--store", oxigraph.url, check=True)
    assert retry.stdout.count(b"= unchanged") == len(counts)


def _cli() -> list[str]:
    from helpers import policykg_exe

    return policykg_exe()
