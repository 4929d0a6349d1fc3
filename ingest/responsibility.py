"""Step *responsibility*: who is responsible for each action, in every common form.

Forms read here (after the full-width fold, so ``（责任单位：A）`` reads
``(责任单位:A)``):

* a labelled note: ``(责任单位:A、B)``, ``(牵头单位:A;配合单位:B、C)``,
  ``(6月底完成,牵头考核单位:A)`` (its deadline as an ISO date relative to the
  issue date), and the same labels without brackets at the start of a line;
* a role note: ``(A牵头,B、C按职责分工配合)``, ``(A负责)``;
* a sentence: ``由A牵头`` / ``A牵头负责`` (the section's lead);
* a lead role stated elsewhere: ``A牵头经济数字化转型`` names a part of the
  plan; the unit becomes the lead of the part whose title shares the words;
* a declared convention ``列第一位者为牵头单位``: the first listed unit leads.

Task-table rows are read by :mod:`policykg.ingest.tables`, which calls
:func:`units_in` and :func:`parse_deadline` from here.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .docmeta import parse_date, reference_date
from .model import Document, Responsibility, Section, UnitRef
from .numerals import month_end, to_int
from .units import looks_like_unit, register_unit, stands_alone

_UNIT_WORD = r"(?:单位|部门|处室|机构|主体)"
# 责任单位 / 牵头单位 / 配合单位 / 责任部门 / 牵头考核单位 / 主要责任单位 … followed by a colon
_LABEL = re.compile(
    r"(?P<label>(?:牵头(?:考核|负责)?|主办|主责|主要责任|责任|负责|承办|配合|协办|参与|协同|协助|实施|完成|督办)"
    + _UNIT_WORD + r"(?:\s*[及和]\s*(?:配合|协办)?" + _UNIT_WORD + r")?)\s*[:]"
)
# a short bracket inside a unit name (各县(市)区人民政府, 各市(州)人民政府) belongs to the name
_IN_NAME = r"(?<=[\u4e00-\u9fff])\([\u4e00-\u9fff]{1,4}\)(?=[\u4e00-\u9fff])"
_NOTE = re.compile(r"\((?P<body>(?:[^()]|" + _IN_NAME + r"){2,300}?(?:单位|部门|处室|机构|主体|牵头|负责|配合)"
                   r"(?:[^()]|" + _IN_NAME + r"){0,300}?)\)")
# a note's label without brackets, opening a line or following a full stop
_BARE = re.compile(r"(?:^|(?<=[。;；\n]))[ \t]*(?=" + _LABEL.pattern + r")(?P<body>[^\n]+)", re.M)
# a bracket of bare unit names closing a paragraph: (区科委、区财政局)
_PLAIN_NOTE = re.compile(r"\((?P<body>[^()]{2,120})(?P<close>\))[ \t。.]*(?=\n|$)")
_LEAD_WORDS = ("牵头", "主办", "主责", "主要责任", "负责")
_SUPPORT_WORDS = ("配合", "协办", "参与", "协同", "协助", "会同")
# one clause of a role note: (由)A、B + role word
_ROLE_CLAUSE = re.compile(
    r"\s*(?:由|请|并由)?(?P<names>(?:[^,，;；:()]|" + _IN_NAME + r"){2,200}?)\s*"
    r"(?P<role>牵头负责|负责牵头|牵头抓总|牵头|按职责分工负责|按照职责分工负责|分工负责|负责|主办|"
    r"按职责分工配合|按照职责分工配合|按职责配合|分工配合|协助配合|配合|协办|参与|协助)"
    r"(?:单位|部门|实施|落实|推进)?\s*"
)
_CLAUSE_SPLIT = re.compile(r"[,，;；]")
# 列第一位者为牵头单位 / 排在首位的为牵头部门 / 第一个单位为牵头单位 …
_CONVENTION = re.compile(
    r"(?:(?:列|排|排列|列于|位列|排在|列在)\s*(?:第一|首)\s*(?:位|个)?|第一(?:个|家)|首位|首个)(?:者|的)?(?:单位|部门)?\s*"
    r"(?:为|是|系)\s*牵头(?:单位|部门)"
    r"|牵头(?:单位|部门)\s*(?:列|排)(?:在|于)?\s*(?:第一|首)\s*位"  # 牵头单位列第一位
)
# …,其他单位按职责分工配合: the same convention makes the units listed after the first supporting units
_CONVENTION_REST = re.compile(r"(?:其他|其余|其它)\s*(?:单位|部门)?\s*(?:按职责分工|按照职责分工|按职责)?\s*(?:配合|协办|协助|参与)")


def first_listed_roles(text: str) -> tuple[bool, bool]:
    """What a declared convention says: (the first listed unit leads, the others support).

    >>> first_listed_roles("列第一位者为牵头单位,其他单位按职责分工配合。"), first_listed_roles("列第一位者为牵头单位。")
    ((True, True), (True, False))
    """
    m = _CONVENTION.search(text)
    if m is None:
        return False, False
    end = text.find("。", m.end())
    return True, bool(_CONVENTION_REST.search(text, m.end(), end if end >= 0 else len(text)))


_TIME = (
    r"(?:\d{4}\s*年\s*)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?:份)?(?:\d{1,2}\s*日|底|末|上旬|中旬|下旬)?"
    r"|\d{4}\s*年\s*(?:底|末|年底|年末|上半年|下半年|第[一二三四1-4]季度)?"
    r"|\d{4}\s*[.\-/]\s*\d{1,2}(?:\s*[.\-/]\s*\d{1,2})?"
    r"|(?:年底|年末|上半年|下半年|年内|第[一二三四1-4]季度)"
)
_NOTE_DEADLINE = re.compile(
    r"(?:完成)?(?:时限|时间|期限|时间节点|进度)\s*[:]\s*(?P<a>[^;；,，]+)"
    r"|(?P<b>(?:" + _TIME + r")\s*(?:前|以前|之前)?)\s*(?:完成|到位|落实|建成|上线)"
    r"|(?P<c>(?:" + _TIME + r")\s*(?:前|以前|之前))"
)
_TIME_CLAUSE = re.compile(r"\s*(?:(?:完成)?(?:时限|时间|期限|时间节点)\s*[:]\s*)?(?:" + _TIME + r")\s*(?:前|以前|之前)?\s*"
                          r"(?:完成|到位|落实|建成|上线)?\s*")
_SPLIT = re.compile(r"\s*[、,，/／;；]\s*")
_JOINERS = re.compile(r"(?:以及|及|和|与)")
_LEAD_MARK = re.compile(r"[(]\s*牵头\s*[)]")  # 区科委(牵头) in a table cell


# ---------------------------------------------------------------- unit lists


def split_units(s: str, base: int) -> list[tuple[str, int, int]]:
    """Split a list of unit names into ``(name, start, end)`` with offsets.

    ``base`` is the offset of ``s`` in the document.  及/和/与 split only where
    both halves look like unit names.

    >>> [n for n, _, _ in split_units("区科委、区建管委", 0)]
    ['区科委', '区建管委']
    >>> [n for n, _, _ in split_units("区教育局和区体育局", 0)]
    ['区教育局', '区体育局']
    >>> [n for n, _, _ in split_units("县自然资源和规划局", 0)]
    ['县自然资源和规划局']

    A space splits only between two whole names (a Word cell's paragraphs), not inside one:

    >>> [n for n, _, _ in split_units("区财政局 各街道办事处", 0)], [n for n, _, _ in split_units("中共江州市委 宣传部", 0)]
    (['区财政局', '各街道办事处'], ['中共江州市委 宣传部'])
    """
    out: list[tuple[str, int, int]] = []
    pos = 0
    for piece in _SPLIT.split(s):
        i = s.find(piece, pos)
        if i < 0 or not piece:
            continue
        pos = i + len(piece)
        for name, a, b in (x for sp, at in _split_spaced(piece, i) for x in _split_joined(sp, at)):
            trimmed = _trim_unit(name)
            if not trimmed:
                continue
            off = name.find(trimmed)
            out.append((trimmed, base + a + off, base + a + off + len(trimmed)))
    return out


def _split_spaced(piece: str, at: int) -> list[tuple[str, int]]:
    """Cut ``piece`` at each space between a unit's name and a name that stands alone."""
    if not _SPACE.search(piece.strip()):
        return [(piece, at)]
    parts = []
    last = 0
    for m in _SPACE.finditer(piece):
        nxt = _SPACE.search(piece, m.end())
        right = piece[m.end():nxt.start() if nxt else len(piece)]
        left = piece[last:m.start()]
        if left.strip() and right and looks_like_unit(_trim_unit(left)) and stands_alone(_trim_unit(right)):
            parts.append((left, at + last))
            last = m.end()
    parts.append((piece[last:], at + last))
    return parts


_SPACE = re.compile(r"[ \t\u3000]+")


def _split_joined(piece: str, at: int) -> list[tuple[str, int, int]]:
    parts = []
    last = 0
    for m in _JOINERS.finditer(piece):
        left = piece[last:m.start()]
        right = piece[m.end():]
        if looks_like_unit(_trim_unit(left)) and looks_like_unit(_trim_unit(_SPLIT.split(right)[0])):
            parts.append((left, at + last, at + m.start()))
            last = m.end()
    parts.append((piece[last:], at + last, at + len(piece)))
    return parts


_TRAIL = re.compile(r"(?:等(?:相关|有关)?(?:单位|部门)?|按职责分工|按照职责分工|按职责|分别|共同|各自|[.。;；,，\s])$")
_LEAD_IN = re.compile(r"^(?:由|请|经|并由|会同|各有关单位[:]?|[.。;；,，\s])")


def _trim_unit(name: str) -> str:
    name = name.strip()
    prev = None
    while prev != name:
        prev = name
        name = _TRAIL.sub("", name).strip()
        name = _LEAD_IN.sub("", name).strip()
    return name


def units_in(text: str, base: int, role: str | None = None, *, strict: bool = False) -> list[UnitRef]:
    """The units a note segment or a table cell names, with their roles.

    Role clauses (``A牵头,B、C配合``) give each unit its role; a plain list
    gives every unit ``role``.  ``A(牵头)`` marks one unit of a list as lead.
    With ``strict``, a clause that is neither a list of units nor a role
    clause makes the whole text no statement of responsibility (a sentence
    in brackets), and ``[]`` is returned.

    >>> [(u.name, u.role) for u in units_in("区科委牵头,区财政局、各街道按职责分工配合", 0)]
    [('区科委', 'lead'), ('区财政局', 'support'), ('各街道', 'support')]
    >>> [(u.name, u.role) for u in units_in("区科委(牵头)、区财政局", 0)]
    [('区科委', 'lead'), ('区财政局', None)]
    """
    marks = [m.start() for m in _LEAD_MARK.finditer(text)]
    if marks:
        text = _LEAD_MARK.sub(lambda m: " " * len(m.group(0)), text)
    if re.search(r"牵头|配合|协办|负责|参与|协助|主办", text):
        clauses = _role_clauses(text, base, strict=strict)
        if clauses is not None:
            return clauses
        if strict:
            return []
    units = [UnitRef(start=a, end=b, name=n, role=role) for n, a, b in split_units(text, base) if looks_like_unit(n)]
    for pos in marks:
        before = [u for u in units if u.end <= base + pos]
        if before:
            before[-1].role = "lead"
    return units


def _role_clauses(text: str, base: int, *, strict: bool) -> list[UnitRef] | None:
    units: list[UnitRef] = []
    merely_responsible: list[UnitRef] = []  # named by 负责 alone, not 牵头
    pos = 0
    matched = False
    for piece in _CLAUSE_SPLIT.split(text):
        at = pos
        pos += len(piece) + 1
        if not piece.strip():
            continue
        cm = _ROLE_CLAUSE.fullmatch(piece)
        if cm is None and _TIME_CLAUSE.fullmatch(piece):
            continue  # (A牵头,2023年底前完成): the deadline, read apart
        if cm is None:
            if strict:
                return None
            cand = split_units(piece, base + at)
            if cand and all(looks_like_unit(n) for n, _, _ in cand):
                units.extend(UnitRef(start=a, end=b, name=n) for n, a, b in cand)
            continue
        word = cm.group("role")
        cand = split_units(cm.group("names"), base + at + cm.start("names"))
        if not cand or not all(looks_like_unit(n) for n, _, _ in cand):
            if strict:
                return None
            continue
        matched = True
        if any(w in word for w in _SUPPORT_WORDS):
            role = "support"
        elif "负责" in word and "牵头" not in word and len(cand) > 1:
            role = None  # A、B负责: jointly responsible, no lead named
        else:
            role = "lead"
        new = [UnitRef(start=a, end=b, name=n, role=role) for n, a, b in cand]
        if "牵头" not in word and role == "lead":
            merely_responsible.extend(new)
        units.extend(new)
    if any(u.role == "lead" for u in units if all(u is not x for x in merely_responsible)):
        for u in merely_responsible:  # (A牵头,B负责): B is responsible beside the named lead, not a second lead
            u.role = None
    return units if matched else None


# ---------------------------------------------------------------- deadlines


def parse_deadline(text: str, ref: str | None = None) -> str | None:
    """The ISO date a time phrase sets; ``ref`` (an ISO date, usually the
    signing date) supplies the year a phrase leaves out.  A month-only phrase
    that would fall before ``ref`` means the next year.

    >>> parse_deadline("2023年底前"), parse_deadline("2023年6月"), parse_deadline("2024.9")
    ('2023-12-31', '2023-06-30', '2024-09-30')
    >>> parse_deadline("6月底完成", "2022-03-11"), parse_deadline("3月底", "2022-06-15")
    ('2022-06-30', '2023-03-31')
    >>> parse_deadline("第三季度", "2024-01-20"), parse_deadline("长期坚持", "2024-01-20")
    ('2024-09-30', None)
    """
    t = re.sub(r"\s+", "", text)
    ref_year = int(ref[:4]) if ref else None
    exact = parse_date(t)
    if exact:
        return exact
    m = re.search(r"(\d{4})年?[—–\-~～至到](\d{4})年", t)
    if m:
        return f"{m.group(2)}-12-31"
    m = re.search(r"(\d{4})[.\-/](\d{1,2})(?![\d])", t)
    if m and 1 <= int(m.group(2)) <= 12:
        return month_end(int(m.group(1)), int(m.group(2)))
    m = re.search(r"(?:(\d{4})年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月(?:份)?(?:(\d{1,2})日|(上旬|中旬|下旬))?", t)
    if m:
        month = to_int(m.group(2))
        if 1 <= month <= 12:
            year = int(m.group(1)) if m.group(1) else ref_year
            if year is None:
                return None
            day = None
            if m.group(3):
                day = int(m.group(3))
            elif m.group(4) in ("上旬", "中旬"):
                day = 10 if m.group(4) == "上旬" else 20
            iso = f"{year:04d}-{month:02d}-{day:02d}" if day else month_end(year, month)
            if not m.group(1) and ref and iso < ref:
                iso = f"{year + 1:04d}" + iso[4:] if day else month_end(year + 1, month)
            return iso
    m = re.search(r"(?:(\d{4})年)?第?([一二三四1-4])季度", t)
    if m:
        year = int(m.group(1)) if m.group(1) else ref_year
        return month_end(year, 3 * to_int(m.group(2))) if year else None
    m = re.search(r"(?:(\d{4})年)?(上半年|下半年|年底|年末|年内|底|末)", t)
    if m and (m.group(1) or m.group(2) not in ("底", "末")):
        year = int(m.group(1)) if m.group(1) else ref_year
        if year is None:
            return None
        return f"{year:04d}-06-30" if m.group(2) == "上半年" else f"{year:04d}-12-31"
    m = re.search(r"(\d{4})年", t)
    if m:
        return f"{m.group(1)}-12-31"
    return None


# ---------------------------------------------------------------- notes


def _parse_note(body: str, base: int) -> list[UnitRef]:
    """Units of a note body (without its brackets); ``[]`` when the body is
    not a statement of responsibility."""
    labels = list(_LABEL.finditer(body))
    if labels:
        units: list[UnitRef] = []
        for i, lm in enumerate(labels):
            label = lm.group("label")
            role = None
            if any(w in label for w in _SUPPORT_WORDS):
                role = "support"
            elif any(w in label for w in _LEAD_WORDS) and ("责任" not in label or "主要责任" in label):
                role = "lead"
            seg_end = labels[i + 1].start() if i + 1 < len(labels) else len(body)
            segment = body[lm.end():seg_end]
            stop = re.search(r"[;；。]|[\u4e00-\u9fff]{2,6}\s*[:]", segment)
            if stop:
                segment = segment[:stop.start()]
            units.extend(units_in(segment, base + lm.end(), role))
        return units
    return units_in(body, base, strict=True)


def _note_deadline(body: str, ref: str | None) -> tuple[str | None, str | None]:
    for m in _NOTE_DEADLINE.finditer(body):
        text = (m.group("a") or m.group("b") or m.group("c") or "").strip()
        iso = parse_deadline(text, ref)
        if iso:
            return iso, text
        if text:
            return None, text
    return None, None


# ---------------------------------------------------------------- the step


def find_responsibility(doc: Document) -> Document:
    """Fill ``doc.responsibilities`` from notes, sentences and lead roles
    stated elsewhere (task-table rows are already there, from *tables*)."""
    text = doc.text
    ref = reference_date(doc.meta)
    first_is_lead, others_support = first_listed_roles(text)
    taken = Spans([(t.start, t.end) for t in doc.tables])
    locate = section_locator(doc)
    header_end = doc.meta.title_span.end if doc.meta.title_span else 0
    captions = {s.title_start - 1 for s in doc.sections if s.style in ("article", "chapter", "jie")}
    found: list[Responsibility] = []
    candidates = [(m.start(), m.end(), m.group("body"), m.start("body")) for m in _NOTE.finditer(text)]
    candidates += [(m.start("body"), _bare_end(text, m), text[m.start("body"):_bare_end(text, m)], m.start("body"))
                   for m in _BARE.finditer(text)]
    candidates += [(m.start(), m.end("close"), m.group("body"), m.start("body")) for m in _PLAIN_NOTE.finditer(text)
                   if _all_units(m.group("body"))]
    for start, end, body, body_start in sorted(candidates):
        if start < header_end or start in captions or _inside(start, taken):
            continue  # a bracket in the title (试行), a heading's caption, a table cell
        units = _parse_note(body, body_start)
        if not units:
            continue
        if first_is_lead and not any(u.role for u in units):
            units[0].role = "lead"
            for u in units[1:] if others_support else ():
                u.role = "support"
        sec = _list_owner(doc, locate(start), start)
        resp = Responsibility(start=start, end=end, section=sec.path if sec else None, units=units, form="note")
        resp.deadline, resp.deadline_text = _note_deadline(body, ref)
        found.append(resp)
        taken.add(start, end)
    for r in found:
        doc.responsibilities.append(r)
        for u in r.units:
            register_unit(doc, u.name, u.start, u.end, r.section)
    refine_action_kinds(doc)
    _find_sentence_roles(doc, taken, locate)
    refine_action_kinds(doc)
    doc.responsibilities.sort(key=lambda r: r.start)
    return doc


def _list_owner(doc: Document, sec: Section | None, start: int) -> Section | None:
    """A note on a line of its own right after a run of one-line items (①…②…③…)
    belongs to the section that lists them, not to the last item."""
    if sec is None or sec.parent is None:
        return sec
    text = doc.text
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return sec  # the note closes a paragraph
    siblings = [s for s in doc.sections if s.parent == sec.parent]
    if len(siblings) < 2 or siblings[-1] is not sec or any(s.parent == sec.path for s in doc.sections):
        return sec
    if any("\n" in text[s.start:(line_start if s is sec else s.end)].strip() for s in siblings):
        return sec  # items with paragraphs of their own: the note is the last one's
    return next((s for s in doc.sections if s.path == sec.parent), sec)


def _all_units(body: str) -> bool:
    """A bracket closing a paragraph that holds nothing but unit names: ``…推进建设。(区科委、区财政局)``."""
    names = split_units(body, 0)
    return bool(names) and all(looks_like_unit(n) for n, _, _ in names) and len(body) <= 120


def _bare_end(text: str, m: re.Match) -> int:
    """A bare labelled note runs to the end of its sentence or line."""
    body = m.group("body")
    stop = re.search(r"。", body)
    return m.start("body") + (stop.start() if stop else len(body.rstrip()))


def _inside(pos: int, spans: "list[tuple[int, int]] | Spans") -> bool:
    if isinstance(spans, Spans):
        return pos in spans
    return any(a <= pos < b for a, b in spans)


class Spans:
    """Non-overlapping ``[start, end)`` spans with a fast membership test."""

    def __init__(self, spans: list[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for a, b in sorted(spans):
            self.add(a, b)

    def add(self, start: int, end: int) -> None:
        i = bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)

    def __contains__(self, pos: int) -> bool:
        i = bisect_right(self._starts, pos) - 1
        # a span may hold the next ones (a table holds its rows): look back over a few
        return any(self._starts[j] <= pos < self._ends[j] for j in range(i, max(i - 8, -1), -1))


def section_locator(doc: Document):
    """``locate(offset)`` → the innermost section holding ``offset`` (like
    ``Document.section_at``, in logarithmic time for long documents)."""
    secs = sorted(doc.sections, key=lambda s: (s.start, s.level))
    starts = [s.start for s in secs]

    def locate(pos: int) -> Section | None:
        i = bisect_right(starts, pos) - 1
        while i >= 0:
            s = secs[i]
            if s.start <= pos < s.end:
                return s
            i -= 1
            if s.parent is None and s.end <= pos:
                # an earlier top-level section that has ended: anything before it ended too
                break
        return None

    return locate


# ---------------------------------------------------------------- sentences

# (由)A、B牵头(负责) + what follows, inside one clause
_LEAD_CLAUSE = re.compile(
    r"^(?:其中|同时|并)?\s*(?:由|请|并由)?(?P<names>(?:[^,，;；:()《》“”\"]|" + _IN_NAME + r"){2,80}?)\s*"
    r"(?P<role>牵头负责|负责牵头|牵头抓总|牵头)(?P<rest>.*)$"
)
_BY_RESPONSIBLE = re.compile(r"^(?:其中|同时|并)?\s*由(?P<names>(?:[^,，;；:()《》“”\"]|" + _IN_NAME + r"){2,80}?)\s*"
                             r"(?P<role>负责)(?P<rest>.*)$")
# A负责X: a unit's duty stated as a sentence (市科技局负责全市孵化器的统筹规划); not 负责人/负责同志 (a person)
_DUTY_CLAUSE = re.compile(r"^(?:其中|同时|并|另外)?\s*(?P<names>(?:[^,，;；:()《》“”\"]|" + _IN_NAME + r"){2,80}?)\s*"
                          r"(?P<role>负责)(?!人|同志)(?P<rest>.*)$")
# …负责解释 / 负责对本办法的解释: who interprets the text, no task of it
_INTERPRETS = re.compile(r"^(?:对本?[\u4e00-\u9fff]{0,6}?(?:的)?)?解释")
# collectives that name no body (各有关单位, 相关部门): no owner of a stated duty
_GENERIC_UNITS = re.compile(r"^(?:各|其他|其余)?(?:有关|相关|成员|责任|各)?(?:单位|部门|方面)$")
# a task: the verb phrase a lead or a duty governs (由A牵头，建立…制度 / A牵头建立工作推进机制)
_TASK_START = re.compile(
    r"^(?:负责|组织|推进|推动|开展|制定|编制|实施|落实|建立|建设|完善|加强|做好|抓好|协调|统筹|研究|出台|起草|发布|制订|成立|"
    r"召开|举办|指导|督促|定期|健全|构建|搭建|打造|设立|加快|深化|强化|优化|保障|安排|调度|督导|考核|评估|监测|整合|"
    r"牵头|会同|联合)"
)
# 由A牵头…的工作机制: the lead belongs to a mechanism the sentence describes, not to a task
_ATTRIBUTIVE_TAIL = re.compile(r"的[^,，。;；()]{0,16}(?:机制|格局|体系|模式|制度|架构|机构|组织)[。]?$")
_SUPPORT_CLAUSE = re.compile(
    r"^(?P<names>(?:[^,，;；:()《》“”\"]|" + _IN_NAME + r"){2,80}?)\s*(?:按职责分工|按照职责分工|按职责|分别|共同)?\s*"
    r"(?:配合|协办|协助|参与)(?:实施|落实|推进)?$"
)
_SENTENCE = re.compile(r"[^。;；!?！？\n]+")
_CLAUSE = re.compile(r"(?:[^,，()（）:：]|" + _IN_NAME + r")+")
# the object of 牵头 is a verb phrase (the section's own task), not a part of the plan
_VERB_START = re.compile(
    r"^(?:负责|组织|推进|推动|开展|制定|编制|实施|落实|建立|建设|完善|加强|做好|抓好|协调|统筹|研究|出台|起草|发布|"
    r"制订|成立|召开|举办|指导|督促|牵头|会同|联合|配合|做|抓|搞|把|对|在|从|向|将|和|与|及|的|等)"
)
_GENERIC_TAIL = re.compile(r"(?:数字化转型|转型|相关工作|工作任务|工作|建设|领域|方面|板块|专项行动|行动|任务|发展|推进|等)$")


def _find_sentence_roles(doc: Document, taken: Spans, locate) -> None:
    """``由A牵头`` / ``A牵头负责`` in a sentence → the lead of its section;
    ``A负责X`` → a responsible unit of its section (no role stated);
    ``A牵头<part of the plan>`` → the lead of that part."""
    text = doc.text
    owned = {r.section for r in doc.responsibilities if r.form in ("note", "table")}
    inline: list[tuple[Section, list[UnitRef], int, int]] = []
    # sec, units, object, start, end, line, duty (牵头负责: the object is a task, not only a part's name)
    elsewhere: list[tuple[Section | None, list[UnitRef], str, int, int, int, bool]] = []
    for sm in _SENTENCE.finditer(text):
        if _inside(sm.start(), taken) or not re.search(r"牵头|负责", sm.group(0)):
            continue
        sec = locate(sm.start())
        if sec is None:
            continue
        leads: list[UnitRef] = []
        duties: list[UnitRef] = []  # A负责X: responsible, no role
        supports: list[UnitRef] = []
        span: list[int] = []  # the words that state the roles
        task = False  # a lead or duty governs a task (a verb phrase), not a mechanism
        clauses = list(_CLAUSE.finditer(text, sm.start(), sm.end()))
        for ci, cm in enumerate(clauses):
            if _inside(cm.start(), taken):
                continue  # a clause of a note already read
            clause, at = cm.group(0), cm.start()
            body = _body_start(sec)
            if at == sec.start and at < body < cm.end():  # 第三条 市科技局负责…: the marker is no name
                clause, at = text[body:cm.end()], body
            lead = _LEAD_CLAUSE.match(clause) or _BY_RESPONSIBLE.match(clause)
            if lead:
                names, names_at = lead.group("names"), lead.start("names")
                by = lead.start("names") - 1 if clause[:lead.start("names")].endswith("由") else None
                if "由" in names:  # 建立由A牵头的…: the names follow the last 由
                    cut = names.rindex("由") + 1
                    by = names_at + cut - 1
                    names, names_at = names[cut:], names_at + cut
                units = _clause_units(names, at + names_at, "lead")
                if not units:
                    continue
                rest = lead.group("rest").strip()
                if _INTERPRETS.match(rest):
                    continue  # 由A负责解释: who interprets the text
                if rest and not rest.startswith("的") and not _VERB_START.match(rest) and "牵头" in lead.group(0):
                    line = text.count("\n", 0, at)
                    elsewhere.append((sec, units, rest, at + names_at, cm.end(), line, "负责" in lead.group("role")))
                    continue
                if rest.startswith("的"):
                    continue  # 由A牵头的工作机制: describes a mechanism, not who leads this section
                leads.extend(units)
                span += [at + (by if by is not None else names_at), at + lead.end("role")]
                task = task or _governs_task(text, rest, cm, clauses[ci + 1] if ci + 1 < len(clauses) else None, sm)
                continue
            duty = _DUTY_CLAUSE.match(clause)
            if duty:
                names, names_at = duty.group("names"), duty.start("names")
                if "由" in names:  # 本办法由A负责解释
                    cut = names.rindex("由") + 1
                    names, names_at = names[cut:], names_at + cut
                rest = duty.group("rest").strip()
                if len(rest) < 2 or rest.startswith("的") or _INTERPRETS.match(rest):
                    continue
                units = [u for u in _clause_units(names, at + names_at, "") if not _GENERIC_UNITS.match(u.name)]
                if not units:
                    continue
                for u in units:
                    u.role = None
                duties.extend(units)
                span += [at + names_at, at + duty.end("role")]
                task = True
                continue
            sup = _SUPPORT_CLAUSE.match(clause)
            if sup and (leads or duties):
                more = _clause_units(sup.group("names"), at + sup.start("names"), "support")
                supports.extend(more)
                if more:
                    span.append(at + len(clause.rstrip()))
        if not leads and sec.path in owned:
            duties = []  # a section's note says who owns it; its sentences' duties add nobody
        if not (leads or duties):
            continue
        if _takes_inline(doc, sec) or (task and _is_leaf_measure(doc, sec)):
            inline.append((sec, leads + duties + supports, min(span), max(span)))
    for sec, units, start, end in inline:
        _add(doc, Responsibility(start=start, end=end, section=sec.path, units=units, form="inline"),
             register_at=sec.path)
    _attach_elsewhere(doc, elsewhere)


def _body_start(sec: Section) -> int:
    """Where the words after a heading's marker start (after the caption of 第二条(管理部门))."""
    if sec.style == "article" and sec.title:
        return sec.title_end + 1
    return sec.title_start


def _governs_task(text: str, rest: str, cm: re.Match, nxt: re.Match | None, sm: re.Match) -> bool:
    """Does a lead clause govern a task — a verb phrase after 牵头 or in the next
    clause (由A牵头，建立…制度) — rather than a mechanism the sentence describes
    (由A牵头，各成员单位协同推进的工作机制)?"""
    end = text.find("。", cm.end())
    tail = text[cm.end():end + 1 if end >= 0 else len(text)]
    if "\n" in tail:
        tail = tail[:tail.index("\n")]
    if _ATTRIBUTIVE_TAIL.search(tail):
        return False
    if rest:
        return bool(_TASK_START.match(rest))
    if nxt is None or text[cm.end():nxt.start()].strip() not in (",", "，"):
        return False
    return bool(_TASK_START.match(nxt.group(0).strip()))


def _is_leaf_measure(doc: Document, sec: Section) -> bool:
    return sec.kind == "Measure" and not any(s.parent == sec.path for s in doc.sections)


def _clause_units(names: str, base: int, role: str) -> list[UnitRef]:
    cand = split_units(names, base)
    if not cand or not all(looks_like_unit(n) for n, _, _ in cand):
        return []
    return [UnitRef(start=a, end=b, name=n, role=role) for n, a, b in cand]


def _takes_inline(doc: Document, sec: Section) -> bool:
    """A sentence's lead statement belongs to its section when that section
    states a task: an Action, or a leaf that is neither a Goal nor a Measure."""
    if sec.kind == "Action":
        return True
    if sec.kind in ("Goal", "Measure"):
        return False
    return not any(s.parent == sec.path for s in doc.sections)


def _add(doc: Document, resp: Responsibility, register_at: str | None) -> None:
    doc.responsibilities.append(resp)
    for u in resp.units:
        register_unit(doc, u.name, u.start, u.end, register_at)


def _attach_elsewhere(doc: Document, found: list) -> None:
    """Match each ``A牵头<object>`` to the part of the plan the object names."""
    if not found:
        return
    by_line: dict[int, list[int]] = {}
    for i, f in enumerate(found):
        by_line.setdefault(f[5], []).append(i)
    cores = [_core(f[2]) for f in found]
    for idxs in by_line.values():
        if len(idxs) > 1:  # siblings in one sentence group: what differs between them names the part
            objs = [found[i][2] for i in idxs]
            suffix = _common_suffix(objs)
            prefix = _common_prefix(objs)
            for i in idxs:
                o = found[i][2]
                stripped = o[len(prefix):len(o) - len(suffix)] if len(o) > len(prefix) + len(suffix) else o
                cores[i] = _core(stripped) or stripped
    parts = _plan_parts(doc)
    for (sec, units, obj, start, end, _line, duty), core in zip(found, cores):
        target = _match_part(core, parts, sec, doc)
        if target is None:
            # no part is named: the object is this section's own task when it shares its words or is
            # stated as a duty (A牵头负责X)
            if _takes_inline(doc, sec) and (duty or _shared(core, sec.title) >= 2):
                _add(doc, Responsibility(start=start, end=end, section=sec.path, units=units, form="inline"),
                     register_at=sec.path)
            continue
        _add(doc, Responsibility(start=start, end=end, section=target.path, units=units, form="elsewhere"),
             register_at=sec.path)


def _core(obj: str) -> str:
    prev = None
    o = obj.strip()
    while prev != o:
        prev = o
        o = _GENERIC_TAIL.sub("", o).strip()
    return o


def _common_suffix(items: list[str]) -> str:
    s = items[0]
    for it in items[1:]:
        n = 0
        while n < min(len(s), len(it)) and s[-1 - n] == it[-1 - n]:
            n += 1
        s = s[len(s) - n:] if n else ""
    return s


def _common_prefix(items: list[str]) -> str:
    s = items[0]
    for it in items[1:]:
        n = 0
        while n < min(len(s), len(it)) and s[n] == it[n]:
            n += 1
        s = s[:n]
    return s


def _plan_parts(doc: Document) -> tuple[list[Section], list[Section]]:
    """Containers of actions (the parts of the plan), then the actions."""
    by_path = {s.path: s for s in doc.sections}
    containers: dict[str, Section] = {}
    for s in doc.sections:
        if s.kind != "Action":
            continue
        p = s.parent
        while p is not None:
            containers[p] = by_path[p]
            p = by_path[p].parent
    return list(containers.values()), [s for s in doc.sections if s.kind == "Action"]


def _match_part(core: str, parts: tuple[list[Section], list[Section]], at: Section, doc: Document) -> Section | None:
    if len(core) < 2:
        return None
    ancestors = set()
    p: str | None = at.path
    while p is not None:
        ancestors.add(p)
        s = doc.section(p)
        p = s.parent if s else None
    for group in parts:
        cands = [s for s in group if s.path not in ancestors]
        scored = [(_shared(core, s.title), s) for s in cands]
        scored = [x for x in scored if x[0] >= 2]
        if not scored:
            continue
        best = max(x[0] for x in scored)
        top = [s for sc, s in scored if sc == best]
        if len(top) == 1:
            return top[0]
        return None  # ambiguous: several parts share the words
    return None


def _shared(a: str, b: str) -> int:
    """Length of the longest common substring of ``a`` and ``b``."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def refine_action_kinds(doc: Document) -> None:
    """A section that holds its own responsibility note is an Action; its
    ancestors inside an action part become containers."""
    owners = {r.section for r in doc.responsibilities if r.section and r.form in ("note", "table", "inline")}
    if not owners:
        return
    by_path = {s.path: s for s in doc.sections}
    for path in sorted(owners, key=lambda p: (p.count("."), p)):  # outer first, so the result never depends on set order
        s = by_path.get(path)
        if s is None or s.kind in ("Goal", "Measure"):
            continue
        s.kind = "Action"
        p = s.parent
        while p is not None:
            a = by_path[p]
            if a.kind == "Action":
                a.kind = None
            p = a.parent
