"""Step 1, *read*: bytes of a file → one Unicode text.

Plain text arrives in whatever encoding the office used (UTF-8 with or
without BOM, UTF-16 with BOM, GB18030/GBK, Big5).  Other forms (.docx, .pdf,
.html) are turned into text by :mod:`policykg.ingest.formats`.  Every failure
is an :class:`~policykg.errors.IngestError` naming the file and the reason.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from ..errors import IngestError

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".docx", ".pdf", ".html", ".htm", ".xhtml"}

# Encodings tried, in order, when a text file has no BOM.  GB18030 is a
# superset of GBK and GB2312; Big5 covers Traditional-character files from
# Taiwan and Hong Kong offices.
_CANDIDATES = ("utf-8", "gb18030", "big5")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass
class RawText:
    """The decoded text of a file, with what was learned reading it."""

    text: str
    source: str
    encoding: str | None
    format: str
    data: bytes


def read_path(path: str | Path, *, max_bytes: int | None = None) -> RawText:
    """Read a file from disk and decode it; raises :class:`IngestError`."""
    p = Path(path)
    name = str(path)
    try:
        if p.is_dir():
            raise IngestError(name, "is a folder, not a file")
        size = p.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise IngestError(
                name,
                f"is {size:,} bytes, larger than the limit of {max_bytes:,} bytes "
                f"(raise POLICYKG_MAX_FILE_BYTES to accept it)",
            )
        data = p.read_bytes()
    except IngestError:
        raise
    except FileNotFoundError:
        raise IngestError(name, "no such file") from None
    except PermissionError:
        raise IngestError(name, "permission denied; the file cannot be read") from None
    except OSError as e:
        raise IngestError(name, f"cannot be read ({e.strerror or e})") from None
    return read_bytes(data, source=name, suffix=p.suffix.lower(), max_bytes=max_bytes)


def read_bytes(
    data: bytes, *, source: str = "<bytes>", suffix: str = ".txt", max_bytes: int | None = None
) -> RawText:
    """Decode the bytes of a file of the given kind (by suffix) into text."""
    if max_bytes is not None and len(data) > max_bytes:
        raise IngestError(
            source,
            f"is {len(data):,} bytes, larger than the limit of {max_bytes:,} bytes "
            f"(raise POLICYKG_MAX_FILE_BYTES to accept it)",
        )
    suffix = suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(
            source,
            f"has the unsupported file type {suffix!r}; policykg reads .txt, .docx, .pdf and .html files",
        )
    if not data.strip():
        raise IngestError(source, "is empty")
    if suffix in TEXT_SUFFIXES:
        text, encoding = decode_text(data, source)
        return RawText(text=text, source=source, encoding=encoding, format="txt", data=data)
    from .formats import extract_text  # heavy optional parsers load only when needed

    text, encoding, fmt = extract_text(data, source=source, suffix=suffix)
    return RawText(text=text, source=source, encoding=encoding, format=fmt, data=data)


def decode_text(data: bytes, source: str = "<bytes>") -> tuple[str, str]:
    """Decode plain-text bytes; returns ``(text, encoding name)``.

    >>> decode_text("责任单位".encode("gbk"))
    ('责任单位', 'gb18030')
    >>> decode_text(b"\\xef\\xbb\\xbf" + "区科委".encode())
    ('区科委', 'utf-8-sig')
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data.decode(enc), source), enc
            except UnicodeDecodeError:
                raise IngestError(source, f"starts with a {enc} byte-order mark but is not valid {enc}") from None
    if b"\x00" in data:
        raise IngestError(source, "contains NUL bytes; it looks like a binary file, not text")
    for enc in _CANDIDATES:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc != "utf-8" and not _plausible_chinese(text):
            continue
        return _check_text(text, source), enc
    guess = _detect(data)
    if guess:
        return _check_text(data.decode(guess, errors="strict"), source), guess
    raise IngestError(
        source,
        "is not text in a known encoding (tried UTF-8, UTF-16, GB18030/GBK and Big5); "
        "save it as UTF-8 or give it the right file extension",
    )


def _plausible_chinese(text: str) -> bool:
    """Is a legacy-encoding decode mostly CJK text, not mojibake of binary?"""
    if not text:
        return False
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
    return printable / len(text) > 0.97 and cjk / len(text) > 0.2


def _detect(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - dependency of the package
        return None
    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None
    enc = best.encoding
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None
    return enc if _plausible_chinese(text) else None


def _check_text(text: str, source: str) -> str:
    """Refuse text that decodes but is not a document (binary, control bytes)."""
    if "\x00" in text:
        raise IngestError(source, "contains NUL bytes; it looks like a binary file, not text")
    if not text.strip():
        raise IngestError(source, "contains only whitespace")
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\r\n\t\f\v") or ch == "\ufffd")
    if bad > max(8, len(sample) // 100):
        raise IngestError(source, "contains many control characters; it looks like a binary file, not text")
    return text
