"""HTTP API throughput: requests per second and p50/p99 latency.

Measures, on the bundled sample store (or ``--store DIR``):

* an entity lookup (``GET /entities/区科委``, the card) and an entity search
  (``GET /entities?q=科委``) on ``policykg serve``;
* a small SELECT on ``policykg serve``'s ``/sparql``;
* the same SELECT on ``oxigraph serve`` (the Rust server from the ``oxigraph``
  PyPI package) over the same data, in the same run — the ratio says what the
  worker pool, the snapshots and Python cost.

Both servers run as separate processes; the load comes from a small asyncio
HTTP/1.1 client over keep-alive connections (cheap enough not to be the
bottleneck on a small machine).  Each measurement runs ``--seconds`` after a
warm-up, at each ``--concurrency`` level.

    python benchmarks/api_throughput.py                 # the sample, 5 s per measurement, 1 and 8 clients
    python benchmarks/api_throughput.py --json out.json --seconds 10 --concurrency 1 4 16
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples"

SMALL_SELECT = ("PREFIX pk: <https://w3id.org/policykg/ontology#>\n"
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                "SELECT ?a ?label WHERE { ?a a pk:Action ; rdfs:label ?label } ORDER BY ?a LIMIT 10")
JSON_RESULTS = "application/sparql-results+json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tool(name: str) -> str:
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not exe:
        raise SystemExit(f"{name} is not installed (pip install '.[test]' provides it)")
    return exe


def wait_http(host: str, port: int, path: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{proc.args[0]} exited with {proc.returncode}")
        try:
            with socket.create_connection((host, port), timeout=1) as s:
                s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
                if s.recv(12).startswith(b"HTTP/1.1 2"):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{proc.args[0]} did not answer on port {port}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ---------------------------------------------------------------------- a small keep-alive HTTP client


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        sock = self.writer.get_extra_info("socket")
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    async def request(self, raw: bytes) -> int:
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = None
        chunked = False
        for line in head.split(b"\r\n")[1:]:
            k, _, v = line.partition(b":")
            k = k.strip().lower()
            if k == b"content-length":
                length = int(v)
            elif k == b"transfer-encoding" and b"chunked" in v.lower():
                chunked = True
        if chunked:
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        elif length:
            await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        if self.writer:
            self.writer.close()


def get_request(host: str, port: int, path: str, accept: str = "application/json") -> bytes:
    return (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: {accept}\r\n"
            f"User-Agent: policykg-bench\r\n\r\n").encode("ascii")


async def _load(host: str, port: int, raw: bytes, concurrency: int, seconds: float, warmup: float) -> dict:
    conns = [Connection(host, port) for _ in range(concurrency)]
    for c in conns:
        await c.open()
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter()
    measure_from = start + warmup
    end = measure_from + seconds

    async def run(c: Connection) -> None:
        nonlocal errors
        while True:
            t0 = time.perf_counter()
            if t0 >= end:
                return
            status = await c.request(raw)
            t1 = time.perf_counter()
            if t0 >= measure_from:
                latencies.append(t1 - t0)
                if status != 200:
                    errors += 1

    await asyncio.gather(*(run(c) for c in conns))
    for c in conns:
        c.close()
    lat = sorted(latencies)
    n = len(lat)
    return {
        "concurrency": concurrency,
        "requests": n,
        "errors": errors,
        "rps": n / seconds,
        "p50_ms": 1000 * lat[n // 2] if n else None,
        "p99_ms": 1000 * lat[min(n - 1, int(n * 0.99))] if n else None,
        "mean_ms": 1000 * statistics.fmean(lat) if n else None,
    }


def load(host, port, raw, concurrency, seconds, warmup) -> dict:
    return asyncio.run(_load(host, port, raw, concurrency, seconds, warmup))


# ---------------------------------------------------------------------- the run


def prepare_store(args, workdir: Path) -> Path:
    store = workdir / "store"
    if args.store:
        shutil.copytree(args.store, store)
        return store
    from policykg import KnowledgeGraph

    with KnowledgeGraph(store) as kg:
        reports = kg.ingest([SAMPLE])
        if not all(r.ok for r in reports):
            raise SystemExit("the sample could not be ingested")
    return store


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", help="benchmark a copy of this store instead of the sample")
    ap.add_argument("--seconds", type=float, default=5.0, help="measurement time per case (default 5)")
    ap.add_argument("--warmup", type=float, default=1.0)
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    ap.add_argument("--workers", type=int, default=2, help="policykg query workers (default 2)")
    ap.add_argument("--json", help="also write the results here")
    args = ap.parse_args(argv)

    host = "127.0.0.1"
    results: dict = {"cases": [], "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    with tempfile.TemporaryDirectory(prefix="policykg-bench-") as tmp:
        workdir = Path(tmp)
        store = prepare_store(args, workdir)
        oxi_store = workdir / "oxigraph-store"
        shutil.copytree(store, oxi_store)  # same data, same on-disk format (the same Oxigraph version)

        pk_port, ox_port = free_port(), free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_")}
        pk = subprocess.Popen([tool("policykg"), "serve", "--store", str(store), "--host", host, "--port",
                               str(pk_port), "--workers", str(args.workers), "--no-access-log",
                               "--log-level", "warning"], env=env, stdout=subprocess.DEVNULL)
        ox = subprocess.Popen([tool("oxigraph"), "serve", "--location", str(oxi_store), "--bind",
                               f"{host}:{ox_port}", "--union-default-graph"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_http(host, pk_port, "/status", pk)
            wait_http(host, ox_port, "/query?query=" + quote("ASK {}"), ox)
            select_qs = urlencode({"query": SMALL_SELECT})
            cases = [
                ("policykg", "entity lookup", pk_port, "/entities/" + quote("区科委"), "application/json"),
                ("policykg", "entity search", pk_port, "/entities?" + urlencode({"q": "科委"}), "application/json"),
                ("policykg", "small SELECT", pk_port, "/sparql?" + select_qs, JSON_RESULTS),
                ("oxigraph", "small SELECT", ox_port, "/query?" + select_qs, JSON_RESULTS),
            ]
            for server, what, port, path, accept in cases:
                raw = get_request(host, port, path, accept)
                for c in args.concurrency:
                    r = load(host, port, raw, c, args.seconds, args.warmup)
                    r.update(server=server, case=what, path=path)
                    results["cases"].append(r)
                    print(f"{server:9} {what:14} c={c:<3} {r['rps']:8.0f} req/s   p50 {r['p50_ms']:7.2f} ms   "
                          f"p99 {r['p99_ms']:7.2f} ms   errors {r['errors']}", flush=True)
        finally:
            stop(pk)
            stop(ox)

    ratios = {}
    for c in args.concurrency:
        mine = next(r for r in results["cases"] if r["server"] == "policykg" and r["case"] == "small SELECT"
                    and r["concurrency"] == c)
        theirs = next(r for r in results["cases"] if r["server"] == "oxigraph" and r["concurrency"] == c)
        ratios[c] = theirs["rps"] / mine["rps"] if mine["rps"] else None
        print(f"small SELECT, c={c}: oxigraph serve answers {ratios[c]:.1f}x the requests per second of "
              f"policykg serve")
    results["oxigraph_over_policykg_rps"] = ratios
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
