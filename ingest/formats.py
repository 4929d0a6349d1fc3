"""Step 1, *read*, for files that are not plain text: .docx, .pdf, .html → text.

Each reader gives the text a person sees, one paragraph per line, so the rest
of the pipeline treats every form alike:

* **.docx** (python-docx): body paragraphs and tables in document order; Word
  auto-numbering that is not in the text is rendered as the reader sees it
  (``一、`` / ``（一）`` / ``1.`` …) from the numbering definitions; each table
  row is one line with its cells separated by one tab (the task-table
  convention of :mod:`policykg.ingest.tables`); a vertically merged cell
  repeats its text in every row it spans.
* **.pdf** (pdfplumber): lines rebuilt from the characters in reading order;
  running headers and footers that repeat on every page, page numbers
  (``— 3 —``, ``- 3 -``, ``第3页``) and a browser's date/title/URL lines are
  dropped; lines wrapped inside a paragraph are joined again (a line that
  reaches the right margin continues on the next one); ruled tables become
  tab-separated rows.  Look-alike radicals the fonts emit (``⼈``, ``⺠``) are
  folded by :mod:`policykg.ingest.normalise`.  A PDF without a text layer (a
  scan) is refused with an error that says so.
* **.html** (beautifulsoup4 + lxml): the declared charset (``<meta
  charset=gbk>`` …) checked against the bytes; the article body — not the
  site's menu, scripts, styles or footer — found as the block that holds most
  of the page's Chinese text outside links.

Every failure is an :class:`~policykg.errors.IngestError` naming the file and
the reason.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
from collections import Counter
from dataclasses import dataclass

from ..errors import IngestError
from .read import HTML_SUFFIXES, RawText, _looks_like, chinese_score, decode_text

# A .docx is a ZIP; refuse one that unpacks to more than this many times the
# file's own size (a "zip bomb") or past this absolute size.
_MAX_UNZIP_RATIO = 200
_MAX_UNZIP_BYTES = 1 << 30


def extract_text(data: bytes, *, source: str, suffix: str) -> RawText:
    """The text of a .docx, .pdf or .html file (by ``suffix``)."""
    if suffix == ".docx":
        text, notes = docx_text(data, source)
        return RawText(text=text, source=source, encoding=None, format="docx", data=data, notes=notes)
    if suffix == ".pdf":
        text, notes = pdf_text(data, source)
        return RawText(text=text, source=source, encoding=None, format="pdf", data=data, notes=notes)
    if suffix in HTML_SUFFIXES:
        text, encoding, notes = html_text(data, source)
        return RawText(text=text, source=source, encoding=encoding, format="html", data=data, notes=notes)
    raise IngestError(source, f"has the unsupported file type {suffix!r}")


def _reason(e: BaseException) -> str:
    """A short, one-line reason from a library's exception."""
    msg = re.sub(r"\s+", " ", str(e)).strip() or type(e).__name__
    return msg if len(msg) <= 120 else msg[:117] + "…"


def _not_a(kind: str, data: bytes) -> str:
    """``is named .pdf but is plain text …``: what the bytes are instead."""
    what = _looks_like(data)
    if what is None:
        try:
            decode_text(data[:4096])
            what = "plain text"
        except IngestError:
            what = "something else"
    return f"is not a {kind} file (it is {what}); give it the right file extension"


# ============================================================== .docx

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


# ============================================================== .pdf

# A line that is only a page number: "— 3 —", "- 3 -", "第3页", "第 3 页 共 10 页", "3/10", "Page 3 of 10".
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－─~·•\s]*\d{1,4}[-—–－─~·•\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)\s*$", re.I)
# What a browser prints around a page: a date/time line (with the page title) and a URL line (with "1/10").
_BROWSER_DATE = re.compile(r"^\s*(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|\d{4}年\d{1,2}月\d{1,2}日)[,，]?\s+"
                           r"(?:(?:上午|下午)\s*)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:AM|PM|am|pm))?\b")
_URL_LINE = re.compile(r"^\s*(?:https?|file|about|blob):/*\S*(?:\s+\d{1,4}\s*/\s*\d{1,4})?\s*$")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


@dataclass
class _PdfLine:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    table: bool = False  # rows of a ruled table: never joined to their neighbours


def pdf_text(data: bytes, source: str) -> tuple[str, list[str]]:
    """The text of a PDF in reading order, without running headers and footers."""
    head = data[:1024]
    if b"%PDF-" not in head:
        raise IngestError(source, _not_a("PDF", data))
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings are not the user's business
    import pdfplumber

    pages: list[list[_PdfLine]] = []
    images = 0
    cid = 0
    chars = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                images += len(page.images)
                lines = _page_lines(page)
                for ln in lines:
                    chars += len(ln.text)
                    cid += ln.text.count("(cid:")
                pages.append(lines)
    except IngestError:
        raise
    except RecursionError:
        raise IngestError(source, "is a PDF nested too deeply to read") from None
    except Exception as e:  # pdfminer raises many kinds on damaged, encrypted or fake files
        name = type(e).__name__
        if "Password" in name or "Encrypt" in name or "password" in str(e).lower():
            raise IngestError(source, "is a password-protected PDF; remove the password and try again") from None
        raise IngestError(source, f"is not a readable PDF file: it is damaged or truncated ({_reason(e)})") from None
    if not pages:
        raise IngestError(source, "is a PDF with no pages")
    if chars == 0:
        if images:
            raise IngestError(source, "is a PDF without a text layer (it looks like a scanned image); run OCR on it "
                                      "first (for example `ocrmypdf in.pdf out.pdf`) and ingest the result")
        raise IngestError(source, "is a PDF with no text in it")
    if cid * 5 > chars / 4:
        raise IngestError(source, "is a PDF whose fonts carry no Unicode mapping, so its text cannot be extracted; "
                                  "run OCR on it or export it again")
    dropped = _drop_running_lines(pages)
    text = _simplified_radicals(_join_pdf_lines([ln for page in pages for ln in page]))
    notes = [f"dropped {dropped} running header/footer and page-number line(s)"] if dropped else []
    return text, notes


# Kangxi radicals whose Unicode equivalent is the Traditional form but which a
# Simplified font draws — and a PDF maps back — for the Simplified character.
_SIMPLIFIED_RADICALS = str.maketrans({"\u2f3e": "户", "\u2fad": "青", "\u2fc8": "黄"})


def _simplified_radicals(text: str) -> str:
    """``用⼾`` in a Simplified-Chinese PDF is 用户 (NFKC would make it 用戶)."""
    han = [ch for ch in text[:20000] if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return text
    simplified = 0
    for ch in han:
        try:
            ch.encode("gb2312")
            simplified += 1
        except UnicodeEncodeError:
            pass
    return text.translate(_SIMPLIFIED_RADICALS) if simplified >= 0.9 * len(han) else text


def _page_lines(page) -> list[_PdfLine]:
    """Lines of one page, top to bottom; ruled tables become tab-separated rows."""
    page = page.dedupe_chars()
    tables: list[tuple[tuple[float, float, float, float], list[str]]] = []
    if page.rects or page.lines:
        try:
            found = page.find_tables()
        except Exception:  # table finding is a bonus, never a failure
            found = []
        for t in found:
            rows = _pdf_table_rows(t)
            if len(rows) >= 2:
                tables.append((t.bbox, rows))
    boxes = [b for b, _ in tables]
    chars = [c for c in page.chars if c.get("text") and c.get("upright", True)
             and not any(b[0] - 1 <= (c["x0"] + c["x1"]) / 2 <= b[2] + 1 and b[1] - 1 <= (c["top"] + c["bottom"]) / 2
                         <= b[3] + 1 for b in boxes)]
    lines = _chars_to_lines(chars)
    for (x0, top, x1, bottom), rows in tables:
        size = 10.0
        for i, row in enumerate(rows):
            lines.append(_PdfLine(row, x0, x1, top + i * 0.001, bottom, size, table=True))
    lines.sort(key=lambda ln: ln.top)
    return lines


def _chars_to_lines(chars: list[dict]) -> list[_PdfLine]:
    chars = sorted(chars, key=lambda c: (c["top"], c["x0"]))
    groups: list[list[dict]] = []
    for c in chars:
        mid = (c["top"] + c["bottom"]) / 2
        for g in reversed(groups[-3:]):
            top, bottom = g[0]["top"], g[0]["bottom"]
            if top - 0.5 <= mid <= bottom + 0.5 and abs(c["top"] - top) <= max(1.0, 0.4 * (bottom - top)):
                g.append(c)
                break
        else:
            groups.append([c])
    lines = []
    for g in groups:
        g.sort(key=lambda c: c["x0"])
        sizes = sorted(c.get("size", 10.0) or 10.0 for c in g)
        size = sizes[len(sizes) // 2]
        parts: list[str] = []
        prev = None
        for c in g:
            t = c["text"]
            if t.isspace():
                if parts and parts[-1] != " ":
                    parts.append(" ")
                prev = c
                continue
            if prev is not None and not prev["text"].isspace() and c["x0"] - prev["x1"] > 0.3 * size:
                parts.append(" ")
            parts.append(t)
            prev = c
        text = "".join(parts).strip()
        if text:
            lines.append(_PdfLine(text, g[0]["x0"], max(c["x1"] for c in g), min(c["top"] for c in g),
                                  max(c["bottom"] for c in g), size))
    return lines


def _pdf_table_rows(table) -> list[str]:
    """A pdfplumber table as tab-separated rows; a merged cell repeats its text."""
    try:
        data = table.extract()
        row_cells = [r.cells for r in table.rows]
    except Exception:
        return []
    texts: dict[tuple, str] = {}
    for cells, values in zip(row_cells, data):
        for box, value in zip(cells, values):
            if box is not None:
                texts[tuple(box)] = _cell_text(value)
    out = []
    for cells, values in zip(row_cells, data):
        row = []
        for j, (box, value) in enumerate(zip(cells, values)):
            if box is None:  # covered by a merged cell: the one above (vertical) or to the left (horizontal)
                value = _covering(texts, cells, row_cells, j)
                if value is None:
                    continue
                row.append(value)
            else:
                row.append(_cell_text(value))
        if len(row) >= 2 and any(row):
            out.append("\t".join(row))
    return out


def _covering(texts: dict[tuple, str], cells, row_cells, j: int) -> str | None:
    ys = [b for b in cells if b is not None]
    if not ys:
        return None
    top, bottom = ys[0][1], ys[0][3]
    xs = [r[j] for r in row_cells if j < len(r) and r[j] is not None]
    if not xs:
        return None
    x0, x1 = xs[0][0], xs[0][2]
    cx, cy = (x0 + x1) / 2, (top + bottom) / 2
    for box, text in texts.items():
        if box[0] <= cx <= box[2] and box[1] <= cy <= box[3]:
            if box[0] < x0 - 1:  # a horizontal merge: the text is already in the row once
                return None
            return text
    return ""


def _cell_text(value: str | None) -> str:
    if not value:
        return ""
    parts = [p.strip() for p in value.split("\n") if p.strip()]
    out = ""
    for p in parts:
        out = _join_words(out, p) if out else p
    return out.replace("\t", " ")


def _join_words(a: str, b: str) -> str:
    """Join a wrapped line: Latin words wrap at a space, everything else (Chinese, digits) anywhere."""
    if a and b and a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha():
        return a + " " + b
    return a + b


def _drop_running_lines(pages: list[list[_PdfLine]]) -> int:
    """Remove headers, footers and page numbers: lines at the top or bottom of
    a page that repeat on most pages (digits aside), and lines that look like a
    page number or a browser's date/URL line."""
    n = len(pages)
    keys: Counter = Counter()

    def key(ln: _PdfLine) -> tuple[str, int]:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", ln.text)), round(ln.top / 8)

    def edge(lines: list[_PdfLine]) -> list[_PdfLine]:
        body = [ln for ln in lines if not ln.table]
        return body[:2] + body[-2:] if len(body) > 4 else body

    for lines in pages:
        keys.update({key(ln) for ln in edge(lines)})
    need = max(2, (n + 1) // 2)
    dropped = 0
    for i, lines in enumerate(pages):
        drop = set()
        for ln in edge(lines):
            if (n >= 2 and keys[key(ln)] >= need) or _PAGE_NUMBER.match(ln.text) or _BROWSER_DATE.match(ln.text) \
                    or _URL_LINE.match(ln.text):
                drop.add(id(ln))
        if drop:
            pages[i] = [ln for ln in lines if id(ln) not in drop]
            dropped += len(drop)
    return dropped


def _join_pdf_lines(lines: list[_PdfLine]) -> str:
    """Paragraphs again: a line that reaches the right margin continues on the
    next line unless that one is indented or starts a heading."""
    from .normalise import starts_block

    body = [ln for ln in lines if not ln.table]
    if not body:
        return "\n".join(ln.text for ln in lines)
    left = _edge([ln.x0 for ln in body], low=True)
    right = _edge([ln.x1 for ln in body], low=False)
    out: list[str] = []
    prev: _PdfLine | None = None
    for ln in lines:
        if prev is not None and not prev.table and not ln.table:
            full = prev.x1 >= right - 1.2 * prev.size
            indented = ln.x0 > left + 0.6 * ln.size
            if full and not indented and not starts_block(ln.text):
                out[-1] = _join_words(out[-1], ln.text)
                prev = ln
                continue
        out.append(ln.text)
        prev = ln
    return "\n".join(out)


def _edge(values: list[float], *, low: bool) -> float:
    """The text block's left (``low``) or right margin: the extreme position
    that several lines share (a stray wide line does not move it)."""
    buckets = Counter(round(v / 2) for v in values)
    common = [b for b, c in buckets.items() if c >= max(2, len(values) // 20)] or list(buckets)
    return (min(common) if low else max(common)) * 2


# ============================================================== .html

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.I)
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                    "cp936": "gb18030", "ms936": "gb18030", "windows-936": "gb18030", "big5": "big5",
                    "x-x-big5": "big5", "big5-hkscs": "big5hkscs", "unicode": "utf-16", "utf8": "utf-8"}
# Tags whose text is never the article.
_DROP_TAGS = ["script", "style", "noscript", "template", "iframe", "svg", "canvas", "object", "embed", "nav", "footer",
              "aside", "select", "button", "input", "textarea"]
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
               "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tbody", "thead", "tfoot", "center", "address",
               "figure", "figcaption", "hr", "form", "fieldset"}
# Class/id words of page furniture (menus, breadcrumbs, share bars, footers).
_FURNITURE = re.compile(r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumb|crumb|footer|foot|copyright|share|sidebar|"
                        r"topbar|toolbar|login|search|comment|related|friendlink|links?)(?:$|[-_\s\d])", re.I)


def html_text(data: bytes, source: str) -> tuple[str, str, list[str]]:
    """The article text of a saved web page: ``(text, encoding, notes)``."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if data.lstrip().startswith((b"%PDF-", b"PK\x03\x04")) or (b"\x00" in data[:4096] and not utf16):
        raise IngestError(source, _not_a("web page (HTML)", data))
    markup, encoding = _decode_html(data, source)
    try:
        import warnings

        from bs4 import BeautifulSoup

        with warnings.catch_warnings():  # bs4's advice about XHTML or URL-like text is not the user's business
            warnings.simplefilter("ignore")
            soup = BeautifulSoup(markup, "lxml")
        article, where = _find_article(soup)
        text = _block_text(article)
    except IngestError:
        raise
    except RecursionError:
        raise IngestError(source, "is a web page nested too deeply to read") from None
    except Exception as e:
        raise IngestError(source, f"is not a readable web page ({_reason(e)})") from None
    if not text.strip():
        raise IngestError(source, "is a web page with no text in its body")
    return text, encoding, [f"took the article from {where}"]


def _decode_html(data: bytes, source: str) -> tuple[str, str]:
    """The page's text in its declared charset when the bytes agree, else as detected."""
    declared = None
    for pattern in (_XML_ENCODING, _META_CHARSET):
        m = pattern.search(data[:8192])
        if m:
            declared = m.group(1).decode("ascii", "replace").strip().lower()
            break
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            declared = enc
            break
    if declared:
        enc = _CHARSET_ALIASES.get(declared, declared)
        try:
            enc = codecs.lookup(enc).name
            text = data.decode(enc)
            if enc in ("utf-8", "utf-8-sig", "utf-16") or not _han(text) or chinese_score(text) >= 0.3:
                return text, enc
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: detect instead
    text, enc = decode_text(data, source)
    return text, enc


def _han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text[:20000])


def _cjk_outside_links(el) -> int:
    n = 0
    for s in el.find_all(string=True):
        if s.find_parent("a") is not None:
            continue
        n += len(_CJK.findall(s))
    return n


def _find_article(soup) -> tuple[object, str]:
    """The element that holds the article: descend from <body> into the child
    that holds most of the Chinese text outside links, while one does."""
    from bs4 import Comment

    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(style=re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.attrs is None or tag.name in ("body", "html"):
            continue
        words = " ".join([*(tag.get("class") or []), tag.get("id") or "", tag.get("role") or ""])
        if words.strip() and _FURNITURE.search(words) and _cjk_outside_links(tag) < 200:
            tag.decompose()
    node = soup.body or soup
    total = _cjk_outside_links(node)
    if total == 0:
        return node, "the whole page"
    while True:
        children = [c for c in node.find_all(True, recursive=False) if c.name not in ("br", "hr", "img")]
        scored = [(c, _cjk_outside_links(c)) for c in children]
        best = max(scored, key=lambda x: x[1], default=(None, 0))
        if best[0] is None or best[1] < 0.6 * _cjk_outside_links(node) or best[0].name in ("p", "span", "a", "font",
                                                                                            "strong", "b", "table"):
            break
        node = best[0]
    title = _title_before(node)
    where = f"<{node.name}{' id=' + node['id'] if node.get('id') else ''}>" if node.name else "the page"
    if title is not None:
        title.extract()
        wrapper = soup.new_tag("div")
        wrapper.append(title)
        node.insert(0, wrapper)
    return node, where


def _title_before(node):
    """The page's article heading when it sits just outside the chosen block."""
    text = node.get_text("", strip=True)[:400]
    for h in node.find_all_previous(["h1", "h2", "h3"], limit=3):
        t = h.get_text("", strip=True)
        if 4 <= len(t) <= 120 and _CJK.search(t) and t not in text:
            return h
    return None


def _block_text(el) -> str:
    """Text with one line per block; table rows as tab-separated cells."""
    from bs4 import NavigableString, Tag

    out: list[str] = []

    def newline() -> None:
        if out and not out[-1].endswith("\n"):
            out.append("\n")

    def walk(node, pre: bool = False) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction", "CData"):
                    continue
                out.append(str(child) if pre else _collapse(str(child)))
            elif isinstance(child, Tag):
                name = child.name
                if name == "br":
                    out.append("\n")
                elif name == "table":
                    newline()
                    for row in _table_rows(child):
                        out.append(row + "\n")
                elif name in _BLOCK_TAGS:
                    newline()
                    walk(child, pre or name == "pre")
                    newline()
                else:
                    walk(child, pre)

    walk(el)
    lines = [ln.strip(" \t\u3000\xa0") for ln in "".join(out).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _table_rows(table) -> list[str]:
    rows = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        cells = [c for c in tr.find_all(["td", "th"]) if c.find_parent("tr") is tr]
        texts = [re.sub(r"\s*\n\s*", " ", _block_text(c)).replace("\t", " ").strip() for c in cells]
        if len(texts) == 1:
            rows.append(texts[0])
        elif any(texts):
            rows.append("\t".join(texts))
    return rows


_WS = re.compile(r"[ \t\r\n\f]+")
_CJK_BREAK = re.compile(r"(?<=[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f])[ \t\r\f]*\n[ \t\r\n\f]*"
                        r"(?=[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f])")


def _collapse(s: str) -> str:
    """HTML white space: a source line break between Chinese characters is no space."""
    return _WS.sub(" ", _CJK_BREAK.sub("", s))
