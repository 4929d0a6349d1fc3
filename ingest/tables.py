"""Task tables (任务分工表): ``序号 | 任务 | 牵头单位 | 配合单位 | 完成时限``.

In text a table is a header row naming its columns followed by rows whose
cells are separated by tabs, ``|`` or runs of two or more spaces.  A Word
table reaches us the same way (one line per row, cells joined by tabs), so
this is the one table path for every format.  A cell that wraps onto the
next line (a line with an empty 序号 cell, or an indented line under a
space-aligned row) continues the row above.

:func:`detect_tables` runs inside *structure* (so the heading parser skips
table rows); :func:`attach_task_tables` is the pipeline step *tables*: each
row becomes an Action section under the section that holds the table (or
under a section for the 附件 that holds it), with its units and deadline.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .docmeta import reference_date
from .model import Document, Responsibility, Section, Span, TaskRow, TaskTable, UnitRef
from .responsibility import first_listed_roles, parse_deadline, section_locator, units_in
from .units import register_unit

# Column roles by header words.  Order matters: the first role whose pattern matches names the column.
COLUMN_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("number", re.compile(r"^(?:序号|编号|序)$")),
    ("lead", re.compile(r"牵头|主责|主办|主要责任")),
    ("support", re.compile(r"配合|协办|参与|协同|协助")),
    ("responsible", re.compile(r"责任(?:单位|部门|处室|主体)|实施主体|承办|负责(?:单位|部门)|完成单位")),
    ("deadline", re.compile(r"时限|时间|期限|时间节点|进度|完成年份")),
    ("task", re.compile(r"任务|工作|事项|内容|措施|举措|项目|名称")),
]
_UNIT_ROLES = ("lead", "support", "responsible")
_NUMBER_CELL = re.compile(r"^[(]?\s*(?:\d{1,4}|[一二三四五六七八九十百]{1,4})\s*[)]?\s*[.、]?$")
_MD_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_HEADING_LIKE = re.compile(r"^(?:[一二三四五六七八九十]+\s*[、.]|[(]\s*[一二三四五六七八九十]+\s*[)])")
_DEADLINE_CELL = re.compile(r"^(?:\d{4}\s*年|\d{4}[.\-/]\d{1,2}|\d{1,2}\s*月|年底|年内|上半年|下半年|第[一二三四1-4]季度|长期|持续)")
_ATTACHMENT_MARK = re.compile(r"^附\s*[件表]\s*[\d一二三四五六七八九十]*\s*[:]?")


@dataclass
class Cell:
    text: str
    start: int
    end: int
    x: int  # display column of the cell's start within its line (CJK counts 2)


@dataclass
class _RawRow:
    start: int
    end: int
    cells: dict[int, list[Cell]] = field(default_factory=dict)  # column index → fragments


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def split_cells(line: str, line_start: int) -> tuple[str, list[Cell]] | None:
    """``(separator kind, cells)`` of a table line, or ``None`` for prose.

    Tabs and ``|`` keep empty cells (their positions are the columns); runs of
    two or more spaces separate cells of a space-aligned table.

    >>> kind, cells = split_cells("1\\t建设平台\\t区科委", 0)
    >>> kind, [c.text for c in cells]
    ('tab', ['1', '建设平台', '区科委'])
    >>> split_cells("到 2023 年底,全区建成 5 个", 0) is None
    True
    """
    if "\t" in line:
        kind, pat = "tab", re.compile(r"[^\t]*")
        body, base = line, line_start
    elif line.strip().count("|") >= 2 or re.search(r"\S\s*\|\s*\S", line):
        kind = "pipe"
        stripped = line.strip()
        lead = line.index(stripped[0])
        body = stripped[1:] if stripped.startswith("|") else stripped
        base = line_start + lead + (1 if stripped.startswith("|") else 0)
        body = body[:-1] if body.endswith("|") else body
        pat = re.compile(r"[^|]*")
    elif re.search(r"\S {2,}\S", line):
        kind = "space"
        cells = [Cell(m.group(0), line_start + m.start(), line_start + m.end(), _width(line[:m.start()]))
                 for m in re.finditer(r"\S+(?: \S+)*", line)]
        return (kind, cells) if len(cells) >= 2 else None
    else:
        return None
    cells = []
    pos = 0
    for m in pat.finditer(body):
        if m.start() < pos or (m.start() == m.end() and m.start() > 0 and body[m.start() - 1] not in "\t|"):
            continue
        raw = m.group(0)
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        s = base + m.start() + lead
        cells.append(Cell(text, s, s + len(text), 0))  # tabs and pipes place cells by index, not by column
        pos = m.end() + 1
    return (kind, cells) if len(cells) >= 2 else None


def column_roles(header: list[str]) -> list[str] | None:
    """The role of each header column, or ``None`` when the row is no task-table header.

    >>> column_roles(["序号", "主要任务", "牵头单位", "配合单位", "完成时限"])
    ['number', 'task', 'lead', 'support', 'deadline']
    >>> column_roles(["指标", "2020年", "2025年"]) is None
    True
    """
    roles = [_role(h) for h in header]
    if not any(r in _UNIT_ROLES for r in roles) or not any(r in ("task", "number") for r in roles):
        return None
    if any(len(_bare(h)) > 12 for h in header):
        return None  # a header names columns; long cells are content
    return roles


def _bare(h: str) -> str:
    """A header cell without spaces and its bracketed remark: 责任单位(列第一位的为牵头单位) → 责任单位."""
    return re.sub(r"[(（][^()（）]*[)）]", "", re.sub(r"\s+", "", h))


def _role(h: str) -> str:
    h = _bare(h)
    return next((r for r, pat in COLUMN_ROLES if pat.search(h)), "other") if h else "other"


def _second_header(lines, i, kind, header, roles) -> int:
    """A header split over two rows (责任单位 over 牵头单位 | 配合单位): fold the
    second row's roles into ``roles``; return the index of the first data line."""
    j = i
    while j < len(lines) and not lines[j][1].strip():
        j += 1
    if j >= len(lines):
        return i
    got = split_cells(lines[j][1], lines[j][0])
    if not got or got[0] != kind:
        return i
    cells = got[1]
    if any(c.text and (_role(c.text) == "other" or _NUMBER_CELL.match(c.text)) for c in cells):
        return i
    if kind != "space" and len(cells) > len(roles):
        # a Word header whose merged cells repeat their text (序号 | 主要任务 | 牵头单位 | 配合单位 | 完成时限):
        # this row has the finer grid
        roles[:] = [_role(c.text) for c in cells]
        return j + 1
    if not any(_role(c.text) in _UNIT_ROLES + ("deadline",) for c in cells if c.text):
        return i
    for col, frags in _columns(kind, cells, [c.x for c in header], len(roles)).items():
        if col < len(roles):
            roles[col] = _role(frags[0].text)
    return j + 1


def detect_tables(text: str, start: int = 0, ref: str | None = None) -> list[TaskTable]:
    """Every task table in ``text[start:]`` with its rows' units and deadlines
    (``ref`` is the date relative deadlines count from)."""
    lines = []
    pos = 0
    for raw in text.split("\n"):
        if pos >= start:
            lines.append((pos, raw))
        pos += len(raw) + 1
    tables: list[TaskTable] = []
    i = 0
    while i < len(lines):
        lstart, raw = lines[i]
        got = split_cells(raw, lstart)
        roles = column_roles([c.text for c in got[1]]) if got else None
        if not roles:
            i += 1
            continue
        kind, header = got
        first = _second_header(lines, i + 1, kind, header, roles)
        rows, i = _read_rows(lines, first, kind, header, roles)
        if rows:
            table = TaskTable(start=header[0].start, end=rows[-1].end, header=[c.text for c in header])
            table.rows = [_task_row(text, r, roles, ref) for r in rows]
            table.rows = [r for r in table.rows if r.task or r.lead or r.support or r.responsible]
            if table.rows:
                tables.append(table)
    return tables


def _read_rows(lines, i, kind, header, roles):
    rows: list[_RawRow] = []
    number_col = roles.index("number") if "number" in roles else None
    task_col = roles.index("task") if "task" in roles else None
    xs = [c.x for c in header]
    pending_blank = 0
    filled = 0  # the last column the current row has reached (tab and | rows)
    while i < len(lines):
        lstart, raw = lines[i]
        if not raw.strip():
            pending_blank += 1
            if pending_blank > 2:
                break
            i += 1
            continue
        if kind == "pipe" and _MD_RULE.match(raw.strip()):
            i += 1
            continue
        got = split_cells(raw, lstart)
        if got and got[0] == kind:
            cells = got[1]
            cols = _columns(kind, cells, xs, len(roles))
            first = cols.get(number_col) if number_col is not None else None
            starts_row = (first is not None and _NUMBER_CELL.match(first[0].text)) if number_col is not None \
                else bool(cols.get(task_col if task_col is not None else 0))
            if kind == "space" and number_col is not None and not starts_row and raw[:1] not in " \t":
                starts_row = bool(cols.get(task_col)) if task_col is not None else False
            texts = {c.text for c in cells if c.text}
            if len(texts) == 1 and not _NUMBER_CELL.match(next(iter(texts))) and sum(1 for c in cells if c.text) > 1:
                i += 1  # a merged group row repeated in every cell
                continue
            if starts_row or not rows:
                rows.append(_RawRow(start=cells[0].start if cells[0].text else lstart + len(raw) - len(raw.lstrip()),
                                    end=lstart + len(raw.rstrip())))
                filled = len(cells) - 1
            else:
                rows[-1].end = lstart + len(raw.rstrip())
                if kind != "space" and filled < len(roles) - 1 and cells[0].text:
                    # the line above broke inside its last cell: this line goes on from that cell
                    cols = {}
                    for j, c in enumerate(cells):
                        if c.text:
                            cols.setdefault(filled + j, []).append(c)
                    filled += len(cells) - 1
            for col, frags in cols.items():
                rows[-1].cells.setdefault(col, []).extend(frags)
            pending_blank = 0
            i += 1
            continue
        stripped = raw.strip()
        if _HEADING_LIKE.match(stripped) and _row_follows(lines, i + 1, kind):
            i += 1  # a group heading inside the table; the heading parser makes it a section
            pending_blank = 0
            continue
        if rows and raw[:1] in " \t" and not pending_blank and kind in ("space", "tab"):
            # a wrapped cell under a space-aligned row: place it by its column
            lead = len(raw) - len(raw.lstrip())
            frag = Cell(stripped, lstart + lead, lstart + lead + len(stripped), _width(raw[:lead]))
            col = _column_at(frag.x, xs) if kind == "space" else (task_col or 0)
            rows[-1].cells.setdefault(col, []).append(frag)
            rows[-1].end = frag.end
            i += 1
            continue
        break
    while i > 0 and i - 1 < len(lines) and not lines[i - 1][1].strip():
        i -= 1
    return rows, i


def _row_follows(lines, i, kind) -> bool:
    for _, raw in lines[i:i + 3]:
        if raw.strip():
            got = split_cells(raw, 0)
            return bool(got and got[0] == kind)
    return False


def _columns(kind: str, cells: list[Cell], xs: list[int], n_cols: int) -> dict[int, list[Cell]]:
    out: dict[int, list[Cell]] = {}
    for idx, c in enumerate(cells):
        if not c.text:
            continue
        col = _column_at(c.x, xs) if kind == "space" else idx
        out.setdefault(col, []).append(c)
    if kind != "space" and 1 < len(cells) < n_cols and cells[-1].text and _DEADLINE_CELL.search(cells[-1].text):
        # a row whose cells were merged across columns (a Word gridSpan) has fewer cells: its last one is
        # still the last column's
        out.pop(len(cells) - 1, None)
        out[n_cols - 1] = [cells[-1]]
    return out


def _column_at(x: int, xs: list[int]) -> int:
    """The header column a cell starting at display column ``x`` falls under."""
    best = 0
    for i, hx in enumerate(xs):
        if hx <= x + 2:
            best = i
    return best


def _task_row(text: str, raw: _RawRow, roles: list[str], ref: str | None) -> TaskRow:
    row = TaskRow(start=raw.start, end=raw.end)
    for col, frags in sorted(raw.cells.items()):
        role = roles[col] if col < len(roles) else "other"
        joined = "".join(f.text for f in frags)
        if role == "number":
            row.number = joined.strip()
        elif role == "task" and not row.task:
            row.task = joined
            row.task_span = Span(frags[0].start, frags[0].end)
        elif role in _UNIT_ROLES:
            default = {"lead": "lead", "support": "support", "responsible": None}[role]
            units: list[UnitRef] = []
            for f in frags:
                units.extend(units_in(f.text, f.start, default))
            getattr(row, role).extend(units)
        elif role == "deadline":
            row.deadline_text = joined
            row.deadline = parse_deadline(joined, ref)
    if not row.task:
        other = [f for col, frags in sorted(raw.cells.items())
                 if col < len(roles) and roles[col] == "other" for f in frags]
        if other:
            row.task = other[0].text
            row.task_span = Span(other[0].start, other[0].end)
    return row


# ---------------------------------------------------------------- the step


def attach_task_tables(doc: Document) -> Document:
    """Pipeline step *tables*: each row of each task table becomes an Action
    section (its own path under the section that holds the table) with its
    responsible units and deadline."""
    if not doc.tables:
        return doc
    first_is_lead, others_support = first_listed_roles(doc.text)
    for table in doc.tables:
        container = _attachment_container(doc, table)
        locate = section_locator(doc)
        children: dict[str | None, int] = {}
        for s in doc.sections:
            children[s.parent] = children.get(s.parent, 0) + 1
        for row in table.rows:
            inner = locate(row.start)
            parent = inner if container is None or (inner is not None and inner.start >= container.start) else container
            order = children.get(parent.path if parent else None, 0) + 1
            children[parent.path if parent else None] = order
            sec = _row_section(doc, row, parent, order)
            row.section = sec.path
            units = [*row.lead, *row.support, *row.responsible]
            units.sort(key=lambda u: u.start)
            if first_is_lead and units and not any(u.role for u in units):
                units[0].role = "lead"
                for u in units[1:] if others_support else ():
                    u.role = "support"
            if not units:
                continue
            resp = Responsibility(start=row.start, end=row.end, section=sec.path, units=units, form="table",
                                  deadline=row.deadline, deadline_text=row.deadline_text)
            doc.responsibilities.append(resp)
            for u in units:
                register_unit(doc, u.name, u.start, u.end, sec.path)
    doc.sections.sort(key=lambda s: (s.start, s.level))
    return doc


def _row_section(doc: Document, row: TaskRow, parent: Section | None, order: int) -> Section:
    path = f"{parent.path}.{order}" if parent else str(order)
    title = re.sub(r"\s+", "", row.task) if row.task else (row.number or str(order))
    span = row.task_span or Span(row.start, row.start)
    sec = Section(start=row.start, end=row.end, path=path, number=row.number or str(order), title=title,
                  level=(parent.level + 1) if parent else 1, parent=parent.path if parent else None, order=order,
                  title_start=span.start, title_end=span.end, style="table_row", kind="Action",
                  heading_inline=True, document=parent.document if parent else _which(doc))
    doc.sections.append(sec)
    return sec


def _which(doc: Document) -> str:
    return "plan" if doc.meta.plan_title else "notice"


def _attachment_container(doc: Document, table: TaskTable) -> Section | None:
    """A table that a 附件 marker introduces (``附件1`` / ``附件:`` then its
    title) is a part of its own: a top-level section holding the rows."""
    text = doc.text
    before = text[:table.start].rstrip("\n").split("\n")
    lines = []
    pos = len(text[:table.start].rstrip("\n"))
    for raw in reversed(before):
        start = pos - len(raw)
        if raw.strip():
            lines.append((start + len(raw) - len(raw.lstrip()), raw.strip()))
            if len(lines) == 3:
                break
        pos = start - 1
    marker = next(((s, t) for s, t in lines if _ATTACHMENT_MARK.match(t)), None)
    if marker is None:
        return None
    mstart, mtext = marker
    if any(mstart <= s.start < table.end for s in doc.sections):
        return None  # the table has its own group headings
    title_line = next(((s, t) for s, t in lines if s > mstart), None)
    mark = _ATTACHMENT_MARK.match(mtext)
    number = re.sub(r"\s+", "", mark.group(0)).rstrip(":")
    rest = mtext[mark.end():].strip()
    if rest:
        t_start, title = mstart + mtext.index(rest), rest
    elif title_line:
        t_start, title = title_line
    else:
        t_start, title = mstart, number
    for s in doc.sections:
        if s.start < mstart < s.end:
            end = mstart
            while end > s.start and text[end - 1].isspace():
                end -= 1
            s.end = end
    top = [s for s in doc.sections if s.parent is None]
    order = len(top) + 1
    sec = Section(start=mstart, end=table.end, path=str(order), number=number, title=title, level=1, parent=None,
                  order=order, title_start=t_start, title_end=t_start + len(title), style="attachment", kind=None,
                  document=_which(doc))
    doc.sections.append(sec)
    return sec


__all__ = ["Cell", "split_cells", "column_roles", "detect_tables", "attach_task_tables", "reference_date"]
