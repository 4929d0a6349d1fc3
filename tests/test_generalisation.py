"""Generalisation: the parser on documents unlike the sample.

``tests/data/realistic/`` holds fourteen policy documents of our own in the layouts and at the
government levels the sample does not have, each with a hand annotation;
``benchmarks/evaluate_realistic.py`` measures a parse of every one through SPARQL.  The
figures must stay at or above the bars below (set from what the parser achieves, a little
under it, so a regression in any step shows).  The short texts after that pin each rule the
suite made us add, on words of our own.
"""

from __future__ import annotations

import importlib.util
import json
from decimal import Decimal

import pytest
from helpers import DATA, ROOT

from policykg.ingest import parse_text

REALISTIC = DATA / "realistic"
ANNOTATIONS = sorted(REALISTIC.glob("*.json"))


def _evaluator():
    spec = importlib.util.spec_from_file_location("evaluate_realistic", ROOT / "benchmarks" / "evaluate_realistic.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def figures() -> dict:
    return _evaluator().evaluate(REALISTIC)


# ---------------------------------------------------------------- the suite and its annotations


@pytest.mark.parametrize("path", ANNOTATIONS, ids=lambda p: p.stem)
def test_generalisation_annotations_quote_their_documents(path):
    """Every string an annotation names is in its document as written (no paraphrase, no invented names)."""
    gold = json.loads(path.read_text(encoding="utf-8"))
    text = (REALISTIC / gold["file"]).read_text(encoding="utf-8")
    squashed = "".join(text.split())  # table cells are joined without their tabs
    quoted = [t["text"] for t in gold["targets"]]
    quoted += [n for e in gold["entities"] for n in [e["name"], *e.get("aliases", [])]]
    quoted += [u for a in gold["actions"] for u in a["units"] + a.get("lead", []) + a.get("support", [])]
    quoted += [n for p, n, t in gold["sections"]] + [t for p, n, t in gold["sections"] if t]
    quoted += [gold["document"]["title"]] + [x for x in (gold["document"].get("plan_title"),) if x]
    missing = [q for q in quoted if q not in text and "".join(q.split()) not in squashed]
    assert not missing, f"not in {gold['file']}: {missing}"
    names = {e["name"] for e in gold["entities"]}
    pairs = [n for kind in gold["relations"].values() for _, n in kind]
    assert set(pairs) <= names, set(pairs) - names
    assert len(ANNOTATIONS) >= 8


# Bars for the whole suite: what the parser reaches with the fixes of this suite, rounded down.
OVERALL_BARS = {
    ("metadata", "share"): 0.97,
    ("sections", "f1"): 0.95,
    ("actions", "exact_units", "share"): 0.90,
    ("actions", "exact_roles", "share"): 0.90,
    ("actions", "unit_pairs", "f1"): 0.95,
    ("targets", "f1"): 0.95,
    ("targets", "strict", "f1"): 0.95,
    ("targets", "deadline", "share"): 0.97,
    ("targets", "comparator", "share"): 0.98,
    ("entities", "f1"): 0.90,
    ("entities", "type", "share"): 0.95,
    ("relations", "f1"): 0.88,
}


def _get(d: dict, keys: tuple[str, ...]) -> float:
    for k in keys:
        d = d[k]
    return d


def test_generalisation_overall_figures_hold_their_bars(figures):
    low = {".".join(k): (_get(figures["overall"], k), bar) for k, bar in OVERALL_BARS.items()
           if _get(figures["overall"], k) < bar}
    assert not low, f"below the bar (got, bar): {low}"


# Per document: stated targets are found with value, unit, comparator and deadline right, and
# actions keep exactly their units — except where a known failure of another step holds a
# document down (named here; the fix belongs to that step).
TARGET_FLOORS: dict[str, float] = {}
UNIT_FLOORS: dict[str, float] = {}


@pytest.mark.parametrize("path", ANNOTATIONS, ids=lambda p: p.stem)
def test_generalisation_each_document_keeps_its_targets_and_units(figures, path):
    fig = figures["documents"][path.stem + ".txt"]
    t = fig["targets"]
    if t["gold"] or t["found"]:
        assert t["strict"]["f1"] >= TARGET_FLOORS.get(path.stem, 0.99), (t["missed"], t["spurious"], t["wrong"])
    else:
        assert t["found"] == 0
    units = fig["actions"]["exact_units"]
    assert units["share"] >= UNIT_FLOORS.get(path.stem, 0.99) or not units["of"], fig["actions"]["wrong"]


# ---------------------------------------------------------------- rules the suite asked for (targets)

# A notice of a made-up district, signed on 2024-04-02, that transmits an annual plan.
NOTICE = """江州市临湖区人民政府办公室关于印发临湖区{title}的通知

临府办〔2024〕7号

各街道办事处，区政府各部门：

《临湖区{title}》已经区政府同意，现印发给你们，请认真贯彻落实。

江州市临湖区人民政府办公室
2024年4月2日

临湖区{title}

"""


def plan(body: str, title: str = "数字化转型工作方案"):
    return parse_text(NOTICE.format(title=title) + body)


def spans(doc) -> list[str]:
    return [doc.text[t.start:t.end] for t in doc.targets]


def test_generalisation_task_table_rows_state_targets_due_by_their_row():
    doc = parse_text("某省数字化改革实施方案\n\n一、主要任务\n\n推进改革。\n\n附件\n\n重点任务分工表\n\n"
                     "序号\t重点任务\t牵头单位\t配合单位\t完成时限\n"
                     "1\t新建政务服务驿站50个\t省大数据局\t省财政厅\t2024年底前\n"
                     "2\t优化审批流程\t省政务办\t省司法厅\t2024年6月底前\n")
    assert spans(doc) == ["新建政务服务驿站50个"]
    t = doc.targets[0]
    assert (t.section, t.value, t.unit, t.deadline, t.deadline_inherited) == ("2.1", Decimal(50), "个", "2024-12-31", True)


def test_generalisation_indicator_lines_of_a_box_take_their_label_as_metric():
    doc = plan("一、主要任务\n\n（一）建设算力设施\n\n专栏1 算力设施主要指标\n"
               "（1）数据中心标准机架：3万—5万架；\n（2）智算规模：达到500PFlops以上；\n（3）公共充电桩：累计建成8000个。\n")
    got = [(t.metric, t.comparator, t.value, t.value_min, t.value_max, t.unit) for t in doc.targets]
    assert got == [("数据中心标准机架", "range", None, Decimal(3), Decimal(5), "万架"),
                   ("智算规模", ">=", Decimal(500), None, None, "PFlops"),
                   ("公共充电桩", "=", Decimal(8000), None, None, "个")]
    assert doc.targets[0].normalized_value_min == Decimal(30000) and doc.targets[0].normalized_unit == "架"
    assert spans(doc)[0] == "数据中心标准机架:3万—5万架"


def test_generalisation_an_indicator_table_states_targets_in_its_target_year_column():
    doc = plan("一、发展目标\n\n表1 主要指标\n\n指标名称\t2023年（基期）\t2026年目标值\t属性\n"
               "数字经济增加值（亿元）\t800\t≥1200\t预期性\n研发投入强度（%）\t2.5\t3左右\t预期性\n"
               "数据中心机架（万架）\t1\t2—3\t预期性\n", title="数字经济行动方案")
    got = [(t.section, t.metric, t.comparator, t.value or (t.value_min, t.value_max), t.unit, t.deadline)
           for t in doc.targets]
    assert got == [("1", "数字经济增加值", ">=", Decimal(1200), "亿元", "2026-12-31"),
                   ("1", "研发投入强度", "approx", Decimal(3), "%", "2026-12-31"),
                   ("1", "数据中心机架", "range", (Decimal(2), Decimal(3)), "万架", "2026-12-31")]
    assert doc.targets[0].normalized_value == Decimal(120000000000)
    assert all(doc.text[t.start:t.end].startswith(t.metric) for t in doc.targets)


@pytest.mark.parametrize("table", [
    "指标\t2020年\t2022年\n工业增加值（亿元）\t500\t600\n",  # past figures only (issued 2024)
    "序号\t项目名称\t总投资（亿元）\t2024年计划投资\t责任单位\n1\t某产业园项目\t10\t5.2\t区发改局\n",  # a project list
])
def test_generalisation_tables_that_state_no_targets(table):
    assert plan("一、发展基础\n\n推进建设。\n\n二、项目安排\n\n" + table).targets == []


def test_generalisation_tenths_are_a_share():
    t = plan("一、目标\n\n到2025年，企业满意度不低于九成，八成以上村社接入平台。\n").targets
    assert [(x.comparator, x.value, x.unit, x.normalized_value, x.normalized_unit) for x in t] == [
        (">=", Decimal(9), "成", Decimal(90), "%"), (">=", Decimal(8), "成", Decimal(80), "%")]
    assert not plan("一、目标\n\n坚持一成不变的原则，建成为民服务中心。\n").targets


@pytest.mark.parametrize("sentence,deadline", [
    ("6月底前新增事项不少于30项。", "2024-06-30"),
    ("9月30日前建成驿站20个。", "2024-09-30"),
    ("到10月底，新增事项30项。", "2024-10-31"),
    ("3月底前建成驿站20个。", "2025-03-31"),  # March has passed on 2 April: next year's
    ("年底前，各街道至少建成1个驿站。", "2024-12-31"),
])
def test_generalisation_month_deadlines_count_from_the_signing_date(sentence, deadline):
    t = plan("一、目标\n\n" + sentence + "\n", title="数字化转型实施方案").targets
    assert [(x.deadline, x.deadline_inherited) for x in t] == [(deadline, False)]
    assert t[0].comparator == (">=" if "至少" in sentence or "不少于" in sentence else "=")


def test_generalisation_list_items_do_not_lend_each_other_deadlines():
    doc = plan("一、目标\n\n推进网络建设。一是2024年6月底前新建基站300个；二是光纤用户不少于20万户；三是年内建成管理系统。\n",
               title="网络建设实施方案")
    assert spans(doc) == ["2024年6月底前新建基站300个", "光纤用户不少于20万户"]
    assert [t.deadline for t in doc.targets] == ["2024-06-30", None]


def test_generalisation_a_yearly_figure_takes_no_deadline_from_a_later_clause():
    doc = plan("一、目标\n\n每年安排重点项目500个左右，“十四五”期间累计完成投资2万亿元。\n", title="重点项目实施方案")
    assert [(t.value, t.deadline) for t in doc.targets] == [(Decimal(500), None), (Decimal(2), "2025-12-31")]
    doc = plan("一、目标\n\n数字经济增加值年均增长15%以上，到2025年达到1500亿元。\n", title="数字经济实施方案")
    assert [(t.value, t.deadline) for t in doc.targets] == [(Decimal(15), "2025-12-31"), (Decimal(1500), "2025-12-31")]
    # a clause without a value of its own still dates the values before it
    doc = plan("一、目标\n\n新建驿站20个，2024年底前全部投用。\n", title="驿站建设实施方案")
    assert [(t.value, t.deadline) for t in doc.targets] == [(Decimal(20), "2024-12-31")]


def test_generalisation_an_annual_plan_dates_its_targets_by_its_title_year():
    doc = plan("一、重点任务\n\n（一）建设平台。新建服务驿站20个。\n", title="2024年数字化转型工作要点")
    assert [(t.deadline, t.deadline_text, t.deadline_inherited) for t in doc.targets] == [("2024-12-31", "2024年", True)]
    period = plan("一、重点任务\n\n（一）建设平台。新建服务驿站20个。\n", title="数字化转型行动计划（2024—2026年）")
    assert period.targets[0].deadline is None  # a period plan: no year is every target's


@pytest.mark.parametrize("body", [
    "一、认定条件\n\n（一）场地面积不低于3000平方米；\n（二）在孵企业不少于30家。\n",
    "一、支持对象\n\n第三条 申请认定应当具备下列条件：\n\n（一）场地面积不低于3000平方米；\n\n（二）在孵企业不少于30家。\n",
    "一、项目申报\n\n申报项目应当符合产业政策，总投资原则上不低于10亿元。\n",
])
def test_generalisation_eligibility_conditions_are_no_targets(body):
    assert spans(plan(body, title="孵化器管理办法")) == []


@pytest.mark.parametrize("sentence", [
    "打造15分钟便民生活圈，构建1小时通勤圈。",  # durations that name a kind of circle
    "对年营业收入首次突破10亿元的企业，给予一次性奖励。",  # the condition of an incentive
    "新建时速350公里的城际铁路。",  # a specification
])
def test_generalisation_numbers_that_are_no_targets(sentence):
    assert spans(plan("一、目标\n\n" + sentence + "\n")) == []


def test_generalisation_a_bracketed_breakdown_is_a_target_of_its_own():
    doc = plan("一、目标\n\n到2025年，新建5G基站不少于3000个（其中室内分布系统500个）。\n")
    assert spans(doc) == ["新建5G基站不少于3000个", "其中室内分布系统500个"]
    assert [(t.comparator, t.value, t.metric) for t in doc.targets] == [
        (">=", Decimal(3000), "5G基站"), ("=", Decimal(500), "室内分布系统")]


@pytest.mark.parametrize("clause,comparator,metric", [
    ("市场主体满意度保持在90%以上", ">=", "市场主体满意度"),
    ("平台可网办率稳定在95%以上", ">=", "平台可网办率"),
    ("审批时限压减至40个工作日以内", "<=", "审批时限"),
    ("办理时间压缩至0.5个工作日", "<=", "办理时间"),
    ("数字经济规模力争突破2万亿元", ">", "数字经济规模"),
])
def test_generalisation_comparator_verbs_stay_out_of_the_metric(clause, comparator, metric):
    t = plan(f"一、目标\n\n到2025年，{clause}。\n").targets
    assert [(x.comparator, x.metric) for x in t] == [(comparator, metric)]


def test_generalisation_heading_and_item_markers_are_no_part_of_a_clause():
    doc = plan("一、目标\n\n（一）新建驿站20个；\n\n（二）改造站点30个。\n\n建设网络。一是实现行政村5G覆盖率达到95%以上。\n",
               title="2024年网络建设工作方案")
    assert spans(doc) == ["新建驿站20个", "改造站点30个", "实现行政村5G覆盖率达到95%以上"]
    assert doc.targets[2].metric == "行政村5G覆盖率"


# ---------------------------------------------------------------- rules the suite asked for (other steps)


def test_generalisation_portal_header_lines_stay_apart_from_the_title():
    doc = parse_text("索引号：11330000/2024-00012\n发布机构：某省经济和信息化厅\n发布日期：2024-05-10\n分类：工业、信息产业\n"
                     "文号：某经信〔2024〕12号\n\n某省经济和信息化厅关于印发《平台培育方案》的通知\n\n各设区市经信局：\n\n"
                     "现将《平台培育方案》印发给你们。\n\n某省经济和信息化厅\n2024年5月6日\n\n平台培育方案\n\n一、目标\n\n培育平台10个。\n")
    m = doc.meta
    assert (m.title, m.plan_title, m.issued, m.published) == (
        "某省经济和信息化厅关于印发《平台培育方案》的通知", "平台培育方案", "2024-05-06", "2024-05-10")


def test_generalisation_a_title_above_its_doc_number_is_the_title():
    doc = parse_text("某省人民政府关于加快数字经济发展的实施意见\n\n某政〔2024〕3号\n\n各市人民政府，省政府各部门：\n\n"
                     "现提出如下意见。\n\n一、总体要求\n\n到2025年，数字经济增加值达到1万亿元。\n\n某省人民政府\n2024年2月1日\n")
    m = doc.meta
    assert (m.title, m.doc_number, m.doc_type, m.issuer) == ("某省人民政府关于加快数字经济发展的实施意见", "某政〔2024〕3号", "意见",
                                                            "某省人民政府")
    assert m.addressees == ["各市人民政府", "省政府各部门"]


def test_generalisation_a_copied_to_list_of_bodies_names_each():
    doc = parse_text(NOTICE.format(title="数字化转型工作方案") + "一、目标\n\n推进转型。\n\n抄送：区委办公室、区人大常委会办公室、区政协办公室。\n")
    assert doc.meta.copied_to == ["区委办公室", "区人大常委会办公室", "区政协办公室"]


def _roles(doc):
    return {r.section: [(u.name, u.role) for u in r.units] for r in doc.responsibilities}


def test_generalisation_a_convention_can_make_the_others_supporting_units():
    doc = plan("一、主要任务\n\n（一）建设平台。（责任单位：区城运中心、区大数据中心、各街道办事处）\n\n"
               "以上任务涉及多个单位的，列第一位者为牵头单位，其他单位按职责分工配合。\n")
    assert _roles(doc)["1.1"] == [("区城运中心", "lead"), ("区大数据中心", "support"), ("各街道办事处", "support")]


def test_generalisation_responsible_beside_a_lead_is_no_second_lead():
    doc = plan("一、主要任务\n\n（一）建设平台。（区经信局牵头，各街道办事处负责）\n\n（二）推广应用。（区经信局负责）\n")
    assert _roles(doc) == {"1.1": [("区经信局", "lead"), ("各街道办事处", None)], "1.2": [("区经信局", "lead")]}


def test_generalisation_unit_names_with_a_bracket_or_an_unusual_ending():
    doc = plan("一、主要任务\n\n（一）建设平台。（牵头单位：区供销社；配合单位：区住房建设园林局，各县（市）区人民政府）\n\n"
               "（二）推广应用。由各市（州）人民政府牵头，会同项目业主抓好落实。\n")
    assert _roles(doc) == {"1.1": [("区供销社", "lead"), ("区住房建设园林局", "support"), ("各县(市)区人民政府", "support")],
                           "1.2": [("各市(州)人民政府", "lead")]}


def test_generalisation_a_note_after_one_line_items_belongs_to_their_section():
    doc = plan("一、主要任务\n\n（一）优化集成服务。重点推进以下事项：\n\n①企业开办，压缩办理时间；\n\n②企业注销，实现网上办理。\n\n"
               "（责任单位：区市场监管局、区数据资源局）\n\n（二）建设平台\n\n建设服务平台。\n\n（责任单位：区经信局）\n")
    assert _roles(doc) == {"1.1": [("区市场监管局", None), ("区数据资源局", None)], "1.2": [("区经信局", None)]}


def test_generalisation_traditional_only_forms_match_their_cues():
    doc = parse_text("溫州市人民政府辦公室關於印發溫州市智慧交通建設實施方案的通知\n\n各縣（市、區）人民政府：\n\n現印發給你們。\n\n"
                     "溫州市人民政府辦公室\n2023年7月20日\n\n溫州市智慧交通建設實施方案\n\n一、重點任務\n\n"
                     "（一）建設監測平台。依託溫州城市大腦，建設交通運行監測調度中心。（責任單位：市交通運輸局）\n")
    relied = [doc.entities[r.entity].name for r in doc.relations if r.kind == "reliesOn"]
    assert relied == ["溫州城市大腦"]
