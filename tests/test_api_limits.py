"""The API is safe to put on a network: runaway queries are stopped, SERVICE and LOAD
fetch nothing, answers are bounded — against a real server over a real store."""

from __future__ import annotations

import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

TOKEN = "test-token-0123456789abcdef"
JSON = {"Accept": "application/sparql-results+json"}
# five unconstrained patterns: ~1000^5 solutions to count; never finishes
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }")
SMALL = "SELECT ?a WHERE { ?a a pk:Action } LIMIT 3"


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.requests: list[bytes] = []
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    self.requests.append(conn.recv(65536))
                    conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
                                 b"Connection: close\r\n\r\n")
                except OSError:
                    self.requests.append(b"")

    def close(self) -> None:
        self._stop = True
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture(scope="module")
def plain_server(api_server):
    return api_server()


@pytest.fixture(scope="module")
def token_server(api_server):
    return api_server(update_token=TOKEN)


@pytest.fixture
def listener():
    lst = Listener()
    yield lst
    lst.close()


# ------------------------------------------------------------------ runaway queries


def test_api_runaway_query_is_stopped_while_others_are_served(api_server):
    limit = 1.5
    server = api_server(query_time_limit=limit, query_workers=2)
    pool = server.app.state.pool
    pids_before = set(pool.pids)
    assert len(pids_before) == 2
    with httpx.Client(base_url=server.url, timeout=30) as c:
        c.get("/sparql", params={"query": SMALL}, headers=JSON).raise_for_status()  # warm both paths up

        def runaway():
            t0 = time.monotonic()
            r = c.get("/sparql", params={"query": RUNAWAY}, headers=JSON)
            return r, time.monotonic() - t0

        with ThreadPoolExecutor(max_workers=1) as ex:
            fut = ex.submit(runaway)
            time.sleep(0.2)  # the runaway query now occupies one worker
            latencies = []
            with httpx.Client(base_url=server.url, timeout=30) as other:
                while not fut.done():
                    t0 = time.monotonic()
                    r = other.get("/sparql", params={"query": SMALL}, headers=JSON)
                    latencies.append(time.monotonic() - t0)
                    assert r.status_code == 200, r.text
                    assert len(r.json()["results"]["bindings"]) == 3
                    time.sleep(0.05)
            r, elapsed = fut.result()

    assert r.status_code in (503, 504), r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["type"].endswith("/query-timeout")
    assert body["setting"] == "query_time_limit" and body["env"] == "POLICYKG_QUERY_TIME_LIMIT"
    assert limit - 0.1 <= elapsed <= limit + 1.0, elapsed
    # the other requests answered quickly while the runaway query ran
    assert len(latencies) >= 5
    assert max(latencies) < 1.0, latencies
    # the worker that ran it is gone (no CPU held), a fresh one took its place, and the server still serves
    status = httpx.get(server.url + "/status").json()["pool"]
    assert status["replaced"] == 1 and status["alive"] == 2 and status["timeouts"] == 1
    pids_after = set(pool.pids)
    killed = pids_before - pids_after
    assert len(killed) == 1 and len(pids_after) == 2
    for pid in killed:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    for _ in range(4):
        r = httpx.get(server.url + "/sparql", params={"query": SMALL}, headers=JSON)
        assert r.status_code == 200


def test_api_busy_workers_answer_within_the_limit(api_server):
    """With every worker stuck, a queued request is answered within its own time limit all the same."""
    limit = 1.0
    server = api_server(query_time_limit=limit, query_workers=1)
    with ThreadPoolExecutor(max_workers=2) as ex:
        stuck = ex.submit(httpx.get, server.url + "/sparql", params={"query": RUNAWAY}, headers=JSON, timeout=30)
        time.sleep(0.3)
        t0 = time.monotonic()
        queued = httpx.get(server.url + "/sparql", params={"query": RUNAWAY}, headers=JSON, timeout=30)
        waited = time.monotonic() - t0
        assert stuck.result().status_code == 503
    # it waited for the worker, then ran on its replacement until its own deadline
    assert queued.status_code == 503, queued.text
    assert waited <= limit + 1.0, waited
    assert queued.json()["type"].endswith("/query-timeout")
    assert httpx.get(server.url + "/sparql", params={"query": SMALL}, headers=JSON).status_code == 200
    assert httpx.get(server.url + "/status").json()["pool"]["replaced"] == 2


def test_api_result_limit_is_a_problem_naming_the_setting(api_server):
    server = api_server(result_limit=5)
    r = httpx.get(server.url + "/sparql", params={"query": "SELECT ?a WHERE { ?a a pk:Action }"}, headers=JSON)
    assert r.status_code == 413
    body = r.json()
    assert body["setting"] == "result_limit" and body["env"] == "POLICYKG_RESULT_LIMIT"
    assert "LIMIT" in body["detail"]
    ok = httpx.get(server.url + "/sparql", params={"query": "SELECT ?a WHERE { ?a a pk:Action } LIMIT 5"},
                   headers=JSON)
    assert ok.status_code == 200 and len(ok.json()["results"]["bindings"]) == 5


# ------------------------------------------------------------------ SERVICE and LOAD fetch nothing


SERVICE_QUERIES = [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "PREFIX ep: <http://127.0.0.1:{port}/>\nSELECT * WHERE {{ ?x a pk:Action . SeRvIcE ep:sparql {{ ?x ?p ?o }} }}",
    "ASK {{ SERVICE\n# a comment\n<http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("template", SERVICE_QUERIES)
@pytest.mark.parametrize("method", ["get", "post-direct"])
def test_api_service_is_refused_and_fetches_nothing(plain_server, listener, template, method):
    server = plain_server
    query = template.format(port=listener.port)
    if method == "get":
        r = httpx.get(server.url + "/sparql", params={"query": query}, headers=JSON)
    else:
        r = httpx.post(server.url + "/sparql", content=query.encode(),
                       headers={**JSON, "Content-Type": "application/sparql-query"})
    assert r.status_code == 400, r.text
    body = r.json()
    assert "SERVICE" in body["detail"] and body["setting"] == "allow_service"
    time.sleep(0.2)
    assert listener.requests == []


@pytest.mark.parametrize("update", [
    "LOAD <http://127.0.0.1:{port}/data.ttl>",
    "load silent <http://127.0.0.1:{port}/data.ttl> INTO GRAPH <http://example.org/g>",
    "INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
])
def test_api_load_in_updates_is_refused_and_fetches_nothing(token_server, listener, update):
    server = token_server
    r = httpx.post(server.url + "/update", data={"update": update.format(port=listener.port)},
                   headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 400, r.text
    assert r.json()["setting"] == "allow_service"
    time.sleep(0.2)
    assert listener.requests == []


def test_api_service_reaches_the_listener_only_when_allowed(api_server, listener):
    """The control: with SERVICE allowed the same query does reach the listener (so the tests above can fail)."""
    server = api_server(allow_service=True)
    query = SERVICE_QUERIES[0].format(port=listener.port)
    r = httpx.get(server.url + "/sparql", params={"query": query}, headers=JSON, timeout=30)
    assert r.status_code >= 400  # the listener answers 500
    deadline = time.monotonic() + 5
    while not listener.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.requests and b"/sparql" in listener.requests[0]


def test_api_workers_killed_from_outside_are_replaced(api_server):
    """A worker that dies between requests (the OOM killer, an operator) is replaced on the next request."""
    server = api_server(query_workers=2)
    pool = server.app.state.pool
    assert httpx.get(server.url + "/sparql", params={"query": SMALL}, headers=JSON).status_code == 200
    victims = pool.pids
    for pid in victims:
        os.kill(pid, 9)
    time.sleep(0.2)
    for _ in range(3):
        r = httpx.get(server.url + "/sparql", params={"query": SMALL}, headers=JSON)
        assert r.status_code == 200, r.text
    assert not set(victims) & set(pool.pids)
    assert httpx.get(server.url + "/status").json()["pool"]["alive"] == 2
