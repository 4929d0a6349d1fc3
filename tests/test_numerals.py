"""Chinese and Arabic numerals and Chinese dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from policykg.ingest.numerals import (
    chinese_to_decimal,
    chinese_to_int,
    month_end,
    parse_cn_date,
    time_phrases,
    to_decimal,
    to_int,
)


@pytest.mark.parametrize("numeral,value", [
    ("一", 1), ("十", 10), ("十四", 14), ("二十", 20), ("一百零五", 105), ("八百", 800), ("一千二百", 1200),
    ("两", 2), ("两万", 20_000), ("二十万", 200_000), ("三千万", 30_000_000), ("一亿二千万", 120_000_000),
    ("三万亿", 3_000_000_000_000), ("百亿", 10_000_000_000), ("亿", 100_000_000), ("两万三千", 23_000),
    ("二〇二三", 2023), ("二○二五", 2025), ("一零零", 100), ("壹佰贰拾", 120),
])
def test_numerals_chinese_values(numeral, value):
    assert chinese_to_int(numeral) == value


@pytest.mark.parametrize("numeral", ["", "十四五规划", "abc"])
def test_numerals_reject_what_is_not_a_numeral(numeral):
    with pytest.raises(ValueError):
        chinese_to_int(numeral)


@pytest.mark.parametrize("text,value", [
    ("2000", "2000"), ("1,200", "1200"), ("12,500.5", "12500.5"), ("0.3", "0.3"), ("八百", "800"),
    ("一点五", "1.5"), ("三点零五", "3.05"),
])
def test_numerals_to_decimal(text, value):
    assert to_decimal(text) == Decimal(value)


def test_numerals_chinese_decimal_needs_digits_after_the_point():
    with pytest.raises(ValueError):
        chinese_to_decimal("一点十")


@pytest.mark.parametrize("text,value", [("12", 12), ("十二", 12), ("三十一", 31)])
def test_numerals_to_int(text, value):
    assert to_int(text) == value


@pytest.mark.parametrize("text,iso", [
    ("2022年6月15日", "2022-06-15"), ("二〇二三年三月一日", "2023-03-01"), ("印发于 2024 年 2 月 29 日", "2024-02-29"),
    ("2023年2月29日", None), ("2023年13月1日", None), ("2023年底", None),
])
def test_numerals_parse_cn_date(text, iso):
    assert parse_cn_date(text) == iso


@pytest.mark.parametrize("year,month,iso", [(2023, 6, "2023-06-30"), (2024, 2, "2024-02-29"), (2023, 12, "2023-12-31")])
def test_numerals_month_end(year, month, iso):
    assert month_end(year, month) == iso


@pytest.mark.parametrize("text,words,iso,forward,since", [
    ("到2023年底建成", "到2023年底", "2023-12-31", True, False),
    ("2023 年底前建成", "2023 年底前", "2023-12-31", True, False),
    ("2024年6月底前完成", "2024年6月底前", "2024-06-30", True, False),
    ("2024年第三季度完成", "2024年第三季度", "2024-09-30", True, False),
    ("2024年上半年完成", "2024年上半年", "2024-06-30", True, False),
    ("在2024年完成", "2024年", "2024-12-31", False, False),
    ("2021—2023年行动计划", "2021—2023年", "2023-12-31", False, False),
    ("截至2022年底已建成", "截至2022年底", "2022-12-31", True, True),
    ("到二〇二五年", "到二〇二五年", "2025-12-31", True, False),
    ("“十三五”时期", "“十三五”时期", "2020-12-31", True, False),
    ("两年内完成", "两年内", "2025-03-01", True, False),
    ("明年底前完成", "明年底前", "2024-12-31", True, False),
])
def test_numerals_time_phrases(text, words, iso, forward, since):
    (p,) = time_phrases(text, issued=date(2023, 3, 1))
    assert (text[p.start:p.end], p.text, p.iso, p.forward, p.since) == (words, words, iso, forward, since)


@pytest.mark.parametrize("text", ["较2020年增长一倍", "近三年累计投入", "每年举办一次", "2023年13月底前"])
def test_numerals_not_time_phrases(text):
    assert time_phrases(text, issued=date(2023, 3, 1)) == []
