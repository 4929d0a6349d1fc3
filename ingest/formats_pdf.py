"""PDF → text in reading order, without running headers, footers and page
numbers, with wrapped lines joined (see :mod:`.formats`)."""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass

from ..errors import IngestError
from .formats import _not_a, _reason, join_wrapped as _join_words

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
                page.close()  # free the page's parsed objects: long PDFs stay small in memory
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
    if cid * 8 > chars * 0.3:  # "(cid:123)" stands for a glyph with no Unicode mapping
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
