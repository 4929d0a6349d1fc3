"""Step 2, *normalise*: one canonical text that every offset points into.

* line ends become ``\\n``;
* full-width ASCII (U+FF01–U+FF5E) and the ideographic space fold to their
  half-width forms **one character for one character**, as do the look-alike
  radicals PDF fonts emit (``⼈`` → ``人``), so folding never moves an offset;
* lines that a page break or a hard wrap split inside a sentence are joined
  (the sample has ``人工智\\n\\n能``).
"""

from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement forms that NFKC leaves alone but PDF fonts use for
# the simplified ideographs they look like.
_RADICAL_SUPPLEMENT = {
    "⺠": "民", "⻚": "页", "⻓": "长", "⻔": "门", "⻆": "角", "⻅": "见", "⻉": "贝",
    "⻋": "车", "⻛": "风", "⻜": "飞", "⻝": "食", "⻢": "马", "⻥": "鱼", "⻦": "鸟",
    "⻩": "黄", "⻬": "齐", "⻮": "齿", "⻳": "龟", "⺟": "母", "⺁": "厂", "⺇": "几",
    "⺊": "卜", "⺌": "小", "⺗": "心", "⺮": "竹", "⺶": "羊", "⺷": "羊", "⻊": "足",
    "⻏": "阝", "⻖": "阝", "⺈": "⺈", "⻄": "西", "⻘": "青", "⻨": "麦", "⻰": "龙",
    "⻯": "龙", "⻒": "镸", "⻗": "雨", "⻣": "骨", "⻤": "鬼", "⻧": "卤", "⻪": "黾",
    "⻫": "齐", "⻭": "齿", "⺫": "目", "⺲": "罒", "⺩": "王", "⺪": "疋", "⺯": "糸",
    "⺰": "纟", "⺸": "羊", "⺻": "聿", "⺼": "月", "⺽": "臼", "⺾": "艹", "⺿": "艹",
    "⻀": "艹", "⻁": "虎", "⻂": "衤", "⻃": "覀", "⻇": "觅", "⻈": "讠", "⻌": "辶",
    "⻍": "辶", "⻎": "辶", "⻐": "钅", "⻑": "長", "⻕": "門", "⻙": "韦", "⻟": "饣",
    "⻡": "首", "⻠": "飠", "⺅": "亻", "⺉": "刂", "⺋": "㔾", "⺎": "兀", "⺏": "尣",
    "⺐": "尢", "⺑": "尣", "⺒": "巳", "⺓": "幺", "⺔": "彑", "⺖": "忄", "⺘": "扌",
    "⺙": "攵", "⺛": "旡", "⺜": "日", "⺝": "月", "⺞": "歺", "⺡": "氵", "⺢": "氺",
    "⺣": "灬", "⺤": "爫", "⺥": "爫", "⺦": "丬", "⺧": "牛", "⺨": "犭", "⺪": "疋",
    "⺬": "示", "⺭": "礻", "⺱": "冈", "⺳": "网", "⺴": "网", "⺵": "网", "⺺": "肀",
    "⺂": "乛", "⺃": "乚", "⺄": "乙", "⺆": "冂", "⺍": "丷", "⺕": "彐", "⺹": "耂",
    "⻱": "龜", "⻲": "亀",
}


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII → ASCII
        table[cp] = chr(cp - 0xFEE0)
    table[0x3000] = " "  # ideographic space
    table[0x00A0] = " "  # no-break space
    for cp in range(0x2F00, 0x2FD6):  # Kangxi radicals → unified ideographs
        mapped = unicodedata.normalize("NFKC", chr(cp))
        if len(mapped) == 1:
            table[cp] = mapped
    for src, dst in _RADICAL_SUPPLEMENT.items():
        if len(dst) == 1 and dst != src:
            table[ord(src)] = dst
    # CJK compatibility ideographs (some PDF fonts and old converters emit them) → the unified ideograph
    for cp in (*range(0xF900, 0xFADA), *range(0x2F800, 0x2FA1E)):
        mapped = unicodedata.normalize("NFKC", chr(cp))
        if len(mapped) == 1 and mapped != chr(cp):
            table[cp] = mapped
    for cp in range(0xD800, 0xE000):  # a lone surrogate cannot be stored: show it as U+FFFD
        table[cp] = "\ufffd"
    return table


FOLD_TABLE = _build_fold_table()


def fold(text: str) -> str:
    """Fold full-width ASCII and look-alike radicals, one character for one.

    >>> fold("（责任单位：区科委）２０２３年")
    '(责任单位:区科委)2023年'
    >>> len(fold("ＡＢＣ")) == len("ＡＢＣ")
    True
    """
    return text.translate(FOLD_TABLE)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")


# A line that ends a sentence, a heading, a note or a header field.
_TERMINAL = set("。！？!?；;：:…”’」』】〕)）>》")
# Lines that start a new unit: heading markers, notes, attachments, dates.
_STARTS_BLOCK = re.compile(
    r"^\s*(?:"
    r"[一二三四五六七八九十百]+\s*[、.．]"  # 一、
    r"|[(（]\s*[一二三四五六七八九十百]+\s*[)）]"  # （一）
    r"|\d{1,3}\s*[.．、](?!\d)"  # 1.
    r"|[(（]\s*\d{1,3}\s*[)）]"  # (1)
    r"|[①-⑳]"  # ①
    r"|第[一二三四五六七八九十百零〇\d]+[章节条款部分]"  # 第一章
    r"|附件|附表|抄送|主送|[（(]?此件"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$"  # a date line
    r")"
)
_TITLE_ENDING = re.compile(r"(通知|意见|方案|办法|规定|决定|细则|计划|规划|纲要|要点|通报|报告|函|批复|公告|通告|措施|条例|决议|纪要|[（(](试行|暂行)[)）])\s*$")
_SENTENCE_PUNCT = re.compile(r"[，,。；;、]")
# A row of a table: cells separated by a tab, a |, or two runs of 2+ spaces (never healed into prose).
_TABLE_ROW = re.compile(r"\t|\S\s*\|\s*\S|\S {2,}\S+(?: \S+)* {2,}\S")


def _is_continuable(line: str) -> bool:
    """Could this line be the first half of a sentence that a break split?"""
    s = line.strip()
    if len(s) < 12 or s[-1] in _TERMINAL:
        return False
    if _TABLE_ROW.search(line.strip(" ")):
        return False  # a table row ends at its line end
    if not _SENTENCE_PUNCT.search(s):
        return False  # titles, names, signature lines, dates
    if _TITLE_ENDING.search(s):
        return False
    if _STARTS_BLOCK.match(s) and "。" not in s:
        return False  # a heading that happens to contain a comma
    return True


def starts_block(line: str) -> bool:
    """Does the line open a new unit (a heading, a note, an attachment, a date)?

    >>> starts_block("（二）行动目标"), starts_block("服务有效供给。")
    (True, False)
    """
    return bool(_STARTS_BLOCK.match(fold(line).strip()))


def _is_continuation(line: str) -> bool:
    s = line.strip()
    return bool(s) and not _STARTS_BLOCK.match(s) and not _TABLE_ROW.search(line.strip(" "))


def _closes_open_bracket(line: str, nxt: str) -> bool:
    """Does ``line`` end inside a bracket that ``nxt`` closes (``(责任`` / ``单位:区科委)``)?"""
    s = line.strip()
    if not s or _TABLE_ROW.search(line.strip(" ")) or s.count("(") <= s.count(")"):
        return False
    if s.rfind("(") < len(s) - 12:
        return False  # the open bracket is not near the break
    t = nxt.strip()
    close = t.find(")")
    return close > 0 and (t.find("(") < 0 or close < t.find("("))


def _join(a: str, b: str) -> str:
    a, b = a.rstrip(), b.lstrip()
    if a and b and a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha():
        return a + " " + b  # Latin words wrap at a space ("digital\nplatform"); Chinese and digits anywhere
    return a + b


def heal_breaks(text: str) -> str:
    """Join lines split inside a sentence by a page break or a hard wrap.

    >>> heal_breaks("建成以大数据、云计算、人工智\\n\\n能等技术搭建平台。\\n\\n二、专项行动")
    '建成以大数据、云计算、人工智能等技术搭建平台。\\n\\n二、专项行动'
    >>> heal_breaks("上海市普陀区人民政府办公室\\n\\n2022年6月15日")
    '上海市普陀区人民政府办公室\\n\\n2022年6月15日'
    >>> heal_breaks("培育一批企业。(责任\\n单位:区科委)")
    '培育一批企业。(责任单位:区科委)'
    """
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        # find the next non-blank line
        j = i + 1
        while j < n and not lines[j].strip():
            j += 1
        if j < n and j - i <= 3 and _is_continuation(lines[j]) and (
                _is_continuable(line) or _closes_open_bracket(line, lines[j])):
            lines[j] = _join(line, lines[j])
            i = j
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def normalise(text: str) -> str:
    """The whole normalisation: newlines, fold, heal; the result is stored."""
    text = normalise_newlines(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = fold(text)
    text = heal_breaks(text)
    return text.strip("\n") + "\n" if text.strip() else ""
