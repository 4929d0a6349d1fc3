"""Reading bytes into text: encodings, the kinds of file, and refusals."""

from __future__ import annotations

import codecs
import os
import random

import pytest
from helpers import SAMPLE

from policykg.errors import IngestError
from policykg.ingest import decode_text, read_bytes, read_path
from policykg.ingest.read import chinese_score, sniff_suffix

TEXT = "上海市某区人民政府办公室关于印发《行动方案》的通知\n一、总体要求\n（一）到2025年建成平台10个。（责任单位：区科委）\n"
TRADITIONAL = "臺北市政府關於印發《行動方案》的通知\n一、總體要求\n（一）到2025年建成平臺10個。（責任單位：市府資訊局）\n"


@pytest.mark.parametrize("encoding,data", [
    ("utf-8", TEXT.encode("utf-8")),
    ("utf-8-sig", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
    ("utf-16", TEXT.encode("utf-16")),  # with BOM, little-endian on this machine
    ("utf-16", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be")),
    ("utf-16-le", TEXT.encode("utf-16-le")),  # no BOM: the NULs of the ASCII characters give it away
    ("gb18030", TEXT.encode("gbk")),
    ("gb18030", TEXT.encode("gb2312")),
    ("gb18030", (TEXT + "𠀀€").encode("gb18030")),  # four-byte GB18030 sequences
    ("big5", TRADITIONAL.encode("big5")),
    ("gb18030", TRADITIONAL.encode("gbk")),  # Traditional characters saved as GBK are still GBK
])
def test_read_decodes_chinese_encodings(encoding, data):
    text, used = decode_text(data, "x.txt")
    assert used == encoding
    assert text.lstrip("\ufeff") in (TEXT, TRADITIONAL, TEXT + "𠀀€")


# Short texts, where a statistical detector guesses: two to six characters of
# what policy files say, in each encoding.
SHORT = ["区科委", "责任单位", "牵头单位", "数字经济", "行动方案", "人民政府", "到2025年", "完成时限", "亿元以上",
         "區科委", "責任單位", "臺北市", "數位經濟", "行動計畫", "資訊局", "萬元"]


def _encodable(word: str, encoding: str) -> bool:
    try:
        word.encode(encoding)
        return True
    except UnicodeEncodeError:
        return False


@pytest.mark.parametrize("word,encoding", [(w, e) for w in SHORT for e in ("utf-8", "gbk", "big5") if _encodable(w, e)])
def test_read_tells_encodings_apart_on_a_few_characters(word, encoding):
    data = word.encode(encoding)
    text, used = decode_text(data, "x.txt")
    assert text == word, f"{word} in {encoding} was read as {used}: {text}"


def test_read_tells_gbk_from_big5_on_slices_of_the_sample():
    """Random 3-40 character slices of the sample, in GBK and (its Traditional
    characters) in Big5: the reader picks the encoding it was written in."""
    from policykg.ingest.normalise import _T2S_SIMPLIFIED, _T2S_TRADITIONAL

    text = SAMPLE.read_text(encoding="utf-8")
    to_traditional = str.maketrans(_T2S_SIMPLIFIED, _T2S_TRADITIONAL)
    rng = random.Random(4)
    wrong = []
    tried = 0
    for _ in range(400):
        n = rng.choice([3, 5, 8, 15, 40])
        i = rng.randrange(len(text) - n)
        piece = text[i:i + n]
        if sum("\u4e00" <= c <= "\u9fff" for c in piece) < 2:
            continue
        for enc, s in (("gbk", piece), ("big5", piece.translate(to_traditional))):
            try:
                data = s.encode(enc)
            except UnicodeEncodeError:
                continue
            tried += 1
            try:
                got, _ = decode_text(data)
            except IngestError:
                got = None
            if got != s:
                wrong.append((enc, s))
    assert tried > 300
    assert len(wrong) <= tried // 100, wrong  # at most 1% on slices this short


def test_read_scores_mojibake_below_real_text():
    real = "（责任单位：区科委、区建管委）"
    assert chinese_score(real) > 0.8
    assert chinese_score(real.encode("gbk").decode("big5", errors="ignore")) < 0.3
    assert chinese_score(TRADITIONAL.encode("big5").decode("gb18030")) < 0.3


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_read_keeps_line_ends_for_normalise(tmp_path, newline):
    p = tmp_path / "plan.txt"
    p.write_bytes(TEXT.replace("\n", newline).encode("gbk"))
    raw = read_path(p)
    assert raw.encoding == "gb18030" and raw.format == "txt"
    assert raw.text == TEXT.replace("\n", newline)


def test_read_accepts_a_file_cut_inside_its_last_character():
    data = TEXT.encode("utf-8") + "区".encode("utf-8")[:2]
    text, enc = decode_text(data, "cut.txt")
    assert enc == "utf-8" and text.startswith(TEXT) and text.endswith("\ufffd")


@pytest.mark.parametrize("data,reason", [
    (b"", "is empty"),
    (b"   \n\t  \n", "is empty"),
    (codecs.BOM_UTF16_LE + "  \n ".encode("utf-16-le"), "is empty"),
    (b"\x00\x01\x02binary\x00data" * 20, "NUL bytes"),
    (bytes(range(256)) * 8, "NUL bytes"),
    (TEXT.encode() + b"\x00" + TEXT.encode(), "NUL bytes"),
    (bytes(random.Random(1).randrange(128, 256) for _ in range(3000)), "not text in a known encoding"),
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "is an image, not text"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "is a PDF file, not text"),
    (b"\x01\x02\x03\x04\x05\x06\x07\x08" * 50, "control characters"),
])
def test_read_refuses_empty_and_binary_with_a_reason(data, reason):
    with pytest.raises(IngestError) as e:
        read_bytes(data, source="bad.txt")
    assert str(e.value).startswith("bad.txt: ")
    assert reason in str(e.value)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("suffix,advice", [(".xyz", "policykg reads .txt"), (".doc", "save it as .docx"),
                                           (".wps", "save it as .docx"), (".xlsx", "tab-separated")])
def test_read_refuses_unsupported_suffixes_with_advice(suffix, advice):
    with pytest.raises(IngestError, match="unsupported file type") as e:
        read_bytes(b"abc", source=f"x{suffix}", suffix=suffix)
    assert advice in str(e.value)


def test_read_refuses_files_over_the_size_limit_before_reading_them(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(TEXT.encode() * 100)
    with pytest.raises(IngestError, match="POLICYKG_MAX_FILE_BYTES"):
        read_path(p, max_bytes=1000)
    with pytest.raises(IngestError, match="larger than the limit of 1,000 bytes"):
        read_bytes(p.read_bytes(), source="big.txt", max_bytes=1000)
    assert read_path(p, max_bytes=len(p.read_bytes())).encoding == "utf-8"


def _broken_link(tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    return link, "is a broken symbolic link"


def _folder(tmp_path):
    d = tmp_path / "folder.txt"
    d.mkdir()
    return d, "is a folder, not a file"


def _fifo(tmp_path):
    f = tmp_path / "pipe.txt"
    os.mkfifo(f)
    return f, "is not a regular file"


def _missing(tmp_path):
    return tmp_path / "missing.txt", "no such file"


def _unreadable(tmp_path):
    p = tmp_path / "secret.txt"
    p.write_bytes(TEXT.encode())
    p.chmod(0)
    return p, "permission denied"


# chmod 000 blocks nobody when the tests run as root (as CI does); the other paths are unreadable for root too
UNREADABLE = [_broken_link, _folder, _fifo, _missing] + ([_unreadable] if os.geteuid() != 0 else [])


@pytest.mark.parametrize("make", UNREADABLE)
def test_read_path_refuses_what_is_not_a_readable_file(tmp_path, make):
    path, reason = make(tmp_path)
    with pytest.raises(IngestError) as e:
        read_path(path)  # a FIFO must not block the reader
    assert str(e.value) == f"{path}: {e.value.reason}" and reason in e.value.reason


@pytest.mark.parametrize("data,suffix", [
    (b"%PDF-1.4 rest", ".pdf"),
    (b"PK\x03\x04....[Content_Types].xml....word/document.xml", ".docx"),
    (b"PK\x03\x04 a zip of something else", ".txt"),
    ("<!DOCTYPE html>\n<html><body><p>通知</p>".encode("gbk"), ".html"),
    (codecs.BOM_UTF8 + b"  <html lang='zh'>", ".html"),
    (TEXT.encode("big5", errors="ignore"), ".txt"),
    (TEXT.encode("utf-16"), ".txt"),
])
def test_read_sniffs_the_kind_of_standard_input(data, suffix):
    assert sniff_suffix(data) == suffix
