"""The networkx projection (full, dependencies, co-responsibility) and `policykg stats`."""

from __future__ import annotations

import io
import json
from itertools import combinations

import networkx as nx
import pytest
from test_queries import PLATFORM, PUTUO_KEWEI, build_small_graph

from policykg.errors import QueryError
from policykg.graph.network import unit_reach

from helpers import fold, run_cli

DOC_A = "https://w3id.org/policykg/id/doc/普府办-2023-5"


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("network") / "store"
    build_small_graph(store).close()
    return store


@pytest.fixture(scope="module")
def small_kg(small_store):
    from policykg import KnowledgeGraph

    with KnowledgeGraph(small_store, read_only=True) as kg:
        yield kg


def _section(g, doc, path):
    return next(n for n, a in g.nodes(data=True) if a.get("path") == path and a["document"] == doc)


def test_network_full_view_has_typed_labelled_nodes_and_edges(small_kg):
    g = small_kg.to_networkx()
    assert isinstance(g, nx.MultiDiGraph)
    for n, a in g.nodes(data=True):
        assert a["label"] and a["type"] and a["document"].startswith("https://"), n
        assert None not in a.values()
    for _, _, d in g.edges(data=True):
        assert d["label"] and d["predicate"].startswith("http") and None not in d.values()
    assert {a["type"] for _, a in g.nodes(data=True)} >= {"PolicyDocument", "Section", "Action", "Goal", "Target",
                                                           "GovernmentBody", "Platform"}
    s21 = _section(g, DOC_A, "2.1")
    # a lead unit is also a responsible unit; the projection keeps the specific edge only
    to_kewei = [(k, d["label"], d["label_zh"]) for _, v, k, d in g.out_edges(s21, keys=True, data=True)
                if v == PUTUO_KEWEI]
    assert to_kewei == [("leadUnit", "lead unit", "牵头单位")]
    s212 = _section(g, DOC_A, "2.1.2")
    assert g.has_edge(s212, PLATFORM, key="builds") and g.edges[s212, PLATFORM, "builds"]["label"] == "builds"
    assert g.nodes[PLATFORM]["documents"] == 2 and len(g.nodes[PLATFORM]["document"].split()) == 2
    assert g.nodes[f"{DOC_A}/t/x1"]["deadline"] == "2023-12-31"
    assert not any(a["type"] == "Mention" for _, a in g.nodes(data=True))


@pytest.mark.parametrize("writer,reader", [(nx.write_graphml, nx.read_graphml), (nx.write_gexf, nx.read_gexf)])
def test_network_views_write_to_graphml_and_gexf(small_kg, writer, reader):
    for view in ("full", "dependencies", "co-responsibility"):
        g = small_kg.to_networkx(view=view)
        buf = io.BytesIO()
        writer(g, buf)
        buf.seek(0)
        back = reader(buf)
        assert back.number_of_nodes() == g.number_of_nodes() and back.number_of_edges() == g.number_of_edges()


def test_network_dependency_view_follows_the_rules(small_kg):
    g = small_kg.to_networkx(view="dependencies")
    keys = {k for _, _, k in g.edges(keys=True)}
    assert keys == {"statedIn", "leadUnit", "responsibleUnit", "reliesOn", "builtBy", "partOf"}
    part_of = {(g.nodes[u]["path"], g.nodes[v]["path"]) for u, v, k in g.edges(keys=True) if k == "partOf"}
    assert part_of == {("2.1.1", "2.1"), ("2.1.2", "2.1")}  # only 2.1 states a lead unit
    assert g.has_edge(PLATFORM, _section(g, DOC_A, "2.1.2"), key="builtBy")
    assert nx.descendants(g, f"{DOC_A}/t/x1") >= {PUTUO_KEWEI}


def test_network_documents_restrict_the_projection(small_kg):
    g = small_kg.to_networkx(documents=[DOC_A])
    assert {d for _, a in g.nodes(data=True) for d in a["document"].split()} == {DOC_A}
    with pytest.raises(QueryError, match="no networkx view 'tree'"):
        small_kg.to_networkx(view="tree")


def test_network_co_responsibility_on_the_sample_is_the_gold_network(sample_kg, gold):
    g = sample_kg.to_networkx(view="co-responsibility")
    pairs = {frozenset(p) for a in gold["actions"] for p in combinations({fold(u) for u in a["responsible_units"]}, 2)}
    assert {frozenset((g.nodes[a]["label"], g.nodes[b]["label"])) for a, b in g.edges} == pairs
    kewei = next(n for n, a in g.nodes(data=True) if a["label"] == "区科委")
    assert g.degree(kewei) == 7 and g.nodes[kewei]["sections"] >= 8
    reach = unit_reach(sample_kg, top=3)
    assert reach[0]["label"] == "区科委" and reach[0]["degree"] == 7
    assert [r["betweenness"] for r in reach] == sorted((r["betweenness"] for r in reach), reverse=True)
    expected = nx.betweenness_centrality(g)[kewei]
    assert reach[0]["betweenness"] == pytest.approx(expected, abs=1e-4)


def test_network_stats_cli_counts_reach_and_orphans(small_store):
    out = run_cli("stats", "--store", str(small_store), check=True).stdout.decode()
    counts = dict(item.split(": ") for item in out.splitlines()[0].split("  "))
    entities = int(counts.pop("entities"))
    assert counts == {"documents": "3", "sections": "16", "actions": "7", "targets": "4", "units": "7"}
    assert entities >= 12  # 7 units, 2 issuers, 2 addressee groups, 1 platform, and what extraction finds
    assert "orphan targets (no responsible unit in their section or above it): 1" in out
    assert "普府办〔2023〕5号 1.1  数据质量合格率超过90%" in out
    js = json.loads(run_cli("stats", "--format", "json", "--top", "2", "--store", str(small_store),
                            check=True).stdout)
    assert js["counts"]["targets"] == 4 and len(js["reach"]) == 2
    assert js["reach"][0]["iri"] == PUTUO_KEWEI and js["reach"][0]["degree"] == 2
    assert [r["clause"] for r in js["orphan_targets"]["examples"]] == ["数据质量合格率超过90%"]
