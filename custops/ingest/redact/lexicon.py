"""Word lists the redactor reads: surnames, given-name characters, first names, place names.

The lists ship in ``custops/resources/pii/`` (see the header of each file for its source and
licence). Chinese place names (provinces, cities, districts and counties) come from the
``adcodes.csv`` file of the MIT-licensed PyPI package ``cpca``, read as data (the package
itself is not imported: its import builds a matcher with ``pkg_resources``); without
``cpca`` a short shipped list of provinces and large cities is used.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = ["Lexicon", "en_key", "load_lexicon"]

_FALLBACK_PLACES = [
    "北京市",
    "天津市",
    "上海市",
    "重庆市",
    "河北省",
    "山西省",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "海南省",
    "四川省",
    "贵州省",
    "云南省",
    "陕西省",
    "甘肃省",
    "青海省",
    "台湾省",
    "内蒙古自治区",
    "广西壮族自治区",
    "西藏自治区",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "香港特别行政区",
    "澳门特别行政区",
    "广州市",
    "深圳市",
    "杭州市",
    "南京市",
    "苏州市",
    "成都市",
    "武汉市",
    "西安市",
    "长沙市",
    "郑州市",
    "青岛市",
    "厦门市",
    "宁波市",
    "大连市",
    "沈阳市",
    "济南市",
    "合肥市",
    "福州市",
    "昆明市",
    "哈尔滨市",
    "长春市",
    "石家庄市",
    "南宁市",
    "朝阳区",
    "海淀区",
    "东城区",
    "西城区",
    "丰台区",
    "浦东新区",
    "黄浦区",
    "徐汇区",
    "静安区",
    "天河区",
    "越秀区",
    "福田区",
    "南山区",
    "西湖区",
    "上城区",
    "拱墅区",
    "滨江区",
    "武侯区",
    "锦江区",
    "江汉区",
    "洪山区",
    "雁塔区",
    "鼓楼区",
    "玄武区",
]
_SHORT = re.compile(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")


@dataclass(frozen=True)
class Lexicon:
    """The word lists, as sets (built once per :class:`~custops.ingest.redact.Redactor`)."""

    zh_surnames: frozenset[str]
    zh_compound_surnames: frozenset[str]
    zh_given_chars: frozenset[str]
    en_first_names: frozenset[str]
    en_surnames: frozenset[str]
    en_common_words: frozenset[str]
    zh_places: dict[str, int]  # name -> level (0 province, 1 city, 2 district/county)
    place_source: str


def en_key(word: str) -> str:
    """How English names are compared: lower case, without apostrophes (O'Brien = obrien).

    Examples
    --------
    >>> en_key("O’Brien"), en_key("McAllister")
    ('obrien', 'mcallister')
    """
    return word.lower().replace("'", "").replace("’", "")


def _resource_words(name: str) -> list[str]:
    text = resources.files("custops").joinpath("resources", "pii", name).read_text("utf-8")
    words: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        words += line.split()
    return words


def _cpca_places() -> dict[str, int] | None:
    spec = importlib.util.find_spec("cpca")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    if not path.is_file():
        return None
    places: dict[str, int] = {}
    with path.open(encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            code, name = record["adcode"][:6], record["name"].strip()
            level = 0 if code.endswith("0000") else 1 if code.endswith("00") else 2
            if name and name not in ("市辖区", "县", "省直辖县级行政区划"):
                places.setdefault(name, level)
    return places


def load_lexicon() -> Lexicon:
    """Read the shipped lists (and ``cpca``'s place names when it is installed).

    Examples
    --------
    >>> lex = load_lexicon()
    >>> "欧阳" in lex.zh_compound_surnames, "emily" in lex.en_first_names, lex.zh_places["朝阳区"]
    (True, True, 2)
    """
    surnames = _resource_words("zh_surnames.txt")
    places = _cpca_places()
    source = "cpca adcodes"
    if places is None:
        source = "shipped list"
        places = {
            p: (
                0
                if p.endswith(("省", "自治区", "特别行政区")) or p[:2] in "北京天津上海重庆"
                else 1
            )
            if not p.endswith("区")
            else 2
            for p in _FALLBACK_PLACES
        }
    # provinces and cities also without their suffix (北京, 广东, 杭州); districts need theirs
    for name, level in list(places.items()):
        short = _SHORT.sub("", name)
        if level < 2 and len(short) >= 2 and short != name:
            places.setdefault(short, level)
    return Lexicon(
        zh_surnames=frozenset(s for s in surnames if not s.startswith("+")),
        zh_compound_surnames=frozenset(s[1:] for s in surnames if s.startswith("+")),
        zh_given_chars=frozenset("".join(_resource_words("zh_given_chars.txt"))),
        en_first_names=frozenset(en_key(w) for w in _resource_words("en_first_names.txt")),
        en_surnames=frozenset(en_key(w) for w in _resource_words("en_surnames.txt")),
        en_common_words=frozenset(en_key(w) for w in _resource_words("en_common_words.txt")),
        zh_places=places,
        place_source=source,
    )
