"""How a name is read in running text: the naming rules, jieba tokens, the leftward name reader.

Used by the *entities* step (:mod:`policykg.ingest.entities`) and the
*relations* step.  The word lists are data, read once per process:
``ontology/entity_names.tsv`` (name endings, list categories, verbs and
function words that bound a name, descriptive words, never-entities) and
``ontology/places.tsv``; jieba's dictionary is loaded lazily, once, with the
gazetteers added as a user dictionary, and it also lends its own place names
(the divisions it tags ``ns``).

A name is read **leftwards** from its ending (平台, 园区, 研究院 …) over the jieba
tokens of its clause, up to the verb or function word that governs it
(依托|长风科技园, 加强与|华东师范大学), taking in a quoted part (“乐业普陀”公共就业…平台)
and a parenthesised place (中以(上海)创新园).  Whether it names *one* thing
or a *kind* of thing is then a question of its words: a proper part (a place,
an unknown word, a quote) makes it specific (:func:`is_specific`).
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from typing import NamedTuple

from .docmeta import jurisdiction_chain
from .units import body_forms, jurisdiction_forms

# ------------------------------------------------------------------ the naming rules (data)


@dataclass(frozen=True)
class NameRules:
    endings: dict[str, tuple[str, str]]  # ending → (type, strength)
    categories: dict[str, str]  # category noun → type
    verbs: frozenset[str]
    boundaries: frozenset[str]  # verbs and function words
    generic: frozenset[str]
    exclude: frozenset[str]
    ending_re: re.Pattern  # endings that can end an unquoted name


@lru_cache(maxsize=1)
def rules() -> NameRules:
    """``ontology/entity_names.tsv``, read once."""
    endings: dict[str, tuple[str, str]] = {}
    cats: dict[str, str] = {}
    sets: dict[str, set[str]] = {"verb": set(), "boundary": set(), "generic": set(), "exclude": set()}
    text = resources.files("policykg.ontology").joinpath("entity_names.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        kind, word = parts[0], parts[1] if len(parts) > 1 else ""
        if not word:
            continue
        if kind == "ending":
            endings[word] = (parts[2], parts[3] if len(parts) > 3 else "weak")
        elif kind == "category":
            cats[word] = parts[2]
        elif kind in sets:
            sets[kind].add(word)
    unquoted = sorted((e for e, (_, s) in endings.items() if s != "quoted"), key=len, reverse=True)
    return NameRules(
        endings=endings, categories=cats, verbs=frozenset(sets["verb"]),
        boundaries=frozenset(sets["verb"] | sets["boundary"]), generic=frozenset(sets["generic"]),
        exclude=frozenset(sets["exclude"]), ending_re=re.compile("|".join(map(re.escape, unquoted))),
    )


@lru_cache(maxsize=1)
def places() -> dict[str, tuple[str, str]]:
    """``ontology/places.tsv``: form → (canonical name, type)."""
    out: dict[str, tuple[str, str]] = {}
    text = resources.files("policykg.ontology").joinpath("places.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) >= 2:
            out[parts[0]] = (parts[1], parts[2] if len(parts) > 2 else "Place")
    return out


def ending_of(name: str, *, quoted: bool = False) -> tuple[str, str, str] | None:
    """The longest known ending of ``name``: (ending, type, strength).

    >>> ending_of("长风科技园"), ending_of("真如城市副中心")[:2]
    (('园', 'Park', 'strong'), ('副中心', 'Area'))
    >>> ending_of("数字健身工程"), ending_of("数字健身工程", quoted=True)[1], ending_of("普惠性幼儿园")
    (None, 'Programme', None)
    """
    endings = rules().endings
    for n in range(min(len(name), 6), 0, -1):
        hit = endings.get(name[-n:])
        if hit and (quoted or hit[1] != "quoted"):
            return (name[-n:], hit[0], hit[1]) if hit[0] != "-" else None
    return None


# ------------------------------------------------------------------ jieba, loaded lazily once

_TOKENIZER = None


def tokenizer():
    """jieba's tokenizer with the gazetteers as a user dictionary (built once per process)."""
    global _TOKENIZER
    if _TOKENIZER is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        dt = jieba.dt
        dt.check_initialized()
        r = rules()
        words = set(r.endings) | set(r.categories) | r.generic | r.boundaries | set(places())
        for f in body_forms():
            words.add(f.form)
            if not f.scope and len(f.form) >= 2:
                words.update(p + f.form for p in "省市区县")
        for w in words:
            if len(w) >= 2 and not dt.FREQ.get(w):
                dt.add_word(w)
        _TOKENIZER = dt
    return _TOKENIZER


class Token(NamedTuple):
    word: str
    start: int
    end: int


_CLAUSE_END = re.compile(r"[，。；：！？,;:!?\n]")
_NUMERAL = re.compile(r"^(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)[大个家所项批座条种类名级]?$")
_ASCII = re.compile(r"^[A-Za-z0-9][A-Za-z0-9+/\-.]*$")
PUNCT = set("、，。；：！？,;:!?“”\"'‘’《》〈〉()（）[]【】 \t\n—-–~～…·.")


class TextIndex:
    """The clauses of a text, each cut into jieba tokens when first needed (so at most once).

    Only the clauses that hold a name ending or a list are ever cut — about
    two fifths of a typical plan.  jieba runs without its HMM for unknown words:
    an unknown name then falls apart into single characters, which the name
    reader takes as a proper part, and the cut costs less.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.cuts = [m.start() for m in _CLAUSE_END.finditer(text)]
        self._tokens: dict[int, list[Token]] = {}

    def clause(self, pos: int) -> tuple[int, int]:
        i = bisect_left(self.cuts, pos)
        start = self.cuts[i - 1] + 1 if i > 0 else 0
        end = self.cuts[i] if i < len(self.cuts) else len(self.text)
        return start, end

    def tokens(self, pos: int) -> list[Token]:
        """The tokens of the clause that holds ``pos``."""
        start, end = self.clause(pos)
        toks = self._tokens.get(start)
        if toks is None:
            words = list(tokenizer().cut(self.text[start:end], HMM=False))
            ends = list(accumulate(map(len, words), initial=start))
            toks = self._tokens[start] = list(map(Token._make, zip(words, ends, ends[1:])))
        return toks


def token_at(toks: list[Token], pos: int) -> int | None:
    """Index of the token that contains offset ``pos``."""
    lo, hi = 0, len(toks)
    while lo < hi:  # the last token starting at or before pos
        mid = (lo + hi) // 2
        if toks[mid].start <= pos:
            lo = mid + 1
        else:
            hi = mid
    i = lo - 1
    return i if 0 <= i < len(toks) and toks[i].start <= pos < toks[i].end else None


_SEPARATORS = SEPARATORS = frozenset("等和及或的与并之")
_BRACKETED = re.compile(r"[\u4e00-\u9fff]{1,4}|[A-Z][A-Za-z0-9]{1,9}")  # always between names, never inside one
_SYMMETRIC = re.compile(r"^[\u4e00-\u9fff]{0,2}(?:融合|合作|对接|结合|衔接|协同|联动|互动|互通|共享|交流|相结合)")
CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


# ------------------------------------------------------------------ places and the name reader


@lru_cache(maxsize=1)
def dictionary_places() -> frozenset[str]:
    """Divisions jieba's own dictionary tags as place names (ns): 杭州市, 余杭区, 德清县 …

    Read once from the dictionary jieba already ships; words of three characters
    or more ending in 市/县/区/州/旗/盟, less the generic ones (周边城市, 广州市区).
    """
    data = tokenizer().get_dict_file().read().decode("utf-8")
    words = re.findall(r"^([^ \n]{2,8}[市县区州旗盟]) \d+ ns$", data, re.M)
    return frozenset(w for w in words if not w.endswith(("城市", "市区", "郊区")))


_DIVISION_END = re.compile(r"[市县区州旗盟]")


def place_forms(jurisdiction: str | None, text: str = "") -> dict[str, tuple[str, str]]:
    """Every place form the document may use → (canonical, type): the gazetteer's,
    the jurisdiction's, and the divisions of jieba's dictionary the text names."""
    out = dict(places())
    known = dictionary_places() if text else frozenset()
    for m in _DIVISION_END.finditer(text):
        e = m.end()
        for k in range(min(e, 9), 2, -1):
            w = text[e - k:e]
            if w in known:
                out.setdefault(w, (w, "Place"))
                break
    for j in set(jurisdiction_chain(jurisdiction).values()) | ({jurisdiction} if jurisdiction else set()):
        forms = jurisdiction_forms(j)
        for f in forms:
            out[f] = (j, "Place")
        short = re.sub(r"(?:新区|自治县|区|县|市)$", "", forms[-1])  # 普陀区 → 普陀
        if len(short) >= 2 and short != forms[-1] and short not in out:
            out[short] = (j, "Place")
    return out


def walk_left(text: str, toks: list[Token], j: int, after: int, r: NameRules) -> tuple[int, str, list[str], bool]:
    """Read a name leftwards from token ``j``: (start, stop word, modifier tokens, has a quoted part)."""
    start = toks[j].start
    mods: list[str] = []
    quoted = False
    i = j - 1
    while i >= 0:
        w = toks[i].word
        if w in ("”", '"'):
            k = i - 1
            while k >= 0 and toks[k].word not in ("“", '"') and i - k <= 25:
                k -= 1
            inner = text[toks[k].end:toks[i].start] if k >= 0 else ""
            if k < 0 or toks[k].word not in ("“", '"') or not (1 <= len(inner) <= 20) or re.search(r"[，。；,;]", inner):
                return start, w, mods, quoted
            if not (inner[0] == "+" or inner[-1] == "+" or inner in r.exclude):
                quoted = True  # a label quote (“互联网+”产业园区) says no more than a generic word
            start, i = toks[k].start, k - 1
            continue
        if w == ")" and i >= 2:
            k = i - 1
            while k >= 0 and toks[k].word != "(" and i - k <= 4:
                k -= 1
            inner = text[toks[k].end:toks[i].start] if k >= 0 else ""
            # a place (中以(上海)创新园) or an abbreviation (城市信息模型(CIM)平台) in brackets
            if k >= 1 and toks[k].word == "(" and _BRACKETED.fullmatch(inner) \
                    and "\u4e00" <= text[toks[k].start - 1] <= "\u9fff":
                start, i = toks[k].start, k - 1
                continue
            return start, w, mods, quoted
        if w in PUNCT or w.isspace():
            return start, w, mods, quoted
        prev = toks[i - 1].word if i > 0 else ""
        if w == "与":
            # 加强与|X, 孵化器与|电子科技大学 (between two names): 与 ends the name; 研发与转化 stays in it
            if prev in r.boundaries or prev in PUNCT or _SYMMETRIC.match(text[after:after + 6]) \
                    or ending_of(prev) is not None:
                return start, w, mods, quoted
        elif len(w) == 1 and w not in _SEPARATORS and len(prev) == 1 and prev not in r.boundaries \
                and "\u4e00" <= prev <= "\u9fff" and prev not in CN_DIGIT and prev not in "百千万零〇":
            pass  # 中/以: a character of an unknown name that jieba left alone, not the function word 以
        elif w in r.boundaries or (_NUMERAL.match(w) and not _lone_digit(toks, i)):
            return start, w, mods, quoted
        elif _ASCII.match(w) and w.isdigit():
            return start, w, mods, quoted
        mods.append(w)
        start = toks[i].start
        i -= 1
    return start, "", mods, quoted


@lru_cache(maxsize=8192)
def is_generic(word: str) -> bool:
    """A descriptive word, or a compound of descriptive words (城市交通 = 城市 + 交通).

    >>> is_generic("城市交通"), is_generic("智能制造"), is_generic("长风")
    (True, True, False)
    """
    r = rules()
    if word in r.generic or word in r.exclude:
        return True
    n = len(word)
    ok = [True] + [False] * n  # ok[i]: word[:i] splits into generic words of two or more characters
    for i in range(2, n + 1):
        ok[i] = any(ok[a] and word[a:i] in r.generic for a in range(max(0, i - 6), i - 1))
    return ok[n]


def _lone_digit(toks: list[Token], i: int) -> bool:
    """三 in 三/医/联动: a numeral that starts a word (三医联动), not a count (三/个)."""
    w = toks[i].word
    nxt = toks[i + 1].word if i + 1 < len(toks) else ""
    return len(w) == 1 and w in CN_DIGIT and bool(nxt) and "\u4e00" <= nxt[0] <= "\u9fff" \
        and not _NUMERAL.match("一" + nxt[0])


def is_specific(name: str, mods: list[str], quoted: bool, place_re: re.Pattern, r: NameRules) -> bool:
    """Does the name say *which* thing (a proper part), not only *what kind*?"""
    if quoted:
        return True
    if place_re.search(name):
        return True
    if mods and mods[-1] in _LEVEL_PREFIX and name.startswith(mods[-1]):
        return True  # 区政务云, 市大数据中心: the jurisdiction's own one
    singles = 0
    for w in mods:
        if w == "与" or _ASCII.match(w) or is_generic(w):
            singles = 0
            continue
        if len(w) >= 2:
            return True
        singles += 1
        if singles >= 2:
            return True
    return False


_LEVEL_PREFIX = frozenset("省市区县")
_QUOTE_MARK = re.compile(r"[“”\n]")


@lru_cache(maxsize=4)
def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the content of every well-formed “…” quote.

    A quote opened inside another open quote (“减环节、…减“跑动”为目标 — an unbalanced
    or nested pair) is not a name of its own and is skipped with its opener.

    >>> t = "推进“一网通办”和“减时间、减“跑动”改革"
    >>> [t[a:b] for a, b in quote_spans(t)]
    ['一网通办']
    """
    out = []
    open_at, broken = -1, False
    for m in _QUOTE_MARK.finditer(text):
        ch, i = m.group(), m.start()
        if ch == "“":
            broken = open_at >= 0
            open_at = i + 1
        elif ch == "”" and open_at >= 0:
            if not broken:
                out.append((open_at, i))
            open_at, broken = -1, False
        elif ch == "\n":
            open_at, broken = -1, False
    return out
