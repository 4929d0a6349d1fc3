"""Word .docx → text: paragraphs and tables in document order, with the list
numbers Word shows but does not store in the text (see :mod:`.formats`)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from ..errors import IngestError
from .formats import _not_a, _reason

# A .docx is a ZIP; refuse one that unpacks to more than this many times the
# file's own size (a "zip bomb") or past this absolute size.
_MAX_UNZIP_RATIO = 200
_MAX_UNZIP_BYTES = 1 << 30

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _wval(el, attr: str = "val") -> str | None:
    return None if el is None else el.get(_w(attr))


_P, _TBL, _TR, _TC, _SDT, _SDTCONTENT = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("sdt"), _w("sdtContent")
_T, _TAB, _BR, _CR = _w("t"), _w("tab"), _w("br"), _w("cr")
# Subtrees whose text is not part of the running text (properties, deleted
# text, field codes, text boxes — read separately — and the VML duplicate of
# a drawing).
_SKIP = {_w("pPr"), _w("rPr"), _w("del"), _w("moveFrom"), _w("instrText"), _w("delText"), _w("txbxContent"),
         f"{{{_MC}}}Fallback", _w("footnoteReference"), _w("endnoteReference"), _w("commentReference")}


def docx_text(data: bytes, source: str) -> tuple[str, list[str]]:
    """The text of a Word .docx file: paragraphs, numbering and tables in order."""
    import zipfile

    if not data.startswith(b"PK\x03\x04"):
        raise IngestError(source, _not_a("Word .docx", data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            unpacked = sum(i.file_size for i in infos)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
        raise IngestError(source, f"is not a valid Word .docx file: it is damaged or truncated ({_reason(e)})") from None
    if "word/document.xml" not in names:
        raise IngestError(source, "is a ZIP archive but not a Word .docx file (it has no word/document.xml)")
    if unpacked > min(_MAX_UNZIP_BYTES, max(len(data), 1 << 20) * _MAX_UNZIP_RATIO):
        raise IngestError(source, f"unpacks to {unpacked:,} bytes, too much for a Word file of {len(data):,} bytes "
                                  "(a damaged or malicious archive)")
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        numbering = _Numbering(document)
        lines: list[str] = []
        _docx_blocks(body, numbering, lines)
    except IngestError:
        raise
    except RecursionError:
        raise IngestError(source, "is a Word file nested too deeply to read") from None
    except Exception as e:  # python-docx and lxml raise many kinds on damaged files
        raise IngestError(source, f"is not a valid Word .docx file ({_reason(e)})") from None
    text = "\n".join(lines)
    if not text.strip():
        raise IngestError(source, "is a Word file with no text in its body")
    return text, []


def _docx_blocks(parent, numbering: "_Numbering", lines: list[str]) -> None:
    for el in parent.iterchildren():
        if el.tag == _P:
            boxes: list[str] = []
            text = _run_text(el, boxes)
            label = numbering.label(el)
            lines.append((label + text).strip(" \t\u3000\xa0") if text.strip() or label else "")
            lines.extend(boxes)
        elif el.tag == _TBL:
            lines.extend(_docx_table(el, numbering))
        elif el.tag in (_SDT, _SDTCONTENT) or el.tag in (_w("customXml"), _w("smartTag")):
            _docx_blocks(el.find(_SDTCONTENT) if el.tag == _SDT and el.find(_SDTCONTENT) is not None else el,
                         numbering, lines)


def _run_text(p, boxes: list[str]) -> str:
    """The visible text of one paragraph; text boxes it anchors go to ``boxes``."""
    out: list[str] = []

    def walk(el) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == _T:
                out.append(child.text or "")
            elif tag == _TAB and el.tag != _w("tabs"):
                out.append("\t")
            elif tag in (_BR, _CR):
                out.append("\n")
            elif tag == _w("noBreakHyphen"):
                out.append("-")
            elif tag == _w("sym"):
                code = _wval(child, "char") or ""
                try:
                    ch = chr(int(code, 16))
                    out.append(ch if ch.isprintable() and not 0xF000 <= ord(ch) <= 0xF0FF else "")
                except ValueError:
                    pass
            elif tag == _w("txbxContent"):
                sub: list[str] = []
                for para in child.iter(_P):
                    t = _run_text(para, sub).strip()
                    if t:
                        boxes.append(t)
            elif tag not in _SKIP:
                walk(child)

    walk(p)
    text = "".join(out)
    if text.count("\t") == 1:
        text = text.replace("\t", " ")  # one tab aligns a number or a signature; two or more make a row
    return text


def _docx_table(tbl, numbering: "_Numbering") -> list[str]:
    """One line per row, cells separated by a tab; merged cells repeat their text."""
    rows: list[str] = []
    above: dict[int, str] = {}  # grid column → text of the cell a vertical merge continues
    for tr in tbl.iterchildren(_TR):
        col = int(_wval(tr.find(f"{_w('trPr')}/{_w('gridBefore')}")) or 0)
        cells: list[str] = []
        for tc in tr.iterchildren(_TC):
            tcpr = tc.find(_w("tcPr"))
            span = int(_wval(tcpr.find(_w("gridSpan")) if tcpr is not None else None) or 1)
            vmerge = tcpr.find(_w("vMerge")) if tcpr is not None else None
            inner: list[str] = []
            _docx_blocks(tc, numbering, inner)
            text = " ".join(t.replace("\t", " ").strip() for t in inner if t.strip())
            if vmerge is not None and _wval(vmerge) in (None, "continue"):
                text = above.get(col, text)
            elif vmerge is not None:
                above[col] = text
            else:
                above.pop(col, None)
            cells.append(text)
            col += max(1, min(span, 64))
        if any(cells):
            rows.append("\t".join(cells))
    return rows


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    suffix: str = "tab"
    legal: bool = False


class _Numbering:
    """Word's list numbering: which number a numbered paragraph shows."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, _Level]] = {}  # abstractNumId → levels
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}  # numId → (abstract, starts, lvls)
        self.style_numpr: dict[str, tuple[str | None, str | None, str | None]] = {}  # styleId → numId, ilvl, basedOn
        self.counters: dict[str, list[int | None]] = {}
        self.pending: dict[str, dict[int, int]] = {}
        self.seen: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part
            root = None
        if root is not None:
            links: dict[str, str] = {}
            for a in root.iterchildren(_w("abstractNum")):
                aid = _wval(a, "abstractNumId") or ""
                self.levels[aid] = {int(_wval(lv, "ilvl") or 0): self._level(lv) for lv in a.iterchildren(_w("lvl"))}
                link = a.find(_w("numStyleLink"))
                if link is not None:
                    links[aid] = _wval(link) or ""
            for n in root.iterchildren(_w("num")):
                nid = _wval(n, "numId") or ""
                aid = _wval(n.find(_w("abstractNumId"))) or ""
                starts, lvls = {}, {}
                for ov in n.iterchildren(_w("lvlOverride")):
                    ilvl = int(_wval(ov, "ilvl") or 0)
                    so = ov.find(_w("startOverride"))
                    if so is not None:
                        starts[ilvl] = _int(_wval(so), 1)
                    lv = ov.find(_w("lvl"))
                    if lv is not None:
                        lvls[ilvl] = self._level(lv)
                self.nums[nid] = (aid, starts, lvls)
            self._links = links
        else:
            self._links = {}
        try:
            styles = document.styles.element
        except Exception:
            styles = None
        if styles is not None:
            for st in styles.iterchildren(_w("style")):
                sid = _wval(st, "styleId") or ""
                numpr = st.find(f"{_w('pPr')}/{_w('numPr')}")
                based = _wval(st.find(_w("basedOn")))
                self.style_numpr[sid] = (_wval(numpr.find(_w("numId"))) if numpr is not None else None,
                                         _wval(numpr.find(_w("ilvl"))) if numpr is not None else None, based)
        # an abstract definition that only links to a numbering style borrows that style's list
        for aid, style in self._links.items():
            nid = self.style_numpr.get(style, (None, None, None))[0]
            if nid in self.nums and self.nums[nid][0] != aid and not self.levels.get(aid):
                self.levels[aid] = self.levels.get(self.nums[nid][0], {})

    @staticmethod
    def _level(lv) -> _Level:
        return _Level(fmt=_wval(lv.find(_w("numFmt"))) or "decimal",
                      text=_wval(lv.find(_w("lvlText"))) if lv.find(_w("lvlText")) is not None else "",
                      start=_int(_wval(lv.find(_w("start"))), 1),
                      suffix=_wval(lv.find(_w("suff"))) or "tab",
                      legal=lv.find(_w("isLgl")) is not None)

    def _numpr(self, p) -> tuple[str | None, int]:
        ppr = p.find(_w("pPr"))
        numpr = ppr.find(_w("numPr")) if ppr is not None else None
        nid = ilvl = None
        if numpr is not None:
            nid = _wval(numpr.find(_w("numId")))
            ilvl = _wval(numpr.find(_w("ilvl")))
        if nid is None and ppr is not None:  # numbering that comes with the paragraph style
            sid, hops = _wval(ppr.find(_w("pStyle"))), 0
            while sid and hops < 20:
                snid, silvl, based = self.style_numpr.get(sid, (None, None, None))
                if snid is not None:
                    nid, ilvl = snid, ilvl if ilvl is not None else silvl
                    break
                sid, hops = based, hops + 1
        return nid, _int(ilvl, 0)

    def label(self, p) -> str:
        """The number a numbered paragraph shows (``"（一）"``), or ``""``."""
        nid, ilvl = self._numpr(p)
        if not nid or nid == "0" or nid not in self.nums or not 0 <= ilvl <= 8:
            return ""
        aid, starts, overrides = self.nums[nid]
        levels = {**self.levels.get(aid, {}), **overrides}
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self.counters.setdefault(aid, [None] * 9)
        if nid not in self.seen:
            self.seen.add(nid)
            for lvl, start in starts.items():
                if 0 <= lvl <= 8:
                    counters[lvl] = None
                    self.pending.setdefault(aid, {})[lvl] = start
        if counters[ilvl] is None:
            counters[ilvl] = self.pending.get(aid, {}).pop(ilvl, level.start)
        else:
            counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        if level.fmt in ("bullet", "none") or not level.text:
            return ""

        def number(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k, _Level())
            value = counters[k] if 0 <= k <= 8 and counters[k] is not None else lv.start
            return format_number(value, "decimal" if level.legal and k < ilvl else lv.fmt)

        label = re.sub(r"%([1-9])", number, level.text)
        if not label:
            return ""
        if level.suffix != "nothing" and label[-1].isascii():
            label += " "  # "1." + tab shows as "1. 体量"; "一、" needs no space
        return label


def _int(s: str | None, default: int) -> int:
    try:
        return int(s) if s is not None else default
    except ValueError:
        return default


_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def chinese_counting(n: int, digits: str = _CN_DIGITS, ten: str = "十", hundred: str = "百") -> str:
    """``chineseCounting``: 1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五.

    >>> [chinese_counting(n) for n in (1, 10, 11, 20, 21, 100, 105, 110)]
    ['一', '十', '十一', '二十', '二十一', '一百', '一百零五', '一百一十']
    """
    if n < 0 or n >= 1000:
        return str(n)
    if n < 10:
        return digits[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 and digits is _CN_DIGITS else digits[tens]) + ten + (digits[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    out = digits[hundreds] + hundred
    if rest == 0:
        return out
    if rest < 10:
        return out + digits[0] + digits[rest]
    tens, ones = divmod(rest, 10)
    return out + digits[tens] + ten + (digits[ones] if ones else "")


def _letters(n: int) -> str:
    if n <= 0:
        return str(n)
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                       (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    """A list number in one of Word's number formats (``w:numFmt``).

    >>> [format_number(3, f) for f in ("decimal", "chineseCounting", "decimalEnclosedCircle", "lowerLetter")]
    ['3', '三', '③', 'c']
    """
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
               "japaneseCounting", "ideographDigital", "taiwaneseDigital", "koreanCounting"):
        return chinese_counting(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        return chinese_counting(n, _CN_LEGAL, "拾", "佰")
    if fmt == "ideographTraditional":
        return _HEAVENLY_STEMS[n - 1] if 1 <= n <= 10 else str(n)
    if fmt == "ideographZodiac":
        return _EARTHLY_BRANCHES[n - 1] if 1 <= n <= 12 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}."
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"})
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    return str(n)
