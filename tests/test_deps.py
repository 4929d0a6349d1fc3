"""Dependency tracing (policykg deps) and entity lookup: what depends on what, and why."""

from __future__ import annotations

import csv
import io
import json

import pytest
import rdflib
from test_queries import PLATFORM, PUTUO_KEWEI, build_small_graph

from policykg.errors import Ambiguous, NotFound, QueryError
from policykg.graph.deps import OWNERSHIP_RULES, RULES, dependencies
from policykg.graph.lookup import entity_card, owners_of, resolve_entity, search_entities, unit_portfolio
from policykg.ontology import ontology_ttl

from helpers import fold, run_cli

JINGAN_KEWEI = "https://w3id.org/policykg/id/org/上海市静安区科学技术委员会"
PUTUO_DATA_CENTRE = "https://w3id.org/policykg/id/org/上海市普陀区大数据中心"
DOC_A = "https://w3id.org/policykg/id/doc/普府办-2023-5"
DOC_C = "https://w3id.org/policykg/id/doc/普府办-2023-7"


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("deps") / "store"
    build_small_graph(store).close()
    return store


@pytest.fixture(scope="module")
def small_kg(small_store):
    from policykg import KnowledgeGraph

    with KnowledgeGraph(small_store, read_only=True) as kg:
        yield kg


def by_depth(result) -> dict[int, set[tuple[str, str]]]:
    """{depth: {(node name, edge label)}} of a traversal."""
    out: dict[int, set] = {}
    for p in result.paths:
        out.setdefault(p.depth, set()).add((result.name(p.node), p.steps[-1].label))
    return out


def csv_rows(proc) -> list[dict]:
    return list(csv.DictReader(io.StringIO(proc.stdout.decode("utf-8"))))


# ---------------------------------------------------------------- the model is the ontology's


def test_deps_rules_are_declared_in_the_ontology():
    g = rdflib.Graph().parse(data=ontology_ttl(), format="turtle")
    pk = rdflib.Namespace("https://w3id.org/policykg/ontology#")
    sub = rdflib.RDFS.subPropertyOf
    depends = set(g.transitive_subjects(sub, pk.dependsOn))
    chains = {s: list(rdflib.collection.Collection(g, o)) for s, o in g.subject_objects(rdflib.OWL.propertyChainAxiom)}
    for rule in RULES:
        term = rdflib.URIRef(rule.predicate)
        if rule.key == "partOf":  # a section depends on its parent's lead unit: a property chain
            assert chains[pk.dependsOn] == [term, pk.leadUnit]
        else:
            assert term in depends, f"{rule.predicate} is not a sub-property of pk:dependsOn"
            assert {lit.language for lit in g.objects(term, rdflib.RDFS.label)} == {"en", "zh"}
    assert chains[pk.ownedBy] == [pk.builtBy, pk.responsibleUnit]
    assert (pk.builtBy, rdflib.OWL.inverseOf, pk.builds) in g
    assert {lit.language for lit in g.objects(pk.builtBy, rdflib.RDFS.label)} == {"en", "zh"}


# ---------------------------------------------------------------- the sample (done when)


def test_deps_sample_unit_down_depth_1_lists_its_gold_actions(sample_store, gold):
    proc = run_cli("deps", "区科委", "--direction", "down", "--depth", "1", "--format", "csv",
                   "--store", str(sample_store), check=True)
    got = {r["name"].split()[0] for r in csv_rows(proc)}
    owns = set(next(o["owns"] for o in gold["ownership"] if o["unit"] == "区科委" and "owns" in o))
    leads = {s for o in gold["ownership"] if o["unit"] == "区科委" for s in o.get("leads", [])}
    assert got == owns | leads  # the eight actions of its notes and 二、(一), which 三(一) says it leads
    assert all(r["depth"] == "1" and r["parent_name"] == "区科委" for r in csv_rows(proc))
    tree = run_cli("deps", "区科委", "--depth", "1", "--store", str(sample_store), check=True).stdout.decode()
    assert tree.splitlines()[0] == "区科委  (GovernmentBody · 上海市普陀区科学技术委员会)"
    assert "├── 2.1.1 智能软件新产能  (Action)  —responsibility of→ 区科委" in tree


def test_deps_sample_deeper_levels_add_targets_built_things_and_led_parts(sample_kg, gold):
    owns = next(o["owns"] for o in gold["ownership"] if o["unit"] == "区科委" and "owns" in o)
    leads = [s for o in gold["ownership"] if o["unit"] == "区科委" for s in o.get("leads", [])]
    result = dependencies(sample_kg, "区科委", "down", 3)
    level2 = {(result.nodes[p.node]["type"], result.name(p.node), p.steps[-1].rule) for p in result.paths
              if p.depth == 2}
    targets = {name for t, name, rule in level2 if rule == "statedIn"}
    assert targets == {fold(t["text"]) for t in gold["targets"] if t["section"] in owns}
    parts = {name.split()[0] for t, name, rule in level2 if rule == "partOf"}
    assert parts == {s["id"] for s in gold["sections"] if s["parent"] in leads} - set(owns)
    built = {name for t, name, rule in level2 if rule == "builtBy"}
    rows = sample_kg.query("SELECT ?x ?unit WHERE { GRAPH ?g { ?s pk:builds ?t ; pk:responsibleUnit ?u . ?t rdfs:label ?x . "
                           "?u skos:prefLabel ?unit } }", params={"unit": "上海市普陀区科学技术委员会"})
    assert built == set(rows.column("x"))
    assert built >= {fold(b) for a in gold["actions"] if a["id"] in owns for b in a["builds"]}
    # depth 3: the targets of the parts it leads
    level3 = {result.name(p.node) for p in result.paths if p.depth == 3 and p.steps[-1].rule == "statedIn"}
    assert level3 == {fold(t["text"]) for t in gold["targets"] if t["section"] in parts}


# ---------------------------------------------------------------- the traversal, on a graph of our own


def test_deps_down_from_a_unit_goes_actions_then_targets_then_built_things(small_kg):
    result = dependencies(small_kg, PUTUO_KEWEI, "down", 3)
    assert by_depth(result) == {
        1: {("2.1 数据汇聚", "led by"), ("2.1.1 数据归集", "responsibility of"), ("2.2.1 数据开放", "responsibility of"),
            ("1.1.1 场景推广", "responsibility of")},
        2: {("公共数据归集率达到95%", "stated in"), ("开放数据集2000—3000个", "stated in"),
            ("公共数据归集率达到99%", "stated in"), ("2.1.2 数据目录", "part of")},
        3: {("普陀区公共数据平台", "built by")},
    }
    platform = next(p for p in result.paths if p.node == PLATFORM)
    assert result.explain(platform) == "普陀区公共数据平台 —built by→ 2.1.2 数据目录 —part of→ 2.1 数据汇聚 —led by→ 区科委"
    assert [p.depth for p in result.paths] == sorted(p.depth for p in result.paths)
    assert not result.truncated


def test_deps_down_from_a_platform_reaches_what_relies_on_it(small_kg):
    result = dependencies(small_kg, "普陀区公共数据平台", "down", 2)
    assert by_depth(result) == {
        1: {("2.2.1 数据开放", "relies on"), ("1.1.1 场景推广", "relies on")},
        2: {("开放数据集2000—3000个", "stated in"), ("公共数据归集率达到99%", "stated in")},
    }


def test_deps_up_from_a_target_explains_who_answers_for_it(small_kg):
    t1 = f"{DOC_A}/t/x1"
    result = dependencies(small_kg, t1, "up", 4)
    assert [result.explain(p) for p in result.paths] == [
        "公共数据归集率达到95% —stated in→ 2.1.1 数据归集",
        "公共数据归集率达到95% —stated in→ 2.1.1 数据归集 —part of→ 2.1 数据汇聚",
        "公共数据归集率达到95% —stated in→ 2.1.1 数据归集 —responsibility of→ 区大数据中心",
        "公共数据归集率达到95% —stated in→ 2.1.1 数据归集 —responsibility of→ 区科委",
    ]
    assert {p.direction for p in result.paths} == {"up"}


def test_deps_both_directions_tag_each_path(small_kg):
    result = dependencies(small_kg, "数据目录", "both", 1)
    assert {(p.direction, result.name(p.node), p.steps[-1].label) for p in result.paths} == {
        ("down", "普陀区公共数据平台", "built by"), ("up", "区大数据中心", "responsibility of"),
        ("up", "2.1 数据汇聚", "part of")}
    tree = result.tree()
    assert "↓ what depends on it (depth 1): 1 node" in tree and "↑ what it depends on (depth 1): 2 nodes" in tree
    assert "区大数据中心  (GovernmentBody)  ←responsibility of— 2.1.2" in tree


def test_deps_only_led_parents_pass_dependency_down(small_kg):
    """2.2 has no lead unit, so 2.2.x do not depend on it; 2.1 has one, so 2.1.x do."""
    up_221 = dependencies(small_kg, f"{DOC_A}/plan/s/2.2.1", "up", 3)
    assert {up_221.name(p.node) for p in up_221.paths} == {"区科委", "普陀区公共数据平台", "2.1.2 数据目录",
                                                             "区大数据中心", "2.1 数据汇聚"}
    assert "2.2 数据应用" not in {up_221.name(p.node) for p in up_221.paths}


def test_deps_stops_at_the_node_limit(small_kg):
    result = dependencies(small_kg, PUTUO_KEWEI, "down", 3, max_nodes=3)
    assert result.truncated and len(result.paths) == 2
    assert "stopped early" in result.tree()


@pytest.mark.parametrize("kwargs,message", [
    ({"direction": "sideways"}, "direction must be one of down, up, both"),
    ({"depth": 0}, "depth must be a whole number of at least 1"),
    ({"rules": ["likes"]}, "Unknown dependency rule 'likes'"),
])
def test_deps_rejects_bad_arguments(small_kg, kwargs, message):
    with pytest.raises(QueryError, match=message):
        dependencies(small_kg, PUTUO_KEWEI, **kwargs)


# ---------------------------------------------------------------- naming the entity


@pytest.mark.parametrize("ref,iri,match", [
    ("上海市静安区科学技术委员会", JINGAN_KEWEI, "exact"),
    (JINGAN_KEWEI, JINGAN_KEWEI, "iri"),
    ("静安科委", JINGAN_KEWEI, "tokens"),
    ("公共数据平台", PLATFORM, "exact"),
    ("公共数据", PLATFORM, "prefix"),
    ("普陀区大数据", PUTUO_DATA_CENTRE, "substring"),
])
def test_lookup_resolves_names_full_names_aliases_iris_and_search_terms(small_kg, ref, iri, match):
    hit = resolve_entity(small_kg, ref)
    assert (hit.iri, hit.match) == (iri, match)


def test_lookup_ambiguous_names_carry_their_candidates(small_kg):
    with pytest.raises(Ambiguous) as e:
        resolve_entity(small_kg, "区科委")
    assert {c["iri"] for c in e.value.candidates} == {PUTUO_KEWEI, JINGAN_KEWEI}
    assert {c["full_name"] for c in e.value.candidates} == {"上海市普陀区科学技术委员会", "上海市静安区科学技术委员会"}
    with pytest.raises(NotFound, match="Nothing in the store is called '区气象局'"):
        resolve_entity(small_kg, "区气象局")
    with pytest.raises(NotFound):
        resolve_entity(small_kg, "https://w3id.org/policykg/id/org/nowhere")


def test_lookup_search_ranks_exact_names_first_and_filters_types(small_kg):
    hits = search_entities(small_kg, "数据")
    assert {h.iri for h in hits} >= {PLATFORM, PUTUO_DATA_CENTRE}
    assert [h.match for h in hits] == sorted((h.match for h in hits), key=["exact", "prefix", "substring"].index)
    assert [h.iri for h in search_entities(small_kg, "数据", types=["Platform"])] == [PLATFORM]
    exact = search_entities(small_kg, "区大数据中心")
    assert [h.match for h in exact[:2]] == ["exact", "exact"] and len(exact) == 2
    assert exact[0].documents == 1 and exact[0].jurisdiction in ("上海市普陀区", "上海市静安区")
    with pytest.raises(QueryError, match="Unknown entity type 'Spaceship'"):
        search_entities(small_kg, "数据", types=["Spaceship"])
    assert search_entities(small_kg, '数据" } UNION { ?s ?p ?o } #') == []


def test_lookup_owners_of_follow_ownership_edges_only(small_kg):
    owners = owners_of(small_kg, PLATFORM)
    assert [(o["label"], o["role"], o["depth"]) for o in owners] == [("区大数据中心", "responsible", 2),
                                                                     ("区科委", "lead", 3)]
    assert owners[1]["explanation"] == "普陀区公共数据平台 —built by→ 2.1.2 数据目录 —part of→ 2.1 数据汇聚 —led by→ 区科委"
    assert owners_of(small_kg, f"{DOC_A}/t/x2") == []  # the goal's target: nobody answers for it
    relier = owners_of(small_kg, f"{DOC_C}/plan/s/1.1.1")  # relies on the platform, but does not own it
    assert {o["label"] for o in relier} == {"区科委", "区民政局"}
    assert "reliesOn" not in OWNERSHIP_RULES


def test_lookup_entity_card_shows_names_documents_and_links(small_kg):
    card = entity_card(small_kg, "公共数据平台")
    assert (card["iri"], card["type"], card["label"]) == (PLATFORM, "Platform", "普陀区公共数据平台")
    assert set(card["names"]) == {"普陀区公共数据平台", "公共数据平台"}
    assert [d["doc_number"] for d in card["documents"]] == ["普府办〔2023〕5号", "普府办〔2023〕7号"]
    assert sorted((link["label"], link["name"]) for link in card["incoming"]) == [
        ("builds", "2.1.2 数据目录"), ("focuses on", "2.2.2 数据安全"), ("relies on", "1.1.1 场景推广"),
        ("relies on", "2.2.1 数据开放")]
    unit = entity_card(small_kg, PUTUO_DATA_CENTRE)
    assert unit["mentions"] == 2 and unit["jurisdiction"] == "上海市普陀区"
    assert {link["name"] for link in unit["incoming"] if link["label"] == "responsible unit"} == \
        {"2.1.1 数据归集", "2.1.2 数据目录"}


def test_lookup_unit_portfolio_runs_the_named_query_for_one_unit(small_kg):
    got = unit_portfolio(small_kg, "上海市普陀区大数据中心")
    assert [(r["path"], r.get("item", "")) for r in got] == [("2.1.1", "公共数据归集率达到95%"),
                                                             ("2.1.2", "普陀区公共数据平台")]


# ---------------------------------------------------------------- the command


def test_deps_cli_lists_candidates_and_exits_2_when_ambiguous(small_store):
    proc = run_cli("deps", "区科委", "--store", str(small_store))
    assert proc.returncode == 2 and proc.stdout == b""
    err = proc.stderr.decode().splitlines()
    assert err[0] == "error: '区科委' matches 2 things; name one by its IRI or a fuller name."
    assert [line.split(". ", 1)[0].strip() for line in err[1:3]] == ["1", "2"]
    assert err[-1] == "choose one with --pick N, or give its IRI."
    second = err[2].split("<")[-1].rstrip(">")
    picked = run_cli("deps", "区科委", "--pick", "2", "--depth", "1", "--format", "json", "--store", str(small_store),
                     check=True)
    assert json.loads(picked.stdout)["root"]["iri"] == second


def test_deps_cli_formats_explain_each_path(small_store):
    js = json.loads(run_cli("deps", PLATFORM, "--direction", "up", "--depth", "3", "--format", "json",
                            "--store", str(small_store), check=True).stdout)
    assert js["root"]["iri"] == PLATFORM and js["direction"] == "up"
    deepest = max(js["paths"], key=lambda p: p["depth"])
    assert [e["label"] for e in deepest["edges"]] == ["built by", "part of", "led by"]
    assert [e["label_zh"] for e in deepest["edges"]] == ["建设方", "隶属", "牵头单位"]
    rows = csv_rows(run_cli("deps", PLATFORM, "--direction", "up", "--format", "csv", "--store", str(small_store),
                            check=True))
    assert [(r["depth"], r["name"], r["edge"], r["parent_name"]) for r in rows] == [
        ("1", "2.1.2 数据目录", "built by", "普陀区公共数据平台"), ("2", "2.1 数据汇聚", "part of", "2.1.2 数据目录"),
        ("2", "区大数据中心", "responsibility of", "2.1.2 数据目录"), ("3", "区科委", "led by", "2.1 数据汇聚")]


def test_deps_cli_unknown_name_is_one_sentence_and_exit_1(small_store, tmp_path):
    proc = run_cli("deps", "区气象局", "--store", str(small_store))
    assert proc.returncode == 1
    assert proc.stderr.decode().count("\n") == 1 and proc.stderr.decode().startswith("error: Nothing in the store")
    assert run_cli("deps", "区科委", "--depth", "0", "--store", str(small_store)).returncode == 2
    missing = run_cli("deps", "区科委", "--store", str(tmp_path / "none"))
    assert missing.returncode == 1 and "no store" in missing.stderr.decode()


def test_deps_cli_finds_a_section_by_its_title(sample_store, gold):
    action = next(a for a in gold["actions"] if len(a["responsible_units"]) > 1)
    up = run_cli("deps", fold(action["title"]), "--direction", "up", "--depth", "1", "--format", "csv",
                 "--store", str(sample_store), check=True)
    got = csv_rows(up)
    assert {r["name"] for r in got if r["edge"] != "part of"} == {fold(u) for u in action["responsible_units"]}
    assert {r["parent_name"] for r in got} == {f"{action['id']} {fold(action['title'])}"}
