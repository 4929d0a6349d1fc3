"""Entities (ingest/entities.py): what counts as a named thing, how its forms merge,
and where the text names it — on our own texts from other districts, cities,
provinces and a ministry, through a real store, and on the sample against its
hand annotation."""

from __future__ import annotations

import pytest
from helpers import DATA, fold

from policykg.ingest import parse_file, parse_text
from policykg.ingest.names import is_generic, quote_spans

DISTRICT = DATA / "entities-district.txt"
MINISTRY = DATA / "entities-ministry.txt"


@pytest.fixture(scope="module")
def district():
    return parse_file(DISTRICT)


@pytest.fixture(scope="module")
def ministry():
    return parse_file(MINISTRY)


def plan(body: str, unit: str = "区科技局", district: str = "江州市临湖区"):
    """A one-action plan of ``district`` whose only action says ``body``."""
    return parse_text(f"{district}测试行动方案\n\n一、重点任务\n\n（一）试点工作\n\n{body}（责任单位：{unit}）\n")


def by_name(doc) -> dict[str, object]:
    out = {}
    for e in doc.entities.values():
        for n in (e.name, *e.aliases, e.canonical_name):
            if n:
                out.setdefault(n, e)
    return out


def _finds(body: str, want: dict[str, str], unwanted: list[str]) -> None:
    """The plan around ``body`` names each of ``want`` with its type and none of ``unwanted``."""
    ents = by_name(plan(body))
    for name, typ in want.items():
        assert name in ents, f"{name} not found in {sorted(ents)}"
        assert ents[name].type == typ, name
    for name in unwanted:
        assert name not in ents, name


# ---------------------------------------------------------------- what counts, and as what

@pytest.mark.parametrize("name,typ", [
    ("区科技局", "GovernmentBody"), ("区发展改革委", "GovernmentBody"), ("市经信局", "GovernmentBody"),
    ("区委网信办", "GovernmentBody"), ("团区委", "GovernmentBody"), ("区公安分局", "GovernmentBody"),
    ("区政府", "GovernmentBody"), ("江州市临湖区人民政府办公室", "GovernmentBody"),
    ("各街道", "Subdistrict"), ("青山街道", "Subdistrict"), ("石桥街道", "Subdistrict"),
    ("北湖大学", "University"), ("临湖智能研究院", "ResearchInstitute"), ("江州材料研究所", "ResearchInstitute"),
    ("青禾数据科技有限公司", "Enterprise"), ("江州城投集团", "Enterprise"),
    ("青禾工业互联网公共服务平台", "Platform"), ("一体化智能调度指挥平台", "Platform"), ("城市大脑", "Platform"),
    ("江州城市安全大脑", "Platform"), ("“临湖通办”服务平台", "Platform"),
    ("南湖科技园", "Park"), ("云栖软件园", "Park"),
    ("杉溪数字小镇", "Area"), ("湖滨商圈", "Area"), ("沿江科创走廊", "Area"),
    ("临湖应急指挥中心", "Project"), ("东岸防汛调度中心", "Project"),  # 中心 yields to the text's label: 等项目
    ("临湖通办", "Programme"),
    ("临湖", "Place"), ("长三角", "Place"),
    ("区政府第7次常务会议", "Event"), ("十四五", "Other"),
    ("临湖区智慧城市建设三年行动方案", "Document"),  # the attached plan
])
def test_entities_district_document_types(district, name, typ):
    ents = by_name(district)
    assert name in ents, f"{name} not found"
    assert ents[name].type == typ


@pytest.mark.parametrize("word", [
    "全区", "5G", "大数据", "工作专班", "智慧公园", "链主", "数字经济特色园区", "工业互联网平台", "创新平台",
    "江州市临湖区科学技术局区科技局", "临湖城", "智慧城市",
])
def test_entities_generic_words_counted_kinds_and_labels_are_not_entities(district, word):
    assert word not in by_name(district)


@pytest.mark.parametrize("body,want,unwanted", [
    # quoted names: a programme unless a list, a label, an attribute, a technology or counted
    ("深化“最多跑一次”改革，推进“一码通行”。", {"最多跑一次": "Programme", "一码通行": "Programme"}, []),
    ("围绕“智能+制造”“智能+物流”等领域，培育一批“专精特新”企业和10家“链主”企业。", {},
     ["智能+制造", "智能+物流", "专精特新", "链主"]),
    ("推动“5G+”应用和“数字孪生”技术，发展“单项冠军”的企业，打造一批“智慧公园”“口袋公园”。", {},
     ["5G+", "数字孪生", "单项冠军", "智慧公园", "口袋公园"]),
    ("践行“绿水青山就是金山银山，冰天雪地也是金山银山”的理念。", {"绿水青山就是金山银山,冰天雪地也是金山银山": "Other"}, []),
    ("以习近平总书记重要讲话为指引，落实“十四五”规划，在长三角和江苏开展合作。",
     {"习近平": "Other", "十四五": "Other", "长三角": "Place", "江苏": "Place"}, []),
    # other divisions: the place names jieba's dictionary knows; a division inside a body's name is no place
    ("推进杭州市、宁波市开展试点，带动余杭区、德清县发展，会同杭州市人民政府推进。",
     {"杭州市": "Place", "宁波市": "Place", "余杭区": "Place", "德清县": "Place"}, ["大城市", "周边城市"]),
    # lists name things of their category; an item's own ending wins when it says what the thing is
    ("依托青禾数据科技有限公司、江州城投集团等龙头企业和北湖大学、东岸理工学院等高校，支持临湖新材料研究院发展。",
     {"青禾数据科技有限公司": "Enterprise", "江州城投集团": "Enterprise", "北湖大学": "University",
      "东岸理工学院": "University", "临湖新材料研究院": "ResearchInstitute"}, ["龙头企业"]),
    ("依托白鹭湾、金沙洲等重点区域和海创谷、云帆港等载体平台，推进江州生物医药实验室等项目建设。",
     {"白鹭湾": "Area", "金沙洲": "Area", "海创谷": "Platform", "云帆港": "Platform", "江州生物医药实验室": "Project"},
     []),
    ("加快青山街道、石桥镇建设，推进杉溪数字小镇、湖滨商圈、沿江经济带、临湖高新区和南湖科学城建设。",
     {"青山街道": "Subdistrict", "石桥镇": "Subdistrict", "杉溪数字小镇": "Area", "湖滨商圈": "Area",
      "沿江经济带": "Area", "临湖高新区": "Area", "南湖科学城": "Area"}, []),
    # a descriptive name counts only when one is built and it says enough; counted kinds never
    ("打造3个数字经济特色园区，建设2—3个工业互联网平台，建设一个创新平台，搭建全域智能交通调度平台。",
     {"全域智能交通调度平台": "Platform"}, ["数字经济特色园区", "工业互联网平台", "创新平台"]),
    ("建立医疗、医药、医保三医联动平台。", {"医疗、医药、医保三医联动平台": "Platform"}, ["医保三医联动平台"]),
    # words that end like a name but name none of our things; counts spelled in Chinese
    ("推进普惠性幼儿园建设，创建八十一所智慧校园示范校，改造城南公园。", {},
     ["普惠性幼儿园", "所智慧校园", "智慧校园", "城南公园"]),
])
def test_entities_rules_on_short_texts(body, want, unwanted):
    _finds(body, want, unwanted)


def test_entities_a_numbered_heading_is_not_part_of_a_name():
    doc = parse_text("江州市临湖区测试行动方案\n\n一、重点任务\n\n15.布局临湖算力调度中心\n\n统筹推进。（责任单位：区科技局）\n")
    assert "临湖算力调度中心" in by_name(doc)
    assert not any(n.startswith(("15", ".", "布局")) for n in by_name(doc))


def test_entities_the_adopting_meeting_is_one_event_without_its_date(kg):
    text = ("江州市临湖区人民政府关于印发《临湖区试点方案》的通知\n\n临府发〔2023〕3号\n\n各街道办事处：\n\n"
            "《临湖区试点方案》已经二〇二三年三月一日区政府第9次常务会议审议通过，现印发给你们。\n\n"
            "江州市临湖区人民政府\n\n2023年3月9日\n\n临湖区试点方案\n\n一、重点任务\n\n（一）试点\n\n依托北湖大学推进试点。\n")
    doc = parse_text(text)
    events = [e for e in doc.entities.values() if e.type == "Event"]
    assert [e.name for e in events] == ["区政府第9次常务会议"]
    kg.ingest_text(text, source="m.txt")
    rows = kg.query("SELECT DISTINCT ?e WHERE { ?e a pk:Event }").values()
    assert len(rows) == 1
    assert kg.query("ASK { ?m pk:mentionOf ?e . ?e a pk:Event . ?d pk:adoptedAt ?e }").boolean


# ---------------------------------------------------------------- resolution and aliases

def test_entities_abbreviations_resolve_within_the_issuing_district(district):
    ents = by_name(district)
    assert ents["区科技局"].canonical_name == "江州市临湖区科学技术局"
    assert ents["市经信局"].canonical_name == "江州市经济和信息化局"
    assert ents["区委网信办"].canonical_name == "中共江州市临湖区委员会网络安全和信息化委员会办公室"
    assert ents["团区委"].canonical_name == "共青团江州市临湖区委员会"
    assert ents["区公安分局"].canonical_name == "江州市公安局临湖分局"
    assert ents["区政府"].canonical_name == "江州市临湖区人民政府"


def test_entities_every_form_of_a_body_is_one_entity(district):
    # 区科技局, 临湖区科技局 and 江州市临湖区科学技术局 are all written in the district document
    e = by_name(district)["区科技局"]
    assert {"临湖区科技局", "江州市临湖区科学技术局"} <= {e.name, *e.aliases, e.canonical_name}
    assert by_name(district)["临湖区科技局"] is e is by_name(district)["江州市临湖区科学技术局"]


def test_entities_ministry_document_resolves_national_bodies(ministry):
    ents = by_name(ministry)
    assert ents["工信部"] is ents["工业和信息化部"]
    assert ents["国家发展改革委"] is ents["国家发展和改革委员会"]
    assert ents["科技部"] is ents["科学技术部"]
    assert ents["人民银行"].canonical_name == "中国人民银行"
    assert ents["金融监管总局"].canonical_name == "国家金融监督管理总局"
    assert ents["工业和信息化部中小企业局"].jurisdiction == "中华人民共和国"
    for e in ministry.entities.values():
        if e.type == "GovernmentBody":
            assert e.level == "national", e.name
    assert "工信厅" not in ents  # the prefix of the 文号 工信厅企业〔2023〕15号 names no body here
    assert ents["粤港澳大湾区"].type == "Area" and ents["长三角"].canonical_name == "长江三角洲"


def test_entities_a_name_with_a_place_prefix_and_without_is_one_entity():
    ents = by_name(plan("依托江州工业控制安全创新平台，支持工业控制安全创新平台发展。"))
    e = ents["江州工业控制安全创新平台"]
    assert e.name == "江州工业控制安全创新平台" and "工业控制安全创新平台" in e.aliases


def test_entities_a_quote_only_seen_inside_a_longer_name_is_its_alias():
    ents = by_name(plan("深化“青禾帮办”综合服务平台建设。"))
    e = ents["“青禾帮办”综合服务平台"]
    assert e.type == "Platform" and "青禾帮办" in e.aliases


def test_entities_jurisdiction_place_forms_are_one_place(district):
    place = by_name(district)["临湖"]
    assert place.canonical_name == "江州市临湖区" and place.key == "江州市临湖区"


# ---------------------------------------------------------------- mentions

def test_entities_every_mention_points_at_its_name(district, ministry):
    for doc in (district, ministry):
        for m in doc.mentions:
            e = doc.entities[m.entity]
            assert doc.text[m.start:m.end] in {e.name, *e.aliases, e.canonical_name}, m


def test_entities_mentions_are_leftmost_longest_and_do_not_overlap(district):
    ms = district.mentions
    assert all(a.end <= b.start for a, b in zip(ms, ms[1:]))
    text = district.text
    inside = text.index("临湖智能研究院")
    assert [district.text[m.start:m.end] for m in ms if m.start == inside] == ["临湖智能研究院"]
    assert not any(m.start == inside + 0 and m.end == inside + 2 for m in ms)  # not 临湖 inside the name
    # every occurrence of a name is a mention
    for name in ("北湖大学", "城市大脑", "临湖通办"):
        starts = {m.start for m in ms}
        pos = text.find(name)
        while pos >= 0:
            assert pos in starts or any(m.start < pos < m.end for m in ms), (name, pos)
            pos = text.find(name, pos + 1)


def test_entities_mentions_carry_their_innermost_section(district):
    sec = {m.entity: m.section for m in district.mentions}
    assert sec["北湖大学"] == "2.1.1"
    assert sec["江州城投集团"] == "2.1.2"
    assert sec["东岸防汛调度中心"] == "2.2.1"
    first_plan = next(m for m in district.mentions if m.entity == "临湖区智慧城市建设三年行动方案")
    assert first_plan.section is None  # the notice's header, before any heading


def test_entities_quote_spans_skip_unbalanced_quotes():
    t = "以“减环节、减“跑动”为目标，推行“好办”服务"
    assert [t[a:b] for a, b in quote_spans(t)] == ["好办"]


@pytest.mark.parametrize("word,generic", [("城市交通", True), ("智能制造", True), ("长风", False), ("青禾", False)])
def test_entities_is_generic_splits_compounds(word, generic):
    assert is_generic(word) is generic


# ---------------------------------------------------------------- through a real store

def _doc(district: str, abbr: str, topic: str, unit: str, n: int) -> str:
    short = district.removeprefix("江州市")
    return (f"江州市{district.removeprefix('江州市')}人民政府办公室关于印发《{short}{topic}实施方案》的通知\n\n"
            f"{abbr}府办〔2023〕{n}号\n\n各街道办事处：\n\n现将《{short}{topic}实施方案》印发给你们，请认真执行。\n\n"
            f"江州市{short}人民政府办公室\n\n2023年4月{n}日\n\n{short}{topic}实施方案\n\n一、重点任务\n\n（一）试点工作\n\n"
            f"依托北湖大学，建设“城市大脑”。（责任单位：{unit}）\n")


def _units_by_doc(kg) -> dict[str, set[str]]:
    rows = kg.query("""
        SELECT ?num ?u WHERE { GRAPH ?g { ?d pk:docNumber ?num . ?s pk:responsibleUnit ?u } }""").values()
    out: dict[str, set[str]] = {}
    for r in rows:
        out.setdefault(r["num"], set()).add(r["u"])
    return out


def test_entities_one_body_in_two_documents_of_one_government_is_one_node(kg):
    kg.ingest_text(_doc("临湖区", "临", "数据开放", "区科技局", 11), source="a.txt")
    kg.ingest_text(_doc("临湖区", "临", "人才发展", "临湖区科学技术局", 12), source="b.txt")
    units = _units_by_doc(kg)
    a, b = units["临府办〔2023〕11号"], units["临府办〔2023〕12号"]
    assert len(a) == 1 and a == b
    labels = {r["l"] for r in kg.query(f"""
        SELECT ?l WHERE {{ <{next(iter(a))}> rdfs:label|skos:altLabel|skos:prefLabel ?l }}""").values()}
    assert {"区科技局", "临湖区科学技术局", "江州市临湖区科学技术局"} <= labels
    pref = kg.query(f"SELECT DISTINCT ?p WHERE {{ <{next(iter(a))}> skos:prefLabel ?p }}").values()
    assert [r["p"] for r in pref] == ["江州市临湖区科学技术局"]


def test_entities_same_abbreviation_in_two_districts_is_two_nodes(kg):
    kg.ingest_text(_doc("临湖区", "临", "数据开放", "区科技局", 11), source="a.txt")
    kg.ingest_text(_doc("东港区", "东", "数据开放", "区科技局", 13), source="c.txt")
    units = _units_by_doc(kg)
    assert units["临府办〔2023〕11号"].isdisjoint(units["东府办〔2023〕13号"])
    # a proper name is one thing wherever it is named
    rows = kg.query("SELECT DISTINCT ?e WHERE { ?e a pk:University ; rdfs:label \"北湖大学\" }").values()
    assert len(rows) == 1


def test_entities_mentions_in_the_store_give_back_their_text(kg):
    kg.ingest_text(DISTRICT.read_text(encoding="utf-8"), source=str(DISTRICT))
    rows = kg.query("""
        SELECT ?x ?s ?e ?t ?sec WHERE {
          ?m a pk:Mention ; pk:exact ?x ; pk:start ?s ; pk:end ?e ; pk:inDocument ?d ; pk:mentionOf ?n .
          ?d pk:text ?t . OPTIONAL { ?m pk:inSection ?sec } }""").values()
    assert len(rows) >= 40
    for r in rows:
        assert r["t"][int(r["s"]):int(r["e"])] == r["x"]
    sections = kg.query("""
        SELECT ?path WHERE { ?s pk:path ?path ; pk:mentions ?e . ?e rdfs:label "北湖大学" }""").values()
    assert {r["path"] for r in sections} == {"2.1.1"}


# ---------------------------------------------------------------- the sample against its hand annotation

def test_entities_sample_meets_the_gold_bars(sample_kg, gold):
    classes = ("GovernmentBody Subdistrict Enterprise University ResearchInstitute Platform Park Area Project "
               "Programme Place Event NamedThing").split()
    rows = sample_kg.query(f"""
        SELECT ?e ?cls ?label WHERE {{
          VALUES ?cls {{ {' '.join('pk:' + c for c in classes)} }}
          ?e a ?cls ; rdfs:label|skos:altLabel|skos:prefLabel ?label }}""").values()
    nodes: dict[str, dict] = {}
    for r in rows:
        n = nodes.setdefault(r["e"], {"labels": set(), "types": set()})
        n["labels"].add(r["label"])
        n["types"].add(r["cls"].rsplit("#", 1)[-1])
    gold_names = [{fold(x) for x in [g["name"], *g["aliases"]]} for g in gold["entities"]]
    matched_nodes, matched_gold, typed = 0, set(), 0
    for n in nodes.values():
        hits = [i for i, names in enumerate(gold_names) if names & n["labels"]]
        if hits:
            matched_nodes += 1
            matched_gold.update(hits)
            want = gold["entities"][hits[0]]["type"]
            typed += (want in n["types"]) or (want == "Other" and "NamedThing" in n["types"])
    p, r = matched_nodes / len(nodes), len(matched_gold) / len(gold_names)
    f1 = 2 * p * r / (p + r)
    assert f1 >= 0.80, (p, r, f1)
    assert typed / matched_nodes >= 0.85


@pytest.mark.parametrize("body,want,unwanted", [
    # verbs and words that stand before a name are no part of it; 与 between two names ends the left one
    ("为规范众创空间建设和运营，提升科技孵化器（以下简称孵化器）服务能力，鼓励孵化器与北湖大学、东岸理工学院等高校合作。",
     {"北湖大学": "University"}, ["规范众创空间", "简称孵化器", "孵化器与北湖大学", "众创空间"]),
    ("各街道负责本辖区孵化器的培育，组织平台服务商开展对接，各地要将平台培育纳入考核。", {},
     ["辖区孵化器", "本辖区孵化器", "组织平台", "要将平台"]),
    ("推动机器人研发与转化平台发展。", {}, ["转化平台"]),  # 研发与转化: 与 inside one name stays
    # new endings: 谷, 城 (not 城市), 商务区, 云, a bracketed abbreviation
    ("建设江州光谷，聚焦临湖中央商务区和南湖未来城，依托区政务云，建设城市信息模型（CIM）平台。",
     {"江州光谷": "Park", "临湖中央商务区": "Area", "南湖未来城": "Area", "区政务云": "Platform",
      "城市信息模型(CIM)平台": "Platform"}, ["智慧城市", "县城"]),
    ("推进企业上云，实现县城和重点乡镇全覆盖，构建临湖城运中枢。", {}, ["企业上云", "县城", "临湖城"]),
    # a designated zone says enough in three words when one is built
    ("建设车联网先导区。", {"车联网先导区": "Area"}, []),
    # programmes a text implements or pilots it carries out; not a campaign, a strategy or an implementation plan
    ("实施临湖青年英才培育计划，实施数字乡村振兴行动，开展中小企业数字化转型城市试点。",
     {"临湖青年英才培育计划": "Programme", "数字乡村振兴行动": "Programme", "中小企业数字化转型城市试点": "Programme"}, []),
    ("深入实施创新驱动发展战略，制定实施计划，开展安全生产专项行动，实施更加积极的就业计划。", {},
     ["创新驱动发展战略", "实施计划", "安全生产专项行动", "更加积极的就业计划"]),
    ("落实省委“一号发展工程”的决策部署，推广“轻快准”解决方案。", {"一号发展工程": "Programme"}, ["轻快准"]),
    # a list item that is a division is a place; one that is only a kind names nothing
    ("聚焦临湖区、高新区等重点区域，推动医院、商圈等区域接入。", {"临湖区": "Place"}, ["医院", "商圈"]),
    # what a target counts is a kind
    ("力争省级跨行业跨领域工业互联网平台达到五个。", {}, ["省级跨行业跨领域工业互联网平台"]),
    # rivers and lakes named as places
    ("围绕富春江沿线和太湖流域，打造数字农业工厂。", {"富春江": "Place"}, []),
])
def test_entities_name_boundaries_endings_and_programmes(body, want, unwanted):
    _finds(body, want, unwanted)


def test_entities_names_inside_a_cited_title_or_a_longer_word_are_not_this_documents():
    doc = plan("根据《国务院关于投资体制改革的决定》和《浙江省数据条例》，以习近平新时代中国特色社会主义思想为指导，"
               "组织新疆生产建设兵团参与，建设中国声谷。")
    ents = by_name(doc)
    assert "国务院" not in ents and "浙江省" not in ents  # only inside cited titles
    assert "新疆" not in ents and "中国" not in ents  # inside 新疆生产建设兵团, 中国特色…, 中国声谷
    assert ents["习近平"].type == "Other" and ents["中国声谷"].type == "Park"


def test_entities_a_national_texts_bare_local_stems_and_city_kinds_name_no_body():
    doc = parse_text("工业和信息化部关于开展试点的通知\n\n各省、自治区、直辖市及计划单列市工业和信息化主管部门、财政厅（局）：\n\n"
                     "现就有关事项通知如下。\n\n一、任务\n\n依托中国中小企业发展促进中心开展诊断。\n\n"
                     "抄送：各省、自治区、直辖市人民政府办公厅。\n")
    ents = by_name(doc)
    assert "财政厅" not in ents and "市人民政府办公厅" not in ents and "政府办" not in ents
    assert ents["中国中小企业发展促进中心"].type == "GovernmentBody"
