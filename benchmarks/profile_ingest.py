"""Where ingest time goes: a pyinstrument profile of ``KnowledgeGraph.ingest`` on generated documents.

Runs the whole pipeline in this one process (``workers=1``: read, parse, quads, store writes, the link
pass), so one profile holds every step, then sums the profile's *self* time by where the code lives:
each ``ingest/`` module, the RDF mapping, the store (pyoxigraph), jieba, and the rest.  The baseline in
the same run is ``jieba.cut`` over the same texts, so the shares read as "times tokenising".

    pip install -e '.[bench]'
    python benchmarks/profile_ingest.py benchmarks/out/corpus-1000 --limit 200
    python benchmarks/profile_ingest.py benchmarks/out/corpus-1000 --limit 200 --html profile.html

Prints a table of groups (seconds, share of the ingest, ratio to jieba.cut) and pyinstrument's own
call tree cut to the frames above ``--min-share`` of the run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path


def _group(path: str, function: str) -> str:
    p = path.replace("\\", "/")
    for part, name in (("/policykg/ingest/", "ingest/"), ("/ingest/", "ingest/"), ("/policykg/graph/", "graph/"),
                       ("/graph/", "graph/")):
        if part in p:
            return name + p.rsplit(part, 1)[1].split("/")[0].removesuffix(".py")
    if "/jieba/" in p:
        return "jieba"
    if p.endswith(("/re/__init__.py", "/re/_compiler.py", "/re/_parser.py")):
        return "re"
    if p == "<built-in>" and function.startswith("Store."):
        return f"pyoxigraph {function}"
    if not p:
        return "other"
    return "other Python"


def _self_times(frame, out: dict[str, float], where: tuple[str, str] = ("", "")) -> None:
    """Sum self time by group; pyinstrument keeps a frame's own time in a synthetic ``[self]`` child."""
    if getattr(frame, "is_synthetic", False) or frame.file_path is None:
        out[_group(*where)] += frame.time
        return
    here = (frame.file_path or "", frame.function or "")
    if here[0] == "<built-in>" and not here[1].startswith("Store."):
        here = where  # str.startswith, Pattern.search …: the cost of the code that calls them
    children = frame.children
    own = frame.time - sum(c.time for c in children)
    if own > 1e-9:
        out[_group(*here)] += own
    for c in children:
        _self_times(c, out, here)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path, help="a folder of generated documents (benchmarks/generate_corpus.py)")
    ap.add_argument("--limit", type=int, default=200, help="how many documents (default 200)")
    ap.add_argument("--min-share", type=float, default=0.03, help="call-tree frames below this share are hidden")
    ap.add_argument("--html", type=Path, help="also write pyinstrument's interactive HTML profile here")
    args = ap.parse_args(argv)
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("profile_ingest: needs pyinstrument (pip install -e '.[bench]')", file=sys.stderr)
        return 2
    import jieba

    from policykg.graph.kg import KnowledgeGraph

    files = sorted(p for p in args.corpus.iterdir() if p.suffix == ".txt")[: args.limit]
    if not files:
        print(f"profile_ingest: no .txt files in {args.corpus}", file=sys.stderr)
        return 2
    texts = [f.read_bytes().decode("utf-8", errors="replace") for f in files]
    chars = sum(map(len, texts))
    jieba.initialize()
    t0 = time.perf_counter()
    for t in texts:
        for _ in jieba.cut(t):
            pass
    jieba_s = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp:
        with KnowledgeGraph(Path(tmp) / "store") as kg:
            kg.ingest([files[0]])  # warm: dictionaries, gazetteer, store open
            prof = Profiler(interval=0.001)
            t0 = time.perf_counter()
            prof.start()
            reports = kg.ingest(files[1:])
            prof.stop()
            ingest_s = time.perf_counter() - t0
            quads = kg.count()
    bad = [r for r in reports if r.status == "failed"]
    groups: dict[str, float] = defaultdict(float)
    session = prof.last_session
    _self_times(session.root_frame(), groups)
    total = sum(groups.values()) or 1.0

    n = len(files) - 1
    per_doc_jieba = jieba_s / len(files)
    print(f"{n} documents, {chars:,} characters, {quads:,} quads; ingest {ingest_s:.2f} s "
          f"({ingest_s / n * 1000:.1f} ms/document), jieba.cut {per_doc_jieba * 1000:.1f} ms/document "
          f"-> ingest = {ingest_s / n / per_doc_jieba:.2f} x jieba.cut" + (f"; {len(bad)} failed" if bad else ""))
    print()
    print(f"{'where (self time)':32} {'s':>8} {'share':>7} {'x jieba':>8}")
    for name, s in sorted(groups.items(), key=lambda kv: -kv[1]):
        if s / total < 0.005:
            continue
        print(f"{name:32} {s * ingest_s / total:8.2f} {s / total:7.1%} {s * ingest_s / total / n / per_doc_jieba:8.2f}")
    print()
    print(prof.output_text(unicode=True, color=False, show_all=False, timeline=False)
          if args.min_share <= 0 else _cut_tree(prof, args.min_share))
    if args.html:
        args.html.write_text(prof.output_html(), encoding="utf-8")
        print(f"wrote {args.html}")
    return 0


def _cut_tree(prof, min_share: float) -> str:
    from pyinstrument.renderers import ConsoleRenderer

    r = ConsoleRenderer(unicode=True, color=False, show_all=False,
                        processor_options={"filter_threshold": min_share})
    return r.render(prof.last_session)


if __name__ == "__main__":
    sys.exit(main())
