"""Measure the parser on the realistic documents of ``tests/data/realistic/``, through SPARQL only.

Each ``NN-name.txt`` there is a policy document we wrote in a genre the bundled sample does not
cover (ministry, province, city, county, district; task tables, 专栏 boxes, 牵头/配合 notes,
第一章/第一条, five heading levels, Traditional characters, portal headers, references and
repeals), and ``NN-name.json`` next to it is its hand annotation (see ``tests/data/README.md``)::

    python benchmarks/evaluate_realistic.py               # per-document and overall figures
    python benchmarks/evaluate_realistic.py --details     # also what was missed, spurious or wrong
    python benchmarks/evaluate_realistic.py --json        # the figures as JSON
    python benchmarks/evaluate_realistic.py --only 04     # the documents whose file name holds "04"

Every document is ingested into one temporary on-disk store, and every figure is read back from
its named graph with SPARQL — what a researcher querying the graph would see.

Figures (per document, and overall as sums of the counts):

* **metadata** — document fields the annotation states (文号, title, type, issuers, signing and
  publication dates, the transmitted plan, addressees, 抄送, references, repeals …) that are right;
* **sections** — P/R/F1 of (path, heading) pairs;
* **actions** — sections with responsible units: the share of annotated actions whose units are
  exactly the annotated ones, the share whose lead and supporting units are exactly right too,
  and P/R/F1 of (section, unit) pairs;
* **targets** — P/R/F1 (a found ``pk:Target`` matches an annotated one by section + value or range
  + unit, or else by text overlap, as in ``evaluate_gold.py``), the share of matched targets with
  value, unit, comparator and deadline right, and a strict F1 that counts a target only when all
  four are right;
* **entities** — P/R/F1 of entity nodes the text names (nodes with a ``pk:Mention`` in the
  document, or an issuer, responsible unit or relation object; nodes that only stand for a header
  field — an addressee, a 抄送 body, the jurisdiction — are metadata), matched by any label, and
  the share of matched nodes whose type is right;
* **relations** — P/R/F1 of (section, kind, entity) for ``pk:reliesOn``, ``pk:focusesOn`` and
  ``pk:builds`` in every section.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / "tests" / "data" / "realistic"


def _gold_module():
    """The matching rules of ``evaluate_gold.py`` (targets, labels, P/R/F1), shared, not copied."""
    spec = importlib.util.spec_from_file_location("policykg_evaluate_gold", Path(__file__).with_name("evaluate_gold.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


EG = _gold_module()
fold, dec, share = EG.fold, EG.dec, EG.share


def prf(tp_found: int, n_found: int, tp_gold: int, n_gold: int) -> dict:
    """``evaluate_gold.prf`` that also keeps the found items that matched, so documents add up."""
    return {**EG.prf(tp_found, n_found, tp_gold, n_gold), "tp_found": tp_found}
ENTITY_CLASSES = EG.ENTITY_CLASSES
RELATION_KINDS = ("reliesOn", "focusesOn", "builds")


def load_annotations(data: Path, only: str | None = None) -> list[tuple[Path, dict]]:
    out = []
    for ann in sorted(data.glob("*.json")):
        if only and only not in ann.name:
            continue
        gold = json.loads(ann.read_text(encoding="utf-8"))
        out.append((ann.with_name(gold["file"]), gold))
    return out


class DocGraph:
    """One document's named graph; every figure comes through :meth:`select`."""

    def __init__(self, kg, graph: str) -> None:
        self.kg = kg
        self.graph = graph

    def select(self, sparql: str) -> list[dict[str, str]]:
        return self.kg.query(sparql, default_graph=[self.graph], limit=1_000_000).values()


def graph_of(kg, source_name: str) -> str | None:
    rows = kg.query("SELECT ?g ?f WHERE { GRAPH ?g { ?d pk:sourceFile ?f ; pk:text ?t } }").values()
    return next((r["g"] for r in rows if r["f"] == source_name), None)


# --------------------------------------------------------------------------- metadata

def measure_metadata(dg: DocGraph, gold: dict) -> dict:
    g = gold["document"]
    doc = dg.select("""
        SELECT ?d ?num ?title ?type ?issued ?published ?effective ?index ?category WHERE {
          ?d pk:text ?text .
          OPTIONAL { ?d pk:docNumber ?num } OPTIONAL { ?d dcterms:title ?title } OPTIONAL { ?d pk:docType ?type }
          OPTIONAL { ?d dcterms:issued ?issued } OPTIONAL { ?d pk:published ?published }
          OPTIONAL { ?d pk:effective ?effective } OPTIONAL { ?d pk:indexNumber ?index }
          OPTIONAL { ?d pk:category ?category }
        }""")
    row = doc[0] if doc else {}

    def labels(prop: str) -> set[str]:
        rows = dg.select(f"SELECT ?l WHERE {{ ?d pk:text ?t ; {prop} ?x . ?x rdfs:label ?l }}")
        return {r["l"] for r in rows}

    def literals(sparql: str) -> set[str]:
        return {r["v"] for r in dg.select(sparql)}

    plan = literals("SELECT ?v WHERE { ?d pk:text ?t ; pk:transmits ?p . ?p dcterms:title ?v }")
    issuers = dg.select("""SELECT ?i ?l WHERE { ?d pk:text ?t ; pk:issuer ?i .
                                               ?i rdfs:label|skos:altLabel|skos:prefLabel ?l }""")
    issuer_labels: dict[str, set[str]] = {}
    for r in issuers:
        issuer_labels.setdefault(r["i"], set()).add(r["l"])
    checks = {
        "doc_number": lambda v: row.get("num") == v,
        "title": lambda v: row.get("title") == fold(v),
        "doc_type": lambda v: row.get("type") == v,
        "issued": lambda v: row.get("issued") == v,
        "published": lambda v: row.get("published") == v,
        "effective": lambda v: row.get("effective") == v,
        "index_number": lambda v: row.get("index") == v,
        "category": lambda v: row.get("category") == fold(v),
        "plan_title": lambda v: (plan == {fold(v)}) if v else not plan,
        "issuers": lambda v: _same_nodes([fold(x) for x in v], issuer_labels),
        "addressees": lambda v: labels("pk:addressee") == {fold(x) for x in v},
        "copied_to": lambda v: labels("pk:copiedTo") == {fold(x) for x in v},
        "references": lambda v: literals("SELECT ?v WHERE { ?s pk:referencesTitle ?v }") == {fold(x) for x in v},
        "repeals": lambda v: literals("SELECT ?v WHERE { ?s pk:repealsTitle ?v }") == {fold(x) for x in v},
    }
    checks["doc_number"] = lambda v: row.get("num") == v  # None: the document has no 文号, and none is invented
    nullable = ("doc_number", "plan_title")  # null is a claim (there is none); elsewhere null means "not judged"
    fields = {k: bool(check(g[k])) for k, check in checks.items() if k in g and (g[k] is not None or k in nullable)}
    return {"right": sum(fields.values()), "of": len(fields), "fields": fields}


def _same_nodes(names: list[str], nodes: dict[str, set[str]]) -> bool:
    """Each name is a label of its own node, and no node is left over."""
    free = dict(nodes)
    for n in names:
        hit = next((iri for iri, ls in free.items() if n in ls), None)
        if hit is None:
            return False
        del free[hit]
    return not free


# --------------------------------------------------------------------------- sections and actions

def measure_sections(dg: DocGraph, gold: dict) -> dict:
    rows = dg.select("SELECT ?path ?title WHERE { ?s a pk:Section ; pk:path ?path ; rdfs:label ?title }")
    found = {(r["path"], r["title"]) for r in rows}
    want = {(p, fold(t)) for p, _, t in gold["sections"]}
    hit = found & want
    out = prf(len(hit), len(found), len(hit), len(want))
    out["missed"] = sorted(f"{p} {t}" for p, t in want - found)
    out["spurious"] = sorted(f"{p} {t}" for p, t in found - want)
    return out


def _unit_nodes(dg: DocGraph, prop: str) -> dict[str, dict[str, set[str]]]:
    """section path → unit node → its labels."""
    rows = dg.select(f"""SELECT ?path ?u ?l WHERE {{ ?s {prop} ?u ; pk:path ?path .
                                                  ?u rdfs:label|skos:altLabel|skos:prefLabel ?l }}""")
    out: dict[str, dict[str, set[str]]] = {}
    for r in rows:
        out.setdefault(r["path"], {}).setdefault(r["u"], set()).add(r["l"])
    return out


def measure_actions(dg: DocGraph, gold: dict) -> dict:
    units = _unit_nodes(dg, "pk:responsibleUnit")
    leads = _unit_nodes(dg, "pk:leadUnit")
    supports = _unit_nodes(dg, "pk:supportingUnit")
    exact, roles, wrong = 0, 0, []
    pairs_hit = 0
    for a in gold["actions"]:
        got = units.get(a["section"], {})
        names = [fold(u) for u in a["units"]]
        pairs_hit += sum(1 for n in names if any(n in ls for ls in got.values()))
        ok = _same_nodes(names, got)
        exact += ok
        role_ok = ok and _same_nodes([fold(u) for u in a.get("lead", [])], leads.get(a["section"], {})) \
            and _same_nodes([fold(u) for u in a.get("support", [])], supports.get(a["section"], {}))
        roles += role_ok
        if not role_ok:
            def show(d: dict) -> str:
                return "、".join(sorted(min(ls, key=len) for ls in d.values())) or "-"
            wrong.append(f"{a['section']}: units {show(got)} | lead {show(leads.get(a['section'], {}))} | "
                         f"support {show(supports.get(a['section'], {}))}  (want {'、'.join(names)} | lead "
                         f"{'、'.join(a.get('lead', [])) or '-'} | support {'、'.join(a.get('support', [])) or '-'})")
    n_found = sum(len(v) for v in units.values())
    n_gold = sum(len(a["units"]) for a in gold["actions"])
    out = {"exact_units": share(exact, len(gold["actions"])), "exact_roles": share(roles, len(gold["actions"])),
           "unit_pairs": prf(pairs_hit, n_found, pairs_hit, n_gold), "wrong": wrong}
    judged = {a["section"] for a in gold["actions"]}
    out["spurious"] = sorted(f"{p}: {'、'.join(sorted(min(ls, key=len) for ls in us.values()))}"
                             for p, us in units.items() if p not in judged)
    return out


# --------------------------------------------------------------------------- targets

def measure_targets(dg: DocGraph, gold: dict) -> dict:
    found = dg.select(EG.TARGETS_QUERY)
    gts = [dict(t, metric=t.get("metric")) for t in gold["targets"]]
    pairs = EG.match_targets(found, gts)
    n = len(pairs)

    def value_ok(f, g):
        return dec(f.get("value")) == dec(g["value"]) and dec(f.get("min")) == dec(g["value_min"]) \
            and dec(f.get("max")) == dec(g["value_max"])

    checks = {
        "value": value_ok,
        "unit": lambda f, g: f.get("unit") == fold(g["unit"]),
        "comparator": lambda f, g: f.get("comparator") == g["comparator"],
        "deadline": lambda f, g: f.get("deadline") == g["deadline"],
    }
    out = prf(n, len(found), n, len(gts))
    for k, c in checks.items():
        out[k] = share(sum(1 for f, g in pairs if c(f, g)), n)
    full = sum(1 for f, g in pairs if all(c(f, g) for c in checks.values()))
    out["strict"] = prf(full, len(found), full, len(gts))
    matched_g = {g["id"] for _, g in pairs}
    matched_f = {f["t"] for f, _ in pairs}
    out["missed"] = [f"{g['id']} {g['section']} {fold(g['text'])}" for g in gts if g["id"] not in matched_g]
    out["spurious"] = [f"{f.get('path')} {f['label']}" for f in found if f["t"] not in matched_f]
    out["wrong"] = []
    for f, g in pairs:
        bad = [k for k, c in checks.items() if not c(f, g)]
        if bad:
            got = {"value": f.get("value") or (f.get("min"), f.get("max")), "unit": f.get("unit"),
                   "comparator": f.get("comparator"), "deadline": f.get("deadline")}
            want = {"value": g["value"] if g["value"] is not None else (g["value_min"], g["value_max"]),
                    "unit": g["unit"], "comparator": g["comparator"], "deadline": g["deadline"]}
            out["wrong"].append(f"{g['id']} {fold(g['text'])}: " + ", ".join(f"{k} {got[k]!r}≠{want[k]!r}" for k in bad))
    return out


# --------------------------------------------------------------------------- entities and relations

def entity_nodes(dg: DocGraph) -> dict[str, dict]:
    """Entity nodes the text names (see the module docstring), with their labels and classes."""
    values = " ".join(f"pk:{c}" for c in ENTITY_CLASSES)
    rows = dg.select(f"""
        SELECT ?e ?cls ?label WHERE {{
          VALUES ?cls {{ {values} }}
          ?e a ?cls .
          FILTER EXISTS {{ {{ ?m pk:mentionOf ?e }} UNION {{ ?d pk:issuer ?e }} UNION {{ ?s pk:responsibleUnit ?e }}
                          UNION {{ ?s pk:reliesOn|pk:focusesOn|pk:builds ?e }} }}
          OPTIONAL {{ ?e rdfs:label|skos:altLabel|skos:prefLabel ?label }}
        }}""")
    nodes: dict[str, dict] = {}
    for r in rows:
        n = nodes.setdefault(r["e"], {"labels": set(), "types": set()})
        n["types"].add(r["cls"].rsplit("#", 1)[-1])
        if "label" in r:
            n["labels"].add(r["label"])
    return nodes


def _names(e: dict) -> set[str]:
    return {fold(x) for x in [e["name"], *e.get("aliases", []), *([e["canonical_name"]] if e.get("canonical_name") else [])]}


def measure_entities(dg: DocGraph, gold: dict, nodes: dict[str, dict]) -> dict:
    gents = gold["entities"]
    names = [_names(e) for e in gents]
    matched_nodes, matched_gold, typed_right, wrong_type = set(), set(), 0, []
    for iri, n in nodes.items():
        hits = [j for j, ns in enumerate(names) if ns & n["labels"]]
        if hits:
            matched_nodes.add(iri)
            matched_gold.update(hits)
            want = EG.GOLD_TYPE_ALIASES.get(gents[hits[0]]["type"], {gents[hits[0]]["type"]})
            if want & n["types"]:
                typed_right += 1
            else:
                wrong_type.append(f"{fold(gents[hits[0]]['name'])}: {'/'.join(sorted(n['types']))} ≠ {gents[hits[0]]['type']}")
    out = prf(len(matched_nodes), len(nodes), len(matched_gold), len(gents))
    out["type"] = share(typed_right, len(matched_nodes))
    out["missed"] = [f"{e['type']} {fold(e['name'])}" for j, e in enumerate(gents) if j not in matched_gold]
    out["spurious"] = sorted(f"{'/'.join(sorted(n['types']))} {min(n['labels'], key=len) if n['labels'] else iri}"
                             for iri, n in nodes.items() if iri not in matched_nodes)
    out["wrong"] = wrong_type
    return out


def measure_relations(dg: DocGraph, gold: dict, nodes: dict[str, dict]) -> dict:
    labels_of = {iri: n["labels"] for iri, n in nodes.items()}
    names = {fold(e["name"]): _names(e) for e in gold["entities"]}
    found = []
    for kind in RELATION_KINDS:
        rows = dg.select(f"SELECT DISTINCT ?path ?e WHERE {{ ?s pk:{kind} ?e ; pk:path ?path }}")
        found += [(r["path"], kind, r["e"]) for r in rows]
    want = {(p, kind, fold(n)) for kind in RELATION_KINDS for p, n in gold["relations"].get(kind, [])}
    hit_f, hit_g = set(), set()
    for p, kind, e in found:
        for gp, gk, gn in want:
            if gp == p and gk == kind and names.get(gn, {gn}) & labels_of.get(e, set()):
                hit_f.add((p, kind, e))
                hit_g.add((gp, gk, gn))
    out = prf(len(hit_f), len(found), len(hit_g), len(want))
    for kind in RELATION_KINDS:
        kf = [x for x in found if x[1] == kind]
        kw = [x for x in want if x[1] == kind]
        out[kind] = prf(sum(1 for x in kf if x in hit_f), len(kf), sum(1 for x in kw if x in hit_g), len(kw))
    out["missed"] = sorted(f"{p} {k} {n}" for p, k, n in want - hit_g)
    out["spurious"] = sorted(f"{p} {k} {min(labels_of.get(e) or {e}, key=len)}" for p, k, e in found
                             if (p, k, e) not in hit_f)
    return out


# --------------------------------------------------------------------------- driver

def evaluate_document(kg, path: Path, gold: dict) -> dict:
    g = graph_of(kg, path.name)
    if g is None:
        raise SystemExit(f"{path.name} is not in the store (did its ingest fail?)")
    dg = DocGraph(kg, g)
    nodes = entity_nodes(dg)
    return {
        "metadata": measure_metadata(dg, gold),
        "sections": measure_sections(dg, gold),
        "actions": measure_actions(dg, gold),
        "targets": measure_targets(dg, gold),
        "entities": measure_entities(dg, gold, nodes),
        "relations": measure_relations(dg, gold, nodes),
    }


def _sum_prf(items: list[dict]) -> dict:
    return prf(sum(x["tp_found"] for x in items), sum(x["found"] for x in items),
               sum(x["matched"] for x in items), sum(x["gold"] for x in items))


def _sum_share(items: list[dict]) -> dict:
    return share(sum(x["right"] for x in items), sum(x["of"] for x in items))


def overall(per_doc: dict[str, dict]) -> dict:
    docs = list(per_doc.values())
    return {
        "metadata": _sum_share([d["metadata"] for d in docs]),
        "sections": _sum_prf([d["sections"] for d in docs]),
        "actions": {"exact_units": _sum_share([d["actions"]["exact_units"] for d in docs]),
                    "exact_roles": _sum_share([d["actions"]["exact_roles"] for d in docs]),
                    "unit_pairs": _sum_prf([d["actions"]["unit_pairs"] for d in docs])},
        "targets": {**_sum_prf([d["targets"] for d in docs]),
                    **{k: _sum_share([d["targets"][k] for d in docs]) for k in ("value", "unit", "comparator", "deadline")},
                    "strict": _sum_prf([d["targets"]["strict"] for d in docs])},
        "entities": {**_sum_prf([d["entities"] for d in docs]), "type": _sum_share([d["entities"]["type"] for d in docs])},
        "relations": {**_sum_prf([d["relations"] for d in docs]),
                      **{k: _sum_prf([d["relations"][k] for d in docs]) for k in RELATION_KINDS}},
    }


def evaluate(data: Path = DEFAULT_DATA, only: str | None = None, store: Path | None = None) -> dict:
    """Ingest every annotated document of ``data`` into a fresh store and measure each one."""
    from policykg import KnowledgeGraph

    docs = load_annotations(data, only)
    with tempfile.TemporaryDirectory(prefix="policykg-realistic-") as tmp:
        path = store or Path(tmp) / "store"
        with KnowledgeGraph(path) as kg:
            t0 = time.perf_counter()
            reports = kg.ingest([p for p, _ in docs], force=True)
            seconds = time.perf_counter() - t0
            bad = [r for r in reports if not r.ok]
            if bad:
                raise SystemExit(f"ingest failed: {bad[0].error}")
            per_doc = {p.name: evaluate_document(kg, p, g) for p, g in docs}
    return {"documents": per_doc, "overall": overall(per_doc), "ingest_seconds": round(seconds, 3)}


# --------------------------------------------------------------------------- report

def _f(m: dict) -> str:
    return "-" if not m["found"] and not m["gold"] else f"{m['f1']:.2f}"  # nothing stated, nothing found


def _s(m: dict) -> str:
    return f"{m['right']}/{m['of']}"


ROW = "{:<34} {:>6} {:>5} {:>6} {:>6} {:>5} {:>6} {:>6} {:>6} {:>5} {:>5}"
HEAD = ROW.format("document", "meta", "sect", "units", "roles", "upair", "tgtF1", "strict", "ent", "type", "rel")


def _row(name: str, d: dict) -> str:
    return ROW.format(name[:34], _s(d["metadata"]), _f(d["sections"]), _s(d["actions"]["exact_units"]),
                      _s(d["actions"]["exact_roles"]), _f(d["actions"]["unit_pairs"]), _f(d["targets"]),
                      _f(d["targets"]["strict"]), _f(d["entities"]), f"{d['entities']['type']['share']:.2f}",
                      _f(d["relations"]))


def render(fig: dict, details: bool) -> str:
    lines = [f"policykg on the realistic documents — {len(fig['documents'])} documents, ingest {fig['ingest_seconds']:.2f}s",
             "", HEAD]
    for name, d in fig["documents"].items():
        lines.append(_row(name.rsplit(".", 1)[0], d))
    lines += ["-" * len(HEAD), _row("overall", fig["overall"]), ""]
    o = fig["overall"]
    lines.append("columns: meta = metadata fields right; sect = F1 of (path, heading); units/roles = actions with "
                 "exactly the annotated units / lead+support roles; upair = F1 of (section, unit); tgtF1 = targets "
                 "F1; strict = targets F1 counting only value+unit+comparator+deadline right; ent = entities F1; "
                 "type = share of matched entities typed right; rel = F1 of (section, relation, entity)")
    lines.append("")
    lines.append(f"overall  metadata {_s(o['metadata'])} ({o['metadata']['share']:.3f})   sections F1 {o['sections']['f1']:.3f}")
    a = o["actions"]
    lines.append(f"         actions exact units {_s(a['exact_units'])} ({a['exact_units']['share']:.3f}), exact roles "
                 f"{_s(a['exact_roles'])} ({a['exact_roles']['share']:.3f}), unit pairs F1 {a['unit_pairs']['f1']:.3f}")
    t = o["targets"]
    lines.append(f"         targets P {t['precision']:.3f} R {t['recall']:.3f} F1 {t['f1']:.3f}; of matched: value "
                 f"{t['value']['share']:.3f}, unit {t['unit']['share']:.3f}, comparator {t['comparator']['share']:.3f}, "
                 f"deadline {t['deadline']['share']:.3f}; strict F1 {t['strict']['f1']:.3f}")
    e = o["entities"]
    lines.append(f"         entities P {e['precision']:.3f} R {e['recall']:.3f} F1 {e['f1']:.3f}, type {e['type']['share']:.3f}")
    r = o["relations"]
    lines.append(f"         relations P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f} (" +
                 ", ".join(f"{k} {r[k]['f1']:.2f}" for k in RELATION_KINDS) + ")")
    if details:
        for name, d in fig["documents"].items():
            lines += ["", f"== {name}"]
            bad_md = [k for k, ok in d["metadata"]["fields"].items() if not ok]
            if bad_md:
                lines.append(f"  metadata wrong: {', '.join(bad_md)}")
            for area in ("sections", "actions", "targets", "entities", "relations"):
                for kind in ("missed", "spurious", "wrong"):
                    items = d[area].get(kind) or []
                    if items:
                        lines.append(f"  {area} {kind} ({len(items)}):")
                        lines += [f"    {x}" for x in items]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="folder of NN-name.txt + NN-name.json pairs")
    ap.add_argument("--only", default=None, help="only the documents whose file name contains this")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--details", action="store_true", help="list missed, spurious and wrong items per document")
    args = ap.parse_args(argv)
    fig = evaluate(Path(args.data), args.only)
    if args.json:
        print(json.dumps(fig, ensure_ascii=False, indent=2, default=sorted))
    else:
        print(render(fig, args.details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
