"""Task tables (任务分工表) in text: tab-, |- and space-separated rows, wrapped
cells, column roles; each row becomes an Action with its units and deadline."""

from __future__ import annotations

import pytest

from policykg.ingest import parse_file, parse_text
from policykg.ingest.normalise import normalise
from policykg.ingest.tables import column_roles, split_cells

from helpers import DATA, run_cli, sparql_json


def _rows(doc):
    by_path = {s.path: s for s in doc.sections}
    out = []
    for r in doc.responsibilities:
        if r.form == "table":
            sec = by_path[r.section]
            out.append((sec.path, sec.number, sec.title, [(u.name, u.role) for u in r.units], r.deadline))
    return out


def _spans_hold(doc):
    for r in doc.responsibilities:
        for u in r.units:
            assert doc.text[u.start:u.end] == u.name
    for s in doc.sections:
        assert doc.text[s.start:s.end].startswith(s.number) or s.style == "attachment", s.path
        parent = doc.section(s.parent) if s.parent else None
        if parent:
            assert parent.start <= s.start and s.end <= parent.end, s.path


@pytest.mark.parametrize("header,roles", [
    (["序号", "主要任务", "牵头单位", "配合单位", "完成时限"], ["number", "task", "lead", "support", "deadline"]),
    (["序号", "工作任务", "责任单位", "时间节点"], ["number", "task", "responsible", "deadline"]),
    (["重点工作", "责任部门", "完成时间"], ["task", "responsible", "deadline"]),
    (["序号", "任务", "主要责任单位", "协同单位", "备注"], ["number", "task", "lead", "support", "other"]),
    (["指标", "2020年", "2025年"], None),  # an indicator table is no task table
    (["序号", "主要任务", "具体内容"], None),  # no unit column
])
def test_tables_column_roles_from_header_words(header, roles):
    assert column_roles(header) == roles


@pytest.mark.parametrize("line,kind,cells", [
    ("1\t建设平台\t区科委\t2024年底", "tab", ["1", "建设平台", "区科委", "2024年底"]),
    ("\t(含移动端)\t\t", "tab", ["", "(含移动端)", "", ""]),
    ("| 1 | 建设平台 | 区科委 |", "pipe", ["1", "建设平台", "区科委"]),
    ("1    建设平台    区科委", "space", ["1", "建设平台", "区科委"]),
])
def test_tables_cells_split_on_tabs_pipes_and_space_runs(line, kind, cells):
    got = split_cells(line, 100)
    assert got[0] == kind and [c.text for c in got[1]] == cells
    for c in got[1]:
        assert line[c.start - 100:c.end - 100] == c.text


def test_tables_rows_are_not_healed_into_prose():
    text = "序号\t主要任务\t牵头单位\t完成时限\n1\t建设平台,推进共享\t区科委\t2024年底\n2\t推广应用,扩大覆盖\t区商务委\t2024年6月\n"
    assert normalise(text) == text


def test_tables_province_attachment_rows_become_actions_under_the_attachment():
    doc = parse_file(DATA / "province-task-table.txt")
    assert doc.meta.jurisdiction == "浙江省" and doc.meta.level == "provincial"
    att = doc.section("3")
    assert (att.number, att.title, att.kind, att.parent) == ("附件", "浙江省数字政府建设重点任务分工表", None, None)
    assert doc.section("2").end < att.start  # 保障措施 ends where the attachment begins
    assert _rows(doc) == [
        ("3.1", "1", "建设一体化公共数据平台,实现数据按需共享",
         [("省大数据局", "lead"), ("省发展改革委", "support"), ("省财政厅", "support")], "2024-12-31"),
        ("3.2", "2", "推进“浙里办”迭代升级(含移动端适老化改造)",
         [("省大数据局", "lead"), ("各设区市人民政府", "support")], "2024-06-30"),
        ("3.3", "3", "完善政务数据安全管理制度", [("省委网信办", "lead"), ("省公安厅", "support")], None),
    ]
    assert all(doc.section(p).kind == "Action" for p in ("3.1", "3.2", "3.3"))
    assert doc.tables[0].rows[2].deadline_text == "持续推进"
    _spans_hold(doc)


def test_tables_space_aligned_rows_with_a_wrapped_cell_and_the_convention():
    doc = parse_file(DATA / "city-work-points.txt")
    assert doc.meta.plan_title == "成都市智慧城市建设2024年工作要点"
    assert _rows(doc) == [
        ("1.1", "1", "建设城市运行管理服务平台,接入各区(市)县数据", [("市城管委", "lead"), ("市大数据中心", None)],
         "2024-09-30"),
        ("1.2", "2", "推进智慧社区建设", [("市民政局", "lead")], "2024-12-31"),
        ("1.3", "3", "完善公共数据开放目录", [("市大数据中心", "lead")], "2024-09-30"),  # 第三季度 of the issue year
    ]
    assert [s.path for s in doc.sections] == ["1", "1.1", "1.2", "1.3", "2"]
    _spans_hold(doc)


@pytest.mark.parametrize("table", [
    # a Word table as the .docx reader renders it: one line per row, cells joined by tabs
    "序号\t主要任务\t责任单位\t完成时限\n1\t建设县级数据平台\t县数据局、县经信局\t2025年3月\n"
    "2\t推进数据开放\t县数据局\t2025年底前\n",
    # a markdown table
    "| 序号 | 主要任务 | 责任单位 | 完成时限 |\n|---|---|---|---|\n| 1 | 建设县级数据平台 | 县数据局、县经信局 | 2025年3月 |\n"
    "| 2 | 推进数据开放 | 县数据局 | 2025年底前 |\n",
])
def test_tables_tab_and_pipe_tables_read_alike(table):
    doc = parse_text(f"某县数据工作方案\n\n一、重点任务\n\n{table}\n二、工作要求\n\n加强督查。\n")
    assert _rows(doc) == [("1.1", "1", "建设县级数据平台", [("县数据局", None), ("县经信局", None)], "2025-03-31"),
                          ("1.2", "2", "推进数据开放", [("县数据局", None)], "2025-12-31")]
    assert [s.path for s in doc.sections] == ["1", "1.1", "1.2", "2"]
    _spans_hold(doc)


def test_tables_group_headings_inside_a_table_hold_their_rows():
    table = ("序号\t工作任务\t牵头单位\t配合单位\n一、数据基础设施\n1\t建设政务云\t区大数据中心(牵头)、区科委\t\n"
             "2\t建设感知网络\t区城运中心\t各街道\n二、数据应用\n3\t推广一网通办\t区政务服务中心\t区大数据中心\n")
    doc = parse_text(f"某区数字化转型任务分工表\n\n{table}")
    assert _rows(doc) == [
        ("1.1", "1", "建设政务云", [("区大数据中心", "lead"), ("区科委", "lead")], None),
        ("1.2", "2", "建设感知网络", [("区城运中心", "lead"), ("各街道", "support")], None),
        ("2.1", "3", "推广一网通办", [("区政务服务中心", "lead"), ("区大数据中心", "support")], None),
    ]
    _spans_hold(doc)


def test_tables_a_cell_listing_units_apart_by_spaces_is_several_units():
    # a Word cell's paragraphs reach the text as one line with spaces between them; a space inside
    # one name (an office of the body before it) splits nothing
    table = ("序号\t重点任务\t牵头单位\t配合单位\n1\t建设县域数据平台\t县数据局\t县财政局 各乡镇人民政府\n"
             "2\t推进数据开放\t县数据局\t中共某县县委 宣传部\n")
    doc = parse_text(f"某县数据工作方案\n\n一、重点任务\n\n{table}")
    assert _rows(doc) == [
        ("1.1", "1", "建设县域数据平台", [("县数据局", "lead"), ("县财政局", "support"), ("各乡镇人民政府", "support")], None),
        ("1.2", "2", "推进数据开放", [("县数据局", "lead"), ("中共某县县委 宣传部", "support")], None),
    ]
    _spans_hold(doc)


def test_tables_a_table_without_number_column_and_notes_in_cells_are_not_counted_twice():
    table = ("重点工作\t责任部门\t完成时间\n建设数据平台(区科委牵头)\t区科委、区财政局\t2024年12月\n"
             "推进数据开放\t区大数据中心\t2025年6月底\n")
    doc = parse_text(f"某区2024年数据工作要点\n\n一、重点工作\n\n{table}")
    assert _rows(doc) == [("1.1", "1", "建设数据平台(区科委牵头)", [("区科委", None), ("区财政局", None)], "2024-12-31"),
                          ("1.2", "2", "推进数据开放", [("区大数据中心", None)], "2025-06-30")]
    assert [r.form for r in doc.responsibilities] == ["table", "table"]


def test_tables_rows_reach_the_graph_as_actions_with_due_dates(tmp_path):
    store = tmp_path / "store"
    run_cli("ingest", str(DATA / "province-task-table.txt"), "--store", str(store), check=True)
    rows = sparql_json(store, """
        SELECT ?path ?due ?lead WHERE {
          ?a a pk:Action ; pk:path ?path ; dcterms:isPartOf ?t ; pk:leadUnit ?u . ?u rdfs:label ?lead .
          ?t pk:number "附件" . OPTIONAL { ?a pk:dueDate ?due } } ORDER BY ?path""")
    assert rows == [{"path": "3.1", "due": "2024-12-31", "lead": "省大数据局"},
                    {"path": "3.2", "due": "2024-06-30", "lead": "省大数据局"},
                    {"path": "3.3", "lead": "省委网信办"}]
    support = sparql_json(store, "SELECT ?l WHERE { ?a pk:path \"3.1\" ; pk:supportingUnit ?u . ?u rdfs:label ?l }")
    assert {r["l"] for r in support} == {"省发展改革委", "省财政厅"}


@pytest.mark.parametrize("header,expected", [
    # a header over two rows: 责任单位 spans 牵头单位 | 配合单位
    ("序号\t主要任务\t责任单位\t\t完成时限\n\t\t牵头单位\t配合单位\t",
     [("1", [("区科委", "lead"), ("区财政局", "support")]), ("2", [("区大数据中心", "lead"), ("各街道", "support")])]),
    # the convention stated in the header cell itself
    ("序号\t主要任务\t责任单位(牵头单位列第一位)\t\t完成时限",
     [("1", [("区科委", "lead"), ("区财政局", None)]), ("2", [("区大数据中心", "lead"), ("各街道", None)])]),
])
def test_tables_header_forms(header, expected):
    body = "1\t建设平台\t区科委\t区财政局\t2024年底\n2\t开放数据\t区大数据中心\t各街道\t2025年6月\n"
    if "列第一位" in header:
        body = body.replace("区科委\t区财政局", "区科委、区财政局\t").replace("区大数据中心\t各街道", "区大数据中心、各街道\t")
    doc = parse_text(f"某区数据工作任务分工表\n\n{header}\n{body}")
    assert [(p, units) for p, _, _, units, _ in _rows(doc)] == expected
    assert [r.deadline for r in doc.responsibilities] == ["2024-12-31", "2025-06-30"]


def test_tables_a_word_table_with_merged_cells_reads_like_text(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("某县数据工作方案")
    d.add_paragraph("一、重点任务")
    t = d.add_table(rows=4, cols=5)
    for i, h in enumerate(["序号", "主要任务", "责任单位", "", "完成时限"]):
        t.cell(0, i).text = h
    t.cell(0, 2).merge(t.cell(0, 3)).text = "责任单位"  # 责任单位 spans 牵头单位 | 配合单位
    t.cell(1, 2).text, t.cell(1, 3).text = "牵头单位", "配合单位"
    for c, h in ((0, "序号"), (1, "主要任务"), (4, "完成时限")):
        t.cell(0, c).merge(t.cell(1, c)).text = h
    for i, v in enumerate(["1", "建设数据平台", "县数据局", "县财政局", "2024年底"]):
        t.cell(2, i).text = v
    for i, v in enumerate(["2", "推进数据开放", "", "", "2025年6月"]):
        t.cell(3, i).text = v
    t.cell(3, 2).merge(t.cell(3, 3)).text = "县数据局"  # one unit across both unit columns
    path = tmp_path / "plan.docx"
    d.save(path)
    doc = parse_file(path)
    assert _rows(doc) == [("1.1", "1", "建设数据平台", [("县数据局", "lead"), ("县财政局", "support")], "2024-12-31"),
                          ("1.2", "2", "推进数据开放", [("县数据局", "lead")], "2025-06-30")]


def test_tables_a_line_broken_inside_a_cell_goes_on_from_that_cell():
    table = ("序号\t主要任务\t牵头单位\t配合单位\t完成时限\n1\t建设城市运行管理\n服务平台\t区城运中心\t区大数据中心\t2024年底\n"
             "2\t推进数据开放\t区大数据中心\t各街道\t2025年6月\n")
    doc = parse_text(f"某区数据工作方案\n\n一、重点任务\n\n{table}")
    assert _rows(doc) == [
        ("1.1", "1", "建设城市运行管理服务平台", [("区城运中心", "lead"), ("区大数据中心", "support")], "2024-12-31"),
        ("1.2", "2", "推进数据开放", [("区大数据中心", "lead"), ("各街道", "support")], "2025-06-30")]
    _spans_hold(doc)
