"""Step 3, *structure*: the header (issuer, 文号, title, addressees, dates, the
attached plan) and the heading tree 一、/（一）/1./(1)/①/第一章/第一条 with spans.

Works on the normalised text (full-width ASCII already folded, so ``（一）``
reads ``(一)`` and ``１．`` reads ``1.``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Document, Meta, Section, Span
from .numerals import CN_DATE_RE, parse_cn_date

_CN_NUM = "一二三四五六七八九十百零〇两"

# (style, pattern) — the marker at the start of a line.  Order matters: the
# first that matches names the style.
HEADING_STYLES: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"第[{_CN_NUM}\d]+[章编]")),
    ("jie", re.compile(rf"第[{_CN_NUM}\d]+节")),
    ("article", re.compile(rf"第[{_CN_NUM}\d]+条")),
    ("cn_dun", re.compile(rf"[{_CN_NUM}]+\s*[、.](?![{_CN_NUM}\d])")),  # 一、
    ("cn_paren", re.compile(rf"\(\s*[{_CN_NUM}]+\s*\)")),  # (一) / （一）
    ("ar_dot", re.compile(r"\d{1,3}\s*[.、](?![\d.])")),  # 1. / 1、 (not 1.5 or 1.1.1)
    ("ar_paren", re.compile(r"\(\s*\d{1,3}\s*\)")),  # (1) / （1）
    ("circled", re.compile(r"[①-⑳㉑-㉟]")),
]

# Sentence-final punctuation that ends an inline heading title.
_INLINE_END = re.compile(r"[。]")
# Lines that only look like headings: a list marker followed by a number or
# a unit (1.5亿元), or a date.
_NOT_HEADING_AFTER = re.compile(r"^\s*(?:\d|年|月|日|%|号)")

DOC_TYPES = ("决议", "决定", "命令", "令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示",
             "批复", "议案", "函", "纪要")
PLAN_GENRES = ("行动方案", "实施方案", "工作方案", "方案", "规划", "计划", "纲要", "办法", "细则", "规定", "条例",
               "措施", "要点", "指南", "意见", "决定")
_TITLE_END = re.compile(
    r"(?:" + "|".join(sorted(set(DOC_TYPES + PLAN_GENRES), key=len, reverse=True)) + r")(?:\s*[(（](?:试行|暂行|征求意见稿)[)）])?\s*$"
)

DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fff]{1,15}\s*[〔\[【(（]\s*(\d{4})\s*[〕\]】)）]\s*(\d{1,5})\s*号")
_ORG_ENDING = re.compile(r"(?:人民政府|政府|办公室|办公厅|委员会|委|局|厅|部|署|办|中心|院|会|处|集团|公司)(?:文件)?$")
# 已经2022年3月11日区政府第4次常务会议审议通过: the meeting ends at 会议 before 审议通过;
# its start is the nearest 已经/经 cue (and date) before it.
_ADOPTION = re.compile(r"(?P<meeting>[^,，。;；《》]{2,60}?(?:会议|常务会|办公会|全体会))\s*(?:审议|研究|讨论)?\s*(?:通过|同意)")
_ADOPTION_CUE = re.compile(r"(?:已经|已由|经过|经)\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)?\s*")
_QUOTED_TITLE = re.compile(r"《([^《》]{2,80})》")


@dataclass
class _Line:
    start: int
    end: int
    text: str  # stripped

    @property
    def content_start(self) -> int:
        return self.start


def split_lines(text: str) -> list[_Line]:
    """Non-blank lines with spans that exclude leading/trailing whitespace."""
    lines = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            s = pos + lead
            lines.append(_Line(s, s + len(stripped), stripped))
        pos += len(raw) + 1
    return lines


def heading_marker(line: str) -> tuple[str, str] | None:
    """``(style, marker)`` if ``line`` starts with a heading number.

    >>> heading_marker("(一) 以数字经济驱动发展新引擎")
    ('cn_paren', '(一)')
    >>> heading_marker("1.5亿元投入") is None
    True
    """
    for style, pat in HEADING_STYLES:
        m = pat.match(line)
        if m:
            rest = line[m.end():]
            if style in ("ar_dot", "cn_dun") and _NOT_HEADING_AFTER.match(rest):
                return None
            if not rest.strip() and style not in ("chapter", "jie", "article"):
                return None
            return style, m.group(0)
    return None


def parse_structure(doc: Document) -> Document:
    """Fill ``doc.meta`` and ``doc.sections`` from ``doc.text``."""
    lines = split_lines(doc.text)
    meta, body_from = _parse_header(doc.text, lines)
    doc.meta = meta
    region_lines = [ln for ln in lines if ln.start >= body_from]
    region_end = len(doc.text.rstrip())
    which = "plan" if meta.plan_title else "notice"
    doc.sections = _parse_headings(doc.text, region_lines, region_end, which)
    assign_kinds(doc.sections)
    if not doc.sections:
        doc.warnings.append("no numbered headings found; the document is kept without sections")
    return doc


# ---------------------------------------------------------------- header


def _parse_header(text: str, lines: list[_Line]) -> tuple[Meta, int]:
    """Read the header; return the metadata and where the body (plan) starts."""
    meta = Meta()
    if not lines:
        return meta, 0
    first_heading = next((i for i, ln in enumerate(lines) if heading_marker(ln.text)), len(lines))
    head = lines[: max(first_heading, 1)]

    # 文号 (a line of its own near the top, or anywhere in the header block)
    number_line = None
    for i, ln in enumerate(head[:12]):
        m = DOC_NUMBER_RE.search(ln.text)
        if m and len(ln.text) <= len(m.group(0)) + 20:
            meta.doc_number = re.sub(r"\s+", "", m.group(0))
            number_line = i
            break

    # the title: the first line after the 文号 (or the letterhead) that ends like a title
    title_idx = None
    start_idx = 0 if number_line is None else number_line + 1
    for i in range(start_idx, min(len(head), start_idx + 8)):
        t = head[i].text
        if t.endswith("文件") and i == 0:
            continue
        if _TITLE_END.search(t) and not t.endswith(("：", ":")):
            title_idx = i
            break
    if title_idx is None and head:
        # a document without 文号 or genre word: the first non-letterhead line
        cand = [i for i in range(start_idx, min(len(head), start_idx + 4)) if not head[i].text.endswith("文件")]
        if cand and len(head[cand[0]].text) <= 80 and not heading_marker(head[cand[0]].text):
            title_idx = cand[0]
    if title_idx is not None:
        tl = head[title_idx]
        # a title may wrap over two lines: join a following line that completes it
        meta.title = tl.text
        meta.title_span = Span(tl.start, tl.end)
        meta.doc_type = _doc_type(tl.text)

    # letterhead → issuer
    if lines[0].text.endswith("文件") and len(lines[0].text) > 2:
        meta.issuer = lines[0].text[: -len("文件")].strip()

    after_title = (title_idx + 1) if title_idx is not None else start_idx
    # addressees: the next line ending with a colon
    for ln in head[after_title: after_title + 3]:
        if ln.text.endswith((":", "：")) and len(ln.text) < 120:
            meta.addressees = split_addressees(ln.text[:-1])
            break

    # adoption: 已经…会议审议通过
    header_text = text[: lines[first_heading].start] if first_heading < len(lines) else text
    m = _ADOPTION.search(header_text)
    if m:
        chunk = m.group("meeting")
        cues = list(_ADOPTION_CUE.finditer(chunk))
        if cues:
            cue = cues[-1]
            meeting = chunk[cue.end():].strip()
            if len(meeting) >= 2:
                meta.adopted_meeting = meeting
                if cue.group("date"):
                    meta.adopted_date = parse_cn_date(cue.group("date"))
                meta.adopted_text = header_text[m.start("meeting") + cue.start():m.end()]

    # the attached plan: 印发《X》的通知 and a line that repeats X after the signature
    body_from = 0
    plan_title = None
    if meta.title:
        qm = _QUOTED_TITLE.search(meta.title)
        if qm and re.search(r"(?:印发|转发|发布|颁布)", meta.title):
            plan_title = qm.group(1).strip()
        else:
            # 关于印发X的通知 without 《》
            um = re.search(r"(?:印发|转发)\s*(.{4,60}?)\s*的(?:通知|函)$", meta.title)
            if um:
                plan_title = um.group(1).strip()
    signature_idx = None
    for i, ln in enumerate(head):
        if title_idx is not None and i <= title_idx:
            continue
        if CN_DATE_RE.fullmatch(ln.text.replace(" ", "")):
            signature_idx = i
            meta.issued = parse_cn_date(ln.text)
            meta.issued_text = ln.text
            prev = head[i - 1].text if i > 0 else ""
            if _ORG_ENDING.search(prev) and len(prev) <= 40:
                meta.issuer = meta.issuer or prev
            break
    if plan_title:
        norm = _squash(plan_title)
        for ln in lines:
            if title_idx is not None and ln.start <= head[title_idx].start:
                continue
            if signature_idx is not None and ln.start <= head[signature_idx].start:
                continue
            if _squash(ln.text) == norm:
                meta.plan_title = ln.text
                meta.plan_span = Span(ln.start, len(text.rstrip()))
                body_from = ln.end
                break
        if meta.plan_title is None:
            meta.plan_title = plan_title  # the plan is named but not reproduced here
    if not meta.plan_span:
        if title_idx is not None:
            body_from = head[title_idx].end
        if signature_idx is not None and first_heading < len(lines) and lines[first_heading].start < head[signature_idx].start:
            body_from = body_from
    if meta.issued is None:
        # a signature block at the end: issuer line then a date line
        for i in range(len(lines) - 1, max(len(lines) - 6, 0) - 1, -1):
            ln = lines[i]
            if CN_DATE_RE.fullmatch(ln.text.replace(" ", "")):
                meta.issued = parse_cn_date(ln.text)
                meta.issued_text = ln.text
                if i > 0 and _ORG_ENDING.search(lines[i - 1].text) and len(lines[i - 1].text) <= 40:
                    meta.issuer = meta.issuer or lines[i - 1].text
                break
    if meta.issuer is None and meta.title:
        m = re.match(r"(.{2,40}?)关于", meta.title)
        if m and _ORG_ENDING.search(m.group(1)):
            meta.issuer = m.group(1)
    meta.jurisdiction, meta.level = jurisdiction_of(meta.issuer or "")
    return meta, body_from


def _squash(s: str) -> str:
    return re.sub(r"[\s《》]", "", s)


def _doc_type(title: str) -> str | None:
    t = re.sub(r"\s*[(（](?:试行|暂行|征求意见稿)[)）]\s*$", "", title.strip())
    for dt in sorted(DOC_TYPES + PLAN_GENRES, key=len, reverse=True):
        if t.endswith(dt):
            return dt
    return None


def split_addressees(s: str) -> list[str]:
    """Split a 主送 line into addressees on commas (the 、 inside one group is kept).

    >>> split_addressees("区政府各委、办、局,各街道办事处、镇政府")
    ['区政府各委、办、局', '各街道办事处、镇政府']
    """
    parts = [p.strip() for p in re.split(r"[,，;；]", s) if p.strip()]
    return parts


# Provincial-level divisions: the head of every jurisdiction chain.
PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省",
    "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区", "西藏自治区",
    "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区",
)
_NATIONAL = re.compile(r"^(?:国务院|中共中央|全国人民代表大会|全国人大|国家|中华人民共和国|最高人民)")
_LOCAL_ORG = re.compile(r"(?:人民政府|政府|办公室|办公厅|委员会|人大|政协|党委|区委|市委|县委|省委)")


def jurisdiction_parts(name: str) -> list[tuple[str, str]]:
    """The administrative divisions at the start of ``name``, outermost first.

    Each part is ``(level, accumulated name)`` with level ``province``,
    ``city`` or ``county``.

    >>> jurisdiction_parts("广州市天河区人民政府")
    [('city', '广州市'), ('county', '广州市天河区')]
    >>> jurisdiction_parts("浙江省杭州市西湖区")
    [('province', '浙江省'), ('city', '浙江省杭州市'), ('county', '浙江省杭州市西湖区')]
    """
    s = name.strip()
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
        if m and (prov or _LOCAL_ORG.match(rest[m.end():]) or _county_prefix(rest[m.end():] + "。")):
            acc += m.group(1)
            rest = rest[m.end():]
            parts.append(("city", acc))
    m = _county_prefix(rest + "。")
    if m and (parts or _LOCAL_ORG.match(rest[m.end():])):
        acc += m.group(1)
        parts.append(("county", acc))
    return parts


MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


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


def jurisdiction_of(issuer: str) -> tuple[str | None, str | None]:
    """The jurisdiction and government level named by an issuer.

    >>> jurisdiction_of("上海市普陀区人民政府办公室")
    ('上海市普陀区', 'district')
    >>> jurisdiction_of("浙江省人民政府")
    ('浙江省', 'provincial')
    >>> jurisdiction_of("杭州市人民政府办公厅")
    ('杭州市', 'municipal')
    >>> jurisdiction_of("德清县人民政府办公室")
    ('德清县', 'district')
    >>> jurisdiction_of("国务院办公厅")
    ('中华人民共和国', 'national')
    """
    s = issuer.strip()
    if not s:
        return None, None
    if _NATIONAL.match(s) or re.match(r"^[\u4e00-\u9fff]{1,8}部$", s):
        return "中华人民共和国", "national"
    parts = jurisdiction_parts(s)
    if not parts:
        return None, None
    level, name = parts[-1]
    return name, {"province": "provincial", "city": "municipal", "county": "district"}[level]


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


# ---------------------------------------------------------------- headings


def _parse_headings(text: str, lines: list[_Line], region_end: int, which: str) -> list[Section]:
    sections: list[Section] = []
    stack: list[Section] = []
    child_count: dict[str | None, int] = {}
    for ln in lines:
        hm = heading_marker(ln.text)
        if not hm:
            continue
        style, marker = hm
        # pop to the level of this style if it is already open (a sibling)
        styles = [s.style for s in stack]
        if style in styles:
            idx = styles.index(style)
            for closed in stack[idx:]:
                closed.end = ln.start
            del stack[idx:]
        parent = stack[-1] if stack else None
        key = parent.path if parent else None
        child_count[key] = child_count.get(key, 0) + 1
        path = f"{parent.path}.{child_count[key]}" if parent else str(child_count[key])
        rest_start = ln.start + len(marker)
        rest = text[rest_start:ln.end]
        lead = len(rest) - len(rest.lstrip())
        t_start = rest_start + lead
        body = text[t_start:ln.end]
        inline = False
        m = _INLINE_END.search(body)
        if style == "article":
            # 第一条（目的和依据）…: the bracketed caption is the title, else none
            cm = re.match(r"\(([^()]{1,30})\)", body)
            if cm:
                t_start, t_end = t_start + 1, t_start + 1 + len(cm.group(1))
            else:
                t_end = t_start
            inline = True
        elif m and m.end() < len(body):
            t_end = t_start + m.start()
            inline = True
        elif m:
            t_end = t_start + m.start()
        else:
            t_end = ln.end
        title = text[t_start:t_end].strip()
        sec = Section(
            start=ln.start,
            end=region_end,
            path=path,
            number=marker,
            title=title,
            level=(parent.level + 1) if parent else 1,
            parent=parent.path if parent else None,
            order=child_count[key],
            title_start=t_start,
            title_end=t_start + len(title),
            style=style,
            heading_inline=inline,
            document=which,
        )
        sections.append(sec)
        stack.append(sec)
    for s in sections:
        s.end = _rstrip_end(text, s.start, s.end)
    return sections


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


# ---------------------------------------------------------------- kinds

_GOAL_PART = re.compile(r"(目标|成效|指标|预期)")
_MEASURE_PART = re.compile(r"(保障|组织实施|实施保障|工作要求|组织领导)")
_ACTION_PART = re.compile(r"(行动|任务|举措|措施|工作|重点|工程|计划)")


def assign_kinds(sections: list[Section]) -> None:
    """Mark Goal / Measure / Action sections from the titles of their parts.

    Everything under a part titled like 目标/成效 is a Goal; under 保障 a
    Measure; under 行动/任务/举措 the leaves are Actions (refined later by
    the responsibility step: a section holding its own note is an Action).
    """
    by_path = {s.path: s for s in sections}
    children: dict[str | None, list[Section]] = {}
    for s in sections:
        children.setdefault(s.parent, []).append(s)

    def ancestors(s: Section):
        p = s.parent
        while p is not None:
            a = by_path[p]
            yield a
            p = a.parent

    for s in sections:
        kind = None
        for a in ancestors(s):
            if _GOAL_PART.search(a.title):
                kind = "Goal"
                break
            if _MEASURE_PART.search(a.title):
                kind = "Measure"
                break
            if _ACTION_PART.search(a.title) and not children.get(s.path):
                kind = "Action"
                break
        s.kind = kind
