"""A deterministic generator of Chinese policy documents, each with its expected parse.

Run from the root of a checkout with the package installed (``pip install -e .``)::

    python benchmarks/generate_corpus.py benchmarks/out/corpus-1000 --count 1000          # txt (UTF-8 and GBK)
    python benchmarks/generate_corpus.py benchmarks/out/mixed --count 200 --forms all     # also .docx and .html
    python benchmarks/generate_corpus.py --score benchmarks/out/corpus-1000 --workers 2   # parser vs the answers

Every document is ours: sentences are put together from phrase pools written for
this generator, in the genre of the sample (普府办〔2022〕16号): notices that
transmit a plan, plain plans and one-page notices, issued by a province, city,
district or county, whose responsible units are that government's bureaus as the
gazetteer (``ontology/units.tsv``) abbreviates them (省发展改革委, 市经信委, 区科委,
县教育局 …).  Each document draws from its own random stream
``Random("policykg-corpus:{seed}:{index}")``, so the same seed gives
byte-identical files and the first 1,000 documents of a 10,000-document corpus
are the 1,000-document corpus.

What varies: numbering depth (一、 / （一） / 1. / (1) / ①, headings on their
own line or inline), targets in every form the parser reads (Arabic, full-width,
thousands separators, decimals, %, Chinese numerals, 万/亿 units; 超过, 达到,
以上, 不低于, 左右, 不超过, 控制在…以内; ranges 2—3 / 2-3 / 2～3 / 2至3;
deadlines 到2025年底 / 2025年底前 / 到2025年 / 2025年6月底前, stated in the
sentence or in the lead sentence of a list), responsibility in every common
form (（责任单位：A、B）, （牵头单位：A；配合单位：B、C）,
（A牵头，B、C按职责分工配合）, tab-separated 任务分工表 under a
序号/任务/牵头单位/配合单位/完成时限 header), sizes from one page to ~100
pages, and the file form (UTF-8 or GBK text, optionally .docx and .html).

Next to each ``dNNNNN.txt`` (or .docx, .html) the generator writes
``dNNNNN.expected.json``: the document's 文号, title, issuer, issue date, type
and transmitted plan; every section (path, number, title, kind); every action
with its units and their roles; every target with comparator, value or range,
unit and deadline.  ``corpus.json`` lists the files.  :func:`score_document`
compares a parsed :class:`~policykg.ingest.Document` with that answer field by
field; ``--score`` does it for a whole folder.
"""

from __future__ import annotations

import argparse
import calendar
import hashlib
import io
import json
import random
import sys
import time
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal
from pathlib import Path

GENERATOR_VERSION = 1
DEFAULT_SEED = 8
FORMS = ("txt", "gbk", "docx", "html")
_FORM_WEIGHTS = {"txt": 0.6, "gbk": 0.15, "docx": 0.125, "html": 0.125}

# ------------------------------------------------------------------ places (made up below the province)

PROVINCES = [("浙江省", "浙"), ("江苏省", "苏"), ("安徽省", "皖"), ("福建省", "闽"), ("江西省", "赣"), ("山东省", "鲁"),
             ("河南省", "豫"), ("湖北省", "鄂"), ("湖南省", "湘"), ("广东省", "粤"), ("四川省", "川"), ("贵州省", "黔")]
CITIES = ["云州市", "临江市", "青阳市", "安宁市", "澄州市", "丰源市", "明川市", "禾阳市", "栖霞湾市", "泓州市", "岚城市",
          "汀州市", "溪南市", "朔阳市", "嘉川市", "望海市", "柏州市", "东禾市", "松原口市", "凌州市"]
DISTRICTS = ["东湖区", "西城区", "南岸区", "北塘区", "新港区", "中山区", "临湖区", "金沙区", "云溪区", "长宁湾区", "江北区",
             "青石区", "白鹭区", "梧桐区", "高新区", "滨江区"]
COUNTIES = ["清河县", "安平县", "永和县", "长乐县", "丰宁县", "石门县", "桃源县", "宜川县", "河口县", "庆云县", "双溪县",
            "兰亭县"]
_LEVEL_WEIGHTS = {"province": 0.15, "city": 0.3, "district": 0.35, "county": 0.2}
_PREFIX = {"province": "省", "city": "市", "district": "区", "county": "县"}
_SCOPE = {"province": "全省", "city": "全市", "district": "全区", "county": "全县"}
_COLLECTIVE = {"province": "各设区市人民政府", "city": "各区人民政府", "district": "各街道", "county": "各乡镇"}
_ADDRESSEES = {
    "province": "各市、县（市、区）人民政府，省政府直属各单位",
    "city": "各区人民政府，市政府各委、办、局",
    "district": "各街道办事处、镇政府，区政府各委、办、局",
    "county": "各乡镇人民政府，县政府各部门",
}
_GOV_SHORT = {"province": "省政府", "city": "市政府", "district": "区政府", "county": "县政府"}


@dataclass
class Jurisdiction:
    level: str  # province | city | district | county
    full: str  # 浙江省 / 云州市 / 云州市东湖区
    short: str  # the place name without its parent: 东湖区
    abbr: str  # one character for document numbers: 浙 / 云 / 东

    @property
    def prefix(self) -> str:
        return _PREFIX[self.level]


def _jurisdiction(rng: random.Random) -> Jurisdiction:
    level = _weighted(rng, _LEVEL_WEIGHTS)
    if level == "province":
        name, abbr = rng.choice(PROVINCES)
        return Jurisdiction(level, name, name, abbr)
    city = rng.choice(CITIES)
    if level == "city":
        return Jurisdiction(level, city, city, city[0])
    own = rng.choice(DISTRICTS if level == "district" else COUNTIES)
    return Jurisdiction(level, city + own, own, own[0])


# ------------------------------------------------------------------ responsible units from the gazetteer

_UNIT_END = ("委", "局", "办", "厅", "中心")
_NOT_UNIT_STEMS = {"府办", "政府办", "人民政府办公室", "人民政府办公厅", "政府办公室", "政府办公厅", "档案馆"}


@lru_cache(maxsize=1)
def unit_stems() -> dict[str, list[str]]:
    """Abbreviated body stems per level, read from the gazetteer (``units.tsv``).

    A province names its departments ``…厅`` where the gazetteer has that form;
    cities, districts and counties never use ``厅``.
    """
    from policykg.ingest.units import body_forms

    stems = sorted({f.form for f in body_forms()
                    if not f.scope and f.type == "GovernmentBody" and "{" not in f.full and 2 <= len(f.form) <= 6
                    and f.form.endswith(_UNIT_END) and f.form not in _NOT_UNIT_STEMS})
    ting_roots = {s[:2] for s in stems if s.endswith("厅")}
    province = [s for s in stems if s.endswith("厅") or s[:2] not in ting_roots]
    local = [s for s in stems if not s.endswith("厅")]
    return {"province": province, "city": local, "district": local, "county": local}


# ------------------------------------------------------------------ themes: our own phrase pools

@dataclass(frozen=True)
class Metric:
    kind: str  # "count": verb N unit noun; "level": metric comparator N unit
    text: str
    unit: str
    lo: int
    hi: int
    verb: str = ""
    lower_is_better: bool = False


@dataclass(frozen=True)
class Theme:
    stem: str  # 数字经济高质量发展
    short: str  # 数字经济
    nouns: tuple[str, ...]
    goals: tuple[str, ...]
    areas: tuple[str, ...]
    actions: tuple[str, ...]
    metrics: tuple[Metric, ...]


THEMES = (
    Theme("数字经济高质量发展", "数字经济",
          ("数字产业", "工业互联网", "数据要素", "智能制造", "软件和信息服务", "数字基础设施", "算力网络", "平台经济",
           "数字技术", "产业链协同", "企业数字化改造", "数字贸易"),
          ("产业规模", "创新能力", "企业培育", "载体建设", "融合应用", "基础设施"),
          ("做强数字产业", "推进产业数字化", "夯实数字基础设施", "培育数据要素市场", "优化数字产业生态", "强化创新策源"),
          ("培育软件龙头企业", "建设工业互联网平台", "推进智能工厂建设", "发展数字创意产业", "建设数据交易服务体系",
           "布局新型数据中心", "推动企业上云用数", "打造数字经济园区", "加快5G网络建设", "培育平台型企业",
           "推进集成电路产业发展", "发展人工智能产业", "建设算力调度平台", "推动中小企业数字化转型",
           "培育数字经济人才", "完善产业投融资服务"),
          (Metric("level", "数字经济核心产业增加值", "亿元", 80, 3000),
           Metric("level", "软件业务收入", "亿元", 20, 900),
           Metric("level", "规模以上工业企业数字化改造覆盖率", "%", 50, 98),
           Metric("count", "专精特新中小企业", "家", 10, 600, "培育"),
           Metric("count", "智能工厂", "个", 3, 80, "建成"),
           Metric("count", "5G基站", "个", 200, 9000, "新建"),
           Metric("count", "工业互联网平台", "个", 2, 30, "打造"),
           Metric("level", "企业上云数量", "万家", 1, 20))),
    Theme("智慧城市建设", "智慧城市",
          ("城市运行", "政务服务", "一网通办", "一网统管", "城市大脑", "感知设施", "公共数据", "数字孪生", "应急管理",
           "社区治理", "交通管理", "城市安全"),
          ("政务服务", "城市治理", "数据共享", "感知体系", "场景应用"),
          ("提升政务服务效能", "推进城市精细化治理", "夯实城市数字底座", "深化公共数据共享", "拓展智慧应用场景"),
          ("完善一网通办服务体系", "建设城市运行管理平台", "推进数字孪生城市建设", "部署城市感知终端",
           "建设公共数据平台", "推进智慧社区建设", "建设智慧交通系统", "提升应急指挥能力", "推进政务服务标准化",
           "建设城市信息模型平台", "推广电子证照应用", "建设智慧停车系统", "推进视频资源整合共享"),
          (Metric("level", "政务服务事项全程网办率", "%", 70, 99),
           Metric("level", "公共数据共享率", "%", 60, 99),
           Metric("level", "企业开办时间", "个工作日", 1, 5, lower_is_better=True),
           Metric("count", "智慧社区", "个", 5, 200, "建成"),
           Metric("count", "城市感知终端", "万个", 1, 50, "部署"),
           Metric("count", "典型应用场景", "个", 10, 150, "落地"),
           Metric("count", "智慧停车泊位", "个", 500, 20000, "新增"))),
    Theme("绿色低碳发展", "绿色低碳",
          ("清洁能源", "节能改造", "绿色建筑", "新能源汽车", "碳排放", "循环经济", "生态环境", "绿色制造", "充电设施",
           "资源综合利用", "绿色交通"),
          ("能源结构", "能效水平", "绿色产业", "生态质量"),
          ("优化能源结构", "推进工业绿色转型", "发展绿色建筑", "构建绿色交通体系", "提升生态环境质量"),
          ("建设分布式光伏项目", "推进重点企业节能改造", "推广新能源汽车", "建设公共充电设施", "创建绿色工厂",
           "推进既有建筑节能改造", "建设资源循环利用基地", "开展碳排放监测", "推进污水处理设施提标", "建设生态绿道"),
          (Metric("level", "非化石能源消费比重", "%", 15, 40),
           Metric("level", "单位地区生产总值能耗下降率", "%", 3, 18),
           Metric("level", "城市污水集中处理率", "%", 90, 99),
           Metric("count", "公共充电桩", "个", 300, 12000, "新建"),
           Metric("count", "绿色工厂", "家", 5, 120, "创建"),
           Metric("level", "新增光伏装机容量", "万千瓦", 5, 300),
           Metric("count", "生态绿道", "公里", 20, 800, "新建"),
           Metric("level", "细颗粒物平均浓度", "微克/立方米", 20, 35, lower_is_better=True))),
    Theme("养老服务体系建设", "养老服务",
          ("居家养老", "社区养老", "医养结合", "养老机构", "适老化改造", "长期护理", "为老服务", "智慧养老",
           "养老护理队伍", "老年教育"),
          ("服务供给", "设施布局", "队伍建设", "服务质量"),
          ("完善养老服务设施", "发展医养结合服务", "提升养老服务质量", "加强养老人才队伍建设", "推进智慧养老"),
          ("建设社区养老服务综合体", "推进老年人家庭适老化改造", "建设长者食堂", "发展家庭养老床位",
           "推进医养结合机构建设", "开展养老护理员培训", "建设智慧养老服务平台", "发展老年教育"),
          (Metric("count", "社区养老服务综合体", "个", 3, 60, "建成"),
           Metric("count", "长者食堂", "家", 5, 200, "新建"),
           Metric("count", "家庭养老床位", "张", 100, 5000, "建设"),
           Metric("level", "养老机构护理型床位占比", "%", 50, 80),
           Metric("count", "养老护理员培训", "人次", 200, 30000, "完成"),
           Metric("count", "适老化改造家庭", "户", 200, 8000, "完成"))),
    Theme("教育现代化", "教育现代化",
          ("基础教育", "职业教育", "智慧教育", "教师队伍", "学前教育", "课后服务", "教育数字化", "产教融合", "校园安全"),
          ("办学条件", "教育质量", "队伍建设", "数字化水平"),
          ("扩大优质教育资源", "推进教育数字化转型", "深化产教融合", "建设高素质教师队伍", "促进学生全面发展"),
          ("新建改扩建中小学校", "建设智慧校园", "推进集团化办学", "建设产教融合实训基地", "开展教师数字素养培训",
           "发展普惠性学前教育", "完善课后服务体系", "建设数字教育资源平台"),
          (Metric("count", "中小学校", "所", 2, 40, "新建"),
           Metric("count", "智慧校园示范校", "所", 5, 120, "创建"),
           Metric("level", "普惠性幼儿园覆盖率", "%", 80, 98),
           Metric("count", "产教融合实训基地", "个", 2, 30, "建设"),
           Metric("count", "学位", "个", 1000, 30000, "新增"),
           Metric("level", "生均教育经费", "万元", 1, 5))),
    Theme("科技创新能力提升", "科技创新",
          ("创新平台", "科技成果转化", "高新技术企业", "研发投入", "创新人才", "孵化载体", "关键核心技术", "产学研协同",
           "知识产权", "科技金融"),
          ("研发投入", "创新主体", "创新平台", "成果转化"),
          ("强化企业创新主体地位", "建设高能级创新平台", "加快科技成果转化", "集聚创新人才", "优化创新生态"),
          ("培育高新技术企业", "建设新型研发机构", "建设科技企业孵化器", "推进技术转移机构建设",
           "实施关键核心技术攻关", "引进高层次创新人才", "发展科技金融服务", "建设知识产权服务平台"),
          (Metric("level", "全社会研发经费投入强度", "%", 2, 5),
           Metric("count", "高新技术企业", "家", 50, 3000, "培育"),
           Metric("count", "新型研发机构", "家", 2, 30, "建设"),
           Metric("level", "技术合同成交额", "亿元", 10, 800),
           Metric("count", "科技企业孵化器", "个", 2, 40, "新建"),
           Metric("count", "高层次创新人才", "名", 20, 2000, "引进"),
           Metric("level", "每万人高价值发明专利拥有量", "件", 5, 60))),
)

CHARS_PER_PAGE = 700  # an A4 page of an official document (仿宋三号, 22 lines of 28 characters) holds ~600-700

_VERBS = ("加快", "推进", "完善", "提升", "健全", "深化", "强化", "优化", "拓展", "推动", "加强", "创新")
_PROSE = (
    "{v1}{n1}建设，推动{n2}与{n3}深度融合。",
    "{v1}{n1}体制机制，{v2}{n2}服务能力，营造良好发展环境。",
    "坚持需求导向和问题导向，{v1}{n1}，{v2}{n2}。",
    "鼓励各类主体参与{n1}，形成{n2}和{n3}协同推进的工作格局。",
    "{v1}{n1}标准规范，{v2}{n2}管理水平，确保各项工作取得实效。",
    "聚焦{n1}重点环节，{v1}{n2}，进一步提升{n3}质量和效益。",
    "统筹推进{n1}和{n2}，{v1}政策支持力度，{v2}要素保障。",
    "围绕{n1}发展需求，{v1}{n2}供给，{v2}{n3}覆盖面。",
    "建立健全{n1}工作机制，定期开展{n2}评估，及时总结推广经验做法。",
    "{v1}{n1}示范引领，打造具有区域影响力的{n2}品牌。",
)
_GUIDING = ("坚持以人民为中心的发展思想，完整、准确、全面贯彻新发展理念，以{n1}为主线，以{n2}为抓手，"
            "统筹发展和安全，为经济社会高质量发展提供有力支撑。")
_MEASURES = (("加强组织领导", "建立工作推进机制，统筹协调重大事项，定期研究解决{n1}中的重要问题。"),
             ("强化政策支持", "用好各类专项资金，完善{n1}支持政策，引导社会资本加大投入。"),
             ("加强人才保障", "完善人才引进和培养机制，加强{n1}专业人才队伍建设。"),
             ("强化督查考核", "将{n1}工作纳入年度考核，加强跟踪评估和督促检查。"),
             ("营造良好氛围", "加大宣传推广力度，及时总结推广{n1}典型经验，营造全社会共同参与的良好氛围。"))
_GENRES = ("行动方案", "实施方案", "工作方案", "三年行动计划", "行动计划")
_GENRE_TYPE = {"行动方案": "方案", "实施方案": "方案", "工作方案": "方案", "三年行动计划": "计划", "行动计划": "计划"}
_GOAL_PARTS = ("工作目标", "发展目标", "主要目标")
_ACTION_PARTS = ("重点任务", "主要任务", "专项行动", "重点举措")
_MEASURE_PARTS = ("保障措施", "组织保障", "实施保障")

# ------------------------------------------------------------------ numerals and numbering

_CN_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def cn_number(n: int) -> str:
    """An integer below 100,000 in Chinese numerals (105 → 一百零五, 12 → 十二).

    >>> cn_number(1200), cn_number(105), cn_number(12), cn_number(1020)
    ('一千二百', '一百零五', '十二', '一千零二十')
    """
    if not 0 < n < 100_000:
        raise ValueError(n)
    if 10 <= n < 20:
        return "十" + (_CN_DIGITS[n - 10] if n > 10 else "")
    out, zero = "", False
    for value, name in ((10_000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero:
                out += "零"
            out += _CN_DIGITS[d] + name
            zero = False
        elif out:
            zero = True
        if not n:
            break
    return out


def _fullwidth(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


def _heading(style: str, n: int, fullwidth: bool) -> str:
    if style == "cn_dun":
        return cn_number(n) + "、"
    if style == "cn_paren":
        return f"（{cn_number(n)}）"
    if style == "ar_dot":
        return _fullwidth(f"{n}.") if fullwidth else f"{n}."
    if style == "ar_paren":
        return f"（{n}）" if fullwidth else f"({n})"
    return _CIRCLED[n - 1]


_STYLES = ("cn_dun", "cn_paren", "ar_dot", "ar_paren", "circled")

# ------------------------------------------------------------------ the expected answer


@dataclass
class Expected:
    document: dict = field(default_factory=dict)
    sections: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _month_end(year: int, month: int) -> str:
    return f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


class _Builder:
    """Writes one document line by line and records what a perfect parse finds."""

    def __init__(self, rng: random.Random, index: int) -> None:
        self.rng = rng
        self.index = index
        self.lines: list[str | dict] = []  # a dict is a task table: {"header": [...], "rows": [[...]]}
        self.length = 0  # characters written so far
        self.exp = Expected()
        self.fullwidth_digits = rng.random() < 0.15
        self.spaced_numbers = rng.random() < 0.15  # "超过 800 亿元", as a PDF copy reads
        self.inline_third = rng.random() < 0.4  # 1. 标题。正文 on one line

    # -- small pieces

    def pick(self, seq):
        return self.rng.choice(seq)

    def prose(self, theme: Theme, sentences: int) -> str:
        out = []
        for _ in range(sentences):
            n = self.rng.sample(theme.nouns, 3)
            v = self.rng.sample(_VERBS, 2)
            out.append(self.pick(_PROSE).format(n1=n[0], n2=n[1], n3=n[2], v1=v[0], v2=v[1]))
        return "".join(out)

    def add(self, line: str = "") -> None:
        self.lines.append(line)
        self.length += len(line) + 1

    def section(self, path: str, number: str, title: str, kind: str | None) -> None:
        self.exp.sections.append({"path": path, "number": number, "title": title, "kind": kind})

    # -- targets

    def _number(self, value: int, unit: str, allow_decimal: bool) -> tuple[str, Decimal]:
        """A value written in one of the forms the parser reads."""
        rng = self.rng
        r = rng.random()
        if allow_decimal and r < 0.12 and value < 1000:
            dec = Decimal(value) + Decimal(rng.choice((1, 2, 5, 8))) / 10
            return str(dec), dec
        if r < 0.25 and value < 10_000 and unit != "%":
            if value == 2 and rng.random() < 0.5:
                return "两", Decimal(2)
            return cn_number(value), Decimal(value)
        if r < 0.35 and value >= 1000:
            return f"{value:,}", Decimal(value)
        written = str(value)
        if self.fullwidth_digits or r > 0.93:
            written = _fullwidth(written)
        return written, Decimal(value)

    def _unit_text(self, unit: str) -> str:
        if unit == "%" and self.rng.random() < 0.2:
            return "％"
        return unit

    def _deadline(self, year: int) -> tuple[str, str]:
        form = self.rng.randrange(4)
        if form == 0:
            return f"到{year}年底", f"{year}-12-31"
        if form == 1:
            return f"{year}年底前", f"{year}-12-31"
        if form == 2:
            return f"到{year}年", f"{year}-12-31"
        month = self.rng.choice((3, 6, 9, 10))
        return f"{year}年{month}月底前", _month_end(year, month)

    def target(self, theme: Theme, section: str, scope: str, deadline: str | None) -> str:
        """One target clause; records the expected target."""
        rng = self.rng
        m = rng.choice(theme.metrics)
        value = rng.randint(m.lo, m.hi)
        sp = " " if self.spaced_numbers else ""
        exp = {"section": section, "comparator": "=", "value": None, "value_min": None, "value_max": None,
               "unit": m.unit, "deadline": deadline}
        if m.kind == "count":
            cmp = _weighted(rng, {"=": 0.4, ">=": 0.2, "approx": 0.12, "range": 0.18, ">": 0.1})
        elif m.lower_is_better:
            cmp = _weighted(rng, {"<=": 0.7, "approx": 0.3})
        else:
            cmp = _weighted(rng, {">": 0.3, ">=": 0.5, "approx": 0.2})
        exp["comparator"] = cmp
        unit = self._unit_text(m.unit)
        if cmp == "range":
            low = max(1, value // 2) if value > 3 else value
            high = low + max(1, rng.randint(1, max(1, low)))
            sep = rng.choice(("—", "-", "～", "至"))
            lo_w, lo_v = self._number(low, m.unit, False)
            hi_w, hi_v = self._number(high, m.unit, False)
            if not lo_w.isdigit() or not hi_w.isdigit():  # 二至三家 reads; 二—三家 does not: keep ranges Arabic
                lo_w, hi_w = str(low), str(high)
            exp.update(value_min=str(lo_v), value_max=str(hi_v))
            clause = f"{m.verb}{sp}{lo_w}{sep}{hi_w}{sp}{unit}{m.text}"
        else:
            written, val = self._number(value, m.unit, m.kind == "level")
            if m.unit == "%" and rng.random() < 0.1 and written.isdigit() and int(written) < 100:
                written, unit = "百分之" + cn_number(int(written)), ""
            exp["value"] = str(val)
            num = f"{sp}{written}{sp}{unit}"
            if m.kind == "count":
                clause = {
                    "=": f"{m.verb}{num}{m.text}",
                    ">=": rng.choice((f"{m.verb}{m.text}{num}以上", f"{m.verb}{m.text}不少于{num}")),
                    "approx": f"{m.verb}{num}左右{m.text}",
                    ">": f"{m.verb}{m.text}超过{num}",
                }[cmp]
            else:
                clause = {
                    ">": f"{scope}{m.text}超过{num}",
                    ">=": rng.choice((f"{scope}{m.text}达到{num}", f"{m.text}不低于{num}", f"{m.text}达到{num}以上")),
                    "approx": f"{m.text}达到{num}左右",
                    "<=": rng.choice((f"{m.text}不超过{num}", f"{m.text}控制在{num}以内")),
                }[cmp]
        self.exp.targets.append(exp)
        return clause

    def target_sentence(self, theme: Theme, section: str, scope: str, year: int, *, inherited: str | None = None,
                        max_clauses: int = 2) -> str:
        """``到2025年底，A，B。`` — or, under a lead sentence that gives the deadline, ``A，B。``."""
        if inherited is not None and self.rng.random() < 0.8:
            dl_text, dl = None, inherited
        else:
            dl_text, dl = self._deadline(year)
        clauses = [self.target(theme, section, scope, dl) for _ in range(self.rng.randint(1, max_clauses))]
        body = "，".join(clauses)
        return f"{dl_text}，{body}。" if dl_text else f"{body}。"

    # -- responsibility

    def note(self, units: list[str], path: str, title: str) -> str:
        """A responsibility note in one of the common forms; records the action."""
        rng = self.rng
        form = rng.choice(("responsible", "lead_support", "role")) if len(units) > 1 else "responsible"
        if form == "responsible":
            text = "（责任单位：" + "、".join(units) + "）"
            roles = [None] * len(units)
        elif form == "lead_support":
            text = f"（牵头单位：{units[0]}；配合单位：" + "、".join(units[1:]) + "）"
            roles = ["lead"] + ["support"] * (len(units) - 1)
        else:
            text = f"（{units[0]}牵头，" + "、".join(units[1:]) + "按职责分工配合）"
            roles = ["lead"] + ["support"] * (len(units) - 1)
        self.exp.actions.append({"path": path, "title": title, "form": form,
                                 "units": [{"name": u, "role": r} for u, r in zip(units, roles)]})
        return text


# ------------------------------------------------------------------ document kinds


@dataclass
class _Context:
    theme: Theme
    place: Jurisdiction
    units: list[str]  # the responsible units this document names
    year: int  # issue year
    issued: tuple[int, int, int]
    pages: float


def _pick_units(rng: random.Random, b: _Builder, ctx: _Context) -> list[str]:
    n = rng.choices((1, 2, 3, 4), weights=(0.35, 0.35, 0.2, 0.1))[0]
    units = rng.sample(ctx.units, min(n, len(ctx.units)))
    if n > 1 and rng.random() < 0.08:
        units[-1] = _COLLECTIVE[ctx.place.level]
    return units


def _plan_body(b: _Builder, ctx: _Context, table: bool) -> None:
    """一、总体要求 (指导思想, 目标) / 二、重点任务 / 三、保障措施 [/ 附件 任务分工表]."""
    rng, theme, place = b.rng, ctx.theme, ctx.place
    scope = _SCOPE[place.level]
    end_year = ctx.year + rng.randint(1, 4)
    # depth: 2 = 一、/（一）; 3 adds 1.; 4 adds (1); 5 adds ①
    if ctx.pages <= 2:
        depth = rng.choice((2, 3))
    else:
        depth = rng.choices((2, 3, 4, 5), weights=(0.15 if ctx.pages <= 10 else 0, 0.5, 0.25, 0.1))[0]
    b.add(f"为{rng.choice(_VERBS)}{theme.short}工作，结合{place.short}实际，制定本方案。")
    b.add()
    # 一、总体要求
    top = 1
    b.add(f"{_heading('cn_dun', top, False)}总体要求")
    b.section("1", "一、", "总体要求", None)
    b.add()
    b.add(f"{_heading('cn_paren', 1, False)}指导思想")
    b.section("1.1", "（一）", "指导思想", None)
    b.add()
    n = rng.sample(theme.nouns, 2)
    b.add(_GUIDING.format(n1=n[0], n2=n[1]))
    b.add()
    goal_part = rng.choice(_GOAL_PARTS)
    b.add(f"{_heading('cn_paren', 2, False)}{goal_part}")
    b.section("1.2", "（二）", goal_part, None)
    b.add()
    lead_dl_text, lead_dl = b._deadline(end_year)
    if depth >= 3:
        b.add(f"{lead_dl_text}，{scope}{theme.short}工作取得明显成效，主要目标如下：")
        b.add()
        goals = rng.sample(theme.goals, rng.randint(2, min(5, len(theme.goals))))
        for i, g in enumerate(goals, 1):
            num = _heading("ar_dot", i, b.fullwidth_digits)
            path = f"1.2.{i}"
            b.section(path, num, g, "Goal")
            sentence = b.target_sentence(theme, path, scope, end_year, inherited=lead_dl)
            if b.inline_third:
                b.add(f"{num} {g}。{sentence}")
            else:
                b.add(f"{num} {g}")
                b.add()
                b.add(sentence)
            b.add()
    else:
        b.add(b.target_sentence(theme, "1.2", scope, end_year, max_clauses=3))
        b.add()
    # 二、重点任务
    action_part = rng.choice(_ACTION_PARTS)
    b.add(f"{_heading('cn_dun', 2, False)}{action_part}")
    b.section("2", "二、", action_part, None)
    b.add()
    per_action = max(1, min(4, int(ctx.pages / 3)))  # prose sentences per action, at most
    budget = ctx.pages * CHARS_PER_PAGE - 400  # what the measures part and the title leave for the actions
    if depth == 2:
        i = 0
        while i < 2 or (b.length < budget and i < 20):
            i += 1
            _action(b, ctx, f"2.{i}", _heading("cn_paren", i, False), per_action, end_year, table, inline=False)
    else:
        n_areas = max(1, min(len(theme.areas), round(ctx.pages / 8) + rng.randint(0, 1)))
        start = b.length
        for ai, area in enumerate(rng.sample(theme.areas, n_areas), 1):
            path = f"2.{ai}"
            b.add(f"{_heading('cn_paren', ai, False)}{area}")
            b.section(path, _heading("cn_paren", ai, False), area, None)
            b.add()
            goal, j = start + (budget - start) * ai / n_areas, 0
            while j < 1 or (b.length < goal and j < 60):
                j += 1
                apath, num = f"{path}.{j}", _heading("ar_dot", j, b.fullwidth_digits)
                if depth >= 4 and rng.random() < 0.35:
                    _container(b, ctx, apath, num, depth, per_action, end_year, table)
                else:
                    _action(b, ctx, apath, num, per_action, end_year, table, inline=b.inline_third)
    # 三、保障措施
    measure_part = rng.choice(_MEASURE_PARTS)
    b.add(f"{_heading('cn_dun', 3, False)}{measure_part}")
    b.section("3", "三、", measure_part, None)
    b.add()
    for i, (title, text) in enumerate(rng.sample(_MEASURES, rng.randint(2, 4)), 1):
        num = _heading("cn_paren", i, False)
        b.add(f"{num}{title}")
        b.section(f"3.{i}", num, title, "Measure")
        b.add()
        b.add(text.format(n1=rng.choice(theme.nouns)))
        b.add()
    if table:
        _task_table(b, ctx, end_year)


def _action_title(b: _Builder, theme: Theme) -> str:
    return b.pick(theme.actions)


def _action(b: _Builder, ctx: _Context, path: str, num: str, sentences: int, end_year: int, table: bool, *,
            inline: bool) -> None:
    """A leaf action: title, prose, maybe a target, and its responsibility note (none when a table gives units)."""
    rng, theme = b.rng, ctx.theme
    title = _action_title(b, theme)
    body = b.prose(theme, rng.randint(1, sentences))
    if rng.random() < 0.45:
        body += b.target_sentence(theme, path, _SCOPE[ctx.place.level], rng.randint(ctx.year, end_year))
        if rng.random() < 0.5:
            body += b.prose(theme, 1)
    b.section(path, num, title, "Action")
    if table:
        b.exp.actions.append({"path": path, "title": title, "form": "none", "units": []})
    else:
        body += b.note(_pick_units(rng, b, ctx), path, title)
    if inline:
        b.add(f"{num} {title}。{body}")
    else:
        b.add(f"{num}{' ' if num[-1] == '.' else ''}{title}")
        b.add()
        b.add(body)
    b.add()


def _container(b: _Builder, ctx: _Context, path: str, num: str, depth: int, sentences: int, end_year: int,
               table: bool) -> None:
    """An action split into sub-actions (1)(2) — and, at depth 5, ①② under them."""
    rng, theme = b.rng, ctx.theme
    title = _action_title(b, theme)
    b.add(f"{num} {title}" if num[-1] in ".．" else f"{num}{title}")
    b.section(path, num, title, None)
    b.add()
    b.add(b.prose(theme, 1))
    b.add()
    for k in range(1, rng.randint(2, 4) + 1):
        sub_path, sub_num = f"{path}.{k}", _heading("ar_paren", k, rng.random() < 0.5)
        if depth >= 5 and rng.random() < 0.4:
            sub_title = _action_title(b, theme)
            b.add(f"{sub_num}{sub_title}")
            b.section(sub_path, sub_num, sub_title, None)
            b.add()
            for q in range(1, rng.randint(2, 3) + 1):
                _action(b, ctx, f"{sub_path}.{q}", _CIRCLED[q - 1], sentences, end_year, table, inline=True)
        else:
            _action(b, ctx, sub_path, sub_num, sentences, end_year, table, inline=True)


def _deadline_cell(b: _Builder, ctx: _Context, end_year: int) -> tuple[str, str | None]:
    y = b.rng.randint(ctx.year, end_year)
    form = b.rng.randrange(5)
    if form == 0:
        return f"{y}年底前", f"{y}-12-31"
    if form == 1:
        m = b.rng.choice((3, 6, 9, 12))
        return f"{y}年{m}月", _month_end(y, m)
    if form == 2:
        m = b.rng.choice((4, 6, 10))
        return f"{y}年{m}月底前", _month_end(y, m)
    if form == 3:
        return "持续推进", None
    return f"{y}年底", f"{y}-12-31"


def _task_table(b: _Builder, ctx: _Context, end_year: int) -> None:
    """附件 + a tab-separated 任务分工表; each row is an action with its units."""
    rng, theme = b.rng, ctx.theme
    b.add("附件")
    b.add()
    title = f"{ctx.place.short}{theme.short}重点任务分工表"
    b.add(title)
    b.add()
    b.section("4", "附件", title, None)
    lead_support = rng.random() < 0.7
    header = (["序号", "主要任务", "牵头单位", "配合单位", "完成时限"] if lead_support
              else ["序号", "重点任务", "责任单位", "完成时间"])
    rows = []
    for i in range(1, rng.randint(3, 10) + 1):
        task = _action_title(b, theme) + "，" + b.pick(("完善配套政策", "形成工作闭环", "扩大应用覆盖", "建立长效机制"))
        units = _pick_units(rng, b, ctx)
        cell, due = _deadline_cell(b, ctx, end_year)
        if lead_support:
            lead, support = units[:1], units[1:]
            rows.append([str(i), task, "、".join(lead), "、".join(support), cell])
            roles = [(u, "lead") for u in lead] + [(u, "support") for u in support]
        else:
            rows.append([str(i), task, "、".join(units), cell])
            roles = [(u, None) for u in units]
        path = f"4.{i}"
        b.section(path, str(i), task, "Action")
        b.exp.actions.append({"path": path, "title": task, "form": "table", "deadline": due,
                              "units": [{"name": u, "role": r} for u, r in roles]})
    b.lines.append({"header": header, "rows": rows})
    b.add()


def _date_text(rng: random.Random, y: int, m: int, d: int) -> str:
    if rng.random() < 0.1:  # 二〇二三年五月十二日
        return "".join("〇一二三四五六七八九"[int(c)] for c in str(y)) + f"年{cn_number(m)}月{cn_number(d)}日"
    return f"{y}年{m}月{d}日"


def _issuer(rng: random.Random, place: Jurisdiction) -> tuple[str, str]:
    """(issuer, 文号 prefix) — the government's general office, the government, or a bureau."""
    r = rng.random()
    if place.level == "province":
        if r < 0.6:
            return f"{place.full}人民政府办公厅", f"{place.abbr}政办发"
        if r < 0.8:
            return f"{place.full}人民政府", f"{place.abbr}政发"
        return f"{place.full}发展和改革委员会", f"{place.abbr}发改"
    if place.level == "city":
        if r < 0.6:
            return f"{place.full}人民政府办公室", f"{place.abbr}政办发"
        if r < 0.8:
            return f"{place.full}人民政府", f"{place.abbr}政发"
        return f"{place.full}经济和信息化局", f"{place.abbr}经信"
    if r < 0.75:
        return f"{place.full}人民政府办公室", f"{place.abbr}府办" if place.level == "district" else f"{place.abbr}政办"
    return f"{place.full}人民政府", f"{place.abbr}府发" if place.level == "district" else f"{place.abbr}政发"


def _header_block(b: _Builder, ctx: _Context, issuer: str, number: str, title: str, letterhead: bool) -> None:
    if letterhead:
        b.add(f"{issuer}文件")
        b.add()
    b.add(number)
    b.add()
    b.add(title)
    b.add()
    b.add(_ADDRESSEES[ctx.place.level] + "：")
    b.add()


def _signature(b: _Builder, issuer: str, ctx: _Context) -> str:
    y, m, d = ctx.issued
    b.add(issuer)
    b.add()
    b.add(_date_text(b.rng, y, m, d))
    b.add()
    return f"{y}-{m:02d}-{d:02d}"


def _plan_title(rng: random.Random, ctx: _Context) -> tuple[str, str]:
    genre = rng.choice(_GENRES)
    period = ""
    if genre.startswith("三年") or rng.random() < 0.2:
        period = f"（{ctx.year}—{ctx.year + 2}年）"
        genre = genre.replace("三年", "")
    return f"{ctx.place.short}{ctx.theme.stem}{genre}{period}", _GENRE_TYPE.get(genre, _GENRE_TYPE.get("三年" + genre))


def _notice_with_plan(b: _Builder, ctx: _Context) -> None:
    rng = b.rng
    issuer, prefix = _issuer(rng, ctx.place)
    number = f"{prefix}〔{ctx.year}〕{b.index}号"  # unique in the corpus
    plan_title, _ = _plan_title(rng, ctx)
    title = f"{issuer}关于印发《{plan_title}》的通知"
    _header_block(b, ctx, issuer, number, title, letterhead=rng.random() < 0.5)
    if rng.random() < 0.5:
        y, m, d = ctx.issued
        meeting = _date_text(rng, y, max(1, m - 1), min(d, 28))
        b.add(f"《{plan_title}》已经{meeting}{_GOV_SHORT[ctx.place.level]}第{rng.randint(2, 40)}次常务会议审议通过，"
              f"现印发给你们，请认真贯彻执行。")
    else:
        b.add(f"现将《{plan_title}》印发给你们，请结合实际认真贯彻落实。")
    b.add()
    issued = _signature(b, issuer, ctx)
    b.add(plan_title)
    b.add()
    table = rng.random() < 0.15
    _plan_body(b, ctx, table)
    b.exp.document = {"doc_number": number, "title": title, "issuer": issuer, "issued": issued, "doc_type": "通知",
                      "plan_title": plan_title, "jurisdiction": ctx.place.full, "kind": "notice+plan"}


def _plain_plan(b: _Builder, ctx: _Context) -> None:
    plan_title, genre_type = _plan_title(b.rng, ctx)
    b.add(plan_title)
    b.add()
    _plan_body(b, ctx, b.rng.random() < 0.2)
    b.exp.document = {"doc_number": None, "title": plan_title, "issuer": None, "issued": None, "doc_type": genre_type,
                      "plan_title": None, "jurisdiction": ctx.place.short, "kind": "plan"}


def _short_notice(b: _Builder, ctx: _Context) -> None:
    """A one-page notice: numbered items, most with a responsibility note, and a closing item without."""
    rng, theme = b.rng, ctx.theme
    issuer, prefix = _issuer(rng, ctx.place)
    number = f"{prefix}〔{ctx.year}〕{b.index}号"  # unique in the corpus
    title = f"{issuer}关于做好{ctx.year}年{theme.short}重点工作的通知"
    _header_block(b, ctx, issuer, number, title, letterhead=False)
    b.add(f"为{rng.choice(_VERBS)}{rng.choice(theme.nouns)}，现就有关事项通知如下：")
    b.add()
    n_items = rng.randint(3, 5) if ctx.pages < 1.5 else rng.randint(5, 7)
    for i in range(1, n_items + 1):
        num = _heading("cn_dun", i, False)
        title_i = _action_title(b, theme)
        body = b.prose(theme, rng.randint(1, 2))
        if rng.random() < 0.5:
            body += b.target_sentence(theme, str(i), _SCOPE[ctx.place.level], ctx.year + rng.randint(0, 1))
        b.section(str(i), num, title_i, "Action")
        body += b.note(_pick_units(rng, b, ctx), str(i), title_i)
        b.add(f"{num}{title_i}")
        b.add()
        b.add(body)
        b.add()
    num = _heading("cn_dun", n_items + 1, False)
    b.add(f"{num}工作要求")
    b.section(str(n_items + 1), num, "工作要求", None)
    b.add()
    b.add("各单位要高度重视，明确专人，认真抓好落实，有关情况及时报送。")
    b.add()
    issued = _signature(b, issuer, ctx)
    b.exp.document = {"doc_number": number, "title": title, "issuer": issuer, "issued": issued, "doc_type": "通知",
                      "plan_title": None, "jurisdiction": ctx.place.full, "kind": "notice"}


_SIZES = {"notice": (0.15, 1, 2), "small": (0.35, 2, 5), "medium": (0.35, 5, 15), "large": (0.13, 15, 40),
          "huge": (0.02, 60, 100)}


@dataclass
class GeneratedDoc:
    index: int
    name: str  # file name: d00001.txt
    form: str  # txt | gbk | docx | html
    text: str  # the text as written (before any file encoding)
    data: bytes  # the file's bytes
    expected: dict


def generate(index: int, seed: int = DEFAULT_SEED, forms: tuple[str, ...] = ("txt", "gbk"), *,
             attempt: int = 0) -> GeneratedDoc:
    """Document number ``index`` of the corpus with this ``seed``, drawn independently of the others
    (``attempt`` > 0 draws again, for :func:`generate_corpus` when a plan's title is already taken)."""
    rng = random.Random(f"policykg-corpus:{seed}:{index}" + (f":{attempt}" if attempt else ""))
    size = _weighted(rng, {k: v[0] for k, v in _SIZES.items()})
    _, lo, hi = _SIZES[size]
    pages = rng.uniform(lo, hi)
    theme = rng.choice(THEMES)
    place = _jurisdiction(rng)
    year = rng.randint(2019, 2025)
    stems = unit_stems()[place.level]
    units = [place.prefix + s for s in rng.sample(stems, rng.randint(6, 14))]
    ctx = _Context(theme, place, units, year, (year, rng.randint(1, 12), rng.randint(1, 28)), pages)
    b = _Builder(rng, index)
    if size == "notice":
        _short_notice(b, ctx)
    elif rng.random() < 0.55:
        _notice_with_plan(b, ctx)
    else:
        _plain_plan(b, ctx)
    form = _weighted(rng, {f: _FORM_WEIGHTS[f] for f in forms}) if len(forms) > 1 else forms[0]
    text = _render_text(b.lines)
    data, encoding = _encode(b.lines, text, form, title=b.exp.document["title"])
    suffix = {"txt": ".txt", "gbk": ".txt", "docx": ".docx", "html": ".html"}[form]
    name = f"d{index:05d}{suffix}"
    e = b.exp.document
    e["key"] = e["doc_number"] or f"{e['jurisdiction']}|{e['title']}"  # what names the document in the store
    expected = {
        "generator": {"version": GENERATOR_VERSION, "seed": seed, "index": index, "attempt": attempt},
        "file": name, "form": form, "encoding": encoding, "size": size, "chars": len(text),
        "document": b.exp.document, "sections": b.exp.sections, "actions": b.exp.actions, "targets": b.exp.targets,
    }
    return GeneratedDoc(index, name, form, text, data, expected)


# ------------------------------------------------------------------ file forms


def _render_text(lines: list) -> str:
    out = []
    for line in lines:
        if isinstance(line, dict):
            out.append("\t".join(line["header"]))
            out.extend("\t".join(r) for r in line["rows"])
        else:
            out.append(line)
    return "\n".join(out).rstrip("\n") + "\n"


def _encode(lines: list, text: str, form: str, title: str) -> tuple[bytes, str | None]:
    if form == "txt":
        return text.encode("utf-8"), "utf-8"
    if form == "gbk":
        try:
            return text.encode("gbk"), "gbk"
        except UnicodeEncodeError:
            return text.encode("gb18030"), "gb18030"
    if form == "html":
        return _html(lines, title).encode("utf-8"), "utf-8"
    return _docx(lines), None


def _html(lines: list, title: str) -> str:
    from html import escape

    body = []
    for line in lines:
        if isinstance(line, dict):
            rows = [line["header"], *line["rows"]]
            body.append("<table border=\"1\">" + "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows) + "</table>")
        elif line:
            body.append(f"<p>{escape(line)}</p>")
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + escape(title)
            + "</title></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n")


_FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def _docx(lines: list) -> bytes:
    """A Word file with one paragraph per line and task tables as Word tables; zip entries carry a fixed
    timestamp and the core properties fixed dates, so the bytes depend on the content only."""
    import datetime

    import docx

    d = docx.Document()
    for line in lines:
        if isinstance(line, dict):
            rows = [line["header"], *line["rows"]]
            t = d.add_table(rows=len(rows), cols=len(line["header"]))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    t.cell(r, c).text = cell
        elif line:
            d.add_paragraph(line)
    fixed = datetime.datetime(2024, 1, 1)
    cp = d.core_properties
    cp.created = cp.modified = fixed
    cp.last_printed = fixed
    cp.author = cp.last_modified_by = "policykg corpus generator"
    raw = io.BytesIO()
    d.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# ------------------------------------------------------------------ writing a corpus


def write_corpus(out: str | Path, count: int, seed: int = DEFAULT_SEED, forms: tuple[str, ...] = ("txt", "gbk"),
                 *, reuse: bool = True) -> dict:
    """Write ``count`` documents and their answers to ``out``; return the manifest.

    With ``reuse`` an existing folder made by the same generator version, seed,
    forms and count is kept as it is."""
    out = Path(out)
    manifest_path = out / "corpus.json"
    if reuse and manifest_path.exists():
        old = json.loads(manifest_path.read_text(encoding="utf-8"))
        if (old.get("version"), old.get("seed"), old.get("forms"), old.get("count")) == (
                GENERATOR_VERSION, seed, list(forms), count):
            return old
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for g in generate_corpus(count, seed, forms):
        (out / g.name).write_bytes(g.data)
        stem = g.name.rsplit(".", 1)[0]
        (out / f"{stem}.expected.json").write_text(
            json.dumps(g.expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        files.append({"name": g.name, "form": g.form, "size": g.expected["size"], "chars": len(g.text),
                      "bytes": len(g.data), "sha256": hashlib.sha256(g.data).hexdigest()})
    manifest = {"version": GENERATOR_VERSION, "seed": seed, "forms": list(forms), "count": count,
                "chars": sum(f["chars"] for f in files), "bytes": sum(f["bytes"] for f in files), "files": files}
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def generate_corpus(count: int, seed: int = DEFAULT_SEED, forms: tuple[str, ...] = ("txt", "gbk")):
    """Documents 1..``count``, each a distinct document in the store: 文号 carry the index, and a plain
    plan whose title is already taken in its jurisdiction is drawn again.  Document *i* depends only on
    documents before it, so a smaller corpus is the start of a bigger one."""
    keys: set[str] = set()
    for i in range(1, count + 1):
        attempt = 0
        g = generate(i, seed, forms)
        while g.expected["document"]["key"] in keys:
            attempt += 1
            g = generate(i, seed, forms, attempt=attempt)
        keys.add(g.expected["document"]["key"])
        yield g


def corpus_files(folder: str | Path) -> list[Path]:
    """The document files of a generated corpus, in order (from its manifest)."""
    folder = Path(folder)
    manifest = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
    return [folder / f["name"] for f in manifest["files"]]


def expected_for(path: str | Path) -> dict:
    path = Path(path)
    return json.loads((path.parent / (path.name.rsplit(".", 1)[0] + ".expected.json")).read_text(encoding="utf-8"))


# ------------------------------------------------------------------ scoring a parse against the answer


def _fold(s: str | None) -> str | None:
    if s is None:
        return None
    from policykg.ingest.normalise import fold

    return "".join(fold(s).split())


def _dec(s) -> Decimal | None:
    return None if s is None else Decimal(str(s)).normalize()


FIELDS = ("doc_number", "title", "issuer", "issued", "doc_type", "plan_title", "sections", "section_titles",
          "section_kinds", "actions_found", "action_units", "action_roles", "table_deadlines", "targets_found",
          "target_precision", "target_comparator", "target_value", "target_unit", "target_deadline")


def score_document(doc, expected: dict) -> dict[str, list[int]]:
    """Compare a parsed Document with a generated answer: ``{field: [right, total]}``.

    Sections match by path (number and title folded); actions by path, their
    units as a set of names and as a set of (name, role); targets by section +
    value or range (the unit is then a field of its own); target precision counts
    the parsed targets that match an expected one.
    """
    s = {f: [0, 0] for f in FIELDS}

    def tally(name: str, ok: bool) -> None:
        s[name][1] += 1
        s[name][0] += bool(ok)

    m, e = doc.meta, expected["document"]
    tally("doc_number", _fold(m.doc_number) == _fold(e["doc_number"]))
    tally("title", _fold(m.title) == _fold(e["title"]))
    tally("issuer", _fold(m.issuer) == _fold(e["issuer"]))
    tally("issued", m.issued == e["issued"])
    tally("doc_type", m.doc_type == e["doc_type"])
    tally("plan_title", _fold(m.plan_title) == _fold(e["plan_title"]))

    secs = {sec.path: sec for sec in doc.sections}
    for es in expected["sections"]:
        got = secs.get(es["path"])
        tally("sections", got is not None and _fold(got.number) == _fold(es["number"]))
        if got is not None:
            tally("section_titles", _fold(got.title) == _fold(es["title"]))
            tally("section_kinds", got.kind == es["kind"])

    units: dict[str, list] = {}
    deadlines: dict[str, str | None] = {}
    for r in doc.responsibilities:
        if r.section:
            units.setdefault(r.section, []).extend(r.units)
            if r.form == "table":
                deadlines[r.section] = r.deadline
    for a in expected["actions"]:
        got = secs.get(a["path"])
        tally("actions_found", got is not None and got.kind == "Action")
        if got is None:
            continue
        found = units.get(a["path"], [])
        tally("action_units", {_fold(u.name) for u in found} == {_fold(u["name"]) for u in a["units"]})
        tally("action_roles", {(_fold(u.name), u.role) for u in found}
              == {(_fold(u["name"]), u["role"]) for u in a["units"]})
        if a["form"] == "table":
            tally("table_deadlines", deadlines.get(a["path"]) == a.get("deadline"))

    def key(section, value, lo, hi):
        return (section, _dec(value), _dec(lo), _dec(hi))

    parsed = {}
    for t in doc.targets:
        parsed.setdefault(key(t.section, t.value, t.value_min, t.value_max), []).append(t)
    matched = 0
    for et in expected["targets"]:
        cands = parsed.get(key(et["section"], et["value"], et["value_min"], et["value_max"]))
        tally("targets_found", bool(cands))
        if not cands:
            continue
        t = cands.pop(0)
        matched += 1
        tally("target_comparator", t.comparator == et["comparator"])
        tally("target_value", True)
        tally("target_unit", _fold(t.unit) == _fold(et["unit"]))
        tally("target_deadline", t.deadline == et["deadline"])
    s["target_precision"] = [matched, len(doc.targets)]
    return s


def merge_scores(scores) -> dict[str, list[int]]:
    total = {f: [0, 0] for f in FIELDS}
    for sc in scores:
        for f, (r, n) in sc.items():
            total[f][0] += r
            total[f][1] += n
    return total


def render_scores(total: dict[str, list[int]]) -> str:
    lines = [f"{'field':<20} {'right':>8} {'of':>8} {'share':>7}"]
    for f in FIELDS:
        r, n = total[f]
        lines.append(f"{f:<20} {r:>8} {n:>8} {(r / n if n else 1):>7.1%}")
    return "\n".join(lines)


def _score_one(path: str) -> tuple[dict, str | None]:
    from policykg.ingest import parse_file

    exp = expected_for(path)
    try:
        doc = parse_file(path)
    except Exception as e:  # a failure to parse scores nothing right
        return {f: [0, 0] for f in FIELDS}, f"{Path(path).name}: {e}"
    return score_document(doc, exp), None


def score_folder(folder: str | Path, *, limit: int | None = None, workers: int = 1) -> tuple[dict, list[str]]:
    """Parse every generated document of ``folder`` and score it; returns (totals, failures)."""
    files = [str(p) for p in corpus_files(folder)][:limit]
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_score_one, files, chunksize=16))
    else:
        results = [_score_one(f) for f in files]
    return merge_scores(r for r, _ in results), [err for _, err in results if err]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("out", help="the corpus folder (written, or scored with --score)")
    ap.add_argument("--count", "-n", type=int, default=100, help="number of documents (default 100)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    ap.add_argument("--forms", default="txt,gbk",
                    help="file forms to mix: txt, gbk, docx, html, or all (default txt,gbk)")
    ap.add_argument("--force", action="store_true", help="rewrite the folder even if it holds this corpus")
    ap.add_argument("--score", action="store_true", help="parse the corpus in OUT and score it against its answers")
    ap.add_argument("--limit", type=int, default=None, help="with --score: only the first N documents")
    ap.add_argument("--workers", type=int, default=1, help="with --score: parse in N processes")
    ap.add_argument("--json", action="store_true", help="with --score: print the figures as JSON")
    args = ap.parse_args(argv)
    if args.score:
        t0 = time.perf_counter()
        total, failures = score_folder(args.out, limit=args.limit, workers=args.workers)
        if args.json:
            print(json.dumps({"fields": total, "failures": failures}, ensure_ascii=False, indent=1))
        else:
            print(render_scores(total))
            print(f"{len(failures)} files failed to parse; scored in {time.perf_counter() - t0:.1f}s")
            for f in failures[:10]:
                print("  " + f)
        return 0
    forms = FORMS if args.forms == "all" else tuple(f.strip() for f in args.forms.split(",") if f.strip())
    bad = [f for f in forms if f not in FORMS]
    if bad:
        ap.error(f"unknown form(s) {', '.join(bad)}; use {', '.join(FORMS)} or all")
    t0 = time.perf_counter()
    m = write_corpus(args.out, args.count, args.seed, forms, reuse=not args.force)
    print(f"{m['count']} documents, {m['chars']:,} characters, {m['bytes']:,} bytes in {args.out} "
          f"(seed {m['seed']}, forms {','.join(m['forms'])}; {time.perf_counter() - t0:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
