"""Step 3, *structure*: the header (issuer, 文号, title, addressees, dates, the
attached plan) and the heading tree 一、/（一）/1./(1)/①/第一章/第一条 with spans,
plus the task tables (their rows become sections in the *tables* step).

Works on the normalised text (full-width ASCII already folded, so ``（一）``
reads ``(一)`` and ``１．`` reads ``1.``).  The document-level helpers (types,
dates, portal headers, addressees, jurisdictions) live in
:mod:`policykg.ingest.docmeta`; their names are re-exported here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .docmeta import (  # noqa: F401  (re-exported: the jurisdiction helpers used to live here)
    DOC_NUMBER_RE,
    DOC_TYPES,
    MUNICIPALITIES,
    PLAN_GENRES,
    PROVINCES,
    TITLE_END_RE,
    apply_portal_header,
    doc_type,
    is_date_line,
    jurisdiction_chain,
    jurisdiction_of,
    jurisdiction_of_title,
    jurisdiction_parts,
    level_from_doc_number,
    parse_date,
    read_addressed_line,
    read_attachments,
    read_copied_to,
    read_portal_header,
    reference_date,
    split_addressees,
)
from .model import Document, Meta, Section, Span
from .numerals import parse_cn_date, to_int

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

# A responsibility note closing a heading line: (责任单位:A) / (A牵头,B配合)
_TRAILING_NOTE = re.compile(r"\((?:[^()]*(?:单位|部门)\s*:[^()]*|[^()]{2,}?(?:牵头|负责|配合)[^()]*)\)\s*$")
# Sentence-final punctuation that ends an inline heading title.
_INLINE_END = re.compile(r"[。]")
# Lines that only look like headings: a list marker followed by a number or
# a unit (1.5亿元), or a date.
_NOT_HEADING_AFTER = re.compile(r"^\s*(?:\d|年|月|日|%|号)")

_TITLE_END = TITLE_END_RE
_ORG_ENDING = re.compile(r"(?:人民政府|政府|办公室|办公厅|委员会|委|局|厅|部|署|办|中心|院|会|处|集团|公司)(?:文件)?$")
# 已经2022年3月11日区政府第4次常务会议审议通过: the meeting ends at 会议 before 审议通过;
# its start is the nearest 已经/经 cue (and date) before it.
_ADOPTION = re.compile(r"(?P<meeting>[^,，。;；《》]{2,60}?(?:会议|常务会|办公会|全体会))\s*(?:审议|研究|讨论)?\s*(?:通过|同意)")
_ADOPTION_CUE = re.compile(r"(?:已经|已由|经过|经)\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)?\s*")
# what an addressee's name ends with: a body, a kind of bodies, or a collective of them
_ADDRESSEE_END = re.compile(r"(?:政府|部门|单位|委员会|委|办|局|厅|处|室|中心|机构|机关|企业|公司|集团|院|校|所|街道|镇|乡|"
                            r"办事处|兵团|组织|团体|社区|党委|党组|人大|政协|法院|检察院|银行|协会|学会|商会)$")
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
    """Fill ``doc.meta``, ``doc.tables`` and ``doc.sections`` from ``doc.text``."""
    lines = split_lines(doc.text)
    meta, body_from, skip = _parse_header(doc.text, lines)
    doc.meta = meta
    # imported here: tables reads units (units → structure's names), so a module-level import would be a cycle
    from .responsibility import Spans
    from .tables import detect_tables

    doc.tables = detect_tables(doc.text, body_from, reference_date(meta))
    # table rows and header lines are no headings; a group heading between rows still is
    in_table = Spans([(r.start, r.end) for t in doc.tables for r in t.rows]
                     + [(t.start, doc.text.find("\n", t.start) % (len(doc.text) + 1)) for t in doc.tables])
    region_lines = [ln for i, ln in enumerate(lines) if ln.start >= body_from and i not in skip and ln.start not in in_table]
    region_end = len(doc.text.rstrip())
    which = "plan" if meta.plan_title else "notice"
    doc.sections = _parse_headings(doc.text, region_lines, region_end, which)
    assign_kinds(doc.sections)
    if not doc.sections and not doc.tables:
        doc.warnings.append("no numbered headings found; the document is kept without sections")
    return doc


# ---------------------------------------------------------------- header


def _parse_header(text: str, lines: list[_Line]) -> tuple[Meta, int, set[int]]:
    """Read the header; return the metadata, where the body (plan) starts and
    the indices of lines no heading may come from (portal header, 附件 list)."""
    meta = Meta()
    if not lines:
        return meta, 0, set()
    portal, n_portal = read_portal_header(lines)
    skip = set(range(n_portal))
    top = lines[n_portal:]
    first_heading = next((i for i, ln in enumerate(top) if heading_marker(ln.text)), len(top))
    head = top[: max(first_heading, 1)]

    # 文号 (a line of its own near the top, or anywhere in the header block)
    number_line = None
    for i, ln in enumerate(head[:12]):
        m = DOC_NUMBER_RE.search(ln.text)
        if m and len(ln.text) <= len(m.group(0)) + 20:
            meta.doc_number = re.sub(r"\s+", "", m.group(0))
            number_line = i
            break

    # the title: the first line after the 文号 (or the letterhead) that ends like a title;
    # a title may wrap over two lines
    title_idx = None
    title_from = None
    start_idx = 0 if number_line is None else number_line + 1
    if number_line is not None:
        # no letterhead: the title stands above its 文号 (title, 文号, addressees)
        above = next((i for i in range(number_line) if _TITLE_END.search(head[i].text)), None)
        if above is not None:
            start_idx = max(above - 1, 0)
    for i in range(start_idx, min(len(head), start_idx + 8)):
        t = head[i].text
        if t.endswith("文件") and i == 0:
            continue
        if _TITLE_END.search(t) and not t.endswith(("：", ":")):
            title_idx = i
            prev = head[i - 1] if i > start_idx else None
            if prev is not None and _wraps_into_title(prev.text, t):
                title_from = i - 1
            break
    if title_idx is None and head:
        # a document without 文号 or genre word: the first non-letterhead line
        cand = [i for i in range(start_idx, min(len(head), start_idx + 4)) if not head[i].text.endswith("文件")]
        if cand and len(head[cand[0]].text) <= 80 and not heading_marker(head[cand[0]].text) \
                and not is_date_line(head[cand[0]].text):
            title_idx = cand[0]
    if title_idx is not None:
        tl = head[title_idx]
        first = head[title_from] if title_from is not None else tl
        meta.title = tl.text if title_from is None else first.text + tl.text
        meta.title_span = Span(first.start, tl.end)
        meta.doc_type = doc_type(meta.title)
        if meta.doc_type == "命令" and meta.title.endswith("令"):
            # 某市人民政府令 / 第12号: the decree names its issuer and is cited by its number
            if _ORG_ENDING.search(meta.title[:-1]):
                meta.issuer = meta.title[:-1]
            nxt = head[title_idx + 1].text if title_idx + 1 < len(head) else ""
            if not meta.doc_number and re.fullmatch(r"第\s*[\d一二三四五六七八九十百零〇]+\s*号", nxt):
                meta.doc_number = meta.title + re.sub(r"\s+", "", nxt)

    # letterhead → issuer
    letterhead: list[str] = []
    if top and top[0].text.endswith("文件") and len(top[0].text) > 2:
        meta.issuer = top[0].text[: -len("文件")].strip()
        letterhead = _body_list(meta.issuer)

    after_title = (title_idx + 1) if title_idx is not None else start_idx
    # addressees: the next line ending with a colon, or an explicit 主送: line
    for ln in head[after_title: after_title + 3]:
        if ln.text.endswith((":", "：")) and len(ln.text) < 200 and not heading_marker(ln.text):
            names = split_addressees(ln.text[:-1])
            if sum(1 for n in names if _ADDRESSEE_END.search(n)) * 2 >= len(names):
                meta.addressees = names  # not a lead-in sentence such as 现就有关事项通知如下:
            break
    if not meta.addressees:
        meta.addressees = read_addressed_line(lines)
    meta.copied_to = read_copied_to(lines)

    # adoption: 已经…会议审议通过
    header_text = text[: top[first_heading].start] if first_heading < len(top) else text
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
        if plan_title is None and meta.doc_type in ("命令", "公告", "通告", "决定"):
            # 《某市公共数据管理办法》已经…通过,现予公布: the decree publishes the rules that follow it
            pm = re.search(r"《([^《》]{2,80})》\s*(?:已经|已于|经)[^。]{0,80}?(?:现予|予以|现)(?:公布|发布|颁布)",
                           text[head[title_idx].end if title_idx is not None else 0:_end_of(head)])
            if pm:
                plan_title = pm.group(1).strip()
    signature_idx = None
    signers: list[str] = []
    for i, ln in enumerate(head):
        if title_idx is not None and i <= title_idx:
            continue
        if is_date_line(ln.text):
            signature_idx = i
            meta.issued = parse_date(ln.text)
            meta.issued_text = ln.text
            signers = _signers(head, i)
            if signers:
                meta.issuer = meta.issuer or signers[-1]
            break
    if plan_title:
        norm = _squash(plan_title)
        for ln in top:
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
    if not meta.plan_span and title_idx is not None:
        body_from = head[title_idx].end
    if meta.issued is None:
        # a signature block at the end: issuer line(s) then a date line — before the attachments,
        # when the document carries some (附件:… list, signature, then 附件1 and the attachment)
        for i in _signature_search(lines, n_portal):
            ln = lines[i]
            if is_date_line(ln.text):
                meta.issued = parse_date(ln.text)
                meta.issued_text = ln.text
                signers = _signers(lines, i)
                if signers:
                    meta.issuer = meta.issuer or signers[-1]
                break
    titled: list[str] = []
    if meta.title:
        m = re.match(r"(.{2,80}?)关于", meta.title)
        if m:
            titled = _body_list(m.group(1))
            if meta.issuer is None and _ORG_ENDING.search(m.group(1)) and len(m.group(1)) <= 40:
                meta.issuer = m.group(1)
    # joint issuers: the fullest list the letterhead, the title or the stacked signature gives
    joint = max((x for x in (letterhead, signers, titled) if len(x) >= 2), key=len, default=None)
    if joint:
        meta.issuer = joint[0]
    apply_portal_header(meta, portal)
    meta.issuers = joint or ([meta.issuer] if meta.issuer else [])
    if meta.title and not meta.doc_type:
        meta.doc_type = doc_type(meta.title)
    meta.jurisdiction, meta.level = jurisdiction_of(meta.issuer or "")
    if meta.jurisdiction is None:
        meta.jurisdiction, meta.level = level_from_doc_number(meta.doc_number)
    if meta.jurisdiction is None and not meta.issuer:
        meta.jurisdiction, meta.level = jurisdiction_of_title(meta.plan_title or meta.title)
    meta.attachments, attachment_lines = read_attachments(lines)
    skip |= attachment_lines
    return meta, body_from, skip


def _signers(lines: list[_Line], date_idx: int) -> list[str]:
    """The bodies that sign above a date line, in their order: one per line (stacked
    signatures of joint issuers) or several on one line apart by spaces."""
    out: list[str] = []
    i = date_idx - 1
    while i >= 0 and date_idx - i <= 6:
        names = _body_list(lines[i].text)
        if not names:
            break
        out[:0] = names
        i -= 1
    return out


def _body_list(s: str) -> list[str]:
    """``工业和信息化部 国家发展改革委 财政部`` → each body; ``[]`` unless every part is a body's name."""
    parts = [p for p in re.split(r"[\s、]+", s.strip()) if p]
    if not parts or any(len(p) > 40 or not _ORG_ENDING.search(p) or re.search(r"[,，。;；:：]", p) for p in parts):
        return []
    return parts


_ATTACHMENT_START = re.compile(r"^附\s*[件表]\s*[\d一二三四五六七八九十]*\s*[:：]?$")


def _signature_search(lines: list[_Line], first: int) -> list[int]:
    """Line indices to look for the closing signature at, nearest first: above each bare
    attachment marker (附件 / 附件1), then at the end of the text."""
    order: list[int] = []
    for k, ln in enumerate(lines):
        if k > first and _ATTACHMENT_START.match(ln.text):
            order += range(k - 1, max(k - 8, first) - 1, -1)
    order += range(len(lines) - 1, max(len(lines) - 8, first) - 1, -1)
    return order


def _end_of(head: list[_Line]) -> int:
    return head[-1].end if head else 0


def _wraps_into_title(prev: str, t: str) -> bool:
    """``…关于印发《某区全面推进城市`` + ``数字化转型行动方案》的通知``: one title on two lines."""
    if prev.endswith(("文件", ":", "：", "。")) or DOC_NUMBER_RE.search(prev) or is_date_line(prev):
        return False
    if _TITLE_END.search(prev) or heading_marker(prev):
        return False
    opened = prev.count("《") > prev.count("》")
    return (opened or "关于" in prev) and len(prev) + len(t) <= 120


def _squash(s: str) -> str:
    return re.sub(r"[\s《》]", "", s)


def _doc_type(title: str) -> str | None:
    """Kept for callers of the old name; see :func:`policykg.ingest.docmeta.doc_type`."""
    return doc_type(title)


# ---------------------------------------------------------------- headings


# 专栏1 / 专栏 2 / 专栏三: a box of indicators or projects set into the plan
_BOX = re.compile(rf"^专栏\s*[{_CN_NUM}\d]+")


def _parse_headings(text: str, lines: list[_Line], region_end: int, which: str) -> list[Section]:
    sections: list[Section] = []
    stack: list[Section] = []
    child_count: dict[str | None, int] = {}
    box: _Box | None = None
    for ln in lines:
        if _BOX.match(ln.text):
            # the box closes the item before it and belongs to the section holding that item (unless the
            # next heading goes on with that item's list: then it sat between two items, and is the first's);
            # its own (1)(2)… lines are indicator lines, not headings of the plan
            if box is None:
                if len(stack) >= 2:
                    closed = stack.pop()
                    closed.end = ln.start
                    box = _Box({s.style: s.order + 1 for s in stack + [closed]}, item=closed)
                else:
                    box = _Box({s.style: s.order + 1 for s in stack})
            else:
                box.own.clear()  # the next box
            continue
        hm = heading_marker(ln.text)
        if not hm:
            continue
        style, marker = hm
        if box is not None:
            if box.holds(style, marker, ln.text[len(marker):]):
                continue  # a line of the box
            if box.item is not None and style == box.item.style:
                box.item.end = ln.start  # （二）, 专栏, （三）: the box describes （二）
            box = None
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
            note = _TRAILING_NOTE.search(text, t_start, t_end)
            if note and note.start() > t_start:
                t_end = note.start()  # 1. 建设平台(责任单位:区科委): the note is no part of the title
        title = text[t_start:t_end].strip().rstrip(";,、")  # (一)在本市注册…;: the list's separator is no part of it
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


_INDICATOR_LINE = re.compile(r"^\s*[^。;；,，]{1,24}[:：]")


@dataclass
class _Box:
    """A 专栏 being read: the heading styles open around it, each with the number its list
    goes on with, and the box's own lists."""

    next_number: dict[str, int]
    item: Section | None = None  # the item the box closed
    own: dict[str, int] = field(default_factory=dict)

    def holds(self, style: str, marker: str, rest: str) -> bool:
        """Is a line with this marker one of the box's (not a heading after the box)?"""
        n = _marker_number(marker)
        if style not in self.next_number or n is None:
            return True  # a list style the plan has not opened here: the box's
        if n == 1 or (n == self.own.get(style) and (n != self.next_number[style] or _INDICATOR_LINE.match(rest))):
            self.own[style] = n + 1  # the box's own list (1, 2, … or 5G基站:…)
            return True
        return False


def _marker_number(marker: str) -> int | None:
    """``(3)`` → 3, ``十二、`` → 12, ``第五条`` → 5."""
    digits = re.sub(r"[^\d" + _CN_NUM + "]", "", marker)
    if not digits:
        return None
    try:
        return int(digits) if digits.isdigit() else to_int(digits)
    except (ValueError, KeyError):
        return None


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
