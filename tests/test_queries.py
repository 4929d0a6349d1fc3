"""Named queries: each answers its question on the sample and on a small graph of our own, documents
itself, and cannot be changed by a parameter value."""

from __future__ import annotations

import json
import re
from itertools import combinations

import pytest

from policykg import KnowledgeGraph
from policykg.errors import QueryError
from policykg.graph.named import KINDS, list_named, load_named, parse_named

from helpers import DATA, fold, run_cli

NAMES = [q.name for q in list_named()]
EXPECTED = {"who-owns-what", "unit-portfolio", "unit-workload", "co-responsibility", "targets-by-deadline",
            "targets-without-owner", "actions-without-targets", "dependents-of", "entity-mentions", "documents",
            "section-outline", "compare-targets", "shared-entities"}
PUTUO_KEWEI = "https://w3id.org/policykg/id/org/上海市普陀区科学技术委员会"
PLATFORM = "https://w3id.org/policykg/id/entity/普陀区公共数据平台"
EVIL = ['"} ; DROP ALL ; #', '区科委" } UNION { ?s ?p ?o', "区科委' } UNION { ?s ?p ?o } #", "\\\" . } DROP ALL {"]


def build_small_graph(path) -> KnowledgeGraph:
    """Three short documents of our own (tests/data/deps-*.txt), ingested for real, plus the triples
    extraction does not give them (tests/data/deps-extras.ru): a lead unit, a platform, four targets."""
    kg = KnowledgeGraph(path)
    reports = kg.ingest(sorted(DATA.glob("deps-*.txt")))
    assert [r.status for r in reports] == ["added"] * 3
    kg.update((DATA / "deps-extras.ru").read_text(encoding="utf-8"))
    return kg


@pytest.fixture(scope="module")
def small_kg(tmp_path_factory):
    with build_small_graph(tmp_path_factory.mktemp("small") / "store") as kg:
        yield kg


def rows(kg, query, **params):
    return kg.run_named(query, params).values()


def _without(result_rows, *columns):
    return [{k: v for k, v in r.items() if k not in columns} for r in result_rows]


# ---------------------------------------------------------------- the files document themselves


def test_queries_library_has_every_named_query():
    assert EXPECTED <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_queries_file_has_title_description_and_documented_params(name):
    q = load_named(name)
    assert q.title and q.title != name, f"{name}.rq has no '# title:' line"
    assert len(q.description) >= 40, f"{name}.rq has no real '# description:'"
    assert q.examples and all(e.startswith(f"policykg query --name {name}") for e in q.examples)
    for p in q.params:
        assert p.description and p.kind in KINDS and p.example, f"{name}: parameter {p.name} is not documented"
    for text in [q.sparql, *(v.sparql for v in q.variants)]:
        projection = re.search(r"^SELECT\b(.*?)\bWHERE\b", text, re.S | re.M).group(1)
        for p in q.params:
            # pyoxigraph binds a parameter only when it is in the top SELECT projection
            assert re.search(rf"\?{p.name}\b", projection), f"{name}: ?{p.name} is not in the SELECT projection"
            body = text[text.index("WHERE"):]
            assert re.search(rf"\?{p.name}\b", body), f"{name}: ?{p.name} is declared but never used"


def _nested_selects(text: str) -> list[str]:
    """The text of every sub-SELECT (a ``{ SELECT … }`` block)."""
    out = []
    for m in re.finditer(r"\{\s*SELECT\b", text):
        depth, i = 0, m.start()
        while True:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            if depth == 0:
                break
            i += 1
        out.append(text[m.start():i + 1])
    return out


@pytest.mark.parametrize("name", NAMES)
def test_queries_parameters_follow_the_binding_rules(name):
    """A sub-SELECT does not see a substitution, and a remote endpoint gets the value written into the text,
    where only a parenthesised GROUP BY key and an expression in ORDER BY stay valid (see graph/named.py)."""
    q = load_named(name)
    for text in [q.sparql, *(v.sparql for v in q.variants)]:
        _check_binding_rules(q, text)


def _check_binding_rules(q, text: str) -> None:
    name = q.name
    code = "\n".join(line.split(" #")[0] for line in text.splitlines() if not line.lstrip().startswith("#"))
    group_by = " ".join(re.findall(r"GROUP BY([^}]*?)(?:ORDER BY|HAVING|LIMIT|$|\})", code, re.S))
    order_by = " ".join(re.findall(r"ORDER BY([^}]*)$", code, re.S))
    for p in q.params:
        for sub in _nested_selects(code):
            assert not re.search(rf"\?{p.name}\b", sub), f"{name}: ?{p.name} is used inside a sub-SELECT"
        for m in re.finditer(rf"\?{p.name}\b", group_by):
            before, after = group_by[:m.start()].rstrip(), group_by[m.end():].lstrip()
            assert before.endswith("(") and after.startswith(")"), f"{name}: GROUP BY ?{p.name} needs parentheses"
        for m in re.finditer(rf"\?{p.name}\b", order_by):
            assert order_by[:m.start()].rstrip().endswith("("), f"{name}: ORDER BY ?{p.name} must be an expression"
    if any(p.name == "doc" for p in q.params):
        assert "GRAPH ?doc" in code, f"{name}: the doc parameter should be the graph variable"


@pytest.mark.parametrize("name,param", [(q.name, p.name) for q in list_named() for p in q.params])
def test_queries_example_values_bind_and_echo(small_kg, name, param):
    q = load_named(name)
    p = next(x for x in q.params if x.name == param)
    res = small_kg.run_named(name, {param: p.example})
    assert param in res.variables
    assert all(r[param] == p.example for r in res.values())


def test_queries_cli_lists_every_query_with_its_params():
    listing = json.loads(run_cli("queries", "--format", "json", check=True).stdout)
    by_name = {q["name"]: q for q in listing}
    assert EXPECTED <= set(by_name)
    assert {p["name"]: p["kind"] for p in by_name["targets-by-deadline"]["params"]} == \
        {"since": "date", "until": "date", "doc": "iri"}
    text = run_cli("queries", check=True).stdout.decode()
    assert "--param minDocuments=…" in text and "(e.g. 区科委)" in text


# ---------------------------------------------------------------- parameters cannot change a query


def _fingerprint(kg) -> tuple[int, str]:
    import hashlib

    return kg.count(), hashlib.sha256(kg.dump("nq")).hexdigest()


@pytest.mark.parametrize("name,param", [(q.name, p.name) for q in list_named() for p in q.params])
def test_queries_injected_values_match_nothing_and_change_nothing(small_kg, name, param):
    before = _fingerprint(small_kg)
    kind = next(p.kind for p in load_named(name).params if p.name == param)
    for evil in EVIL:
        if kind == "string":
            assert rows(small_kg, name, **{param: evil}) == []
        else:
            with pytest.raises(QueryError, match=param):
                rows(small_kg, name, **{param: evil})
    assert _fingerprint(small_kg) == before


def test_queries_cli_binds_values_as_terms(small_kg, tmp_path):
    store = tmp_path / "store"
    with build_small_graph(store) as kg:
        count = kg.count()
    evil = run_cli("query", "--name", "who-owns-what", "--param", 'unit=区科委" } UNION { ?s ?p ?o } #',
                   "--store", str(store), "--format", "csv", check=True)
    assert evil.stdout.decode().splitlines()[1:] == []
    bad_date = run_cli("query", "--name", "targets-by-deadline", "--param", "until=2023-13-45", "--store", str(store))
    assert bad_date.returncode == 1
    assert bad_date.stderr.decode().strip() == \
        "error: The parameter 'until' must be a date like 2023-12-31, not '2023-13-45'."
    with KnowledgeGraph(store, read_only=True) as kg:
        assert kg.count() == count


@pytest.mark.parametrize("header,message", [
    ("# param: x <colour> = red | a colour", "unknown kind <colour>"),
])
def test_queries_loader_refuses_undocumented_kinds(header, message):
    with pytest.raises(QueryError, match=message):
        parse_named("bad", f"# title: Bad\n# description: a query\n{header}\nSELECT ?x WHERE {{}}")


def test_queries_required_and_unknown_parameters_are_reported():
    q = parse_named("need", "# title: Need\n# description: d\n# param: unit = 区科委 | the unit (required)\n"
                           "SELECT ?unit WHERE {}")
    with pytest.raises(QueryError, match="needs the parameter 'unit'"):
        q.bind({})
    with pytest.raises(QueryError, match="has no parameter 'colour'; its parameters are: unit"):
        q.bind({"unit": "区科委", "colour": "red"})


@pytest.mark.parametrize("kind,value,expected", [
    ("integer", " 3 ", "3"), ("decimal", "2.50", "2.50"), ("date", "2023-12-31", "2023-12-31"),
])
def test_queries_typed_parameters_become_typed_literals(kind, value, expected):
    q = parse_named("t", f"# title: T\n# description: d\n# param: v <{kind}> = {value} | a value\nSELECT ?v WHERE {{}}")
    term = q.bind({"v": value})["v"]
    assert term.value == expected and term.datatype.value.endswith("#" + kind)


# ---------------------------------------------------------------- a variant is the query, faster


VARIANTS = [(q.name, v.params) for q in list_named() for v in q.variants]
_UNIT_NAMES = """SELECT DISTINCT ?name WHERE { GRAPH ?g { ?s pk:responsibleUnit ?u .
                                                 ?u rdfs:label|skos:altLabel|skos:prefLabel ?name } }"""
_SECTIONS_OF = """SELECT DISTINCT ?section ?unit WHERE { GRAPH ?g { ?section pk:responsibleUnit ?u .
                                                 ?u rdfs:label|skos:altLabel|skos:prefLabel ?unit } }"""
# what a GROUP_CONCAT joins comes in the order the plan reads it: compare those columns as sets
_JOINED = {"responsible": "、", "lead": "、", "supporting": "、", "owners": "、", "sections": " ", "docNumbers": " "}


def _rowset(result_rows, *without):
    """Rows as a sorted list of sorted items, joined values as sets, ``without`` columns left out."""
    def value(k, v):
        return tuple(sorted(v.split(_JOINED[k]))) if k in _JOINED else v
    return sorted(tuple(sorted((k, value(k, v)) for k, v in r.items() if k not in without)) for r in result_rows)


def test_queries_variants_are_declared_for_parameters_the_query_has():
    assert VARIANTS, "no named query ships a variant"
    for name, params in VARIANTS:
        declared = {p.name for p in load_named(name).params}
        assert set(params) <= declared


def test_queries_loader_refuses_a_variant_for_an_undeclared_parameter():
    with pytest.raises(QueryError, match="variant for unit"):
        parse_named("x", "# title: X\n# description: d\nSELECT * {}\n# when: unit\nSELECT ?unit {}")


def test_queries_variant_runs_only_when_its_parameters_have_values():
    q = load_named("who-owns-what")
    assert q.text_for(q.bind({})) == q.sparql
    assert q.text_for(q.bind({"unit": ""})) == q.sparql  # an empty value keeps the query's own answer
    assert q.text_for(q.bind({"kind": "any"})) == q.sparql
    assert q.text_for(q.bind({"unit": "区科委", "kind": "any"})) == q.variants[0].sparql


# every value a variant's parameter takes in the graph, and one it does not take
_VALUES = {"unit": _UNIT_NAMES, "name": "SELECT DISTINCT ?name WHERE { GRAPH ?g { ?m pk:exact ?name } }",
           "metric": "SELECT DISTINCT ?name WHERE { GRAPH ?g { ?t pk:metric ?name } }",
           "unitIri": "SELECT DISTINCT ?name WHERE { GRAPH ?g { ?s pk:responsibleUnit ?name } }"}


@pytest.mark.parametrize("graph", ["sample_kg", "small_kg"])
@pytest.mark.parametrize("name,params", VARIANTS)
def test_queries_variant_gives_the_rows_of_the_query(request, graph, name, params):
    """For every value its parameter takes in the graph, the variant answers what the query's own text
    answers with the same values, alone and with each other parameter set too."""
    (param,) = params
    kg = request.getfixturevalue(graph)
    q = load_named(name)
    doc = kg.documents()[0]
    others = [{}] + [{p.name: doc if p.name == "doc" else p.example} for p in q.params if p.name != param
                     and p.kind in ("string", "iri")]
    values = kg.query(_VALUES[param]).column("name")
    if param == "metric":  # words a metric contains
        values += sorted({v[:2] for v in values} | {v[-2:] for v in values})
    assert len(values) > 5
    kind = next(p.kind for p in q.params if p.name == param)
    absent = "https://w3id.org/policykg/id/org/没有" if kind == "iri" else "没有这个名字"
    for value in [*values, absent]:
        for extra in others:
            bound = q.bind({param: value, **extra})
            assert q.text_for(bound) != q.sparql
            want = kg.query(q.sparql, params=bound).values()
            got = kg.run_named(name, {param: value, **extra}).values()
            assert _rowset(got) == _rowset(want), (value, extra)


@pytest.mark.parametrize("name,params", VARIANTS)
def test_queries_variant_works_with_the_values_written_in(sample_kg, name, params):
    """A remote store gets the values written into the text (graph/remote.py substitute()): the variant
    still parses and gives the same rows."""
    from policykg.graph.kg import bind_params
    from policykg.graph.remote import substitute

    q = load_named(name)
    values = {p.name: p.example for p in q.params if p.name in params}
    bound = q.bind(values)
    written = substitute(q.text_for(bound), bind_params(bound))
    assert _rowset(sample_kg.query(written).values()) == _rowset(sample_kg.run_named(name, values).values())


def test_queries_entity_mentions_by_name_are_the_mentions_written_so(sample_kg, small_kg):
    for kg in (sample_kg, small_kg):
        everything = rows(kg, "entity-mentions")
        for name in kg.query(_VALUES["name"]).column("name"):
            got = rows(kg, "entity-mentions", name=name)
            assert _rowset(got) == _rowset({**r, "name": name} for r in everything if r["exact"] == name)


def test_queries_compare_targets_by_metric_are_the_targets_whose_metric_has_the_words(sample_kg, small_kg):
    for kg in (sample_kg, small_kg):
        everything = rows(kg, "compare-targets")
        metrics = kg.query(_VALUES["metric"]).column("name")
        for words in [*metrics, *{m[:2] for m in metrics}]:
            got = rows(kg, "compare-targets", metric=words)
            assert got and _rowset(got) == _rowset({**r, "metric": words} for r in everything if words in r["indicator"])


def test_queries_unit_portfolio_of_a_node_is_its_share_of_every_portfolio(sample_kg, small_kg):
    for kg in (sample_kg, small_kg):
        everything = rows(kg, "unit-portfolio")
        for node in kg.query(_VALUES["unitIri"]).column("name"):
            got = rows(kg, "unit-portfolio", unitIri=node)
            assert got == [r for r in everything if r["unitIri"] == node]


def test_queries_co_responsibility_of_a_unit_are_its_pairs(sample_kg, small_kg):
    for kg in (sample_kg, small_kg):
        everything = rows(kg, "co-responsibility")
        for unit in kg.query(_UNIT_NAMES).column("name"):
            nodes = set(kg.query("SELECT DISTINCT ?u ?unit WHERE { ?u rdfs:label|skos:altLabel|skos:prefLabel ?unit }",
                                 params={"unit": unit}).column("u"))
            want = [r for r in everything if {r["unitANode"], r["unitBNode"]} & nodes]
            got = rows(kg, "co-responsibility", unit=unit)
            assert _rowset(got, "unit") == _rowset(want)


@pytest.mark.parametrize("graph", ["sample_kg", "small_kg"])
@pytest.mark.parametrize("name", ["actions-without-targets", "who-owns-what"])
def test_queries_unit_variant_is_the_unfiltered_answer_cut_to_the_unit(request, graph, name):
    """The rows for a unit are the rows without a unit whose section that unit (by any of its names) is
    responsible for, in the same order."""
    kg = request.getfixturevalue(graph)
    everything = rows(kg, name)
    for unit in kg.query(_UNIT_NAMES).column("name"):
        sections = set(kg.query(_SECTIONS_OF, params={"unit": unit}).column("section"))
        want = [r for r in everything if r["section"] in sections]
        got = rows(kg, name, unit=unit)
        assert all(r["unit"] == unit for r in got)
        assert _rowset(got, "unit") == _rowset(want)
        assert [r["section"] for r in got] == [r["section"] for r in want]


# ---------------------------------------------------------------- answers on the sample (普府办〔2022〕16号)


def _gold_units(gold) -> dict[str, set[str]]:
    return {a["id"]: {fold(u) for u in a["responsible_units"]} for a in gold["actions"]}


def test_queries_who_owns_what_gives_every_sample_action_its_gold_units(sample_kg, gold):
    got = {r["path"]: set(r["responsible"].split("、")) for r in rows(sample_kg, "who-owns-what")}
    assert got == _gold_units(gold)
    assert all(r["type"] == "Action" for r in rows(sample_kg, "who-owns-what"))
    parts = {(r["path"], r.get("lead", "")) for r in rows(sample_kg, "who-owns-what", kind="any")
             if r["type"] != "Action"}
    assert parts == {(s, fold(o["unit"])) for o in gold["ownership"] for s in o.get("leads", [])}


def test_queries_unit_workload_counts_the_gold_actions_per_unit(sample_kg, gold):
    owns = {fold(o["unit"]): len(o["owns"]) for o in gold["ownership"] if "owns" in o}
    got = rows(sample_kg, "unit-workload")
    assert {r["name"]: int(r["actions"]) for r in got} == owns
    assert got[0]["name"] == "区科委" and got[0]["fullName"] == "上海市普陀区科学技术委员会"
    assert [int(r["actions"]) for r in got] == sorted((int(r["actions"]) for r in got), reverse=True)


def test_queries_co_responsibility_pairs_are_the_gold_pairs(sample_kg, gold):
    expected: dict[frozenset, set] = {}
    for path, units in _gold_units(gold).items():
        for a, b in combinations(sorted(units), 2):
            expected.setdefault(frozenset((a, b)), set()).add(path)
    got = {frozenset((r["unitA"], r["unitB"])): set(p.split()[-1] for p in r["sections"].split("号 ")[1:])
           for r in rows(sample_kg, "co-responsibility")}
    assert got == expected
    with_kewei = rows(sample_kg, "co-responsibility", unit="上海市普陀区科学技术委员会")
    assert len(with_kewei) == 7 and all("区科委" in (r["unitA"], r["unitB"]) for r in with_kewei)


def test_queries_unit_portfolio_lists_the_gold_actions_of_a_unit(sample_kg, gold):
    owns = next(o["owns"] for o in gold["ownership"] if o["unit"] == "区科委" and "owns" in o)
    got = rows(sample_kg, "unit-portfolio", unit="区科委")
    actions = {r["path"] for r in got if r["role"] in ("responsible", "support")}
    assert actions == set(owns)
    targets = {r["item"] for r in got if r.get("what") == "target"}
    gold_targets = {fold(t["text"]) for t in gold["targets"] if t["section"] in owns}
    assert targets == gold_targets
    assert all(r.get("deadline", "") == "" or re.match(r"\d{4}-\d{2}-\d{2}$", r["deadline"]) for r in got)
    by_iri = rows(sample_kg, "unit-portfolio", unitIri=PUTUO_KEWEI)
    assert _without(by_iri, "unit", "unitIri") == _without(got, "unit", "unitIri")


def test_queries_documents_counts_the_sample(sample_kg, gold):
    (doc,) = rows(sample_kg, "documents")
    g = gold["document"]
    assert doc["docNumber"] == g["doc_number"] and doc["issued"] == g["issued_date"]
    assert doc["plan"] == g["attached_plan_title"] and doc["issuerName"] == g["issuer"]
    assert (int(doc["sections"]), int(doc["actions"]), int(doc["units"])) == \
        (len(gold["sections"]), len(gold["actions"]), len({fold(o["unit"]) for o in gold["ownership"]}))
    assert int(doc["targets"]) == len(gold["targets"])


def test_queries_section_outline_follows_the_gold_heading_tree(sample_kg, gold):
    got = rows(sample_kg, "section-outline")
    assert [r["path"] for r in got] == [s["id"] for s in gold["sections"]]
    assert [r["type"] or None for r in got] == [s["kind"] for s in gold["sections"]]
    for r, s in zip(got, gold["sections"]):
        level = s["id"].count(".")
        assert r["outline"] == "　" * level + fold(s["number_text"]) + " " + fold(s["title"])
    targets = {s["id"]: sum(t["section"] == s["id"] for t in gold["targets"]) for s in gold["sections"]}
    assert {r["path"]: int(r["targets"]) for r in got} == targets


def test_queries_targets_without_owner_are_the_gold_goal_targets(sample_kg, gold):
    owned = {a["id"] for a in gold["actions"]}
    orphans = [fold(t["text"]) for t in gold["targets"] if t["section"] not in owned]
    assert [r["clause"] for r in rows(sample_kg, "targets-without-owner")] == orphans


def test_queries_actions_without_targets_match_the_gold(sample_kg, gold):
    expected = [a["id"] for a in gold["actions"] if not a["targets"]]
    assert [r["path"] for r in rows(sample_kg, "actions-without-targets")] == expected
    kewei = [r["path"] for r in rows(sample_kg, "actions-without-targets", unit="区科委")]
    assert kewei == [a["id"] for a in gold["actions"] if not a["targets"] and "区科委" in a["responsible_units"]]


def test_queries_dependents_of_finds_every_gold_reliance(sample_kg, gold):
    for action in gold["actions"]:
        for name in action["relies_on"]:
            got = rows(sample_kg, "dependents-of", name=fold(name))
            assert action["id"] in {r.get("path") for r in got}, (action["id"], name)
    assert rows(sample_kg, "shared-entities") == []  # one document shares nothing
    named = {r["name"] for r in rows(sample_kg, "shared-entities", minDocuments=1)}
    assert {fold(o["unit"]) for o in gold["ownership"]} <= named


def test_queries_targets_by_deadline_is_the_gold_timeline(sample_kg, gold):
    got = rows(sample_kg, "targets-by-deadline")
    dated = [t for t in gold["targets"] if t["deadline"]]
    assert sorted(r["clause"] for r in got) == sorted(fold(t["text"]) for t in dated)
    assert [r["deadline"] for r in got] == sorted(r["deadline"] for r in got)
    assert rows(sample_kg, "targets-by-deadline", until="2022-12-31") == []


def test_queries_entity_mentions_cut_the_sentence_out_of_the_text(sample_kg, gold):
    text = sample_kg.query("SELECT ?t WHERE { ?d pk:text ?t }").values()[0]["t"]
    got = rows(sample_kg, "entity-mentions", name="区科委")
    units = {fold(o["unit"]) for o in gold["ownership"]}
    for e in gold["entities"]:
        if fold(e["name"]) in units:
            assert len(rows(sample_kg, "entity-mentions", name=fold(e["name"]))) == e["mentions"], e["name"]
    for r in got:
        start, end = int(r["start"]), int(r["end"])
        assert text[start:end] == r["exact"] == "区科委"
        assert r["exact"] in r["sentence"] and r["sentence"] in text
        assert not re.search(r"[。！？；\n]", r["sentence"][:-1])  # one sentence, not more
    by_node = rows(sample_kg, "entity-mentions", entity=PUTUO_KEWEI)
    assert [r["mention"] for r in by_node] == [r["mention"] for r in got]
    assert rows(sample_kg, "entity-mentions", name="上海市普陀区科学技术委员会") == []  # never written out in full


# ---------------------------------------------------------------- answers on the small graph


def test_queries_who_owns_what_keeps_jurisdictions_apart(small_kg):
    both = rows(small_kg, "who-owns-what", unit="区科委")
    assert [(r["docNumber"], r["path"]) for r in both] == [
        ("普府办〔2023〕5号", "2.1.1"), ("普府办〔2023〕5号", "2.2.1"), ("普府办〔2023〕7号", "1.1.1"),
        ("静府办〔2023〕9号", "1.1.1"), ("静府办〔2023〕9号", "1.1.2")]
    jingan = rows(small_kg, "who-owns-what", unit="上海市静安区科学技术委员会")
    assert [r["path"] for r in jingan] == ["1.1.1", "1.1.2"]
    led = [r for r in rows(small_kg, "who-owns-what", kind="any") if r["type"] == "Section"]
    assert [(r["path"], r["lead"]) for r in led] == [("2.1", "区科委")]
    doc = rows(small_kg, "who-owns-what", doc="https://w3id.org/policykg/id/doc/普府办-2023-7")
    assert [(r["path"], set(r["responsible"].split("、"))) for r in doc] == [("1.1.1", {"区科委", "区民政局"})]


def test_queries_unit_portfolio_gives_targets_deadlines_and_built_things(small_kg):
    got = rows(small_kg, "unit-portfolio", unit="上海市普陀区大数据中心")
    assert [(r["path"], r.get("what", ""), r.get("item", ""), r.get("deadline", "")) for r in got] == [
        ("2.1.1", "target", "公共数据归集率达到95%", "2023-12-31"),
        ("2.1.2", "builds", "普陀区公共数据平台", "")]
    kewei = rows(small_kg, "unit-portfolio", unitIri=PUTUO_KEWEI)
    assert [(r["role"], r["path"], r.get("value", ""), r.get("measure", "")) for r in kewei] == [
        ("lead", "2.1", "", ""), ("responsible", "2.1.1", "95", "%"), ("responsible", "2.2.1", "2000—3000", "个"),
        ("responsible", "1.1.1", "99", "%")]


def test_queries_unit_workload_separates_lead_and_support(small_kg):
    got = {(r["name"], r["place"]): r for r in rows(small_kg, "unit-workload")}
    kewei = got[("区科委", "上海市普陀区")]
    assert {k: int(kewei[k]) for k in ("actions", "lead", "support", "sections", "targets", "documents")} == \
        {"actions": 3, "lead": 1, "support": 0, "sections": 4, "targets": 3, "documents": 2}
    assert rows(small_kg, "unit-workload")[0]["unitNode"] == PUTUO_KEWEI
    jingan = rows(small_kg, "unit-workload", jurisdiction="上海市静安区")
    assert {r["fullName"] for r in jingan} == {"上海市静安区科学技术委员会", "上海市静安区大数据中心"}


def test_queries_co_responsibility_counts_shared_sections(small_kg):
    got = rows(small_kg, "co-responsibility", unit="区大数据中心")
    assert sorted((r["unitA"], r["unitB"], r["shared"], r["sections"]) for r in got) == [
        ("区大数据中心", "区科委", "1", "普府办〔2023〕5号 2.1.1"), ("区大数据中心", "区科委", "1", "静府办〔2023〕9号 1.1.2")]


def test_queries_targets_by_deadline_filters_by_dates(small_kg):
    got = rows(small_kg, "targets-by-deadline")
    assert [(r["deadline"], r["clause"]) for r in got] == [
        ("2023-06-30", "开放数据集2000—3000个"), ("2023-12-31", "公共数据归集率达到95%"),
        ("2024-06-30", "数据质量合格率超过90%"), ("2025-12-31", "公共数据归集率达到99%")]
    assert got[1]["owners"] in ("区大数据中心、区科委", "区科委、区大数据中心") and "owners" not in got[2]
    assert [r["deadline"] for r in rows(small_kg, "targets-by-deadline", until="2023-12-31")] == \
        ["2023-06-30", "2023-12-31"]
    assert [r["deadline"] for r in rows(small_kg, "targets-by-deadline", since="2023-07-01", until="2024-12-31")] \
        == ["2023-12-31", "2024-06-30"]


def test_queries_accountability_gaps(small_kg):
    assert [r["clause"] for r in rows(small_kg, "targets-without-owner")] == ["数据质量合格率超过90%"]
    gaps = rows(small_kg, "actions-without-targets")
    assert [(r["docNumber"], r["path"]) for r in gaps] == [
        ("普府办〔2023〕5号", "2.1.2"), ("普府办〔2023〕5号", "2.2.2"),
        ("静府办〔2023〕9号", "1.1.1"), ("静府办〔2023〕9号", "1.1.2")]
    assert [r["path"] for r in rows(small_kg, "actions-without-targets", unit="区委网信办")] == ["2.2.2"]


def test_queries_dependents_of_lists_who_relies_on_a_platform(small_kg):
    got = rows(small_kg, "dependents-of", name="公共数据平台")
    assert [(r["docNumber"], r["path"], r["relation"], r["entityType"]) for r in got] == [
        ("普府办〔2023〕5号", "2.2.1", "relies on", "Platform"), ("普府办〔2023〕5号", "2.2.2", "focuses on", "Platform"),
        ("普府办〔2023〕7号", "1.1.1", "relies on", "Platform")]
    assert set(got[2]["owners"].split("、")) == {"区科委", "区民政局"}
    assert _without(rows(small_kg, "dependents-of", entity=PLATFORM), "name") == _without(got, "name")


def test_queries_entity_mentions_by_iri_and_document(small_kg):
    by_name = rows(small_kg, "entity-mentions", name="区大数据中心")
    assert [(r["docNumber"], r["path"], r["sentence"]) for r in by_name] == [
        ("普府办〔2023〕5号", "2.1.1", "(责任单位:区科委、区大数据中心)"),
        ("普府办〔2023〕5号", "2.1.2", "(责任单位:区大数据中心)"),
        ("静府办〔2023〕9号", "1.1.2", "(责任单位:区科委、区大数据中心)")]
    one = rows(small_kg, "entity-mentions", entity="https://w3id.org/policykg/id/org/上海市静安区大数据中心")
    assert [r["path"] for r in one] == ["1.1.2"]
    only_a = rows(small_kg, "entity-mentions", name="区大数据中心", doc="https://w3id.org/policykg/id/doc/普府办-2023-5")
    assert len(only_a) == 2


def test_queries_documents_lists_each_document_with_counts(small_kg):
    got = rows(small_kg, "documents")
    assert [(r["docNumber"], r["issued"], r["sections"], r["actions"], r["targets"], r["units"]) for r in got] == [
        ("普府办〔2023〕5号", "2023-02-01", "9", "4", "3", "4"),
        ("静府办〔2023〕9号", "2023-03-01", "4", "2", "0", "2"),
        ("普府办〔2023〕7号", "2023-04-01", "3", "1", "1", "2")]
    assert [r["docNumber"] for r in rows(small_kg, "documents", issuer="上海市静安区人民政府办公室")] == ["静府办〔2023〕9号"]


def test_queries_section_outline_of_one_document(small_kg):
    got = rows(small_kg, "section-outline", doc="https://w3id.org/policykg/id/doc/普府办-2023-7")
    assert [(r["outline"], r["type"], r.get("units", ""), r["targets"]) for r in got] == [
        ("一、 主要任务", "", "", "0"), ("　(一) 应用推广", "", "", "0"),
        ("　　1. 场景推广", "Action", got[2].get("units", ""), "1")]
    assert set(got[2]["units"].split("、")) == {"区科委", "区民政局"}


def test_queries_compare_targets_across_documents_by_normalised_value(small_kg):
    got = rows(small_kg, "compare-targets", metric="归集率")
    assert [(r["docNumber"], r["normalizedValue"], r["normalizedUnit"]) for r in got] == [
        ("普府办〔2023〕7号", "99", "%"), ("普府办〔2023〕5号", "95", "%")]
    ranged = rows(small_kg, "compare-targets", metric="开放数据集")
    assert [(r["value"], r["normalizedValue"]) for r in ranged] == [("2000—3000", "2500")]
    assert len(rows(small_kg, "compare-targets")) == 4


def test_queries_shared_entities_counts_documents(small_kg):
    got = {r["name"]: r for r in rows(small_kg, "shared-entities")}
    assert got["普陀区公共数据平台"]["docNumbers"] == "普府办〔2023〕5号 普府办〔2023〕7号"
    assert got["区科委"]["fullName"] == "上海市普陀区科学技术委员会" and got["区科委"]["documents"] == "2"
    assert all(int(r["documents"]) >= 2 for r in got.values())
    assert [r["name"] for r in rows(small_kg, "shared-entities", type="Platform")] == ["普陀区公共数据平台"]
    assert rows(small_kg, "shared-entities", minDocuments=3) == []
    singles = rows(small_kg, "shared-entities", minDocuments=1)
    assert {"区委网信办", "区公安分局"} <= {r["name"] for r in singles}


def test_queries_who_owns_what_separates_lead_and_supporting_units(kg):
    kg.ingest([DATA / "county-tasks.txt"])
    got = {r["path"]: {k: set(r.get(k, "").split("、")) - {""} for k in ("lead", "supporting", "responsible")}
           for r in rows(kg, "who-owns-what")}
    assert got["1.1"]["lead"] == {"县经信局"}
    assert got["1.2"]["lead"] == {"县经信局", "县科技局"}
    for roles in got.values():
        assert roles["lead"] | roles["supporting"] == roles["responsible"] and roles["supporting"]
    work = {r["name"]: (int(r["lead"]), int(r["support"])) for r in rows(kg, "unit-workload")}
    assert work["县经信局"] == (2, 0) and work["县科技局"] == (1, 0)


def test_queries_gaps_keep_actions_that_name_no_unit(kg):
    kg.ingest([DATA / "plan-no-notes.txt"])
    actions = kg.query("SELECT ?path WHERE { ?a a pk:Action ; pk:path ?path "
                       "FILTER NOT EXISTS { ?a pk:responsibleUnit ?u } FILTER NOT EXISTS { ?t pk:statedIn ?a } }")
    expected = sorted(actions.column("path"))
    assert expected, "the plan without notes should have actions that name no unit"
    got = rows(kg, "actions-without-targets")
    assert sorted(r["path"] for r in got if not r.get("responsible")) == expected
    assert rows(kg, "actions-without-targets", unit="区科委") == []
