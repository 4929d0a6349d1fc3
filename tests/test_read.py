"""Reading bytes into text: encodings and refusals."""

from __future__ import annotations

import codecs

import pytest

from policykg.errors import IngestError
from policykg.ingest import decode_text, read_bytes, read_path

TEXT = "上海市某区人民政府办公室关于印发《行动方案》的通知\n一、总体要求\n（一）到2025年建成平台10个。（责任单位：区科委）\n"


@pytest.mark.parametrize("encoding,data", [
    ("utf-8", TEXT.encode("utf-8")),
    ("utf-8-sig", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
    ("utf-16", TEXT.encode("utf-16")),  # with BOM
    ("gb18030", TEXT.encode("gbk")),
    ("gb18030", TEXT.encode("gb18030")),
    ("big5", "臺北市政府關於印發《行動方案》的通知\n一、總體要求\n（一）到2025年建成平臺10個。（責任單位：市府資訊局）\n".encode("big5")),
])
def test_read_decodes_chinese_encodings(encoding, data):
    text, used = decode_text(data, "x.txt")
    assert used == encoding
    assert "一、" in text and "（一）" in text


def test_read_crlf_text_is_read(tmp_path):
    p = tmp_path / "crlf.txt"
    p.write_bytes(TEXT.replace("\n", "\r\n").encode("gbk"))
    raw = read_path(p)
    assert raw.encoding == "gb18030" and "\r\n" in raw.text


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"),
    (b"   \n\t  \n", "empty"),
    (b"\x00\x01\x02binary\x00data" * 20, "binary"),
    (bytes(range(256)) * 8, "binary"),
])
def test_read_refuses_empty_and_binary_with_a_reason(data, reason):
    with pytest.raises(IngestError) as e:
        read_bytes(data, source="bad.txt")
    assert str(e.value).startswith("bad.txt: ")
    assert reason in str(e.value)


def test_read_refuses_unsupported_suffix_and_missing_file(tmp_path):
    with pytest.raises(IngestError, match="unsupported file type"):
        read_bytes(b"abc", source="x.xyz", suffix=".xyz")
    with pytest.raises(IngestError, match="no such file"):
        read_path(tmp_path / "missing.txt")


def test_read_refuses_files_over_the_size_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(TEXT.encode() * 100)
    with pytest.raises(IngestError, match="POLICYKG_MAX_FILE_BYTES"):
        read_path(p, max_bytes=1000)
