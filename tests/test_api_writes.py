"""Writes over HTTP: /update and POST /documents only with the server's update token;
uploads give the CLI's per-file errors; readers never see half a document; `policykg serve`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time


import httpx
import pytest
from helpers import DATA, SAMPLE, policykg_exe

TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {"Accept": "application/sparql-results+json"}
COUNT_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@pytest.fixture(scope="module")
def writable(api_server):
    return api_server(update_token=TOKEN, max_upload_bytes=200_000)


@pytest.fixture(scope="module")
def read_only(api_server):
    return api_server()


def _graph_counts(url: str) -> dict[str, int]:
    r = httpx.get(url + "/sparql", params={"query": COUNT_GRAPHS}, headers=JSON, timeout=30)
    r.raise_for_status()
    return {b["g"]["value"]: int(b["n"]["value"]) for b in r.json()["results"]["bindings"]}


def _problem(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


# ------------------------------------------------------------------ /update


@pytest.mark.parametrize("which, headers, status", [
    ("read_only", AUTH, 403),  # started without a token: every write is refused
    ("read_only", {}, 403),
    ("writable", {}, 401),
    ("writable", {"Authorization": "Bearer wrong-token-0123456789"}, 403),
    ("writable", {"Authorization": f"Basic {TOKEN}"}, 401),
    ("writable", {"Authorization": f"bearer {TOKEN}x"}, 403),
])
def test_api_update_needs_the_servers_token(request, which, headers, status):
    server = request.getfixturevalue(which)
    before = _graph_counts(server.url)
    r = httpx.post(server.url + "/update", data={"update": "INSERT DATA { GRAPH <http://example.org/g> "
                                                            "{ <http://example.org/s> <http://example.org/p> 1 } }"},
                   headers=headers)
    body = _problem(r, status)
    if status == 401:
        assert r.headers["www-authenticate"].lower().startswith("bearer")
    if which == "read_only":
        assert body["setting"] == "update_token" and body["env"] == "POLICYKG_UPDATE_TOKEN"
    assert _graph_counts(server.url) == before


@pytest.mark.parametrize("form", ["form", "direct"])
def test_api_update_with_the_token_is_seen_by_later_queries(writable, form):
    graph = f"http://example.org/update-{form}"
    update = f"INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/s> <http://example.org/p> \"值\" }} }}"
    if form == "form":
        r = httpx.post(writable.url + "/update", data={"update": update}, headers=AUTH)
    else:
        r = httpx.post(writable.url + "/update", content=update.encode(),
                       headers={**AUTH, "Content-Type": "application/sparql-update"})
    assert r.status_code == 200, r.text
    assert _graph_counts(writable.url)[graph] == 1
    r = httpx.post(writable.url + "/update", data={"update": f"DROP GRAPH <{graph}>"}, headers=AUTH)
    assert r.status_code == 200
    assert graph not in _graph_counts(writable.url)


@pytest.mark.parametrize("data, headers, status", [
    ({"update": "INSERT DATA { <a:b> <a:c> "}, AUTH, 400),
    ({"query": "ASK {}"}, AUTH, 400),
    ({"update": "CLEAR ALL", "using-graph-uri": "http://example.org/g"}, AUTH, 400),
])
def test_api_update_bad_requests(writable, data, headers, status):
    _problem(httpx.post(writable.url + "/update", data=data, headers=headers), status)


# ------------------------------------------------------------------ POST /documents


def _upload(server, name: str, data: bytes, headers=AUTH, **params):
    return httpx.post(server.url + "/documents", files={"file": (name, data, "application/octet-stream")},
                      headers=headers, params=params, timeout=60)


def test_api_upload_adds_then_recognises_then_replaces(writable):
    text = (DATA / "county-tasks.txt").read_bytes()
    r = _upload(writable, "county-tasks.txt", text)
    assert r.status_code == 201, r.text
    report = r.json()
    assert report["status"] == "added" and report["actions"] >= 2 and report["quads"] > 0
    location = r.headers["location"]
    doc = httpx.get(location).json()
    assert doc["iri"] == report["document"] and doc["docNumber"] == "德政办发〔2024〕8号"
    assert report["document"] in _graph_counts(writable.url)
    assert report["document"] in [d["iri"] for d in httpx.get(writable.url + "/documents").json()["documents"]]

    again = _upload(writable, "county-tasks.txt", text)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"

    changed = text.replace("推进企业上云。".encode(), "推进企业上云、上平台。".encode())
    assert changed != text
    replaced = _upload(writable, "county-tasks.txt", changed)
    assert replaced.status_code == 200 and replaced.json()["status"] == "replaced"
    assert replaced.json()["document"] == report["document"]

    gone = httpx.delete(location, headers=AUTH)
    assert gone.status_code == 204
    assert report["document"] not in _graph_counts(writable.url)
    _problem(httpx.get(location), 404)


@pytest.mark.parametrize("name, data, words", [
    ("empty.txt", b"", "empty"),
    ("binary.txt", bytes(range(256)) * 8, "binary"),
    ("program.exe", b"MZ\x90\x00" * 10, "unsupported file type"),
])
def test_api_upload_failures_are_the_clis_per_file_errors(writable, name, data, words, tmp_path):
    before = _graph_counts(writable.url)
    r = _upload(writable, name, data)
    body = _problem(r, 422)
    assert body["detail"].startswith(name) and words in body["detail"]
    assert body["report"]["status"] == "failed"
    assert _graph_counts(writable.url) == before
    # the same file through `policykg ingest` reports the same reason
    path = tmp_path / name
    path.write_bytes(data)
    from helpers import run_cli

    proc = run_cli("ingest", str(path), "--store", str(tmp_path / "cli-store"))
    assert proc.returncode == 1
    assert words in proc.stderr.decode("utf-8")


def test_api_upload_is_refused_past_the_size_limit(writable):
    big = (SAMPLE.read_text(encoding="utf-8") * 40).encode("utf-8")
    assert len(big) > 200_000
    body = _problem(_upload(writable, "big.txt", big), 413)
    assert body["setting"] == "max_upload_bytes" and body["env"] == "POLICYKG_MAX_UPLOAD_BYTES"


@pytest.mark.parametrize("headers, status", [({}, 401), ({"Authorization": "Bearer nope-nope-nope-nope"}, 403)])
def test_api_upload_needs_the_token(writable, headers, status):
    _problem(_upload(writable, "county-tasks.txt", (DATA / "county-tasks.txt").read_bytes(), headers=headers), status)


def test_api_upload_needs_multipart(writable):
    r = httpx.post(writable.url + "/documents", content=b"abc", headers={**AUTH, "Content-Type": "text/plain"})
    _problem(r, 415)


def test_api_readers_never_see_half_a_document(api_server):
    """Readers counting each document graph's quads while documents are added and replaced see
    only whole versions: the count before, after the first upload, or after the second."""
    server = api_server(update_token=TOKEN, query_workers=2)
    sample = SAMPLE.read_text(encoding="utf-8")
    v1 = sample.replace("普府办〔2022〕16号", "普府办〔2022〕99号")
    assert v1 != sample
    cut = v1.index("三、")  # the second version drops the plan's last part
    v2 = v1[:cut]
    before = _graph_counts(server.url)
    seen: list[dict[str, int]] = []
    stop = threading.Event()

    def read():
        with httpx.Client(base_url=server.url, timeout=30) as c:
            while not stop.is_set():
                r = c.get("/sparql", params={"query": COUNT_GRAPHS}, headers=JSON)
                assert r.status_code == 200
                seen.append({b["g"]["value"]: int(b["n"]["value"]) for b in r.json()["results"]["bindings"]})

    readers = [threading.Thread(target=read) for _ in range(2)]
    for t in readers:
        t.start()
    try:
        time.sleep(0.2)
        first = _upload(server, "plan-v1.txt", v1.encode("utf-8"))
        assert first.status_code == 201, first.text
        graph = first.json()["document"]
        time.sleep(0.3)
        second = _upload(server, "plan-v1.txt", v2.encode("utf-8"))
        assert second.status_code == 200 and second.json()["status"] == "replaced"
        time.sleep(0.3)
    finally:
        stop.set()
        for t in readers:
            t.join()
    n1, n2 = first.json()["quads"], second.json()["quads"]
    assert n1 != n2
    observed = {obs.get(graph) for obs in seen}
    assert observed <= {None, n1, n2}, observed
    assert {n1, n2} <= observed  # the readers ran during both writes
    assert all({g: n for g, n in obs.items() if g != graph} == before for obs in seen)
    assert len(seen) > 20


# ------------------------------------------------------------------ policykg serve


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"policykg serve exited {proc.returncode}: {proc.stderr.read().decode()}")
        try:
            if httpx.get(url + "/status", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("policykg serve did not answer")


def test_api_serve_command_takes_the_token_from_the_environment(sample_store, tmp_path):
    import shutil

    store = tmp_path / "store"
    shutil.copytree(sample_store, store)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_")}
    args = [*policykg_exe(), "serve", "--store", str(store), "--port", str(port), "--no-access-log",
            "--query-time-limit", "3", "--workers", "1"]
    env["POLICYKG_UPDATE_TOKEN"] = TOKEN
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(url, proc)
        status = httpx.get(url + "/status").json()
        assert status["updates"] is True and status["query_time_limit"] == 3 and status["pool"]["workers"] == 1
        assert TOKEN not in " ".join(proc.args)
        r = httpx.post(url + "/update", data={"update": "INSERT DATA { GRAPH <http://example.org/g> "
                                                        "{ <http://example.org/s> <http://example.org/p> 1 } }"},
                       headers=AUTH)
        assert r.status_code == 200, r.text
        assert "http://example.org/g" in _graph_counts(url)
        assert list(tmp_path.glob(".policykg-snapshots-*"))  # readers' snapshots sit next to the store
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode == 0, proc.stderr.read().decode()
    assert "read-only" not in proc.stderr.read().decode()
    assert not list(tmp_path.glob(".policykg-snapshots-*"))  # cleaned up on shutdown


@pytest.mark.parametrize("args, env, words", [
    (["--update-token", TOKEN], {}, "No such option"),  # never on the command line
    ([], {"POLICYKG_UPDATE_TOKEN": "short"}, "too short"),
    (["--update-token-file", "{tmp}/token"], {}, "too short"),  # the file is read (and checked)
    (["--update-token-file", "{tmp}/empty"], {}, "is empty"),
])
def test_api_serve_command_refuses_unsafe_tokens(tmp_path, args, env, words):
    from helpers import run_cli

    (tmp_path / "token").write_text("short\n")
    (tmp_path / "empty").write_text("\n")
    args = [a.format(tmp=tmp_path) for a in args]

    proc = run_cli("serve", "--store", str(tmp_path / "s"), "--port", str(_free_port()), *args, env=env, timeout=60)
    assert proc.returncode == 2
    assert words in proc.stderr.decode("utf-8")


def test_api_serve_command_has_help():
    from helpers import run_cli

    out = run_cli("serve", "--help", check=True).stdout.decode()
    for option in ("--store", "--host", "--port", "--query-time-limit", "--result-limit", "--cors-origin",
                   "--allow-service", "--update-token-file", "POLICYKG_UPDATE_TOKEN"):
        assert option in out



def test_api_service_description_names_the_update_service_only_with_a_token(writable, read_only):
    from rdflib import Graph, Namespace

    SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
    with_token = Graph().parse(data=httpx.get(writable.url + "/sparql").text, format="turtle")
    endpoints = {str(o) for o in with_token.objects(None, SD.endpoint)}
    assert writable.url + "/update" in endpoints
    assert (None, SD.supportedLanguage, SD.SPARQL11Update) in with_token
    without = Graph().parse(data=httpx.get(read_only.url + "/sparql").text, format="turtle")
    assert (None, SD.supportedLanguage, SD.SPARQL11Update) not in without
