"""What ingest costs compared with jieba alone on the same text.

Run from the root of a checkout with the package installed (``pip install -e .``)::

    python benchmarks/ingest_vs_jieba.py                          # the bundled sample
    python benchmarks/ingest_vs_jieba.py benchmarks/out/corpus-1000 --limit 200
    python benchmarks/ingest_vs_jieba.py FILE... --rounds 30 --json

The quality bar (DESIGN.md) is that ingest costs at most about twice what
``jieba.cut`` alone costs on the same text.  Both are measured in the same
process, in interleaved rounds (jieba, parse, graph, jieba, parse, graph …) so
a busy machine slows both alike, and the best round of each is reported:

* ``jieba.cut`` — ``list(jieba.cut(text))`` with jieba's defaults, on the
  normalised text of every file;
* ``parse`` — :func:`policykg.ingest.parse_text`, every step from structure to
  relations (the figure the bar is about);
* ``parse+graph`` — the same plus :func:`document_to_quads` (what an ingest
  hands to the store);
* ``parse+store`` — the same plus writing each document's graph into a fresh
  on-disk store, one transaction per document, as ``policykg ingest`` does
  (timed from the first write to the flush that puts the last one on disk;
  opening the store, a one-off cost of an ingest run, is not counted);

and, once, the per-step best times and the one-off costs of loading jieba's
dictionary and building policykg's user dictionary.  Each stage is also given
as a throughput ratio, ``jieba chars/s ÷ stage chars/s`` inverted: the goal is
a parse whose throughput is at least half of jieba's (ratio ≥ 0.5).

On a folder written by ``generate_corpus.py``, ``--accuracy`` also scores the
parsed documents against the answers written next to them, field by field.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "putuo-2022-16.txt"


def _texts(paths: list[str], limit: int | None) -> list[tuple[str, str]]:
    from policykg.ingest.read import read_path

    files: list[Path] = []
    for p in map(Path, paths or [str(SAMPLE)]):
        files.extend(sorted(x for x in p.rglob("*.txt") if not x.name.endswith(".expected.json")) if p.is_dir() else [p])
    out = []
    for f in files[:limit]:
        out.append((str(f), read_path(f).text))
    return out


def measure(texts: list[tuple[str, str]], rounds: int) -> dict:
    import jieba

    import shutil
    import tempfile

    from policykg.graph.rdfize import document_to_quads
    from policykg.graph.store import LocalStore
    from policykg.ingest.names import tokenizer
    from policykg.ingest.model import Document
    from policykg.ingest.normalise import normalise
    from policykg.ingest.pipeline import STEPS, parse_text

    jieba.setLogLevel(60)
    t0 = time.perf_counter()
    jieba.initialize()
    dict_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    tokenizer()
    user_dict = time.perf_counter() - t0
    norm = [normalise(t) for _, t in texts]
    docs = [parse_text(t, source=s) for s, t in texts]  # warm every cache once

    best = {"jieba": float("inf"), "parse": float("inf"), "graph": float("inf"), "store": float("inf")}
    tmp = Path(tempfile.mkdtemp(prefix="policykg-ingest-bench-"))
    for _ in range(rounds):
        t0 = time.perf_counter()
        for t in norm:
            list(jieba.cut(t))
        best["jieba"] = min(best["jieba"], time.perf_counter() - t0)
        t0 = time.perf_counter()
        docs = [parse_text(t, source=s) for s, t in texts]
        best["parse"] = min(best["parse"], time.perf_counter() - t0)
        t0 = time.perf_counter()
        graphs = [document_to_quads(d) for d in docs]
        best["graph"] = min(best["graph"], time.perf_counter() - t0)
        shutil.rmtree(tmp / "store", ignore_errors=True)
        store = LocalStore(tmp / "store")  # opening a store is a one-off cost of an ingest run, not timed
        t0 = time.perf_counter()
        for graph, quads in graphs:
            store.replace_graph(graph, quads)
        store.flush()
        best["store"] = min(best["store"], time.perf_counter() - t0)
        store.close()
    shutil.rmtree(tmp, ignore_errors=True)

    steps: dict[str, float] = {}
    for _ in range(max(3, rounds // 3)):
        this: dict[str, float] = {}
        for t in norm:
            d = Document(text=t)
            for name, step in STEPS:
                a = time.perf_counter()
                d = step(d)
                this[name] = this.get(name, 0.0) + time.perf_counter() - a
        for k, v in this.items():
            steps[k] = min(steps.get(k, float("inf")), v)

    ms = lambda s: round(1000 * s, 2)  # noqa: E731
    chars = sum(len(t) for t in norm)
    full = best["parse"] + best["graph"] + best["store"]
    return {
        "files": len(texts), "characters": chars, "rounds": rounds,
        "chars_per_s": {"jieba": round(chars / best["jieba"]), "parse": round(chars / best["parse"]),
                        "parse_graph": round(chars / (best["parse"] + best["graph"])),
                        "parse_store": round(chars / full)},
        "throughput_ratio": {"parse": round(best["jieba"] / best["parse"], 3),
                             "parse_graph": round(best["jieba"] / (best["parse"] + best["graph"]), 3),
                             "parse_store": round(best["jieba"] / full, 3)},
        "parse_store_ms": ms(full), "parse_store_ratio": round(full / best["jieba"], 2),
        "jieba_cut_ms": ms(best["jieba"]), "parse_ms": ms(best["parse"]),
        "parse_graph_ms": ms(best["parse"] + best["graph"]),
        "parse_ratio": round(best["parse"] / best["jieba"], 2),
        "parse_graph_ratio": round((best["parse"] + best["graph"]) / best["jieba"], 2),
        "steps_ms": {k: ms(v) for k, v in steps.items()},
        "jieba_dictionary_load_s": round(dict_load, 3), "user_dictionary_build_s": round(user_dict, 3),
        "entities": sum(len(d.entities) for d in docs), "mentions": sum(len(d.mentions) for d in docs),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", help="files or folders of .txt (default: the bundled sample)")
    ap.add_argument("--rounds", type=int, default=15, help="interleaved rounds; the best of each is kept")
    ap.add_argument("--limit", type=int, default=None, help="at most this many files")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--accuracy", action="store_true",
                    help="score the parse against the answers a generated corpus holds (generate_corpus.py)")
    ap.add_argument("--save", metavar="NAME", help="also save the figures as benchmarks/out/results/NAME.json")
    args = ap.parse_args(argv)
    texts = _texts(args.paths, args.limit)
    fig = measure(texts, args.rounds)
    if args.accuracy:
        fig["accuracy"] = accuracy(texts)
    if args.save:
        import benchutil

        benchutil.save_result(args.save, {**fig, "machine": benchutil.machine()})
    if args.json:
        print(json.dumps(fig, ensure_ascii=False, indent=2))
        return 0
    cps, thr = fig["chars_per_s"], fig["throughput_ratio"]
    print(f"{fig['files']} file(s), {fig['characters']:,} characters, best of {fig['rounds']} interleaved rounds")
    print(f"  {'':21}{'time':>12} {'cost':>7} {'chars/s':>11} {'throughput vs jieba':>20}")
    print(f"  jieba.cut            {fig['jieba_cut_ms']:9.2f} ms   1.00x {cps['jieba']:>11,} {1:>20.2f}")
    print(f"  parse (all steps)    {fig['parse_ms']:9.2f} ms   {fig['parse_ratio']:.2f}x {cps['parse']:>11,} "
          f"{thr['parse']:>20.2f}   (goal >= 0.5)")
    print(f"  parse + graph quads  {fig['parse_graph_ms']:9.2f} ms   {fig['parse_graph_ratio']:.2f}x "
          f"{cps['parse_graph']:>11,} {thr['parse_graph']:>20.2f}")
    print(f"  parse + store        {fig['parse_store_ms']:9.2f} ms   {fig['parse_store_ratio']:.2f}x "
          f"{cps['parse_store']:>11,} {thr['parse_store']:>20.2f}")
    print("  steps (ms):  " + ", ".join(f"{k} {v:.2f}" for k, v in fig["steps_ms"].items()))
    print(f"  one-off: jieba dictionary {fig['jieba_dictionary_load_s']:.2f} s, "
          f"policykg user dictionary {fig['user_dictionary_build_s']:.2f} s")
    print(f"  {fig['entities']} entities, {fig['mentions']} mentions")
    if args.accuracy:
        import generate_corpus

        print("accuracy on the generated answers:")
        print(generate_corpus.render_scores(fig["accuracy"]))
    return 0


def accuracy(texts: list[tuple[str, str]]) -> dict:
    """Field-by-field score of the parse against the answers ``generate_corpus.py`` wrote (files without one are
    skipped)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import generate_corpus

    from policykg.ingest.pipeline import parse_text

    scores = []
    for source, text in texts:
        answer = Path(source).with_name(Path(source).name.rsplit(".", 1)[0] + ".expected.json")
        if answer.exists():
            scores.append(generate_corpus.score_document(parse_text(text, source=source),
                                                         json.loads(answer.read_text(encoding="utf-8"))))
    return generate_corpus.merge_scores(scores)


if __name__ == "__main__":
    sys.exit(main())
