"""Chinese and Arabic numerals, Chinese dates and the time phrases of deadlines.

>>> chinese_to_int("一千二百")
1200
>>> chinese_to_int("十四")
14
>>> chinese_to_int("两")
2
>>> parse_cn_date("2022年6月15日")
'2022-06-15'
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2, "三": 3, "叁": 3,
             "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_UNITS) + "".join(CN_BIG)


def chinese_to_int(s: str) -> int:
    """Value of a Chinese numeral (一千二百, 十四, 二〇二三, 两万, 三万亿).

    >>> chinese_to_int("三万亿")
    3000000000000
    >>> chinese_to_int("一亿二千万")
    120000000
    >>> chinese_to_int("一百零五")
    105
    """
    s = s.strip()
    if not s:
        raise ValueError("empty numeral")
    if all(ch in CN_DIGITS for ch in s) and len(s) > 1:  # 二〇二三: digit by digit
        return int("".join(str(CN_DIGITS[ch]) for ch in s))
    total = 0  # everything at 万/亿 level and above
    section = 0  # below the current 万/亿 group
    number = 0  # the pending digit
    biggest = 0  # the largest 万/亿 seen so far
    for ch in s:
        if ch in CN_DIGITS:
            number = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            section += (number or 1) * CN_UNITS[ch]
            number = 0
        elif ch in CN_BIG:
            big = CN_BIG[ch]
            group = section + number
            if not group and not total:
                group = 1  # 亿 alone is one 亿
            if big > biggest:  # 三万亿: the 万 group is multiplied by 亿
                total = (total + group) * big
                biggest = big
            else:
                total += group * big
            section = 0
            number = 0
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + section + number


def chinese_to_decimal(s: str) -> Decimal:
    """A Chinese numeral with an optional 点 fraction (一点五 → 1.5).

    >>> chinese_to_decimal("一点五")
    Decimal('1.5')
    >>> chinese_to_decimal("八百")
    Decimal('800')
    """
    whole, _, frac = s.strip().partition("点")
    value = Decimal(chinese_to_int(whole)) if whole else Decimal(0)
    if frac:
        if not all(ch in CN_DIGITS for ch in frac):
            raise ValueError(f"not a Chinese decimal: {s!r}")
        value += Decimal("0." + "".join(str(CN_DIGITS[ch]) for ch in frac))
    return value


def to_int(s: str) -> int:
    """An Arabic or Chinese ordinal as an int (``12`` or ``十二``)."""
    s = s.strip()
    if s.isdigit():
        return int(s)
    return chinese_to_int(s)


def to_decimal(s: str) -> Decimal:
    """An Arabic number with separators/decimals, or a Chinese numeral.

    >>> to_decimal("1,200.5")
    Decimal('1200.5')
    >>> to_decimal("一千二百")
    Decimal('1200')
    """
    t = s.replace(",", "").replace("，", "").replace(" ", "").strip()
    try:
        return Decimal(t)
    except InvalidOperation:
        return chinese_to_decimal(t)


_YEAR = r"(\d{4}|[一二三四五六七八九〇○零]{4})"
_CN_DATE = re.compile(_YEAR + r"\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日")


def parse_cn_date(s: str) -> str | None:
    """ISO date of the first ``YYYY年M月D日`` (Arabic or Chinese numerals) in ``s``."""
    m = _CN_DATE.search(s)
    if not m:
        return None
    try:
        y, mo, d = (to_int(g) for g in m.groups())
        if not (1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]):
            return None
        return f"{y:04d}-{mo:02d}-{d:02d}"
    except ValueError:
        return None


CN_DATE_RE = _CN_DATE


def month_end(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def add_months(d: date, months: int) -> date:
    """``d`` plus whole months, clipped to the month's last day.

    >>> add_months(date(2024, 2, 29), 36)
    datetime.date(2027, 2, 28)
    """
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------- time phrases

_YEAR = r"\d{4}|[〇○零一二三四五六七八九]{4}"
_SMALL = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
# 到2023年底 / 2023年6月底前 / 2024年上半年 / 2021—2023年 / 三年内 / 6个月内 / “十四五”期间 / 年内 / 明年 /
# 6月底前 (a month of the issue year, or of the next when it has passed) / 年底前 (the issue year's end)
# (the lookahead on the first character lets the engine skip most positions quickly)
TIME_PHRASE_RE = re.compile(
    rf"(?=[到至截在于\d〇○零一二两三四五六七八九十“今本明年全])"
    rf"(?:(?P<to>(?:到|至|截至|截止到?|在|于)\s*)?(?P<y1>{_YEAR})\s*(?:(?:[—–\-~至到]{{1,2}})\s*(?P<y2>\d{{4}})\s*)?年"
    rf"(?:\s*(?P<m>{_SMALL})\s*月(?:\s*(?P<d>{_SMALL})\s*日)?)?"
    rf"(?:\s*(?P<part>年底|年末|底|末|上半年|下半年|第?(?P<q>[一二三四1-4])季度末?))?"
    rf"(?:\s*(?P<before>以前|之前|前))?"
    rf"|(?P<rel>[一二两三四五六七八九十]|\d{{1,2}})\s*(?P<rel_unit>年|个月)(?:内|之内|时间|左右时间|左右)"
    rf"|“?十(?P<fyp>[一二三四五六七八九])五”?\s*(?:期间|时期|末期|期末|末)"
    rf"|(?P<this>今年|本年|明年|年内|全年|(?<![\d〇○零一二三四五六七八九十])年底|(?<![\d〇○零一二三四五六七八九十])年末)(?:底|末|内)?(?:前|以前|之前)?"
    rf"|(?:(?:到|至|在|于)\s*)?(?<![\d年个第每])(?P<mo>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月\s*"
    rf"(?:(?P<mday>[1-3]?\d)\s*日|份)?\s*(?:(?P<mpart>底|末|上旬|中旬|下旬)\s*(?P<mbefore>以前|之前|前)?|(?P<mbefore2>以前|之前|前)))"
)
# A comparison base year is not a deadline: 比2020年增长, 较2020年.
_BASE_YEAR_BEFORE = re.compile(r"(?:比|较|与|相比|基数|同比)\s*$")
# 近三年, 过去两年, 每年: a span of the past or a frequency, not a deadline.
_NOT_RELATIVE_AFTER = ("近", "前", "过去", "每", "第", "这", "最近")


@dataclass
class TimePhrase:
    """A time phrase in a text: where it is, its words, and the date it means."""

    start: int
    end: int
    text: str
    iso: str | None  # the last day the phrase allows; None when it is relative and the issue date unknown
    year: int | None
    forward: bool  # 到/至/前/底/末/内: looks ahead, so it is a deadline, never a statistic's date
    since: bool  # 截至/截止: dates a statistic


def time_phrases(text: str, start: int = 0, end: int | None = None, issued: date | None = None) -> list[TimePhrase]:
    """The time phrases in ``text[start:end]``, with the dates they mean.

    ``issued`` anchors relative phrases (三年内, 年内, 明年).

    >>> [(p.text, p.iso) for p in time_phrases("力争到 2023 年底建成，2024年6月底前验收")]
    [('到 2023 年底', '2023-12-31'), ('2024年6月底前', '2024-06-30')]
    >>> [(p.text, p.iso) for p in time_phrases("“十四五”期间完成，三年内推广", issued=date(2022, 6, 15))]
    [('“十四五”期间', '2025-12-31'), ('三年内', '2025-06-15')]
    >>> time_phrases("比2020年增长一倍")
    []
    >>> [(p.text, p.iso) for p in time_phrases("6月底前上线，9月30日前验收，12月上旬总结", issued=date(2024, 4, 2))]
    [('6月底前', '2024-06-30'), ('9月30日前', '2024-09-30'), ('12月上旬', '2024-12-10')]
    >>> [(p.text, p.iso) for p in time_phrases("3月底前完成", issued=date(2024, 4, 2))]
    [('3月底前', '2025-03-31')]
    """
    found = []
    for m in TIME_PHRASE_RE.finditer(text, start, len(text) if end is None else end):
        p = _time_phrase(text, m, issued)
        if p is not None:
            found.append(p)
    return found


def _time_phrase(text: str, m: re.Match, issued: date | None) -> TimePhrase | None:
    start, end = m.start(), m.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    if _BASE_YEAR_BEFORE.search(text, max(0, start - 4), start):
        return None
    words = text[start:end]
    g = m.groupdict()
    if g["y1"]:
        return _dated_phrase(g, start, end, words)
    if g["rel"]:
        if text[max(0, start - 2):start].endswith(_NOT_RELATIVE_AFTER):
            return None
        n = to_int(g["rel"])
        months = 12 * n if g["rel_unit"] == "年" else n
        iso = add_months(issued, months).isoformat() if issued else None
        return TimePhrase(start, end, words, iso, int(iso[:4]) if iso else None, True, False)
    if g["fyp"]:
        n = 10 + CN_DIGITS[g["fyp"]]
        y = 1955 + 5 * n  # the 3rd five-year plan ended in 1970, each one since five years later: 十四五 → 2025
        return TimePhrase(start, end, words, f"{y}-12-31", y, True, False)
    if g["mo"]:
        return _month_phrase(g, start, end, words, issued, text)
    if g["this"]:
        if text[max(0, start - 2):start].endswith(("每", "每年", "当年", "上年", "去年")):
            return None  # 每年年底: every year's end, not one deadline
        if not issued:
            return TimePhrase(start, end, words, None, None, True, False)
        y = issued.year + (1 if g["this"] == "明年" else 0)
        return TimePhrase(start, end, words, f"{y}-12-31", y, True, False)
    return None


def _month_phrase(g: dict, start: int, end: int, words: str, issued: date | None, text: str) -> TimePhrase | None:
    """6月底前 / 9月30日前 / 12月上旬: a day of the issue year, or of the next when it has already passed."""
    if text[max(0, start - 2):start].endswith(_NOT_RELATIVE_AFTER):
        return None  # 每月10日前: a recurring day
    month = to_int(g["mo"])
    if not 1 <= month <= 12:
        return None
    if not issued:
        return TimePhrase(start, end, words, None, None, True, False)
    day = g["mday"] and int(g["mday"])
    day = day or {"上旬": 10, "中旬": 20}.get(g["mpart"] or "")
    year = issued.year
    try:
        when = date(year, month, day) if day else date.fromisoformat(month_end(year, month))
        if when < issued:
            when = date(year + 1, month, day) if day else date.fromisoformat(month_end(year + 1, month))
    except ValueError:
        return None
    return TimePhrase(start, end, words, when.isoformat(), when.year, True, False)


def _dated_phrase(g: dict, start: int, end: int, words: str) -> TimePhrase | None:
    y = to_int(g["y2"] or g["y1"])
    if not 1900 <= y <= 2200:
        return None
    to = (g["to"] or "").strip()
    forward = bool(g["before"] or g["part"] or to in ("到", "至"))
    since = to.startswith("截")
    try:
        if g["d"] and g["m"]:
            iso = date(y, to_int(g["m"]), to_int(g["d"])).isoformat()
        elif g["m"]:
            iso = month_end(y, to_int(g["m"]))
        elif g["q"]:
            iso = month_end(y, 3 * to_int(g["q"]))
        elif g["part"] == "上半年":
            iso = month_end(y, 6)
        else:
            iso = f"{y:04d}-12-31"
    except (ValueError, calendar.IllegalMonthError):
        return None
    if to in ("在", "于") and not forward:  # 在2023年 → the phrase is 2023年
        words = words[len(g["to"]):].lstrip()
        start = end - len(words)
    return TimePhrase(start, end, words, iso, y, forward, since)
