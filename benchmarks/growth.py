"""Growth: how ingest, store size, memory, query latency and export grow from 100 to 1,000 to 10,000
documents — is anything worse than linear?

Run from the root of a checkout after the other benchmarks have saved their figures in
``benchmarks/out/results/`` (``run_all.sh`` does all of it)::

    python benchmarks/growth.py                 # the growth table
    python benchmarks/growth.py --markdown      # every saved figure as the tables of benchmarks/README.md

For each figure measured at two or more corpus sizes it prints the cost per document at each size
and the growth exponent between consecutive sizes, ``k = ln(v2 / v1) / ln(n2 / n1)``: 1.0 is linear
(a constant cost per document), 0 is flat, above 1 the cost per document rises with the corpus.
A figure is flagged when k > 1.15 (worse than linear beyond noise on a shared machine).  The ratio
is within one run of each benchmark (the same machine load for every size only if they ran
together, as ``run_all.sh`` does).

Sources: ``corpus_ingest.json`` (wall time and CPU of ``policykg ingest``, store size, quads, peak
memory — the largest worker count measured at each size), ``export_cost.json`` (each export's wall
time and peak memory), ``query_latency-N.json`` or, when that run was cut short, the rows its log
``query_latency-N.log`` printed (each named query's p50 without parameters).
"""

from __future__ import annotations

import argparse
import math
import re
import sys

import benchutil as bu

FLAG = 1.15


def _ingest_series() -> dict[str, dict[int, float]]:
    data = bu.load_result("corpus_ingest") or {"runs": {}}
    best: dict[int, dict] = {}
    for r in data["runs"].values():
        n = r["size"]
        if n not in best or r["workers"] > best[n]["workers"]:
            best[n] = r
    series: dict[str, dict[int, float]] = {}
    for n, r in best.items():
        series.setdefault(f"ingest wall s (--workers {r['workers']})", {})[n] = r["wall_s"]
        series.setdefault("ingest CPU s (process tree)", {})[n] = r["cpu_s"]
        series.setdefault("store MB on disk", {})[n] = r["store_mb"]
        if r.get("quads"):
            series.setdefault("quads", {})[n] = r["quads"]
        series.setdefault("ingest peak memory MB", {})[n] = r["peak_rss_mb"]
    return series


def _export_series() -> dict[str, dict[int, float]]:
    data = bu.load_result("export_cost") or {"runs": {}}
    series: dict[str, dict[int, float]] = {}
    for r in data["runs"].values():
        n = r.get("size")
        if not n:
            continue
        series.setdefault("N-Quads dump s (baseline)", {})[n] = r["dump"]["wall_s"]
        for e in r["exports"]:
            if e["returncode"] != 0:
                continue
            if " " not in e["format"]:
                series.setdefault(f"export {e['format']} s", {})[n] = e["wall_s"]
                series.setdefault(f"export {e['format']} peak MB", {})[n] = e["peak_rss_mb"]
            elif "--document" in e["format"]:  # one document: should not grow with the store
                series.setdefault(f"export {e['format'].split()[0]} --document s", {})[n] = e["wall_s"]
    return series


_ROW = re.compile(r"^(?P<q>[a-z][\w-]+)\s+-\s+(?P<rows>[\d,]+)\s+(?P<p50>[\d.]+)\s+(?P<p95>[\d.]+)\s*$")


def query_p50(n: int) -> dict[str, float] | None:
    """Each named query's p50 (ms, no parameters) on the n-document store, from the JSON or the log."""
    data = bu.load_result(f"query_latency-{n}")
    if data:
        return {r["query"]: r["p50_ms"] for r in data.get("queries", []) if r["params"] == "-"}
    log = bu.RESULTS / f"query_latency-{n}.log"
    if not log.exists():
        return None
    out = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        m = _ROW.match(line)
        if m:
            out[m.group("q")] = float(m.group("p50"))
    return out


def _query_series(sizes: list[int]) -> dict[str, dict[int, float]]:
    series: dict[str, dict[int, float]] = {}
    for n in sizes:
        for q, p50 in (query_p50(n) or {}).items():
            series.setdefault(f"query {q} p50 ms", {})[n] = p50
    return series


def exponent(a: tuple[int, float], b: tuple[int, float]) -> float | None:
    (n1, v1), (n2, v2) = a, b
    if v1 <= 0 or v2 <= 0 or n1 == n2:
        return None
    return math.log(v2 / v1) / math.log(n2 / n1)


def growth_rows() -> list[dict]:
    series = {**_ingest_series(), **_export_series()}
    sizes = sorted({n for s in series.values() for n in s} | {100, 1000, 10000})
    series.update(_query_series(sizes))
    rows = []
    for name, values in series.items():
        pts = sorted(values.items())
        if not pts:
            continue
        ks = [exponent(pts[i], pts[i + 1]) for i in range(len(pts) - 1)]
        rows.append({"figure": name, "values": dict(pts), "per_doc": {n: v / n for n, v in pts},
                     "exponents": ks, "worse_than_linear": any(k is not None and k > FLAG for k in ks)})
    return rows


def _figure(v: float) -> str:
    """1,246 and 260,306 as whole numbers, 12.7 and 0.6 with one decimal."""
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.1f}"


def render_growth(rows: list[dict], markdown: bool = False) -> str:
    sizes = sorted({n for r in rows for n in r["values"]})
    if markdown:
        head = "| figure | " + " | ".join(f"{n:,} docs" for n in sizes) + " | growth exponent k | |"
        lines = [head, "|" + "---|" * (len(sizes) + 3)]
    else:
        lines = [f"{'figure':<44}" + "".join(f"{f'{n:,} docs':>14}" for n in sizes) + "   k (per step)"]
    for r in rows:
        cells = [_figure(r["values"][n]) if n in r["values"] else "—" for n in sizes]
        ks = ", ".join("—" if k is None else f"{k:.2f}" for k in r["exponents"]) or "—"
        flag = "WORSE THAN LINEAR" if r["worse_than_linear"] else ""
        if markdown:
            lines.append(f"| {r['figure']} | " + " | ".join(cells) + f" | {ks} | {flag} |")
        else:
            lines.append(f"{r['figure'][:44]:<44}" + "".join(f"{c:>14}" for c in cells) + f"   {ks}  {flag}")
    return "\n".join(lines)


def markdown_all() -> str:
    """Every saved figure as Markdown tables (what benchmarks/README.md shows)."""
    out = []
    ij = bu.load_result("ingest_vs_jieba")
    ijs = bu.load_result("ingest_vs_jieba_sample")
    if ij or ijs:
        out += ["### 1. Ingest cost vs tokenisation", "",
                "| texts | chars | jieba.cut chars/s | parse chars/s | parse + graph chars/s | parse + store chars/s "
                "| parse throughput ÷ jieba (goal ≥ 0.5) | parse + store ÷ jieba |", "|---|---|---|---|---|---|---|---|"]
        for label, r in (("the sample", ijs), ("generated corpus", ij)):
            if r:
                c, t = r["chars_per_s"], r["throughput_ratio"]
                out.append(f"| {label} ({r['files']} files) | {r['characters']:,} | {c['jieba']:,} | {c['parse']:,} | "
                           f"{c['parse_graph']:,} | {c['parse_store']:,} | **{t['parse']:.2f}** | {t['parse_store']:.2f} |")
        out.append("")
        if ij and ij.get("accuracy"):
            out += ["Parser against the generated answers (" + f"{ij['files']} documents):", "",
                    "| field | right | of | share |", "|---|---|---|---|"]
            for f, (r, n) in ij["accuracy"].items():
                out.append(f"| {f} | {r:,} | {n:,} | {r / n if n else 1:.1%} |")
            out.append("")
    ci = bu.load_result("corpus_ingest")
    if ci:
        out += ["### 2. Corpus ingest (`policykg ingest DIR --workers N`)", "",
                "| documents | workers | wall s | docs/s | chars/s | CPU s | peak MB | store MB | quads | ÷ jieba | speed-up vs 1 worker |",
                "|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in sorted(ci["runs"].values(), key=lambda r: (r["size"], r["workers"])):
            out.append(f"| {r['documents']:,} | {r['workers']} | {r['wall_s']:.1f} | {r['docs_per_s']:.1f} | "
                       f"{r['chars_per_s']:,} | {r['cpu_s']:.0f} | {r['peak_rss_mb']:,} | {r['store_mb']:,.0f} | "
                       f"{r['quads'] or 0:,} | {r['ratio_vs_jieba']:.2f} | {r.get('speedup_vs_w1', '—')} |")
        out.append("")
    ba = bu.load_result("writer_before_after")
    if ba:
        out += ["Writer before and after (`corpus_ingest.py --before-after`, in one process, interleaved):", "",
                "| writer | documents | workers | wall s | writer CPU ms/doc | peak MB | store MB |",
                "|---|---|---|---|---|---|---|"]
        for r in ba["rows"]:
            out.append(f"| {r['writer']} | {r['documents']:,} | {r['workers']} | {r['wall_s']:.1f} | "
                       f"{r['writer_cpu_ms_per_doc']:.1f} | {r['peak_rss_mb']:,} | {r['store_mb']:,.0f} |")
        out.append("")
    for n in (1000, 10000):
        q = query_p50(n)
        if q:
            data = bu.load_result(f"query_latency-{n}") or {}
            out += [f"### 3. Named-query p50 on the {n:,}-document store" +
                    ("" if data else " (from the log: the run was cut short)"), "",
                    "| query | p50 ms | under 100 ms |", "|---|---|---|"]
            for name, p50 in sorted(q.items()):
                out.append(f"| {name} | {p50:,.1f} | {'yes' if p50 < 100 else 'no'} |")
            base = data.get("baseline") or {}
            if base.get("median_ratio"):
                out.append(f"\nrdflib ÷ policykg on {base['documents']} documents: median {base['median_ratio']}x")
            out.append("")
    ex = bu.load_result("export_cost")
    if ex:
        out += ["### 4. Export cost", "", "| store | export | wall s | peak MB | MB out | ÷ dump | note |",
                "|---|---|---|---|---|---|---|"]
        for r in sorted(ex["runs"].values(), key=lambda r: r.get("size") or 0):
            for k, (fmt, wall, peak, mbs, ratio, note) in enumerate(bu.export_rows(r)):
                store = f"{r.get('size') or r['store']:,} docs" if k == 0 else ""
                if wall is None:
                    out.append(f"| {store} | {fmt} | — | — | — | — | {note} |")
                else:
                    out.append(f"| {store} | {fmt} | {wall:.1f} | {peak:,} | {mbs:,.1f} | {ratio:.2f} | "
                               f"{note.replace('|', '/')} |")
        out.append("")
    rows = growth_rows()
    if rows:
        out += ["### 5. Growth from 100 to 1,000 to 10,000 documents", "", render_growth(rows, markdown=True), ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--markdown", action="store_true", help="print every saved figure as Markdown tables")
    args = ap.parse_args(argv)
    if args.markdown:
        print(markdown_all())
        return 0
    rows = growth_rows()
    if not rows:
        print("no saved figures yet: run the other benchmarks (or run_all.sh) first", file=sys.stderr)
        return 2
    print(render_growth(rows))
    worse = [r["figure"] for r in rows if r["worse_than_linear"]]
    print(f"\nworse than linear (k > {FLAG}): " + (", ".join(worse) if worse else "nothing"))
    bu.save_result("growth", {"rows": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
