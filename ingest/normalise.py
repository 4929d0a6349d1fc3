"""Step 2, *normalise*: one canonical text that every offset points into.

* line ends become ``\\n``;
* full-width ASCII (U+FF01–U+FF5E) and the ideographic space fold to their
  half-width forms **one character for one character**, as do the look-alike
  radicals PDF fonts emit (``⼈`` → ``人``), so folding never moves an offset;
* lines that a page break or a hard wrap split inside a sentence are joined
  (the sample has ``人工智\\n\\n能``).
"""

from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement forms that NFKC leaves alone but PDF fonts use for
# the simplified ideographs they look like.
_RADICAL_SUPPLEMENT = {
    "⺠": "民", "⻚": "页", "⻓": "长", "⻔": "门", "⻆": "角", "⻅": "见", "⻉": "贝",
    "⻋": "车", "⻛": "风", "⻜": "飞", "⻝": "食", "⻢": "马", "⻥": "鱼", "⻦": "鸟",
    "⻩": "黄", "⻬": "齐", "⻮": "齿", "⻳": "龟", "⺟": "母", "⺁": "厂", "⺇": "几",
    "⺊": "卜", "⺌": "小", "⺗": "心", "⺮": "竹", "⺶": "羊", "⺷": "羊", "⻊": "足",
    "⻏": "阝", "⻖": "阝", "⺈": "⺈", "⻄": "西", "⻘": "青", "⻨": "麦", "⻰": "龙",
    "⻯": "龙", "⻒": "镸", "⻗": "雨", "⻣": "骨", "⻤": "鬼", "⻧": "卤", "⻪": "黾",
    "⻫": "齐", "⻭": "齿", "⺫": "目", "⺲": "罒", "⺩": "王", "⺪": "疋", "⺯": "糸",
    "⺰": "纟", "⺸": "羊", "⺻": "聿", "⺼": "月", "⺽": "臼", "⺾": "艹", "⺿": "艹",
    "⻀": "艹", "⻁": "虎", "⻂": "衤", "⻃": "覀", "⻇": "觅", "⻈": "讠", "⻌": "辶",
    "⻍": "辶", "⻎": "辶", "⻐": "钅", "⻑": "長", "⻕": "門", "⻙": "韦", "⻟": "饣",
    "⻡": "首", "⻠": "飠", "⺅": "亻", "⺉": "刂", "⺋": "㔾", "⺎": "兀", "⺏": "尣",
    "⺐": "尢", "⺑": "尣", "⺒": "巳", "⺓": "幺", "⺔": "彑", "⺖": "忄", "⺘": "扌",
    "⺙": "攵", "⺛": "旡", "⺜": "日", "⺝": "月", "⺞": "歺", "⺡": "氵", "⺢": "氺",
    "⺣": "灬", "⺤": "爫", "⺥": "爫", "⺦": "丬", "⺧": "牛", "⺨": "犭", "⺪": "疋",
    "⺬": "示", "⺭": "礻", "⺱": "冈", "⺳": "网", "⺴": "网", "⺵": "网", "⺺": "肀",
    "⺂": "乛", "⺃": "乚", "⺄": "乙", "⺆": "冂", "⺍": "丷", "⺕": "彐", "⺹": "耂",
    "⻱": "龜", "⻲": "亀",
}


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII → ASCII
        table[cp] = chr(cp - 0xFEE0)
    table[0x3000] = " "  # ideographic space
    table[0x00A0] = " "  # no-break space
    for cp in range(0x2F00, 0x2FD6):  # Kangxi radicals → unified ideographs
        mapped = unicodedata.normalize("NFKC", chr(cp))
        if len(mapped) == 1:
            table[cp] = mapped
    for src, dst in _RADICAL_SUPPLEMENT.items():
        if len(dst) == 1 and dst != src:
            table[ord(src)] = dst
    # CJK compatibility ideographs (some PDF fonts and old converters emit them) → the unified ideograph
    for cp in (*range(0xF900, 0xFADA), *range(0x2F800, 0x2FA1E)):
        mapped = unicodedata.normalize("NFKC", chr(cp))
        if len(mapped) == 1 and mapped != chr(cp):
            table[cp] = mapped
    for cp in range(0xD800, 0xE000):  # a lone surrogate cannot be stored: show it as U+FFFD
        table[cp] = "\ufffd"
    return table


FOLD_TABLE = _build_fold_table()


def fold(text: str) -> str:
    """Fold full-width ASCII and look-alike radicals, one character for one.

    >>> fold("（责任单位：区科委）２０２３年")
    '(责任单位:区科委)2023年'
    >>> len(fold("ＡＢＣ")) == len("ＡＢＣ")
    True
    """
    return text.translate(FOLD_TABLE)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")


# A line that ends a sentence, a heading, a note or a header field.
_TERMINAL = set("。！？!?；;：:…”’」』】〕)）>》")
# Lines that start a new unit: heading markers, notes, attachments, dates.
_STARTS_BLOCK = re.compile(
    r"^\s*(?:"
    r"[一二三四五六七八九十百]+\s*[、.．]"  # 一、
    r"|[(（]\s*[一二三四五六七八九十百]+\s*[)）]"  # （一）
    r"|\d{1,3}\s*[.．、](?!\d)"  # 1.
    r"|[(（]\s*\d{1,3}\s*[)）]"  # (1)
    r"|[①-⑳]"  # ①
    r"|第[一二三四五六七八九十百零〇\d]+[章节条款部分]"  # 第一章
    r"|附件|附表|抄送|主送|[（(]?此件"
    # a field of a portal's metadata header (索引号：…, 分类：…, 文号：…)
    r"|(?:索引号|主题分类|体裁分类|组配分类|信息分类|分类|发文机关|发文机构|发布机构|发布单位|成文日期|发布日期|生成日期"
    r"|公开日期|发文日期|发文字号|文号|有效性|公开方式|公开范围|主题词)\s*[:：\t]"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$"  # a date line
    r")"
)
_TITLE_ENDING = re.compile(r"(通知|意见|方案|办法|规定|决定|细则|计划|规划|纲要|要点|通报|报告|函|批复|公告|通告|措施|条例|决议|纪要|[（(](试行|暂行)[)）])\s*$")
_SENTENCE_PUNCT = re.compile(r"[，,。；;、]")
# A row of a table: cells separated by a tab, a |, or two runs of 2+ spaces (never healed into prose).
_TABLE_ROW = re.compile(r"\t|\S\s*\|\s*\S|\S {2,}\S+(?: \S+)* {2,}\S")


def _is_continuable(line: str) -> bool:
    """Could this line be the first half of a sentence that a break split?"""
    s = line.strip()
    if len(s) < 12 or s[-1] in _TERMINAL:
        return False
    if _TABLE_ROW.search(line.strip(" ")):
        return False  # a table row ends at its line end
    if not _SENTENCE_PUNCT.search(s):
        return False  # titles, names, signature lines, dates
    if _TITLE_ENDING.search(s):
        return False
    if _STARTS_BLOCK.match(s) and "。" not in s:
        return False  # a heading that happens to contain a comma
    return True


def starts_block(line: str) -> bool:
    """Does the line open a new unit (a heading, a note, an attachment, a date)?

    >>> starts_block("（二）行动目标"), starts_block("服务有效供给。")
    (True, False)
    """
    return bool(_STARTS_BLOCK.match(fold(line).strip()))


def _is_continuation(line: str) -> bool:
    s = line.strip()
    return bool(s) and not _STARTS_BLOCK.match(s) and not _TABLE_ROW.search(line.strip(" "))


def _closes_open_bracket(line: str, nxt: str) -> bool:
    """Does ``line`` end inside a bracket that ``nxt`` closes (``(责任`` / ``单位:区科委)``)?"""
    s = line.strip()
    if not s or _TABLE_ROW.search(line.strip(" ")) or s.count("(") <= s.count(")"):
        return False
    if s.rfind("(") < len(s) - 12:
        return False  # the open bracket is not near the break
    t = nxt.strip()
    close = t.find(")")
    return close > 0 and (t.find("(") < 0 or close < t.find("("))


def _join(a: str, b: str) -> str:
    a, b = a.rstrip(), b.lstrip()
    if a and b and a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha():
        return a + " " + b  # Latin words wrap at a space ("digital\nplatform"); Chinese and digits anywhere
    return a + b


def heal_breaks(text: str) -> str:
    """Join lines split inside a sentence by a page break or a hard wrap.

    >>> heal_breaks("建成以大数据、云计算、人工智\\n\\n能等技术搭建平台。\\n\\n二、专项行动")
    '建成以大数据、云计算、人工智能等技术搭建平台。\\n\\n二、专项行动'
    >>> heal_breaks("上海市普陀区人民政府办公室\\n\\n2022年6月15日")
    '上海市普陀区人民政府办公室\\n\\n2022年6月15日'
    >>> heal_breaks("培育一批企业。(责任\\n单位:区科委)")
    '培育一批企业。(责任单位:区科委)'
    """
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        # find the next non-blank line
        j = i + 1
        while j < n and not lines[j].strip():
            j += 1
        if j < n and j - i <= 3 and _is_continuation(lines[j]) and (
                _is_continuable(line) or _closes_open_bracket(line, lines[j])):
            lines[j] = _join(line, lines[j])
            i = j
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


# ------------------------------------------------------------------ Traditional characters
#
# The parsers' patterns are written in Simplified characters (责任单位, 亿元,
# 〔2023〕7号).  A Traditional-character document (責任單位, 億元, 7號) is
# parsed on a *matching view*: the same text with each Traditional character
# replaced by its Simplified form, one character for one, so every offset
# found in the view is an offset into the document.  Afterwards every string
# the parsers took from the view is put back as the document wrote it
# (:func:`restore_original`): the graph keeps 區科委, not 区科委.


def is_traditional(text: str) -> bool:
    """Is the text written in Traditional characters (many outside GB2312)?

    >>> is_traditional("責任單位：市府資訊局"), is_traditional("责任单位：区科委")
    (True, False)
    """
    han = traditional = 0
    for ch in text[:50_000]:
        if "\u4e00" <= ch <= "\u9fff":
            han += 1
            if ch in _T2S_CHARS:
                traditional += 1
    return han >= 4 and traditional >= max(2, 0.03 * han)


def matching_view(text: str) -> str:
    """The text the parsers match against: Traditional folded to Simplified, one for one.

    >>> matching_view("（責任單位：區科委）建成5個")
    '（责任单位：区科委）建成5个'
    >>> matching_view("责任单位") == "责任单位"
    True
    """
    return text.translate(_T2S) if is_traditional(text) else text


def restore_original(obj, original: str, view: str, _memo: dict | None = None, _seen: set | None = None):
    """Put back, in ``obj`` (a parsed document and everything in it), every
    string the parsers took from ``view`` as ``original`` writes it.

    A string that occurs in the view is replaced by the original text at its
    first occurrence (the view and the original align character for
    character); computed strings (ISO dates, paths, normalised units) do
    not occur and stay as they are.
    """
    import dataclasses

    memo = {} if _memo is None else _memo
    seen = set() if _seen is None else _seen

    def fix(v):
        if isinstance(v, str):
            if v not in memo:
                p = view.find(v) if v else -1
                memo[v] = original[p:p + len(v)] if p >= 0 else v
            return memo[v]
        if isinstance(v, list):
            v[:] = [fix(x) for x in v]
            return v
        if isinstance(v, tuple):
            return type(v)(fix(x) for x in v) if not hasattr(v, "_fields") else type(v)(*(fix(x) for x in v))
        if isinstance(v, dict):
            items = [(fix(k), fix(x)) for k, x in v.items()]
            v.clear()
            v.update(items)
            return v
        if dataclasses.is_dataclass(v) and not isinstance(v, type) and id(v) not in seen:
            seen.add(id(v))
            for f in dataclasses.fields(v):
                if f.name in ("text", "bundled") and hasattr(v, "sections"):
                    continue  # the document's own text and the other documents of a bundle
                setattr(v, f.name, fix(getattr(v, f.name)))
        return v

    fix(obj)
    if hasattr(obj, "sections") and hasattr(obj, "text"):
        obj.text = original
    return obj


def normalise(text: str) -> str:
    """The whole normalisation: newlines, fold, heal; the result is stored."""
    text = normalise_newlines(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = fold(text)
    text = heal_breaks(text)
    return text.strip("\n") + "\n" if text.strip() else ""


# Traditional → Simplified, one character for one: the Traditional forms (OpenCC
# s2t, s2tw, s2hk) of the 4,000 most frequent characters of jieba's
# dictionary, except those that Simplified text uses too (GB2312); 於 is added
# by hand (Simplified writes 于), and so are the Traditional-only forms that OpenCC
# keeps apart from a merged Simplified one (製/制 複/复 併/并 週/周 裏/里 佈/布 託/托
# 鐘/钟 麵/面 隻/只 綫/线 籤/签 檯/台 捨/舍: 製造, 依託, 發佈).  Generated once; used only for matching.
_T2S_TRADITIONAL = (
    "國為這個來會時學說説們發對長過業裡經門動進區開產軍還種現機體與當兩實麼關從內沒將員東頭間無見戰點場數樣問並萬級應資務氣漢總電聲設"
    "義統處馬兒領隊計別權話報給變書幾華議稱決張導術結師達題條規縣風運組聽濟黨論強黃選記卻職號類傳帶幹農邊據聯廣質陽難歷專認車臺遊舉線"
    "團備爭眾連調轉該爾讓較際親單紅價約亞則屬積圖準極裝許參觀魚辦復遠構隨劃勢熱網語鐵斷愛紀況證編滿覺雙樂標確織項飛節龍響藥輕擊請離顯"
    "羅營視護創餘興佔雖費試寶識維採宮環鬥鄉責嚴橋僅勝殺圍態楊負層須續狀銀範終錢賽獨細衝獲習醫盡臉彈樓藝陸協鎮檢寫蘇驗緊勞戶優財養適陳"
    "衛雲傷絕階劉剛億聞審壓監敵蘭溫園樹詞島預繼執誰驚畫輯劍談禮願築亂講臨揮歐葉簡擔歲荊貴轄幫塊額錯劇歡夠孫陣銷堅練腳讀測吳寧換異顧順"
    "鮮敗貨礦歸買險評嗎廠遺筆輸漸頂訓錄畢豐獻爺納鍾腦飯擴齊趕訴詩礎屆靜盤賣灣減祕靈雜澤側慶媽館補舊輪婦載懷軟槍牆惡頓穩諸綠榮針寬庫罷"
    "謝頁擁聖戲獎巖幣圓燒討煙誤療閉脫尋崗麗橫駐紙奪燈壞絲徑購陰牀擇憲魯廟艦課奧虛隱糧絡搖潛莊廳趙訪韋噸揚縱紛貿匯滅儀緩蓋跡釋潤嶺慮鋼"
    "碼壇錛損稅綜倫掛韓競烏鋪脈純謀劑謂頻壯騎雞蟲紹銅擺簽縮廢訂績鹽薩貼觸蓮搶鬧紡訊譽夢峽殘閃賊傾貧諾麥淚輩鏡貢緣貝罵飲奮躍贊啟閣勁晉"
    "溝鋒膽憑闖湯遷嘆儲貫徹鳳賞遼詢毀淨棄畝屍偉覽齡繞濃緒藍蕩閱閲鴻慣鳥辭窮鍵遞隸厲閒襲災漲濕鄭譯鄧腸詔冊鍋闊趨錦顏懸誠曉蔣攝罰輛騰繪"
    "撲頒違貸飾滾遲汙輔煩盜涼岡駕肅撫煉綱傑憂掃暫漁賓壽豬湧鄰勸踐頃賦萊擬賢憤轟陝臘猶輝頗淺喪慘驅塗牽鹹詳纖檔豈繡嚇賴盧顆郵凱帥鎖帳膠"
    "殼髒彎擋籌腫兇債賈譜夾塵鑽叢賀擾錫爐紋虧鑑齒獸礙辯撥恆勵鳴償攔脅紐爛嘗闢艱薦釐喬軸噴軌暢霧丟諮窩潔飄膚磚贏擠獅診籃喚俠樞欄糾鏈戀"
    "懼籠彌敘剝騙獵倆縫攜灘禍馳獄緯蹤渾繩頸遙鬱憶閥邏惱貪瘋偵鷹駛斬鶴賜悶轎輻偽拋僑飽呂瑪鹼馮倉欽龐洩禎艙壩誇艷聰僕瑤謙臥貓銜蒼漿鑄懲"
    "邁銳鋭顫濱餓纏憐撐腎脹謹鵝醜鎊兌貞誕稟樸餅狹榪賠綿誘頑攤賬鴨掙蘆睜紗凍脣軒蠻暈鄖鵬棲疊輿齋蕭皺蝕釘闡遜銘碩賭饒滬僱擲厭淵氫潰顛鉛"
    "禪韻嬰悅餚湊茲燭殲鈞滲窯諧廈櫃誼壺賺譚勳飼褲疇恥犧販豎曬傘鱗傭龜潑屢瞞廝鉤鈎諒黴闕墳寵鰭訟蝦濤鞏灑棗滯啞煥娛撈蠟嬸嬌廚囑祿贈鈴虜"
    "飢締蘊藴鴉鍛驟籲搗莖廂勻灝駝縛壟曠綢繳賤軀頌幟綁侖簾鏢鈉剎妝驢鋁閘濫醬嘯騷竊鑿墊鈣喲錐懶盞廬諭嶼釀詐鋅淪滷凜蘄蠶攪譁嗚擱駭鵑澱閻"
    "瀏誦蘿頰燦稜瓊驕悽釗駁諫緬錘覓攏臚訣蘋墜賄釣滄聳壘謎緇貶竄蔥穎詭膩彥癢贛粵貯綺諷襯燙晝閩鉀斂壋寢斃蔭渦樁鑼繕攬鏟尷懇禿摟撓吶驛詫"
    "絨韃謊諱瀉葦謠蟻瀟糞誅棟譴袞墮鱘澆絞竇鮑鈔訝瑣濾錳紳竅鴿撿馴騾瀾窪鰲鑲挾鄒儉纜聶蕪駱嘔羨廁窺錚磯暉矚綴濁緝燜綻謬燻墾誥駒羈囂辮蠅"
    "洶慚嫻韌縷澀緞餉瀕鱅篩橢鴣矯誨鑰餌槳櫻鷓篤侶詠翹鯉揀騫鱷柵綽鳩鋸瑩膿閨頤鈦濺絹爍癱瘡驀攢鈾葷鯊誣鎳檻鴛贖璽蟬槓饋刪韜禱鴦燴錠朧塢"
    "軋覷縐氈懾鰱聾燉嬪癮鈍奼譏饅鯨鎂頜顱訌錡繃賂螞甕輦隴轅狽襪棧箏鉻餈澇駙槨憚綏熒梟殯堯樺嗆贓摯攙襖嵐僥簫醃礫睞穢詣擰硯櫥饌鏽誡欖憊"
    "龔諜瀝擄螢鵲熾羥噓輟滌貽繮韁嶄鬮釁塹烴繹駟謨頹諶絆鏤澗鎢瓏鬢楓雛躊箋綰繭閹轍姍屜馱嚕隕鉢缽鉗薊鎬嚨鈷櫟鋤蹺駿訛蠍鱉筍饞餾嘰閔紈鋮"
    "蹌釵饃鰾餃礬摻鶯廡瘓媧瀆謁欞諦漣醞醖嘍鐧絎輾癲穌鰓錨躋絳籬詰繚鰉璫魷贅"
)
_T2S_SIMPLIFIED = (
    "国为这个来会时学说说们发对长过业里经门动进区开产军还种现机体与当两实么关从内没将员东头间无见战点场数样问并万级应资务气汉总电声设"
    "义统处马儿领队计别权话报给变书几华议称决张导术结师达题条规县风运组听济党论强黄选记却职号类传带干农边据联广质阳难历专认车台游举线"
    "团备争众连调转该尔让较际亲单红价约亚则属积图准极装许参观鱼办复远构随划势热网语铁断爱纪况证编满觉双乐标确织项飞节龙响药轻击请离显"
    "罗营视护创余兴占虽费试宝识维采宫环斗乡责严桥仅胜杀围态杨负层须续状银范终钱赛独细冲获习医尽脸弹楼艺陆协镇检写苏验紧劳户优财养适陈"
    "卫云伤绝阶刘刚亿闻审压监敌兰温园树词岛预继执谁惊画辑剑谈礼愿筑乱讲临挥欧叶简担岁荆贵辖帮块额错剧欢够孙阵销坚练脚读测吴宁换异顾顺"
    "鲜败货矿归买险评吗厂遗笔输渐顶训录毕丰献爷纳钟脑饭扩齐赶诉诗础届静盘卖湾减秘灵杂泽侧庆妈馆补旧轮妇载怀软枪墙恶顿稳诸绿荣针宽库罢"
    "谢页拥圣戏奖岩币圆烧讨烟误疗闭脱寻岗丽横驻纸夺灯坏丝径购阴床择宪鲁庙舰课奥虚隐粮络摇潜庄厅赵访韦吨扬纵纷贸汇灭仪缓盖迹释润岭虑钢"
    "码坛锛损税综伦挂韩竞乌铺脉纯谋剂谓频壮骑鸡虫绍铜摆签缩废订绩盐萨贴触莲抢闹纺讯誉梦峡残闪贼倾贫诺麦泪辈镜贡缘贝骂饮奋跃赞启阁劲晋"
    "沟锋胆凭闯汤迁叹储贯彻凤赏辽询毁净弃亩尸伟览龄绕浓绪蓝荡阅阅鸿惯鸟辞穷键递隶厉闲袭灾涨湿郑译邓肠诏册锅阔趋锦颜悬诚晓蒋摄罚辆腾绘"
    "扑颁违贷饰滚迟污辅烦盗凉冈驾肃抚炼纲杰忧扫暂渔宾寿猪涌邻劝践顷赋莱拟贤愤轰陕腊犹辉颇浅丧惨驱涂牵咸详纤档岂绣吓赖卢颗邮凯帅锁帐胶"
    "壳脏弯挡筹肿凶债贾谱夹尘钻丛贺扰锡炉纹亏鉴齿兽碍辩拨恒励鸣偿拦胁纽烂尝辟艰荐厘乔轴喷轨畅雾丢咨窝洁飘肤砖赢挤狮诊篮唤侠枢栏纠链恋"
    "惧笼弥叙剥骗猎俩缝携滩祸驰狱纬踪浑绳颈遥郁忆阀逻恼贪疯侦鹰驶斩鹤赐闷轿辐伪抛侨饱吕玛碱冯仓钦庞泄祯舱坝夸艳聪仆瑶谦卧猫衔苍浆铸惩"
    "迈锐锐颤滨饿缠怜撑肾胀谨鹅丑镑兑贞诞禀朴饼狭杩赔绵诱顽摊账鸭挣芦睁纱冻唇轩蛮晕郧鹏栖叠舆斋萧皱蚀钉阐逊铭硕赌饶沪雇掷厌渊氢溃颠铅"
    "禅韵婴悦肴凑兹烛歼钧渗窑谐厦柜谊壶赚谭勋饲裤畴耻牺贩竖晒伞鳞佣龟泼屡瞒厮钩钩谅霉阙坟宠鳍讼虾涛巩洒枣滞哑焕娱捞蜡婶娇厨嘱禄赠铃虏"
    "饥缔蕴蕴鸦锻骤吁捣茎厢匀灏驼缚垄旷绸缴贱躯颂帜绑仑帘镖钠刹妆驴铝闸滥酱啸骚窃凿垫钙哟锥懒盏庐谕屿酿诈锌沦卤凛蕲蚕搅哗呜搁骇鹃淀阎"
    "浏诵萝颊灿棱琼骄凄钊驳谏缅锤觅拢胪诀苹坠贿钓沧耸垒谜缁贬窜葱颖诡腻彦痒赣粤贮绮讽衬烫昼闽钾敛垱寝毙荫涡桩锣缮揽铲尴恳秃搂挠呐驿诧"
    "绒鞑谎讳泻苇谣蚁潇粪诛栋谴衮堕鲟浇绞窦鲍钞讶琐滤锰绅窍鸽捡驯骡澜洼鳌镶挟邹俭缆聂芜骆呕羡厕窥铮矶晖瞩缀浊缉焖绽谬熏垦诰驹羁嚣辫蝇"
    "汹惭娴韧缕涩缎饷濒鳙筛椭鸪矫诲钥饵桨樱鹧笃侣咏翘鲤拣骞鳄栅绰鸠锯莹脓闺颐钛溅绢烁瘫疮蓦攒铀荤鲨诬镍槛鸳赎玺蝉杠馈删韬祷鸯烩锭胧坞"
    "轧觑绉毡慑鲢聋炖嫔瘾钝姹讥馒鲸镁颌颅讧锜绷赂蚂瓮辇陇辕狈袜栈筝铬糍涝驸椁惮绥荧枭殡尧桦呛赃挚搀袄岚侥箫腌砾睐秽诣拧砚橱馔锈诫榄惫"
    "龚谍沥掳萤鹊炽羟嘘辍涤贻缰缰崭阄衅堑烃绎驷谟颓谌绊镂涧钨珑鬓枫雏踌笺绾茧阉辙姗屉驮噜陨钵钵钳蓟镐咙钴栎锄跷骏讹蝎鳖笋馋馏叽闵纨铖"
    "跄钗馍鳔饺矾掺莺庑痪娲渎谒棂谛涟酝酝喽锏绗辗癫稣鳃锚跻绛篱诘缭鳇珰鱿赘"
)
_T2S_BY_HAND = ("於製複併週裏佈託鐘麵隻綫籤檯捨", "于制复并周里布托钟面只线签台舍")
_T2S = str.maketrans(_T2S_TRADITIONAL + _T2S_BY_HAND[0], _T2S_SIMPLIFIED + _T2S_BY_HAND[1])
_T2S_CHARS = frozenset(_T2S_TRADITIONAL + _T2S_BY_HAND[0])
