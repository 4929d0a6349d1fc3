"""Corpus ingest: generated documents into an on-disk store with ``policykg ingest --workers N``.

Run from the root of a checkout with the package installed (``pip install -e .``)::

    python benchmarks/corpus_ingest.py                                  # 1,000 documents, --workers 1 and 2
    python benchmarks/corpus_ingest.py --sizes 100 1000 10000 --workers 2
    python benchmarks/corpus_ingest.py --sizes 10000 --workers 1 2 --keep-all

For each size the corpus ``benchmarks/out/corpus-N`` is generated (or reused)
by ``generate_corpus.py``, and each worker count ingests it into a fresh store
with the real command line, ``policykg ingest DIR --store S --workers N -q``.
Figures: wall time, documents/s, characters/s, CPU seconds of the process
tree, peak memory of the process tree (parent + parse workers, sampled every
0.1 s), store size on disk, quads.

Baseline, measured in the same run just before each ingest: ``jieba.cut``
alone, one process, over the first 200 documents of the same corpus.  The
ratio ``ingest chars/s ÷ jieba chars/s`` says how many single-process
tokenisations the whole ingest costs (the design's bar for parsing alone is
≥ 0.5); ``--workers 2`` is also given as a speed-up over ``--workers 1``.

``--before-after N`` compares, in one process and interleaved, the writer as it
was before this benchmark's profile (each document turned into quads by the
writer, written as a DROP + INSERT DATA update, RocksDB left to flush its
write buffers on its own; emulated by patching those three places back) with
the current one (quads made in the parse workers and sent as N-Quads, a new
graph loaded atomically, a flush every 100,000 quads), on the first N
documents of the 1,000-document corpus.

The store of the largest worker count is kept as ``benchmarks/out/stores/store-N``
for ``query_latency.py`` and ``export_cost.py``; the others are deleted unless
``--keep-all``.  Results go to ``benchmarks/out/results/corpus_ingest.json``
(merged with earlier runs of other sizes) for ``growth.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
from pathlib import Path

import benchutil as bu

GOAL_WALL_S = 600  # 10,000 documents in under 10 minutes
GOAL_PEAK_MB = 2048  # peak memory under 2 GB


def baseline(folder: Path, n: int = 200) -> dict:
    from policykg.ingest.read import read_path

    import generate_corpus as gc

    texts = [read_path(p).text for p in gc.corpus_files(folder)[:n]]
    return bu.jieba_baseline(texts)


def ingest_once(folder: Path, workers: int, store: Path) -> dict:
    shutil.rmtree(store, ignore_errors=True)
    run = bu.run_measured([*bu.policykg_exe(), "ingest", str(folder), "--store", str(store), "--workers", str(workers),
                           "-q"])
    if run.returncode not in (0, 1):
        raise SystemExit(f"policykg ingest failed ({run.returncode}):\n{run.stderr[-2000:]}")
    summary = bu.parse_ingest_summary(run.stdout + run.stderr)
    return {**run.as_dict(), **summary, "store_bytes": bu.dir_size(store)}


def measure(size: int, workers: list[int], keep_all: bool = False) -> list[dict]:
    folder = bu.corpus(size)
    manifest = bu.corpus_manifest(folder)
    rows = []
    stores = bu.OUT / "stores"
    stores.mkdir(parents=True, exist_ok=True)
    for k in workers:
        base = baseline(folder)
        store = stores / f"corpus-{size}-w{k}"
        print(f"  ingesting {size:,} documents with --workers {k} …", flush=True)
        r = ingest_once(folder, k, store)
        docs = r.get("files", size)
        row = {
            "size": size, "workers": k, "documents": docs, "chars": manifest["chars"], "wall_s": round(r["wall_s"], 2),
            "cpu_s": round(r["cpu_s"], 2), "docs_per_s": round(docs / r["wall_s"], 2),
            "chars_per_s": round(manifest["chars"] / r["wall_s"]), "peak_rss_mb": round(r["peak_rss_mb"]),
            "store_mb": bu.mb(r["store_bytes"]), "store_bytes_per_doc": round(r["store_bytes"] / max(docs, 1)),
            "quads": r.get("quads"), "statuses": r.get("statuses"), "returncode": r["returncode"],
            "jieba_chars_per_s": round(base["chars_per_s"]),
            "ratio_vs_jieba": round(manifest["chars"] / r["wall_s"] / base["chars_per_s"], 3),
        }
        rows.append(row)
        print(f"    {row['wall_s']:.1f}s wall, {row['docs_per_s']:.1f} docs/s, peak {row['peak_rss_mb']} MB, "
              f"store {row['store_mb']} MB, ratio vs jieba {row['ratio_vs_jieba']:.2f}", flush=True)
    if len(rows) > 1:
        w1 = next((r for r in rows if r["workers"] == 1), rows[0])
        for r in rows:
            r["speedup_vs_w1"] = round(w1["wall_s"] / r["wall_s"], 2)
    keep = max(workers)
    final = stores / f"store-{size}"
    shutil.rmtree(final, ignore_errors=True)
    (stores / f"corpus-{size}-w{keep}").rename(final)
    if not keep_all:
        for k in workers:
            shutil.rmtree(stores / f"corpus-{size}-w{k}", ignore_errors=True)
    return rows


@contextlib.contextmanager
def previous_writer():
    """The writer as it was before (see the module doc), patched back into the library."""
    import policykg.graph.kg as kg_module
    import policykg.graph.store as store_module

    saved = (kg_module._prepare_one, store_module.LocalStore.replace_graph, store_module.FLUSH_EVERY_QUADS)
    kg_module._prepare_one = lambda path, max_bytes: (kg_module._parse_one(path, max_bytes), [])
    store_module.LocalStore.replace_graph = lambda self, graph, quads: self.update(
        store_module.quads_to_update(graph, quads))
    store_module.FLUSH_EVERY_QUADS = 1 << 62
    try:
        yield
    finally:
        kg_module._prepare_one, store_module.LocalStore.replace_graph, store_module.FLUSH_EVERY_QUADS = saved


def _writer_run(label: str, n: int, workers: int) -> None:
    """One ingest of the first ``n`` documents with the ``before`` or ``after`` writer (run in a child process)."""
    import json
    import time

    import generate_corpus as gc
    from policykg import KnowledgeGraph

    files = [str(p) for p in gc.corpus_files(bu.corpus(1000))[:n]]
    store = bu.OUT / "stores" / f"before-after-{label}"
    shutil.rmtree(store, ignore_errors=True)
    with previous_writer() if label == "before" else contextlib.nullcontext():
        t0, c0 = time.perf_counter(), time.process_time()
        with KnowledgeGraph(store) as kg:
            kg.ingest(files, workers=workers)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    size = bu.dir_size(store)
    shutil.rmtree(store, ignore_errors=True)
    print(json.dumps({"wall_s": wall, "writer_cpu_s": cpu, "store_bytes": size}))


def before_after(n: int, workers: int = 2, rounds: int = 2) -> list[dict]:
    """The previous writer against the current one, interleaved, each ingest in its own process."""
    import json

    bu.corpus(1000)
    rows = []
    for _ in range(rounds):
        for label in ("before", "after"):
            run = bu.run_measured([sys.executable, __file__, "--writer-run", label, str(n), "--workers", str(workers)])
            if run.returncode != 0:
                raise SystemExit(run.stderr[-2000:])
            r = json.loads(run.stdout.strip().splitlines()[-1])
            rows.append({"writer": label, "documents": n, "workers": workers, "wall_s": round(r["wall_s"], 2),
                         "writer_cpu_ms_per_doc": round(1000 * r["writer_cpu_s"] / n, 1),
                         "peak_rss_mb": round(run.peak_rss_mb), "store_mb": bu.mb(r["store_bytes"])})
            x = rows[-1]
            print(f"  {label:<7} {x['wall_s']:7.1f}s wall, writer CPU {x['writer_cpu_ms_per_doc']:5.1f} ms/doc, "
                  f"peak {x['peak_rss_mb']:,} MB (process tree), store {x['store_mb']:,.0f} MB", flush=True)
    return rows


def render(rows: list[dict]) -> str:
    head = (f"{'docs':>7} {'workers':>7} {'wall s':>8} {'docs/s':>7} {'chars/s':>9} {'CPU s':>7} {'peak MB':>8} "
            f"{'store MB':>9} {'quads':>11} {'vs jieba':>8} {'speed-up':>8}")
    lines = [head]
    for r in rows:
        lines.append(f"{r['documents']:>7,} {r['workers']:>7} {r['wall_s']:>8.1f} {r['docs_per_s']:>7.1f} "
                     f"{r['chars_per_s']:>9,} {r['cpu_s']:>7.1f} {r['peak_rss_mb']:>8,} {r['store_mb']:>9,.1f} "
                     f"{r['quads'] or 0:>11,} {r['ratio_vs_jieba']:>8.2f} {r.get('speedup_vs_w1', 1.0):>8.2f}")
    return "\n".join(lines)


def goals(rows: list[dict]) -> list[str]:
    out = []
    for r in rows:
        if r["size"] >= 10_000:
            out.append(f"10,000 documents with --workers {r['workers']}: {r['wall_s']:.0f}s "
                       f"({'met' if r['wall_s'] < GOAL_WALL_S else 'NOT met'}: goal < {GOAL_WALL_S}s), "
                       f"peak {r['peak_rss_mb']} MB ({'met' if r['peak_rss_mb'] < GOAL_PEAK_MB else 'NOT met'}: "
                       f"goal < {GOAL_PEAK_MB} MB)")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000], help="corpus sizes (default 1000)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts (default 1 2)")
    ap.add_argument("--keep-all", action="store_true", help="keep the store of every worker count")
    ap.add_argument("--before-after", type=int, metavar="N", help="compare the previous writer with the current one "
                    "on N documents (see above) instead")
    ap.add_argument("--writer-run", nargs=2, metavar=("WRITER", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.writer_run:
        _writer_run(args.writer_run[0], int(args.writer_run[1]), max(args.workers))
        return 0
    m = bu.machine()
    print(f"corpus ingest — {bu.describe_machine(m)}", flush=True)
    if args.before_after:
        rows = before_after(args.before_after, max(args.workers))
        bu.save_result("writer_before_after", {"rows": rows, "machine": m})
        return 0
    rows = []
    for size in args.sizes:
        rows += measure(size, sorted(args.workers), args.keep_all)
    print(render(rows))
    for line in goals(rows):
        print(line)
    old = bu.load_result("corpus_ingest") or {"runs": {}}
    for r in rows:
        old["runs"][f"{r['size']}-w{r['workers']}"] = {**r, "machine": m}
    bu.save_result("corpus_ingest", old)
    return 0


if __name__ == "__main__":
    sys.exit(main())
