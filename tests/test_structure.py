"""Header and heading tree, on texts written for these tests (tests/data/README.md)."""

from __future__ import annotations

import pytest

from policykg.ingest import parse_file, parse_text
from policykg.ingest.structure import heading_marker, jurisdiction_chain, jurisdiction_of

from helpers import DATA


def _spans_hold(doc):
    for s in doc.sections:
        assert doc.text[s.start:s.end].startswith(s.number), s.path
        assert doc.text[s.title_start:s.title_end] == s.title
        parent = doc.section(s.parent) if s.parent else None
        if parent:
            assert parent.start <= s.start and s.end <= parent.end


def test_structure_notice_without_docnumber_finds_plan_and_signature():
    doc = parse_file(DATA / "notice-no-docnumber.txt")
    m = doc.meta
    assert m.doc_number is None
    assert m.title.startswith("关于印发《") and m.doc_type == "通知"
    assert m.plan_title == "静安区推进智慧养老服务三年行动计划"
    assert m.issuer == "上海市静安区人民政府" and m.issued == "2023-04-03"
    assert m.jurisdiction == "上海市静安区"
    assert m.addressees == ["各街道办事处", "区政府各有关部门"]
    # headings are read from the plan only, not from the notice body
    assert [s.path for s in doc.sections] == ["1", "2", "2.1", "2.2", "3", "3.1"]
    assert doc.sections[0].start > doc.text.index("2023年4月3日")
    _spans_hold(doc)


def test_structure_plan_without_notes_has_five_levels_and_no_responsibility():
    doc = parse_file(DATA / "plan-no-notes.txt")
    assert doc.meta.title == "杭州市数字经济高质量发展实施方案(试行)"
    assert doc.meta.doc_type == "方案"  # the base genre of 实施方案
    paths = {s.path: s for s in doc.sections}
    assert paths["1.1.2.2.1"].number == "①" and paths["1.1.2.2.1"].level == 5
    assert paths["1.1.2.1"].heading_inline and paths["1.1.2.1"].title == "研发投入"
    assert doc.responsibilities == []
    assert paths["1.1.1"].kind == "Goal"
    assert paths["2.1.1"].kind == "Action" and paths["2.1"].kind is None
    _spans_hold(doc)


def test_structure_fullwidth_digit_headings_nest_like_halfwidth():
    doc = parse_file(DATA / "fullwidth-headings.txt")
    got = [(s.path, s.number, s.title) for s in doc.sections]
    assert got == [("1", "一、", "总体要求"), ("1.1", "(1)", "指导思想"), ("1.2", "(2)", "工作目标"),
                   ("1.2.1", "1.", "平台整合"), ("1.2.2", "2.", "数据共享")]
    _spans_hold(doc)


def test_structure_county_notice_with_docnumber_and_unquoted_plan_title():
    doc = parse_file(DATA / "county-tasks.txt")
    m = doc.meta
    assert m.doc_number == "德政办发〔2024〕8号"
    assert m.plan_title == "德清县县域数字经济提升工作方案"
    assert m.adopted_meeting == "县政府第12次常务会议" and m.adopted_date is None
    assert m.jurisdiction == "德清县" and m.level == "district"


def test_structure_section_spans_cover_subsections_and_stop_at_siblings():
    doc = parse_text("一、甲\n（一）子一\n内容一。\n（二）子二\n内容二。\n二、乙\n内容三。\n")
    one, sub1, sub2, two = doc.sections
    assert doc.text[one.start:one.end].endswith("内容二。")
    assert doc.text[sub1.start:sub1.end] == "(一)子一\n内容一。"
    assert two.start == doc.text.index("二、乙")


@pytest.mark.parametrize("line,expected", [
    ("一、总体要求", "cn_dun"), ("(二)行动目标", "cn_paren"), ("3. 载体", "ar_dot"), ("3、载体", "ar_dot"),
    ("(1) 数字产业化。依托…", "ar_paren"), ("①重点实验室", "circled"), ("第三条 职责", "article"),
    ("第二章 总则", "chapter"),
    ("2023年全面建成", None), ("5G 基站", None), ("1.5亿元", None), ("3D 游戏", None), ("(1+10+N)平台", None),
])
def test_structure_heading_markers(line, expected):
    got = heading_marker(line)
    assert (got[0] if got else None) == expected


def test_structure_articles_take_their_bracketed_caption():
    doc = parse_text("某市数据条例\n第一章 总则\n第一条（目的和依据）为了规范数据管理，制定本条例。\n第二条 本条例适用于本市。\n")
    arts = [s for s in doc.sections if s.style == "article"]
    assert [a.title for a in arts] == ["目的和依据", ""]
    assert arts[0].parent == "1"


@pytest.mark.parametrize("issuer,jurisdiction,level", [
    ("上海市普陀区人民政府办公室", "上海市普陀区", "district"),
    ("浙江省杭州市西湖区人民政府", "浙江省杭州市西湖区", "district"),
    ("广州市天河区人民政府", "广州市天河区", "district"),
    ("杭州市人民政府办公厅", "杭州市", "municipal"),
    ("四川省人民政府", "四川省", "provincial"),
    ("国务院办公厅", "中华人民共和国", "national"),
])
def test_structure_jurisdiction_of_issuer(issuer, jurisdiction, level):
    assert jurisdiction_of(issuer) == (jurisdiction, level)


def test_structure_level_prefixes_point_into_the_chain():
    chain = jurisdiction_chain("浙江省杭州市西湖区")
    assert chain["省"] == "浙江省" and chain["市"] == "浙江省杭州市" and chain["区"] == "浙江省杭州市西湖区"
    assert jurisdiction_chain("德清县") == {"区": "德清县", "县": "德清县"}


def test_structure_a_title_wrapped_over_two_lines_is_one_title():
    text = ("某市人民政府办公厅文件\n\n某政办发〔2023〕7号\n\n某市人民政府办公厅关于印发《某市公共数据授权运营\n"
            "管理办法》的通知\n\n各区人民政府,市政府各部门:\n\n现将《某市公共数据授权运营管理办法》印发给你们。\n\n"
            "某市人民政府办公厅\n2023年5月8日\n\n某市公共数据授权运营管理办法\n\n一、总则\n\n加强管理。\n")
    doc = parse_text(text)
    m = doc.meta
    assert m.title == "某市人民政府办公厅关于印发《某市公共数据授权运营管理办法》的通知"
    assert doc.text[m.title_span.start:m.title_span.end].replace("\n", "") == m.title
    assert m.plan_title == "某市公共数据授权运营管理办法" and m.doc_type == "通知"
    assert m.addressees == ["各区人民政府", "市政府各部门"] and m.issued == "2023-05-08"
    assert [s.title for s in doc.sections] == ["总则"]


def test_structure_table_rows_and_attachment_lists_are_no_headings():
    text = ("关于做好数据工作的通知\n\n各街道:\n\n现就有关事项通知如下。\n\n附件:1.数据工作任务表\n2.联系人名单\n\n"
            "某区人民政府办公室\n2024年1月5日\n\n一、工作任务\n\n序号\t工作任务\t责任单位\n1、\t建设平台\t区科委\n")
    doc = parse_text(text)
    assert doc.meta.attachments == ["数据工作任务表", "联系人名单"]
    assert [(s.path, s.number, s.style) for s in doc.sections] == [("1", "一、", "cn_dun"), ("1.1", "1、", "table_row")]


@pytest.mark.parametrize("line,addressees", [
    ("各区人民政府,市政府各部门,各有关单位:", ["各区人民政府", "市政府各部门", "各有关单位"]),
    ("为推进数据工作,现制定方案如下:", []),  # a lead-in sentence, not a 主送 line
])
def test_structure_addressee_line_names_bodies(line, addressees):
    doc = parse_text(f"关于做好数据工作的通知\n{line}\n一、重点任务\n1. 建设平台\n建设平台。\n")
    assert doc.meta.addressees == addressees


@pytest.mark.parametrize("heading,title", [
    ("1. 建设数据平台(责任单位:区科委)", "建设数据平台"),
    ("1. 建设数据平台(区科委牵头,区财政局配合)", "建设数据平台"),
    ("1. 建设数据平台(一期)", "建设数据平台(一期)"),
])
def test_structure_a_note_closing_a_heading_is_not_its_title(heading, title):
    doc = parse_text(f"某区行动方案\n一、重点任务\n{heading}\n推进建设。\n")
    sec = doc.section("1.1")
    assert sec.title == title and doc.text[sec.title_start:sec.title_end] == title
    assert [u.name for r in doc.responsibilities for u in r.units if r.section == "1.1"] == \
        ([] if "一期" in heading else [n for n in ("区科委", "区财政局") if n in heading])


BOXED = ("某市新基建行动计划\n\n一、重点任务\n\n（一）建设信息设施\n\n1. 推进网络覆盖。建设基站。\n\n2. 布局算力设施。建设算力中心。\n\n"
         "专栏1 信息设施主要指标\n（1）5G基站：累计建成2万个；\n（2）千兆用户：达到80万户。\n\n"
         "（二）建设融合设施\n\n3. 建设充电设施。新建充电桩。\n\n专栏2 融合设施主要指标\n（1）公共充电桩：达到6万个。\n\n"
         "二、保障措施\n\n（一）加强统筹。\n")


def test_structure_box_lines_are_no_headings_and_the_box_is_its_groups():
    doc = parse_text(BOXED)
    assert [(s.path, s.title) for s in doc.sections] == [
        ("1", "重点任务"), ("1.1", "建设信息设施"), ("1.1.1", "推进网络覆盖"), ("1.1.2", "布局算力设施"),
        ("1.2", "建设融合设施"), ("1.2.1", "建设充电设施"), ("2", "保障措施"), ("2.1", "加强统筹")]
    item = doc.section("1.1.2")
    assert doc.text[item.start:item.end].endswith("建设算力中心。")  # the box closes the item before it
    box = doc.text.index("(1)5G基站")
    assert doc.section_at(box).path == "1.1" and doc.section_at(doc.text.index("(1)公共充电桩")).path == "1.2"
    assert [(t.section, t.metric) for t in doc.targets] == [("1.1", "5G基站"), ("1.1", "千兆用户"), ("1.2", "公共充电桩")]
    _spans_hold(doc)


def test_structure_a_list_after_a_box_goes_on_numbering_its_items():
    doc = parse_text("某区工作方案\n\n一、重点任务\n\n1. 建设平台。推进建设。\n\n专栏1 平台建设指标\n1. 接入系统：20个；\n"
                     "2. 上线事项：300项。\n\n2. 推广应用。扩大使用。\n")
    assert [(s.path, s.title) for s in doc.sections] == [("1", "重点任务"), ("1.1", "建设平台"), ("1.2", "推广应用")]


ATTACHED = ("某省人民政府关于加快数据产业发展的实施意见\n\n某政〔2024〕8号\n\n各市人民政府：\n\n现提出如下意见。\n\n"
            "一、主要任务\n\n（一）建设平台。推进建设。\n\n附件：重点任务分工表\n\n某省人民政府\n2024年5月6日\n\n附件\n\n"
            "重点任务分工表\n\n序号\t重点任务\t牵头单位\t配合单位\t完成时限\n1\t建设平台\t省数据局\t省财政厅\t2024年底前\n"
            "2\t推广应用\t省数据局\t各市人民政府\t2025年底前\n3\t完善制度\t省司法厅\t省数据局\t2024年底前\n"
            "4\t培育企业\t省经信厅\t省科技厅\t2025年底前\n5\t培养人才\t省人社厅\t省教育厅\t2025年底前\n")


def test_structure_the_signature_before_the_attachments_is_found():
    m = parse_text(ATTACHED).meta
    assert (m.issued, m.issuer, m.issuers) == ("2024-05-06", "某省人民政府", ["某省人民政府"])
    assert m.attachments == ["重点任务分工表"]


@pytest.mark.parametrize("text", [
    # the title names them, apart by spaces
    "某省科学技术厅 某省财政厅关于印发《科技金融方案》的通知\n\n各市科技局：\n\n现印发给你们。\n\n2024年3月1日\n\n科技金融方案\n\n一、任务\n\n推进。\n",
    # the signature stacks them
    "关于印发《科技金融方案》的通知\n\n各市科技局：\n\n现印发给你们。\n\n某省科学技术厅\n某省财政厅\n2024年3月1日\n\n科技金融方案\n\n一、任务\n\n推进。\n",
    # the letterhead names them
    "某省科学技术厅 某省财政厅文件\n\n某科发〔2024〕3号\n\n关于印发《科技金融方案》的通知\n\n各市科技局：\n\n现印发给你们。\n\n2024年3月1日\n\n"
    "科技金融方案\n\n一、任务\n\n推进。\n",
])
def test_structure_joint_issuers_are_all_kept(text):
    m = parse_text(text).meta
    assert (m.issuer, m.issuers) == ("某省科学技术厅", ["某省科学技术厅", "某省财政厅"])
    assert m.issued == "2024-03-01"


def test_structure_joint_issuers_each_issue_the_document_in_the_graph():
    from policykg.graph.rdfize import document_to_quads

    doc = parse_text("中共临湖县委办公室 临湖县人民政府办公室关于印发《数字乡村工作要点》的通知\n\n各乡镇：\n\n现印发给你们。\n\n"
                     "中共临湖县委办公室\n临湖县人民政府办公室\n2024年2月26日\n\n数字乡村工作要点\n\n一、任务\n\n推进。\n")
    assert doc.meta.jurisdiction == "临湖县"
    _, quads = document_to_quads(doc)
    issuers = {(q.subject.value, q.object.value) for q in quads if q.predicate.value.endswith("#issuer")}
    assert len({o for _, o in issuers}) == 2 and len({s for s, _ in issuers}) == 2  # the notice and its plan


def test_structure_a_box_between_two_items_is_the_first_ones():
    doc = parse_text("某市工作方案\n\n一、主要任务\n\n（一）推广产品。遴选产品。\n\n专栏1 产品推广主要指标\n（1）遴选产品：100个；\n"
                     "（2）对接活动：20场。\n\n（二）建设载体。建设中心。\n\n二、保障措施\n\n（一）加强统筹。\n")
    assert [s.path for s in doc.sections] == ["1", "1.1", "1.2", "2", "2.1"]
    assert doc.section_at(doc.text.index("(1)遴选产品")).path == "1.1"
    assert [(t.section, t.metric) for t in doc.targets] == [("1.1", "遴选产品"), ("1.1", "对接活动")]
    _spans_hold(doc)
