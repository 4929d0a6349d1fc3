"""Exports, read back with the real tools: rdflib, networkx, xmllint against the official
GraphML and GEXF schemas, Graphviz's dot, openpyxl — and counted against the store."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from helpers import run_cli, shared_dir

from policykg.errors import ExportError

PK = "https://w3id.org/policykg/ontology#"
VIZ = "http://gexf.net/1.3/viz"

EVIL_TEXT = """<script>alert(1)</script>

一、重点任务

1. =HYPERLINK("http://evil.example")数据归集。推进"归集"。（责任单位：区科委、区民政局）
2. @SUM(1+1) 平台\\建设<img src=x onerror=alert(2)>。建设平台。（责任单位：区民政局）
3. -1+2 任务。到2025年，建成10个平台。（牵头单位：区科委；配合单位：区民政局）
"""
"""A document whose labels try script injection, formula injection and every quoting character."""


def require_tool(name: str) -> str:
    """The path of a system tool; a missing tool fails the test when POLICYKG_REQUIRE_TOOLS=1 (CI), else skips."""
    path = shutil.which(name)
    if path is None:
        msg = f"{name} is not installed (apt-get install {'libxml2-utils' if name == 'xmllint' else name})"
        if os.environ.get("POLICYKG_REQUIRE_TOOLS") == "1":
            pytest.fail(msg + "; POLICYKG_REQUIRE_TOOLS=1 requires it")
        pytest.skip(msg)
    return path


@pytest.fixture(scope="module")
def evil_kg():
    from policykg import KnowledgeGraph

    with KnowledgeGraph(None) as kg:
        kg.ingest_text(EVIL_TEXT, source="evil.txt")
        yield kg


@pytest.fixture(scope="module")
def projection(sample_kg) -> nx.MultiDiGraph:
    return sample_kg.to_networkx()


def count(kg, sparql: str) -> int:
    return int(kg.query(sparql)[0]["n"])


def store_quads(kg) -> set[tuple]:
    """Every quad of the store as rdflib terms."""
    import rdflib

    def term(t):
        from pyoxigraph import Literal, NamedNode

        if isinstance(t, NamedNode):
            return rdflib.URIRef(t.value)
        if isinstance(t, Literal):
            if t.language:
                return rdflib.Literal(t.value, lang=t.language)
            return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))
        return rdflib.BNode(t.value)

    res = kg.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", limit=10**9)
    return {(term(r["s"]), term(r["p"]), _lexical(term(r["o"])), term(r["g"])) for r in res.rows}


def _lexical(o):
    """Compare literals by lexical form and datatype (rdflib normalises some values on parse)."""
    import rdflib

    if isinstance(o, rdflib.Literal):
        dt = str(o.datatype or "")
        return ("literal", str(o), "" if dt == str(rdflib.XSD.string) else dt, o.language or "")
    return o


# ---------------------------------------------------------------- RDF


@pytest.mark.parametrize("fmt,rdflib_format", [("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")])
def test_export_rdf_dataset_formats_hold_every_quad_of_the_store(sample_kg, fmt, rdflib_format):
    import rdflib

    ds = rdflib.Dataset()
    ds.parse(data=sample_kg.export(fmt), format=rdflib_format)
    got = {(s, p, _lexical(o), g) for s, p, o, g in ds.quads((None, None, None, None))}
    want = store_quads(sample_kg)
    assert len(want) == sample_kg.count()
    assert got == want


def test_export_turtle_is_the_union_of_the_document_graphs(sample_kg):
    import rdflib

    g = rdflib.Graph().parse(data=sample_kg.export("ttl"), format="turtle")
    want = {(s, p, o) for s, p, o, _ in store_quads(sample_kg)}
    assert {(s, p, _lexical(o)) for s, p, o in g} == want


def test_export_jsonld_context_gives_short_terms_for_pk(sample_kg):
    doc = json.loads(sample_kg.export("jsonld"))
    ctx = doc["@context"]
    assert ctx["pk"] == PK
    assert ctx["responsibleUnit"] == {"@id": "pk:responsibleUnit", "@type": "@id"}
    assert ctx["Action"] == "pk:Action"
    graphs = {g["@id"] for g in doc["@graph"]}
    assert graphs == {"pkid:" + d.split("/id/", 1)[1] for d in sample_kg.documents()}
    actions = [n for g in doc["@graph"] for n in g["@graph"] if "Action" in n.get("@type", [])]
    assert len(actions) == count(sample_kg, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a pk:Action }")


def test_export_rdf_of_a_portfolio_is_only_about_its_nodes(sample_kg):
    import rdflib

    from policykg.graph.export_select import Selection, select

    nodes = set(select(sample_kg, Selection(unit="区科委")).nodes)
    g = rdflib.Graph().parse(data=sample_kg.export("ttl", unit="区科委"), format="turtle")
    subjects = {str(s) for s in g.subjects()}
    assert subjects == nodes
    objects = {str(o) for p, o in g.predicate_objects() if isinstance(o, rdflib.URIRef) and p != rdflib.RDF.type}
    assert objects <= nodes
    unit = "https://w3id.org/policykg/id/org/上海市普陀区科学技术委员会"
    assert (rdflib.URIRef(unit), rdflib.RDFS.label, rdflib.Literal("区科委")) in g


# ---------------------------------------------------------------- GraphML, GEXF


def xmllint(schema: Path, data: bytes, tmp_path: Path, name: str) -> None:
    exe = require_tool("xmllint")
    if not schema.exists():
        pytest.fail(f"the official schema is missing at {schema}; set POLICYKG_SHARED to the shared folder")
    f = tmp_path / name
    f.write_bytes(data)
    proc = subprocess.run([exe, "--nonet", "--noout", "--schema", str(schema), str(f)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "validates" in proc.stderr


SELECTIONS = [{}, {"unit": "区科委"}, {"entity": "区科委", "depth": 2}, {"types": "Action,GovernmentBody"}]


@pytest.mark.parametrize("selection", SELECTIONS, ids=["whole", "unit", "entity", "types"])
def test_export_graphml_validates_and_reads_back_with_networkx(sample_kg, selection, tmp_path):
    from policykg.graph.export_select import Selection, select

    data = sample_kg.export("graphml", **selection)
    xmllint(shared_dir() / "schemas" / "graphml" / "1.0" / "graphml.xsd", data, tmp_path, "g.graphml")
    want = select(sample_kg, Selection.of(**selection))
    g = nx.read_graphml(io.BytesIO(data))
    assert (g.number_of_nodes(), g.number_of_edges()) == (want.number_of_nodes(), want.number_of_edges())
    assert {a["iri"] for _, a in g.nodes(data=True)} == set(want.nodes)
    for _, a in g.nodes(data=True):
        assert a["label"] and a["type"] == want.nodes[a["iri"]]["type"] and a["document"]
    assert all(a["label"] and a["predicate"] for _, _, a in g.edges(data=True))


def test_export_graphml_counts_match_the_store(sample_kg, projection):
    g = nx.read_graphml(io.BytesIO(sample_kg.export("graphml")))
    assert (g.number_of_nodes(), g.number_of_edges()) == (projection.number_of_nodes(), projection.number_of_edges())
    targets = [n for n, a in g.nodes(data=True) if a["type"] == "Target"]
    assert len(targets) == count(sample_kg, "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a pk:Target }") > 0
    leads = [e for e in g.edges(data=True) if e[2]["relation"] == "leadUnit"]
    assert len(leads) == count(sample_kg, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?u "
                                          "WHERE { ?s pk:leadUnit ?u } }")


def strip_viz(data: bytes) -> tuple[bytes, list]:
    """The GEXF without its viz: elements (which the official XSD cannot express), and those elements."""
    from lxml import etree

    root = etree.fromstring(data)
    viz = root.xpath("//v:*", namespaces={"v": VIZ})
    for el in viz:
        el.getparent().remove(el)
    etree.cleanup_namespaces(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8"), viz


@pytest.mark.parametrize("selection", SELECTIONS, ids=["whole", "unit", "entity", "types"])
def test_export_gexf_validates_against_gexf_13_and_viz_types(sample_kg, selection, tmp_path):
    from lxml import etree

    data = sample_kg.export("gexf", **selection)
    root = etree.fromstring(data)
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
    assert root.nsmap["viz"] == VIZ and "name" not in root.find("{http://gexf.net/1.3}graph").attrib
    plain, viz = strip_viz(data)
    xmllint(shared_dir() / "schemas" / "gexf" / "1.3" / "gexf.xsd", plain, tmp_path, "g.gexf")
    nodes = root.findall(".//{http://gexf.net/1.3}node")
    assert len([v for v in viz if v.tag == f"{{{VIZ}}}color"]) == len(nodes)
    assert len([v for v in viz if v.tag == f"{{{VIZ}}}size"]) == len(nodes)
    for v in viz:  # the simple types of viz.xsd
        if v.tag == f"{{{VIZ}}}color":
            assert all(0 <= int(v.get(c)) <= 255 for c in "rgb") and 0.0 <= float(v.get("a")) <= 1.0
        elif v.tag == f"{{{VIZ}}}size":
            assert float(v.get("value")) >= 0
        else:
            pytest.fail(f"unexpected viz element {v.tag}")


def test_export_gexf_colours_by_type_and_sizes_by_degree(sample_kg, projection):
    g = nx.read_gexf(io.BytesIO(sample_kg.export("gexf")), version="1.3")
    assert (g.number_of_nodes(), g.number_of_edges()) == (projection.number_of_nodes(), projection.number_of_edges())
    colours: dict[str, set] = {}
    for n, a in g.nodes(data=True):
        c = a["viz"]["color"]
        colours.setdefault(a["type"], set()).add((c["r"], c["g"], c["b"]))
    assert all(len(c) == 1 for c in colours.values())
    assert len({next(iter(c)) for c in colours.values()}) == len(colours)  # one colour per type
    hub = max(projection, key=projection.degree)
    leaf = min(projection, key=projection.degree)
    assert g.nodes[hub]["viz"]["size"] > g.nodes[leaf]["viz"]["size"]


# ---------------------------------------------------------------- JSON


def test_export_cytoscape_edges_have_ids_and_existing_ends(sample_kg, projection):
    data = json.loads(sample_kg.export("cyjs"))
    nodes = data["elements"]["nodes"]
    edges = data["elements"]["edges"]
    ids = [n["data"]["id"] for n in nodes]
    assert len(ids) == len(set(ids)) == projection.number_of_nodes()
    assert len(edges) == projection.number_of_edges()
    edge_ids = [e["data"]["id"] for e in edges]
    assert len(set(edge_ids)) == len(edges) and not set(edge_ids) & set(ids)
    assert all(e["data"]["source"] in set(ids) and e["data"]["target"] in set(ids) for e in edges)
    assert all(n["data"]["label"] and n["data"]["type"] for n in nodes)


def test_export_node_link_reads_back_as_the_projection(sample_kg, projection):
    g = nx.node_link_graph(json.loads(sample_kg.export("json")), edges="links")
    assert set(g.nodes) == set(projection.nodes)
    assert sorted((s, o, k) for s, o, k in g.edges(keys=True)) == sorted(projection.edges(keys=True))
    assert all(g.nodes[n]["type"] == projection.nodes[n]["type"] for n in g)


# ---------------------------------------------------------------- DOT, SVG, PNG


def dot_svg(data: bytes):
    from lxml import etree

    proc = subprocess.run([require_tool("dot"), "-Tsvg"], input=data, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    return etree.fromstring(proc.stdout)


SVG = {"s": "http://www.w3.org/2000/svg"}


@pytest.mark.parametrize("cluster,clusters", [("document", 1), ("section", 4), ("none", 0)])
def test_export_dot_renders_every_node_and_edge(sample_kg, projection, cluster, clusters):
    svg = dot_svg(sample_kg.export("dot", cluster=cluster))
    assert len(svg.xpath("//s:g[@class='node']", namespaces=SVG)) == projection.number_of_nodes()
    assert len(svg.xpath("//s:g[@class='edge']", namespaces=SVG)) == projection.number_of_edges()
    found = len(svg.xpath("//s:g[@class='cluster']", namespaces=SVG))
    if cluster == "section":  # the document, and one cluster per top-level section (一、二、三)
        tops = count(sample_kg, "SELECT (COUNT(?s) AS ?n) WHERE { ?s a pk:Section ; dcterms:isPartOf ?d . "
                                "?d a pk:PolicyDocument }")
        assert found == 1 + tops and tops >= 3
    else:
        assert found == clusters
    texts = "".join(svg.xpath("//s:text/text()", namespaces=SVG))
    assert "区科委" in texts and "普府办〔2022〕16号" in texts


def test_export_dot_escapes_labels(evil_kg):
    svg = dot_svg(evil_kg.export("dot"))
    texts = [t for t in svg.xpath("//s:text/text()", namespaces=SVG)]
    joined = "".join(texts)
    assert "<script>alert(1)</script>" in joined
    assert '=HYPERLINK("http://evil.example")数据归集' in joined
    assert "平台\\建设" in joined


@pytest.mark.parametrize("fmt,magic", [("svg", b"<svg"), ("png", b"\x89PNG\r\n\x1a\n")])
def test_export_renders_svg_and_png_through_graphviz(sample_kg, fmt, magic):
    require_tool("dot")
    data = sample_kg.export(fmt, unit="区科委")
    assert magic in data[:300]
    if fmt == "svg":
        from lxml import etree

        svg = etree.fromstring(data)
        from policykg.graph.export_select import Selection, select

        n = select(sample_kg, Selection(unit="区科委")).number_of_nodes()
        assert len(svg.xpath("//s:g[@class='node']", namespaces=SVG)) == n


def test_export_svg_without_graphviz_says_how_to_install_it(sample_kg, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ExportError, match=r"Graphviz.*not installed.*apt-get install graphviz"):
        sample_kg.export("svg")


# ---------------------------------------------------------------- Mermaid


def test_export_mermaid_declares_every_node_and_edge_with_escaped_labels(evil_kg):
    from policykg.graph.export_select import select

    g = select(evil_kg)
    text = evil_kg.export("mermaid").decode()
    nodes = re.findall(r'^  (n\d+)\["([^"\n]*)"\]:::(\w+)$', text, re.M)
    edges = re.findall(r'^  (n\d+) -(?:->|\.->)\|"([^"\n]*)"\| (n\d+)$', text, re.M)
    assert len(nodes) == g.number_of_nodes() and len(edges) == g.number_of_edges()
    lines = [ln for ln in text.splitlines()[4:] if not ln.startswith("  classDef")]
    assert len(lines) == len(nodes) + len(edges)  # nothing a label broke out of its quotes
    labels = {re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), lab) for _, lab, _ in nodes}
    assert "<script>alert(1)</script>" in labels
    assert not any(c in lab for _, lab, _ in nodes for c in '<>"`')


# ---------------------------------------------------------------- 任务分工表


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8 Chinese
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(data)).active
    assert ws.title == "任务分工表"
    return [[("" if c.value is None else c.value) for c in row] for row in ws.iter_rows()]


def test_export_task_table_has_one_row_per_action_with_its_units(sample_kg):
    from policykg.graph.export_tasks import HEADER

    rows = read_csv(sample_kg.export("csv"))
    assert tuple(rows[0]) == HEADER == ("序号", "任务", "牵头单位", "配合单位", "目标", "完成时限", "文件", "IRI")
    body = rows[1:]
    want = count(sample_kg, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { { ?s a pk:Action } UNION "
                            "{ ?s a pk:Section ; pk:responsibleUnit ?u } }")
    assert len(body) == want and [int(r[0]) for r in body] == list(range(1, want + 1))
    for r in body:
        units = {row["name"] for row in sample_kg.query(
            "SELECT ?s ?name WHERE { ?s pk:responsibleUnit/rdfs:label ?name }", params={"s": _iri(r[7])}).values()}
        listed = {u for u in (r[2] + "、" + r[3]).split("、") if u}
        assert listed == units, r
    kw = next(r for r in body if r[1].startswith("2.1.1 "))
    assert kw[2] == "区科委" and "智能软件" in kw[4]


def _iri(s: str):
    from pyoxigraph import NamedNode

    return NamedNode(s)


def test_export_task_table_xlsx_matches_csv(sample_kg):
    csv_rows = read_csv(sample_kg.export("csv", unit="区科委"))
    xlsx_rows = read_xlsx(sample_kg.export("xlsx", unit="区科委"))
    assert [[str(c) for c in r] for r in xlsx_rows] == csv_rows
    from policykg.graph.export_select import Selection, select

    portfolio = select(sample_kg, Selection(unit="区科委"))
    assert {r[7] for r in csv_rows[1:]} <= set(portfolio)
    direct = {r["s"] for r in sample_kg.query(
        "SELECT ?s ?u WHERE { ?s pk:responsibleUnit/rdfs:label ?u }", params={"u": "区科委"}).values()}
    assert direct == {r[7] for r in csv_rows[1:] if "区科委" in (r[2] + "、" + r[3]).split("、")}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_task_table_neutralises_formula_cells(evil_kg, fmt):
    data = evil_kg.export(fmt)
    rows = read_csv(data) if fmt == "csv" else read_xlsx(data)
    tasks = [r[1] for r in rows[1:]]
    assert "'=HYPERLINK(\"http://evil.example\")数据归集" not in tasks  # the path comes first: "1.1 =HYPERLINK…"
    cells = [c for r in rows for c in r if isinstance(c, str)]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    if fmt == "xlsx":
        import zipfile

        sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet and b"<f " not in sheet  # no formula anywhere


def test_export_neutralise_prefixes_dangerous_cells():
    from policykg.graph.export_tasks import TaskRow, neutralise, tasks_csv

    assert [neutralise(v) for v in ("=1+1", "+1", "-1", "@A1", "\t=1", "区科委", "")] == \
        ["'=1+1", "'+1", "'-1", "'@A1", "'\t=1", "区科委", ""]
    rows = read_csv(tasks_csv([TaskRow(task="=cmd|' /C calc'!A0", lead=["@SUM(A1)"], targets=["-2+3"])]))
    assert rows[1][1:5] == ["'=cmd|' /C calc'!A0", "'@SUM(A1)", "", "'-2+3"]


# ---------------------------------------------------------------- selection, errors


def test_export_document_by_number_title_or_iri_is_the_same(sample_kg, projection):
    doc = sample_kg.documents()[0]
    title = sample_kg.query("SELECT ?t WHERE { ?d pk:docNumber ?n ; dcterms:title ?t }")[0]["t"]
    exports = {ref: sample_kg.export("cyjs", document=ref) for ref in (doc, "普府办〔2022〕16号", title)}
    assert len({json.dumps(json.loads(v)["elements"], sort_keys=True) for v in exports.values()}) == 1
    assert len(json.loads(exports[doc])["elements"]["nodes"]) == projection.number_of_nodes()


def test_export_portfolio_holds_what_the_unit_owns_and_who_shares_it(sample_kg):
    from policykg.graph.export_select import Selection, select

    g = select(sample_kg, Selection(unit="区科委"))
    unit = "https://w3id.org/policykg/id/org/上海市普陀区科学技术委员会"
    owned = {r["s"] for r in sample_kg.query("SELECT ?s ?u WHERE { ?s pk:responsibleUnit ?u }",
                                             params={"u": _iri(unit)}).values()}
    assert unit in g and owned <= set(g)
    targets = {r["t"] for r in sample_kg.query(
        f"SELECT ?t WHERE {{ VALUES ?s {{ {' '.join(f'<{s}>' for s in owned)} }} ?t pk:statedIn ?s }}").values()}
    assert targets and targets <= set(g)
    sharing = {r["u"] for r in sample_kg.query(
        f"SELECT ?u WHERE {{ VALUES ?s {{ {' '.join(f'<{s}>' for s in owned)} }} ?s pk:responsibleUnit ?u }}").values()}
    assert sharing <= set(g)
    assert nx.is_weakly_connected(g)  # sections up to the document keep the portfolio in one piece


@pytest.mark.parametrize("depth", [1, 2])
def test_export_neighbourhood_is_the_nodes_within_depth(sample_kg, projection, depth):
    from policykg.graph.export_select import Selection, select

    unit = "https://w3id.org/policykg/id/org/上海市普陀区科学技术委员会"
    want = set(nx.single_source_shortest_path_length(projection.to_undirected(as_view=True), unit, cutoff=depth))
    g = select(sample_kg, Selection(entity="区科委", depth=depth))
    assert set(g) == want
    assert g.number_of_edges() == projection.subgraph(want).number_of_edges()


def test_export_types_filter_keeps_only_those_types(sample_kg, projection):
    from policykg.graph.export_select import Selection, select

    g = select(sample_kg, Selection.of(types="Section,GovernmentBody"))
    kept = {"Section", "Goal", "Action", "Measure", "GovernmentBody"}
    assert {a["type"] for _, a in g.nodes(data=True)} <= kept
    assert set(g) == {n for n, a in projection.nodes(data=True) if a["type"] in kept}


@pytest.mark.parametrize("call,match", [
    (dict(fmt="pdf"), r"no export format 'pdf'; use one of ttl, nq"),
    (dict(fmt="cyjs", types="Actions"), r"no node type 'Actions'"),
    (dict(fmt="cyjs", depth=2), r"--depth goes with --entity"),
    (dict(fmt="cyjs", entity="区科委", depth=0), r"depth must be a whole number"),
    (dict(fmt="cyjs", unit="区科委", entity="区科委"), r"either --unit .* or --entity"),
    (dict(fmt="mermaid", direction="UP"), r"runs LR, RL, TB, TD, BT, not 'UP'"),
    (dict(fmt="graphml", colour="red"), r"graphml export has no option 'colour'"),
    (dict(fmt="cyjs", unit="没有这个单位"), r"Nothing in the store is called"),
])
def test_export_refuses_bad_requests_in_one_sentence(sample_kg, call, match):
    from policykg.errors import PolicyKGError

    fmt = call.pop("fmt")
    with pytest.raises(PolicyKGError, match=match) as e:
        sample_kg.export(fmt, **call)
    assert str(e.value).endswith(".") and "\n" not in str(e.value)


def test_export_html_refuses_a_graph_above_the_setting_with_a_hint(sample_store, projection):
    from policykg import KnowledgeGraph, Settings

    n = projection.number_of_nodes()
    with KnowledgeGraph(sample_store, Settings(html_max_nodes=50), read_only=True) as kg:
        with pytest.raises(ExportError, match=rf"has {n} nodes, more than 50.*POLICYKG_HTML_MAX_NODES.*--types"):
            kg.export("html")
        assert b"<html" in kg.export("html", unit="区金融办")  # a small selection still works


def test_export_html_is_self_contained_and_escapes_data(evil_kg):
    page = evil_kg.export("html").decode()
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page, re.I)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "unsafe-eval" not in csp and "'unsafe-inline'" not in csp.split(";")[1]
    data = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data and ">" not in data
    assert json.loads(data)["title"] == "<script>alert(1)</script>"
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    assert page.count("</script>") == 3  # the data block, vis-network, the page script


# ---------------------------------------------------------------- the command line


def test_export_cli_writes_the_file_and_reports_counts(sample_store, projection, tmp_path):
    out = tmp_path / "out" / "sample.graphml"
    proc = run_cli("export", "-o", str(out), "--store", str(sample_store), check=True)
    msg = proc.stderr.decode()
    assert f"{projection.number_of_nodes()} nodes, {projection.number_of_edges()} edges" in msg
    g = nx.read_graphml(out)
    assert g.number_of_nodes() == projection.number_of_nodes()
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


def test_export_cli_writes_text_formats_to_stdout(sample_store):
    proc = run_cli("export", "--format", "mermaid", "--entity", "区金融办", "--store", str(sample_store),
                   check=True)
    assert proc.stdout.decode().splitlines()[3] == "flowchart LR"


@pytest.mark.parametrize("args,code,message", [
    (["--format", "pdf"], 2, "no export format 'pdf'"),
    ([], 2, "Name a format with --format"),
    (["--format", "cyjs", "--entity", "区"], 2, "matches"),
    (["--format", "cyjs", "--document", "不存在的文件"], 1, "There is no document"),
])
def test_export_cli_errors_are_one_sentence_with_exit_codes(sample_store, args, code, message):
    proc = run_cli("export", *args, "--store", str(sample_store))
    assert proc.returncode == code
    err = proc.stderr.decode()
    assert message in err and "Traceback" not in err
