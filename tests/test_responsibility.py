"""Responsibility notes and unit resolution."""

from __future__ import annotations

import pytest

from policykg.ingest import parse_file, parse_text
from policykg.ingest.responsibility import parse_deadline, split_units
from policykg.ingest.units import resolve_unit

from helpers import DATA, sparql_json

PLAN = "某区行动方案\n一、重点任务\n1. 建设平台\n建设数据平台。{note}\n2. 推广应用\n推广应用。\n"


def _units(doc, path):
    return [(u.name, u.role) for r in doc.responsibilities if r.section == path for u in r.units]


@pytest.mark.parametrize("note,expected", [
    ("（责任单位：区科委、区建管委）", [("区科委", None), ("区建管委", None)]),
    ("（牵头单位：区发改委；配合单位：区财政局、各街道）",
     [("区发改委", "lead"), ("区财政局", "support"), ("各街道", "support")]),
    ("（区政务服务中心牵头，区大数据中心、各街道按职责分工配合）",
     [("区政务服务中心", "lead"), ("区大数据中心", "support"), ("各街道", "support")]),
    ("（区大数据中心负责）", [("区大数据中心", "lead")]),
    ("(责任部门:区商务委)", [("区商务委", None)]),
    ("（责任单位：区教育局和区体育局）", [("区教育局", None), ("区体育局", None)]),
    ("（牵头单位：区发改委，配合单位：区财政局及区国资委）",
     [("区发改委", "lead"), ("区财政局", "support"), ("区国资委", "support")]),
    ("（责任单位：区科委牵头，区财政局配合）", [("区科委", "lead"), ("区财政局", "support")]),
    ("（区科委、区财政局按职责分工负责）", [("区科委", None), ("区财政局", None)]),
    ("（主要责任单位：区规划和自然资源局；协同单位：区生态环境局等）",
     [("区规划和自然资源局", "lead"), ("区生态环境局", "support")]),
    ("\n责任单位：区科委、区建管委", [("区科委", None), ("区建管委", None)]),
    ("（区科委、区建管委）", [("区科委", None), ("区建管委", None)]),  # bare unit names closing the paragraph
])
def test_responsibility_note_forms(note, expected):
    doc = parse_text(PLAN.format(note=note))
    assert _units(doc, "1.1") == expected
    assert _units(doc, "1.2") == []
    note_start = doc.responsibilities[0]
    for u in note_start.units:
        assert doc.text[u.start:u.end] == u.name


@pytest.mark.parametrize("note", ["（其中，区科委牵头经济数字化转型）", "（以下简称“区科委”）", "（试点）",
                                  "（区科委、区建管委）等单位共同推进。"])
def test_responsibility_bracketed_prose_is_not_a_note(note):
    doc = parse_text(PLAN.format(note=note))
    assert doc.responsibilities == []


def test_responsibility_first_listed_is_lead_by_declared_convention():
    doc = parse_file(DATA / "notice-no-docnumber.txt")
    assert [u.role for r in doc.responsibilities for u in r.units] == [None] * 5
    text = PLAN.format(note="（责任单位：区科委、区财政局）") + "\n说明：列第一位者为牵头单位。\n"
    doc = parse_text(text)
    assert _units(doc, "1.1") == [("区科委", "lead"), ("区财政局", None)]


def test_responsibility_makes_the_owning_section_an_action():
    doc = parse_file(DATA / "notice-no-docnumber.txt")
    kinds = {s.path: s.kind for s in doc.sections}
    assert kinds["2.1"] == "Action" and kinds["2.2"] == "Action" and kinds["2"] is None


@pytest.mark.parametrize("name,jurisdiction,key", [
    ("区科委", "上海市普陀区", "上海市普陀区科学技术委员会"),
    ("区科委", "上海市静安区", "上海市静安区科学技术委员会"),
    ("上海市普陀区科学技术委员会", "上海市普陀区", "上海市普陀区科学技术委员会"),
    ("普陀区科委", "上海市普陀区", "上海市普陀区科学技术委员会"),
    ("市经信委", "上海市普陀区", "上海市经济和信息化委员会"),
    ("省发展改革委", "浙江省杭州市西湖区", "浙江省发展和改革委员会"),
    ("县经信局", "德清县", "德清县经济和信息化局"),
    ("市场监管局", "广州市天河区", "广州市天河区市场监督管理局"),
    ("区公安分局", "上海市普陀区", "上海市公安局普陀分局"),
])
def test_responsibility_units_resolve_within_their_jurisdiction(name, jurisdiction, key):
    assert resolve_unit(name, jurisdiction).key == key


def test_responsibility_unknown_bodies_stay_scoped_to_the_jurisdiction():
    a = resolve_unit("区城乡融合发展中心", "上海市普陀区")
    b = resolve_unit("区城乡融合发展中心", "上海市静安区")
    assert a.key != b.key and a.jurisdiction == "上海市普陀区"


@pytest.mark.parametrize("note,issued,role,deadline,text", [
    ("（6月底完成，牵头考核单位：区科委）", "2022年3月1日", "lead", "2022-06-30", "6月底"),
    ("（6月底完成，牵头考核单位：区科委）", "2022年9月1日", "lead", "2023-06-30", "6月底"),  # June is past: next year's
    ("（责任单位：区科委；完成时限：2024年底）", "2022年3月1日", None, "2024-12-31", "2024年底"),
    ("（区科委牵头，2023年9月底前完成）", "2022年3月1日", "lead", "2023-09-30", "2023年9月底前"),
])
def test_responsibility_note_deadlines_count_from_the_issue_date(note, issued, role, deadline, text):
    doc = parse_text(PLAN.format(note=note) + f"\n某区人民政府\n{issued}\n")
    (resp,) = doc.responsibilities
    assert resp.form == "note" and [(u.name, u.role) for u in resp.units] == [("区科委", role)]
    assert (resp.deadline, resp.deadline_text) == (deadline, text)


@pytest.mark.parametrize("phrase,ref,iso", [
    ("2023年底前", None, "2023-12-31"), ("2023年6月", None, "2023-06-30"), ("2024.9", None, "2024-09-30"),
    ("2023年12月15日前", None, "2023-12-15"), ("2023—2025年", None, "2025-12-31"), ("2024年上半年", None, "2024-06-30"),
    ("第二季度", "2024-01-01", "2024-06-30"), ("年底前", "2024-02-01", "2024-12-31"), ("十月底", "2024-02-01", "2024-10-31"),
    ("长期坚持", "2024-02-01", None), ("6月底", None, None),
])
def test_responsibility_deadline_phrases(phrase, ref, iso):
    assert parse_deadline(phrase, ref) == iso


@pytest.mark.parametrize("names,expected", [
    ("区科委、区建管委", ["区科委", "区建管委"]),
    ("区科委,区建管委,各街道镇", ["区科委", "区建管委", "各街道镇"]),
    ("市经信委及各区人民政府", ["市经信委", "各区人民政府"]),
    ("县自然资源和规划局", ["县自然资源和规划局"]),  # 和 inside one name
    ("区文化和旅游局、区人力资源和社会保障局", ["区文化和旅游局", "区人力资源和社会保障局"]),
    # a space splits between two whole names (a cell's paragraphs), never inside one name
    ("县财政局 各乡镇人民政府", ["县财政局", "各乡镇人民政府"]),
    ("区数据局  区商务委 临湖高新区管委会", ["区数据局", "区商务委", "临湖高新区管委会"]),
    ("中共临湖区委 组织部", ["中共临湖区委 组织部"]),  # an office of the committee before it
    ("江州市临湖区 数据局", ["江州市临湖区 数据局"]),  # a full name broken by a typo
    ("区人力资源和社会保障局 综合科", ["区人力资源和社会保障局 综合科"]),
])
def test_responsibility_unit_lists_split_only_between_names(names, expected):
    got = split_units(names, 10)
    assert [n for n, _, _ in got] == expected
    for n, a, b in got:
        assert names[a - 10:b - 10] == n


@pytest.mark.parametrize("sentence,expected", [
    ("由区科委牵头,区财政局、区商务委按职责分工配合。",
     [("区科委", "lead"), ("区财政局", "support"), ("区商务委", "support")]),
    ("区大数据中心牵头负责。", [("区大数据中心", "lead")]),
    ("由区大数据中心牵头推进平台建设。", [("区大数据中心", "lead")]),
    ("由区数据局负责。", [("区数据局", "lead")]),
    ("建立由区科委牵头的工作机制。", []),  # describes a mechanism, names no owner of this action
    ("机器人平台牵头发布相关标准。", []),  # a platform is no responsible unit
])
def test_responsibility_sentence_forms(sentence, expected):
    doc = parse_text(PLAN.format(note=sentence))
    assert _units(doc, "1.1") == expected
    for r in doc.responsibilities:
        assert r.form == "inline" and doc.text[r.start:r.end].rstrip("。").endswith(("牵头", "负责", "配合"))


def test_responsibility_sentence_in_a_safeguard_is_no_action_owner():
    doc = parse_file(DATA / "notice-no-docnumber.txt")  # 保障措施: 建立由区民政局牵头的工作机制
    assert all(r.section != "3.1" for r in doc.responsibilities)
    text = "某区行动方案\n一、重点任务\n1. 建设平台\n建设平台。（责任单位：区科委）\n二、保障措施\n（一）加强领导\n由区科委牵头,各部门配合。\n"
    doc = parse_text(text)
    assert [(r.section, r.form) for r in doc.responsibilities] == [("1.1", "note")]


def test_responsibility_headings_captions_are_not_notes():
    text = ("某市数据条例\n第一章 总则\n第一条(目的和依据)为了规范数据管理,制定本条例。\n"
            "第二条(责任部门)市数据局负责本条例的组织实施。\n第三条(牵头单位)由市数据局牵头建立协调机制。\n")
    doc = parse_text(text)
    assert all(r.start != doc.text.index("(目的和依据)") for r in doc.responsibilities)
    assert all("(责任部门)" not in doc.text[r.start:r.end] for r in doc.responsibilities)
    assert [s.title for s in doc.sections if s.style == "article"] == ["目的和依据", "责任部门", "牵头单位"]


def test_responsibility_lead_roles_stated_elsewhere_attach_to_the_part_they_name():
    doc = parse_file(DATA / "district-lead-roles.txt")
    got = {(r.section, u.name, u.role) for r in doc.responsibilities if r.form == "elsewhere" for u in r.units}
    assert got == {("2.1", "区经信局", "lead"), ("2.2", "区教育局", "lead"), ("2.3", "区委政法委", "lead")}
    # the parts stay containers and the actions keep exactly their own units
    assert [doc.section(p).kind for p in ("2.1", "2.2", "2.3")] == [None, None, None]
    own = {}
    for r in doc.responsibilities:
        if r.form != "elsewhere":
            own.setdefault(r.section, set()).update(u.name for u in r.units)
    assert own == {"2.1.1": {"区经信局"}, "2.1.2": {"区经信局", "区大数据局"}, "2.2.1": {"区教育局"},
                   "2.2.2": {"区卫生健康局", "区医保局"}, "2.3.1": {"区委政法委"}}
    assert _units(doc, "2.3.1") == [("区委政法委", "lead")]  # 由区委政法委牵头负责


def test_responsibility_elsewhere_needs_a_part_it_can_name():
    text = ("某区行动方案\n一、重点任务\n(一)推进产业数字化\n1. 建设平台\n建设平台。（责任单位：区科委）\n"
            "(二)推进产业服务升级\n1. 推广应用\n推广应用。（责任单位：区商务委）\n二、保障措施\n"
            "（一）加强领导\n区科委牵头产业工作;区财政局牵头资金保障。\n")
    doc = parse_text(text)
    # 产业 names both parts (ambiguous) and 资金保障 names none: no lead is guessed
    assert [r.form for r in doc.responsibilities] == ["note", "note"]


def test_responsibility_sample_lead_roles_reach_the_graph(sample_store):
    rows = sparql_json(sample_store, """
        SELECT ?path ?title ?unit WHERE {
          ?part pk:leadUnit ?u ; pk:path ?path ; rdfs:label ?title . ?u rdfs:label ?unit .
          FILTER NOT EXISTS { ?part a pk:Action } } ORDER BY ?path""")
    assert [(r["path"], r["unit"]) for r in rows] == [("2.1", "区科委"), ("2.2", "区民政局"), ("2.3", "区城运中心")]
    assert all(r["title"].startswith("以数字") for r in rows)
    text = sparql_json(sample_store, 'SELECT ?t WHERE { ?s pk:path "2.2" ; pk:responsibilityText ?t }')
    assert [r["t"] for r in text] == ["区民政局牵头生活数字化转型"]


def test_responsibility_ministry_departments_and_housing_bureaus_are_units():
    doc = parse_file(DATA / "ministry-notice.txt")
    got = [(r.form, r.section, [(u.name, u.role) for u in r.units]) for r in doc.responsibilities]
    assert got == [("inline", "2.1", [("信息技术发展司", "lead"), ("各地工业和信息化主管部门", "support")]),
                   ("note", "2.2", [("科技司", "lead"), ("信息技术发展司", "support")])]
    doc = parse_text(PLAN.format(note="（责任单位：区住房和城乡建设局、区建设管理委员会）"))
    assert _units(doc, "1.1") == [("区住房和城乡建设局", None), ("区建设管理委员会", None)]
    doc = parse_text(PLAN.format(note="（责任单位：加快建设数据中心）"))
    assert doc.responsibilities == []


@pytest.mark.parametrize("sentence,expected", [
    ("区数据局负责平台的统筹建设，区财政局负责资金保障。", [("区数据局", None), ("区财政局", None)]),
    ("区数据局负责平台运维工作；各街道负责推广使用。", [("区数据局", None), ("各街道", None)]),
    ("区数据局负责平台建设，区财政局、区国资委配合。", [("区数据局", None), ("区财政局", "support"), ("区国资委", "support")]),
    ("区数据局牵头负责全区数据归集。", [("区数据局", "lead")]),
    ("本办法由区数据局负责解释。", []),  # who interprets the text is no owner of a task
    ("各有关单位负责抓好落实。", []),  # a collective that names no body
    ("企业负责人参加培训。", []),  # a person in charge
    ("区数据局对平台安全负责。", []),  # accountable for, no task stated after it
    # a national body's branch, and a national institution, own the duty they are the subject of
    ("人民银行江州市中心支行负责推广普惠信贷产品。", [("人民银行江州市中心支行", None)]),
    ("国家金融监督管理总局江州监管分局负责风险监测，区财政局负责贴息。",
     [("国家金融监督管理总局江州监管分局", None), ("区财政局", None)]),
    ("国家信息中心负责提供数据支撑。", [("国家信息中心", None)]),
    ("区财政局负责落实人民银行再贷款贴息政策。", [("区财政局", None)]),  # 人民银行 is the topic, not a subject
    ("争取人民银行江州市中心支行支持。", []),  # named, but given no duty
])
def test_responsibility_duties_written_as_sentences(sentence, expected):
    doc = parse_text(PLAN.format(note=sentence))
    assert _units(doc, "1.1") == expected
    for r in doc.responsibilities:
        for u in r.units:
            assert doc.text[u.start:u.end] == u.name


def test_responsibility_a_duty_in_an_article_skips_its_marker_and_caption():
    doc = parse_text("某市数据办法\n第一条 市数据局负责全市数据资源的统筹管理。\n"
                     "第二条（区级职责）各区数据局负责本辖区数据归集。\n第三条 本办法由市数据局负责解释。\n")
    assert {r.section: [u.name for u in r.units] for r in doc.responsibilities} == {"1": ["市数据局"], "2": ["各区数据局"]}


def test_responsibility_a_sections_note_outranks_the_duties_its_sentences_state():
    doc = parse_text(PLAN.format(note="各街道负责本辖区推广。（责任单位：区数据局）"))
    assert _units(doc, "1.1") == [("区数据局", None)]


SAFEGUARD = "某区行动方案\n一、重点任务\n1. 建设平台\n建设平台。（责任单位：区科委）\n二、保障措施\n（一）加强统筹\n{sentence}\n"


@pytest.mark.parametrize("sentence,expected", [
    ("由区发改委牵头，建立联席会议制度，定期调度项目进展。", [("区发改委", "lead")]),
    ("区交通局牵头建立工作推进机制，各街道按照属地原则抓好落实。", [("区交通局", "lead")]),
    ("区财政局负责统筹安排专项资金。", [("区财政局", None)]),
    ("由区科委牵头，各部门配合。", []),  # no task is stated
    ("建立由区科委牵头的工作机制。", []),  # the lead of a mechanism the sentence describes
    ("建立由区科委牵头，各成员单位协同推进的工作机制。", []),
])
def test_responsibility_a_safeguard_item_owns_the_task_it_states(sentence, expected):
    doc = parse_text(SAFEGUARD.format(sentence=sentence))
    assert _units(doc, "2.1") == expected
    assert _units(doc, "1.1") == [("区科委", None)]
