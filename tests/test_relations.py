"""Relations (ingest/relations.py): each cue word, the rules of what its object is,
provenance of each relation in a real store, and the sample's relies-on pairs
against the hand annotation."""

from __future__ import annotations

import pytest
from helpers import fold

from policykg.ingest import parse_text


def plan(body: str, unit: str = "区科技局"):
    """A plan of 江州市临湖区 with one action (path 1.1.1) that says ``body``."""
    return parse_text("江州市临湖区测试行动方案\n\n一、重点任务\n\n（一）试点工作\n\n1. 任务一\n\n"
                      f"{body}（责任单位：{unit}）\n")


def cued(doc, kind: str | None = None) -> set[tuple[str, str, str]]:
    """(kind, name, cue) of every cued relation."""
    return {(r.kind, doc.entities[r.entity].name, r.cue) for r in doc.relations
            if r.kind != "mentions" and (kind is None or r.kind == kind)}


@pytest.mark.parametrize("body,kind,name,cue", [
    ("依托北湖大学开展联合攻关。", "reliesOn", "北湖大学", "依托"),
    ("依靠青山街道推进试点。", "reliesOn", "青山街道", "依靠"),
    ("基于江州工业大数据平台开展分析。", "reliesOn", "江州工业大数据平台", "基于"),
    ("围绕南湖科技园发展智能装备产业。", "focusesOn", "南湖科技园", "围绕"),
    ("聚焦“临湖通办”，提升服务效能。", "focusesOn", "临湖通办", "聚焦"),
    ("建设杉溪数字小镇。", "builds", "杉溪数字小镇", "建设"),
    ("打造湖滨商圈。", "builds", "湖滨商圈", "打造"),
    ("建成青禾工业互联网平台。", "builds", "青禾工业互联网平台", "建成"),
    ("搭建一体化智能调度指挥平台。", "builds", "一体化智能调度指挥平台", "搭建"),
    ("建立江州城市安全大脑。", "builds", "江州城市安全大脑", "建立"),
    ("构建临湖数据共享交换平台。", "builds", "临湖数据共享交换平台", "构建"),
    ("共建白鹭湾生态监测中心。", "builds", "白鹭湾生态监测中心", "共建"),
    ("加快沿江科创走廊建设。", "builds", "沿江科创走廊", "建设"),  # 建设 after its object
    ("推动临湖高新区建设成为国家级示范区。", "builds", "临湖高新区", "建设"),
    ("推进南湖未来城建设和运营。", "builds", "南湖未来城", "建设"),  # a nominal 建设 coordinated with another noun
    ("加快“临湖”数字孪生示范区建设工程。", "builds", "“临湖”数字孪生示范区", "建设"),
])
def test_relations_each_cue_gives_its_relation(body, kind, name, cue):
    doc = plan(body)
    assert (kind, name, cue) in cued(doc)
    r = next(r for r in doc.relations if r.kind == kind and doc.entities[r.entity].name == name)
    assert r.section == "1.1.1"  # the innermost section
    span = doc.text[r.start:r.end]
    assert cue in span and name in span


def test_relations_a_list_after_a_cue_gives_one_relation_per_item():
    doc = plan("依托北湖大学、临湖智能研究院、江州材料研究所等高校院所，推进临湖应急指挥中心、东岸防汛调度中心等项目建设。")
    assert {("reliesOn", n, "依托") for n in ("北湖大学", "临湖智能研究院", "江州材料研究所")} <= cued(doc)
    assert {("builds", n, "建设") for n in ("临湖应急指挥中心", "东岸防汛调度中心")} <= cued(doc)


@pytest.mark.parametrize("body,absent", [
    # an attributive 基于 inside a noun phrase is no relation
    ("通过打造基于青禾工业大数据平台的临湖智慧园区，提升承载力。", ("reliesOn", "青禾工业大数据平台")),
    # the object of a cue ends before the next verb
    ("基于现有园区开展“园区数字化改造行动”。", ("reliesOn", "园区数字化改造行动")),
    # places, bodies and things that only qualify the object are not built
    ("把临湖打造成为智慧城市标杆。", ("builds", "临湖")),
    ("打造“临湖通办”全域数字治理标杆。", ("builds", "临湖通办")),
    ("积极打造有北湖大学参与的创新联合体。", ("builds", "北湖大学")),
    # a nominal 建设 of a programme deepens it, it does not build it; a modifier of 体系 is not built
    ("深化“临湖通办”建设。", ("builds", "临湖通办")),
    ("深化“青禾帮办”服务体系建设。", ("builds", "青禾帮办")),
    # 建设 with an object of its own builds that object, not what stands before it
    ("依托临湖科学城、南湖未来城建设专业孵化器。", ("builds", "南湖未来城")),
    # 建设 inside a compound noun is no cue
    ("推进工程建设项目审批“临湖快办”改革。", ("builds", "临湖快办")),
    # a region the gazetteer names exists already: a text serves it, it does not build it
    ("聚焦成渝地区双城经济圈建设。", ("builds", "成渝地区双城经济圈")),
])
def test_relations_rules_leave_out(body, absent):
    doc = plan(body)
    names = {n for e in doc.entities.values() for n in (e.name, *e.aliases)}
    assert absent[1] in names  # the entity is there; only the relation is not
    assert not any((k, n) == absent for k, n, _ in cued(doc)), cued(doc)


def test_relations_generic_objects_give_no_relation():
    doc = plan("依托龙头企业，围绕重点领域，聚焦智能制造等产业，建设2个数字经济特色园区。")
    assert cued(doc) == set()


def test_relations_every_entity_a_section_names_is_mentioned():
    doc = plan("依托北湖大学，建设杉溪数字小镇，对接长三角。")
    mentioned = {(r.section, doc.entities[r.entity].name) for r in doc.relations if r.kind == "mentions"}
    assert {("1.1.1", "北湖大学"), ("1.1.1", "杉溪数字小镇"), ("1.1.1", "长三角"), ("1.1.1", "区科技局")} <= mentioned
    for r in doc.relations:
        if r.kind == "mentions":
            e = doc.entities[r.entity]
            assert doc.text[r.start:r.end] in {e.name, *e.aliases, e.canonical_name}


def test_relations_reach_the_store_with_their_cue_on_the_mention(kg):
    kg.ingest_text("江州市临湖区人民政府办公室关于印发《临湖区试点方案》的通知\n\n临府办〔2023〕21号\n\n"
                   "各街道办事处：\n\n现将《临湖区试点方案》印发给你们。\n\n江州市临湖区人民政府办公室\n\n2023年5月1日\n\n"
                   "临湖区试点方案\n\n一、重点任务\n\n（一）试点工作\n\n"
                   "依托北湖大学，围绕南湖科技园，搭建青禾工业互联网平台。（责任单位：区科技局）\n", source="r.txt")
    rows = kg.query("""
        SELECT ?prop ?name ?cue ?exact ?path WHERE {
          VALUES ?prop { pk:reliesOn pk:focusesOn pk:builds }
          ?s ?prop ?e ; pk:path ?path . ?e rdfs:label ?name .
          ?m pk:mentionOf ?e ; pk:inSection ?s ; pk:cue ?cue ; pk:exact ?exact }""").values()
    got = {(r["prop"].rsplit("#", 1)[-1], r["name"], r["cue"], r["path"]) for r in rows}
    assert got == {("reliesOn", "北湖大学", "依托", "1.1"), ("focusesOn", "南湖科技园", "围绕", "1.1"),
                   ("builds", "青禾工业互联网平台", "搭建", "1.1")}
    assert all(r["exact"] == r["name"] for r in rows)


def test_relations_sample_relies_and_focus_pairs_meet_the_gold_bar(sample_kg, gold):
    rows = sample_kg.query("""
        SELECT DISTINCT ?path ?label WHERE {
          ?s pk:reliesOn|pk:focusesOn ?e ; pk:path ?path . ?e rdfs:label|skos:altLabel|skos:prefLabel ?label }""").values()
    actions = {a["id"] for a in gold["actions"]}
    assert any(r["path"] in actions for r in rows)
    gold_pairs = set()
    names = {fold(e["name"]): {fold(x) for x in [e["name"], *e["aliases"]]} for e in gold["entities"]}
    for a in gold["actions"]:
        for n in a["relies_on"] + [x for c in a.get("focus_cues", []) for x in c["entities"]]:
            gold_pairs.add((a["id"], fold(n)))
    # one found pair per (action, entity node): group labels by node
    nodes = sample_kg.query("""
        SELECT DISTINCT ?path ?e WHERE { ?s pk:reliesOn|pk:focusesOn ?e ; pk:path ?path }""").values()
    labels = {}
    for r in sample_kg.query("SELECT ?e ?l WHERE { ?e rdfs:label|skos:altLabel|skos:prefLabel ?l }").values():
        labels.setdefault(r["e"], set()).add(r["l"])
    in_scope = [(r["path"], r["e"]) for r in nodes if r["path"] in actions]
    hit_found = {(p, e) for p, e in in_scope
                 if any(gp == p and names.get(gn, {gn}) & labels.get(e, set()) for gp, gn in gold_pairs)}
    hit_gold = {(gp, gn) for gp, gn in gold_pairs
                if any(p == gp and names.get(gn, {gn}) & labels.get(e, set()) for p, e in in_scope)}
    precision, recall = len(hit_found) / len(in_scope), len(hit_gold) / len(gold_pairs)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.70, (precision, recall)


def test_relations_a_table_cell_ends_the_object_of_its_cue():
    doc = parse_text("某省数据工作方案\n\n一、主要任务\n\n推进。\n\n附件\n\n重点任务分工表\n\n"
                     "序号\t重点任务\t牵头单位\t配合单位\t完成时限\n1\t建设江州公共数据开放平台\t省数据局\t省公安厅\t2024年底前\n")
    assert ("builds", "江州公共数据开放平台", "建设") in cued(doc)
