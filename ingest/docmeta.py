"""The document level: what kind of document a text is, which government
issued it, when it was signed, published and takes effect, whom it is
addressed and copied to, what it attaches, and which other documents it
relies on or repeals.

Pure functions over the normalised text (full-width ASCII already folded, so
``（`` reads ``(`` and ``：`` reads ``:``).  The *structure* step calls the
header helpers; :func:`read_document_level` is the pipeline step that reads
the rest.  This module imports nothing from the other ingest steps, so any of
them may import it.
"""

from __future__ import annotations

import calendar
import re
from .jurisdiction import (  # noqa: F401  (re-exported: the document level reads them from here)
    MUNICIPALITIES,
    PROVINCES,
    jurisdiction_chain,
    jurisdiction_of,
    jurisdiction_of_title,
    jurisdiction_parts,
    level_from_doc_number,
)
from .model import DocRef, Document, ListItem, Meta
from .numerals import CN_DATE_RE, parse_cn_date, to_int

# ---------------------------------------------------------------- document types

# The 15 statutory types of 《党政机关公文处理工作条例》 (命令 is also written 令).
DOC_TYPES = ("决议", "决定", "命令", "令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示",
             "批复", "议案", "函", "纪要")
# Genres of plans and rules that a notice transmits; each maps to its base genre.
PLAN_GENRES = ("行动方案", "实施方案", "工作方案", "方案", "规划", "计划", "纲要", "办法", "细则", "规定", "条例",
               "措施", "要点", "指南", "意见", "决定", "清单", "规则", "标准", "任务分工表", "分工表")
_BASE_GENRE = {"行动方案": "方案", "实施方案": "方案", "工作方案": "方案", "任务分工表": "分工表"}
_STATUTORY_ALIAS = {"令": "命令", "复函": "函"}
# Bracketed trailers after the genre: (试行), (2021—2023年), (征求意见稿) …
_TITLE_TRAILER = r"(?:\s*[(（](?:试行|暂行|修订|修正|草案|征求意见稿|送审稿|\d{4}\s*[—–\-~～至到]\s*\d{4}\s*年?|\d{4}\s*年(?:版|度)?)[)）])*"
TITLE_END_RE = re.compile(
    r"(?:" + "|".join(sorted(set(DOC_TYPES + PLAN_GENRES + ("复函",)), key=len, reverse=True)) + r")"
    + _TITLE_TRAILER + r"\s*$"
)


def doc_type(title: str | None) -> str | None:
    """The statutory type a title ends with, else the base genre of a plan.

    >>> doc_type("上海市普陀区人民政府办公室关于印发《普陀区全面推进城市数字化转型行动方案》的通知")
    '通知'
    >>> doc_type("普陀区全面推进城市数字化转型行动方案"), doc_type("某市数字经济三年行动计划(2021—2023年)")
    ('方案', '计划')
    >>> doc_type("上海市人民政府令"), doc_type("关于同意设立某开发区的批复")
    ('命令', '批复')
    """
    if not title:
        return None
    t = re.sub(_TITLE_TRAILER + r"\s*$", "", title.strip())
    for dt in sorted(set(DOC_TYPES + PLAN_GENRES + ("复函",)), key=len, reverse=True):
        if t.endswith(dt):
            return _STATUTORY_ALIAS.get(dt) or _BASE_GENRE.get(dt, dt)
    return None


def title_period(title: str | None) -> tuple[str, str] | None:
    """The period a title names (``(2021—2023年)``, ``"十四五"``), as ISO dates.

    A year range in a title is the plan's period, not a target.

    >>> title_period("某区数字化转型三年行动计划(2021—2023年)")
    ('2021-01-01', '2023-12-31')
    >>> title_period("某省“十四五”数字经济发展规划")
    ('2021-01-01', '2025-12-31')
    """
    if not title:
        return None
    m = re.search(r"(\d{4})\s*[—–\-~～至到]\s*(\d{4})\s*年", title)
    if m and int(m.group(1)) <= int(m.group(2)):
        return f"{m.group(1)}-01-01", f"{m.group(2)}-12-31"
    m = re.search(r"十([一二三四五六七八九])五", title)  # the N-th five-year plan (十四五 = 14th)
    if m:
        n = 10 + to_int(m.group(1))
        start = 1966 + 5 * (n - 3)  # the 3rd plan ran 1966–1970; every one since is five years
        return f"{start}-01-01", f"{start + 4}-12-31"
    return None


# ---------------------------------------------------------------- dates

_ISO_LIKE = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")
DATE_PATTERN = r"(?:\d{4}|[一二三四五六七八九〇○零]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日"


def parse_date(s: str) -> str | None:
    """ISO date of the first full date in ``s``: ``2022年6月15日``,
    ``二〇二二年六月十五日``, ``2022-06-15``, ``2022/6/15``, ``2022.06.15``.

    >>> parse_date("2022.06.15"), parse_date("二〇二二年六月十五日"), parse_date("2022-02-30")
    ('2022-06-15', '2022-06-15', None)
    """
    got = parse_cn_date(s)
    if got:
        return got
    m = _ISO_LIKE.search(s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def is_date_line(text: str) -> bool:
    """A line that is only a date (a signature date)."""
    t = text.replace(" ", "")
    return bool(CN_DATE_RE.fullmatch(t) or _ISO_LIKE.fullmatch(t))


def reference_date(meta: Meta) -> str | None:
    """The date relative deadlines (``6月底``) count from: the signing date,
    else the adoption or publication date, else 1 January of the 文号 year."""
    for d in (meta.issued, meta.adopted_date, meta.published):
        if d:
            return d
    if meta.doc_number:
        m = re.search(r"[〔\[【(（]\s*(\d{4})\s*[〕\]】)）]", meta.doc_number)
        if m:
            return f"{m.group(1)}-01-01"
    m = re.search(r"(\d{4})\s*年", meta.title or "")
    if m and not title_period(meta.title):
        return f"{m.group(1)}-01-01"
    return None


# ---------------------------------------------------------------- portal header

# Labels of the metadata table a government portal prints above a document.
PORTAL_LABELS = ("索引号", "主题分类", "体裁分类", "组配分类", "服务对象分类", "信息分类", "分类", "发文机关",
                 "发文机构", "发布机构", "发布单位", "成文日期", "发布日期", "生成日期", "公开日期", "发文日期",
                 "发文字号", "文号", "标题", "名称", "有效性", "公开方式", "公开范围", "主题词", "施行日期",
                 "生效日期", "失效日期", "废止日期")
_PORTAL_LABEL = "|".join(sorted(PORTAL_LABELS, key=len, reverse=True))
# label:value pairs, or label<TAB>value cells of a metadata table a web page or a Word file renders as a row
_PORTAL_FIELD = re.compile(
    rf"(?P<label>{_PORTAL_LABEL})(?:\s*[:]\s*|\t+)(?P<value>.*?)(?=\s*(?:{_PORTAL_LABEL})(?:\s*[:]|\t)|$)")
_PORTAL_LINE = re.compile(rf"^(?:{_PORTAL_LABEL})(?:\s*[:]|\t)")


def read_portal_header(lines: list) -> tuple[dict[str, str], int]:
    """``label → value`` of a portal metadata block at the top, and how many
    of ``lines`` (objects with ``.text``) it takes.

    >>> class L:
    ...     def __init__(self, t): self.text = t
    >>> read_portal_header([L("索引号:A-1 主题分类:科技"), L("发布日期:2022-06-20"), L("某区关于X的通知")])
    ({'索引号': 'A-1', '主题分类': '科技', '发布日期': '2022-06-20'}, 2)
    >>> read_portal_header([L("索引号\\tA-1\\t发布日期\\t2022-06-20"), L("某区关于X的通知")])[0]
    {'索引号': 'A-1', '发布日期': '2022-06-20'}
    """
    fields: dict[str, str] = {}
    last = -1
    for i, ln in enumerate(lines[:20]):
        if _PORTAL_LINE.match(ln.text):
            for m in _PORTAL_FIELD.finditer(ln.text):
                fields.setdefault(m.group("label"), m.group("value").strip())
            last = i
        elif last >= 0 or i >= 3:
            break  # the block is over, or it never started
    return fields, last + 1


def apply_portal_header(meta: Meta, fields: dict[str, str]) -> None:
    """Fill what the portal header states and the document itself did not."""
    def first(*labels: str) -> str | None:
        return next((fields[k] for k in labels if fields.get(k)), None)

    meta.index_number = first("索引号")
    meta.category = first("主题分类", "分类", "信息分类", "体裁分类", "组配分类")
    published = first("发布日期", "生成日期", "公开日期")
    meta.published = parse_date(published) if published else None
    signed = first("成文日期", "发文日期")
    if signed and not meta.issued:
        meta.issued = parse_date(signed)
        meta.issued_text = signed
    number = first("发文字号", "文号")
    if number and not meta.doc_number and DOC_NUMBER_RE.search(number):
        meta.doc_number = re.sub(r"\s+", "", DOC_NUMBER_RE.search(number).group(0))
    title = first("标题", "名称")
    if title and not meta.title:
        meta.title = title
    issuer = first("发文机关", "发文机构", "发布机构", "发布单位")
    if issuer and not meta.issuer:
        meta.issuer = re.split(r"\s+|、", issuer)[0]
    effective = first("施行日期", "生效日期")
    if effective and not meta.effective:
        meta.effective = parse_date(effective)
    until = first("失效日期", "废止日期")
    if until and not meta.valid_until:
        meta.valid_until = parse_date(until)


DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fff]{1,15}\s*[〔\[【(（]\s*(\d{4})\s*[〕\]】)）]\s*(\d{1,5})\s*号")

# ---------------------------------------------------------------- addressees

# Administrative divisions that a 主送 list names by type (各省、自治区、直辖市人民政府).
_DIVISION = (r"(?:计划单列市|副省级市|直辖市|自治区|自治州|自治县|自治旗|县级市|市辖区|地区|乡镇|街道|省|市|州|盟|县|区|旗|乡|镇)"
             r"(?:[(（][^()（）]*[)）])?")
_ORG_HEAD = re.compile(r"(?:人民政府|政府|委员会|办公厅|办公室|党委|委|办|局|厅|部门|单位|机构|机关|中心|法院|检察院|人大|政协)$")


def split_addressees(s: str) -> list[str]:
    """Split a 主送/抄送 list into addressees.

    Commas always separate addressees.  A 、-list is several addressees only
    when its items are divisions sharing one head noun
    (``各省、自治区、直辖市人民政府``); other 、-lists name one collective
    addressee and stay whole (``区政府各委、办、局``).

    >>> split_addressees("区政府各委、办、局,各街道办事处、镇政府")
    ['区政府各委、办、局', '各街道办事处、镇政府']
    >>> split_addressees("各省、自治区、直辖市人民政府,国务院各部委、各直属机构")
    ['各省人民政府', '各自治区人民政府', '各直辖市人民政府', '国务院各部委、各直属机构']
    >>> split_addressees("各区、县及街道、镇人民政府")
    ['各区人民政府', '各县人民政府', '各街道人民政府', '各镇人民政府']
    >>> split_addressees("省发展改革委、省科技厅、省财政厅")
    ['省发展改革委', '省科技厅', '省财政厅']
    """
    out: list[str] = []
    for group in _split_outside_brackets(s, ",，;；"):
        g = group.strip().rstrip("。.")
        if g:
            out.extend(_whole_bodies(g) or _expand_divisions(g))
    return out


def _whole_bodies(group: str) -> list[str] | None:
    """A 、-list of whole body names (省发展改革委、省科技厅) is one addressee each;
    not a collective (各委、办、局; 各街道办事处、镇政府; 市政府各部门、各直属机构)."""
    items = [x.strip() for x in _split_outside_brackets(group, "、")]
    if len(items) >= 2 and all(len(x) >= 3 and _ORG_HEAD.search(x) and not re.search(r"各|有关|直属|所属", x)
                               for x in items):
        return items
    return None


def _split_outside_brackets(s: str, seps: str) -> list[str]:
    parts, depth, cur = [], 0, []
    for ch in s:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def _expand_divisions(group: str) -> list[str]:
    items = [x.strip() for x in _split_outside_brackets(group, "、")]
    if len(items) < 2 or not all(items):
        return [group]
    prefix = "各" if items[0].startswith("各") else ""
    bare: list[str] = []
    for n, item in enumerate(items):
        item = item[1:] if item.startswith("各") else item
        divisions, rest = _leading_divisions(item)
        if not divisions or (rest and n < len(items) - 1):
            return [group]
        bare.extend(divisions)
    head = rest
    if not head or not _ORG_HEAD.search(head):
        return [group]
    return [f"{prefix}{b}{head}" for b in bare]


def _leading_divisions(item: str) -> tuple[list[str], str]:
    """``直辖市及计划单列市工信部门`` → ``(['直辖市', '计划单列市'], '工信部门')``."""
    out: list[str] = []
    pos = 0
    while True:
        m = re.match(_DIVISION, item[pos:])
        if not m:
            break
        out.append(item[pos:pos + m.end()])
        pos += m.end()
        j = re.match(r"(?:以及|及|和|与)(?=" + _DIVISION + ")", item[pos:])
        if not j:
            break
        pos += j.end()
    return out, item[pos:]


_CC_LINE = re.compile(r"^抄送(?:机关|单位)?\s*[:]\s*(?P<names>.+)$")
_TO_LINE = re.compile(r"^主送(?:机关|单位)?\s*[:]\s*(?P<names>.+)$")


def read_copied_to(lines: list) -> list[str]:
    """The 抄送 bodies (a ``抄送:`` line, possibly wrapped onto the next line)."""
    for i, ln in enumerate(lines):
        m = _CC_LINE.match(ln.text)
        if m:
            names = m.group("names")
            j = i + 1
            while not names.rstrip().endswith(("。", ".")) and j < len(lines) and j <= i + 2:
                nxt = lines[j].text
                if is_date_line(nxt) or "印发" in nxt or _PORTAL_LINE.match(nxt) or len(nxt) > 80:
                    break
                names += nxt
                j += 1
            return split_addressees(names)
    return []


def read_addressed_line(lines: list) -> list[str]:
    """Addressees from an explicit ``主送:`` line."""
    for ln in lines:
        m = _TO_LINE.match(ln.text)
        if m:
            return split_addressees(m.group("names"))
    return []


# ---------------------------------------------------------------- attachments

_ATTACH_LABEL = re.compile(r"^附\s*件\s*(?P<n>[\d一二三四五六七八九十]*)\s*[:]\s*(?P<rest>.*)$")
_ATTACH_ITEM = re.compile(r"^(?P<n>\d{1,2})\s*[.、]\s*(?P<title>.+)$")
_ATTACH_MARKER = re.compile(r"^附\s*[件表]\s*[\d一二三四五六七八九十]*\s*[:]?$")


def read_attachments(lines: list) -> tuple[list[str], set[int]]:
    """The 附件 list: titles, and the indices of the lines it takes (so the
    heading parser does not read ``1. 《…》`` items as sections).

    Accepts ``附件:1.《A》`` followed by ``2.《B》`` lines, a one-line list, and
    bare ``附件1`` markers followed by the attachment's title line.
    """
    titles: list[str] = []
    used: set[int] = set()
    for i, ln in enumerate(lines):
        m = _ATTACH_LABEL.match(ln.text)
        if m and m.group("rest").strip():
            used.add(i)
            rest = m.group("rest").strip()
            parts = [p for p in re.split(r"\s*(?:^|\s)\d{1,2}\s*[.、]\s*", rest) if p.strip()]
            titles.extend(_clean_attachment(p) for p in (parts or [rest]))
            if re.match(r"\d{1,2}\s*[.、]", rest):
                j = i + 1
                while j < len(lines):
                    im = _ATTACH_ITEM.match(lines[j].text)
                    if not im or len(lines[j].text) > 80:
                        break
                    titles.append(_clean_attachment(im.group("title")))
                    used.add(j)
                    j += 1
            continue
        if _ATTACH_MARKER.match(ln.text.replace(" ", "")) and i + 1 < len(lines):
            nxt = lines[i + 1].text
            if len(nxt) <= 60 and not _ATTACH_MARKER.match(nxt) and not is_date_line(nxt):
                title = _clean_attachment(nxt)
                if title not in titles:
                    titles.append(title)
    return [t for t in titles if t], used


def _clean_attachment(t: str) -> str:
    t = t.strip().rstrip("。;；,，")
    m = re.fullmatch(r"《([^《》]+)》(.*)", t)
    if m and not m.group(2).strip():
        return m.group(1).strip()
    return t


# ---------------------------------------------------------------- effect and validity

_EFFECTIVE_DATE = re.compile(rf"(?:自|从|于)\s*(?P<date>{DATE_PATTERN})\s*起\s*(?:正式)?(?:施行|实施|执行|生效|试行)")
_EFFECTIVE_ISSUE = re.compile(r"自\s*(?P<event>印发|下发|发文|签发|发布|公布|颁布|公开发布)\s*之日起\s*(?:正式)?(?:施行|实施|执行|生效|试行)")
_VALID_YEARS = re.compile(r"有效期(?:限)?\s*(?:为|是)?\s*(?P<n>\d{1,2}|[一二三四五六七八九十两]{1,2})\s*年")
_VALID_UNTIL = re.compile(rf"有效期(?:限)?\s*(?:自\s*(?P<from>{DATE_PATTERN})\s*起?\s*)?至\s*(?P<date>{DATE_PATTERN})")


def read_effect(doc: Document) -> None:
    """``自2023年1月1日起施行``, ``自印发之日起施行``, ``有效期5年``,
    ``有效期至2027年12月31日`` → ``meta.effective``, ``validity``, ``valid_until``."""
    text, meta = doc.text, doc.meta
    hits = list(_EFFECTIVE_DATE.finditer(text))
    if hits:
        meta.effective = meta.effective or parse_date(_prefer_own(text, hits).group("date"))
    else:
        issue_hits = list(_EFFECTIVE_ISSUE.finditer(text))
        if issue_hits:
            event = _prefer_own(text, issue_hits).group("event")
            if event in ("发布", "公布", "公开发布", "颁布") and meta.published:
                meta.effective = meta.effective or meta.published
            else:
                meta.effective = meta.effective or meta.issued
    until = _VALID_UNTIL.search(text)
    if until:
        if until.group("from") and not meta.effective:
            meta.effective = parse_date(until.group("from"))
        meta.valid_until = meta.valid_until or parse_date(until.group("date"))
        meta.validity = meta.validity or text[until.start():until.end()]
    years = _VALID_YEARS.search(text)
    if years:
        n = to_int(years.group("n"))
        meta.validity = meta.validity or f"{n}年"
        if meta.effective and not meta.valid_until:
            y, mo, d = (int(x) for x in meta.effective.split("-"))
            y += n
            d = min(d, calendar.monthrange(y, mo)[1])
            from datetime import date, timedelta

            meta.valid_until = (date(y, mo, d) - timedelta(days=1)).isoformat()


def _prefer_own(text: str, hits: list[re.Match]) -> re.Match:
    """Of several effect clauses, the one about this document (本办法/本方案 …), else the last."""
    for m in hits:
        sent_start = max(text.rfind(c, 0, m.start()) for c in "。;\n") + 1
        if text[sent_start:m.start()].lstrip().startswith("本"):
            return m
    return hits[-1]


# ---------------------------------------------------------------- links between documents

_QUOTED = r"《(?P<t{i}>[^《》]{{2,100}})》(?:\s*[(（](?P<n{i}>[^()（）]{{2,40}}?号)[)）])?"
_REF_CUE = re.compile(r"(?:为)?(?:深入)?(?:认真)?(?:根据|按照|依据|依照|遵照|落实|贯彻|贯彻落实|贯彻执行|执行|对照|参照|结合)")
_TITLE_RUN = re.compile(r"《(?P<title>[^《》]{2,100})》(?:\s*[(（](?P<num>[^()（）]{2,40}?号)[)）])?")
_RUN_JOIN = re.compile(r"\s*(?:、|和|及|以及|与|,|，)?\s*")
_REPEAL = re.compile(r"(?:同时|一并|予以|即行)?(?:废止|不再执行|停止执行|失效)")
_SENTENCE_END = re.compile(r"[。;；!?！？\n]")


def find_references(doc: Document) -> list[DocRef]:
    """根据《…》/按照《…》/落实《…》 → references; 《…》…同时废止/不再执行/停止执行 → repeals.

    A 文号 in brackets after the title is kept.  The plan the document
    transmits and the document's own title are not references.
    """
    text = doc.text
    own = {_squash(t) for t in (doc.meta.title, doc.meta.plan_title) if t}
    refs: list[DocRef] = []
    seen: set[tuple[str, int]] = set()
    for m in _TITLE_RUN.finditer(text):
        if _squash(m.group("title")) in own:
            continue
        s_start = _sentence_start(text, m.start())
        s_end = _sentence_end(text, m.end())
        sentence_after = text[m.end():s_end]
        kind = None
        if _REPEAL.search(sentence_after) and not re.search(r"有效期", sentence_after):
            kind = "repeals"
        elif _cued(text, s_start, m.start()):
            kind = "references"
        if kind is None:
            continue
        key = (kind, m.start())
        if key in seen:
            continue
        seen.add(key)
        num = m.group("num")
        if num and not DOC_NUMBER_RE.search(num):
            num = None
        refs.append(DocRef(start=m.start("title"), end=m.end("title"), kind=kind, title=m.group("title").strip(),
                           doc_number=re.sub(r"\s+", "", DOC_NUMBER_RE.search(num).group(0)) if num else None))
    return refs


def _sentence_start(text: str, pos: int) -> int:
    best = -1
    for m in _SENTENCE_END.finditer(text, max(0, pos - 300), pos):
        best = m.end()
    return best if best >= 0 else max(0, pos - 300)


def _sentence_end(text: str, pos: int) -> int:
    m = _SENTENCE_END.search(text, pos, pos + 300)
    return m.start() if m else min(len(text), pos + 300)


def _cued(text: str, s_start: int, title_start: int) -> bool:
    """Is the title at ``title_start`` the object of a 根据/按照/落实 … cue?

    The cue may govern a run of titles (``根据《A》、《B》和《C》``) and may be
    separated from its first title by a short issuer phrase
    (``按照市政府印发的《…》``), never by a comma or another title run.
    """
    before = text[s_start:title_start]
    # walk back over earlier titles of the same run
    while True:
        m = re.search(r"《[^《》]{2,100}》(?:\s*[(（][^()（）]{2,40}?号[)）])?" + _RUN_JOIN.pattern + r"$", before)
        if not m:
            break
        before = before[:m.start()]
    cue = None
    for c in _REF_CUE.finditer(before):
        cue = c
    if cue is None:
        return False
    gap = before[cue.end():]
    return len(gap) <= 20 and not re.search(r"[,，:：]", gap)


def _squash(s: str) -> str:
    return re.sub(r"[\s《》]", "", s)


# ---------------------------------------------------------------- list items


_ITEM_MARKER = re.compile(r"(?:(?<=^)|(?<=[。;；:：,，\s]))(?P<m>[一二三四五六七八九十]{1,3}是|[①-⑳])")


def list_items(text: str, start: int = 0, end: int | None = None) -> list[ListItem]:
    """Items marked by 一是…二是… or ①②③ in ``text[start:end]``; each item runs
    to the next marker of the same kind or the end of its paragraph.

    >>> t = "加强保障:一是健全机制;二是强化考核。"
    >>> [(i.marker, t[i.start:i.end]) for i in list_items(t)]
    [('一是', '一是健全机制;'), ('二是', '二是强化考核。')]
    """
    end = len(text) if end is None else end
    marks = [m for m in _ITEM_MARKER.finditer(text, start, end)]
    items: list[ListItem] = []
    for kind_circled in (False, True):
        ms = [m for m in marks if ("是" not in m.group("m")) == kind_circled]
        if kind_circled is False:
            # 一是 … 二是: keep only runs that start at 一是
            ms = _ordered_run(ms)
        for i, m in enumerate(ms):
            para_end = text.find("\n", m.start(), end)
            para_end = end if para_end < 0 else para_end
            nxt = ms[i + 1].start() if i + 1 < len(ms) and ms[i + 1].start() < para_end else para_end
            items.append(ListItem(m.start(), _rstrip(text, m.start(), nxt), m.group("m")))
    return sorted(items, key=lambda x: x.start)


def _ordered_run(ms: list[re.Match]) -> list[re.Match]:
    out: list[re.Match] = []
    expected = 1
    for m in ms:
        n = to_int(m.group("m")[:-1])
        if n == 1:
            expected = 1
        if n == expected:
            out.append(m)
            expected += 1
    return out


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


# ---------------------------------------------------------------- bundles

_LETTERHEAD = re.compile(r".{2,40}文件$")


def split_bundle(text: str) -> list[tuple[int, int]]:
    """Where each document of a file that bundles several starts and ends.

    A new document starts at a second header block: a line holding only a
    文号 (with the letterhead line before it, if any) or a portal metadata
    block, followed within a few lines by a title, after the first
    document's own header.  A file with one document gives one span.

    >>> t = "甲市人民政府文件\\n甲政发〔2023〕1号\\n关于A的通知\\n正文。\\n甲市人民政府\\n2023年1月1日\\n乙政发〔2023〕2号\\n关于B的通知\\n正文。\\n"
    >>> [t[a:b].splitlines()[0] for a, b in split_bundle(t)]
    ['甲市人民政府文件', '乙政发〔2023〕2号']
    """
    lines = []
    pos = 0
    for raw in text.split("\n"):
        if raw.strip():
            lead = len(raw) - len(raw.lstrip())
            lines.append((pos + lead, raw.strip()))
        pos += len(raw) + 1
    starts = [0]
    first_header = None
    body_seen = False
    i = 0
    while i < len(lines):
        start, t = lines[i]
        is_number = _number_line(t)
        is_portal = bool(_PORTAL_LINE.match(t))
        if first_header is None and (is_number or is_portal) and i < 15:
            first_header = i
            i += 1
            while i < len(lines) and _PORTAL_LINE.match(lines[i][1]):
                i += 1
            continue
        if (is_number or is_portal) and body_seen and _title_follows(lines, i):
            cut = i
            if is_number and i > 0 and _LETTERHEAD.fullmatch(lines[i - 1][1]):
                cut = i - 1
            if cut > 0 and not _PORTAL_LINE.match(lines[cut - 1][1]):
                starts.append(lines[cut][0])
                body_seen = False
                i += 1
                while i < len(lines) and (_PORTAL_LINE.match(lines[i][1]) or _number_line(lines[i][1])):
                    i += 1
                continue
        if len(t) > 30 or is_date_line(t):
            body_seen = True
        i += 1
    ends = starts[1:] + [len(text)]
    return [(a, b) for a, b in zip(starts, ends)]


def _number_line(t: str) -> bool:
    m = DOC_NUMBER_RE.search(t)
    return bool(m) and len(t) <= len(m.group(0)) + 2 and m.start() <= 2


def _title_follows(lines: list[tuple[int, str]], i: int) -> bool:
    for _, t in lines[i + 1:i + 8]:
        if TITLE_END_RE.search(t) and not t.endswith((":", "：")):
            return True
    return False


# ---------------------------------------------------------------- the step


def read_document_level(doc: Document) -> Document:
    """Pipeline step *document*: effect and validity, the period a title
    names, references and repeals, and list items."""
    read_effect(doc)
    period = title_period(doc.meta.plan_title or doc.meta.title)
    if period and not doc.meta.period_start:
        doc.meta.period_start, doc.meta.period_end = period
    doc.references = find_references(doc)
    doc.items = list_items(doc.text)
    return doc
