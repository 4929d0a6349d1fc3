"""Responsible units: recognise a unit name and resolve it to one real body.

An abbreviation such as ``区科委`` names a body *within a jurisdiction*: in a
document issued in 上海市普陀区 it is 上海市普陀区科学技术委员会, in one
issued in 上海市静安区 it is another body.  The level prefix (区/县/市/省)
picks which jurisdiction of the issuer's chain is meant; the gazetteer
(``policykg/ontology/units.tsv``) expands the stem to the full name.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from .model import Document, Entity, Mention
from .structure import PROVINCES, jurisdiction_chain

_LEVEL_PREFIXES = ("省", "市", "区", "县", "州", "镇")
_ORG_END = re.compile(
    r"(?:委员会|管委会|办公室|办公厅|人民政府|政府|委|办|局|厅|部|署|中心|研究院|研究所|院|所|联合会|协会|学会|"
    r"商会|总会|工会|联|会|处|科|室|站|队|分局|支队|大队|公司|集团|银行|街道|镇|乡|街道镇|单位|部门|"
    r"学校|大学|学院|医院|法院|检察院|联社|集团公司|管理处|服务社|基地|园区管理|平台公司)$"
)
_NOT_UNIT = re.compile(r"[\d%《》“”\"]|年|月|日|以上|以下|完成|推进|建设|实现|开展|加强|提升|落实|工作$")


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[str, str]]:
    """Abbreviated stem → (full stem, type), longest stems first."""
    table: dict[str, tuple[str, str]] = {}
    text = resources.files("policykg.ontology").joinpath("units.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 2:
            table[parts[0].strip()] = (parts[1].strip(), (parts[2].strip() if len(parts) > 2 else "GovernmentBody"))
    return dict(sorted(table.items(), key=lambda kv: -len(kv[0])))


def looks_like_unit(name: str) -> bool:
    """Is ``name`` plausibly the name of a responsible unit?

    >>> looks_like_unit("区科委"), looks_like_unit("各街道镇"), looks_like_unit("真如副中心公司")
    (True, True, True)
    >>> looks_like_unit("2023年底"), looks_like_unit("加快推进")
    (False, False)
    """
    name = name.strip()
    if not (2 <= len(name) <= 40) or _NOT_UNIT.search(name):
        return False
    if _ORG_END.search(name):
        return True
    stem = _strip_level(name)
    return stem in gazetteer()


def _strip_level(name: str) -> str:
    for p in ("各",) + _LEVEL_PREFIXES:
        if name.startswith(p) and len(name) > len(p) + 1:
            return name[len(p):]
    return name


def unit_type(name: str) -> str:
    """The organisation class a unit name shows (by its ending)."""
    if re.search(r"(?:街道|镇|乡|街道镇|街镇)$", name):
        return "Subdistrict"
    if re.search(r"(?:公司|集团|银行|有限|股份)$", name) or name.endswith("公司"):
        return "Enterprise"
    if re.search(r"(?:大学|学院)$", name):
        return "University"
    if re.search(r"(?:研究院|研究所|实验室)$", name):
        return "ResearchInstitute"
    return "GovernmentBody"


def resolve_unit(name: str, jurisdiction: str | None) -> Entity:
    """Resolve a unit name within the issuer's jurisdiction to an :class:`Entity`.

    >>> e = resolve_unit("区科委", "上海市普陀区")
    >>> e.key, e.canonical_name, e.jurisdiction
    ('上海市普陀区科学技术委员会', '上海市普陀区科学技术委员会', '上海市普陀区')
    >>> resolve_unit("上海市普陀区科学技术委员会", "上海市普陀区").key
    '上海市普陀区科学技术委员会'
    >>> resolve_unit("区科委", "上海市静安区").key
    '上海市静安区科学技术委员会'
    """
    typ = unit_type(name)
    chain = jurisdiction_chain(jurisdiction)
    if typ in ("Enterprise", "University", "ResearchInstitute"):
        return Entity(key=name, name=name, type=typ)
    scope = None
    canonical = None
    if name in gazetteer() and jurisdiction:
        # an unprefixed stem (市场监管局, 财政局): the issuer's own body
        canonical = _expand(name, jurisdiction, chain)
        return Entity(key=canonical or f"{jurisdiction}/{name}", name=name, type=typ, canonical_name=canonical,
                      jurisdiction=jurisdiction)
    # 区科委 / 市经信委 / 省发展改革委: level prefix + gazetteer stem
    for p in ("省", "市", "区", "县"):
        if name.startswith(p) and len(name) > 2:
            stem = name[1:]
            scope = chain.get(p) or (jurisdiction if p in ("区", "县") else None)
            canonical = _expand(stem, scope, chain)
            break
    else:
        # a full name: <jurisdiction words><stem>, e.g. 上海市普陀区科学技术委员会, 普陀区科委
        for j in sorted(set(chain.values()), key=len, reverse=True):
            for form in _jurisdiction_forms(j):
                if name.startswith(form) and len(name) > len(form):
                    scope = j
                    canonical = _expand(name[len(form):], j, chain) or (j + name[len(form):])
                    break
            if scope:
                break
        if scope is None and typ == "Subdistrict":
            scope = jurisdiction
        if scope is None and typ == "GovernmentBody":
            scope = jurisdiction
    key = canonical or (f"{scope}/{name}" if scope else name)
    return Entity(key=key, name=name, type=typ, canonical_name=canonical, jurisdiction=scope)


def _jurisdiction_forms(j: str) -> list[str]:
    """上海市普陀区 → [上海市普陀区, 普陀区]; 浙江省 → [浙江省]."""
    forms = [j]
    prov = next((p for p in PROVINCES if j.startswith(p)), None)
    if prov and len(j) > len(prov):
        forms.append(j[len(prov):])
    return forms


def _expand(stem: str, scope: str | None, chain: dict[str, str]) -> str | None:
    if not scope:
        return None
    g = gazetteer()
    full = g.get(stem)
    if full is None:
        return None
    full_stem = full[0]
    if stem == "公安分局" and "市" in chain and scope != chain.get("市"):
        # district police: 上海市公安局普陀分局
        district = scope[len(chain["市"]):]
        short = re.sub(r"(?:区|县)$", "", district)
        return f"{chain['市']}公安局{short}分局"
    return scope + full_stem


def register_unit(doc: Document, name: str, start: int, end: int, section: str | None) -> Entity:
    """Resolve ``name`` in ``doc``'s jurisdiction, add it to ``doc.entities``
    (merging aliases) and record the mention."""
    ent = resolve_unit(name, doc.meta.jurisdiction)
    have = doc.entities.get(ent.key)
    if have is None:
        doc.entities[ent.key] = ent
        have = ent
    elif name != have.name and name not in have.aliases:
        have.aliases.append(name)
    doc.mentions.append(Mention(start=start, end=end, entity=have.key, section=section))
    return have
