"""Normalisation: the one-for-one fold and healing of split sentences."""

from __future__ import annotations

from hypothesis import given, strategies as st

from policykg.ingest.normalise import fold, heal_breaks, normalise


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
