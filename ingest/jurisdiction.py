"""Administrative divisions: which government a name belongs to and at what level.

``jurisdiction_of("上海市普陀区人民政府办公室")`` → ``("上海市普陀区", "district")``;
``jurisdiction_chain`` says what the level prefixes 省/市/区/县 of an abbreviated
unit name (区科委, 市经信委) refer to within an issuer's jurisdiction.  Levels are
``national``, ``provincial``, ``municipal`` and ``district`` (districts and counties).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Provincial-level divisions: the head of every jurisdiction chain.
PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省",
    "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区", "西藏自治区",
    "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区",
)
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_NATIONAL = re.compile(r"^(?:国务院|中共中央|中央|全国|国家|中华人民共和国|最高人民|中国人民银行|中国人民解放军|新华社)")
# A central ministry or agency: 工业和信息化部, 海关总署, 市场监管总局 (no division prefix).
_CENTRAL = re.compile(r"^[\u4e00-\u9fff]{1,12}(?:部|总局|总署|署|银行)(?:办公厅|办公室)?$")
_LOCAL_ORG = re.compile(r"(?:人民政府|政府|办公室|办公厅|委员会|人大|政协|党委|区委|市委|县委|省委)")
# The rest of a body's name after its division: any office, bureau or party committee
# (成都市|科学技术局, 南山区|发展和改革局, 桐庐县|委办公室); enterprises are no government.
_BODY_REST = re.compile(r"^(?:委(?:员会)?|[\u4e00-\u9fff()（）]{1,24}?(?:人民政府|政府|委员会|管委会|管理委员会|办公室|办公厅|"
                        r"委|办|局|厅|署|部|中心|院|会|处|站|所|队|馆|社))$")
# words ending in 市/区/县 that are no division (智慧城市, 超市, 上市; 园区, 示范区 are in _NOT_PLACE below)
# (a city's own name is short: 成都市, 盐城市 are cities, 智慧城市 is not)
_NOT_CITY = re.compile(r"(?:^[\u4e00-\u9fff]{2,}[城都]市|(?:超|门|上|街|夜|股|菜|集|坊|全|本|我|各|该)市)$")
_LEVEL_ABBREV = re.compile(r"^(?:省|市|区|县|州|镇|乡|街道|各)")
_PARTY = re.compile(r"^(?:中国共产党|中共)")
# 国发 / 国办发 / 国办函 / 国函: numbers of the State Council and its General Office.
_NATIONAL_NUMBER = re.compile(r"^国(?:办)?(?:发|函|发明电)[〔\[【(（]")


def jurisdiction_parts(name: str) -> list[tuple[str, str]]:
    """The administrative divisions at the start of ``name``, outermost first.

    Each part is ``(level, accumulated name)`` with level ``province``,
    ``city`` or ``county``.

    >>> jurisdiction_parts("广州市天河区人民政府")
    [('city', '广州市'), ('county', '广州市天河区')]
    >>> jurisdiction_parts("浙江省杭州市西湖区")
    [('province', '浙江省'), ('city', '浙江省杭州市'), ('county', '浙江省杭州市西湖区')]
    """
    return list(_parts(name.strip()))


@lru_cache(maxsize=8192)
def _parts(s: str) -> tuple[tuple[str, str], ...]:
    # a pure function of the name, asked for every unit of every document (a tenth of a unit's resolution)
    parts: list[tuple[str, str]] = []
    acc = ""
    prov = next((p for p in PROVINCES if s.startswith(p)), None)
    rest = s
    if prov:
        acc = prov
        rest = s[len(prov):]
        parts.append(("city" if prov in MUNICIPALITIES else "province", acc))
    if not prov or parts[-1][0] == "province":
        m = _city_prefix(rest + "。")
        if m and (prov or _LOCAL_ORG.match(rest[m.end():]) or _county_prefix(rest[m.end():] + "。")
                  or _names_a_body(m.group(1), rest[m.end():])):
            acc += m.group(1)
            rest = rest[m.end():]
            parts.append(("city", acc))
    m = _county_prefix(rest + "。")
    if m and (parts or _LOCAL_ORG.match(rest[m.end():]) or _names_a_body(m.group(1), rest[m.end():])):
        acc += m.group(1)
        parts.append(("county", acc))
    return tuple(parts)


def _names_a_body(division: str, rest: str) -> bool:
    """Is ``division`` + ``rest`` a body of that division (杭州市 + 经济和信息化局), not a word
    that ends like one (智慧城市 + 建设中心, 经济开发区 + 管委会)?

    >>> _names_a_body("杭州市", "经济和信息化局"), _names_a_body("桐庐县", "委办公室")
    (True, True)
    >>> _names_a_body("智慧城市", "运营中心"), _names_a_body("经济开发区", "管委会"), _names_a_body("县市", "场监管局")
    (False, False, False)
    """
    return len(division) >= 3 and "省" not in division and not _NOT_CITY.search(division) and not _NOT_PLACE.search(division) \
        and bool(_BODY_REST.match(rest))


def _county_prefix(s: str):
    m = re.match(r"([\u4e00-\u9fff]{1,6}?(?:自治县|自治旗|区|县|旗|市))(?=[\u4e00-\u9fff。])", s)
    if m and not _LOCAL_ORG.match(m.group(1)):
        return m
    return None


def _city_prefix(s: str):
    """A prefecture-level name at the start of ``s`` (杭州市, not 杭州; 延边朝鲜族自治州)."""
    for pat in (r"([\u4e00-\u9fff]{1,6}?市)(?=[\u4e00-\u9fff。])",
                r"([\u4e00-\u9fff]{1,8}?(?:自治州|地区|盟))(?=[\u4e00-\u9fff。])",
                r"([\u4e00-\u9fff]{1,4}?州)(?=[\u4e00-\u9fff。])"):
        m = re.match(pat, s)
        if m and not _LOCAL_ORG.match(m.group(1)):
            return m
    return None


_LEVEL_NAMES = {"province": "provincial", "city": "municipal", "county": "district"}


def jurisdiction_of(issuer: str) -> tuple[str | None, str | None]:
    """The jurisdiction and government level named by an issuer.

    Joint issuers (``财政部 税务总局``) take the first; party committees
    (``中共…委``) count as their division.

    >>> jurisdiction_of("上海市普陀区人民政府办公室")
    ('上海市普陀区', 'district')
    >>> jurisdiction_of("浙江省人民政府")
    ('浙江省', 'provincial')
    >>> jurisdiction_of("杭州市人民政府办公厅")
    ('杭州市', 'municipal')
    >>> jurisdiction_of("德清县人民政府办公室")
    ('德清县', 'district')
    >>> jurisdiction_of("国务院办公厅"), jurisdiction_of("工业和信息化部办公厅")
    (('中华人民共和国', 'national'), ('中华人民共和国', 'national'))
    >>> jurisdiction_of("中共浙江省委办公厅"), jurisdiction_of("区委宣传部")
    (('浙江省', 'provincial'), (None, None))
    """
    s = issuer.strip()
    if not s:
        return None, None
    s = re.split(r"[\s、,，]+", s)[0]
    s = _PARTY.sub("", s)
    if _NATIONAL.match(s):
        return "中华人民共和国", "national"
    parts = jurisdiction_parts(s)
    if not parts:
        if _CENTRAL.match(s) and not _LEVEL_ABBREV.match(s):
            return "中华人民共和国", "national"
        return None, None
    level, name = parts[-1]
    return name, _LEVEL_NAMES[level]


# Generic words that end like a division but name none (城市, 全区, 园区 …).
_NOT_PLACE = re.compile(r"(?:^[全本我各该城都超市]|地区|园区|片区|社区|城区|景区|街区|商区|小区|示范区|功能区|开发区|保税区|"
                        r"试验区|合作区|先行区|集聚区|承载区|核心区|市区|旅游区|风景区|度假区|工业区|产业区|商务区|"
                        r"校区|院区|厂区|库区|辖区|大湾区|^(?:高新|经开|综保|自贸|临空|空港|新)区)$")


def jurisdiction_of_title(title: str | None) -> tuple[str | None, str | None]:
    """The jurisdiction a title starts with, for a document whose issuer is
    not known (``杭州市数字经济…方案`` → 杭州市).

    >>> jurisdiction_of_title("杭州市数字经济高质量发展实施方案(试行)")
    ('杭州市', 'municipal')
    >>> jurisdiction_of_title("上海市普陀区数据条例"), jurisdiction_of_title("浙江省数字经济促进方案")
    (('上海市普陀区', 'district'), ('浙江省', 'provincial'))
    >>> jurisdiction_of_title("杭州市西湖区数字化改革行动计划"), jurisdiction_of_title("德清县数据资源管理办法")
    (('杭州市西湖区', 'district'), ('德清县', 'district'))
    >>> jurisdiction_of_title("城市数字化转型行动方案"), jurisdiction_of_title("关于加快发展的意见")
    ((None, None), (None, None))
    """
    if not title:
        return None, None
    t = re.sub(r"^关于(?:印发|转发)?", "", title.strip()).lstrip("《")
    name, level = "", None
    prov = next((p for p in PROVINCES if t.startswith(p)), None)
    if prov:
        name, level = prov, ("municipal" if prov in MUNICIPALITIES else "provincial")
    if level != "municipal":
        m = _place(t[len(name):], "市州盟", 1 if name else 2)
        if m:
            name, level = name + m, "municipal"
    m = _place(t[len(name):], "区县", 1 if name else 2)
    if m:
        name, level = name + m, "district"
    return (name, level) if name else (None, None)


def _place(s: str, endings: str, shortest: int) -> str | None:
    m = re.match(rf"([\u4e00-\u9fff]{{{shortest},4}}?[{endings}])", s)
    return m.group(1) if m and not _NOT_PLACE.search(m.group(1)) else None


def jurisdiction_chain(jurisdiction: str | None) -> dict[str, str]:
    """Level prefix → jurisdiction: what 省/市/区/县 in an abbreviation refer to.

    >>> jurisdiction_chain("上海市普陀区")
    {'市': '上海市', '区': '上海市普陀区', '县': '上海市普陀区'}
    >>> jurisdiction_chain("广州市天河区")["市"]
    '广州市'
    """
    if not jurisdiction:
        return {}
    out: dict[str, str] = {}
    for level, name in jurisdiction_parts(jurisdiction + "人民政府"):
        if level == "province":
            out["省"] = name
        elif level == "city":
            out["市"] = name
        else:
            out["区"] = name
            out["县"] = name
    return out


def level_from_doc_number(doc_number: str | None) -> tuple[str | None, str | None]:
    """国发/国办发/国办函 numbers are the State Council's."""
    if doc_number and _NATIONAL_NUMBER.match(doc_number):
        return "中华人民共和国", "national"
    return None, None
