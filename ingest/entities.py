"""Step 7, *entities*: the named things a document names, and every place it names them.

Candidates come from six readers, each a general rule of how Chinese policy
texts name things (the word lists are data: ``ontology/units.tsv``,
``ontology/entity_names.tsv``, ``ontology/places.tsv``):

* **bodies** — the units gazetteer: 区科委, 市经信委, 工信部, 上海市普陀区人民政府办公室
  (:func:`policykg.ingest.units.find_bodies`), resolved within the issuer's jurisdiction;
* **name endings** — 平台/系统/中心/园/园区/小镇/副中心/经济带/商圈/大学/研究院/公司 …: the name is
  read leftwards over jieba tokens up to the verb or function word that governs it
  (依托|长风科技园); a name made only of descriptive words (工业互联网平台) counts only
  when the text quotes it or builds exactly one of it;
* **lists** — ``A、B等<category>`` / ``A和B两大<category>``: the items are named things
  of the category's class (…等载体平台 → Platform, …等项目 → Project);
* **quotes** — “一网通办”: a quoted short name is a programme (or what its ending
  says), unless it is a list, a technology, a domain label (“智能+金融”等领域),
  an attribute (“链主”企业, “单项超强”的) or counted (一批“智能体育公园”);
* **places** — the issuer's jurisdiction in all its forms (上海市普陀区/普陀区/普陀),
  provinces and named regions (长三角);
* **others** — the meeting that adopted the document, the attached plan, five-year
  periods (十四五), a leader named with his title, a quoted guiding concept.

Then every name and alias is searched in the whole text once, leftmost-longest
and non-overlapping: each hit is a :class:`Mention` (``doc.text[m.start:m.end]``
is the name) in its innermost section.  A candidate that never stands alone
(上海 inside 上海清华国际创新中心) is dropped; a quoted name that only ever
prefixes a longer name (“乐业普陀”公共就业创业服务平台) becomes its alias.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .model import Document, Entity, Mention
from .names import (
    CN_DIGIT,
    PUNCT,
    SEPARATORS as _SEPARATORS,
    NameRules,
    TextIndex,
    dictionary_places,
    ending_of,
    is_specific,
    place_forms,
    quote_spans,
    rules,
    token_at,
    tokenizer,
    walk_left,
)
from .units import add_entity, find_bodies, resolve_unit


# ------------------------------------------------------------------ candidates

_PRIORITY = {"body": 0, "place": 1, "other": 2, "list": 3, "ending": 4, "quote": 5}


@dataclass
class Candidate:
    """One occurrence of a possible name."""

    name: str
    start: int
    end: int
    type: str
    source: str  # body | place | list | ending | quote | other
    strong: bool = False
    descriptive: bool = False  # only generic words before the ending (a kind of thing, unless used singly)


@dataclass
class _Found:
    cands: list[Candidate] = field(default_factory=list)
    counted: set[str] = field(default_factory=set)  # names seen counted (2—3个工业互联网平台)

    def add(self, c: Candidate) -> None:
        self.cands.append(c)


_COUNT = re.compile(r"(?:\d+(?:\.\d+)?\s*(?:[—\-~～至到]\s*\d+)?|[一二两三四五六七八九十百千]+)\s*"
                    r"(?:个|家|所|项|批|座|条|种|类|只|台|套|处|名)|一批|一系列|多家|多个|若干|各类")
# X达到五个, X数量超过20家: the name is what a target counts
_COUNT_AFTER = re.compile(r"\s*(?:数量|总数)?\s*(?:力争)?(?:达到|达|超过|突破|不少于|不低于|增加到|增至|新增)\s*"
                          r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)\s*(?:个|家|所|项|座|条|种|类|台|套|处)")
# a descriptive name (only generic words) singles out one facility only when it says enough:
# 一体化智能调度指挥平台, not 创新平台
_DESCRIPTIVE_MIN = 4
_BUILD_CUES = ("建设", "打造", "建成", "搭建", "建立", "构建", "共建")
_CUES = frozenset(_BUILD_CUES + ("依托", "依靠", "基于", "围绕", "聚焦", "研究打造", "新建", "组建", "筹建", "创建"))
# generic words that follow a name as a verb, not as the head of a longer noun (平台建设运营)
_NOT_NOUNS = frozenset(("运营", "运行", "管理", "治理", "应用", "共享", "开放", "协同", "转化", "孵化", "加速", "投资",
                        "融资", "集成", "服务", "监管", "执法", "示范", "融合", "创新", "研发", "发展", "升级", "重点"))


def _endings(doc: Document, tx: TextIndex, place_re: re.Pattern, found: _Found) -> None:
    text, r = doc.text, rules()
    quotes = quote_spans(text)
    quote_starts = [a for a, _ in quotes]
    freq = tokenizer().FREQ
    for m in r.ending_re.finditer(text):
        if r.endings[m.group()][0] == "-":
            continue  # 幼儿园, 公园: ends like a park, names none
        if m.end() - m.start() == 1 and freq.get(text[m.start():m.end() + 1], 0) >= _COMMON_WORD:
            continue  # a one-character ending that starts a common word (城市, 城乡, 园林): no clause to cut
        toks = tx.tokens(m.start())
        j = token_at(toks, m.start())
        k = token_at(toks, m.end() - 1)
        if j is None or k is None or toks[k].end != m.end():
            continue  # the ending is not the end of a word (系统性, 中心城区 …)
        nxt = toks[k + 1].word if k + 1 < len(toks) else ""
        if (nxt in r.generic and nxt not in _NOT_NOUNS) or ending_of(nxt) is not None:
            continue  # the name goes on: 园区企业, 普陀园区整体承载力
        if len(nxt) == 1 and "\u4e00" <= nxt <= "\u9fff" and nxt not in r.boundaries and nxt not in _SEPARATORS \
                and len(m.group()) == 1:
            continue  # a one-character ending inside an unknown word: 临湖城|运|中枢 (城运 = city operations)
        start, stop, mods, quoted = walk_left(text, toks, j, m.end(), r)
        head = text[toks[j].start:m.start()]  # 科技 of the token 科技园
        if head:
            mods.append(head)
        start = _extend_counted_list(text, start, m.start())
        name = text[start:m.end()]
        qi = bisect_right(quote_starts, start) - 1
        if qi >= 0 and quotes[qi][0] <= start and m.end() <= quotes[qi][1] and (start, m.end()) != quotes[qi]:
            continue  # part of a quoted name (“15分钟核酸采样服务圈”): the quote reader reads it
        if len(name) <= len(m.group()) or len(name) > 32 or name in r.exclude:
            continue
        if name.startswith("“"):
            inner = name[1:name.find("”")] if "”" in name else ""
            if ending_of(inner) is not None:
                continue  # “海纳小镇”示范区: the quote is the name, 示范区 says what it is
        cstart, cend = tx.clause(start)
        counted = bool(_COUNT.search(text, cstart, start)) or bool(_COUNT_AFTER.match(text, m.end(), cend))
        if counted:
            found.counted.add(name)
            continue
        specific = is_specific(name, mods, quoted, place_re, r)
        cued = stop in _CUES or _cue_just_before(text, cstart, start, r) \
            or (text.startswith(("建设", "搭建"), m.end()) and _builder_before(text, cstart, start, r))
        typ, strength = ending_of(name)[1:]
        least = _DESCRIPTIVE_MIN - 1 if typ == "Area" and strength == "strong" else _DESCRIPTIVE_MIN
        if not (specific or (cued and m.start() - start >= least)):
            continue  # (a designated zone says enough in fewer words: 建设车联网先导区)
        found.add(Candidate(name, start, m.end(), typ, "ending", strong=strength == "strong", descriptive=not specific))


# a word this frequent in jieba's dictionary is what its characters are read as (城市, not 城|市)
_COMMON_WORD = 1000
# a build cue a few words back still governs the name (打造统一的X, 搭建全国X, 建设成为X); a relies/focus
# cue must stand right before it (围绕区内X平台 speaks of the district's platforms, not of one)
_CUE_BEFORE = re.compile("(?:" + "|".join(sorted(_BUILD_CUES, key=len, reverse=True)) + ")(?P<gap>[^，。；、]{0,6})$")


def _cue_just_before(text: str, cstart: int, start: int, r: NameRules) -> bool:
    """Does a build cue govern the name from a few words back?"""
    m = _CUE_BEFORE.search(text, cstart, start)
    if m is None:
        return False
    gap = m.group("gap")
    return not any(v in gap for v in r.verbs if len(v) >= 2 and v != "成为")


# verbs under which a nominal 建设 builds its object (加快X建设, 推进X建设); not 规范X建设, 负责X建设
_BUILDERS = frozenset(("推进", "推动", "加快", "加强", "完善", "深化", "支持", "启动", "实施", "做好", "抓好", "强化", "统筹",
                       "开展", "参与", "聚焦", "全面推进", "加快推进", "深入推进", "持续推进", "继续", "持续", "加速", "积极"))


def _builder_before(text: str, cstart: int, start: int, r: NameRules) -> bool:
    """Is the nearest verb before a name (in its clause) one under which 名+建设 builds it?"""
    toks_text = text[cstart:start]
    last = None
    for v in r.verbs:
        i = toks_text.rfind(v)
        if i >= 0 and len(v) >= 2 and (last is None or i + len(v) > last[0] + len(last[1])
                                       or (i + len(v) == last[0] + len(last[1]) and len(v) > len(last[1]))):
            last = (i, v)
    return last is None or last[1] in _BUILDERS


def _extend_counted_list(text: str, start: int, limit: int) -> int:
    """医疗、医药、医保三医联动平台: a name that counts the list before it takes the list in.

    >>> t = "建立医疗、医药、医保三医联动平台"
    >>> t[_extend_counted_list(t, t.index("医保"), t.index("平台")):]
    '医疗、医药、医保三医联动平台'
    """
    for q in range(start + 1, min(limit, start + 6)):
        n = CN_DIGIT.get(text[q])
        if not n or n < 2:
            continue
        pieces = text[max(0, start - 6 * n):start].split("、")
        if len(pieces) < n or pieces[-1] != "":
            return start
        items = pieces[-n:-1]
        size = q - start  # the list's items are as long as the one inside the name (医保): 建立医疗 → 医疗
        items[0] = items[0][-size:]
        if all(len(x) == size and re.fullmatch(r"[\u4e00-\u9fff]+", x) for x in items):
            return start - (size + 1) * len(items)
        return start
    return start


_LIST_QUANTIFIERS = frozenset(("多家", "多个", "一批", "各类", "相关", "主要", "现有", "各"))
_DEICTIC = ("国家", "本市", "本区", "本省", "本县", "全市", "全区", "全省", "我市", "我区", "我省", "全国")


def _lists(doc: Document, tx: TextIndex, place_re: re.Pattern, found: _Found) -> None:
    """A、B等<category> / A和B两大<category>: each item is a named thing of the category."""
    text, r = doc.text, rules()
    for m in re.finditer(r"等|[两二三四五六七八九十]大|[两二三四五六七八九十\d]+\s*项", text):
        toks = tx.tokens(m.start())
        i = token_at(toks, m.start())
        if i is None or toks[i].start != m.start():
            continue
        k = i + 1
        while k < len(toks) and toks[k].start < m.end():
            k += 1
        follow = ""
        cat = None
        for t in toks[k:k + 4]:
            if t.word in PUNCT or (t.word in r.boundaries and t.word not in _LIST_QUANTIFIERS):
                break
            follow += t.word
            cat = next((follow[-n:] for n in range(min(len(follow), 6), 1, -1) if follow[-n:] in r.categories), cat)
        if cat is None:
            continue
        ctype = r.categories[cat]
        # items leftwards from the list end, separated by 、 和 及 以及
        items: list[tuple[int, int, list[str], bool]] = []
        end_tok = i
        while True:
            e = toks[end_tok].start
            s, stop, mods, quoted = walk_left(text, toks, end_tok, e, r)
            if stop == "等":
                break  # A等龙头企业和B、C等高校: 龙头企业 closes another list, it is no item of this one
            if s < e:
                items.append((s, e, mods, quoted))
            si = token_at(toks, s - 1) if s > 0 else None
            if stop in _DEICTIC and si is not None and si > 0:  # 国家“A”、本市“B”两项试点
                si = si - 1
                stop = toks[si].word
            if stop not in ("、", "和", "及", "以及") or si is None or si >= end_tok:
                break
            end_tok = si
        for s, e, mods, quoted in items:
            for d in _DEICTIC:
                if text.startswith(d + "“", s) and e - s > len(d) + 1:
                    s += len(d)
                    break
            name = text[s:e]
            if name.startswith("“") and name.endswith("”"):
                name, s, e = name[1:-1], s + 1, e - 1
            if not (2 <= len(name) <= 32) or name in r.exclude or _COUNT.search(name):
                continue
            own = ending_of(name, quoted=quoted)
            if not quoted and own and own[0] == name:
                continue  # 商圈 in 医院、商圈等区域: a kind, not a name
            if place_re.fullmatch(name) or name in dictionary_places():
                found.add(Candidate(name, s, e, "Place", "list", strong=True))  # 包河区、经开区等重点区域
                continue
            if not quoted and not is_specific(name, mods, False, place_re, r) and own is None:
                continue
            if own and own[2] == "strong":
                found.add(Candidate(name, s, e, own[1], "list", strong=True))
            else:
                found.add(Candidate(name, s, e, ctype, "list", strong=True))


_CONCEPT_AFTER = re.compile(r"^”?(?:的)?(?:重要)?(?:理念|思想|精神|论述|方针|指示|要求)")
_LABEL_AFTER = re.compile(r"^[”\s]*等?\s*(?:领域|行业|产业|技术)")
_ATTRIBUTE_AFTER = re.compile(r"^(?:的|(?!等)[\u4e00-\u9fff]{0,6}?(?:企业|领域|技术|行业|方式|模式|形式|路径|思路|解决方案|产品))")
_COUNT_BEFORE = re.compile(r"(?:一批|一系列|多个|若干|各类|[一二两三四五六七八九十\d]+\s*[个项大批家类种])\s*$")


def _quotes(doc: Document, found: _Found) -> None:
    text, r = doc.text, rules()
    spans = quote_spans(text)
    run_start = {}
    for idx, (a, b) in enumerate(spans):  # the first quote of each run “a”“b”、“c”
        prev = spans[idx - 1] if idx else None
        run_start[idx] = run_start[idx - 1] if prev and re.fullmatch(r"[”、\s“]*", text[prev[1]:a]) else idx
    run_end = {}
    for idx in range(len(spans) - 1, -1, -1):
        nxt = idx + 1 < len(spans) and run_start[idx + 1] == run_start[idx]
        run_end[idx] = run_end[idx + 1] if nxt else idx
    for idx, (a, b) in enumerate(spans):
        c = text[a:b]
        after = text[b + 1:b + 16]
        if _CONCEPT_AFTER.match(text[b:b + 8]):  # a guiding concept: 践行“…”的重要理念
            if 2 <= len(c) <= 24:
                found.add(Candidate(c, a, b, "Other", "quote"))
            continue
        if re.search(r"[，。；,;：:！？]", c):
            continue
        if not (2 <= len(c) <= 20) or "、" in c or "“" in c or not re.search(r"[\u4e00-\u9fff]", c):
            continue
        if c[0] == "+" or c[-1] == "+" or c[-1] == "式" or c in r.exclude \
                or re.match(r"^[一二两三四五六七八九十\d]+[大个项家]", c):
            continue
        first = spans[run_start[idx]][0] - 1
        last = spans[run_end[idx]][1] + 1
        if _COUNT_BEFORE.search(text[max(0, first - 8):first]) or _LABEL_AFTER.match(text[last:last + 8]):
            continue
        if _ATTRIBUTE_AFTER.match(after) and not _PROGRAMME_END.search(c):
            continue
        e = ending_of(c, quoted=True)
        found.add(Candidate(c, a, b, e[1] if e else "Programme", "quote", strong=bool(e and e[2] != "weak")))


_PROGRAMME_END = re.compile(r"(?:工程|行动|计划|战略|试点|项目)$")
# 实施X行动 / 实施X计划 / 实施X工程 and 开展X试点: the object names a programme (not 开展X专项行动, a campaign,
# nor 实施计划, an implementation plan, nor 实施X战略, a national strategy the text serves)
_GOVERNED_PROGRAMME = re.compile(r"(?:实施|启动实施|组织实施|深入实施|全面实施)(?P<a>[\u4e00-\u9fff“”]{3,24}?(?:行动|计划|工程))"
                                 r"|开展(?P<b>[\u4e00-\u9fff“”]{3,24}?试点)(?![\u4e00-\u9fff])")


def _governed_programmes(doc: Document, tx: TextIndex, found: _Found) -> None:
    """实施中小企业经营管理领军人才培训计划, 开展中小企业数字化转型城市试点: named programmes."""
    text, r = doc.text, rules()
    for m in _GOVERNED_PROGRAMME.finditer(text):
        g = "a" if m.group("a") else "b"
        a, b = m.span(g)
        name = text[a:b]
        toks = tx.tokens(a)
        inside = [t.word for t in toks if a <= t.start and t.end <= b]
        if not inside or "".join(inside) != name or len(inside) < 3:
            continue  # the name must fall on word boundaries and say more than its kind (专项行动)
        if inside[0] in r.boundaries or any((w in r.boundaries and w not in r.verbs) or _COUNT.fullmatch(w)
                                            or re.fullmatch(r"[一二两三四五六七八九十\d]+[大项个]?", w) for w in inside):
            continue  # a function word, a count or a leading verb: a phrase, not a name (实施更加积极的…计划)
        if b < len(text) and text[b] in "”":
            continue
        found.add(Candidate(name, a, b, "Programme", "ending", strong=True))


_PERIOD = re.compile(r"十[一二三四五六七八九]五")
_GEO_FEATURE = re.compile(r"(?:江|河|湖|溪|运河|山)(?=沿线|沿岸|两岸|流域)")
_MEETING = re.compile(r"第[\d一二三四五六七八九十百]+次[\u4e00-\u9fff]{0,8}?会议")
# a leader named with his title (<name>总书记) or with his guiding thought (<name>新时代中国特色社会主义思想)
_LEADER = re.compile(r"总书记|新时代中国特色社会主义思想")


def _others(doc: Document, bodies: list, found: _Found, tx: TextIndex) -> None:
    text, m = doc.text, doc.meta
    for p in _PERIOD.finditer(text):
        found.add(Candidate(p.group(), p.start(), p.end(), "Other", "other"))
    ends = {b.end: b for b in bodies}
    meetings = []
    for mm in _MEETING.finditer(text):
        b = ends.get(mm.start())
        if b is not None:
            meetings.append(text[b.start:mm.end()])
            found.add(Candidate(meetings[-1], b.start, mm.end(), "Event", "other"))
    for g in _GEO_FEATURE.finditer(text):  # 富春江沿线, 大运河两岸: a river, lake or mountain named as a place
        toks = tx.tokens(g.start())
        k = token_at(toks, g.start())
        if k is not None and toks[k].end == g.end() and len(toks[k].word) >= 3 \
                and toks[k].word not in rules().generic and toks[k].word not in rules().boundaries:
            found.add(Candidate(toks[k].word, toks[k].start, toks[k].end, "Place", "other"))
    if m.adopted_meeting and not any(m.adopted_meeting.endswith(x) for x in meetings):
        i = text.find(m.adopted_meeting)
        found.add(Candidate(m.adopted_meeting, i, i + len(m.adopted_meeting), "Event", "other"))
    if m.plan_title:
        i = text.find(m.plan_title)
        found.add(Candidate(m.plan_title, i, i + len(m.plan_title), "Document", "other"))
    for mm in _LEADER.finditer(text):  # a leader named with his title or thought
        toks = tx.tokens(mm.start())
        i = token_at(toks, mm.start() - 1)
        if i is not None and toks[i].end == mm.start() and 2 <= len(toks[i].word) <= 3 \
                and re.fullmatch(r"[\u4e00-\u9fff]+", toks[i].word) and toks[i].word not in rules().boundaries:
            found.add(Candidate(toks[i].word, toks[i].start, toks[i].end, "Other", "other"))


# ------------------------------------------------------------------ the step


def find_entities(doc: Document) -> Document:
    """Find the document's entities and every mention of them."""
    text = doc.text
    if not text:
        return doc
    j = doc.meta.jurisdiction
    tx = TextIndex(text)
    places_here = place_forms(j, text)
    found = _Found()

    bodies = find_bodies(text, j)
    for b in bodies:
        found.add(Candidate(b.name, b.start, b.end, "GovernmentBody", "body"))
    place_re = re.compile("|".join(map(re.escape, sorted((f for f in places_here if len(f) >= 2), key=len,
                                                          reverse=True))))
    _endings(doc, tx, place_re, found)
    _lists(doc, tx, place_re, found)
    _quotes(doc, found)
    _others(doc, bodies, found, tx)
    _governed_programmes(doc, tx, found)
    titles = _cited_titles(text)
    if titles:  # 《国务院关于…的决定》: names inside a cited title are that document's words, not this one's
        found.cands = [c for c in found.cands if c.type == "Document" or not _in_spans(titles, c.start)]

    names = _choose(doc, found, places_here)
    _scan_and_keep(doc, names, titles)
    return doc


_TITLE_SPAN = re.compile(r"《[^《》\n]{1,120}》")


def _cited_titles(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _TITLE_SPAN.finditer(text)]


def _in_spans(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _choose(doc: Document, found: _Found, places_here: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Decide the entities; return name → entity key for every name to search."""
    r = rules()
    j = doc.meta.jurisdiction
    names: dict[str, str] = {}  # name → key
    # the entities earlier steps resolved (responsible units) and the issuer come first
    for issuer in _issuers(doc):
        add_entity(doc, resolve_unit(issuer, j))
    for ent in doc.entities.values():
        for n in (ent.name, *ent.aliases, ent.canonical_name):
            if n:
                names.setdefault(n, ent.key)
    by_name: dict[str, list[Candidate]] = {}
    for c in found.cands:
        by_name.setdefault(c.name, []).append(c)
    chosen: dict[str, Candidate] = {}
    for name, cs in by_name.items():
        if name in names or name in r.exclude:
            continue
        cs.sort(key=lambda c: (_PRIORITY[c.source], not c.strong, c.start))
        best = cs[0]
        if all(c.descriptive for c in cs) and any(n.endswith(name) for n in found.counted):
            continue  # a kind of thing the text counts (打造3—5个区级机器人平台)
        if best.source == "body":
            ent = add_entity(doc, resolve_unit(name, j))
            names[name] = ent.key
            if ent.canonical_name:
                names.setdefault(ent.canonical_name, ent.key)
            continue
        typ = best.type
        strong = [c for c in cs if c.strong and c.source in ("list", "ending", "quote")]
        if strong:
            typ = strong[0].type
        chosen[name] = Candidate(name, best.start, best.end, typ, best.source,
                                 descriptive=all(c.descriptive for c in cs))
    # “上海”+X and X are one thing: the longer form is the name, the shorter an alias
    alias_of: dict[str, str] = {}
    forms = sorted((f for f in places_here if len(f) >= 2), key=len, reverse=True)
    for name in chosen:
        for f in forms:
            if name.startswith(f) and name[len(f):] in chosen and len(name) - len(f) >= 3:
                alias_of[name[len(f):]] = name
                break
    for name, c in chosen.items():
        if name in alias_of:
            continue
        if c.descriptive and j:  # 智能交通示范区: the issuing jurisdiction's own, not every district's
            key = f"{j}/{name}"
            ent = Entity(key=key, name=name, type=c.type, jurisdiction=j)
        else:
            key = name
            ent = Entity(key=key, name=name, type=c.type)
        add_entity(doc, ent)
        names[name] = key
    for short, long in alias_of.items():
        target = names.get(long)
        if target and short not in names:
            doc.entities[target].aliases.append(short)
            names[short] = target
    # places: every form, kept only where it stands alone (decided after the scan)
    for form, (canonical, typ) in places_here.items():
        if form in names or form in r.exclude:
            continue
        key = "place:" + canonical
        have = doc.entities.get(key)
        if have is None:
            doc.entities[key] = Entity(key=key, name=form, type=typ, canonical_name=canonical)
        names[form] = key
    return names


def _issuers(doc: Document) -> list[str]:
    return doc.meta.issuers or ([doc.meta.issuer] if doc.meta.issuer else [])


def _scan(text: str, names: dict[str, str]) -> list[tuple[int, int, str]]:
    """Leftmost-longest, non-overlapping occurrences of every name: (start, end, key)."""
    index: dict[str, list[tuple[str, str]]] = {}
    for n, key in names.items():
        if n:
            index.setdefault(n[0], []).append((n, key))
    for lst in index.values():
        lst.sort(key=lambda nk: -len(nk[0]))
    out = []
    i, n = 0, len(text)
    while i < n:
        lst = index.get(text[i])
        if lst:
            for name, key in lst:
                if text.startswith(name, i):
                    out.append((i, i + len(name), key))
                    i += len(name)
                    break
            else:
                i += 1
        else:
            i += 1
    return out


def _scan_and_keep(doc: Document, names: dict[str, str], titles: list[tuple[int, int]] = ()) -> None:
    text = doc.text
    hits = _scan(text, names)
    count: dict[str, int] = {}
    for s, e, key in hits:
        ent = doc.entities.get(key)
        if ent is not None and ent.type != "Document" and titles and _in_spans(titles, s):
            continue  # named only inside a cited title (《国务院关于…》): no entity of this document
        if key.startswith("place:") and not _stands_alone(text, s, e):
            continue  # 新疆 of 新疆生产建设兵团, 中国 of 中国特色: part of a longer word
        count[key] = count.get(key, 0) + 1
    keep_always = set()
    keep_always.update(resolve_unit(i, doc.meta.jurisdiction).key for i in _issuers(doc))
    keep_always.update(mn.entity for mn in doc.mentions)
    quoted_prefix = {e.name[1:e.name.index("”")]: e for e in doc.entities.values()
                     if e.name.startswith("“") and "”" in e.name and count.get(e.key)}
    dropped: set[str] = set()
    for key, ent in list(doc.entities.items()):
        if count.get(key) or key in keep_always:
            continue
        # a quoted name that only ever prefixes a longer name is that name's alias
        host = quoted_prefix.get(ent.name)
        if host is not None:
            host.aliases.append(ent.name)
        dropped.add(key)
        del doc.entities[key]
    # places: the name is the fullest form that stands alone; the canonical name is the jurisdiction's
    seen_forms: dict[str, list[str]] = {}
    for s, e, key in hits:
        if key.startswith("place:") and key in doc.entities:
            seen_forms.setdefault(key, []).append(text[s:e])
    for key, forms in seen_forms.items():
        ent = doc.entities.pop(key)
        uniq = sorted(set(forms), key=len, reverse=True)
        ent.key = ent.canonical_name or uniq[0]
        ent.name = uniq[0]
        ent.aliases = [f for f in uniq[1:]]
        doc.entities[ent.key] = ent
        for i, (s, e, k) in enumerate(hits):
            if k == key:
                hits[i] = (s, e, ent.key)
    section_of = section_finder(doc)
    old = sorted(doc.mentions, key=lambda m: m.start)
    mentions = [Mention(start=s, end=e, entity=k, section=section_of(s)) for s, e, k in hits if k not in dropped]
    starts = [m.start for m in mentions]
    for om in old:  # a mention an earlier step recorded that the scan did not cover
        i = bisect_right(starts, om.start) - 1
        overlaps = (0 <= i < len(mentions) and mentions[i].end > om.start) or \
            (i + 1 < len(mentions) and mentions[i + 1].start < om.end)
        if not overlaps and om.entity in doc.entities:
            mentions.append(om)
    mentions.sort(key=lambda m: (m.start, m.end))
    doc.mentions = mentions


def _stands_alone(text: str, s: int, e: int) -> bool:
    """Is a place name at ``text[s:e]`` a word of its own, not the start of a longer word of
    jieba's dictionary (新疆生产建设兵团) nor an attribute (中国特色, 地方特色)?

    >>> _stands_alone("组织新疆生产建设兵团参与", 2, 4), _stands_alone("在新疆开展", 1, 3)
    (False, True)
    """
    if text.startswith("特色", e):
        return False
    freq = tokenizer().FREQ
    return not any(freq.get(text[s:e + k]) for k in range(1, 9) if e + k <= len(text))


def section_finder(doc: Document):
    """A function offset → path of the innermost section there (fast for many offsets)."""
    secs = sorted(doc.sections, key=lambda s: (s.start, -s.end))
    starts = [s.start for s in secs]

    def at(offset: int) -> str | None:
        # sections nest: the last-starting section that still contains the offset is the innermost
        i = bisect_right(starts, offset) - 1
        while i >= 0:
            if secs[i].end > offset:
                return secs[i].path
            i -= 1
        return None

    return at
