"""The document level: type, dates, validity, government level, addressees,
attachments, links between documents and bundles — on texts written for
these tests (tests/data/README.md) and through a real store."""

from __future__ import annotations

import pytest

from policykg import KnowledgeGraph
from policykg.ingest import parse_file, parse_text
from policykg.ingest.docmeta import (
    doc_type,
    jurisdiction_of,
    jurisdiction_of_title,
    list_items,
    parse_date,
    split_addressees,
    split_bundle,
    title_period,
)

from helpers import DATA, fold, run_cli, sparql_json


@pytest.mark.parametrize("title,expected", [
    ("中共某市委关于深化改革若干问题的决议", "决议"),
    ("某省人民政府关于设立数据局的决定", "决定"),
    ("某市人民政府令", "命令"),
    ("2023年某县国民经济和社会发展统计公报", "公报"),
    ("某市市场监督管理局关于数据产品登记的公告", "公告"),
    ("某区人民政府关于禁止燃放烟花爆竹的通告", "通告"),
    ("某省人民政府关于加快数字经济发展的实施意见", "意见"),
    ("某区人民政府办公室关于印发《某区数字化转型行动方案》的通知", "通知"),
    ("某市人民政府关于2023年度数字化改革工作情况的通报", "通报"),
    ("某县人民政府关于数字乡村建设情况的报告", "报告"),
    ("某区数据局关于申请设立数据资源中心的请示", "请示"),
    ("某省人民政府关于同意设立某数据产业园的批复", "批复"),
    ("关于加快建设数据交易场所的议案", "议案"),
    ("某市发展改革委关于数据平台项目的复函", "函"),
    ("某区数字化转型工作推进会会议纪要", "纪要"),
    ("某区全面推进城市数字化转型行动方案", "方案"),
    ("某省数字经济发展“十四五”规划", "规划"),
    ("某市智慧城市三年行动计划(2021—2023年)", "计划"),
    ("某市公共数据管理办法(试行)", "办法"),
])
def test_docmeta_statutory_type_or_plan_genre(title, expected):
    assert doc_type(title) == expected


@pytest.mark.parametrize("issuer,jurisdiction,level", [
    ("工业和信息化部办公厅", "中华人民共和国", "national"),
    ("国家发展改革委 国家数据局", "中华人民共和国", "national"),
    ("财政部", "中华人民共和国", "national"),
    ("海关总署", "中华人民共和国", "national"),
    ("中共浙江省委办公厅", "浙江省", "provincial"),
    ("广东省人民政府办公厅", "广东省", "provincial"),
    ("内蒙古自治区人民政府", "内蒙古自治区", "provincial"),
    ("成都市人民政府办公厅", "成都市", "municipal"),
    ("延边朝鲜族自治州人民政府", "延边朝鲜族自治州", "municipal"),
    ("天津市人民政府", "天津市", "municipal"),
    ("天津市滨海新区人民政府", "天津市滨海新区", "district"),
    ("中共上海市静安区委", "上海市静安区", "district"),
    ("德清县人民政府办公室", "德清县", "district"),
    ("区委宣传部", None, None),
    ("市政府办公厅", None, None),
    # a bureau or a party office of a division is as good an issuer as its government
    ("江州市科学技术局", "江州市", "municipal"),
    ("盐城市经济和信息化局", "盐城市", "municipal"),
    ("延边朝鲜族自治州商务局", "延边朝鲜族自治州", "municipal"),
    ("中共江州市委", "江州市", "municipal"),
    ("中共临湖县委办公室", "临湖县", "district"),
    ("临湖县农业农村局", "临湖县", "district"),
    ("江州市临湖区发展和改革局", "江州市临湖区", "district"),
    ("临湖区数据资源管理局", "临湖区", "district"),
    ("某省市场监督管理局", None, None),
    # words that end like a division and name none
    ("智慧城市运营中心", None, None),
    ("经济开发区管委会", None, None),
    ("高新区管委会", None, None),
    ("县市场监管局", None, None),
    ("城市管理局", None, None),
])
def test_docmeta_level_and_jurisdiction_of_issuer(issuer, jurisdiction, level):
    assert jurisdiction_of(issuer) == (jurisdiction, level)


def test_docmeta_a_bureau_issuer_gives_its_units_full_names():
    doc = parse_text("江州市科学技术局关于印发《江州市孵化器管理办法》的通知\n\n各区（市）县科技主管部门：\n\n现印发给你们。\n\n"
                     "江州市科学技术局\n2024年6月3日\n\n江州市孵化器管理办法\n\n一、职责\n\n"
                     "（一）统筹管理。（责任单位：市科技局、市财政局）\n")
    assert (doc.meta.jurisdiction, doc.meta.level) == ("江州市", "municipal")
    full = {e.canonical_name for e in doc.entities.values() if e.type == "GovernmentBody"}
    assert {"江州市科学技术局", "江州市财政局"} <= full


@pytest.mark.parametrize("title,expected", [
    ("杭州市西湖区数字化改革三年行动计划(2023—2025年)", ("杭州市西湖区", "district")),
    ("四川省成都市数字经济发展规划", ("四川省成都市", "municipal")),
    ("重庆市数据条例", ("重庆市", "municipal")),
    ("德清县公共数据开放工作方案", ("德清县", "district")),
    ("城市数字化转型行动方案", (None, None)),
    ("全区数据工作要点", (None, None)),
])
def test_docmeta_jurisdiction_of_a_title_when_no_issuer(title, expected):
    assert jurisdiction_of_title(title) == expected


@pytest.mark.parametrize("line,expected", [
    # the sample's gold: 、-groups that are not divisions stay one collective addressee
    ("区政府各委、办、局，各街道办事处、镇政府", ["区政府各委、办、局", "各街道办事处、镇政府"]),
    ("各乡镇人民政府、街道办事处，县政府各部门", ["各乡镇人民政府、街道办事处", "县政府各部门"]),
    ("各省、自治区、直辖市人民政府，国务院各部委、各直属机构",
     ["各省人民政府", "各自治区人民政府", "各直辖市人民政府", "国务院各部委、各直属机构"]),
    ("各市、县(市、区)人民政府，省政府各部门", ["各市人民政府", "各县(市、区)人民政府", "省政府各部门"]),
    ("各区、县发展改革委；市有关单位", ["各区发展改革委", "各县发展改革委", "市有关单位"]),
])
def test_docmeta_addressees_split_on_commas_and_shared_head_nouns(line, expected):
    assert split_addressees(fold(line)) == expected


def test_docmeta_ministry_notice_reads_the_whole_document_level():
    doc = parse_file(DATA / "ministry-notice.txt")
    m = doc.meta
    assert m.doc_number == "工信厅信发〔2024〕12号" and m.doc_type == "通知"
    assert m.title == "工业和信息化部办公厅关于印发《数据要素赋能制造业行动方案》的通知"
    assert (m.jurisdiction, m.level) == ("中华人民共和国", "national")
    # signing date (signature block) and publication date (portal header) are kept apart
    assert m.issued == "2024-03-05" and m.published == "2024-03-12"
    assert m.index_number == "000000001/2024-00012" and m.category.startswith("工业、交通")
    assert m.effective == "2024-04-01" and m.validity == "5年" and m.valid_until == "2029-03-31"
    assert m.addressees == ["各省工业和信息化主管部门", "各自治区工业和信息化主管部门", "各直辖市工业和信息化主管部门",
                            "各计划单列市工业和信息化主管部门", "新疆生产建设兵团工业和信息化局", "有关中央企业"]
    assert m.copied_to == ["国家发展改革委", "财政部", "国家数据局"]
    assert m.attachments == ["数据要素赋能制造业行动方案", "重点任务分工表"]
    refs = [(r.kind, r.title, r.doc_number) for r in doc.references]
    assert refs == [("references", "“十四五”数字经济发展规划", "国发〔2021〕29号"),
                    ("references", "关于构建数据基础制度更好发挥数据要素作用的意见", None),
                    ("repeals", "制造业数据管理能力提升指引", "工信厅信发〔2019〕7号"),
                    ("references", "数据管理能力成熟度评估模型", None)]
    for r in doc.references:
        assert doc.text[r.start:r.end] == r.title
    # the portal header and the 附件 list are not sections
    assert [s.title for s in doc.sections if s.level == 1] == ["总体要求", "重点任务"]


@pytest.mark.parametrize("sentence,effective,validity,until", [
    ("本办法自2023年1月1日起施行。", "2023-01-01", None, None),
    ("本意见自印发之日起施行,有效期3年。", "2022-06-15", "3年", "2025-06-14"),
    ("本方案自二〇二三年三月一日起实施,有效期至2025年12月31日。", "2023-03-01", "有效期至2025年12月31日", "2025-12-31"),
    ("本通知有效期为两年。", None, "2年", None),
])
def test_docmeta_effective_dates_and_validity(sentence, effective, validity, until):
    doc = parse_text(f"关于加强数据管理的意见\n\n一、总体要求\n\n{sentence}\n\n某市人民政府\n2022年6月15日\n")
    assert (doc.meta.effective, doc.meta.validity, doc.meta.valid_until) == (effective, validity, until)


@pytest.mark.parametrize("title,period", [
    ("某区数字化转型三年行动计划(2021—2023年)", ("2021-01-01", "2023-12-31")),
    ("某省“十四五”数字经济发展规划", ("2021-01-01", "2025-12-31")),
    ("某市“十三五”信息化规划", ("2016-01-01", "2020-12-31")),
    ("某区2024年数字化工作要点", None),
])
def test_docmeta_year_range_in_a_title_is_a_period(title, period):
    assert title_period(title) == period


def test_docmeta_year_range_in_the_plan_title_is_no_target():
    doc = parse_file(DATA / "district-lead-roles.txt")
    assert (doc.meta.period_start, doc.meta.period_end) == ("2023-01-01", "2025-12-31")
    title_end = doc.meta.title_span.end
    assert all(t.start >= title_end for t in doc.targets)


@pytest.mark.parametrize("text,expected", [
    ("2022年6月15日", "2022-06-15"), ("二〇二二年六月十五日", "2022-06-15"), ("2022-06-15", "2022-06-15"),
    ("2022/6/5", "2022-06-05"), ("2022.06.15", "2022-06-15"), ("2022年2月30日", None),
])
def test_docmeta_dates_in_every_common_form(text, expected):
    assert parse_date(text) == expected


def test_docmeta_list_markers_mark_items():
    text = "加强保障。一是健全工作机制;二是强化考核评估;三是加大资金投入。\n统一是前提。①建设平台;②开放数据。"
    items = list_items(text)
    assert [(i.marker, text[i.start:i.end]) for i in items] == [
        ("一是", "一是健全工作机制;"), ("二是", "二是强化考核评估;"), ("三是", "三是加大资金投入。"),
        ("①", "①建设平台;"), ("②", "②开放数据。")]


def test_docmeta_a_file_bundling_two_documents_is_split():
    doc = parse_file(DATA / "county-bundle.txt")
    docs = [doc, *doc.bundled]
    assert [d.meta.doc_number for d in docs] == ["德政办发〔2024〕3号", "德政办发〔2024〕9号"]
    assert [d.meta.plan_title for d in docs] == ["德清县数据资源管理办法", "德清县公共数据开放工作方案"]
    first, second = docs
    assert first.meta.effective == "2024-02-01" and first.meta.valid_until == "2028-12-31"
    assert "公共数据开放" not in first.text and second.text.startswith("德清县人民政府办公室文件")
    assert [(r.kind, r.title) for r in second.references] == [("references", "德清县数据资源管理办法")]
    # one text: no split
    assert split_bundle(parse_file(DATA / "ministry-notice.txt").text) == [(0, len(parse_file(DATA / "ministry-notice.txt").text))]


REFERRING = """关于印发某县数据共享细则的通知

各乡镇人民政府:

根据《德清县数据资源管理办法》和《某省公共数据条例》(某政发〔2020〕1号),现将《某县数据共享细则》印发给你们。《某县数据共享暂行规定》同时废止。

德清县人民政府办公室
2024年5月6日

某县数据共享细则

一、总则

按照《德清县公共数据开放工作方案》推进数据共享。
"""


def test_docmeta_references_resolve_to_the_other_document_when_it_is_stored(tmp_path):
    with KnowledgeGraph(tmp_path / "store") as kg:
        kg.ingest([DATA / "county-bundle.txt"])
        kg.ingest_text(REFERRING, "referring.txt")
        rows = kg.query("""SELECT ?p ?o WHERE { ?d pk:references|pk:repeals ?o ; ?p ?o }""").values()
        targets = {(r["p"].rsplit("#", 1)[1], r["o"]) for r in rows}
        titles = kg.query("""SELECT ?o ?t WHERE { ?d pk:references ?o . ?o dcterms:title ?t }""").values()
    plan_a = "https://w3id.org/policykg/id/doc/德政办发-2024-3/plan"
    plan_b = "https://w3id.org/policykg/id/doc/德政办发-2024-9/plan"
    # the bundle's second notice cites the first's plan; the referring notice cites it too, and its plan
    # cites the bundle's second plan; documents not in the store stay title literals only
    assert targets == {("references", plan_a), ("references", plan_b)}
    assert {r["t"] for r in titles} == {"德清县数据资源管理办法", "德清县公共数据开放工作方案"}


def test_docmeta_references_link_whatever_the_ingest_order(tmp_path):
    store = tmp_path / "store"
    referring = tmp_path / "referring.txt"
    referring.write_text(REFERRING, encoding="utf-8")
    run_cli("ingest", str(referring), "--store", str(store), check=True)
    before = sparql_json(store, "SELECT ?o WHERE { ?d pk:references ?o }")
    assert before == []
    titles = sparql_json(store, "SELECT ?t WHERE { ?d pk:referencesTitle ?t }")
    assert {r["t"] for r in titles} == {"德清县数据资源管理办法", "某省公共数据条例", "德清县公共数据开放工作方案"}
    repealed = sparql_json(store, "SELECT ?t WHERE { ?d pk:repealsTitle ?t }")
    assert [r["t"] for r in repealed] == ["某县数据共享暂行规定"]
    out = run_cli("ingest", str(DATA / "county-bundle.txt"), "--store", str(store), check=True).stdout.decode()
    assert "ingested: 1 file (2 documents) — 2 added" in out
    after = sparql_json(store, """
        SELECT ?title WHERE { ?d pk:sourceFile "referring.txt" .
                              { ?d pk:references ?o } UNION { ?d pk:transmits/pk:references ?o }
                              ?o dcterms:title ?title }""")
    assert sorted(r["title"] for r in after) == ["德清县公共数据开放工作方案", "德清县数据资源管理办法"]


def test_docmeta_document_level_reaches_the_graph(tmp_path):
    store = tmp_path / "store"
    run_cli("ingest", str(DATA / "ministry-notice.txt"), "--store", str(store), check=True)
    rows = sparql_json(store, """
        SELECT ?type ?issued ?published ?effective ?until ?level ?index ?planType WHERE {
          ?d pk:docNumber ?n ; pk:docType ?type ; dcterms:issued ?issued ; pk:published ?published ;
             pk:effective ?effective ; pk:validUntil ?until ; pk:governmentLevel ?level ; pk:indexNumber ?index ;
             pk:transmits ?p . ?p pk:docType ?planType }""")
    assert rows == [{"type": "通知", "issued": "2024-03-05", "published": "2024-03-12", "effective": "2024-04-01",
                     "until": "2029-03-31", "level": "national", "index": "000000001/2024-00012", "planType": "方案"}]
    cc = sparql_json(store, "SELECT ?l WHERE { ?d pk:copiedTo ?u . ?u rdfs:label ?l }")
    assert {r["l"] for r in cc} == {"国家发展改革委", "财政部", "国家数据局"}
    to = sparql_json(store, "SELECT ?l WHERE { ?d pk:addressee ?u . ?u rdfs:label ?l }")
    assert len(to) == 6
    attached = sparql_json(store, "SELECT ?t WHERE { ?d pk:attachmentTitle ?t }")
    assert {r["t"] for r in attached} == {"数据要素赋能制造业行动方案", "重点任务分工表"}


DECREE = """杭州市人民政府令

第999号

《杭州市公共数据样例管理办法》已经2023年5月8日市政府第20次常务会议通过,现予公布,自2023年7月1日起施行。

市长  某某

2023年5月20日

杭州市公共数据样例管理办法

第一章 总则

第一条(目的和依据)为了规范公共数据管理,根据《中华人民共和国数据安全法》等法律法规,制定本办法。

第二条(施行日期)本办法自2023年7月1日起施行。2018年发布的《杭州市政务数据样例暂行办法》同时废止。
"""


def test_docmeta_a_decree_names_its_issuer_number_and_the_rules_it_publishes():
    doc = parse_text(DECREE)
    m = doc.meta
    assert (m.doc_type, m.issuer, m.doc_number) == ("命令", "杭州市人民政府", "杭州市人民政府令第999号")
    assert (m.jurisdiction, m.level) == ("杭州市", "municipal")
    assert m.plan_title == "杭州市公共数据样例管理办法" and doc.sections[0].start > doc.text.index("2023年5月20日")
    assert (m.issued, m.adopted_date, m.effective) == ("2023-05-20", "2023-05-08", "2023-07-01")
    assert [(r.kind, r.title) for r in doc.references] == [("references", "中华人民共和国数据安全法"),
                                                           ("repeals", "杭州市政务数据样例暂行办法")]


FORWARDING = """某县人民政府办公室文件

某政办发〔2024〕21号

某县人民政府办公室关于转发《某市人民政府办公室关于加强公共数据管理的通知》的通知

各乡镇人民政府:

现将《某市人民政府办公室关于加强公共数据管理的通知》转发给你们,请认真贯彻执行。

某县人民政府办公室
2024年4月2日

某市人民政府办公室文件

某府办发〔2024〕9号

某市人民政府办公室关于加强公共数据管理的通知

各县(市、区)人民政府:

为加强公共数据管理,现通知如下。

某市人民政府办公室
2024年3月15日
"""


def test_docmeta_a_forwarding_notice_bundled_with_what_it_forwards_transmits_that_document(tmp_path):
    doc = parse_text(FORWARDING, "forwarding.txt")
    assert [d.meta.doc_number for d in (doc, *doc.bundled)] == ["某政办发〔2024〕21号", "某府办发〔2024〕9号"]
    assert doc.meta.plan_title == "某市人民政府办公室关于加强公共数据管理的通知" and doc.meta.plan_span is None
    with KnowledgeGraph(tmp_path / "store") as kg:
        kg.ingest_document(doc)
        rows = kg.query("""SELECT ?n WHERE { ?d pk:docNumber "某政办发〔2024〕21号" ; pk:transmits ?o .
                                              ?o pk:docNumber ?n }""").column("n")
    assert rows == ["某府办发〔2024〕9号"]


# A notice that names the plan it transmits without reproducing it, and two plans of that title (ours).
NAMING_NOTICE = ("江州市临湖区人民政府办公室关于转发《数据治理工作方案》的通知\n\n临府办发〔2024〕30号\n\n各街道办事处：\n\n"
                 "现将《数据治理工作方案》转发给你们，请认真贯彻执行。\n\n江州市临湖区人民政府办公室\n2024年5月6日\n")
SAME_TITLED = "数据治理工作方案\n\n{number}\n\n一、主要任务\n\n推进数据治理。\n"


def _transmits(kg) -> list[tuple[str, str]]:
    """(graph holding the link, 文号 of the transmitted document) for every link to a stored document."""
    rows = kg.query("""SELECT ?g ?n WHERE { GRAPH ?g { ?d pk:transmits ?p } ?p pk:docNumber ?n }""").values()
    return sorted((r["g"], r["n"]) for r in rows)


def _graph_size(kg, g: str) -> int:
    return len(kg.query(f"SELECT * WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}").rows)


def test_docmeta_a_named_plan_is_linked_once_in_the_later_graph(tmp_path):
    with KnowledgeGraph(tmp_path / "a") as kg:  # the notice first: the plan's graph holds the link
        notice = kg.ingest_text(NAMING_NOTICE, source="notice.txt").document
        size = _graph_size(kg, notice)
        plan = kg.ingest_text(SAME_TITLED.format(number="临数发〔2024〕1号"), source="plan.txt").document
        assert _transmits(kg) == [(plan, "临数发〔2024〕1号")]
        assert _graph_size(kg, notice) == size  # the notice's graph is as it was written
        # a second document of the same title adds no second plan to the notice
        kg.ingest_text(SAME_TITLED.format(number="江数发〔2024〕9号"), source="other.txt")
        assert _transmits(kg) == [(plan, "临数发〔2024〕1号")]
    with KnowledgeGraph(tmp_path / "b") as kg:  # the plan first: the notice's graph holds the link
        kg.ingest_text(SAME_TITLED.format(number="临数发〔2024〕1号"), source="plan.txt")
        notice = kg.ingest_text(NAMING_NOTICE, source="notice.txt").document
        assert _transmits(kg) == [(notice, "临数发〔2024〕1号")]
    with KnowledgeGraph(tmp_path / "c") as kg:  # two documents bear the title: the notice names no one of them
        kg.ingest_text(SAME_TITLED.format(number="临数发〔2024〕1号"), source="plan.txt")
        kg.ingest_text(SAME_TITLED.format(number="江数发〔2024〕9号"), source="other.txt")
        kg.ingest_text(NAMING_NOTICE, source="notice.txt")
        assert _transmits(kg) == []
