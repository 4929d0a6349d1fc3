"""Step 1, *read*: bytes of a file → one Unicode text.

Plain text arrives in whatever encoding the office used: UTF-8 with or
without BOM, UTF-16 with BOM, GB18030/GBK/GB2312 or Big5, with CRLF or LF.
A BOM decides; otherwise strict UTF-8 is tried first (valid multi-byte UTF-8
is almost never an accident), then every legacy Chinese encoding that
decodes the bytes — plus whatever charset-normalizer proposes — is scored by
how many of its characters are among the most frequent Chinese characters
(Simplified and Traditional).  Mojibake (Big5 bytes read as GBK, or the
reverse) is made of rare characters, so the right reading wins even on a
text of a few characters, where statistical detectors guess.

Other forms (.docx, .pdf, .html) are turned into text by
:mod:`policykg.ingest.formats`.  Every failure is an
:class:`~policykg.errors.IngestError` naming the file and the reason.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IngestError

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".pdf"}

# Suffixes people try that we cannot read, with what to do instead.
_UNSUPPORTED_ADVICE = {
    ".doc": "it is a legacy Word file; save it as .docx",
    ".wps": "it is a WPS Office file; save it as .docx",
    ".rtf": "save it as .docx or .txt",
    ".odt": "save it as .docx",
    ".xls": "save the table as .docx or as tab-separated .txt",
    ".xlsx": "save the table as .docx or as tab-separated .txt",
    ".ofd": "it is an OFD file; export it to PDF",
}

# Legacy Chinese encodings tried when a text file is not UTF-8; on a tie the
# earlier one wins (mainland files are the common case).  GB18030 is a
# superset of GBK and GB2312; cp950 and big5hkscs extend Big5.
_CHINESE_ENCODINGS = ("gb18030", "big5", "cp950", "big5hkscs")
_MIN_SCORE = 0.3  # share of frequent characters a real Chinese text easily exceeds

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
    notes: list[str] = field(default_factory=list)  # what the reader dropped or guessed


def too_large(source: str, size: int, max_bytes: int) -> IngestError:
    return IngestError(source, f"is {size:,} bytes, larger than the limit of {max_bytes:,} bytes "
                               f"(raise POLICYKG_MAX_FILE_BYTES to accept it)")


def read_path(path: str | Path, *, max_bytes: int | None = None) -> RawText:
    """Read a file from disk and decode it; raises :class:`IngestError`."""
    p = Path(path)
    name = str(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        if p.is_symlink():
            raise IngestError(name, f"is a broken symbolic link (it points to {os.readlink(p)}, which does not "
                                    "exist)") from None
        raise IngestError(name, "no such file") from None
    except PermissionError:
        raise IngestError(name, "permission denied; the file cannot be read") from None
    except OSError as e:
        raise IngestError(name, f"cannot be read ({e.strerror or e})") from None
    if stat.S_ISDIR(st.st_mode):
        raise IngestError(name, "is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise IngestError(name, "is not a regular file (a pipe, socket or device); copy it into a file first")
    if max_bytes is not None and st.st_size > max_bytes:
        raise too_large(name, st.st_size, max_bytes)
    try:
        with open(p, "rb") as f:
            data = f.read() if max_bytes is None else f.read(max_bytes + 1)
    except PermissionError:
        raise IngestError(name, "permission denied; the file cannot be read") from None
    except IsADirectoryError:
        raise IngestError(name, "is a folder, not a file") from None
    except OSError as e:
        raise IngestError(name, f"cannot be read ({e.strerror or e})") from None
    return read_bytes(data, source=name, suffix=p.suffix.lower(), max_bytes=max_bytes)


def sniff_suffix(data: bytes) -> str:
    """The kind of file the bytes are, as a suffix (for standard input).

    >>> sniff_suffix(b"%PDF-1.7 ..."), sniff_suffix("<!DOCTYPE html><p>通知".encode())
    ('.pdf', '.html')
    >>> sniff_suffix("一、总体要求".encode("gbk"))
    '.txt'
    """
    head = data[:2048].lstrip()
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:].lstrip()
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(b"PK\x03\x04") and b"word/" in data[:200_000]:
        return ".docx"
    low = head[:512].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head.lower() or low.startswith(
            (b"<!doctype html", b"<html")):
        return ".html"
    return ".txt"


def _looks_like(data: bytes) -> str | None:
    """A short name for what binary-looking bytes are, for error messages."""
    if data.startswith(b"%PDF-"):
        return "a PDF file"
    if data.startswith(b"PK\x03\x04"):
        return "a Word .docx file" if b"word/" in data[:200_000] else "a ZIP archive"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "a legacy Office file (.doc/.xls)"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "an image"
    if data.startswith(b"{\\rtf"):
        return "an RTF file"
    return None


def read_bytes(data: bytes, *, source: str = "<bytes>", suffix: str = ".txt", max_bytes: int | None = None) -> RawText:
    """Decode the bytes of a file of the given kind (by suffix) into text."""
    if max_bytes is not None and len(data) > max_bytes:
        raise too_large(source, len(data), max_bytes)
    suffix = (suffix or "").lower()
    if suffix not in SUPPORTED_SUFFIXES:
        advice = _UNSUPPORTED_ADVICE.get(suffix, "policykg reads .txt, .docx, .pdf and .html files")
        raise IngestError(source, f"has the unsupported file type {suffix!r}; {advice}")
    if not data.strip():
        raise IngestError(source, "is empty" if not data else "is empty (it holds only whitespace)")
    if suffix in TEXT_SUFFIXES:
        kind = _looks_like(data)
        if kind:
            raise IngestError(source, f"is {kind}, not text; give it the right file extension")
        text, encoding = decode_text(data, source)
        return RawText(text=text, source=source, encoding=encoding, format="txt", data=data)
    from .formats import extract_text  # heavy optional parsers load only when needed

    return extract_text(data, source=source, suffix=suffix)


def decode_text(data: bytes, source: str = "<bytes>") -> tuple[str, str]:
    """Decode plain-text bytes; returns ``(text, encoding name)``.

    >>> decode_text("责任单位".encode("gbk"))
    ('责任单位', 'gb18030')
    >>> decode_text("責任單位".encode("big5"))
    ('責任單位', 'big5')
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
        enc = _utf16_without_bom(data)
        if enc is None:
            raise IngestError(source, "contains NUL bytes; it looks like a binary file, not text")
        return _check_text(data.decode(enc), source), enc
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError as e:
        utf8 = _truncated_tail(data, "utf-8", e)
    if utf8 is not None and (utf8.isascii() or _han_count(utf8)):
        return _check_text(utf8, source), "utf-8"
    enc, score, text = _best_chinese(data)
    if text is not None and score >= _MIN_SCORE:
        return _check_text(text, source), enc
    if utf8 is not None:  # valid UTF-8 without ideographs (and no better Chinese reading)
        return _check_text(utf8, source), "utf-8"
    guess = _detect(data)
    if guess is not None:
        return _check_text(guess[1], source), guess[0]
    raise IngestError(
        source,
        "is not text in a known encoding (tried UTF-8, UTF-16, GB18030/GBK and Big5); "
        "save it as UTF-8 or give it the right file extension",
    )


def _truncated_tail(data: bytes, enc: str, e: UnicodeDecodeError) -> str | None:
    """A file cut inside its last character still decodes (the cut is replaced)."""
    if e.start >= len(data) - 3 and e.reason in ("unexpected end of data", "incomplete multibyte sequence"):
        try:
            return data[:e.start].decode(enc) + "\ufffd"
        except UnicodeDecodeError:
            return None
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: the byte order whose reading is clean Chinese (or ASCII) text."""
    if len(data) % 2 or len(data) < 4:
        return None
    best: tuple[str, float] | None = None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _printable_share(text) < 0.97:
            continue
        score = chinese_score(text)
        mostly_ascii = sum(ch.isascii() for ch in text) > 0.9 * len(text)
        if (score >= _MIN_SCORE or mostly_ascii) and (best is None or score > best[1]):
            best = (enc, score)
    return best[0] if best else None


def _best_chinese(data: bytes) -> tuple[str | None, float, str | None]:
    """The legacy Chinese encoding whose reading scores best: ``(name, score, text)``."""
    best: tuple[str | None, float, str | None] = (None, -1.0, None)
    for enc in _CHINESE_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as e:
            text = _truncated_tail(data, enc, e)
            if text is None:
                continue
        s = chinese_score(text)
        if s > best[1]:
            best = (enc, s, text)
    return best


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


_HAN = re.compile("[\u4e00-\u9fff]")


def _han_count(text: str) -> int:
    return len(_HAN.findall(text))


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")  # control characters but \t \n \v \f \r, and U+FFFD


def _mojibake(ch: str) -> bool:
    """Characters a wrong legacy decoding produces but Chinese documents do not use."""
    o = ord(ch)
    return (0xE000 <= o <= 0xF8FF  # private use (GBK/Big5 user-defined areas)
            or 0x3040 <= o <= 0x30FF  # kana (GB2312 rows 4-5)
            or 0x0370 <= o <= 0x052F  # Greek, Cyrillic
            or 0x2500 <= o <= 0x257F  # box drawing
            or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
            or 0xAC00 <= o <= 0xD7AF  # Hangul
            or 0x3100 <= o <= 0x312F  # bopomofo
            or 0xFF61 <= o <= 0xFF9F  # half-width katakana
            or 0x3400 <= o <= 0x4DBF or o >= 0x20000  # rare ideographs (extensions A, B …)
            or 0x80 <= o < 0xA0 or ch == "\ufffd"
            or (o < 32 and ch not in "\r\n\t\f"))


def chinese_score(text: str) -> float:
    """How much a decoded text looks like real Chinese: the share of its
    ideographs that are frequent characters, less a penalty for mojibake.

    >>> chinese_score("责任单位：区科委") > 0.8
    True
    >>> chinese_score("責任單位".encode("big5").decode("gb18030"))  # mojibake
    -0.75
    """
    han = common = odd = 0
    for ch in text[:50_000]:
        if ch in _COMMON:
            common += 1
            han += 1
        elif _han(ch):
            han += 1
        elif _mojibake(ch):
            odd += 1
    if han + odd == 0:
        return 0.0
    return (common - 2 * odd) / (han + odd)


def _printable_share(text: str) -> float:
    if not text:
        return 0.0
    return sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t") / len(text)


def _detect(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's reading of a file that is not Chinese text (e.g. a
    Latin-1 file), accepted only when it is clean printable text."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - dependency of the package
        return None
    try:
        best = from_bytes(data[:200_000]).best()
    except Exception:  # the detector must never crash a read
        return None
    if best is None or best.chaos > 0.1:
        return None
    try:
        enc = codecs.lookup(best.encoding).name
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None
    if enc in _CHINESE_ENCODINGS and chinese_score(text) < _MIN_SCORE:
        return None
    return (enc, text) if _printable_share(text) > 0.97 else None


def _check_text(text: str, source: str) -> str:
    """Refuse text that decodes but is not a document (binary, control bytes)."""
    if "\x00" in text:
        raise IngestError(source, "contains NUL bytes; it looks like a binary file, not text")
    if not text.strip():
        raise IngestError(source, "is empty (it holds only whitespace)")
    sample = text[:20000]
    bad = len(_CONTROL.findall(sample))
    if bad > max(8, len(sample) // 100):
        raise IngestError(source, "contains many control characters; it looks like a binary file, not text")
    return text


# The 1,500 most frequent characters of jieba's dictionary (weighted by word
# frequency), then the Traditional forms of those that differ (OpenCC s2t and
# s2tw).  Generated once; used only to score candidate decodings.
_COMMON_SIMPLIFIED = (
    "一是人了不在有大中国和为这上他个地年来我会以到时要出的生学说道民家子也成行下们于后就发自之对得主长可过天作分方用多你着部"
    "能市等业全里工公经本都而高政法面门动日进区事代那去心小同北定开产前其军还然起种所如现理机体表力好外与文当两实重新三么只山"
    "水关明从化平建又制南内西没此将员名手最东头者月间无安看见各城十相但已些正口通想度加第她合院物性战由位常点海意场武使次二向"
    "治因立数样身情入原问把路被并利石老教万知级量任江及应省资委务元美特期世湖回系比气汉总展电科金先声提品设或义王社很统处四首"
    "共马形己儿司太目基领队直计别女权话少流命至报米给打变果书清活几州华解议更称程今决张导术府才保交放管结师便走达族反再题色五"
    "京河接条规式县白它改风光运信受什组听布百济党指论强做取技黄神选记斯真却职号界件花类何眼兵传带空干农边据集联古广完质阳难增"
    "历史专官每住商即步认车台林必死游举线言皇土团收考求德叫近备研争非具李众连调感转笑革该持始英克士尔让拉思根格造较际亲单朝红"
    "型价校约器字段周亚深候则功属积快图火千准究往极育装许参半令吃观鱼精办像帝八复影告远群包整构料随划算象容示投势热值夫网望源"
    "息语股铁断派速怎需片爱律纪支早况病境证编越局推满且列觉服双未居除乐企引标确织初青志率项飞球节察龙响药站施均消客失轻存低甚"
    "般击曾防请离落显罗营足素视护副食创余照兴占巴虽洲村费易试星木黑左宝置跟央识维采六底宫房音环案批切斗富乡另倒若按查故突责严"
    "桥模仅胜杀围席态破承招杨负层须父供续状域似依银范修找九致密终血旅钱赛独细效玉冲获习医演毛尽脸弹楼艺航陆右协七攻镇检写苏宗"
    "章注阿抗弟坐验封紧劳户优财养适陈喜卫排射哥油刻留急降念云微伤例景拿绝阶座刘刚害印亿沙母酒助闻超审待压升送监策略限竟香配藏"
    "敌呢差仍兰温园树征善波哪词岛止预怕继皮执味份角草男普答益谁船惊核街夏宣掌田久著画辑奇尼剑吧谈背免孩礼材愿洋春架筑括晚乱乎"
    "讲尚良友临激刀夜室既敢邦挥昌板胡欧福港叶简苦担句岁荆贵娘守辖威宜衣帮块堂额错剧充欢够孙班呼阵销坚练脚退读测吴希宁换版异某"
    "顾曲楚典朱毒菜判救宋茶洪含顺啊鲜败货矿端兄归冷忙买险康评肉吗厂永哈沉散遗停笔假输牛洞松渐顶训录否述毕督控丰献姑忽爷互亮纳"
    "襄登咱钟伯臣雄季脑介鄂召饭暗扩祖齐短烈赶牌恩诉移诗础露届蒙静喝盘卖植授伊湾博痛减穿逐秘庭陵固禁票灵杂姓泽吸侧庆妈遇追甲馆"
    "补唐炮沿殿刺怪彩俄旧警索岸轮妇载靠附毫怀软骨探雷旁罪枪牙迎序慢盛雨墙恶谷顿危稳熟概酸操诸绿佛荣针托宽折野付午肯库厚缺罢耳"
    "屋嘴末谢巨培页瓦款犯困店智拥雪翻圣戏旗吉婚奖岩疑币圆歌廷健卡烧析讨跑烟误仙疗舞亡闭汽伸脱秋姐繁侵川莫麻秀借寻私岗卷跳丽横"
    "驻套兼您君丁束纸夺袁灯坏坦丝径购阴床瞧择墓宪峰遍鲁庙掉丹桃御舰避售怒课播拔奥延虚隐粮络遭摇潜庄混厅婆奴鼓赵访睡震予童徐韦"
    "殖抓拜吨扬址洛休纵逃染纷贸透汇灭蛋森仪塔距狐融郡缓聚盖拍迹忠释润粉涓孔岭搜紫虑促抵钢塞寺津液码虎坛珍硬梁奔累役偏迫锛凡损"
    "壁哭替税综伦冰盟挂韩竞乌尤弱铺妹秦尊竹珠迅脉泥鬼纯睛刑途隆潮幅杯握谋剂幸奉乘抱朋谓频崇壮骑紝恐享鸡虫绍铜呈泛械摆欲奶敬措"
    "爆暴签猛郭嘉障缩亦废搞胞埃曰撤暖寒订俗绩阻盐萨勒忘奏孝贴灰梅触玩默醒胸莲篇柱裁啦淡抢捕闹纺截讯朗誉雅忍梦伙勇峡徒丈尾迷唱"
    "泉泰佳残闪伍呀疾署剩贼冠倾豆申贫诺麦泪羊尖辈镜涉贡爹缘摩妻殊贝零映甘骂糖岳饮奋棉雕跃汗冒渡努赞启阁斤裂患伏池鹿洗劲晋倍圈"
    "媒箭沟锋胆凭挑抬闯隔弄曹汤苗迁叹唯振储贯彻桌祭符僧衡炸旋喊凤黎郎援肥磁忌赏辽祥董仁辛瑞询敏浪貌毁昨巧腿抽荷陷焦净腹弃乃湘"
    "亩滑狗冬宏皆番尸伟桂览恢龄绕趣晶坡魏摸伴墨浓绪舍蓝荡阅井鸿旦惯症鸟窗扎辞聘穷堰宇键荒递恨隶厉杜闲腰袭侍灾涨叔湿寨幕豪郑磨"
)
_COMMON_TRADITIONAL = (
    "國為這個來會時學說們於後發對長過業裡經門動進區開產軍還種現機體與當兩實麼關從內沒將員東頭間無見戰點場數樣問並萬級應資務氣"
    "漢總電聲設義統處馬兒領隊計別權話報給變書幾華議稱決張導術結師達題條規縣風運組聽濟黨論強黃選記卻職號類傳帶幹農邊據聯廣質陽"
    "難歷專認車臺遊舉線團備爭眾連調轉該爾讓較際親單紅價約亞則屬積圖準極裝許參觀魚辦復遠構隨劃勢熱網語鐵斷愛紀況證編滿覺雙樂標"
    "確織項飛節龍響藥輕擊請離顯羅營視護創餘興佔雖費試寶識維採宮環鬥鄉責嚴橋僅勝殺圍態楊負層須續狀銀範終錢賽獨細衝獲習醫盡臉彈"
    "樓藝陸協鎮檢寫蘇驗緊勞戶優財養適陳衛雲傷絕階劉剛億聞審壓監敵蘭溫園樹徵詞島預繼執誰驚畫輯劍談禮願築亂講臨揮歐葉簡擔歲荊貴"
    "轄幫塊額錯劇歡夠孫陣銷堅練腳讀測吳寧換異顧順鮮敗貨礦歸買險評嗎廠遺筆輸漸頂訓錄畢豐獻爺納鍾腦飯擴齊趕訴詩礎屆靜盤賣灣減祕"
    "靈雜澤側慶媽館補舊輪婦載懷軟槍牆惡頓穩諸綠榮針寬庫罷謝頁擁聖戲獎巖幣圓燒討煙誤療閉脫尋崗麗橫駐紙奪燈壞絲徑購陰牀擇憲魯廟"
    "艦課奧虛隱糧絡搖潛莊廳趙訪韋噸揚縱紛貿匯滅儀緩蓋跡釋潤嶺慮鋼碼壇錛損稅綜倫掛韓競烏鋪脈純謀劑謂頻壯騎雞蟲紹銅擺簽縮廢訂績"
    "鹽薩貼觸蓮搶鬧紡訊譽夢夥峽殘閃賊傾貧諾麥淚輩鏡貢緣貝罵飲奮躍贊啟閣勁晉溝鋒膽憑闖湯遷嘆儲貫徹鳳賞遼詢毀淨棄畝屍偉覽齡繞濃"
    "緒藍蕩閱鴻慣鳥辭窮鍵遞隸厲閒襲災漲濕鄭"
)

# Punctuation of Chinese text (full-width forms), as telling as the characters.
_COMMON_PUNCTUATION = "，。、；：？！“”‘’（）《》〔〕【】—…·「」『』％"
_COMMON = frozenset(_COMMON_SIMPLIFIED + _COMMON_TRADITIONAL + _COMMON_PUNCTUATION)
