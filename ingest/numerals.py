"""Chinese and Arabic numerals, and Chinese dates.

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
