"""Step 1, *read*, for files that are not plain text: .docx, .pdf, .html → text.

Each reader gives the text a person sees, one paragraph per line, so the rest
of the pipeline treats every form alike:

* **.docx** (:mod:`.formats_docx`, python-docx): body paragraphs and tables in
  document order; Word auto-numbering that is not in the text is rendered as
  the reader sees it (``一、`` / ``（一）`` / ``1.`` …); each table row is one
  line with its cells separated by one tab (the task-table convention of
  :mod:`policykg.ingest.tables`); a vertically merged cell repeats its text.
* **.pdf** (:mod:`.formats_pdf`, pdfplumber): lines rebuilt from the
  characters in reading order; running headers and footers, page numbers and
  a browser's date/title/URL lines dropped; lines wrapped inside a paragraph
  joined again; ruled tables as tab-separated rows; a scan refused.
* **.html** (:mod:`.formats_html`, beautifulsoup4 + lxml): the declared
  charset checked against the bytes; the article body, not the site's menu,
  scripts, styles or footer.

Every failure is an :class:`~policykg.errors.IngestError` naming the file and
the reason.
"""

from __future__ import annotations

import re

from ..errors import IngestError
from .read import HTML_SUFFIXES, RawText, _looks_like, decode_text


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


def join_wrapped(a: str, b: str) -> str:
    """Join a wrapped line: Latin words wrap at a space, everything else (Chinese, digits) anywhere."""
    if a and b and a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha():
        return a + " " + b
    return a + b


# The readers import the helpers above, so they come last.
from .formats_docx import chinese_counting, docx_text, format_number  # noqa: E402
from .formats_html import html_text  # noqa: E402
from .formats_pdf import pdf_text  # noqa: E402

__all__ = ["extract_text", "docx_text", "pdf_text", "html_text", "chinese_counting", "format_number"]
