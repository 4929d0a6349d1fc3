"""Government bodies: recognise a body's name and resolve it to one real body.

An abbreviation such as ``区科委`` names a body *within a jurisdiction*: in a
document issued in 上海市普陀区 it is 上海市普陀区科学技术委员会, in one
issued in 上海市静安区 it is another body.  The level prefix (区/县/市/省)
picks which jurisdiction of the issuer's chain is meant; the gazetteer
(``policykg/ontology/units.tsv``) expands the stem to the full name, and names
the national bodies (工信部 → 工业和信息化部) whose jurisdiction is the country.

A national body's local branch (人民银行长沙市分行, 国家税务总局长沙市税务局)
is a body of the place written inside its name, and a national institution
the gazetteer does not list (中央电化教育馆) is the country's, wherever it is named.

Every form of one body resolves to the same key (its full name when the
gazetteer knows it, else the jurisdiction + the stem), so 区科委, 普陀区科委
and 上海市普陀区科学技术委员会 are one node, in one document or in ten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .docmeta import MUNICIPALITIES, PROVINCES, jurisdiction_chain, jurisdiction_parts
from .model import Document, Entity, Mention

NATIONAL = "中华人民共和国"
_LEVEL_PREFIXES = ("省", "市", "区", "县", "州", "镇")
_ORG_END = re.compile(
    r"(?:委员会|管委会|办公室|办公厅|人民政府|政府|委|办|局|厅|部|署|中心|研究院|研究所|院|所|联合会|协会|学会|"
    r"商会|总会|工会|联|会|处|科|室|站|队|分局|支队|大队|公司|集团|银行|街道|镇|乡|街道镇|单位|部门|"
    r"学校|大学|学院|医院|法院|检察院|联社|供销社|集团公司|管理处|服务社|基地|园区管理|平台公司|司|海关|馆)$"
)
_NOT_UNIT = re.compile(r"[\d%《》“”\"]|年|月|日|以上|以下|完成|推进|(?<!城乡)(?<!生产)(?<!住房)建设(?!管理|交通|兵团)|实现|开展|加强|提升|落实|工作$")
_LEVEL_OF_PART = {"province": "provincial", "city": "municipal", "county": "district"}
# internal offices of a national body: 工业和信息化部办公厅, 教育部科技司
_NATIONAL_OFFICE = re.compile(r"^(?:办公厅|办公室|[\u4e00-\u9fff]{1,8}?(?:司|局|中心|研究院|研究所))$")
# how a national body's local branch ends, after its place: 人民银行长沙市分行, 金融监管总局湖南监管局,
# 国家税务总局长沙市岳麓区税务局, 国家统计局长沙调查队, 国家外汇管理局湖南省分局, (海关总署) 长沙海关
_BRANCH_END = re.compile(r"中心支行|分行|支行|营业管理部|监管分局|监管局|监管办公室|监管办|调查总队|调查队|税务局|"
                         r"中心支局|分局|分署|海关|管理局")
# a national institution the gazetteer does not list: 中央/国家/中国/全国/中华 + a public institution's name
# (中央电化教育馆, 国家信息中心); not 国家级…, and not a party or political committee of a place (中国共产党…)
_NATIONAL_INSTITUTION = re.compile(r"^(?:中央|国家|中国|全国|中华)(?!级|共产党|共产主义青年团|人民政治协商会议)"
                                   r"[\u4e00-\u9fff]{2,24}$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# the administration of a zone: 临湖经济开发区管委会, 江州高新区管理委员会
_ZONE_BODY = re.compile(r"^[\u4e00-\u9fff]{2,16}(?:开发区|高新区|园区|新区|试验区|保税区|示范区|合作区)"
                        r"(?:管委会|管理委员会|管理局|管理办公室)$")


@dataclass(frozen=True)
class BodyForm:
    """One line of the gazetteer."""

    form: str
    full: str
    type: str
    scope: str  # "" (a stem after a level prefix), "national", or the fixed level 省/市/区/县


@lru_cache(maxsize=1)
def body_forms() -> tuple[BodyForm, ...]:
    """Every line of ``units.tsv``, in file order."""
    out = []
    text = resources.files("policykg.ontology").joinpath("units.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) < 2 or not parts[0]:
            continue
        typ = parts[2] if len(parts) > 2 and parts[2] else "GovernmentBody"
        out.append(BodyForm(parts[0], parts[1], typ, parts[3] if len(parts) > 3 else ""))
    return tuple(out)


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[str, str]]:
    """Abbreviated stem → (full stem, type), longest stems first (local stems only)."""
    table = {f.form: (f.full, f.type) for f in body_forms() if not f.scope}
    return dict(sorted(table.items(), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=1)
def national_bodies() -> dict[str, BodyForm]:
    """Whole name of a national body (any form) → its gazetteer line."""
    return {f.form: f for f in body_forms() if f.scope == "national"}


@lru_cache(maxsize=1)
def fixed_level_bodies() -> dict[str, BodyForm]:
    """Whole names whose level is written inside them (团区委 → 区)."""
    return {f.form: f for f in body_forms() if f.scope in ("省", "市", "区", "县")}


def looks_like_unit(name: str) -> bool:
    """Is ``name`` plausibly the name of a responsible unit?

    >>> looks_like_unit("区科委"), looks_like_unit("各街道镇"), looks_like_unit("真如副中心公司")
    (True, True, True)
    >>> looks_like_unit("工信部"), looks_like_unit("团区委")
    (True, True)
    >>> looks_like_unit("2023年底"), looks_like_unit("加快推进")
    (False, False)
    """
    name = name.strip()
    if not (2 <= len(name) <= 40) or _NOT_UNIT.search(name):
        return False
    if _ORG_END.search(name) or name in national_bodies() or name in fixed_level_bodies():
        return True
    stem = _strip_level(name)
    return stem in gazetteer() or national_branch(name) is not None


def stands_alone(name: str) -> bool:
    """Is ``name`` a unit's whole name on its own, rather than an office inside the name
    written before it (中共江州市委 宣传部, 区人社局 办公室)?  It names its level or place
    (区财政局, 各街道办事处, 江州市财政局, 临湖经济开发区管委会), is a national body or
    branch, or a clear office name of the issuer's own (市场监管局).

    >>> stands_alone("各街道办事处"), stands_alone("区市场监管局"), stands_alone("人民银行江州市分行")
    (True, True, True)
    >>> stands_alone("宣传部"), stands_alone("办公室"), stands_alone("执法局")
    (False, False, False)
    """
    if not looks_like_unit(name):
        return False
    if name[:1] in ("各",) + _LEVEL_PREFIXES and len(name) > 2 and name[:2] not in _NOT_PREFIX:
        return True
    if name in fixed_level_bodies() or national_body(name) is not None or national_branch(name) is not None:
        return True
    if name.startswith(("中共", "共青团")) or _ZONE_BODY.match(name) or jurisdiction_parts(name):
        return True
    return name in gazetteer() and bool(_BARE_STEM.match(name))



def place_of(words: str) -> str | None:
    """The division ``words`` name, in full or short, as its canonical name.

    >>> place_of("江州市临湖区"), place_of("浙江"), place_of("杭州"), place_of("设立")
    ('江州市临湖区', '浙江省', '杭州市', None)
    """
    if not 2 <= len(words) <= 12:
        return None
    parts = jurisdiction_parts(words + "人民政府")
    written = parts[-1][1] == words if parts else False
    if written and words[-1] in "省市区县旗盟":
        return words
    from .names import dictionary_places, places  # names reads this module's gazetteer: import late

    known = places().get(words)
    if known is not None:
        return known[0] if known[1] == "Place" else None
    # a city or county without its division (杭州 — not a 州), else a division that ends in 州 (恩施州)
    short = next((words + end for end in ("市", "县", "区") if words + end in dictionary_places()), None)
    return short or (words if written else None)


def branch_after(text: str, pos: int) -> tuple[int, str] | None:
    """A national body's branch written from ``pos`` on, after the body's name: its
    place and branch ending (长沙市 + 分行 after 人民银行) → (end, the place's canonical name).

    >>> branch_after("人民银行江州市中心支行负责", 4)
    (11, '江州市')
    >>> branch_after("人民银行设立分行", 4) is None
    True
    """
    for n in range(2, 13):
        if pos + n > len(text) or not _CJK.match(text, pos + n - 1):
            return None
        m = _BRANCH_END.match(text, pos + n)
        if m is not None:
            place = place_of(text[pos:pos + n])
            if place is not None:
                return m.end(), place
    return None


@lru_cache(maxsize=1)
def _national_prefix() -> re.Pattern:
    """Any whole form of a national body, longest first."""
    return re.compile("|".join(map(re.escape, sorted(national_bodies(), key=len, reverse=True))))


def national_branch(name: str) -> Entity | None:
    """A national body's local branch, a body of its place: <national body><place><branch ending>
    (人民银行长沙市分行, 金融监管总局湖南监管局), or a customs office, <place>海关.

    >>> e = national_branch("人民银行江州市分行")
    >>> e.key, e.jurisdiction, e.level
    ('中国人民银行江州市分行', '江州市', 'municipal')
    >>> national_branch("金融监管总局浙江监管局").key
    '国家金融监督管理总局浙江监管局'
    >>> national_branch("人民银行") is None, national_branch("人民银行设立分行") is None
    (True, True)
    """
    bare = name[len(NATIONAL):] if name.startswith(NATIONAL) and len(name) > len(NATIONAL) + 1 else name
    m = _national_prefix().match(bare)
    if m is not None:
        branch = branch_after(bare, m.end())
        if branch is not None and branch[0] == len(bare):
            canonical = national_bodies()[m.group()].full + bare[m.end():]
            return Entity(key=canonical, name=name, type="GovernmentBody", canonical_name=canonical,
                          jurisdiction=branch[1], level=level_of(branch[1]))
    if bare.endswith("海关") and len(bare) >= 4 and _CJK.match(bare) and not bare.startswith(("各", "有关", "相关")):
        place = place_of(bare[:-2])
        return Entity(key=bare, name=name, type="GovernmentBody", jurisdiction=place, level=level_of(place))
    return None


def _strip_level(name: str) -> str:
    for p in ("各",) + _LEVEL_PREFIXES:
        if name.startswith(p) and len(name) > len(p) + 1:
            return name[len(p):]
    return name


def unit_type(name: str) -> str:
    """The organisation class a unit name shows (by its ending)."""
    if re.search(r"(?:街道|镇|乡|街道镇|街镇|街道办事处)$", name):
        return "Subdistrict"
    if re.search(r"(?:公司|集团|银行|有限|股份|交易所)$", name):
        return "Enterprise"
    if re.search(r"(?:大学|学院)$", name):
        return "University"
    if re.search(r"(?:研究院|研究所|实验室|科学院)$", name):
        return "ResearchInstitute"
    return "GovernmentBody"


def national_body(name: str) -> Entity | None:
    """A national body by any of its forms, or an office inside one.

    >>> e = national_body("工信部")
    >>> e.key, e.jurisdiction, e.level
    ('工业和信息化部', '中华人民共和国', 'national')
    >>> national_body("国家发展改革委").canonical_name
    '国家发展和改革委员会'
    >>> national_body("工业和信息化部办公厅").key
    '工业和信息化部办公厅'
    >>> national_body("区科委") is None
    True
    """
    table = national_bodies()
    bare = name[len(NATIONAL):] if name.startswith(NATIONAL) and len(name) > len(NATIONAL) + 1 else name
    f = table.get(bare)
    if f is not None:
        return Entity(key=f.full, name=name, type=f.type, canonical_name=f.full, jurisdiction=NATIONAL,
                      level="national")
    for n in range(len(bare) - 2, 1, -1):
        f = table.get(bare[:n])
        if f is not None and _NATIONAL_OFFICE.match(bare[n:]):
            full = f.full + bare[n:]
            return Entity(key=full, name=name, type="GovernmentBody", canonical_name=full, jurisdiction=NATIONAL,
                          level="national")
    return None


def resolve_unit(name: str, jurisdiction: str | None) -> Entity:
    """Resolve a unit name within the issuer's jurisdiction to an :class:`Entity`.

    >>> e = resolve_unit("区科委", "上海市普陀区")
    >>> e.key, e.canonical_name, e.jurisdiction, e.level
    ('上海市普陀区科学技术委员会', '上海市普陀区科学技术委员会', '上海市普陀区', 'district')
    >>> resolve_unit("上海市普陀区科学技术委员会", "上海市普陀区").key
    '上海市普陀区科学技术委员会'
    >>> resolve_unit("区科委", "上海市静安区").key
    '上海市静安区科学技术委员会'
    >>> resolve_unit("区委", "浙江省杭州市西湖区").key
    '中共浙江省杭州市西湖区委员会'
    >>> resolve_unit("团市委", "广州市天河区").key
    '共青团广州市委员会'
    >>> resolve_unit("区金融办", "上海市普陀区").key == resolve_unit("普陀区金融办", "上海市普陀区").key
    True
    """
    name = name.strip()
    nat = national_branch(name) or national_body(name)
    if nat is not None:
        return nat
    typ = unit_type(name)
    if typ in ("Enterprise", "University", "ResearchInstitute"):
        return Entity(key=name, name=name, type=typ)
    if _NATIONAL_INSTITUTION.match(name) and looks_like_unit(name):
        # 中央电化教育馆, 国家信息中心: the country's own institution, wherever it is named
        return Entity(key=name, name=name, type=typ, canonical_name=name, jurisdiction=NATIONAL, level="national")
    chain = jurisdiction_chain(jurisdiction)
    g = gazetteer()
    if name.startswith("各"):  # 各设区市政府, 各街道镇: a collective of bodies, not one body
        return _entity(name, typ, None, jurisdiction, f"{jurisdiction}/{name}" if jurisdiction else name)
    fixed = fixed_level_bodies().get(name)
    if fixed is not None:
        scope = chain.get(fixed.scope) or jurisdiction
        canonical = _fill(fixed.full, scope, chain) if scope else None
        return _entity(name, fixed.type, canonical, scope, canonical or name)
    if name in g and jurisdiction:
        # an unprefixed stem (市场监管局, 财政局): the issuer's own body
        if jurisdiction == NATIONAL:  # a national document: 统计局 is 国家统计局, if there is one
            nat = national_body("国家" + name)
            if nat is not None:
                nat.name = name
                return nat
            return _entity(name, g[name][1], None, NATIONAL, f"{NATIONAL}/{name}")
        canonical = _expand(name, jurisdiction, chain)
        return _entity(name, g[name][1] if typ == "GovernmentBody" else typ, canonical, jurisdiction,
                       canonical or f"{jurisdiction}{name}")
    # 区科委 / 市经信委 / 省发展改革委: level prefix + stem
    if name[:1] in ("省", "市", "区", "县") and (len(name) > 2 or name[1:] in g):
        p, stem = name[0], name[1:]
        scope = chain.get(p)
        if scope is None:
            # the level is not in the issuer's chain (区科委 in a city document): the bodies of that
            # level under the issuer, one node per issuer
            return _entity(name, typ, None, jurisdiction, f"{jurisdiction}/{name}" if jurisdiction else name)
        canonical = _expand(stem, scope, chain)
        if stem in g and typ == "GovernmentBody":
            typ = g[stem][1]
        return _entity(name, typ, canonical, scope, canonical or f"{scope}{stem}")
    # a full name: <jurisdiction words><stem>, e.g. 上海市普陀区科学技术委员会, 普陀区科委
    for j in sorted(set(chain.values()), key=len, reverse=True):
        for form in jurisdiction_forms(j):
            if name.startswith(form) and len(name) > len(form):
                rest = name[len(form):]
                canonical = _expand(rest, j, chain) or (j + rest)
                return _entity(name, typ, canonical, j, canonical)
    # another jurisdiction written in full (浙江省科学技术厅 in a 上海 document)
    parts = jurisdiction_parts(name)
    if parts:
        j = parts[-1][1]
        rest = name[len(j):]
        if len(rest) >= 2:
            canonical = _expand(rest, j, jurisdiction_chain(j)) or name
            return _entity(name, typ, canonical, j, canonical)
    scope = jurisdiction if typ in ("Subdistrict", "GovernmentBody") else None
    return _entity(name, typ, None, scope, f"{scope}/{name}" if scope else name)


def _entity(name: str, typ: str, canonical: str | None, scope: str | None, key: str) -> Entity:
    return Entity(key=key, name=name, type=typ, canonical_name=canonical, jurisdiction=scope, level=level_of(scope))


def level_of(jurisdiction: str | None) -> str | None:
    """The government level of a jurisdiction.

    >>> level_of("上海市普陀区"), level_of("上海市"), level_of("浙江省"), level_of("中华人民共和国")
    ('district', 'provincial', 'provincial', 'national')
    """
    if not jurisdiction:
        return None
    if jurisdiction == NATIONAL:
        return "national"
    if jurisdiction in MUNICIPALITIES:
        return "provincial"
    parts = jurisdiction_parts(jurisdiction + "人民政府")
    return _LEVEL_OF_PART.get(parts[-1][0]) if parts else None


@lru_cache(maxsize=256)
def jurisdiction_forms(j: str) -> list[str]:
    """How a text writes a jurisdiction, fullest first: its name, then without the divisions above it.

    >>> jurisdiction_forms("上海市普陀区"), jurisdiction_forms("浙江省杭州市西湖区")
    (['上海市普陀区', '普陀区'], ['浙江省杭州市西湖区', '杭州市西湖区', '西湖区'])
    >>> jurisdiction_forms("浙江省")
    ['浙江省']
    """
    forms = [j]
    for _, acc in jurisdiction_parts(j + "人民政府")[:-1]:
        if j.startswith(acc) and len(j) > len(acc):
            forms.append(j[len(acc):])
    prov = next((p for p in PROVINCES if j.startswith(p)), None)
    if prov and len(j) > len(prov) and j[len(prov):] not in forms:
        forms.insert(1, j[len(prov):])
    return forms


def _fill(template: str, scope: str, chain: dict[str, str]) -> str:
    if "{" not in template:
        return scope + template
    city = chain.get("市")
    if "{city}" in template and (not city or city == scope):
        return scope + re.sub(r"\{[a-z]+\}", "", template)
    short = scope[len(city):] if city and scope.startswith(city) else scope
    short = re.sub(r"(?:新区|区|县)$", "", short) or short
    return template.format(j=scope, city=city or "", short=short)


def _expand(stem: str, scope: str | None, chain: dict[str, str]) -> str | None:
    if not scope:
        return None
    full = gazetteer().get(stem)
    if full is None:
        return None
    return _fill(full[0], scope, chain)


def register_unit(doc: Document, name: str, start: int, end: int, section: str | None) -> Entity:
    """Resolve ``name`` in ``doc``'s jurisdiction, add it to ``doc.entities``
    (merging aliases) and record the mention."""
    ent = add_entity(doc, resolve_unit(name, doc.meta.jurisdiction))
    doc.mentions.append(Mention(start=start, end=end, entity=ent.key, section=section))
    return ent


def add_entity(doc: Document, ent: Entity) -> Entity:
    """Add ``ent`` to ``doc.entities``, or merge its name into the entity with the same key."""
    have = doc.entities.get(ent.key)
    if have is None:
        doc.entities[ent.key] = ent
        return ent
    for n in (ent.name, *ent.aliases):
        if n != have.name and n not in have.aliases:
            have.aliases.append(n)
    if have.canonical_name is None and ent.canonical_name:
        have.canonical_name = ent.canonical_name
    return have


# ------------------------------------------------------------------ recognising bodies in running text

@dataclass
class BodyMatch:
    """A body's name found in running text."""

    name: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _body_index() -> tuple[dict[str, list[tuple[str, str]]], re.Pattern]:
    """Every form by its last character, longest first, with its kind (nat / fixed / stem);
    and a pattern that finds the characters a form can end with."""
    by_last: dict[str, list[tuple[str, str]]] = {}
    for f in body_forms():
        kind = "nat" if f.scope == "national" else "fixed" if f.scope else "stem"
        by_last.setdefault(f.form[-1], []).append((f.form, kind))
    for lst in by_last.values():
        lst.sort(key=lambda fk: (-len(fk[0]), fk[1] == "stem"))
    return by_last, re.compile("[" + re.escape("".join(by_last)) + "]")


# an unprefixed stem names the issuer's own body only when it is a clear office name
_DOC_NUMBER_AFTER = re.compile(r"[\u4e00-\u9fff]{0,6}\s*[〔\[【(（]\s*\d{4}\s*[〕\]】)）]")
_NOT_PREFIX = frozenset(("城市", "都市", "超市", "上市", "门市", "园区", "社区", "城区", "街区", "小区", "景区", "片区", "地区",
                         "范区", "新区", "辖区", "市区", "郊区", "山区", "湾区", "县市",
                         "辖市", "列市", "级市"))  # 直辖市/计划单列市/地级市 + 人民政府: a kind of city, no level prefix
_BARE_STEM = re.compile(r"^(?![委人中])[\u4e00-\u9fff]{2,}(?:局|委|办|厅|署|总工会|红十字会|档案馆)$")


def find_bodies(text: str, jurisdiction: str | None) -> list[BodyMatch]:
    """Government, party and public bodies named in ``text``: abbreviations with
    a level prefix (区科委), full names (上海市普陀区人民政府办公室), national
    bodies (工信部) and clear unprefixed office names (市场监管局).

    >>> [m.name for m in find_bodies("由区科委、市经信委和工信部牵头,上海市普陀区人民政府办公室印发", "上海市普陀区")]
    ['区科委', '市经信委', '工信部', '上海市普陀区人民政府办公室']
    """
    forms = sorted({f for j in set(jurisdiction_chain(jurisdiction).values()) for f in jurisdiction_forms(j)},
                   key=len, reverse=True)
    by_last, last_char = _body_index()
    national = jurisdiction == NATIONAL  # a national text's bare 财政厅 is every province's, no one body
    spans: list[tuple[int, int, str]] = []  # the longest form ending at each place
    for m in last_char.finditer(text):
        e = m.end()
        for form, kind in by_last[m.group()]:
            s = e - len(form)
            if s >= 0 and text.startswith(form, s):
                if kind == "stem" and len(form) == 1 and text[e:e + 1] in ("员", "托", "派"):
                    continue  # 委员, 委托: not 区委
                if kind == "nat" and text.startswith(NATIONAL, s - len(NATIONAL)):
                    s -= len(NATIONAL)
                if kind == "nat":
                    branch = branch_after(text, e)  # 人民银行 + 长沙市分行: the branch is the body named
                    if branch is not None:
                        e = branch[0]
                if kind == "stem" and s > 0 and text[s - 1] in "省市区县":
                    if text[s - 2:s] in _NOT_PREFIX:
                        # 城市/园区/直辖市… + a stem: the character ends a word, it is no level prefix (and no
                        # shorter form inside, 政府办 of 直辖市人民政府办公厅, is a body either)
                        spans.append((s, e, "none"))
                        break
                    kind, s = "pre", s - 1
                elif kind == "stem" and (not _BARE_STEM.match(form) or national):
                    break  # a bare stem names a body only when it is a clear office name of the issuer's own
                spans.append((s, e, kind))
                break
    out: list[BodyMatch] = []
    last_end = -1
    for s, e, kind in sorted(spans, key=lambda x: (x[0], -x[1])):
        if s < last_end or _DOC_NUMBER_AFTER.match(text, e):
            continue  # inside a longer name already taken (政府 in 人民政府办公室), or a 文号's prefix (工信厅企业〔2023〕)
        last_end = e
        if kind == "none":
            continue
        start = s
        if kind in ("pre", "stem"):
            # extend to the jurisdiction written before: 普陀区 + 科委, 上海市普陀区 + 人民政府办公室
            anchor = s + (1 if kind == "pre" else 0)
            for f in forms:
                if text.startswith(f, anchor - len(f)):
                    start = anchor - len(f)
                    break
        end = e
        out.append(BodyMatch(text[start:end], start, end))
    return out


