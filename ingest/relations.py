"""Step 8, *relations*: what each section relies on, focuses on and builds, as the text cues it.

==========================================  ============
cue                                         relation
==========================================  ============
依托 / 依靠 / 基于 X                          ``reliesOn``
围绕 / 聚焦 X                                 ``focusesOn``
建设 / 打造 / 建成 / 搭建 / 建立 / 构建 / 共建 X  ``builds``
X …建设 (加快X建设, A、B等项目建设)             ``builds``
every entity a section names                ``mentions``
==========================================  ============

A relation runs from the innermost section that holds the cue to each entity
mentioned in the cue's object, and keeps the cue word and the span it was read
from (``doc.text[r.start:r.end]`` is the cue with its object).  The object of a
cue is the rest of its clause up to the next verb that opens another phrase
(依托A等载体平台, 推动… stops before 推动).  Rules the hand annotation of the
sample states, as general rules:

* an attributive 基于 inside a noun phrase (打造基于5G的综合园区) is no relation:
  its object runs into a 的;
* objects that are only generic words give no relation: only entities count;
* a thing is *built* when it is the head of the object (建设A平台, A、B等项目建设), not
  when it only qualifies another noun (打造“一网统管”全市数字治理标杆); places,
  bodies and events are never built, and a programme is not built by a
  nominal 建设 (深化“互联网+医疗健康”建设 deepens a programme).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from .entities import section_finder
from .names import places, rules
from .model import Document, Mention, Relation

RELIES_ON = ("依托", "依靠", "基于")
FOCUSES_ON = ("围绕", "聚焦")
BUILDS = ("建设", "打造", "建成", "搭建", "建立", "构建", "共建")
KIND_OF_CUE = {**{c: "reliesOn" for c in RELIES_ON}, **{c: "focusesOn" for c in FOCUSES_ON},
               **{c: "builds" for c in BUILDS}}
_CUE_RE = re.compile("|".join(sorted(KIND_OF_CUE, key=len, reverse=True)))
_NOMINAL = ("建设", "搭建")  # used as nouns after their object: 加快A平台建设
_CLAUSE_END = re.compile(r"[，。；：！？,;:!?\n\t]")  # a tab ends a table cell
_LEAD_IN = re.compile(r"(?:成为|成|起|出|好)?\s*")  # 建设成为X, 构建起X
# 建设 as part of a compound noun, no cue: 工程建设项目, 建设用地, 建设单位
_COMPOUND_AFTER = re.compile(r"\s*(?:项目|单位|用地|资金|主体|标准|规划|指标)")
_COMPOUND_BEFORE = ("工程", "基本")
# what may follow a nominal 建设 (加快A平台建设。/ …建设和运营 / …建设工作); anything else is its object
_NOMINAL_END = re.compile(r"\s*(?:$|[，。；、：！？,;:!?)\n\t]|和|与|及|并|工作|步伐|力度|进度|进程|运营|运行|管理|应用|水平|"
                          r"成效|的|等|中|取得|成为|布局|工程)")
_NEVER_BUILT = frozenset(("Place", "GovernmentBody", "Subdistrict", "Enterprise", "University", "ResearchInstitute",
                          "Event", "Other", "Document"))
_DEICTIC = re.compile(r"国家|本市|本区|本省|本县|全市|全区|全省|全国|我市|我区|我省")
# what may stand between a built thing and the end of its phrase: 等项目, 两项试点, 示范区, 等营商服务场景
_HEAD_REST = re.compile(r"^(?:等[\u4e00-\u9fff]{0,8}|(?:[两二三四五六七八九十\d]+[项个大])?(?:重点|重大|特色)?"
                        r"(?:项目|工程|试点|示范区|平台)?)$")


@lru_cache(maxsize=1)
def _verb_re() -> re.Pattern:
    verbs = sorted((v for v in rules().verbs if len(v) >= 2), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, verbs)))


def find_relations(doc: Document) -> Document:
    """Fill ``doc.relations`` from the cues in the text and the mentions of entities."""
    text = doc.text
    mentions = sorted(doc.mentions, key=lambda m: (m.start, m.end))
    starts = [m.start for m in mentions]
    section_of = section_finder(doc)
    seen: set[tuple[str, str, str]] = set()
    out: list[Relation] = []

    def inside_mention(pos: int) -> bool:
        i = bisect_right(starts, pos) - 1
        return i >= 0 and mentions[i].end > pos

    def add(kind: str, section: str, m: Mention, cue: str, start: int, end: int) -> None:
        if (kind, section, m.entity) in seen:
            return
        seen.add((kind, section, m.entity))
        out.append(Relation(start=start, end=end, kind=kind, section=section, entity=m.entity, cue=cue))

    def in_span(a: int, b: int) -> list[Mention]:
        i = bisect_left(starts, a)
        found = []
        while i < len(mentions) and mentions[i].start < b:
            if mentions[i].end <= b:
                found.append(mentions[i])
            i += 1
        return found

    def rest_is_head(a: int, b: int, others: list[Mention]) -> bool:
        """Is text[a:b] (after a built thing) only list glue and a head such as 等项目?"""
        rest = text[a:b]
        for o in sorted((o for o in others if a <= o.start and o.end <= b), key=lambda o: -o.start):
            rest = rest[:o.start - a] + rest[o.end - a:]
        rest = _DEICTIC.sub("", re.sub(r"[“”\"、和及与\s]", "", rest))
        return bool(_HEAD_REST.match(rest))

    regions = _gazetteer_regions()
    for cm in _CUE_RE.finditer(text):
        a, b = cm.span()
        if inside_mention(a):
            continue  # 住房和城乡建设局: a name, not a cue
        if cm.group() == "建设" and (_COMPOUND_AFTER.match(text, b) or text.endswith(_COMPOUND_BEFORE, 0, a)):
            continue  # 工程建设项目: a compound noun
        section = section_of(a)
        if section is None:
            continue
        cue = cm.group()
        kind = KIND_OF_CUE[cue]
        clause_end = _clause_end(text, b)
        # ---- the object after the cue
        obj_start = b + len(_LEAD_IN.match(text, b).group()) if kind == "builds" else b
        obj_end = clause_end
        for vm in _verb_re().finditer(text, obj_start, clause_end):
            if not inside_mention(vm.start()):
                obj_end = vm.start()
                break
        objs = in_span(obj_start, obj_end)
        if cue == "基于" and "的" in text[obj_start:obj_end]:
            objs = []  # 基于5G、人工智能的综合园区: an attribute inside a noun phrase
        for m in objs:
            if kind == "builds":
                ent = doc.entities.get(m.entity)
                if ent is None or ent.type in _NEVER_BUILT or ent.name in regions \
                        or not rest_is_head(m.end, obj_end, objs):
                    continue
            add(kind, section, m, cue, a, obj_end)
        # ---- 加快A平台建设 / A、B等项目建设: the object before a nominal 建设
        if cue in _NOMINAL and _NOMINAL_END.match(text, b):  # (依托A、B建设C: 建设 is C's verb, A and B are not built)
            left = _clause_start(text, a)
            for vm in _verb_re().finditer(text, left, a):
                if not inside_mention(vm.start()):
                    left = vm.end()
            before = in_span(left, a)
            for m in before:
                ent = doc.entities.get(m.entity)
                if ent is None or ent.type in _NEVER_BUILT or ent.type == "Programme" or ent.name in regions:
                    continue  # (聚焦成渝地区双城经济圈建设: a region the gazetteer names exists, no text builds it)
                if rest_is_head(m.end, a, before):
                    add("builds", section, m, cue, m.start, b)
    # ---- every entity a section names
    for m in mentions:
        if m.section:
            add("mentions", m.section, m, "", m.start, m.end)
    doc.relations.extend(out)
    return doc


@lru_cache(maxsize=1)
def _gazetteer_regions() -> frozenset[str]:
    """Every form of the regions ``ontology/places.tsv`` names (长三角, 成渝地区双城经济圈)."""
    return frozenset(places())


def _clause_end(text: str, pos: int) -> int:
    m = _CLAUSE_END.search(text, pos)
    return m.start() if m else len(text)


def _clause_start(text: str, pos: int) -> int:
    i = pos - 1
    while i >= 0 and not _CLAUSE_END.match(text[i]):
        i -= 1
    return i + 1
