"""Named-query latency: p50/p95 of every named query on a store, and the same queries through rdflib.

The store is one of (first that applies):

* ``--store DIR``: an existing policykg store;
* ``--corpus DIR``: a folder of policy files (e.g. written by ``benchmarks/generate_corpus.py``),
  ingested into ``--build DIR`` (kept, so the next run reuses it) or a temporary folder;
* otherwise a stopgap corpus: the bundled sample replicated ``--documents`` times (default 1,000)
  under the sixteen Shanghai districts with distinct 文号 and years, so units resolve to one body per
  district as they would in a real corpus.

Each query runs with no parameters and with each of its documented example values
(``--repeat`` times, after one warm-up) through :meth:`KnowledgeGraph.run_named`, so the figures
include binding, planning and reading the rows.  The baseline runs the same query texts with rdflib
(``Dataset`` with the union default graph) on the first ``--baseline-documents`` documents (default
50: rdflib holds everything in Python objects), against policykg on the same documents, and prints
the ratio; a query rdflib cannot finish in ``--baseline-timeout`` seconds is reported as such.

    python benchmarks/query_latency.py                         # 1,000 replicated sample documents
    python benchmarks/query_latency.py --documents 200 --repeat 5 --json latency.json
    python benchmarks/query_latency.py --corpus corpus/ --build /tmp/corpus-store
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "putuo-2022-16.txt"
# the sixteen districts of Shanghai and the abbreviation their 区政府办公室 uses in a 文号
DISTRICTS = [("黄浦", "黄府办"), ("徐汇", "徐府办"), ("长宁", "长府办"), ("静安", "静府办"), ("普陀", "普府办"),
             ("虹口", "虹府办"), ("杨浦", "杨府办"), ("闵行", "闵府办"), ("宝山", "宝府办"), ("嘉定", "嘉府办"),
             ("浦东新", "浦府办"), ("金山", "金府办"), ("松江", "松府办"), ("青浦", "青府办"), ("奉贤", "奉府办"),
             ("崇明", "崇府办")]


def replicate_sample(folder: Path, n: int) -> list[Path]:
    """The sample as ``n`` documents of the sixteen districts (stopgap until a corpus generator exists)."""
    text = SAMPLE.read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        district, abbr = DISTRICTS[i % len(DISTRICTS)]
        year = 2015 + (i // len(DISTRICTS)) % 10
        number = i // (len(DISTRICTS) * 10) + 1
        t = text.replace("普府办〔2022〕16号", f"{abbr}〔{year}〕{number}号")
        t = t.replace("普陀区", f"{district}区").replace("普陀", district)
        t = t.replace("2022年6月15日", f"{year}年6月15日")
        path = folder / f"{i:05d}-{district}-{year}-{number}.txt"
        path.write_text(t, encoding="utf-8")
        files.append(path)
    return files


def build_store(store: Path, files: list[Path], workers: int):
    from policykg import KnowledgeGraph

    t0 = time.perf_counter()
    with KnowledgeGraph(store) as kg:
        reports = kg.ingest(files, workers=workers)
        failed = [r for r in reports if not r.ok]
        print(f"ingested {len(reports) - len(failed):,} documents ({len(failed)} failed), {kg.count():,} quads "
              f"in {time.perf_counter() - t0:.1f}s", file=sys.stderr)


# where an IRI parameter's benchmark value comes from (the documented examples name nodes of the sample)
_IRI_SOURCES = {
    "doc": "SELECT ?x WHERE { GRAPH ?x { ?x pk:sha256 ?h } } ORDER BY ?x",
    "unitIri": "SELECT ?x WHERE { GRAPH ?g { ?s pk:responsibleUnit ?x } } LIMIT 200",
    "entity": "SELECT ?x WHERE { GRAPH ?g { ?s pk:reliesOn ?x } } LIMIT 200",
}


def iri_values(kg) -> dict[str, str]:
    """One real IRI per IRI parameter name: the middle one of what the store offers."""
    out = {}
    for name, sparql in _IRI_SOURCES.items():
        found = kg.query(sparql).column("x")
        if found:
            out[name] = found[len(found) // 2]
    return out


def cases(named, iris: dict[str, str]) -> list[tuple[str, str, dict]]:
    """(query, label, params): each query bare, then with each documented example value (IRIs from the store)."""
    out = []
    for q in named:
        out.append((q.name, "-", {}))
        for p in q.params:
            value = iris.get(p.name) if p.kind == "iri" else p.example
            if value:
                label = f"{p.name}=<…{value[-12:]}>" if p.kind == "iri" else f"{p.name}={value}"
                out.append((q.name, label, {p.name: value}))
    return out


def timed(fn, repeat: int) -> tuple[list[float], int]:
    n = len(fn())  # warm-up (and the row count)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times, n


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    k = (len(s) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


class _Timeout(Exception):
    pass


def rdflib_dataset(nquads: bytes):
    import rdflib

    ds = rdflib.Dataset(default_union=True)
    ds.parse(data=nquads, format="nquads")
    return ds


def rdflib_run(ds, sparql: str, params: dict, timeout: float) -> list:
    import rdflib

    def alarm(*_):
        raise _Timeout()

    bindings = {rdflib.Variable(k): rdflib.Literal(v) for k, v in params.items()}
    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return list(ds.query(sparql, initBindings=bindings))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, help="an existing policykg store")
    ap.add_argument("--corpus", type=Path, help="a folder of policy files to ingest")
    ap.add_argument("--build", type=Path, help="where to build (and keep) the store")
    ap.add_argument("--documents", type=int, default=1000, help="replicated sample documents (stopgap corpus)")
    ap.add_argument("--workers", type=int, default=1, help="ingest processes when building")
    ap.add_argument("--repeat", type=int, default=10, help="timed runs per case")
    ap.add_argument("--baseline-documents", type=int, default=50, help="documents in the rdflib comparison (0: skip)")
    ap.add_argument("--baseline-repeat", type=int, default=3)
    ap.add_argument("--baseline-timeout", type=float, default=60.0)
    ap.add_argument("--json", type=Path, help="write the figures as JSON")
    args = ap.parse_args(argv)

    from policykg import KnowledgeGraph
    from policykg.graph.named import list_named
    from policykg.settings import Settings

    tmp = Path(tempfile.mkdtemp(prefix="policykg-latency-"))
    try:
        if args.store:
            store = args.store
        else:
            store = args.build or tmp / "store"
            if not (store.exists() and any(store.iterdir())):
                if args.corpus and not args.corpus.is_dir():
                    raise SystemExit(f"{args.corpus} is not a folder of policy files")
                files = sorted(p for p in args.corpus.rglob("*") if p.is_file()) if args.corpus else \
                    replicate_sample(tmp / "corpus", args.documents)
                if not files:
                    raise SystemExit("no policy files to ingest")
                build_store(store, files, args.workers)
        settings = Settings.from_env(result_limit=10_000_000, query_time_limit=600)
        named = list_named()
        report = {"store": str(store), "queries": []}
        with KnowledgeGraph(store, settings, read_only=True) as kg:
            docs = kg.documents()
            report.update(documents=len(docs), quads=kg.count())
            print(f"{len(docs):,} documents, {report['quads']:,} quads in {store}\n")
            print(f"{'query':<26} {'parameters':<28} {'rows':>7} {'p50 ms':>9} {'p95 ms':>9}")
            for name, label, params in cases(named, iri_values(kg)):
                times, n = timed(lambda: kg.run_named(name, params), args.repeat)
                row = {"query": name, "params": label, "rows": n, "p50_ms": round(percentile(times, 0.5), 2),
                       "p95_ms": round(percentile(times, 0.95), 2)}
                report["queries"].append(row)
                print(f"{name:<26} {label:<28} {n:>7,} {row['p50_ms']:>9.1f} {row['p95_ms']:>9.1f}", flush=True)
            bare = [r["p50_ms"] for r in report["queries"] if r["params"] == "-"]
            bound = [r["p50_ms"] for r in report["queries"] if r["params"] != "-"]
            report["median_p50_ms"] = round(statistics.median(bare), 2)
            report["median_p50_with_params_ms"] = round(statistics.median(bound), 2)
            print(f"\nmedian p50: {report['median_p50_ms']:.1f} ms with no parameters (whole corpus), "
                  f"{report['median_p50_with_params_ms']:.1f} ms with one parameter")
            if args.baseline_documents:
                report["baseline"] = baseline(kg, docs[:args.baseline_documents], named, args, tmp)
        if args.json:
            args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def without_params(q) -> str:
    """The query with its parenthesised GROUP BY keys written as plain variables: rdflib cannot group by an
    expression that is unbound (the parentheses are there for remote endpoints, see graph/named.py)."""
    text = re.sub(r"^#.*$", "", q.sparql, flags=re.M)
    for p in q.params:
        text = re.sub(rf"(?<=\s)\(\?{p.name}\)", f"?{p.name}", text)
    return text


def baseline(kg, docs: list[str], named, args, tmp: Path) -> dict:
    """The same named queries, bare, through rdflib and through policykg on the same few documents."""
    from pyoxigraph import RdfFormat, parse, serialize

    from policykg import KnowledgeGraph

    wanted = set(docs)
    quads = [q for q in parse(kg.dump("nq"), format=RdfFormat.N_QUADS) if q.graph_name.value in wanted]
    nquads = serialize(quads, format=RdfFormat.N_QUADS)
    small = tmp / "baseline-store"
    with KnowledgeGraph(small, kg.settings) as k:
        k.backend.raw.load(nquads, format=RdfFormat.N_QUADS)  # the benchmark loads a dump as it is
    t0 = time.perf_counter()
    ds = rdflib_dataset(nquads)
    print(f"\nbaseline on {len(docs)} documents ({len(quads):,} quads; rdflib loaded them in "
          f"{time.perf_counter() - t0:.1f}s)")
    print(f"{'query':<26} {'policykg ms':>12} {'rdflib ms':>11} {'ratio':>7}")
    rows = []
    with KnowledgeGraph(small, kg.settings, read_only=True) as k:
        for q in named:
            ours, n = timed(lambda: k.run_named(q.name, {}), args.baseline_repeat)
            sparql = without_params(q)
            try:
                theirs, m = timed(lambda: rdflib_run(ds, sparql, {}, args.baseline_timeout), args.baseline_repeat)
                r_ms = statistics.median(theirs)
                ratio = r_ms / max(statistics.median(ours), 1e-6)
                note = "" if m == n else f"  (rdflib {m} rows, policykg {n})"
                print(f"{q.name:<26} {statistics.median(ours):>12.1f} {r_ms:>11.1f} {ratio:>6.0f}x{note}", flush=True)
                rows.append({"query": q.name, "policykg_ms": round(statistics.median(ours), 2),
                             "rdflib_ms": round(r_ms, 2), "ratio": round(ratio, 1), "rows": n, "rdflib_rows": m})
            except _Timeout:
                print(f"{q.name:<26} {statistics.median(ours):>12.1f} {'>' + str(int(args.baseline_timeout * 1000)):>11}"
                      f" {'—':>7}", flush=True)
                rows.append({"query": q.name, "policykg_ms": round(statistics.median(ours), 2), "rdflib_ms": None,
                             "ratio": None, "rows": n, "timeout_s": args.baseline_timeout})
            except Exception as e:  # an engine difference is a finding, not a crash
                print(f"{q.name:<26} {statistics.median(ours):>12.1f} {'error':>11}  ({type(e).__name__}: {e})")
                rows.append({"query": q.name, "policykg_ms": round(statistics.median(ours), 2), "rdflib_ms": None,
                             "error": f"{type(e).__name__}: {e}"})
    ratios = [r["ratio"] for r in rows if r.get("ratio")]
    if ratios:
        print(f"median rdflib/policykg ratio: {statistics.median(ratios):.0f}x")
    return {"documents": len(docs), "quads": len(quads), "queries": rows,
            "median_ratio": round(statistics.median(ratios), 1) if ratios else None}


if __name__ == "__main__":
    sys.exit(main())
