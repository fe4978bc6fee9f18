"""Person names: English (titles, cue words, a first-name list, surnames) and Chinese (jieba's
``nr`` tag, surname + given-name patterns with cue words and honorifics, compound surnames)."""

from __future__ import annotations

import re
from typing import Any

from custops.ingest.redact.lexicon import Lexicon, en_key
from custops.ingest.redact.numeric import Hit

__all__ = ["find_en_names", "find_zh_names"]

# ----------------------------------------------------------------------------- English

_TOKEN = r"(?:Mc|Mac|O['’]|D['’])?[A-Z][a-z]+(?:-(?:Mc|O['’])?[A-Z][a-z]+)*"
_RUN = re.compile(rf"(?<![A-Za-z'’-]){_TOKEN}(?:[ \t]+{_TOKEN}){{0,2}}(?![A-Za-z'’-])")
_TITLE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Madam|Dame|Lady|Lord)\.?|先生|女士)[ \t]*$"
)
_CUE = re.compile(
    r"(?:\bmy name is|\bi am|\bi['’]m|\bthis is|\bask(?:ed)? for|\bspoke (?:to|with)|"
    r"\btalked (?:to|with)|\bspeak (?:to|with)|\bagent|\brep|\brepresentative|\badvis[oe]r|"
    r"\bmanager|\bdriver|\bcourier|\bthanks to|\bthank you|\bthanks|\bcheers|\bregards|"
    r"\bsigned|\bnamed|\bcalled|\bcontact|\bname:|\bhelped by|\bserved by|\bwith|\bfrom|\bby)"
    r"[,:]?[ \t]*$",
    re.IGNORECASE,
)
_SENTENCE_START = re.compile(r"(?:^|[.!?。！？\n]\s*)$")
_WEAK_CUES = ("with", "from", "by", "thanks", "thank you", "called", "contact")


def _tokens(run: str) -> list[str]:
    return run.split()


def find_en_names(text: str, lex: Lexicon) -> list[Hit]:
    """English person names.

    Sure: a title (``Mr``, ``Dr`` ...) or a cue ("my name is", "spoke to", "agent") before
    capitalised words; a first name from the shipped list, alone or with a surname
    ("Emily Zhang-Hart"); a first name that is also a word ("May", "Will") only before a
    known surname. Unsure: other runs of two or three capitalised words inside a sentence
    that hold no common word ("Xavier Quentworth").

    Examples
    --------
    >>> from custops.ingest.redact.lexicon import load_lexicon
    >>> lex = load_lexicon()
    >>> find_en_names("Thanks to Johnathan Smithers and Mrs Okafor", lex)
    [(10, 28, 'name', True), (37, 43, 'name', True)]
    >>> find_en_names("We visited the Great Wall and the Apple Store", lex)
    []
    """
    if not re.search(r"[A-Z]", text):
        return []
    words = re.findall(r"[A-Za-z]+", text)
    capital = sum(w[0].isupper() for w in words)
    title_case = len(words) >= 4 and capital / len(words) >= 0.6
    first, common, surnames = lex.en_first_names, lex.en_common_words, lex.en_surnames
    hits: list[Hit] = []
    for m in _RUN.finditer(text):
        tokens = _tokens(m.group())
        positions, pos = [], m.start()
        for t in tokens:
            pos = text.index(t, pos)
            positions.append((pos, pos + len(t)))
            pos += len(t)
        bare = [en_key(t.split("-")[0]) for t in tokens]
        # leading common words belong to the context ("Thanks Emily", "Complaint about ...")
        lead = 0
        while lead < len(tokens) - 1 and bare[lead] in common and bare[lead] not in first:
            lead += 1
        tokens, bare, positions = tokens[lead:], bare[lead:], positions[lead:]
        start = positions[0][0]
        before = text[max(0, start - 24) : start]
        if _TITLE.search(before):
            hits.append((positions[0][0], positions[-1][1], "name", True))
            continue
        cue = _CUE.search(before)
        if cue and bare[0] not in common:
            strong = cue.group().strip(" ,:\t").lower() not in _WEAK_CUES
            if strong or bare[0] in first or (len(bare) > 1 and bare[-1] in surnames):
                end = len(tokens)
                while end > 1 and bare[end - 1] in common:
                    end -= 1
                hits.append((positions[0][0], positions[end - 1][1], "name", True))
                continue
        # a first name that is also a word: only with a known surname after it
        if len(bare) > 1 and bare[0] in first and bare[1] in surnames and bare[1] not in common:
            end = 3 if len(bare) > 2 and bare[2] in surnames and bare[2] not in common else 2
            hits.append((positions[0][0], positions[end - 1][1], "name", True))
            continue
        # strip common words at both ends ("Thanks Emily", "Emily Customer Service")
        lo, hi = 0, len(tokens)
        while lo < hi and bare[lo] in common:
            lo += 1
        while hi > lo and bare[hi - 1] in common:
            hi -= 1
        if lo == hi:
            continue
        core = bare[lo:hi]
        if any(t in common for t in core):
            continue
        span = (positions[lo][0], positions[hi - 1][1])
        if core[0] in first or len(core) > 1 and core[-1] in surnames:
            hits.append((*span, "name", True))
        elif len(core) > 1 and not title_case:
            at_start = bool(_SENTENCE_START.search(text[: span[0]]))
            if not at_start or core[-1] in surnames:
                hits.append((*span, "name", False))
    return hits


# ----------------------------------------------------------------------------- Chinese

_ZH_CUE_BEFORE = (
    "我叫|我是|名字是|名字叫|姓名|联系人|收件人|收货人|客服|工作人员|店员|快递员|配送员|骑手|"
    "导购|经理|主管|专员|顾问|师傅|找|联系|感谢|谢谢|表扬|投诉|麻烦|署名|签名|叫"
)
_ZH_HONORIFIC = "先生|女士|小姐|经理|老师|师傅|主管|同学|阿姨|大姐|大哥|姐姐|总|老板|医生|律师|专员"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
#: words jieba tags as person names that are not (brands, courtesies)
_NOT_NAMES = frozenset(
    [
        "谢谢",
        "荣耀",
        "华为",
        "万达",
        "平安",
        "和平",
        "安心",
        "明白",
        "文明",
        "高兴",
        "常常",
        "金牌",
        "黄金",
        "江山",
        "宁静",
        "司机",
        "方便",
        "白白",
        "乐乐",
        "天天",
        "明明",
        "东方",
        "西门",
        "南方",
        "北方",
        "上官",
        "小米",
        "苏宁",
        "国美",
        "京东",
        "淘宝",
        "天猫",
        "美团",
        "饿了么",
        "安全",
        "连续",
        "时间",
        "成本",
        "成功",
        "成都",
        "温暖",
        "温柔",
        "甘甜",
        "明天",
        "明年",
        "包装",
        "包邮",
        "关注",
        "关心",
        "关于",
        "任何",
        "齐全",
        "全部",
        "全新",
        "全国",
        "于是",
        "向来",
        "常规",
        "洪水",
        "邵阳",
        "杨梅",
        "柳州",
        "石头",
        "毛病",
        "毛巾",
        "龙虾",
        "西门子",
        "东方明珠",
        "长城",
        "长城宽带",
        "王者荣耀",
        "海尔",
        "格力",
        "美的",
        "李宁",
        "安踏",
        "顺丰",
        "韵达",
        "申通",
        "中通",
        "圆通",
        "师傅",
        "先生",
        "女士",
        "小姐",
        "老师",
        "经理",
        "主管",
        "同学",
        "阿姨",
        "大姐",
        "大哥",
        "姐姐",
        "老板",
        "医生",
        "律师",
        "专员",
        "客服",
        "小哥",
        "快递员",
    ]
)


def _given_len(text: str, i: int, lex: Lexicon, most: int = 2) -> int:
    """How many characters after position ``i`` read as a given name (0-``most``)."""
    n = 0
    while n < most and i + n < len(text) and text[i + n] in lex.zh_given_chars:
        n += 1
    return n


def find_zh_names(text: str, lex: Lexicon, pos_tokenizer: Any | None) -> list[Hit]:
    """Chinese person names.

    Sure: a compound surname with one or two given-name characters (欧阳娜娜); a surname
    with a given name after a cue word (我叫/客服/联系人 ...) or before an honorific
    (王先生, 李娜经理); jieba's person-name tag ``nr`` on a word starting with a surname;
    小/老 + surname as a word (小王). Unsure: an ``nr`` word that starts with no known surname.

    Examples
    --------
    >>> from custops.ingest.redact.lexicon import load_lexicon
    >>> find_zh_names("客服王芳态度很好，欧阳娜娜也很耐心", load_lexicon(), None)
    [(9, 13, 'name', True), (2, 4, 'name', True)]
    """
    hits: list[Hit] = []
    surnames, compound = lex.zh_surnames, lex.zh_compound_surnames
    for i in range(len(text) - 2):
        two = text[i : i + 2]
        if two in compound:
            n = _given_len(text, i + 2, lex)
            if n == 0 and i + 2 < len(text) and re.match(f"[{_CJK}]", text[i + 2]):
                n = 1 if not re.match(f"(?:{_ZH_HONORIFIC})", text[i + 2 :]) else 0
            if n or re.match(f"(?:{_ZH_HONORIFIC})", text[i + 2 :]):
                hits.append((i, i + 2 + n, "name", True))
    for m in re.finditer(f"(?:{_ZH_CUE_BEFORE})[:：\\s]*", text):
        j = m.end()
        if j < len(text) and text[j] in surnames:
            n = _given_len(text, j + 1, lex)
            if n:
                hits.append((j, j + 1 + n, "name", True))
    for m in re.finditer(f"(?:{_ZH_HONORIFIC})", text):
        # surname (+ given name) right before the honorific
        for length in (3, 2, 1):
            s = m.start() - length
            if s < 0 or text[s] not in surnames:
                continue
            rest = text[s + 1 : m.start()]
            if all(c in lex.zh_given_chars for c in rest):
                hits.append((s, m.start(), "name", True))
                break
    if pos_tokenizer is not None:
        pos = 0
        starts = set()
        singles: list[tuple[int, str]] = []  # single-character words (jieba knew no longer one)
        for word, flag in pos_tokenizer.cut(text, HMM=False):
            start, pos = pos, pos + len(word)
            starts.add(start)
            if len(word) == 1:
                singles.append((start, word))
            if word in _NOT_NAMES:
                continue
            if flag.startswith("nr") and 2 <= len(word) <= 4 and re.fullmatch(f"[{_CJK}]+", word):
                given = word[2:] if word[:2] in compound else word[1:]
                if (
                    (word[0] in surnames or word[:2] in compound)
                    and all(c in lex.zh_given_chars for c in given)
                    or word[0] in "小老阿"
                    and word[1:2] in surnames
                    and len(word) == 2
                ):
                    hits.append((start, pos, "name", True))
                else:
                    hits.append((start, pos, "name", False))
            elif len(word) == 2 and word[0] in "小老" and word[1] in surnames:
                hits.append((start, pos, "name", True))
        # a surname followed by one or two given-name characters, each a word of its own
        # (张|伟|帮|我: no dictionary word holds them)
        for k, (i, char) in enumerate(singles):
            if char not in surnames:
                continue
            n = 0
            while (
                n < 2
                and k + n + 1 < len(singles)
                and singles[k + n + 1][0] == i + n + 1
                and singles[k + n + 1][1] in lex.zh_given_chars
            ):
                n += 1
            if n:
                hits.append((i, i + 1 + n, "name", True))
        # surname + two given-name characters from a word boundary (王子涵, 孙浩然), which
        # jieba often splits (王子|涵, 孙|浩然)
        for i in sorted(starts):
            three = text[i : i + 3]
            if (
                len(three) == 3
                and three[0] in surnames
                and three[1] in lex.zh_given_chars
                and three[2] in lex.zh_given_chars
                and three not in _NOT_NAMES
            ):
                hits.append((i, i + 3, "name", True))
    return hits
