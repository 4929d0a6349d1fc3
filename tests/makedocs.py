"""Make the test documents in every form a policy file reaches us in.

Everything is generated at test time from a plain UTF-8 text: a Word file built
with python-docx (headings as real Word auto-numbering, tables as Word
tables), a PDF printed by headless Chromium from an HTML rendering (it embeds
a CJK font from fonts-noto-cjk and adds the browser's date/title/URL lines),
a PDF laid out with reportlab (hard-wrapped lines, running header, ``- 3 -``
page numbers, ruled tables), an image-only "scanned" PDF, and saved
government web pages in any charset with menus, scripts and footers around
the article.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

# Heading markers as the sample writes them, with the Word numbering level and format that shows them.
HEADING_LEVELS = [
    (re.compile(r"^([一二三四五六七八九十]+)、\s*"), 0),
    (re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*"), 1),
    (re.compile(r"^(\d{1,2})\.\s*"), 2),
    (re.compile(r"^[（(](\d{1,2})[）)]\s*"), 3),
]
WORD_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."), ("decimal", "(%4)")]


def require_tool(name: str) -> str:
    """The path of a system tool; skip without it, unless CI demands the tools."""
    path = shutil.which(name)
    if path is None:
        msg = f"{name} is not installed (.ci/run installs it with apt-get)"
        if os.environ.get("POLICYKG_REQUIRE_TOOLS") == "1":
            pytest.fail(msg)
        pytest.skip(msg)
    return path


def paragraphs(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


# ------------------------------------------------------------------ .docx

def _numbering_xml(num_id: int, abstract_id: int) -> tuple[str, str]:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:suff w:val="nothing"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>' for i, (fmt, text) in enumerate(WORD_LEVELS))
    return (f'<w:abstractNum {w} w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="multilevel"/>'
            f'{levels}</w:abstractNum>',
            f'<w:num {w} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')


def to_docx(text: str, path: Path, *, auto_numbering: bool = True, table_rows: list[list[str]] | None = None,
            merge_column: int | None = None) -> Path:
    """A Word file of ``text``: one paragraph per line; with ``auto_numbering``
    heading markers are taken out of the text and shown by Word numbering
    instead.  ``table_rows`` (header first) are appended as a Word table; the
    cells of ``merge_column`` that repeat the cell above are merged vertically."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    d = docx.Document()
    num_id = None
    if auto_numbering:
        numbering = d.part.numbering_part.element
        abstract, num = _numbering_xml(num_id := 90, 90)
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(parse_xml(abstract))
        else:
            numbering.append(parse_xml(abstract))
        numbering.append(parse_xml(num))
    for line in paragraphs(text):
        level = None
        if auto_numbering:
            for pattern, lvl in HEADING_LEVELS:
                m = pattern.match(line)
                if m and len(line) - m.end() <= 40 and "。" not in line[m.end():]:
                    level, line = lvl, line[m.end():]
                    break
        p = d.add_paragraph(line)
        if level is not None:
            ppr = p._p.get_or_add_pPr()
            ppr.append(parse_xml(
                '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f'<w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    if table_rows:
        table = d.add_table(rows=len(table_rows), cols=len(table_rows[0]))
        table.style = "Table Grid"
        for i, row in enumerate(table_rows):
            for j, value in enumerate(row):
                table.cell(i, j).text = value
        if merge_column is not None:
            i = 1
            while i < len(table_rows):
                k = i
                while k + 1 < len(table_rows) and table_rows[k + 1][merge_column] == table_rows[i][merge_column]:
                    k += 1
                if k > i:
                    value = table_rows[i][merge_column]
                    merged = table.cell(i, merge_column).merge(table.cell(k, merge_column))
                    merged.text = value
                i = k + 1
    d.save(str(path))
    return path


# ------------------------------------------------------------------ .html

def article_html(text: str, *, title: str, charset: str = "utf-8", furniture: bool = True,
                 table_rows: list[list[str]] | None = None) -> str:
    """A saved government page: the article as <p>s inside the site's frame."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(text))
    if table_rows:
        cells = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in table_rows)
        body += f'\n<table border="1">{cells}</table>'
    menu = footer = script = ""
    if furniture:
        menu = ('<div class="header"><div class="logo">上海市普陀区人民政府</div><ul class="nav">'
                + "".join(f'<li><a href="/{i}">{name}</a></li>' for i, name in enumerate(
                    ["首页", "政务公开", "政策文件", "政策解读", "互动交流", "办事服务", "走进普陀", "专题专栏"]))
                + '</ul><div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zc">政策文件</a></div></div>')
        footer = ('<div class="footer">主办：上海市普陀区人民政府办公室　地址：上海市普陀区大渡河路1668号'
                  '　沪ICP备12345678号　网站标识码3100000000　版权所有，未经许可不得转载</div>')
        script = ('<script>var 统计 = "责任单位：区科委"; document.title = "普陀区人民政府";</script>'
                  '<style>.nav li { float: left } /* 样式：导航 */</style>')
    return (f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>{html.escape(title)}_上海市普陀区人民政府</title>{script}</head>\n<body>{menu}"
            f'<div class="main"><div class="sidebar"><h3>相关链接</h3><a href="/a">上海市人民政府</a></div>'
            f'<div class="article"><h1>{html.escape(title)}</h1><div class="info">发布日期：2022-06-20　来源：区政府办公室</div>'
            f'<div id="zoom" class="TRS_Editor">\n{body}\n</div></div></div>{footer}</body></html>\n')


def to_html(text: str, path: Path, *, charset: str = "utf-8", **kw) -> Path:
    codec = {"gb2312": "gb18030", "gbk": "gb18030"}.get(charset.lower(), charset)
    path.write_bytes(article_html(text, charset=charset, **kw).encode(codec))
    return path


# ------------------------------------------------------------------ .pdf

def print_pdf(html_path: Path, pdf_path: Path, work: Path, *, browser_header: bool = True) -> Path:
    """Print a page to PDF with headless Chromium (the browser's date/title/URL lines included)."""
    chromium = require_tool("chromium")
    profile = work / "chromium-profile"
    profile.mkdir(parents=True, exist_ok=True)
    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf_path}"]
    if not browser_header:
        args.append("--no-pdf-header-footer")
    proc = subprocess.run([*args, html_path.resolve().as_uri()], capture_output=True, timeout=120)
    if proc.returncode != 0 or not pdf_path.exists():
        raise AssertionError(f"chromium could not print {html_path}: {proc.stderr.decode(errors='replace')[-500:]}")
    return pdf_path


def printable_html(text: str, *, title: str, table_rows: list[list[str]] | None = None) -> str:
    """The document as a print layout: justified paragraphs with a two-character indent."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(text))
    if table_rows:
        cells = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in table_rows)
        body += f'\n<table>{cells}</table>'
    return ('<!DOCTYPE html><html><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>"
            "body { font-family: 'Noto Serif CJK SC', 'Noto Sans CJK SC', serif; font-size: 16pt; line-height: 1.6;"
            " text-align: justify } p { text-indent: 2em; margin: 0 }"
            " table { border-collapse: collapse; margin-top: 1em } td { border: 1px solid black; padding: 4px;"
            " font-size: 12pt }</style></head>"
            f"<body>{body}</body></html>")


def reportlab_pdf(text: str, path: Path, *, header: str = "普陀区人民政府公报", chars_per_line: float = 30,
                  page_number: str = "- {n} -", table_rows: list[list[str]] | None = None) -> Path:
    """A PDF laid out like an office print: lines wrapped at the margin wherever
    the words fall (notes split as ``（责任`` / ``单位：…``), a running header
    and a page number on every page, a ruled table at the end."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    size = 12
    width, height = A4
    left, right, top, bottom = 72, 72 + size * chars_per_line, height - 90, 80
    c = canvas.Canvas(str(path), pagesize=A4)
    page = [1]
    y = [top]

    def frame() -> None:
        c.setFont(font, 9)
        c.drawCentredString(width / 2, height - 50, header)
        c.drawCentredString(width / 2, 40, page_number.format(n=page[0]))
        c.setFont(font, size)

    def new_page() -> None:
        c.showPage()
        page[0] += 1
        y[0] = top
        frame()

    frame()
    for para in paragraphs(text):
        line, x_start = "", left + 2 * size
        for ch in para:
            if pdfmetrics.stringWidth(line + ch, font, size) > right - x_start:
                if y[0] < bottom:
                    new_page()
                c.drawString(x_start, y[0], line)
                y[0] -= size * 1.7
                line, x_start = "", left
            line += ch
        if y[0] < bottom:
            new_page()
        c.drawString(x_start, y[0], line)
        y[0] -= size * 1.7
    if table_rows:
        widths = [size * 2.5, size * 10, size * 7, size * 10, size * 6]
        row_h = size * 2
        if y[0] - row_h * len(table_rows) < bottom:
            new_page()
        c.setFont(font, size * 0.8)
        top_y = y[0] + size
        for i, row in enumerate(table_rows):
            x = left
            for w, value in zip(widths, row):
                c.rect(x, top_y - (i + 1) * row_h, w, row_h)
                c.drawString(x + 3, top_y - (i + 1) * row_h + size * 0.6, value)
                x += w
    c.showPage()
    c.save()
    return path


def scanned_pdf(path: Path) -> Path:
    """An image-only PDF, as a scanner makes: a picture of a page, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("L", (600, 800), 255)
    draw = ImageDraw.Draw(img)
    for i in range(30):
        draw.line((60, 80 + i * 22, 540, 80 + i * 22), fill=30, width=6)
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    return path
