"""Street addresses: Chinese (province/city/district names + road, number, building, room)
and English ("221B Baker Street", "12 Oak Rd, Apt 4", "Flat 3, 8 High St", UK postcodes)."""

from __future__ import annotations

import re

from custops.ingest.redact.lexicon import Lexicon
from custops.ingest.redact.numeric import Hit

__all__ = ["find_en_addresses", "find_zh_addresses"]

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_NOT_IN_NAME = "在住到往从是的了我你他她说和与及、，。！？；：请把给送寄"
_ROAD = (
    rf"[^\W\d{_NOT_IN_NAME}a-zA-Z]{{1,6}}?(?:大街|大道|胡同|路|街|巷|弄|道)"
    rf"(?:[东南西北中]段|[东南西北]?[一二三四五六七八九十]段)?"
)
_NUM = r"\s*\d+(?:\s*[-之]\s*\d+)?\s*(?:号|弄|巷|栋|幢|座|号院)"
_UNIT = (
    r"(?:\s*(?:\d+|[A-Za-z一二三四五六七八九十]+)\s*(?:号楼|栋|幢|座|单元|楼|层|室|号|户|号房)"
    r"|\s*-\s*\d+)*(?<=[楼栋幢座元层室号户房\d])(?:\s*\d{3,4}(?!\d))?"
)
_BUILDING = (
    rf"[^\W\d{_NOT_IN_NAME}a-zA-Z]{{2,8}}?(?:小区|花园|公寓|大厦|家园|新村|广场|苑|园|府|城|中心)"
)
_ZH_ROAD_NUMBER = re.compile(rf"{_ROAD}{_NUM}(?:{_BUILDING})?{_UNIT}")
_ZH_BUILDING_UNIT = re.compile(
    rf"{_BUILDING}\s*\d+\s*(?:号楼|栋|幢|座)(?:\s*\d+\s*单元)?(?:\s*\d+\s*(?:室|号|楼))?"
)
_ZH_TAIL = re.compile(rf"\s*(?:{_ROAD}(?:{_NUM})?)?(?:{_BUILDING})?{_UNIT}")

_SUFFIX = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|"
    r"Terrace|Close|Crescent|Square|Sq|Gardens|Grove|Row|Mews|Parkway|Pkwy|Highway|Hwy|"
    r"Circle|Cir|Trail|Walk|Hill)"
)
_STREET_WORD = (
    r"(?!(?:the|a|an|on|in|at|to|of|for|and|or|my|your|our|their|more|less|very|long|short|"
    r"other|same|whole|entire|free|extra|days?|weeks?|hours?|minutes?|mins?|seconds?|miles?|km|"
    r"years?|months?|items?|stars?|times?|orders?|people|boxes|pieces?|units?|pounds?|dollars?|"
    r"yuan|rmb|percent)\b)[A-Za-z][A-Za-z'’.-]*"
)
_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}"
_EN_ADDRESS = re.compile(
    rf"(?:\b(?:Flat|Apt|Apartment|Unit|Suite|Room)\.?\s*\d+[A-Za-z]?,?\s+)?"
    rf"\b\d{{1,5}}[A-Za-z]?(?:-\d{{1,5}})?,?\s+(?:{_STREET_WORD}\s+){{1,3}}{_SUFFIX}\b\.?"
    rf"(?:,?\s*(?:Apt|Apartment|Flat|Unit|Suite|Ste|#)\.?\s*[A-Za-z0-9-]+)?"
    rf"(?:,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)?(?:,?\s*(?:{_POSTCODE}|\d{{5}}(?:-\d{{4}})?)\b)?",
    re.IGNORECASE,
)
_EN_POSTCODE = re.compile(rf"\b{_POSTCODE}\b")
_PO_BOX = re.compile(r"\bP\.?\s?O\.?\s?Box\s+\d+\b", re.IGNORECASE)


def _capitalised_street(match: re.Match[str]) -> bool:
    """Lower-case street words ("221b baker street") but not "a 20 minute drive"."""
    return bool(match.group())  # units and function words are excluded by the pattern


def find_en_addresses(text: str) -> list[Hit]:
    """English street addresses (house number + street words + a street suffix).

    Examples
    --------
    >>> find_en_addresses("send it to 221B Baker Street please")
    [(11, 28, 'address', True)]
    """
    if not re.search(r"\d", text):
        return []
    hits: list[Hit] = [
        (m.start(), m.end(), "address", True)
        for m in _EN_ADDRESS.finditer(text)
        if _capitalised_street(m)
    ]
    hits += [(m.start(), m.end(), "address", True) for m in _EN_POSTCODE.finditer(text)]
    hits += [(m.start(), m.end(), "address", True) for m in _PO_BOX.finditer(text)]
    return hits


def _area_chain(text: str, places: dict[str, int], longest: int) -> list[tuple[int, int, int]]:
    """Runs of administrative area names: (start, end, number of names)."""
    found: list[tuple[int, int, int]] = []  # start, end, level
    i, n = 0, len(text)
    while i < n:
        match = None
        for length in range(min(longest, n - i), 1, -1):
            if text[i : i + length] in places:
                match = (i, i + length, places[text[i : i + length]])
                break
        if match:
            found.append(match)
            i = match[1]
        else:
            i += 1
    chains: list[tuple[int, int, int]] = []
    for start, end, _level in found:
        if chains and text[chains[-1][1] : start].strip() == "":
            s, _, k = chains[-1]
            chains[-1] = (s, end, k + 1)
        else:
            chains.append((start, end, 1))
    return chains


def find_zh_addresses(text: str, lex: Lexicon) -> list[Hit]:
    """Chinese addresses.

    Sure: a road with a house number (建国路88号); an estate with a building number
    (阳光花园3号楼); administrative names followed by a road or building (朝阳区建国路), or
    two of them ending in a district or county (北京市朝阳区). A single city or province name
    ("上海的物流") is not an address.

    Examples
    --------
    >>> from custops.ingest.redact.lexicon import load_lexicon
    >>> find_zh_addresses("寄到北京市朝阳区建国路88号，谢谢", load_lexicon())[-1]
    (2, 14, 'address', True)
    """
    hits: list[Hit] = []
    hits += [(m.start(), m.end(), "address", True) for m in _ZH_ROAD_NUMBER.finditer(text)]
    hits += [(m.start(), m.end(), "address", True) for m in _ZH_BUILDING_UNIT.finditer(text)]
    longest = 8
    for start, end, k in _area_chain(text, lex.zh_places, longest):
        tail = _ZH_TAIL.match(text, end)
        tail_end = tail.end() if tail else end
        last = text[start:end]
        district = last.endswith(("区", "县", "旗", "镇", "乡", "街道"))
        if tail_end > end and text[end:tail_end].strip():
            hits.append((start, tail_end, "address", True))
        elif k >= 2 and district:
            hits.append((start, end, "address", True))
    return hits
