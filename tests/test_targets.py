"""Targets: every number form, comparator, range, deadline and list form on short
texts of our own, the things that are not targets, the graph a target becomes,
and the bundled sample against its gold annotation (through SPARQL)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import DATA, fold, sparql_json
from hypothesis import given, settings
from hypothesis import strategies as st

from policykg.ingest import parse_file, parse_text
from policykg.ingest.targets import find_targets

# A notice that transmits a plan, issued on 2023-03-01 by a district of a made-up city.
HEADER = """江南市东湖区人民政府办公室关于印发《东湖区数字经济发展工作方案》的通知

各街道办事处、区政府各部门：

现将《东湖区数字经济发展工作方案》印发给你们，请认真贯彻执行。

江南市东湖区人民政府办公室

{issued}

东湖区数字经济发展工作方案

一、工作目标

"""


def parse(body: str, issued: str = "2023年3月1日"):
    return parse_text(HEADER.format(issued=issued) + body)


def clauses(doc) -> list[str]:
    return [doc.text[t.start:t.end] for t in doc.targets]


def only(doc):
    assert len(doc.targets) == 1, clauses(doc)
    return doc.targets[0]


# ---------------------------------------------------------------- numbers and units


@pytest.mark.parametrize("body,clause,value,unit,normalized,normalized_unit", [
    ("到2025年，全区培育２０００家科技企业。", "全区培育2000家科技企业", "2000", "家", "2000", "家"),  # full-width
    ("到2025年，新增就业岗位12,500个。", "新增就业岗位12,500个", "12500", "个", "12500", "个"),  # separators
    ("到2025年，软件业务收入达到12.5亿元。", "软件业务收入达到12.5亿元", "12.5", "亿元", "1250000000", "元"),
    ("到2025年，企业上云率达到85%。", "企业上云率达到85%", "85", "%", "85", "%"),
    ("到2025年，产业规模超过八百亿元。", "产业规模超过八百亿元", "800", "亿元", "80000000000", "元"),
    ("到2025年，培育一千二百家专精特新企业。", "培育一千二百家专精特新企业", "1200", "家", "1200", "家"),
    ("到2025年，新建两家新型研发机构。", "新建两家新型研发机构", "2", "家", "2", "家"),
    ("到2025年，光纤覆盖二十万户家庭。", "光纤覆盖二十万户家庭", "20", "万户", "200000", "户"),
    ("到2025年，建设一百零五个充电站。", "建设一百零五个充电站", "105", "个", "105", "个"),
    ("到2025年，培育企业一〇〇家。", "培育企业一〇〇家", "100", "家", "100", "家"),
    ("到2025年，培育企业一○○家。", "培育企业一○○家", "100", "家", "100", "家"),
    ("到2025年，数据共享率达到百分之九十。", "数据共享率达到百分之九十", "90", "%", "90", "%"),
    ("到2025年，新增绿地1.5万平方米。", "新增绿地1.5万平方米", "1.5", "万平方米", "15000", "平方米"),
    ("到2025年，社会融资规模达到1.2万亿元。", "社会融资规模达到1.2万亿元", "1.2", "万亿元", "1200000000000", "元"),
    ("到2025年，培训技能人才三万人次。", "培训技能人才三万人次", "3", "万人次", "30000", "人次"),
])
def test_targets_read_every_number_form(body, clause, value, unit, normalized, normalized_unit):
    doc = parse(body)
    t = only(doc)
    assert doc.text[t.start:t.end] == clause
    assert t.value == Decimal(value)
    assert t.unit == unit
    assert t.normalized_value == Decimal(normalized) and t.normalized_unit == normalized_unit
    assert t.deadline == "2025-12-31"


# ---------------------------------------------------------------- comparators


@pytest.mark.parametrize("clause,comparator,value", [
    ("研发投入超过5亿元", ">", "5"),
    ("年产值超50亿元", ">", "50"),
    ("入驻企业突破300家", ">", "300"),
    ("入驻企业100余家", ">", "100"),
    ("数字经济增加值达到500亿元", ">=", "500"),
    ("网上办理率达95%", ">=", "95"),
    ("培育高新技术企业200家以上", ">=", "200"),
    ("新增就业不少于3000人", ">=", "3000"),
    ("研发投入强度不低于3%", ">=", "3"),
    ("营业收入力争达到80亿元", ">=", "80"),
    ("重点企业上云率达到80%以上", ">=", "80"),
    ("万元产值能耗0.3吨以下", "<=", "0.3"),
    ("平均审批时间不超过5个工作日", "<=", "5"),
    ("空置率控制在5%以内", "<=", "5"),
    ("事故发生率低于2%", "<", "2"),
    ("PM2.5年均浓度下降到30微克/立方米", "<=", "30"),
    ("每万人口发明专利拥有量达到12件", ">=", "12"),
    ("覆盖人口50万人左右", "approx", "50"),
    ("服务企业约300家", "approx", "300"),
    ("建成10个数字社区", "=", "10"),
])
def test_targets_comparators(clause, comparator, value):
    doc = parse(f"到2025年，{clause}。")
    t = only(doc)
    assert doc.text[t.start:t.end] == clause
    assert (t.comparator, t.value) == (comparator, Decimal(value))


@pytest.mark.parametrize("clause,low,high,unit", [
    ("培育2—3家龙头企业", "2", "3", "家"),
    ("培育2-3家龙头企业", "2", "3", "家"),
    ("培育2～3家龙头企业", "2", "3", "家"),  # full-width tilde, folded to ~
    ("培育2至3家龙头企业", "2", "3", "家"),
    ("形成10—20 个解决方案", "10", "20", "个"),
    ("培育二至三家龙头企业", "2", "3", "家"),
    ("培育2家—3家龙头企业", "2", "3", "家"),
    ("覆盖率提高10%—20%", "10", "20", "%"),
    ("吸引投资5—10亿元", "5", "10", "亿元"),
])
def test_targets_ranges(clause, low, high, unit):
    doc = parse(f"到2025年，{clause}。")
    t = only(doc)
    assert doc.text[t.start:t.end] == fold(clause)
    assert t.comparator == "range" and t.value is None
    assert (t.value_min, t.value_max, t.unit) == (Decimal(low), Decimal(high), unit)
    assert t.normalized_value_min is not None and t.normalized_value_min <= t.normalized_value_max


def test_targets_range_normalises_both_bounds():
    t = only(parse("到2025年，吸引投资5—10亿元。"))
    assert (t.normalized_value_min, t.normalized_value_max, t.normalized_unit) == (
        Decimal("500000000"), Decimal("1000000000"), "元")


# ---------------------------------------------------------------- deadlines


@pytest.mark.parametrize("sentence,deadline,deadline_text", [
    ("到2023年底，建成10个平台。", "2023-12-31", "到2023年底"),
    ("2023年底前建成10个平台。", "2023-12-31", "2023年底前"),
    ("到2025年，建成10个平台。", "2025-12-31", "到2025年"),
    ("2023年6月底前建成10个平台。", "2023-06-30", "2023年6月底前"),
    ("2024年9月30日前建成10个平台。", "2024-09-30", "2024年9月30日前"),
    ("2024年上半年建成10个平台。", "2024-06-30", "2024年上半年"),
    ("“十四五”期间，建成10个平台。", "2025-12-31", "“十四五”期间"),
    ("到“十五五”末，建成10个平台。", "2030-12-31", "“十五五”末"),
    ("三年内建成10个平台。", "2026-03-01", "三年内"),  # relative to the issue date 2023-03-01
    ("用2年时间建成10个平台。", "2025-03-01", "2年时间"),
    ("年内建成10个平台。", "2023-12-31", "年内"),
    ("6个月内建成10个平台。", "2023-09-01", "6个月内"),
    ("全年完成固定资产投资300亿元。", "2023-12-31", "全年"),
    ("到二〇二五年，建成10个平台。", "2025-12-31", "到二〇二五年"),
    ("建成10个平台，2024年底前全部投用。", "2024-12-31", "2024年底前"),  # later in the same sentence
])
def test_targets_deadline_forms(sentence, deadline, deadline_text):
    t = only(parse(sentence))
    assert (t.deadline, t.deadline_text, t.deadline_inherited) == (deadline, deadline_text, False)


def test_targets_relative_deadline_needs_an_issue_date():
    doc = parse_text("一、目标\n三年内建成10个平台。")
    t = only(doc)
    assert t.deadline is None and t.deadline_text == "三年内"


def test_targets_list_items_inherit_the_lead_sentence_of_their_parent():
    doc = parse("(一)主要指标\n\n到2025年底，主要指标达到以下水平。\n\n1. 规模\n\n全区数字经济增加值超过500亿元。\n\n"
                "2. 企业\n\n培育10家龙头企业。\n")
    assert clauses(doc) == ["全区数字经济增加值超过500亿元", "培育10家龙头企业"]
    assert [(t.section, t.deadline, t.deadline_text, t.deadline_inherited) for t in doc.targets] == [
        ("1.1.1", "2025-12-31", "到2025年底", True), ("1.1.2", "2025-12-31", "到2025年底", True)]


def test_targets_breakdown_inherits_from_the_sentence_before():
    doc = parse("力争到2024年，落地30个应用场景。其中，打造10个社区场景，建设5所智慧学校。")
    assert [(t.value, t.deadline, t.deadline_inherited) for t in doc.targets] == [
        (Decimal(30), "2024-12-31", False), (Decimal(10), "2024-12-31", True), (Decimal(5), "2024-12-31", True)]
    assert doc.targets[0].deadline_text == "到2024年"


def test_targets_a_new_subtopic_does_not_inherit():
    doc = parse("加快平台建设。到2024年建成5个平台。推进园区改造。改造3个园区。")
    assert [(t.value, t.deadline) for t in doc.targets] == [(Decimal(5), "2024-12-31"), (Decimal(3), None)]
    assert doc.targets[1].deadline_inherited is False


def test_targets_inherit_a_deadline_from_the_heading_of_their_list():
    doc = parse("(一)2025年主要目标\n\n1. 规模\n\n建成10个平台。\n")
    t = only(doc)
    assert (t.section, t.deadline, t.deadline_text, t.deadline_inherited) == ("1.1.1", "2025-12-31", "2025年", True)


def test_targets_none_in_a_background_section():
    doc = parse_text("一、发展现状\n全区规模以上工业企业达到1200家。\n二、发展目标\n"
                     "到2025年，全区规模以上工业企业达到1500家。\n三、建设数字基础设施\n新建基站300个。\n")
    assert [(t.section, t.value) for t in doc.targets] == [("2", Decimal(1500)), ("3", Decimal(300))]


def test_targets_inherit_the_deadline_of_their_responsibility_note():
    doc = parse("二、重点任务\n\n(一)建设平台\n\n推进平台建设。新建5个平台。(2024年底前完成,责任单位:区经委)\n")
    t = only(doc)
    assert (t.section, t.deadline, t.deadline_text, t.deadline_inherited) == ("2.1", "2024-12-31", "2024年底前", True)


# ---------------------------------------------------------------- clauses, metric, verb, scope, condition


@pytest.mark.parametrize("sentence,expected", [
    ("到2025年，培养10名领军人才、50名青年人才、100名技术骨干。",
     [("培养10名领军人才", "领军人才", "培养"), ("50名青年人才", "青年人才", "培养"),
      ("100名技术骨干", "技术骨干", "培养")]),
    ("到2025年，建设智慧学校5所、智慧医院3家。",
     [("建设智慧学校5所", "智慧学校", "建设"), ("智慧医院3家", "智慧医院", None)]),
    ("到2025年，建成10个平台和20个基地。",
     [("建成10个平台", "平台", "建成"), ("20个基地", "基地", "建成")]),
    ("到2025年，建成30个覆盖面广、带动力强的“智慧、绿色”示范场景。",
     [("建成30个覆盖面广、带动力强的“智慧、绿色”示范场景", "“智慧、绿色”示范场景", "建成")]),
    ("到2025年，实现政务服务事项网办率达95%。",
     [("实现政务服务事项网办率达95%", "政务服务事项网办率", "实现")]),
    ("到2025年，市场主体牵头制定和发布团体标准15项。",
     [("市场主体牵头制定和发布团体标准15项", "团体标准", "牵头制定和发布")]),
])
def test_targets_one_per_list_item_with_metric_and_verb(sentence, expected):
    doc = parse(sentence)
    assert [(doc.text[t.start:t.end], t.metric, t.verb) for t in doc.targets] == expected


def test_targets_a_threshold_is_a_condition_not_a_target():
    doc = parse("到2025年，培育年营业收入超十亿元的企业3家，超亿元企业20家以上，形成5个以上产值超百亿元的产业集群。")
    assert [(t.value, t.unit, t.condition, t.metric) for t in doc.targets] == [
        (Decimal(3), "家", "年营业收入超十亿元", "年营业收入超十亿元的企业"),
        (Decimal(20), "家", "超亿元", "超亿元企业"),
        (Decimal(5), "个", "产值超百亿元", "产值超百亿元的产业集群")]


@pytest.mark.parametrize("sentence,scope", [
    ("到2025年，全市建成10个平台。", "全市"),
    ("到2025年底全省5G基站达到8万个。", "全省"),
    ("到2025年，建成10个平台，服务全区企业。", None),
    ("全区上下一心。到2025年，建成10个平台。", None),
])
def test_targets_scope_only_when_the_clause_says_it(sentence, scope):
    assert only(parse(sentence)).scope == scope


# ---------------------------------------------------------------- not targets


@pytest.mark.parametrize("sentence", [
    "经2023年2月20日区政府第12次常务会议审议通过。",  # a date and a meeting number
    "扩大IPv6个人用户规模，推广3D打印应用。",  # digits inside names of technologies (IPv6个人 is not 6 个)
    "推进“1+10+N”体系建设，打造“15分钟生活圈”。",  # digits inside quoted names
    "聚焦三大领域，做强四大产业，完善区、街道两级体系。",  # counting words of named lists
    "完成“智慧养老”“智慧助残”两项试点，聚焦三个方面。",
    "推动A公司、B公司、C公司等3家企业开展合作。",
    "培育一批龙头企业，让数字服务走进千家万户。",
    "全区现有规模以上企业1,860家。",
    "截至2022年底，全区已建成充电桩500个。",
    "2022年全区实现数字经济增加值600亿元。",  # a past figure: the plan was issued in 2023
    "贯彻《关于建设10个数字园区的行动计划(2021—2023年)》。",  # inside a title; the period is no target
    "近年来累计建成充电桩500个。",
    "支持营业收入超亿元的企业上市。",  # a threshold with nothing counted
    "对新认定的高新技术企业，给予最高50万元奖励。",  # incentives are not targets
    "对年营业收入首次突破1亿元的企业给予一次性奖励。",
    "按照实际投资额的10%给予补贴。",
    "项目建设周期为3个月。",  # a duration
])
def test_targets_not_targets(sentence):
    assert parse(sentence).targets == []


@pytest.mark.parametrize("issued", ["2023年3月1日", None])
def test_targets_historical_statistics_are_not_targets(issued):
    body = "2022年全区实现数字经济增加值600亿元。到2025年，全区数字经济增加值达到1000亿元。"
    doc = parse(body, issued) if issued else parse_text("一、工作目标\n" + body)
    assert clauses(doc) == ["全区数字经济增加值达到1000亿元"]
    assert doc.targets[0].value == Decimal(1000)


def test_targets_document_numbers_and_headings_are_not_targets():
    doc = parse_file(DATA / "targets-forms.txt")
    texts = clauses(doc)
    assert not any("〔2023〕" in x or "第12次" in x or "第3次" in x or "15分钟" in x for x in texts)
    assert all(t.section is not None and not t.section.startswith("1") for t in doc.targets)  # 发展基础 is history


# ---------------------------------------------------------------- a whole plan of our own


FORMS_EXPECTED = [
    ("2.1", "全市数字经济核心产业增加值超过八百亿元", ">", "800", "亿元", "2025-12-31", True),
    ("2.1", "占地区生产总值比重达到12.5%左右", "approx", "12.5", "%", "2025-12-31", True),
    ("2.2", "培育年营业收入超十亿元的链主企业5家", "=", "5", "家", "2025-12-31", True),
    ("2.2", "新增省级专精特新企业不少于一千二百家", ">=", "1200", "家", "2025-12-31", True),
    ("2.2", "建设2~3个市级工业互联网平台", "range", ("2", "3"), "个", "2025-12-31", True),
    ("2.3", "引进培养200名数字化领军人才", "=", "200", "名", "2025-12-31", True),
    ("2.3", "1000名青年工程师", "=", "1000", "名", "2025-12-31", True),
    ("2.3", "两万名产业工人", "=", "2", "万名", "2025-12-31", True),
    ("3.1", "规模以上工业企业上云率不低于百分之九十", ">=", "90", "%", "2024-06-30", False),
    ("3.1", "累计完成企业数字化诊断2000家次", "=", "2000", "家次", "2025-12-31", False),
    ("3.1", "每家企业诊断费用控制在3万元以内", "<=", "3", "万元", "2025-12-31", False),
    ("3.2", "新建5G基站3000个", "=", "3000", "个", "2024-12-31", True),
    ("3.2", "千兆宽带覆盖二十万户家庭", "=", "20", "万户", "2024-12-31", True),
    ("3.2", "工业园区覆盖率达到100%", ">=", "100", "%", "2024-12-31", True),
    ("3.2", "重点企业接入时延低于20毫秒", "<", "20", "毫秒", "2024-12-31", True),
    ("3.2", "建设1至2个区域算力中心", "range", ("1", "2"), "个", "2024-12-31", True),
    ("3.3", "打造10—20个智能工厂", "range", ("10", "20"), "个", None, False),
    ("3.3", "50个数字化车间", "=", "50", "个", None, False),
    ("3.3", "三年内建成“5G+工业互联网”示范园区4个", "=", "4", "个", "2026-02-10", False),
    # 专栏1 follows (三), the last item of 三、: the box is 三、's
    ("3", "全市工业企业关键工序数控化率2025年达到70%以上", ">=", "70", "%", "2025-12-31", False),
    ("3", "企业数字化研发设计工具普及率约85%", "approx", "85", "%", "2025-12-31", False),
]


def test_targets_a_city_plan_of_our_own():
    doc = parse_file(DATA / "targets-forms.txt")
    got = [(t.section, doc.text[t.start:t.end], t.comparator,
            str(t.value) if t.value is not None else (str(t.value_min), str(t.value_max)),
            t.unit, t.deadline, t.deadline_inherited) for t in doc.targets]
    assert got == FORMS_EXPECTED


def test_targets_step_is_rerunnable_and_spans_point_into_the_text():
    doc = parse_file(DATA / "targets-forms.txt")
    before = [(t.start, t.end, t.value, t.deadline) for t in doc.targets]
    doc = find_targets(doc)
    assert [(t.start, t.end, t.value, t.deadline) for t in doc.targets] == before
    for t in doc.targets:
        clause = doc.text[t.start:t.end]
        assert clause == clause.strip() and not any(ch in clause for ch in ",;。\n")
        assert t.value_text and t.value_text in clause
        assert t.metric is None or t.metric in clause


# ---------------------------------------------------------------- the graph


def test_targets_become_typed_literals_in_the_graph(kg):
    kg.ingest([DATA / "targets-forms.txt"])
    rows = kg.query("""
        SELECT ?label ?cmp ?min ?max ?nmin ?nmax ?nunit ?deadline ?inh ?path ?metric WHERE {
          ?t a pk:Target ; rdfs:label ?label ; pk:comparator ?cmp ; pk:valueMin ?min ; pk:valueMax ?max ;
             pk:normalizedValueMin ?nmin ; pk:normalizedValueMax ?nmax ; pk:normalizedUnit ?nunit ;
             pk:metric ?metric ; pk:statedIn ?s .
          ?s pk:path ?path ; pk:hasTarget ?t .
          OPTIONAL { ?t pk:deadline ?deadline ; pk:deadlineInherited ?inh }
          FILTER(datatype(?min) = xsd:decimal && datatype(?nmax) = xsd:decimal)
          FILTER(!BOUND(?deadline) || datatype(?deadline) = xsd:date)
        } ORDER BY ?label""").values()
    assert [(r["label"], r["min"], r["max"], r["nunit"], r.get("deadline"), r.get("inh"), r["path"]) for r in rows] == [
        ("建设1至2个区域算力中心", "1", "2", "个", "2024-12-31", "true", "3.2"),
        ("建设2~3个市级工业互联网平台", "2", "3", "个", "2025-12-31", "true", "2.2"),
        ("打造10—20个智能工厂", "10", "20", "个", None, None, "3.3"),
    ]
    money = kg.query("""
        SELECT ?v ?n ?unit ?nunit ?scope WHERE {
          ?t pk:value ?v ; pk:normalizedValue ?n ; pk:unit ?unit ; pk:normalizedUnit ?nunit ; pk:scope ?scope ;
             pk:comparator ">" }""").values()
    assert money == [{"v": "800", "n": "80000000000", "unit": "亿元", "nunit": "元", "scope": "全市"}]
    cond = kg.query('SELECT ?c WHERE { ?t pk:condition ?c ; pk:verb "培育" }').values()
    assert cond == [{"c": "年营业收入超十亿元"}]


# ---------------------------------------------------------------- the sample against the gold annotation


def test_targets_sample_matches_gold_through_sparql(sample_store, gold):
    rows = sparql_json(sample_store, """
        SELECT ?label ?path ?cmp ?value ?min ?max ?unit ?deadline ?inh ?metric WHERE {
          ?t a pk:Target ; rdfs:label ?label ; pk:comparator ?cmp ; pk:unit ?unit ; pk:statedIn ?s .
          ?s pk:path ?path .
          OPTIONAL { ?t pk:value ?value } OPTIONAL { ?t pk:valueMin ?min ; pk:valueMax ?max }
          OPTIONAL { ?t pk:deadline ?deadline ; pk:deadlineInherited ?inh }
          OPTIONAL { ?t pk:metric ?metric }
        }""")
    found = {(r["path"], r["label"]): r for r in rows}
    golds = {(g["section"], fold(g["text"])): g for g in gold["targets"]}
    matched = found.keys() & golds.keys()
    precision, recall = len(matched) / len(found), len(matched) / len(golds)
    assert 2 * precision * recall / (precision + recall) >= 0.9, sorted(golds.keys() - found.keys())

    def dec(x):
        return None if x is None else Decimal(str(x))

    comparator_right = [k for k in matched if found[k]["cmp"] == golds[k]["comparator"]]
    deadline_right = [k for k in matched if found[k].get("deadline") == golds[k]["deadline"]]
    assert len(comparator_right) >= 0.9 * len(matched)
    assert len(deadline_right) >= 0.9 * len(matched)
    for k in matched:
        f, g = found[k], golds[k]
        assert (dec(f.get("value")), dec(f.get("min")), dec(f.get("max")), f["unit"]) == (
            dec(g["value"]), dec(g["value_min"]), dec(g["value_max"]), g["unit"]), k
        if g["deadline"]:
            assert (f.get("inh") == "true") == g["deadline_inherited"], k


@pytest.mark.parametrize("breakage,message", [
    ('DELETE { GRAPH ?g { ?t rdfs:label ?l } } INSERT { GRAPH ?g { ?t rdfs:label "建成100个平台" } } '
     'WHERE { GRAPH ?g { ?t a pk:Target ; rdfs:label ?l ; pk:comparator ">" } }', "between its offsets"),
    ('INSERT { GRAPH ?g { ?t pk:valueMin 9.0 } } WHERE { GRAPH ?g { ?t pk:valueMax 3.0 } }', "minimum no larger"),
])
def test_targets_shapes_accept_our_targets_and_catch_broken_ones(breakage, message):
    from policykg import KnowledgeGraph
    from policykg.graph.validate import validate_store

    with KnowledgeGraph(None) as kg:
        kg.ingest([DATA / "targets-forms.txt"])
        report = validate_store(kg)
        assert report.conforms, report.text
        kg.update(breakage)
        report = validate_store(kg)
    assert not report.conforms and message in report.text


_ALPHABET = list("0123456789,.%~-—至到年月日底前内以上下左右约超过达不少于低建成培育家个亿万元户名项所一二两三十百千〇“”《》()、,;。:\n 全区市的和及第等G")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=120))
def test_targets_any_text_gives_well_formed_spans(body):
    doc = parse_text("一、目标\n" + body + "\n")
    for t in doc.targets:
        clause = doc.text[t.start:t.end]
        assert clause and clause == clause.strip()
        assert t.comparator in {"=", ">", ">=", "<", "<=", "approx", "range"}
        assert t.unit
        if t.comparator == "range":
            assert t.value is None and t.value_min <= t.value_max
        else:
            assert t.value is not None
        assert t.deadline is None or len(t.deadline) == 10
