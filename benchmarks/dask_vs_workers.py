"""Dask local cluster vs ``--workers N``, and the bulk path (``--emit`` + ``oxigraph load``), on one corpus.

Run from the root of a checkout with the package installed with the dask extra
(``pip install -e '.[dask,test]'``; ``oxigraph`` comes with ``[test]``)::

    nice -n 10 python benchmarks/dask_vs_workers.py                    # 1,000 documents, 2 workers
    python benchmarks/dask_vs_workers.py --count 200 --workers 2 --shard-size 50

The corpus is ``benchmarks/out/corpus-COUNT`` from ``generate_corpus.py`` (made
if missing, reused if it holds that corpus).  In one run, with the real
command line, each path ingests the same folder:

``process``  ``policykg ingest C --store S --workers N``  (the process pool, one writer)
``dask``     ``policykg ingest C --store S --workers N --executor dask``  (a Dask LocalCluster
             of N worker processes, one writer)
``emit``     ``policykg ingest C --emit E --workers N --executor dask --shard-size K``  (the
             Dask workers write N-Quads shards) then ``oxigraph load --location S --file E/*.nq``

Figures: wall time (the cluster's start included), documents/s, the store's
quads and size, N-Quads bytes per document, load time.  Then the stores are
compared quad for quad: an order-free digest (count, and the sum of the
SHA-256 of every quad's N-Quads line) of each store must be the same.
Results go to ``benchmarks/out/results/dask_vs_workers.json``.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT / "benchmarks"))


def policykg(*args: str) -> list[str]:
    exe = shutil.which("policykg", path=str(Path(sys.executable).parent))
    return [exe, *args] if exe else [sys.executable, "-m", "policykg", *args]


def oxigraph() -> str:
    exe = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if not exe:
        sys.exit("the `oxigraph` binary is missing: pip install oxigraph (or the [test] extra)")
    return exe


def timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):  # 1: some inputs failed, reported per file
        sys.exit(f"{' '.join(cmd[:3])} … exited {proc.returncode}:\n{proc.stderr.decode()[-2000:]}")
    return wall, proc


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def digest(store: Path) -> tuple[int, str]:
    """(quads, order-free digest): the sum mod 2**256 of the SHA-256 of each quad's N-Quads form."""
    from pyoxigraph import Store

    s = Store.read_only(str(store))
    total, n = 0, 0
    for q in s.quads_for_pattern(None, None, None, None):
        total = (total + int.from_bytes(hashlib.sha256(f"{q} .".encode("utf-8")).digest(), "big")) % (1 << 256)
        n += 1
    del s
    return n, f"{total:064x}"


def machine() -> dict:
    import pyoxigraph

    try:
        import distributed

        dask_version = distributed.__version__
    except ImportError:
        sys.exit("dask.distributed is missing: pip install -e '.[dask]'")
    return {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cores": os.cpu_count(), "load_1min": round(os.getloadavg()[0], 2), "python": platform.python_version(),
            "pyoxigraph": pyoxigraph.__version__, "distributed": dask_version, "nice": os.nice(0)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=1000, help="documents in the corpus (default 1000)")
    ap.add_argument("--workers", type=int, default=2, help="parse workers for every path (default 2)")
    ap.add_argument("--shard-size", type=int, default=100, help="files per N-Quads shard for emit (default 100)")
    ap.add_argument("--corpus", type=Path, default=None, help="an existing folder instead of the generated corpus")
    ap.add_argument("--keep", action="store_true", help="keep the stores and the N-Quads folder")
    args = ap.parse_args(argv)

    if args.corpus:
        corpus = args.corpus
    else:
        import generate_corpus as gc

        corpus = OUT / f"corpus-{args.count}"
        gc.write_corpus(corpus, args.count)
    work = OUT / "dask_vs_workers"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    m = machine()
    print(f"{m['date']}: {m['cores']} cores, load {m['load_1min']}, nice {m['nice']}; "
          f"Python {m['python']}, pyoxigraph {m['pyoxigraph']}, distributed {m['distributed']}", flush=True)
    n = str(args.workers)
    runs: dict[str, dict] = {}
    plans = {
        "process": (policykg("ingest", str(corpus), "--store", str(work / "process"), "--workers", n, "-q"),
                    work / "process"),
        "dask": (policykg("ingest", str(corpus), "--store", str(work / "dask"), "--workers", n, "--executor", "dask",
                          "-q"), work / "dask"),
    }
    for name, (cmd, store) in plans.items():
        wall, proc = timed(cmd)
        runs[name] = {"wall_s": round(wall, 2), "summary": proc.stdout.decode().strip().splitlines()[-1]}
        print(f"{name:8} {wall:8.1f} s  {proc.stdout.decode().strip().splitlines()[-1]}", flush=True)

    nq = work / "nq"
    wall, proc = timed(policykg("ingest", str(corpus), "--emit", str(nq), "--workers", n, "--executor", "dask",
                                "--shard-size", str(args.shard_size), "-q"))
    t0 = time.perf_counter()
    load = subprocess.run([oxigraph(), "load", "--location", str(work / "emit"), "--file",
                           *sorted(str(p) for p in nq.glob("*.nq"))], capture_output=True)
    load_s = time.perf_counter() - t0
    if load.returncode:
        sys.exit(f"oxigraph load failed:\n{load.stderr.decode()[-2000:]}")
    manifest = [json.loads(x) for x in (nq / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    nq_bytes = sum(p.stat().st_size for p in nq.glob("*.nq"))
    runs["emit"] = {"wall_s": round(wall + load_s, 2), "emit_s": round(wall, 2), "load_s": round(load_s, 2),
                    "summary": " / ".join(proc.stdout.decode().strip().splitlines()[-2:]),
                    "nquads_bytes": nq_bytes, "nquads_bytes_per_doc": round(nq_bytes / max(1, len(manifest))),
                    "manifest_bytes_per_doc": round((nq / "manifest.jsonl").stat().st_size / max(1, len(manifest))),
                    "shards": len(list(nq.glob("shard-*.nq")))}
    print(f"{'emit':8} {wall:8.1f} s + oxigraph load {load_s:.1f} s  ({nq_bytes / 1e6:,.0f} MB of N-Quads in "
          f"{runs['emit']['shards']} shards)", flush=True)

    digests = {}
    for name in ("process", "dask", "emit"):
        store = work / name
        quads, d = digest(store)
        digests[name] = d
        r = runs[name]
        r.update(quads=quads, digest=d, store_bytes=folder_bytes(store), documents=len(manifest),
                 docs_per_s=round(len(manifest) / r["wall_s"], 2))
        r["store_bytes_per_doc"] = round(r["store_bytes"] / max(1, len(manifest)))
    identical = len(set(digests.values())) == 1
    print()
    print(f"{'path':8} {'wall s':>8} {'docs/s':>7} {'quads':>10} {'store MB':>9}  digest")
    for name, r in runs.items():
        print(f"{name:8} {r['wall_s']:8.1f} {r['docs_per_s']:7.2f} {r['quads']:10,} {r['store_bytes'] / 1e6:9.1f}  "
              f"{r['digest'][:16]}")
    print(f"\nstores identical: {identical}; dask / process wall time: "
          f"{runs['dask']['wall_s'] / runs['process']['wall_s']:.2f}; emit+load / process: "
          f"{runs['emit']['wall_s'] / runs['process']['wall_s']:.2f}")
    result = {"machine": m, "corpus": str(corpus), "documents": len(manifest), "workers": args.workers,
              "shard_size": args.shard_size, "runs": runs, "identical": identical}
    (OUT / "results").mkdir(parents=True, exist_ok=True)
    (OUT / "results" / "dask_vs_workers.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n",
                                                          encoding="utf-8")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
