"""Responsibility notes and unit resolution."""

from __future__ import annotations

import pytest

from policykg.ingest import parse_file, parse_text
from policykg.ingest.units import resolve_unit

from helpers import DATA

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
])
def test_responsibility_note_forms(note, expected):
    doc = parse_text(PLAN.format(note=note))
    assert _units(doc, "1.1") == expected
    assert _units(doc, "1.2") == []
    note_start = doc.responsibilities[0]
    for u in note_start.units:
        assert doc.text[u.start:u.end] == u.name


def test_responsibility_bracketed_prose_is_not_a_note():
    doc = parse_text(PLAN.format(note="（其中，区科委牵头经济数字化转型）"))
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
