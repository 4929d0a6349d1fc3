"""Every form of a policy file gives the graph its plain UTF-8 text gives.

The forms are made at test time (see :mod:`makedocs`): the sample as a Word
file with real auto-numbering, printed to PDF by Chromium, laid out as a PDF
by reportlab, saved as a government web page in GBK, in GBK/UTF-16/CRLF text;
a short plan in Traditional characters as Big5.  Each is ingested by the real
CLI into its own store and compared with the text through SPARQL: sections,
actions with their units, targets.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

import pytest
from helpers import SAMPLE, run_cli, sparql_json
from makedocs import (article_html, print_pdf, printable_html, reportlab_pdf, scanned_pdf, to_docx, to_html)

from policykg.errors import IngestError
from policykg.ingest import parse_text, read_bytes, read_path
from policykg.ingest.formats import chinese_counting, format_number

TITLE = "普陀区全面推进城市数字化转型行动方案"

SECTIONS = """SELECT ?path ?number ?label WHERE { ?s a pk:Section ; pk:path ?path ; pk:number ?number .
              OPTIONAL { ?s rdfs:label ?label } } ORDER BY ?path"""
ACTION_UNITS = """SELECT ?path ?unit ?role WHERE { ?a a pk:Action ; pk:path ?path .
                  OPTIONAL { ?a pk:responsibleUnit ?u . ?u rdfs:label ?unit .
                             BIND(IF(EXISTS { ?a pk:leadUnit ?u }, "lead",
                                  IF(EXISTS { ?a pk:supportingUnit ?u }, "support", "")) AS ?role) } }"""
TARGETS = """SELECT ?path ?value ?min ?max ?unit ?deadline ?cmp WHERE { ?t a pk:Target ; pk:comparator ?cmp .
             OPTIONAL { ?t pk:statedIn/pk:path ?path } OPTIONAL { ?t pk:value ?value }
             OPTIONAL { ?t pk:valueMin ?min } OPTIONAL { ?t pk:valueMax ?max }
             OPTIONAL { ?t pk:unit ?unit } OPTIONAL { ?t pk:deadline ?deadline } }"""


def _squash(s: str | None) -> str:
    from policykg.ingest.normalise import fold

    return re.sub(r"\s+", "", fold(s or ""))


def _rows(store: Path, sparql: str) -> list[dict[str, str]]:
    from policykg import KnowledgeGraph

    with KnowledgeGraph(store, read_only=True) as kg:
        return kg.query(sparql).values()


def figures(store: Path) -> dict[str, object]:
    """What a researcher reads off the graph: sections, actions with units, targets."""
    sections = [(r["path"], _squash(r["number"]), _squash(r.get("label"))) for r in _rows(store, SECTIONS)]
    actions: dict[str, set] = {}
    for r in _rows(store, ACTION_UNITS):
        actions.setdefault(r["path"], set())
        if r.get("unit"):
            actions[r["path"]].add((r["unit"], r.get("role", "")))
    targets = sorted(tuple(r.get(k, "") for k in ("path", "value", "min", "max", "unit", "deadline", "cmp"))
                     for r in _rows(store, TARGETS))
    return {"sections": sections, "actions": actions, "targets": targets}


def ingest_store(path: Path, store: Path) -> str:
    """Ingest one file into a store on disk; the report line as the CLI prints it."""
    from policykg import KnowledgeGraph

    with KnowledgeGraph(store) as kg:
        [rep] = kg.ingest([path])
    assert rep.ok, rep.error
    return f"{rep.status} {rep.source} {rep.doc_number} [{rep.format}, {rep.encoding}]"


@pytest.fixture(scope="module")
def text_figures(tmp_path_factory):
    store = tmp_path_factory.mktemp("txt") / "store"
    ingest_store(SAMPLE, store)
    return figures(store)


def _docx(text, d):
    return to_docx(text, d / "sample.docx")


def _docx_typed_numbers(text, d):
    return to_docx(text, d / "sample-typed.docx", auto_numbering=False)


def _pdf_chromium(text, d):
    html = d / "print.html"
    html.write_text(printable_html(text, title=TITLE), encoding="utf-8")
    return print_pdf(html, d / "sample-chromium.pdf", d)


def _pdf_reportlab(text, d):
    return reportlab_pdf(text, d / "sample-office.pdf", page_number="— {n} —")


def _html_gbk(text, d):
    return to_html(text, d / "sample-gbk.html", charset="gbk", title=TITLE)


def _html_utf8(text, d):
    return to_html(text, d / "sample.htm", charset="utf-8", title=TITLE)


def _txt_gbk_crlf(text, d):
    p = d / "sample-gbk.txt"
    p.write_bytes(text.replace("\n", "\r\n").encode("gbk"))
    return p


def _txt_utf16(text, d):
    p = d / "sample-utf16.txt"
    p.write_bytes(text.encode("utf-16"))
    return p


def _txt_utf8_bom(text, d):
    p = d / "sample-bom.txt"
    p.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    return p


FORMS = [_docx, _docx_typed_numbers, _pdf_chromium, _pdf_reportlab, _html_gbk, _html_utf8, _txt_gbk_crlf, _txt_utf16,
         _txt_utf8_bom]


@pytest.fixture(scope="module")
def sample_as(tmp_path_factory):
    """The sample in a given form, made once per module."""
    folder = tmp_path_factory.mktemp("forms")
    made: dict = {}

    def make(form):
        if form not in made:
            made[form] = form(SAMPLE.read_text(encoding="utf-8"), folder)
        return made[form]

    return make


@pytest.mark.parametrize("make", FORMS, ids=[f.__name__.lstrip("_") for f in FORMS])
def test_formats_every_form_of_the_sample_gives_the_graph_of_its_text(make, sample_as, tmp_path, text_figures, gold):
    path = sample_as(make)
    store = tmp_path / "store"
    out = ingest_store(path, store)
    assert "普府办〔2022〕16号" in out and out.startswith("added")
    got = figures(store)
    assert got["sections"] == text_figures["sections"]
    assert got["actions"] == text_figures["actions"]
    assert got["targets"] == text_figures["targets"]
    assert len(got["actions"]) == len(gold["actions"])
    assert all(got["actions"].values())  # every action has its responsible units


def test_formats_report_names_the_format_and_encoding(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    paths = [_docx(text, tmp_path), _html_gbk(text, tmp_path), _txt_gbk_crlf(text, tmp_path)]
    out = run_cli("ingest", *map(str, paths), "--dry-run", "--store", str(tmp_path / "s"), check=True).stdout.decode()
    lines = out.splitlines()
    assert any("sample.docx" in ln and "; docx]" in ln for ln in lines)
    assert any("sample-gbk.html" in ln and "; html, gb18030]" in ln for ln in lines)
    assert any("sample-gbk.txt" in ln and "; txt, gb18030]" in ln for ln in lines)


# ------------------------------------------------------------------ Traditional characters

SHORT_PLAN = """某市人民政府办公室关于印发《某市数字经济发展行动计划》的通知

某府办〔2023〕7号

各区人民政府，市政府各委、办、局：

《某市数字经济发展行动计划》已经市政府同意，现印发给你们，请认真贯彻执行。

某市人民政府办公室

2023年3月1日

某市数字经济发展行动计划

一、总体目标

到2025年底，全市数字经济核心产业增加值达到1200亿元，培育5—8家龙头企业。

二、重点任务

（一）建设数字基础设施

1. 推进网络建设。到2024年，新建5G基站3000个，实现重点区域全覆盖。（责任单位：市通信管理局、市发展改革委）

2. 建设算力中心。建成数据中心2个，算力规模超过500PFlops。（责任单位：市科技局）

（二）发展数字产业

1. 培育骨干企业。引进数字经济企业三十家，营业收入超过一百亿元的企业达到3家。（责任单位：市商务局、市科技局）

2. 建设产业园区。打造数字产业园区4个，入驻企业不少于200家。（责任单位：市工业和信息化局）

三、保障措施

（一）加强组织领导。建立工作专班，统筹推进各项任务。（责任单位：市发展改革委）

（二）强化资金保障。设立专项资金每年5000万元。（责任单位：市财政局）
"""
# The same plan in Traditional characters (OpenCC s2tw), as a Taiwan or Hong Kong office writes it.
SHORT_PLAN_TRADITIONAL = """某市人民政府辦公室關於印發《某市數字經濟發展行動計劃》的通知

某府辦〔2023〕7號

各區人民政府，市政府各委、辦、局：

《某市數字經濟發展行動計劃》已經市政府同意，現印發給你們，請認真貫徹執行。

某市人民政府辦公室

2023年3月1日

某市數字經濟發展行動計劃

一、總體目標

到2025年底，全市數字經濟核心產業增加值達到1200億元，培育5—8家龍頭企業。

二、重點任務

（一）建設數字基礎設施

1. 推進網絡建設。到2024年，新建5G基站3000個，實現重點區域全覆蓋。（責任單位：市通信管理局、市發展改革委）

2. 建設算力中心。建成數據中心2個，算力規模超過500PFlops。（責任單位：市科技局）

（二）發展數字產業

1. 培育骨幹企業。引進數字經濟企業三十家，營業收入超過一百億元的企業達到3家。（責任單位：市商務局、市科技局）

2. 建設產業園區。打造數字產業園區4個，入駐企業不少於200家。（責任單位：市工業和信息化局）

三、保障措施

（一）加強組織領導。建立工作專班，統籌推進各項任務。（責任單位：市發展改革委）

（二）強化資金保障。設立專項資金每年5000萬元。（責任單位：市財政局）
"""


def test_formats_traditional_big5_plan_parses_like_the_simplified_one(tmp_path):
    simplified, traditional = tmp_path / "plan.txt", tmp_path / "plan-big5.txt"
    simplified.write_text(SHORT_PLAN, encoding="utf-8")
    traditional.write_bytes(SHORT_PLAN_TRADITIONAL.encode("big5"))
    s_store, t_store = tmp_path / "s", tmp_path / "t"
    ingest_store(simplified, s_store)
    out = ingest_store(traditional, t_store)
    assert "某府辦〔2023〕7號" in out and "txt, big5]" in out
    s, t = figures(s_store), figures(t_store)
    assert [(p, n) for p, n, _ in t["sections"]] == [(p, n) for p, n, _ in s["sections"]]
    assert [label for _, _, label in t["sections"]][:3] == ["總體目標", "重點任務", "建設數字基礎設施"]
    assert {p: len(u) for p, u in t["actions"].items()} == {p: len(u) for p, u in s["actions"].items()}
    assert ("市發展改革委", "") in t["actions"]["2.1.1"] or ("市發展改革委", "support") in t["actions"]["2.1.1"]
    strip_unit = [(p, v, lo, hi, d, c) for p, v, lo, hi, _, d, c in s["targets"]]
    assert [(p, v, lo, hi, d, c) for p, v, lo, hi, _, d, c in t["targets"]] == strip_unit
    assert {u for *_, u, _, _ in t["targets"]} == {"億元", "家", "個", "萬元", "PFlops"}  # 算力規模超過500PFlops


# ------------------------------------------------------------------ .docx

def test_formats_docx_shows_word_auto_numbering(tmp_path):
    raw = read_path(to_docx(SAMPLE.read_text(encoding="utf-8"), tmp_path / "n.docx"))
    lines = raw.text.splitlines()
    for heading in ("一、总体要求", "（一）指导思想", "（三）主要成效", "1.数字经济增活力", "7.底座", "二、专项行动计划",
                    "（一）以数字经济驱动发展新引擎", "三、保障机制", "（四）营造数字营商环境"):
        assert heading in lines, heading
    assert raw.format == "docx" and raw.encoding is None


@pytest.mark.parametrize("n,fmt,shown", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (12, "chineseCountingThousand", "十二"),
    (20, "taiwaneseCounting", "二十"), (105, "chineseCounting", "一百零五"), (3, "chineseLegalSimplified", "叁"),
    (3, "ideographTraditional", "丙"), (4, "decimalEnclosedCircle", "④"), (2, "decimalEnclosedParen", "⑵"),
    (12, "decimalFullWidth", "１２"), (3, "decimalZero", "03"), (28, "upperLetter", "AB"), (4, "lowerRoman", "iv"),
    (7, "decimal", "7"),
])
def test_formats_word_number_formats(n, fmt, shown):
    assert format_number(n, fmt) == shown


def test_formats_chinese_counting_round_trips_through_the_numeral_parser():
    from policykg.ingest.numerals import chinese_to_int

    for n in range(1, 1000):
        assert chinese_to_int(chinese_counting(n)) == n


def _word_xml_doc(tmp_path, body_xml: str, numbering_xml: str = "") -> Path:
    """A Word file whose body (and numbering definitions) are given as XML."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = d.element.body
    for el in parse_xml(f"<w:body {w}>{body_xml}</w:body>"):
        body.insert(len(body) - 1, el)  # before the section properties
    if numbering_xml:
        numbering = d.part.numbering_part.element
        for el in parse_xml(f"<w:numbering {w}>{numbering_xml}</w:numbering>"):
            numbering.append(el)
    path = tmp_path / "x.docx"
    d.save(str(path))
    return path


def test_formats_docx_numbering_restarts_and_start_overrides(tmp_path):
    numbering = ('<w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                 '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>'
                 '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/>'
                 '<w:isLgl/></w:lvl></w:abstractNum>'
                 '<w:num w:numId="7"><w:abstractNumId w:val="7"/></w:num>'
                 '<w:num w:numId="8"><w:abstractNumId w:val="7"/>'
                 '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>')

    def p(text, num, lvl):
        return (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>'
                f'<w:r><w:t>{text}</w:t></w:r></w:p>')

    body = p("甲", 7, 0) + p("甲一", 7, 1) + p("甲二", 7, 1) + p("乙", 7, 0) + p("乙一", 7, 1) + p("戊", 8, 0) \
        + '<w:p><w:r><w:t>正文</w:t></w:r></w:p>'
    text = read_path(_word_xml_doc(tmp_path, body, numbering)).text
    assert text.splitlines()[-7:] == ["一、甲", "1.1 甲一", "1.2 甲二", "二、乙", "2.1 乙一", "五、戊", "正文"]


def test_formats_docx_numbering_that_comes_with_a_paragraph_style(tmp_path):
    import docx

    d = docx.Document()
    for text in ("建设平台", "培育企业", "完善机制"):
        d.add_paragraph(text, style="List Number")  # Word's numbered-list style: the numbers are not in the text
    d.add_paragraph("说明", style="List Bullet")  # a bullet is no number
    d.save(str(tmp_path / "styled.docx"))
    assert read_path(tmp_path / "styled.docx").text.splitlines()[-4:] == ["1. 建设平台", "2. 培育企业", "3. 完善机制", "说明"]


def test_formats_docx_reads_runs_as_word_shows_them(tmp_path):
    body = ('<w:p><w:r><w:t xml:space="preserve">建成平台</w:t></w:r>'
            '<w:del w:id="1" w:author="a"><w:r><w:delText>删掉的字</w:delText></w:r></w:del>'
            '<w:ins w:id="2" w:author="a"><w:r><w:t>10个</w:t></w:r></w:ins>'
            '<w:r><w:instrText> PAGE </w:instrText></w:r>'
            '<w:hyperlink><w:r><w:t>（责任单位：区科委）</w:t></w:r></w:hyperlink>'
            '<w:r><w:br/><w:t>第二行</w:t></w:r></w:p>'
            '<w:p><w:r><w:t>序号</w:t><w:tab/><w:t>任务</w:t><w:tab/><w:t>牵头单位</w:t></w:r></w:p>')
    lines = read_path(_word_xml_doc(tmp_path, body)).text.splitlines()
    assert lines[-3:] == ["建成平台10个（责任单位：区科委）", "第二行", "序号\t任务\t牵头单位"]


TASK_ROWS = [["序号", "任务", "牵头单位", "配合单位", "完成时限"],
             ["1", "建设城市大脑平台", "区大数据中心", "区科委、区财政局", "2024年12月底"],
             ["2", "推进一网通办改革", "区政务服务中心", "区大数据中心", "2025年6月底"],
             ["3", "建设数字孪生园区", "区科委", "区大数据中心", "2025年6月底"]]
TASK_NOTICE = ("某区数据局关于印发重点任务分工的通知\n\n某数办〔2024〕3号\n\n一、工作要求\n\n"
               "各单位要按照分工抓好落实。\n\n附件：重点任务分工表\n")


def _task_table_txt(d):
    p = d / "tasks.txt"
    p.write_text(TASK_NOTICE + "\n" + "\n".join("\t".join(r) for r in TASK_ROWS) + "\n", encoding="utf-8")
    return p


def _task_table_docx(d):
    return to_docx(TASK_NOTICE, d / "tasks.docx", auto_numbering=False, table_rows=TASK_ROWS, merge_column=4)


def _task_table_html(d):
    return to_html(TASK_NOTICE, d / "tasks.html", charset="gb2312", title="重点任务分工", table_rows=TASK_ROWS)


def _task_table_pdf(d):
    return reportlab_pdf(TASK_NOTICE, d / "tasks.pdf", table_rows=TASK_ROWS)


@pytest.fixture(scope="module")
def task_table_figures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tasks")
    ingest_store(_task_table_txt(folder), folder / "store")
    return figures(folder / "store")


@pytest.mark.parametrize("make", [_task_table_docx, _task_table_html, _task_table_pdf],
                         ids=["docx", "html", "pdf"])
def test_formats_a_task_table_is_a_task_table_in_the_graph(make, tmp_path, task_table_figures):
    got_store = tmp_path / "other"
    ingest_store(make(tmp_path), got_store)
    want, got = task_table_figures, figures(got_store)
    assert len(want["actions"]) == 3
    assert got["actions"] == want["actions"]
    assert ("区大数据中心", "lead") in got["actions"]["2.1"] and ("区财政局", "support") in got["actions"]["2.1"]
    deadlines = sparql_json(got_store, "SELECT ?p ?d WHERE { ?a a pk:Action ; pk:path ?p ; pk:deadline ?d } ORDER BY ?p")
    assert [r["d"] for r in deadlines] in ([], ["2024-12-31", "2025-06-30", "2025-06-30"])


def test_formats_docx_merged_cells_repeat_their_text(tmp_path):
    text = read_path(_task_table_docx(tmp_path)).text
    rows = [ln.split("\t") for ln in text.splitlines() if "\t" in ln]
    assert rows == TASK_ROWS  # the 2025年6月底 cell is merged over two rows in the Word file


# ------------------------------------------------------------------ .pdf

def test_formats_pdf_from_a_browser_loses_its_date_title_and_url_lines(sample_as):
    path = sample_as(_pdf_chromium)
    text = read_path(path).text
    assert "file://" not in text and not re.search(r"\d{1,2}:\d{2}", text)
    assert "⼈" in text  # the PDF's fonts give Kangxi radicals …
    folded = parse_text(text).text
    assert "⼈" not in folded  # … which normalise folds to the ideographs
    # the browser's title line on every page is gone: the title appears as often as in the text itself
    assert folded.count(TITLE) == parse_text(SAMPLE.read_text(encoding="utf-8")).text.count(TITLE)


@pytest.mark.parametrize("page_number", ["- {n} -", "— {n} —", "第 {n} 页", "{n}"])
def test_formats_pdf_drops_running_header_and_page_numbers(tmp_path, page_number):
    path = reportlab_pdf(SAMPLE.read_text(encoding="utf-8"), tmp_path / "x.pdf", header="普陀区人民政府公报",
                         page_number=page_number)
    raw = read_path(path)
    assert "公报" not in raw.text
    number_line = re.compile("^" + re.escape(page_number).replace(r"\{n\}", r"\d+") + "$")
    assert not [ln for ln in raw.text.splitlines() if number_line.match(ln)]
    assert raw.notes and "dropped" in raw.notes[0]


def test_formats_pdf_heals_wrapped_lines_and_split_notes(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    pdf = parse_text(read_path(reportlab_pdf(text, tmp_path / "x.pdf", chars_per_line=23)).text).text
    plain = parse_text(text).text
    notes = re.findall(r"\(责任单位:[^)]*\)", plain)
    assert re.findall(r"\(责任单位:[^)]*\)", pdf) == notes  # every note whole, wherever the line broke
    assert len(pdf.splitlines()) == len([ln for ln in plain.splitlines() if ln.strip()])


def test_formats_pdf_without_text_layer_is_refused_as_a_scan(tmp_path):
    with pytest.raises(IngestError, match="without a text layer .*scanned image.*OCR"):
        read_path(scanned_pdf(tmp_path / "scan.pdf"))


def test_formats_password_protected_pdf_is_refused(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt="secret")
    c.drawString(72, 720, "locked")
    c.showPage()
    c.save()
    with pytest.raises(IngestError, match="password"):
        read_path(path)


# ------------------------------------------------------------------ .html

@pytest.mark.parametrize("charset,codec,text", [
    ("utf-8", "utf-8", SHORT_PLAN), ("GBK", "gbk", SHORT_PLAN),
    ("gb2312", "gbk", SHORT_PLAN),  # pages that say gb2312 are written in GBK
    ("big5", "big5", SHORT_PLAN_TRADITIONAL),
    ("utf-8", "gbk", SHORT_PLAN),  # a page that declares the wrong charset
])
def test_formats_html_takes_the_article_in_its_charset(charset, codec, text):
    title = text.split("\n\n")[6]  # the plan's title line, as the page's <h1> repeats it
    assert title in ("某市数字经济发展行动计划", "某市數字經濟發展行動計劃")
    # characters the charset cannot write are saved as &#NNNN; references, as browsers do
    page = article_html(text, title=title, charset=charset).encode(codec, errors="xmlcharrefreplace")
    raw = read_bytes(page, source="page.html", suffix=".html")
    assert raw.encoding == {"gbk": "gb18030"}.get(codec, codec)
    got = [ln for ln in raw.text.splitlines() if ln.strip()]
    want = [ln for ln in text.splitlines() if ln.strip()]
    assert got == want  # the page's <h1> is not repeated: the article already says its title
    for furniture in ("政务公开", "当前位置", "沪ICP备", "相关链接", "统计", "样式", "发布日期"):
        assert furniture not in raw.text


def test_formats_html_keeps_a_heading_the_article_does_not_repeat():
    body = SHORT_PLAN.split("某市数字经济发展行动计划\n\n一、")[1]
    page = article_html("一、" + body, title="某市数字经济发展行动计划").encode("utf-8")
    lines = [ln for ln in read_bytes(page, source="page.html", suffix=".html").text.splitlines() if ln]
    assert lines[:2] == ["某市数字经济发展行动计划", "一、总体目标"]


def test_formats_html_article_inside_a_layout_table():
    """Older government sites lay the page out with tables: the article is one cell among menus."""
    paras = "".join(f"<p>{ln}</p>" for ln in SHORT_PLAN.splitlines() if ln.strip())
    menu = "".join(f'<tr><td><a href="/{i}">栏目{i}</a></td></tr>' for i in range(12))
    page = (f'<html><head><meta charset="gbk"></head><body><table width="1000"><tr>'
            f'<td width="200"><table>{menu}</table></td><td width="800">{paras}</td></tr>'
            f'<tr><td colspan="2">版权所有：某市人民政府办公室 技术支持：某公司</td></tr></table></body></html>')
    raw = read_bytes(page.encode("gbk"), source="old.htm", suffix=".htm")
    assert [ln for ln in raw.text.splitlines() if ln.strip()] == [ln for ln in SHORT_PLAN.splitlines() if ln.strip()]


def test_formats_html_table_rows_are_tab_separated():
    page = article_html(TASK_NOTICE, title="重点任务分工", table_rows=TASK_ROWS).encode("utf-8")
    rows = [ln.split("\t") for ln in read_bytes(page, source="t.html", suffix=".html").text.splitlines() if "\t" in ln]
    assert rows == TASK_ROWS


# ------------------------------------------------------------------ the wrong bytes under a format's name

@pytest.mark.parametrize("name,data,reason", [
    ("fake.pdf", "一、总体要求\n（一）建成平台".encode("utf-8"), "is not a PDF file (it is plain text)"),
    ("fake.docx", "一、总体要求".encode("gbk"), "is not a Word .docx file (it is plain text)"),
    ("pdf.docx", b"%PDF-1.7\n1 0 obj", "is not a Word .docx file (it is a PDF file)"),
    ("zip.docx", None, "not a Word .docx file (it has no word/document.xml)"),
    ("cut.docx", "truncated", "damaged or truncated"),
    ("cut.pdf", "truncated", "damaged or truncated"),
    ("bin.html", bytes(range(256)) * 4, "is not a web page"),
])
def test_formats_wrong_bytes_under_a_format_name_are_refused(tmp_path, name, data, reason):
    if name == "zip.docx":
        buf = tmp_path / name
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("hello.txt", "你好")
        data = buf.read_bytes()
    elif data == "truncated":
        whole = (_docx(SAMPLE.read_text(encoding="utf-8"), tmp_path) if name.endswith(".docx")
                 else reportlab_pdf(SHORT_PLAN, tmp_path / "whole.pdf"))
        data = whole.read_bytes()[: len(whole.read_bytes()) // 2]
    with pytest.raises(IngestError) as e:
        read_bytes(data, source=name, suffix=Path(name).suffix)
    assert str(e.value).startswith(f"{name}: ") and reason in str(e.value)
    assert "\n" not in str(e.value)
