"""Measure a parse of the sample against its hand annotation, through SPARQL only.

Run from the root of a checkout with the package installed (``pip install -e .``)::

    python benchmarks/evaluate_gold.py                      # the bundled sample, a readable table
    python benchmarks/evaluate_gold.py --json               # the same figures as JSON
    python benchmarks/evaluate_gold.py --details            # also list missed / spurious items
    python benchmarks/evaluate_gold.py --store DIR          # measure a store already ingested
    python benchmarks/evaluate_gold.py --cli                # ingest with the real `policykg ingest`

The document (default ``samples/putuo-2022-16.txt``) is ingested into a
temporary on-disk store; every figure is then read back from the store with
SPARQL queries, so the script measures what a researcher querying the graph
would see, never the Python objects.  The gold annotation is
``--gold PATH``, else ``$POLICYKG_SHARED/gold/seed-gold.json``, else
``../shared/gold/seed-gold.json`` next to the checkout.

Figures:

* foundation — metadata fields right, gold sections present with their titles,
  actions whose responsible units are exactly the gold units;
* targets — precision/recall/F1 (a found ``pk:Target`` matches a gold target by
  section + value or range + unit, or else by text overlap of its label with the
  gold clause), then of the matched ones the share with the comparator right and
  with the deadline right (a gold ``null`` deadline is right only when the
  target has none), and value, unit, metric, clause and inherited-flag shares;
* entities — P/R/F1 of nodes typed with a pk entity class, matched by
  ``rdfs:label``/``skos:altLabel``/``skos:prefLabel`` against gold name and
  aliases (after the full-width fold), and the share of matched ones whose
  type is right;
* relation pairs — (action path, entity) for ``pk:reliesOn|pk:focusesOn``
  against gold ``relies_on`` + ``focus_cues`` entities, and for ``pk:builds``
  against gold ``builds``; pairs stated in sections the gold does not annotate
  (not one of the 20 actions) are counted apart as unjudged.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DOC = ROOT / "samples" / "putuo-2022-16.txt"

# pk classes whose instances count as entities; pk:NamedThing is gold's "Other".
ENTITY_CLASSES = ("GovernmentBody", "Subdistrict", "Enterprise", "University", "ResearchInstitute", "Platform",
                  "Park", "Area", "Project", "Programme", "Place", "Event", "NamedThing", "Other")
GOLD_TYPE_ALIASES = {"Other": {"Other", "NamedThing"}}


# --------------------------------------------------------------------------- helpers

def default_gold() -> Path:
    env = os.environ.get("POLICYKG_SHARED")
    return (Path(env) if env else ROOT.parent / "shared") / "gold" / "seed-gold.json"


def fold(s: str | None) -> str | None:
    from policykg.ingest.normalise import fold as _fold

    return None if s is None else _fold(s)


def prf(tp_found: int, n_found: int, tp_gold: int, n_gold: int) -> dict:
    p = tp_found / n_found if n_found else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"found": n_found, "gold": n_gold, "matched": tp_gold, "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(f, 4)}


def dec(v) -> Decimal | None:
    if v is None:
        return None
    try:
        return Decimal(str(v)).normalize()
    except InvalidOperation:
        return None


def share(n: int, d: int) -> dict:
    return {"right": n, "of": d, "share": round(n / d, 4) if d else 0.0}


class Store:
    """The store under measurement; every figure comes through :meth:`select`."""

    def __init__(self, path: Path) -> None:
        from policykg import KnowledgeGraph

        self.kg = KnowledgeGraph(path, read_only=True)

    def select(self, sparql: str) -> list[dict[str, str]]:
        return self.kg.query(sparql, limit=1_000_000).values()

    def close(self) -> None:
        self.kg.close()


def ingest(doc: Path, store: Path, use_cli: bool) -> float:
    t0 = time.perf_counter()
    if use_cli:
        exe = Path(sys.executable).parent / "policykg"
        cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "policykg"]
        proc = subprocess.run([*cmd, "ingest", str(doc), "--store", str(store)], capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"policykg ingest failed ({proc.returncode}): {proc.stderr.strip()}")
    else:
        from policykg import KnowledgeGraph

        with KnowledgeGraph(store) as kg:
            reports = kg.ingest([doc], force=True)
        bad = [r for r in reports if not r.ok]
        if bad:
            sys.exit(f"ingest failed: {bad[0].error}")
    return time.perf_counter() - t0


# --------------------------------------------------------------------------- foundation

def measure_foundation(st: Store, gold: dict) -> dict:
    g = gold["document"]
    rows = st.select("""
        SELECT ?num ?title ?issued ?issuerName ?plan ?meeting ?adopted WHERE {
          ?d pk:docNumber ?num .
          OPTIONAL { ?d dcterms:title ?title }
          OPTIONAL { ?d dcterms:issued ?issued }
          OPTIONAL { ?d pk:issuer ?i . ?i skos:prefLabel|rdfs:label ?issuerName }
          OPTIONAL { ?d pk:transmits ?p . ?p dcterms:title ?plan }
          OPTIONAL { ?d pk:adoptedAt ?m . ?m rdfs:label ?meeting }
          OPTIONAL { ?d pk:adoptedOn ?adopted }
        }""")
    addressees = {r["label"] for r in st.select("SELECT ?label WHERE { ?d pk:addressee ?a . ?a rdfs:label ?label }")}

    def any_eq(key: str, want) -> bool:
        return any(r.get(key) == want for r in rows)

    fields = {
        "doc_number": any_eq("num", g["doc_number"]),
        "title": any_eq("title", fold(g["title"])),
        "issued_date": any_eq("issued", g["issued_date"]),
        "issuer": any_eq("issuerName", g["issuer"]),
        "attached_plan_title": any_eq("plan", fold(g["attached_plan_title"])),
        "adopted_meeting": any_eq("meeting", fold(g["adopted_at"]["meeting"])),
        "adopted_date": any_eq("adopted", g["adopted_at"]["date"]),
        "addressees": addressees == {fold(a) for a in g["addressees"]},
    }

    secs = st.select("""
        SELECT ?path ?number ?title ?kind WHERE {
          ?s a pk:Section ; pk:path ?path ; rdfs:label ?title ; pk:number ?number .
          OPTIONAL { ?s a ?kind . FILTER(?kind IN (pk:Goal, pk:Action, pk:Measure)) }
        }""")
    got = {}
    for r in secs:
        got.setdefault(r["path"], r)
        if "kind" in r:
            got[r["path"]]["kind"] = r["kind"]
    sec_found = sum(1 for s in gold["sections"] if s["id"] in got)
    sec_title = sum(1 for s in gold["sections"] if s["id"] in got and got[s["id"]]["title"] == fold(s["title"]))
    sec_kind = sum(1 for s in gold["sections"] if s["id"] in got
                   and (got[s["id"]].get("kind", "").rsplit("#", 1)[-1] or None) == s["kind"])

    units = st.select("""
        SELECT ?path ?unit WHERE { ?a a pk:Action ; pk:path ?path ; pk:responsibleUnit ?u . ?u rdfs:label ?unit }""")
    by_action: dict[str, set[str]] = {}
    for r in units:
        by_action.setdefault(r["path"], set()).add(r["unit"])
    exact = [a["id"] for a in gold["actions"] if by_action.get(a["id"]) == {fold(u) for u in a["responsible_units"]}]
    return {
        "metadata": {"right": sum(fields.values()), "of": len(fields), "fields": fields},
        "sections": {"found": sec_found, "with_title": sec_title, "with_kind": sec_kind, "gold": len(gold["sections"]),
                     "in_store": len(got)},
        "actions": {"exact_units": len(exact), "gold": len(gold["actions"]),
                    "wrong": [a["id"] for a in gold["actions"] if a["id"] not in exact]},
    }


# --------------------------------------------------------------------------- targets

TARGETS_QUERY = """
SELECT ?t ?label ?comparator ?value ?min ?max ?unit ?metric ?deadline ?inherited ?path WHERE {
  ?t a pk:Target ; rdfs:label ?label .
  OPTIONAL { ?t pk:comparator ?comparator }
  OPTIONAL { ?t pk:value ?value }
  OPTIONAL { ?t pk:valueMin ?min }
  OPTIONAL { ?t pk:valueMax ?max }
  OPTIONAL { ?t pk:unit ?unit }
  OPTIONAL { ?t pk:metric ?metric }
  OPTIONAL { ?t pk:deadline ?deadline }
  OPTIONAL { ?t pk:deadlineInherited ?inherited }
  OPTIONAL { ?t pk:statedIn ?s . ?s pk:path ?path }
}"""


def _overlap(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _key_match(f: dict, g: dict) -> bool:
    if f.get("path") != g["section"] or f.get("unit") != fold(g["unit"]):
        return False
    if g["value"] is not None:
        return dec(f.get("value")) == dec(g["value"])
    return dec(f.get("min")) == dec(g["value_min"]) and dec(f.get("max")) == dec(g["value_max"])


def match_targets(found: list[dict], gold_targets: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one greedy matching: key matches first (ties broken by text overlap), then text overlap ≥ 0.6."""
    cands = []
    for i, f in enumerate(found):
        for j, g in enumerate(gold_targets):
            ov = _overlap(f["label"], fold(g["text"]))
            if _key_match(f, g):
                cands.append((1.0 + ov, i, j))
            elif ov >= 0.6 and f.get("path") in (g["section"], None):
                cands.append((ov, i, j))
    cands.sort(key=lambda c: -c[0])
    used_f, used_g, pairs = set(), set(), []
    for _, i, j in cands:
        if i in used_f or j in used_g:
            continue
        used_f.add(i)
        used_g.add(j)
        pairs.append((found[i], gold_targets[j]))
    return pairs


def measure_targets(st: Store, gold: dict) -> dict:
    found = st.select(TARGETS_QUERY)
    gts = gold["targets"]
    pairs = match_targets(found, gts)
    n = len(pairs)

    def right(pred) -> int:
        return sum(1 for f, g in pairs if pred(f, g))

    comparator = right(lambda f, g: f.get("comparator") == g["comparator"])
    deadline = right(lambda f, g: f.get("deadline") == g["deadline"])
    value = right(lambda f, g: dec(f.get("value")) == dec(g["value"]) and dec(f.get("min")) == dec(g["value_min"])
                  and dec(f.get("max")) == dec(g["value_max"]))
    unit = right(lambda f, g: f.get("unit") == fold(g["unit"]))
    metric = right(lambda f, g: f.get("metric") == fold(g["metric"]))
    clause = right(lambda f, g: f["label"] == fold(g["text"]))
    inherited = right(lambda f, g: (f.get("inherited") == "true") == bool(g["deadline_inherited"]))
    matched_gold = {g["id"] for _, g in pairs}
    matched_found = {f["t"] for f, _ in pairs}
    out = prf(n, len(found), n, len(gts))
    out.update({
        "comparator": share(comparator, n), "deadline": share(deadline, n), "value": share(value, n),
        "unit": share(unit, n), "metric": share(metric, n), "clause": share(clause, n),
        "deadline_inherited": share(inherited, n),
        "missed": [f"{g['id']} {g['section']} {fold(g['text'])}" for g in gts if g["id"] not in matched_gold],
        "spurious": [f"{f.get('path')} {f['label']}" for f in found if f["t"] not in matched_found],
        "wrong": [f"{g['id']}: " + ", ".join(
            f"{k} {f.get(fk)!r}≠{fold(str(g[gk])) if g[gk] is not None else None!r}"
            for k, fk, gk in (("comparator", "comparator", "comparator"), ("deadline", "deadline", "deadline"),
                              ("unit", "unit", "unit"), ("metric", "metric", "metric"), ("clause", "label", "text"))
            if (f.get(fk) or None) != (fold(str(g[gk])) if g[gk] is not None else None))
            for f, g in pairs
            if f.get("comparator") != g["comparator"] or f.get("deadline") != g["deadline"]
            or f.get("unit") != fold(g["unit"]) or f.get("metric") != fold(g["metric"]) or f["label"] != fold(g["text"])],
    })
    return out


# --------------------------------------------------------------------------- entities and relations

def entity_nodes(st: Store) -> dict[str, dict]:
    """Every node typed with a pk entity class: its labels and its pk classes."""
    values = " ".join(f"pk:{c}" for c in ENTITY_CLASSES)
    rows = st.select(f"""
        SELECT ?e ?cls ?label WHERE {{
          VALUES ?cls {{ {values} }}
          ?e a ?cls .
          OPTIONAL {{ ?e rdfs:label|skos:altLabel|skos:prefLabel ?label }}
        }}""")
    nodes: dict[str, dict] = {}
    for r in rows:
        n = nodes.setdefault(r["e"], {"labels": set(), "types": set()})
        n["types"].add(r["cls"].rsplit("#", 1)[-1])
        if "label" in r:
            n["labels"].add(r["label"])
    return nodes


def _gold_names(e: dict) -> set[str]:
    return {fold(x) for x in [e["name"], *e.get("aliases", [])]}


def measure_entities(st: Store, gold: dict) -> dict:
    nodes = entity_nodes(st)
    gents = gold["entities"]
    names = [_gold_names(e) for e in gents]
    matched_nodes, matched_gold, typed_right = set(), set(), 0
    for iri, n in nodes.items():
        hits = [j for j, ns in enumerate(names) if ns & n["labels"]]
        if hits:
            matched_nodes.add(iri)
            matched_gold.update(hits)
            want = GOLD_TYPE_ALIASES.get(gents[hits[0]]["type"], {gents[hits[0]]["type"]})
            typed_right += bool(want & n["types"])
    out = prf(len(matched_nodes), len(nodes), len(matched_gold), len(gents))
    out["type"] = share(typed_right, len(matched_nodes))
    out["missed"] = [f"{e['type']} {fold(e['name'])}" for j, e in enumerate(gents) if j not in matched_gold]
    out["spurious"] = sorted(f"{'/'.join(sorted(n['types']))} {min(n['labels'], key=len) if n['labels'] else iri}"
                             for iri, n in nodes.items() if iri not in matched_nodes)
    return out


def _pairs(st: Store, prop: str) -> list[tuple[str, str]]:
    rows = st.select(f"SELECT DISTINCT ?path ?e WHERE {{ ?s {prop} ?e ; pk:path ?path }}")
    return [(r["path"], r["e"]) for r in rows]


def measure_pairs(st: Store, gold: dict, prop: str, gold_pairs: set[tuple[str, str]]) -> dict:
    nodes = entity_nodes(st)
    labels_of = {iri: n["labels"] for iri, n in nodes.items()}
    aliases = {fold(e["name"]): _gold_names(e) for e in gold["entities"]}
    judged = {a["id"] for a in gold["actions"]}
    found = _pairs(st, prop)
    in_scope = [(p, e) for p, e in found if p in judged]
    hit_found, hit_gold = set(), set()
    for p, e in in_scope:
        labels = labels_of.get(e, set())
        for gp, gname in gold_pairs:
            if gp == p and aliases.get(gname, {gname}) & labels:
                hit_found.add((p, e))
                hit_gold.add((gp, gname))
    out = prf(len(hit_found), len(in_scope), len(hit_gold), len(gold_pairs))
    out["unjudged"] = len(found) - len(in_scope)
    out["missed"] = sorted(f"{p} {n}" for p, n in gold_pairs - hit_gold)
    out["spurious"] = sorted(f"{p} {min(labels_of.get(e) or {e}, key=len)}" for p, e in in_scope
                             if (p, e) not in hit_found)
    return out


def gold_relies_pairs(gold: dict) -> set[tuple[str, str]]:
    pairs = set()
    for a in gold["actions"]:
        for name in a.get("relies_on", []):
            pairs.add((a["id"], fold(name)))
        for cue in a.get("focus_cues", []):
            for name in cue.get("entities", []):
                pairs.add((a["id"], fold(name)))
    return pairs


def gold_builds_pairs(gold: dict) -> set[tuple[str, str]]:
    return {(a["id"], fold(name)) for a in gold["actions"] for name in a.get("builds", [])}


# --------------------------------------------------------------------------- report

def evaluate(store: Path, gold: dict) -> dict:
    st = Store(store)
    try:
        return {
            "foundation": measure_foundation(st, gold),
            "targets": measure_targets(st, gold),
            "entities": measure_entities(st, gold),
            "relies_focuses_pairs": measure_pairs(st, gold, "pk:reliesOn|pk:focusesOn", gold_relies_pairs(gold)),
            "builds_pairs": measure_pairs(st, gold, "pk:builds", gold_builds_pairs(gold)),
        }
    finally:
        st.close()


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def _prf_line(name: str, m: dict) -> str:
    return (f"  {name:<22} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}"
            f"   (found {m['found']}, gold {m['gold']}, matched {m['matched']})")


def _share_line(name: str, s: dict) -> str:
    return f"    {name:<26} {s['right']:>3}/{s['of']:<3} {_pct(s['share'])}"


def render(fig: dict, details: bool) -> str:
    f = fig["foundation"]
    lines = [f"policykg vs gold — {fig['document']}  (ingest {fig['ingest_seconds']:.2f}s)", "", "foundation"]
    md = f["metadata"]
    wrong_md = [k for k, ok in md["fields"].items() if not ok]
    lines.append(f"  metadata               {md['right']}/{md['of']} fields right" + (f"  (wrong: {', '.join(wrong_md)})" if wrong_md else ""))
    s = f["sections"]
    lines.append(f"  sections               {s['found']}/{s['gold']} found, {s['with_title']} with title, "
                 f"{s['with_kind']} with kind ({s['in_store']} in store)")
    a = f["actions"]
    lines.append(f"  actions                {a['exact_units']}/{a['gold']} with exactly the gold units"
                 + (f"  (wrong: {', '.join(a['wrong'])})" if a["wrong"] else ""))
    t = fig["targets"]
    lines += ["", "targets", _prf_line("targets", t)]
    for k in ("comparator", "deadline", "value", "unit", "metric", "clause", "deadline_inherited"):
        lines.append(_share_line(k + " right", t[k]))
    e = fig["entities"]
    lines += ["", "entities", _prf_line("entities", e), _share_line("type right", e["type"])]
    lines += ["", "relations", _prf_line("reliesOn|focusesOn", fig["relies_focuses_pairs"]),
              _prf_line("builds", fig["builds_pairs"])]
    uj = fig["relies_focuses_pairs"]["unjudged"], fig["builds_pairs"]["unjudged"]
    lines.append(f"    pairs outside the 20 actions (unjudged): reliesOn|focusesOn {uj[0]}, builds {uj[1]}")
    if details:
        for sect, key in (("targets", "targets"), ("entities", "entities"), ("reliesOn|focusesOn", "relies_focuses_pairs"),
                          ("builds", "builds_pairs")):
            for kind in ("missed", "spurious", "wrong"):
                items = fig[key].get(kind) or []
                if items:
                    lines += ["", f"{sect} {kind} ({len(items)}):", *(f"  {x}" for x in items)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("document", nargs="?", default=str(DEFAULT_DOC), help="the document to ingest (default: the sample)")
    ap.add_argument("--gold", default=None, help="the gold annotation (default: $POLICYKG_SHARED or ../shared)")
    ap.add_argument("--store", default=None, help="measure this store as it is (no ingest)")
    ap.add_argument("--cli", action="store_true", help="ingest with the real `policykg ingest` command")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--details", action="store_true", help="list missed, spurious and wrong items")
    args = ap.parse_args(argv)

    gold_path = Path(args.gold) if args.gold else default_gold()
    if not gold_path.exists():
        print(f"the gold annotation is missing at {gold_path}; pass --gold or set POLICYKG_SHARED", file=sys.stderr)
        return 2
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="policykg-eval-") as tmp:
        if args.store:
            store, seconds = Path(args.store), 0.0
        else:
            store = Path(tmp) / "store"
            seconds = ingest(Path(args.document), store, args.cli)
        fig = evaluate(store, gold)
    fig = {"document": args.document if not args.store else args.store, "ingest_seconds": round(seconds, 3), **fig}
    if args.json:
        print(json.dumps(fig, ensure_ascii=False, indent=2, default=sorted))
    else:
        print(render(fig, args.details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
