"""Export cost: GraphML, GEXF and HTML of a whole generated corpus, against the store's own N-Quads dump.

Run from the root of a checkout with the package installed, after ``corpus_ingest.py`` has built
the stores (``benchmarks/out/stores/store-N``)::

    python benchmarks/export_cost.py                          # every store-N there is
    python benchmarks/export_cost.py --sizes 1000 10000
    python benchmarks/export_cost.py --store DIR --formats graphml gexf html

Each export runs as the real command line, ``policykg export --format F -o FILE --store S``, in its
own process, so the figures hold everything a user waits for: opening the store, selecting the
graph, building the network and writing the file.  Figures: wall time, peak memory of the process,
output size, nodes and edges when the output says.  The HTML page refuses a graph bigger than
``POLICYKG_HTML_MAX_NODES`` (default 2,000 nodes) with a hint to filter; the script reports what it
did.  Every format is also exported for one document (``--document 文号``), the filtered path a
user is told to take, which should cost the same whatever the size of the store.

A whole-graph export builds the network in memory; before running one, the script predicts its
peak memory from the same export of a smaller store (linear in quads) and skips it, saying so,
when the prediction exceeds ``--max-memory-gb`` (default 40% of this machine's memory), so the
benchmark never takes a shared machine down.

Baseline, in the same run: the store's native N-Quads dump (``pyoxigraph.Store.dump``) of the same
store — the cheapest possible pass over every quad — so ``export ÷ dump`` says what building the
network and writing the format costs on top of reading the graph.  Results go to
``benchmarks/out/results/export_cost.json`` for ``growth.py``.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

import benchutil as bu

DUMP = ("import sys; from pyoxigraph import Store, RdfFormat; "
        "Store.read_only(sys.argv[1]).dump(sys.argv[2], format=RdfFormat.N_QUADS)")


def _count_graphml(path: Path) -> tuple[int | None, int | None]:
    if not path.exists() or path.stat().st_size == 0:
        return None, None
    nodes = edges = 0
    with path.open("rb") as f:
        for line in f:
            nodes += line.count(b"<node ")
            edges += line.count(b"<edge ")
    return nodes, edges


def first_doc_number(size: int) -> str | None:
    """A 文号 of the corpus the store was built from (for the filtered HTML export)."""
    import generate_corpus as gc

    folder = bu.OUT / f"corpus-{size}"
    if not (folder / "corpus.json").exists():
        return None
    for p in gc.corpus_files(folder)[:50]:
        number = gc.expected_for(p)["document"].get("doc_number")
        if number:
            return number
    return None


def export_once(store: Path, fmt: str, out: Path, extra: list[str] | None = None) -> dict:
    run = bu.run_measured([*bu.policykg_exe(), "export", "--format", fmt, "-o", str(out), "--store", str(store),
                           *(extra or [])])
    row = {"format": fmt + (" " + " ".join(extra) if extra else ""), "wall_s": round(run.wall_s, 2),
           "peak_rss_mb": round(run.peak_rss_mb), "returncode": run.returncode,
           "bytes": out.stat().st_size if out.exists() else 0}
    if run.returncode != 0:
        row["message"] = re.sub(r"\s+", " ", run.stderr.strip())[-400:]
    if fmt in ("graphml", "gexf"):
        row["nodes"], row["edges"] = _count_graphml(out)
    return row


def _predict(prior: dict | None, fmt: str, quads: int) -> tuple[float, float] | None:
    """(peak MB, wall s) for a whole-graph export of ``quads`` quads, linear from a smaller store's run."""
    if not prior or not prior.get("quads"):
        return None
    row = next((e for e in prior["exports"] if e["format"] == fmt and e["returncode"] == 0), None)
    if row is None:
        return None
    scale = quads / prior["quads"]
    return row["peak_rss_mb"] * scale, row["wall_s"] * scale


def measure(store: Path, formats: list[str], size: int | None, prior: dict | None = None,
            max_mb: float = float("inf")) -> dict:
    with tempfile.TemporaryDirectory(prefix="policykg-export-") as tmp:
        tmp = Path(tmp)
        dump = bu.run_measured([sys.executable, "-c", DUMP, str(store), str(tmp / "dump.nq")])
        base = {"wall_s": round(dump.wall_s, 2), "peak_rss_mb": round(dump.peak_rss_mb),
                "bytes": (tmp / "dump.nq").stat().st_size if (tmp / "dump.nq").exists() else 0}
        quads = 0
        if (tmp / "dump.nq").exists():
            with (tmp / "dump.nq").open("rb") as f:
                quads = sum(1 for _ in f)
            (tmp / "dump.nq").unlink()
        rows = []
        number = first_doc_number(size) if size else None
        for fmt in formats:
            out = tmp / f"export.{fmt}"
            guess = _predict(prior, fmt, quads) if fmt != "html" else None
            if guess and guess[0] > max_mb:
                rows.append({"format": fmt, "skipped": True, "returncode": None, "wall_s": None, "peak_rss_mb": None,
                             "bytes": 0, "ratio_vs_dump": None, "predicted_peak_mb": round(guess[0]),
                             "predicted_wall_s": round(guess[1]),
                             "message": f"skipped: predicted peak {guess[0] / 1024:.1f} GB and {guess[1]:.0f}s "
                                        f"(linear from {prior['quads']:,} quads) > --max-memory-gb "
                                        f"{max_mb / 1024:.1f}"})
                print(f"  {store.name}: export --format {fmt} skipped ({rows[-1]['message']})", flush=True)
            else:
                print(f"  {store.name}: export --format {fmt} …", flush=True)
                row = export_once(store, fmt, out)
                row["ratio_vs_dump"] = round(row["wall_s"] / base["wall_s"], 2) if base["wall_s"] else None
                rows.append(row)
                out.unlink(missing_ok=True)
            if number:  # the filtered path: one document
                part = export_once(store, fmt, out, ["--document", number])
                part["ratio_vs_dump"] = round(part["wall_s"] / base["wall_s"], 2) if base["wall_s"] else None
                rows.append(part)
                out.unlink(missing_ok=True)
    return {"store": str(store), "size": size, "quads": quads, "store_mb": bu.mb(bu.dir_size(store)),
            "dump": base, "exports": rows}


def render(results: list[dict]) -> str:
    lines = [f"{'store':<12} {'export':<34} {'wall s':>8} {'peak MB':>8} {'MB out':>8} {'÷ dump':>7}  note"]
    for r in results:
        for k, (fmt, wall, peak, out, ratio, note) in enumerate(bu.export_rows(r)):
            store = Path(r["store"]).name if k == 0 else ""
            if wall is None:
                lines.append(f"{store:<12} {fmt[:34]:<34} {'—':>8} {'—':>8} {'—':>8} {'—':>7}  {note[:160]}")
            else:
                lines.append(f"{store:<12} {fmt[:34]:<34} {wall:>8.2f} {peak:>8,} {out:>8.1f} {ratio:>7.2f}  {note[:160]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", help="measure benchmarks/out/stores/store-N for these N "
                    "(default: every one there is)")
    ap.add_argument("--store", type=Path, help="measure this store instead")
    ap.add_argument("--formats", nargs="+", default=["graphml", "gexf", "html"])
    ap.add_argument("--max-memory-gb", type=float, default=None,
                    help="skip a whole-graph export predicted to need more (default: 40%% of this machine's memory)")
    args = ap.parse_args(argv)
    m = bu.machine()
    print(f"export cost — {bu.describe_machine(m)}", flush=True)
    targets: list[tuple[Path, int | None]] = []
    if args.store:
        targets.append((args.store, None))
    else:
        stores = bu.OUT / "stores"
        sizes = args.sizes or sorted(int(p.name.split("-")[1]) for p in stores.glob("store-*") if p.name[6:].isdigit())
        targets += [(stores / f"store-{n}", n) for n in sizes if (stores / f"store-{n}").exists()]
    if not targets:
        print("no store to export: run benchmarks/corpus_ingest.py first", file=sys.stderr)
        return 2
    max_mb = (args.max_memory_gb or 0.4 * m["memory_gb"]) * 1024
    old = bu.load_result("export_cost") or {"runs": {}}
    results, prior = [], None
    for s, n in sorted(targets, key=lambda t: t[1] or 0):
        if prior is None and n:  # a smaller store measured in an earlier run
            smaller = [r for r in old["runs"].values() if r.get("size") and r["size"] < n]
            prior = max(smaller, key=lambda r: r["size"]) if smaller else None
        results.append(measure(s, args.formats, n, prior, max_mb))
        prior = results[-1]
    print(render(results))
    for r in results:
        old["runs"][str(r["size"] or r["store"])] = {**r, "machine": m}
    bu.save_result("export_cost", old)
    return 0


if __name__ == "__main__":
    sys.exit(main())
