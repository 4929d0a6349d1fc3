"""The units gazetteer (ontology/units.tsv) and resolving a body's name within its jurisdiction.

Jurisdictions here are other districts, counties, cities, provinces and the
State Council, so the rules are shown not to be tied to the sample's 普陀区.
"""

from __future__ import annotations

import re
from importlib import resources

import pytest

from policykg.ingest.units import (
    body_forms,
    find_bodies,
    jurisdiction_forms,
    looks_like_unit,
    national_body,
    resolve_unit,
    stands_alone,
)

ENTITY_CLASSES = {"GovernmentBody", "Subdistrict", "Enterprise", "University", "ResearchInstitute"}


@pytest.mark.parametrize("name,jurisdiction,key,level", [
    ("区科委", "上海市静安区", "上海市静安区科学技术委员会", "district"),
    ("县教育局", "浙江省湖州市德清县", "浙江省湖州市德清县教育局", "district"),
    ("市经信委", "江州市临湖区", "江州市经济和信息化委员会", "municipal"),
    ("市发展改革委", "上海市静安区", "上海市发展和改革委员会", "provincial"),  # a municipality is province-level
    ("省发展改革委", "浙江省杭州市西湖区", "浙江省发展和改革委员会", "provincial"),
    ("省科技厅", "浙江省", "浙江省科学技术厅", "provincial"),
    ("工信部", "浙江省", "工业和信息化部", "national"),
    ("国家发展改革委", "江州市临湖区", "国家发展和改革委员会", "national"),
    ("统计局", "中华人民共和国", "国家统计局", "national"),  # unprefixed in a national document
    ("区委", "江州市临湖区", "中共江州市临湖区委员会", "district"),
    ("区委组织部", "江州市临湖区", "中共江州市临湖区委员会组织部", "district"),
    ("团市委", "江州市临湖区", "共青团江州市委员会", "municipal"),
    ("区政协", "江州市临湖区", "中国人民政治协商会议江州市临湖区委员会", "district"),
    ("县人大常委会", "浙江省湖州市德清县", "浙江省湖州市德清县人民代表大会常务委员会", "district"),
    ("区公安分局", "广州市天河区", "广州市公安局天河分局", "district"),
    ("区税务局", "江州市临湖区", "国家税务总局江州市临湖区税务局", "district"),
    ("市场监管局", "广州市天河区", "广州市天河区市场监督管理局", "district"),  # unprefixed: the issuer's own
])
def test_units_abbreviation_resolves_at_its_level(name, jurisdiction, key, level):
    e = resolve_unit(name, jurisdiction)
    assert (e.key, e.canonical_name, e.level) == (key, key, level)
    assert e.name == name and e.type == "GovernmentBody"


@pytest.mark.parametrize("forms,jurisdiction", [
    (["区科委", "静安区科委", "静安区科学技术委员会", "上海市静安区科学技术委员会"], "上海市静安区"),
    (["县发改局", "德清县发改局", "德清县发展和改革局", "湖州市德清县发展和改革局"], "浙江省湖州市德清县"),
    (["工信部", "工业和信息化部", "中华人民共和国工业和信息化部"], "江州市临湖区"),
    # not in the gazetteer: still one key for the abbreviation and the full forms
    (["区城乡融合发展中心", "临湖区城乡融合发展中心", "江州市临湖区城乡融合发展中心"], "江州市临湖区"),
    # a national body's branch, by the body's short or full name; the 税务局 the district's 区税务局 means
    (["人民银行江州市中心支行", "中国人民银行江州市中心支行"], "江州市临湖区"),
    (["区税务局", "国家税务总局江州市临湖区税务局"], "江州市临湖区"),
])
def test_units_every_form_of_one_body_has_one_key(forms, jurisdiction):
    keys = {resolve_unit(f, jurisdiction).key for f in forms}
    assert len(keys) == 1, keys


@pytest.mark.parametrize("name", ["区科委", "区城乡融合发展中心", "区政府", "团区委"])
def test_units_same_abbreviation_in_two_jurisdictions_is_two_bodies(name):
    a, b = resolve_unit(name, "上海市静安区"), resolve_unit(name, "江州市临湖区")
    assert a.key != b.key
    assert (a.jurisdiction, b.jurisdiction) == ("上海市静安区", "江州市临湖区")


def test_units_national_body_offices_and_forms():
    assert national_body("工业和信息化部办公厅").key == "工业和信息化部办公厅"
    assert national_body("教育部科技司").key == "教育部科技司"
    assert national_body("中华人民共和国财政部").key == "财政部"
    assert national_body("区财政局") is None


@pytest.mark.parametrize("name,jurisdiction,key,place,level", [
    ("人民银行宁波市分行", "浙江省", "中国人民银行宁波市分行", "宁波市", "municipal"),
    ("金融监管总局浙江监管局", "浙江省杭州市西湖区", "国家金融监督管理总局浙江监管局", "浙江省", "provincial"),
    ("国家外汇管理局浙江省分局", "中华人民共和国", "国家外汇管理局浙江省分局", "浙江省", "provincial"),
    ("国家统计局德清调查队", "浙江省湖州市德清县", "国家统计局德清调查队", "德清县", "district"),
    ("国家税务总局广州市天河区税务局", "江州市临湖区", "国家税务总局广州市天河区税务局", "广州市天河区", "district"),
    ("中华人民共和国宁波海关", "浙江省", "宁波海关", "宁波市", "municipal"),
])
def test_units_a_national_bodys_branch_is_a_body_of_its_place(name, jurisdiction, key, place, level):
    # wherever it is named, the branch is its place's, not the issuer's, and not the national body itself
    assert looks_like_unit(name)
    e = resolve_unit(name, jurisdiction)
    assert (e.key, e.jurisdiction, e.level, e.type) == (key, place, level, "GovernmentBody")


@pytest.mark.parametrize("name", ["人民银行设立分行", "人民银行支行", "人民银行各分行"])
def test_units_a_branch_needs_a_place_between_body_and_ending(name):
    assert not looks_like_unit(name)


@pytest.mark.parametrize("name,jurisdiction", [
    ("国家信息中心", "浙江省杭州市西湖区"), ("国家图书馆", "中华人民共和国"), ("中国中小企业发展促进中心", "江州市"),
])
def test_units_a_national_institution_is_the_countrys_wherever_it_is_named(name, jurisdiction):
    assert looks_like_unit(name)
    e = resolve_unit(name, jurisdiction)
    assert (e.key, e.jurisdiction, e.level) == (name, "中华人民共和国", "national")


@pytest.mark.parametrize("name,jurisdiction", [
    ("中国共产党江州市委员会", "江州市临湖区"),  # a place's party committee, not the country's
    ("国家级临湖经济开发区管委会", "江州市临湖区"),  # 国家级 grades a local zone
])
def test_units_a_national_word_does_not_make_a_local_body_national(name, jurisdiction):
    assert resolve_unit(name, jurisdiction).level != "national"


@pytest.mark.parametrize("name", ["各设区市政府", "各街道镇", "各区县发展改革委"])
def test_units_a_collective_is_no_single_body(name):
    e = resolve_unit(name, "浙江省")
    assert e.canonical_name is None and e.key == f"浙江省/{name}"


def test_units_a_level_missing_from_the_chain_stays_scoped_to_the_issuer():
    # 区科委 in a city's document means the districts' bodies: no canonical name is invented
    e = resolve_unit("区科委", "杭州市")
    assert e.canonical_name is None and e.jurisdiction == "杭州市"
    assert e.key != resolve_unit("区科委", "江州市").key


@pytest.mark.parametrize("j,forms", [
    ("上海市静安区", ["上海市静安区", "静安区"]),
    ("浙江省湖州市德清县", ["浙江省湖州市德清县", "湖州市德清县", "德清县"]),
    ("江州市临湖区", ["江州市临湖区", "临湖区"]),
    ("浙江省", ["浙江省"]),
])
def test_units_jurisdiction_forms(j, forms):
    assert jurisdiction_forms(j) == forms


@pytest.mark.parametrize("text,jurisdiction,found", [
    ("由区科委、市经信委和工信部牵头", "江州市临湖区", ["区科委", "市经信委", "工信部"]),
    ("临湖区科委会同江州市临湖区人民政府办公室", "江州市临湖区", ["临湖区科委", "江州市临湖区人民政府办公室"]),
    ("请省发展改革委、省科技厅及国家发展改革委支持", "浙江省杭州市西湖区", ["省发展改革委", "省科技厅", "国家发展改革委"]),
    ("城市管理局与区市场监管局", "广州市天河区", ["城市管理局", "区市场监管局"]),  # 城市 is no level prefix
    ("团区委、区委办和区委", "江州市临湖区", ["团区委", "区委办", "区委"]),
    ("接受区政府委托的区委员", "江州市临湖区", ["区政府"]),  # 委托, 委员 are words, not 区委
    ("示范区发改委工作专班", "江州市临湖区", []),  # 示范区 ends a word: no level prefix
    ("工信厅企业〔2023〕15号", "中华人民共和国", []),  # the prefix of a 文号
    # a branch is one body: not its national body and a place
    ("人民银行宁波市中心支行、金融监管总局宁波监管分局配合", "浙江省宁波市", ["人民银行宁波市中心支行", "金融监管总局宁波监管分局"]),
    ("用好人民银行支农再贷款", "浙江省宁波市", ["人民银行"]),  # the national body as a topic
])
def test_units_bodies_found_in_running_text(text, jurisdiction, found):
    ms = find_bodies(text, jurisdiction)
    assert [m.name for m in ms] == found
    for m in ms:
        assert text[m.start:m.end] == m.name


@pytest.mark.parametrize("name,ok", [
    ("区科委", True), ("国家发展改革委", True), ("工信部", True), ("团区委", True), ("各街道镇", True),
    ("2023年底", False), ("加快推进", False),
])
def test_units_looks_like_unit(name, ok):
    assert looks_like_unit(name) is ok


@pytest.mark.parametrize("name,ok", [
    ("区财政局", True), ("各镇人民政府", True), ("江州市数据局", True), ("临湖高新区管委会", True),
    ("人民银行江州市分行", True), ("中共临湖区委", True), ("市场监管局", True),
    ("组织部", False), ("办公室", False), ("综合科", False), ("执法局", False), ("江州市", False),
])
def test_units_a_name_that_stands_alone_names_its_level_place_or_body(name, ok):
    # what a space may split a list at: a whole name, never an office of the name before it
    assert stands_alone(name) is ok


# ---------------------------------------------------------------- the gazetteer itself

def _gazetteer_text() -> str:
    return resources.files("policykg.ontology").joinpath("units.tsv").read_text(encoding="utf-8")


def test_units_gazetteer_says_what_it_is_and_every_line_is_well_formed():
    text = _gazetteer_text()
    assert "Our own compilation of public naming conventions" in text
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        assert 3 <= len(cols) <= 4, line
        form, full, typ = cols[:3]
        scope = cols[3] if len(cols) == 4 else ""
        assert form and full and typ in ENTITY_CLASSES, line
        assert scope in ("", "national", "省", "市", "区", "县"), line
        assert set(re.findall(r"\{(\w+)\}", full)) <= {"j", "city", "short"}, line
        if scope and scope != "national":
            assert "{j}" in full, line


def test_units_gazetteer_forms_are_unambiguous():
    seen: dict[tuple[str, str], str] = {}
    for f in body_forms():
        key = (f.form, f.scope)
        assert seen.get(key, f.full) == f.full, f"{f.form} has two full names"
        seen[key] = f.full


@pytest.mark.parametrize("form,scope", [
    ("科委", ""), ("经信委", ""), ("发展改革委", ""), ("建管委", ""), ("城运中心", ""), ("大数据中心", ""),
    ("委组织部", ""), ("总工会", ""), ("妇联", ""), ("团区委", "区"),
    ("国家发展改革委", "national"), ("工业和信息化部", "national"), ("工信部", "national"), ("国务院办公厅", "national"),
    ("中央网信办", "national"), ("全国总工会", "national"),
])
def test_units_gazetteer_covers_each_kind_of_body(form, scope):
    assert any(f.form == form and f.scope == scope for f in body_forms())
