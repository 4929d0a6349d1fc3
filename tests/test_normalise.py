"""Normalisation: the one-for-one fold and healing of split sentences."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from policykg.ingest.normalise import fold, heal_breaks, matching_view, normalise, starts_block


@given(st.text())
def test_normalise_fold_keeps_every_offset(s):
    folded = fold(s)
    assert len(folded) == len(s)
    for a, b in zip(s, folded):
        assert a == b or ord(a) >= 0x2E80 or 0xFF01 <= ord(a) <= 0xFF5E or a in "\u3000\u00a0"


def test_normalise_fold_maps_fullwidth_and_radicals():
    assert fold("（１）２０２３年：ＡＩ") == "(1)2023年:AI"
    assert fold("⼈⺠政府") == "人民政府"  # Kangxi radical ⼈ and supplement form ⺠
    assert fold("、。“”—〔〕") == "、。“”—〔〕"  # CJK punctuation is not full-width ASCII


def test_normalise_heals_a_page_break_inside_a_sentence():
    text = "加快技术研发，推动人工智\n\n能等技术落地。\n\n二、保障措施\n"
    assert "人工智能等技术" in heal_breaks(text)


def test_normalise_keeps_titles_signatures_and_headings_apart():
    text = ("某市人民政府办公室关于印发《数字化转型方案》的通知\n\n各区人民政府：\n\n现予印发，请认真执行。\n\n"
            "某市人民政府办公室\n\n2023年1月5日\n\n一、总体要求\n\n（一）指导思想\n")
    assert heal_breaks(text) == text


def test_normalise_does_not_join_a_sentence_to_the_next_heading():
    text = "推动园区数字化改造，提升承载力\n\n2. 数字平台新布局\n"
    assert heal_breaks(text) == text


def test_normalise_turns_crlf_into_lf_and_folds():
    assert normalise("一、目标\r\n（一）建成\r\n") == "一、目标\n(一)建成\n"


def test_normalise_fold_maps_every_kangxi_radical_to_an_ideograph():
    for cp in range(0x2F00, 0x2FD6):
        folded = fold(chr(cp))
        assert "\u4e00" <= folded <= "\u9fff", f"U+{cp:04X} {chr(cp)} folds to {folded!r}"


@pytest.mark.parametrize("pdf_form,ideographs", [
    ("上海市普陀区⼈⺠政府办公室⽂件", "上海市普陀区人民政府办公室文件"),  # what Chromium's PDFs of the sample say
    ("⻚⾯⻓⻆⻅⻔⻋⻢⻜", "页面长角见门车马飞"),
    ("﨑﨟鶴", "﨑﨟鶴"),  # FA11 and FA1F are unified ideographs already: left alone
    ("\uf914\uf9d0", "樂類"),  # compatibility ideographs → the unified ideograph
])
def test_normalise_fold_maps_pdf_look_alikes(pdf_form, ideographs):
    assert fold(pdf_form) == ideographs


def test_normalise_fold_replaces_lone_surrogates_one_for_one():
    assert fold("a\ud800b") == "a\ufffdb"


@pytest.mark.parametrize("text,healed", [
    ("推动产业数字化转型升级，培育一批企业。（责任\n单位：区科委）\n", "（责任单位：区科委）"),
    ("培育企业。(责任单位:区科委、\n区商务委)\n", "(责任单位:区科委、区商务委)"),
    ("加快建设工业互联网平台，围绕 digital\nplatform 建设开展试点工作，推动协同。\n", "digital platform"),
    ("加快基站建设布局，到 2023 年全区 5G 室外基站达到 20\n00 个，实现全覆盖。\n", "达到 2000 个"),
])
def test_normalise_heals_notes_and_words_split_across_lines(text, healed):
    assert fold(healed) in normalise(text)


def test_normalise_keeps_a_closed_note_and_the_next_heading_apart():
    text = "完成升级改造。（责任单位：区科委）\n2. 数字研发新赋能\n"
    assert normalise(text) == fold(text)


@given(st.text(alphabet=st.sampled_from("（）()责任单位区科委，。\n 1一、"), max_size=80))
@settings(max_examples=150, deadline=None)
def test_normalise_healing_only_removes_line_breaks(s):
    out = heal_breaks(fold(s))
    assert out.replace("\n", "").replace(" ", "") == fold(s).replace("\n", "").replace(" ", "")


def test_normalise_matching_view_folds_traditional_one_for_one():
    text = "（責任單位：臺北市政府資訊局、市府經濟發展局）到2025年達到1200億元，建成5個。"
    view = matching_view(text)
    assert len(view) == len(text)
    assert view == "（责任单位：台北市政府资讯局、市府经济发展局）到2025年达到1200亿元，建成5个。"
    simplified = "（责任单位：区科委）到2025年达到1200亿元。"
    assert matching_view(simplified) is simplified  # a Simplified text is matched as it is


def test_normalise_restore_original_puts_back_what_the_document_wrote():
    from policykg.ingest import parse_text

    traditional = ("某市數字經濟發展行動計劃\n一、重點任務\n（一）建設數字基礎設施\n"
                   "1. 推進網絡建設。到2024年，新建5G基站3000個。（責任單位：市通信管理局、市發展改革委）\n")
    doc = parse_text(traditional)
    assert doc.text == normalise(traditional)
    assert [s.title for s in doc.sections] == ["重點任務", "建設數字基礎設施", "推進網絡建設"]
    assert [u.name for r in doc.responsibilities for u in r.units] == ["市通信管理局", "市發展改革委"]
    for r in doc.responsibilities:
        for u in r.units:
            assert doc.text[u.start:u.end] == u.name
    assert [(t.value, t.unit) for t in doc.targets] == [(3000, "個")]


@pytest.mark.parametrize("line,block", [("（二）行动目标", True), ("2. 数字研发新赋能", True), ("附件：任务分工表", True),
                                        ("服务有效供给。", False), ("2022年6月15日", True), ("①建设平台", True)])
def test_normalise_starts_block(line, block):
    assert starts_block(line) is block
