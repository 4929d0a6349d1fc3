"""A saved web page → the text of its article (see :mod:`.formats`)."""

from __future__ import annotations

import codecs
import re

from ..errors import IngestError
from .formats import _not_a, _reason
from .read import chinese_score, decode_text

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.I)
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                    "cp936": "gb18030", "ms936": "gb18030", "windows-936": "gb18030", "big5": "big5",
                    "x-x-big5": "big5", "big5-hkscs": "big5hkscs", "unicode": "utf-16", "utf8": "utf-8"}
# Tags whose text is never the article.
_DROP_TAGS = ["script", "style", "noscript", "template", "iframe", "svg", "canvas", "object", "embed", "nav", "footer",
              "aside", "select", "button", "input", "textarea"]
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
               "tr", "td", "th",
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
        if best[0] is None or best[1] < 0.6 * _cjk_outside_links(node) or best[0].name in (
                "p", "span", "a", "font", "strong", "b") or best[0].name == "table" and not _layout_table(best[0]):
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
                elif name == "table" and not _layout_table(child):
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


def _layout_table(table) -> bool:
    """A table that lays out the page (old sites put the article in one) rather than holding data:
    a cell holds paragraphs, a nested table or a long text."""
    for cell in table.find_all(["td", "th"]):
        if cell.find(["p", "div", "table", "h1", "h2", "h3"]) is not None or len(cell.find_all("br")) >= 2:
            return True
        if len(cell.get_text("", strip=True)) > 200:
            return True
    return False


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
