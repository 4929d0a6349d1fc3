"""Indicator tables: the 主要指标 table of a plan, read for the *targets* step.

A plan often states its targets as a table (tab-separated, or aligned with runs of spaces,
when it comes out of Word or a web page)::

    序号  指标名称                单位  2023年  2026年   属性
    1     城市运行体征指标接入数  项    120     500以上  预期性
    2     数字经济增加值（亿元）        800     ≥1200    预期性

Each row whose target-year cell holds a value is a target: the metric is the indicator's
name, the unit is the 单位 column or the name's bracket (``（亿元）``), the comparator comes
from the cell (``≥90``, ``500以上``, ``80左右``, ``3—5``) and the deadline is the end of the
column's year.  The base-year column is a statistic, not a target.

>>> rows = indicator_rows("序号\\t指标\\t单位\\t2023年\\t2026年\\n1\\t接入数\\t项\\t120\\t500以上\\n2\\t共享率\\t%\\t55\\t80左右\\n")
>>> [(r.metric, r.comparator, r.value, r.unit, r.year) for r in rows]
[('接入数', '>=', Decimal('500'), '项', 2026), ('共享率', 'approx', Decimal('80'), '%', 2026)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# a column of one year's values: 2026年, 2025年目标值, 目标值(2025年), 2020年(基期)
_YEAR_HEAD = re.compile(r"^(?:目标值?|预期值?|规划值?)?\s*[(（]?\s*(\d{4})\s*年\s*[)）]?\s*"
                        r"(?:目标值?|预期值?|规划值?|末|底|[(（](?:基期|目标|预期|现状)[)）])?$")
_NAME_HEAD = re.compile(r"指标|名称|项目")
_UNIT_HEAD = re.compile(r"^(?:计量)?单位$")
_SEP = re.compile(r"\t| {2,}|\u3000+")
_NUM = r"\d+(?:\.\d+)?"
# one value cell: ≥90 / >95 / 500以上 / 80左右 / 3—5 / 〔15〕 (a cumulative figure in brackets)
_VALUE = re.compile(
    rf"^[\[〔【(]?\s*(?P<cmp>≥|>=|>|≤|<=|<|不低于|不少于|超过|达到|约)?\s*(?P<n1>{_NUM})\s*(?P<u1>%|‰)?"
    rf"(?:\s*[—–~\-至]\s*(?P<n2>{_NUM})\s*(?:%|‰)?)?\s*(?P<suf>以上|以下|以内|左右)?\s*[\]〕】)]?$"
)
_NAME_UNIT = re.compile(r"[(（]([^()（）]{1,8})[)）]\s*$")
_CMP = {"≥": ">=", ">=": ">=", "不低于": ">=", "不少于": ">=", "达到": ">=", ">": ">", "超过": ">",
        "≤": "<=", "<=": "<=", "<": "<", "约": "approx"}
_SUF = {"以上": ">=", "以下": "<=", "以内": "<=", "左右": "approx"}


@dataclass
class IndicatorRow:
    line_start: int
    start: int  # the indicator's name
    end: int  # after the target-year cell
    line_end: int
    metric: str
    comparator: str
    value: Decimal | None
    value_min: Decimal | None
    value_max: Decimal | None
    unit: str | None
    year: int
    year_text: str
    value_text: str


def _cells(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The cells of one line with their offsets (empty cells kept where tabs repeat)."""
    out, pos = [], start
    for m in _SEP.finditer(text, start, end):
        out.append((pos, m.start(), text[pos:m.start()].strip()))
        pos = m.end()
    out.append((pos, end, text[pos:end].strip()))
    return out


def indicator_rows(text: str, start: int = 0) -> list[IndicatorRow]:
    """Every target-year value of every indicator table in ``text[start:]``."""
    rows: list[IndicatorRow] = []
    lines = []
    pos = 0
    for raw in text.split("\n"):
        if pos + len(raw) >= start:
            lines.append((pos, pos + len(raw)))
        pos += len(raw) + 1
    i = 0
    while i < len(lines):
        a, b = lines[i]
        head = _cells(text, a, b)
        layout = _header(head)
        i += 1
        if layout is None:
            continue
        name_col, unit_col, year_col, year, year_text, width = layout
        while i < len(lines):
            a, b = lines[i]
            cells = _cells(text, a, b)
            if len(cells) < 3:
                break
            i += 1
            if len(cells) < width:  # a merged first cell (a category) left out: align on the right
                cells = [(a, a, "")] * (width - len(cells)) + cells
            row = _row(cells, name_col, unit_col, year_col, year, year_text, a, b)
            if row is not None:
                rows.append(row)
    return rows


def _header(cells: list[tuple[int, int, str]]):
    if len(cells) < 3:
        return None
    years = [(j, int(m.group(1)), c) for j, (_, _, c) in enumerate(cells) if (m := _YEAR_HEAD.match(c))]
    names = [j for j, (_, _, c) in enumerate(cells) if _NAME_HEAD.search(c) and not _YEAR_HEAD.search(c)]
    if not years or not names:
        return None
    unit_col = next((j for j, (_, _, c) in enumerate(cells) if _UNIT_HEAD.match(c)), None)
    j, year, year_text = max(years, key=lambda y: (y[1], y[0]))  # the target year: the latest column
    if len(years) == 1 and re.search(r"基期|基数|现状|基准", year_text):
        return None
    return names[0], unit_col, j, year, year_text, len(cells)


def _row(cells, name_col, unit_col, year_col, year, year_text, line_start, line_end) -> IndicatorRow | None:
    if year_col >= len(cells) or name_col >= len(cells):
        return None
    n_start, _, name = cells[name_col]
    v_start, v_end, value = cells[year_col]
    m = _VALUE.match(value)
    if not name or m is None:
        return None
    unit = cells[unit_col][2] if unit_col is not None and unit_col < len(cells) and cells[unit_col][2] else None
    metric = name
    bracket = _NAME_UNIT.search(name)
    if bracket:
        unit = unit or bracket.group(1).strip()
        metric = name[:bracket.start()].strip()
    unit = unit or m.group("u1")
    if m.group("n2"):
        comparator, v, lo, hi = "range", None, Decimal(m.group("n1")), Decimal(m.group("n2"))
        if lo > hi:
            return None
    else:
        v, lo, hi = Decimal(m.group("n1")), None, None
        comparator = _SUF.get(m.group("suf") or "") or _CMP.get(m.group("cmp") or "") or "="
        if comparator == "<=" and _CMP.get(m.group("cmp") or "") == "<":
            comparator = "<"
    return IndicatorRow(line_start, n_start, v_end, line_end, metric, comparator, v, lo, hi, unit, year, year_text, value)


__all__ = ["IndicatorRow", "indicator_rows"]
