"""Step 6, *targets*: quantitative targets and indicators.

Every number with a unit in the body of the document is a candidate
(``800 亿元``, ``2—3家``, ``八百亿元``, ``90%``, ``百分之八十``); the rules below
drop what is not a target and read the rest:

* **not targets** — ordinals (``第4次``), numbers glued to letters or ``+``
  (5G, IPv6, 1+10+N), anything inside quotation marks or a book title
  (``“15分钟核酸采样服务圈”``), counts of a named list (``等3家``, ``两项试点``,
  ``三个方面``, ``四大领域``), responsibility notes, and historical statistics
  (a clause dated before the issue year, ``截至…``, ``已建成…``, ``现有…``);
* **the span** is the smallest clause: the text between ``，；。：`` (outside
  quotation marks), cut again at ``、`` (or 和/及) between two targets of one
  list (``引进培养 10 名…、50 名…``);
* **comparator** from the words around the number: 超过/超 ``>``; 达到/达/不少于/
  不低于/以上 ``>=``; 不超过/以下/以内/控制在 ``<=``; 低于 ``<``; 左右/约 ``approx``;
  ``2—3``/``2-3``/``2～3``/``2至3`` ``range``; a bare count ``=``;
* **deadline** from a time phrase of the clause's own sentence (到2023年底,
  2023年6月底前, 2025年, “十四五”期间, 三年内 …); failing that it is
  inherited (``deadline_inherited``) from an earlier sentence of the same
  sub-topic, from the lead text of an enclosing section, or from the
  responsibility note of the section;
* **metric** (the counted noun phrase, in the text's words), **verb**,
  **scope** (全区/全市/全省 … when the clause says it) and **condition**
  (``年销售收入超百亿元`` qualifying what is counted).

Units stay as written (``亿元``, ``万户``); ``normalized_value`` /
``normalized_unit`` give the value in the base unit (800 亿元 → 80000000000 元).

>>> from policykg.ingest import parse_text
>>> doc = parse_text("一、目标\\n到2025年，全市培育超过 800 家企业，建成 2—3 个平台。")
>>> [(doc.text[t.start:t.end], t.comparator, t.value or (t.value_min, t.value_max), t.unit, t.deadline)
...  for t in doc.targets]    # doctest: +NORMALIZE_WHITESPACE
[('全市培育超过 800 家企业', '>', Decimal('800'), '家', '2025-12-31'),
 ('建成 2—3 个平台', 'range', (Decimal('2'), Decimal('3')), '个', '2025-12-31')]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .docmeta import title_period
from .indicators import IndicatorRow, indicator_rows
from .model import Document, Section, Target
from .numerals import TimePhrase, time_phrases, to_decimal

# ---------------------------------------------------------------- numbers and units

_NUM_AR = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN_CHARS = "零〇○一二两三四五六七八九十百千万亿"
_NUM_CN = rf"[{_CN_CHARS}]+(?:点[零〇○一二三四五六七八九]+)?"
_NUM = rf"(?:{_NUM_AR}|{_NUM_CN})"
# Magnitude prefixes kept in the unit as written (亿元, 万户); longest first.
_MAGNITUDES = {"万亿": Decimal(10) ** 12, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6,
               "十万": Decimal(10) ** 5, "万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}
_MAG = "万亿|千万|百万|十万|万|亿"
# Counting and measuring units, longest first where one is a prefix of another.
_BASE_UNITS = (
    "个百分点", "百分点", "个工作日", "工作日", "平方公里", "平方米", "立方米", "千瓦时", "千瓦", "兆瓦", "公里",
    "千米", "公顷", "人次", "户次", "家次", "美元", "元", "户", "人", "家", "个", "所", "名", "项", "座", "条", "台",
    "套", "件", "张", "辆", "处", "栋", "间", "床", "支", "批", "次", "场", "亩", "吨", "倍", "天", "小时", "分钟",
    "毫秒", "秒", "微克/立方米", "毫克/立方米", "篇", "类", "株", "棵", "米",
    "架次", "架", "艘", "幢", "盏", "期", "位", "款", "份", "头",
    # computing power, bandwidth, storage, capacity (算力达到5EFLOPS, 千兆 1000Mbps, 装机50MW)
    "EFLOPS", "PFLOPS", "EFlops", "PFlops", "Gbps", "Mbps", "TB", "PB", "EB", "GW", "MW", "kW",
)
_BASE = "|".join(_BASE_UNITS)
_UNIT_FIRST = "".join(sorted({u[0] for u in _BASE_UNITS} | set("%‰万亿千百十")))
# (the lookaheads on first characters let the regex engine skip most positions quickly)
# 九成 / 八成以上: tenths (not 一成不变, 成为, 成效 …)
_TENTHS = r"成(?![为果效立本熟员功绩长就交型都片套批品])"
_UNIT = (rf"(?=[{_UNIT_FIRST}成])(?:(?:{_MAG})?(?:{_BASE})|%|‰|{_TENTHS}"
         rf"|(?:{_MAG})(?=以上|以下|左右|以内|[,;。、\s]|$))")
_RANGE_SEP = r"[—–~〜]{1,2}|-|至"
_SUFFIX = r"以上|以下|以内|之内|左右"
# the unit of a range's first number: a full unit, or a bare magnitude that the second repeats (3万—5万架)
_UNIT_BEFORE_SEP = rf"(?=[{_UNIT_FIRST}])(?:(?:{_MAG})?(?:{_BASE})|%|‰|(?:{_MAG})(?=\s*(?:{_RANGE_SEP})))"

_CANDIDATE = re.compile(
    rf"(?=[\d{_CN_CHARS}])(?P<n1>{_NUM})\s*(?:(?P<u1>{_UNIT_BEFORE_SEP})?\s*(?P<sep>{_RANGE_SEP})\s*(?P<n2>{_NUM}))?"
    rf"(?P<more>余|多)?\s*(?P<unit>{_UNIT})(?P<suffix>\s*(?:{_SUFFIX}))?"
)
# 百分之八十 / 百分之八十五以上
_PERCENT_WORDS = re.compile(rf"百分之(?P<n1>{_NUM})(?P<suffix>\s*(?:{_SUFFIX}))?")

# Counters that, after a small Chinese numeral with no comparator, count the
# items of a named list (三个方面, 两项试点, 一批) rather than set a target.
_LIST_COUNTERS = {"个", "项", "类", "批", "次", "条", "张", "场", "件", "支", "处", "倍", "期", "位", "款", "份", "头"}
# A Chinese numeral right after one of these is part of a word or an estimate
# (统一, 第一, 数十, 上百, 前三名, 成千上万).
_CN_BLOCKED_BEFORE = set("第数几若每前这那其各上成统之唯单同逐万划专")
_AR_BLOCKED_BEFORE = set("0123456789.+/_-第前") | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

_CIRCLE_AFTER = re.compile(r"[\u4e00-\u9fff“”]{0,8}?圈")
# 表1 / 图2 / 专栏3 / 附件1 opening a line: the number of a caption
_CAPTION = re.compile(r"(?:^|\n)[ \t]*(?:表|图|专栏|附表|附件|附图)\s*$")

# ---------------------------------------------------------------- comparators

# Words right before the number, longest first.  (>= "达到 80%"; < "低于 5%")
_PREFIX_COMPARATORS = [
    ("不少于", ">="), ("不低于", ">="), ("不超过", "<="), ("不高于", "<="), ("不多于", "<="), ("不大于", "<="),
    ("力争达到", ">="), ("提高到", ">="), ("提高至", ">="), ("提升到", ">="), ("提升至", ">="),
    ("增加到", ">="), ("增加至", ">="), ("增长到", ">="), ("增长至", ">="), ("扩大到", ">="), ("扩大至", ">="),
    ("降低到", "<="), ("降低至", "<="), ("下降到", "<="), ("下降至", "<="), ("压缩到", "<="), ("压缩至", "<="),
    ("缩短到", "<="), ("缩短至", "<="), ("减少到", "<="), ("减少至", "<="), ("控制在", "<="),
    ("压减到", "<="), ("压减至", "<="), ("压降到", "<="), ("压降至", "<="), ("缩减到", "<="), ("缩减至", "<="),
    ("精简到", "<="), ("精简至", "<="), ("减至", "<="),
    # a level to hold (稳定在95%以上 is >= through its 以上)
    ("保持在", "="), ("稳定在", "="), ("维持在", "="), ("保持", "="), ("稳定", "="),
    ("超过", ">"), ("超出", ">"), ("高于", ">"), ("多于", ">"), ("大于", ">"), ("突破", ">"),
    ("低于", "<"), ("少于", "<"), ("小于", "<"),
    ("达到", ">="), ("至少", ">="), ("增至", ">="), ("降至", "<="), ("大约", "approx"),
    ("超", ">"), ("逾", ">"), ("达", ">="), ("约", "approx"), ("近", "approx"),
]
_PREFIX_RE = re.compile("(?:" + "|".join(re.escape(w) for w, _ in _PREFIX_COMPARATORS) + r")\s*$")
_PREFIX_MAP = dict(_PREFIX_COMPARATORS)

# ---------------------------------------------------------------- verbs, scope, history

_VERB_WORDS = (
    "引进", "引入", "培育", "培养", "培训", "打造", "建设", "建成", "建立", "新建", "新增", "创建", "构建", "搭建",
    "形成", "完成", "落地", "落实", "实现", "带动", "吸引", "集聚", "聚集", "招引", "孵化", "扶持", "推动",
    "推进", "推广", "发布", "起草", "制定", "出台", "认定", "评选", "遴选", "选树", "命名", "开展", "举办",
    "设立", "布局", "改造", "提升", "覆盖", "帮扶", "牵头", "开发", "研发", "争创", "创成", "获批", "储备",
    "招聘", "吸纳", "安置", "提供", "实施", "投用", "投运", "上线", "开通", "部署", "安装", "改建", "扩建",
    "申报", "获评", "评定", "引育", "育成", "组建", "成立", "开工", "竣工", "签约", "新开",
)
_VERB = "(?:" + "|".join(sorted(_VERB_WORDS, key=len, reverse=True)) + ")"
_VERB_PREFIX = "(?:再|新|分批|累计|共|重点|新增)"
_VERB_CHAIN = rf"{_VERB_PREFIX}?{_VERB}(?:[、和与及]?{_VERB})*"
_VERB_AT_END = re.compile(rf"{_VERB_CHAIN}\s*$")
_VERB_ANY = re.compile(_VERB_CHAIN)
_VERB_AT_START = re.compile(rf"\s*({_VERB_CHAIN})")
_AT_LEAST_VERB = re.compile(rf"(?:至少|最少|不少于)\s*{_VERB_CHAIN}\s*$")
# A cue that governs the target when no action verb does (聚焦 1—2 个主要产业).
_WEAK_VERB_AT_END = re.compile(r"(聚焦|围绕|依托|针对|瞄准)\s*$")
# Trailing nominalised verbs of a metric in ``完成相关场景落地 20 个``.
_METRIC_TAIL_VERB = re.compile(r"(?<=[\u4e00-\u9fff”])(?:落地|建设)\s*$")
_LEAD_ADVERBS = re.compile(r"^(?:\s|力争|争取|计划|预计|确保|努力|要|将|并|同时|其中|每年|,)+")
_SCOPE = re.compile(r"全(?:区|市|省|县|国|镇|乡|州|盟|旗|街道)(?![域场面内程部体年天])")
# Present or past statistics, not goals: 已建成, 现有, 近年来 (截至2022年底 is read as a time phrase).
_HISTORY_IN_CLAUSE = re.compile(r"已经|已|现有|目前|去年|上年|近年来|过去")
# Incentives and their conditions are not targets: 给予最高50万元奖励, 对…突破1亿元的企业, 按投资额的10%补贴.
_FUNDING_CLAUSE = re.compile(r"给予|奖励|补贴|补助|资助|贴息|奖补|最高|一次性")
# …and the condition that opens such a clause: 对年营业收入突破10亿元的企业, 按投资额的10%, 凡…
_FUNDING_START = re.compile(r"\s*(?:对(?!接|标|外|口|话|比)|按照(?!要求)|按(?!期|时|需|照)|凡)")
# Eligibility conditions are thresholds, not goals: 认定条件 / 申报条件 sections, and the items a
# 应当具备下列条件 lead opens, and sentences that say what a candidate 应当符合.
_CRITERIA_TITLE = re.compile(r"条件|(?:认定|评定|申报|申请|入选|准入|遴选)标准")
_CRITERIA_LEAD = re.compile(r"(?:具备|符合|满足|达到)\s*(?:下列|以下|如下)\s*(?:条件|要求|标准)|(?:条件|标准)\s*(?:如下|为)\s*[:：]")
# a figure for every year (quarter, month), not for one deadline
_RECURRING = re.compile(r"每年|每一年|年度|每季度|每月|每半年")
_CRITERIA_SENTENCE = re.compile(r"(?:应当|应|须|需|必须)\s*(?:具备|符合|满足)")
# Sections that describe the past or the present state, not goals.
_BACKGROUND_TITLE = re.compile(
    r"(?:发展|工作|现实|产业|良好)基础(?!设施)|基础条件|现状|背景|形势|回顾|基本情况|总结|存在(?:的)?问题")


@dataclass
class _Cand:
    start: int  # first character of the value text (comparator word included)
    num_start: int
    end: int  # after the unit and its suffix
    comparator: str
    value: Decimal | None
    vmin: Decimal | None
    vmax: Decimal | None
    unit: str
    chinese: bool
    bare_magnitude: bool  # 亿元 / 百亿元 with no digit: only ever a condition (超亿元)
    condition_of: "_Cand | None" = None


# ---------------------------------------------------------------- the step


def find_targets(doc: Document) -> Document:
    """Fill ``doc.targets`` from the body of the document."""
    text = doc.text
    if not text:
        return doc
    ctx = _Context(doc)
    clauses: dict[tuple[int, int], list[_Cand]] = {}
    for c in _candidates(ctx):
        key = ctx.clause_at(c.num_start)
        clauses.setdefault(key, []).append(c)
    targets: list[Target] = [t for r in ctx.indicator_rows if (t := _indicator_target(ctx, r)) is not None]
    for (cs, ce), cands in clauses.items():
        targets.extend(_read_clause(ctx, cs, ce, cands))
    targets.sort(key=lambda t: (t.start, t.end))
    doc.targets = targets
    return doc


class _Context:
    """Offsets computed once per document (quotes, clauses, sentences); time
    phrases are read lazily, one sentence at a time, only where a target needs them."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        text = doc.text
        self.text = text
        self.body_start = doc.meta.title_span.end if doc.meta.title_span else 0
        quotes = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
        self.q_starts = [a for a, _ in quotes]
        self.q_ends = [b for _, b in quotes]
        # responsibility notes hold no targets; a task-table row does, in its task cell;
        # an indicator table's rows are read by column (see indicators.py)
        self.indicator_rows = indicator_rows(text, self.body_start)
        skip = sorted([(r.start, r.end) for r in doc.responsibilities if r.form != "table"]
                      + [(r.line_start, r.line_end) for r in self.indicator_rows])
        self.skip_starts = [a for a, _ in skip]
        self.skip_ends = [b for _, b in skip]
        self._sentence_delims: dict[int, list[int]] = {}
        self.sent_ends = [m.start() for m in _SENTENCE_DELIM.finditer(text)]
        issued = doc.meta.issued
        self.issued = date.fromisoformat(issued) if issued else None
        self._sentence_phrases: dict[int, list[TimePhrase]] = {}
        if self.issued:
            self.ref_year: int | None = self.issued.year
        else:  # no issue date: the earliest year the plan looks ahead to
            self.ref_year = min((p.year for p in time_phrases(text) if p.forward and p.year), default=None)
        self.sections = sorted(doc.sections, key=lambda s: s.start)
        self.section_starts = [s.start for s in self.sections]
        self.section_starting: dict[int, Section] = {}
        for sec in self.sections:
            self.section_starting.setdefault(sec.start, sec)
        self.by_path = {s.path: s for s in doc.sections}
        self.first_child: dict[str, Section] = {}
        for s in self.sections:
            if s.parent and s.parent not in self.first_child:
                self.first_child[s.parent] = s
        self.note_deadline: dict[str, tuple[str, str | None]] = {}
        for r in doc.responsibilities:
            if r.section and r.deadline:
                self.note_deadline.setdefault(r.section, (r.deadline, r.deadline_text))
        # 一是…二是… / ①② items: a time phrase of one item does not date the targets of another
        self.items = sorted((i.start, i.end) for i in doc.items)
        self.item_starts = [a for a, _ in self.items]
        self.title_year = _title_year(doc)

    # -- offsets

    def in_quote(self, pos: int) -> bool:
        i = bisect_right(self.q_starts, pos) - 1
        return i >= 0 and self.q_starts[i] < pos < self.q_ends[i]

    def in_skip(self, pos: int) -> bool:
        i = bisect_right(self.skip_starts, pos) - 1
        return i >= 0 and pos < self.skip_ends[i]

    def clause_at(self, pos: int) -> tuple[int, int]:
        """The clause around ``pos``: between the breaks of its sentence (those outside quotes)."""
        j = bisect_left(self.sent_ends, pos)
        a = self.sent_ends[j - 1] + 1 if j > 0 else 0
        b = self.sent_ends[j] if j < len(self.sent_ends) else len(self.text)
        delims = self._sentence_delims.get(j)
        if delims is None:
            # a quoted span is consumed whole, so the breaks inside it never show up
            delims = [m.start() for m in _CLAUSE_DELIM.finditer(self.text, a, b) if m.lastgroup == "d"]
            self._sentence_delims[j] = delims
        i = bisect_left(delims, pos)
        return (delims[i - 1] + 1 if i > 0 else a), (delims[i] if i < len(delims) else b)

    def sentence_at(self, pos: int) -> tuple[int, int]:
        i = bisect_left(self.sent_ends, pos)
        start = self.sent_ends[i - 1] + 1 if i > 0 else 0
        end = self.sent_ends[i] if i < len(self.sent_ends) else len(self.text)
        return start, end

    def _phrases_of_sentence(self, j: int) -> list[TimePhrase]:
        found = self._sentence_phrases.get(j)
        if found is None:
            a = self.sent_ends[j - 1] + 1 if j > 0 else 0
            b = self.sent_ends[j] if j < len(self.sent_ends) else len(self.text)
            found = time_phrases(self.text, a, b, self.issued)
            self._sentence_phrases[j] = found
        return found

    def phrases_in(self, start: int, end: int) -> list[TimePhrase]:
        """Time phrases that start in ``[start, end)`` (no phrase crosses a sentence break)."""
        out = []
        j = bisect_left(self.sent_ends, start)
        while True:
            out.extend(p for p in self._phrases_of_sentence(j) if start <= p.start < end)
            if j >= len(self.sent_ends) or self.sent_ends[j] >= end:
                return out
            j += 1

    def section_at(self, pos: int) -> Section | None:
        """The innermost section around ``pos``: the last one opened before it, or the
        nearest of its ancestors still open (headings nest)."""
        i = bisect_right(self.section_starts, pos) - 1
        sec = self.sections[i] if i >= 0 else None
        while sec is not None and pos >= sec.end:
            sec = self.by_path.get(sec.parent) if sec.parent else None
        return sec

    def item_at(self, pos: int) -> tuple[int, int] | None:
        i = bisect_right(self.item_starts, pos) - 1
        return self.items[i] if i >= 0 and pos < self.items[i][1] else None

    def phrase_applies(self, p: TimePhrase, num_start: int) -> bool:
        """Does the time phrase ``p`` of the target's sentence date the value at ``num_start``?

        Not when it belongs to another 一是/二是 item, nor when it follows a recurring
        value of another clause (每年安排…700个，“十四五”期间…3万亿元): a yearly figure has
        no one deadline.  (年均增长15%，到2025年达到1500亿元: both are due in 2025.)"""
        here = self.item_at(num_start)
        there = self.item_at(p.start)
        if there is not None and there != here:
            return False
        if p.start > num_start:
            cs, ce = self.clause_at(num_start)
            if not cs <= p.start < ce and _RECURRING.search(self.text, cs, num_start):
                return False
        return True

    def in_criteria(self, pos: int) -> bool:
        """Is ``pos`` in an eligibility condition (认定条件, 应当具备下列条件:…)?"""
        sec = self.section_at(pos)
        while sec is not None:
            if _CRITERIA_TITLE.search(sec.title):
                return True
            parent = self.by_path.get(sec.parent) if sec.parent else None
            if parent is not None:
                child = self.first_child.get(parent.path)
                lead = self.text[parent.title_start:child.start if child else parent.end]
                if _CRITERIA_LEAD.search(lead):
                    return True
            sec = parent
        return False

    def in_background(self, pos: int) -> bool:
        """Is ``pos`` under a heading such as 发展基础 or 现状 (statistics, not goals)?"""
        sec = self.section_at(pos)
        while sec is not None:
            if _BACKGROUND_TITLE.search(sec.title):
                return True
            sec = self.by_path.get(sec.parent) if sec.parent else None
        return False

    def is_history(self, p: TimePhrase) -> bool:
        """A phrase that dates a statistic (截至2022年底, 2022年 before the issue year)."""
        past = p.year is not None and self.ref_year is not None and p.year < self.ref_year
        if p.since:
            return p.year is None or self.ref_year is None or p.year <= self.ref_year
        return past and not p.forward

    def is_deadline(self, p: TimePhrase) -> bool:
        if p.iso is None and p.year is None:
            return p.forward  # 三年内 with no issue date: the words are kept, the date is unknown
        if p.year is not None and self.ref_year is not None and p.year < self.ref_year:
            return False
        return not self.is_history(p)


_QUOTED = re.compile(r"“[^“”\n]{0,120}”|\"[^\"\n]{0,120}\"|「[^「」\n]{0,120}」|『[^『』\n]{0,120}』|《[^《》\n]{0,120}》|‘[^‘’\n]{0,60}’")
# Clause breaks; a comma between digits groups thousands (12,500) and does not break.
_CLAUSE_DELIM = re.compile(r"(?=[“\"「『《‘;。!?:\n\t，；！？：,])(?:" + _QUOTED.pattern
                           + r")|(?P<d>[;。!?:\n\t，；！？：]|,(?!(?<=\d,)\d{3}(?!\d)))")
_SENTENCE_DELIM = re.compile(r"[。!?！？\n\t]")  # a tab parts the cells of a table row


# ---------------------------------------------------------------- candidates


def _split_magnitude(num: str, unit: str) -> tuple[str, str]:
    """Move a trailing 万/亿 of a Chinese numeral into the unit: 八百亿 + 元 → 八百 + 亿元."""
    if not unit or unit[0] in "万亿" or unit in ("%", "‰"):
        return num, unit
    i = len(num)
    while i > 0 and num[i - 1] in "万亿":
        i -= 1
    mag = num[i:]
    if mag and (mag in _MAGNITUDES or mag == "亿亿"):
        return num[:i], mag + unit
    return num, unit


def _number(num: str) -> Decimal | None:
    if not num:
        return Decimal(1)
    try:
        return to_decimal(num)
    except (ValueError, ArithmeticError):
        return None


def _candidates(ctx: _Context):
    text = ctx.text
    for m in _CANDIDATE.finditer(text, ctx.body_start):
        c = _candidate(ctx, m)
        if c is not None:
            yield c
    for m in _PERCENT_WORDS.finditer(text, ctx.body_start):
        if ctx.in_quote(m.start()) or ctx.in_skip(m.start()):
            continue
        value = _number(m.group("n1"))
        if value is None:
            continue
        comparator, start = _comparator(ctx, m.start(), m.group("suffix"), None, False)
        yield _Cand(start, m.start(), m.end(), comparator, value, None, None, "%", True, False)


def _candidate(ctx: _Context, m: re.Match) -> _Cand | None:
    text = ctx.text
    n1, n2, unit = m.group("n1"), m.group("n2"), m.group("unit")
    s = m.start()
    chinese = not n1[0].isdigit()
    prev = text[s - 1] if s > 0 else ""
    if chinese:
        if prev in _CN_BLOCKED_BEFORE:
            return None
    elif prev in _AR_BLOCKED_BEFORE:
        return None
    if ctx.in_quote(s) or ctx.in_skip(s):
        return None
    if _CAPTION.search(text, max(0, s - 8), s):
        return None  # 表1 天河区…: a caption's number
    before = text[max(0, s - 3):s].rstrip()
    if before.endswith("等"):
        return None  # 等3家: the size of a list just named
    if chinese and before.endswith(("”", "》", "」", "』")):
        return None  # “互联网+护理服务”两项试点
    if n2 is not None:
        u1 = m.group("u1")
        if u1 and u1 != unit and not (u1 in _MAGNITUDES and unit.startswith(u1)):
            return None
        a, _ = _split_magnitude(n1, unit) if not n1[0].isdigit() else (n1, unit)
        b, unit2 = _split_magnitude(n2, unit) if not n2[0].isdigit() else (n2, unit)
        vmin, vmax = _number(a), _number(b)
        if vmin is None or vmax is None or vmin > vmax:
            return None
        unit = unit2
        value = None
        bare = False
    else:
        num, unit = _split_magnitude(n1, unit) if chinese else (n1, unit)
        bare = chinese and (not num or num in ("十", "百", "千", "万", "亿"))
        value = _number(num)
        if value is None:
            return None
        vmin = vmax = None
    if unit.endswith("个") and text.startswith("月", m.end("unit")):
        return None  # 3个月: a duration
    if unit in ("分钟", "小时", "天", "公里") and _CIRCLE_AFTER.match(text, m.end()):
        return None  # 15分钟便民生活圈, 1小时通勤圈: the name of a kind of circle
    if text[max(0, s - 2):s] in ("时速", "速度", "车速"):
        return None  # 时速350公里: a specification
    comparator, start = _comparator(ctx, s, m.group("suffix"), m.group("more"), n2 is not None)
    if bare and comparator not in (">", ">=") and not (chinese and num == "十"):
        return None  # 千家万户: an idiom, not a count
    if bare and num == "十":
        bare = False
    if chinese and n2 is None and comparator == "=" and value is not None and value < 10 \
            and not any(unit.startswith(k) for k in _MAGNITUDES) and unit in _LIST_COUNTERS:
        return None  # 三个方面, 两项试点: counting a named list
    if chinese and n2 is None and value == 1 and num in ("一",) and comparator == "=":
        return None  # 一批, 一家: a determiner, not a count
    return _Cand(start, s, m.end(), comparator, value, vmin, vmax, unit, chinese, bare)


def _comparator(ctx: _Context, num_start: int, suffix: str | None, more: str | None,
                is_range: bool) -> tuple[str, int]:
    """The comparator, and where the value text starts (at the comparator word)."""
    text = ctx.text
    cs, _ = ctx.clause_at(num_start)
    pm = _PREFIX_RE.search(text, max(cs, num_start - 6), num_start)
    prefix = _PREFIX_MAP[pm.group(0).strip()] if pm else None
    start = pm.start() if pm else num_start
    if prefix is None and _AT_LEAST_VERB.search(text, max(cs, num_start - 12), num_start):
        prefix = ">="  # 至少建成1个: the bound comes before the verb
    suffix = (suffix or "").strip()
    if is_range:
        return "range", start
    if suffix == "左右":
        return "approx", start
    if suffix in ("以内", "之内"):
        return ("<" if prefix == "<" else "<="), start
    if suffix == "以下":
        return ("<" if prefix == "<" else "<="), start
    if more:
        return ">", start
    if suffix == "以上":
        return (">" if prefix == ">" else ">="), start
    return prefix or "=", start


# ---------------------------------------------------------------- clauses


def _read_clause(ctx: _Context, cs: int, ce: int, cands: list[_Cand]) -> list[Target]:
    text = ctx.text
    cands.sort(key=lambda c: c.num_start)
    # a value that qualifies the next one (培育年销售收入超百亿元的龙头企业1家) is a condition
    for x, y in zip(cands, cands[1:]):
        between = text[x.end:y.start]
        if re.search(r"[、和及与(]|其中", between):
            continue  # a list, or a breakdown (不少于3000个(其中室内500个)): two targets
        if (y.comparator in (">", ">=") and text.startswith("的", y.end)) or y.bare_magnitude:
            # …and one that qualifies the previous one (培育10个以上产值超百亿元的产业集群)
            y.condition_of = x
            continue
        qualifies = x.comparator in (">", ">=") or between.lstrip().startswith("的")
        if qualifies and (x.bare_magnitude or between.lstrip().startswith("的") or not _VERB_ANY.search(between)):
            x.condition_of = y
    goals = [c for c in cands if c.condition_of is None and not c.bare_magnitude]
    if not goals:
        return []
    # cut the clause between two targets at the last list separator
    starts, ends = [cs], []
    for x, y in zip(goals, goals[1:]):
        between = text[x.end:y.start]
        cut = between.rfind("、")
        if cut < 0:
            cut = between.find("(")
        if cut < 0:
            cut = max((mm.start() for mm in re.finditer(r"以及|和|及|与", between)), default=-1)
        if cut >= 0:
            sep_len = 2 if between.startswith("以及", cut) else 1
            ends.append(x.end + cut)
            starts.append(x.end + cut + sep_len)
        else:
            ends.append(x.end)
            starts.append(x.end)
    ends.append(ce)
    out = []
    shared_verb = None
    for i, c in enumerate(goals):
        s, e = _trim(ctx, starts[i], ends[i])
        t = _read_target(ctx, c, s, e, [x for x in cands if x.condition_of is c])
        if t is None:
            continue
        if t.verb is None and i > 0 and shared_verb and c.start == s:
            t.verb = shared_verb  # 引进培养 10 名…、50 名…: the verb of the list
        shared_verb = t.verb or shared_verb
        out.append(t)
    return out


_ITEM_MARK = re.compile(r"[一二三四五六七八九十]{1,3}是|[①-⑳]")


def _trim(ctx: _Context, s: int, e: int) -> tuple[int, int]:
    """The clause without surrounding blanks, the marker of a heading it opens
    (``(二)孵化场地…``) or the marker of a list item (``一是实现…``)."""
    text = ctx.text
    while s < e and text[s] in " \t\n、":
        s += 1
    sec = ctx.section_starting.get(s)
    if sec is not None and s < sec.title_start <= e:
        s = sec.title_start
    m = _ITEM_MARK.match(text, s, e)
    if m and ctx.item_at(s) is not None and ctx.item_at(s)[0] == s:
        s = m.end()
    while s < e and text[s] in " \t\n":
        s += 1
    while e > s and (text[e - 1] in " \t\n" or text[e - 1] == ")" and text.count("(", s, e) < text.count(")", s, e)):
        e -= 1  # blanks, and the bracket a breakdown closes: (其中室内分布系统500个)
    return s, e


def _read_target(ctx: _Context, c: _Cand, s: int, e: int, conditions: list[_Cand]) -> Target | None:
    text = ctx.text
    pre_text = text[s:c.start]
    if _HISTORY_IN_CLAUSE.search(pre_text) or _FUNDING_CLAUSE.search(text, s, e) or _FUNDING_START.match(text, s):
        return None
    if ctx.in_background(c.num_start) or ctx.in_criteria(c.num_start):
        return None
    ss, se = ctx.sentence_at(c.num_start)
    if _CRITERIA_SENTENCE.search(text, ss, c.start):
        return None  # 申报项目应当符合…，总投资不低于10亿元: a condition
    own = [p for p in ctx.phrases_in(ss, se) if ctx.phrase_applies(p, c.num_start)]
    before = [p for p in own if p.start < c.num_start]
    if before and ctx.is_history(before[-1]):
        return None  # 2022年全区实现…亿元 in a plan issued in 2023: a statistic
    sentence_head = text[ss:ss + 6].lstrip()
    if sentence_head.startswith(("近年来", "去年", "上年", "过去", "目前", "截至", "截止")):
        return None

    # deadline
    deadline = deadline_text = None
    inherited = False
    dl = [p for p in before if ctx.is_deadline(p)] or [p for p in own if p.start >= c.num_start and ctx.is_deadline(p)]
    if dl:
        p = dl[-1] if dl[-1].start < c.num_start else dl[0]
        deadline, deadline_text = p.iso, p.text
    else:
        found = _inherited_deadline(ctx, c.num_start, ss)
        if found:
            deadline, deadline_text = found
            inherited = True
        elif ctx.title_year:  # an annual plan (2024年…工作要点): its year is every target's horizon
            deadline, deadline_text = f"{ctx.title_year}-12-31", f"{ctx.title_year}年"
            inherited = True

    # pieces of the clause: before the value, the value, after it
    pre = _clean_pre(ctx, s, c.start)
    post = text[c.end:e]
    post = re.sub(rf"^\s*(?:{_SUFFIX})?\s*的?", "", post).strip()
    verb = metric = None
    if post and re.search(r"[\u4e00-\u9fffA-Za-z]", post):
        # 培育 10 家数字经济“链主”企业: the counted noun follows the value
        metric = _strip_attributive(post)
        metric = re.sub(r"(?<=[\u4e00-\u9fff”])建设$", "", metric) or metric
        vm = _VERB_AT_END.search(pre)
        if vm:
            verb = vm.group(0).strip()
        else:
            wm = _WEAK_VERB_AT_END.search(pre)
            verb = wm.group(1) if wm else None
    else:
        vm = _VERB_AT_START.match(pre)
        has_comparator_word = c.start < c.num_start
        if has_comparator_word:
            # 数字商贸相关产值达100亿元 / 实现…可网办率达 90%
            if vm:
                verb = vm.group(1)
                metric = pre[vm.end():].strip()
            else:
                metric = pre.strip()
        else:
            # 分批落地数字生活场景 50 个 / 机器人平台牵头发布和起草…标准 10 项
            vm = _VERB_ANY.search(pre)
            if vm:
                verb = vm.group(0)
                metric = pre[vm.end():].strip()
            else:
                metric = pre.strip()
            metric = _METRIC_TAIL_VERB.sub("", metric).strip() or metric
    metric = _TRAILING_ADVERBS.sub("", metric or "").strip()
    if _SCOPE.match(metric):  # 实现全县行政村5G网络覆盖率…: the scope is read apart
        metric = _SCOPE.sub("", metric, count=1)
    metric = metric or None
    if metric is None or _EMPTY_METRIC.fullmatch(metric):
        # 专栏 lines: (1)5G基站:累计建成2.5万个 — the label before the colon names the indicator
        label = _box_label(text, s)
        if label:
            metric, s = label
        elif metric is not None:
            metric = None

    scope_m = _SCOPE.search(text, s, c.num_start)
    scope = scope_m.group(0) if scope_m else None

    condition = None
    if conditions:
        cond = conditions[0]
        if cond.start > c.num_start:  # after the value: 10个以上产值超百亿元的…
            condition = re.sub(rf"^\s*(?:{_SUFFIX})?", "", text[c.end:cond.end]).strip() or None
        else:
            cstart = s
            vm = _VERB_ANY.search(text, s, cond.start)
            if vm:
                cstart = vm.end()
            condition = text[cstart:cond.end].strip() or None

    norm_unit, factor = _normalise_unit(c.unit)
    sec = ctx.section_at(c.num_start)
    return Target(
        start=s, end=e, section=sec.path if sec else None, metric=metric, comparator=c.comparator,
        value=c.value, value_min=c.vmin, value_max=c.vmax, unit=c.unit,
        normalized_value=_scaled(c.value, factor), normalized_unit=norm_unit,
        normalized_value_min=_scaled(c.vmin, factor), normalized_value_max=_scaled(c.vmax, factor),
        value_text=text[c.start:c.end].strip(),
        deadline=deadline, deadline_text=deadline_text, deadline_inherited=inherited,
        scope=scope, verb=verb, condition=condition,
    )


_TRAILING_ADVERBS = re.compile(r"(?:力争|争取|努力|预计|确保|计划)$")
_EMPTY_METRIC = re.compile(r"(?:累计|共|总计|合计|新增|再|全年|年均|每年)*")
_LINE_MARKER = re.compile(r"[ \t]*(?:\(\s*[\d一二三四五六七八九十]{1,3}\s*\)|\d{1,3}\s*[.、](?!\d)|[①-⑳])?[ \t]*")


def _box_label(text: str, s: int) -> tuple[str, int] | None:
    """The label of an indicator line (``(1)千兆宽带用户:达到100万户``) whose value clause starts at ``s``."""
    colon = s - 1
    while colon >= 0 and text[colon] in " \t":
        colon -= 1
    if colon < 0 or text[colon] not in ":：":
        return None
    line_start = text.rfind("\n", 0, colon) + 1
    m = _LINE_MARKER.match(text, line_start, colon)
    start = m.end() if m else line_start
    label = text[start:colon].strip()
    if not 1 <= len(label) <= 24 or re.search(r"[,，;；。:：!?！？]", label):
        return None
    return label, start + (len(text[start:colon]) - len(text[start:colon].lstrip()))


def _title_year(doc: Document) -> int | None:
    """The one year an annual plan's title names (桐庐县2024年数字乡村建设工作要点), else None."""
    title = doc.meta.plan_title or doc.meta.title
    if not title or title_period(title) or not _ANNUAL_GENRE.search(title):
        return None
    years = {int(m.group(1)) for m in _TITLE_YEAR.finditer(title)}
    return years.pop() if len(years) == 1 else None


_TITLE_YEAR = re.compile(r"(?<![\d—–\-~～至到])(\d{4})\s*年度?(?![\d—–\-~～至到])(?!\s*\d{1,2}\s*月)")
_ANNUAL_GENRE = re.compile(r"(?:要点|计划|方案|安排|清单|任务|意见|措施)(?:\s*[(（][^()（）]*[)）])*\s*$")


def _clean_pre(ctx: _Context, s: int, e: int) -> str:
    """The clause text before the value without its time phrase, scope or lead adverbs."""
    text = ctx.text
    pieces = []
    pos = s
    for p in ctx.phrases_in(s, e):
        pieces.append(text[pos:p.start])
        pos = max(pos, p.end)
    pieces.append(text[pos:e])
    pre = "".join(pieces)
    pre = _LEAD_ADVERBS.sub("", pre)
    if _SCOPE.match(pre.lstrip()):
        pre = _LEAD_ADVERBS.sub("", _SCOPE.sub("", pre.lstrip(), count=1))
    return pre.strip()


def _strip_attributive(metric: str) -> str:
    """Drop a descriptive list before the last 的 (覆盖领域广、技术前沿性好…的场景 → 场景)."""
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(metric)]

    def outside(i: int) -> bool:
        return not any(a <= i < b for a, b in quoted)

    for i in range(len(metric) - 1, 0, -1):
        if metric[i] == "的" and outside(i):
            head = metric[:i]
            if any(ch in "、等" and outside(j) for j, ch in enumerate(head)):
                return metric[i + 1:].strip() or metric
    return metric


def _inherited_deadline(ctx: _Context, pos: int, sentence_start: int) -> tuple[str | None, str] | None:
    """A deadline stated before the target: earlier in its sub-topic, or in the lead of an enclosing section."""
    text = ctx.text
    sec = ctx.section_at(pos)
    body_start = sec.start if sec else ctx.body_start
    # earlier sentences of the same sub-topic, nearest first
    j = bisect_left(ctx.sent_ends, sentence_start) - 1
    while j >= 0 and ctx.sent_ends[j] > body_start:
        ss = max(ctx.sent_ends[j - 1] + 1 if j > 0 else 0, body_start)
        se = ctx.sent_ends[j]
        sentence = text[ss:se].strip()
        if sentence:
            dls = [p for p in ctx.phrases_in(ss, se) if ctx.is_deadline(p)]
            if dls:
                return dls[-1].iso, dls[-1].text
            if _is_subtopic_lead(sentence):
                break
        j -= 1
    # the lead text of each enclosing section (行动目标: “到 2023 年底, …”)
    while sec is not None:
        parent = ctx.by_path.get(sec.parent) if sec.parent else None
        if parent is None:
            break
        child = ctx.first_child.get(parent.path)
        lead_end = child.start if child else parent.end
        dls = [p for p in ctx.phrases_in(parent.title_start, lead_end) if ctx.is_deadline(p)]
        if dls:
            return dls[-1].iso, dls[-1].text
        sec = parent
    # the deadline of the section's responsibility note or task-table row
    sec = ctx.section_at(pos)
    while sec is not None:
        if sec.path in ctx.note_deadline:
            return ctx.note_deadline[sec.path]
        sec = ctx.by_path.get(sec.parent) if sec.parent else None
    return None


def _is_subtopic_lead(sentence: str) -> bool:
    """A short sentence with no clause break and no number: 推进 5G 网络建设。 starts a sub-topic."""
    s = sentence.rstrip("。").strip()
    if re.match(r"专栏\s*[\d一二三四五六七八九十]+", s):
        return True  # a box (专栏1 …主要指标) opens a sub-topic of its own
    return 0 < len(s) <= 30 and not re.search(r"[,;:，；：]", s) and not re.search(r"\d", re.sub(r"[A-Za-z]+\d+|\d+[A-Za-z]+", "", s))


def _indicator_target(ctx: _Context, r: IndicatorRow) -> Target | None:
    """A row of a 主要指标 table: the value of its target-year column, due at that year's end."""
    if ctx.ref_year is not None and r.year < ctx.ref_year or ctx.in_background(r.start):
        return None  # a table of past figures
    norm_unit, factor = _normalise_unit(r.unit) if r.unit else (None, Decimal(1))
    sec = ctx.section_at(r.start)
    return Target(
        start=r.start, end=r.end, section=sec.path if sec else None, metric=r.metric, comparator=r.comparator,
        value=r.value, value_min=r.value_min, value_max=r.value_max, unit=r.unit,
        normalized_value=_scaled(r.value, factor), normalized_unit=norm_unit,
        normalized_value_min=_scaled(r.value_min, factor), normalized_value_max=_scaled(r.value_max, factor),
        value_text=r.value_text, deadline=f"{r.year}-12-31", deadline_text=r.year_text,
    )


def _normalise_unit(unit: str) -> tuple[str, Decimal]:
    """Base unit and factor: 亿元 → (元, 1e8); 万户 → (户, 1e4); % → (%, 1)."""
    if unit == "成":  # 九成 = 90%
        return "%", Decimal(10)
    for mag in sorted(_MAGNITUDES, key=len, reverse=True):
        if unit.startswith(mag) and len(unit) > len(mag):
            return unit[len(mag):], _MAGNITUDES[mag]
    if unit in _MAGNITUDES:
        return "", _MAGNITUDES[unit]
    return unit, Decimal(1)


def _scaled(v: Decimal | None, factor: Decimal) -> Decimal | None:
    return None if v is None else v * factor
