"""Numbers: phones (regex for mainland mobiles, ``phonenumbers`` for the rest), resident IDs
(18-digit with the ISO 7064 MOD 11-2 check digit, 15-digit old form), payment cards (Luhn)."""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["Hit", "find_numbers", "id_check_ok", "luhn_ok"]

Hit = tuple[int, int, str, bool]  # start, end, kind, sure

_SEP = r"[\s\-\u2010-\u2015.()（）]*"
_MOBILE = re.compile(
    rf"(?<![0-9])(?:[(（]?(?:\+|00)?{_SEP}86{_SEP})?1{_SEP}[3-9](?:{_SEP}[0-9]){{9}}(?![0-9])"
)
_LANDLINE = re.compile(r"(?<![0-9])\(?0\d{2,3}\)?[\s\-]?\d{3,4}[\s\-]?\d{4}(?![0-9])")
_INTL = re.compile(
    r"(?<![0-9A-Za-z])[(（]?\+[0-9]{1,3}[)）]?(?:[\s\-.]?\(?[0-9]\)?){7,13}(?![0-9])"
)
_ID18 = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}\s?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"\s?\d{3}[0-9Xx](?![0-9A-Za-z])"
)
_ID15 = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])"
)
_CARD = re.compile(r"(?<![0-9])\d(?:[ \-]?\d){12,18}(?![0-9])")
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z])\d(?:[ \-]?\d){6,}(?![0-9])")
_DATE_IN = re.compile(r"(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])")
_DATE = re.compile(r"^(?:19|20)\d{2}[-/ ]?\d{1,2}[-/ ]?\d{1,2}")
_ORDER_CUE = re.compile(
    r"(?:订单|单号|编号|运单|快递单|发票|流水|工单|会员号|order|invoice|tracking|ticket|ref|"
    r"reference|no\.|#)\s*(?:号|number|no\.?|id)?\s*[:：#]?\s*$",
    re.IGNORECASE,
)
_ID_CUE = re.compile(
    r"(?:身份证|证件|身份|\bID\b|identity|id number|id card)\D{0,6}$", re.IGNORECASE
)
_PHONE_CUE = re.compile(
    r"(?:电话|手机|座机|联系|致电|打|call|phone|tel|mobile|ring|text|whatsapp|微信)\D{0,6}$",
    re.IGNORECASE,
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_REGIONS = ("CN", "GB", "US")


def id_check_ok(number: str) -> bool:
    """Whether an 18-character Chinese resident ID has the right check character.

    Examples
    --------
    >>> id_check_ok("11010519491231002X"), id_check_ok("110105194912310021")
    (True, False)
    """
    digits = number.replace(" ", "")
    if len(digits) != 18 or not digits[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == digits[17].upper()


def luhn_ok(number: str) -> bool:
    """Luhn checksum of a card number (spaces and dashes ignored).

    Examples
    --------
    >>> luhn_ok("4111 1111 1111 1111"), luhn_ok("4111 1111 1111 1112")
    (True, False)
    """
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return bool(digits) and total % 10 == 0


def _card_brand_ok(digits: str) -> bool:
    n, p2, p4 = len(digits), int(digits[:2]), int(digits[:4])
    return (
        (digits[0] == "4" and n in (13, 16, 19))
        or ((51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16)
        or (p2 in (34, 37) and n == 15)
        or ((p4 == 6011 or p2 == 65 or 644 <= int(digits[:3]) <= 649) and n in (16, 19))
        or (p2 == 62 and 16 <= n <= 19)
        or (3528 <= p4 <= 3589 and 16 <= n <= 19)
    )


_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[(（]?\+?\d[\d \-.()（）]{5,}\d(?![0-9])")


def _phonenumbers_hits(text: str, covered: list[Hit]) -> Iterator[Hit]:
    """Digit runs that ``phonenumbers`` reads as a valid number of CN, GB or US."""
    import phonenumbers

    for m in _CANDIDATE.finditer(text):
        if any(h[0] <= m.start() and m.end() <= h[1] for h in covered):
            continue
        candidate = m.group().strip(" .-")
        if not 7 <= sum(c.isdigit() for c in candidate) <= 15 or _DATE_IN.search(candidate):
            continue
        before = text[max(0, m.start() - 12) : m.start()]
        if _ORDER_CUE.search(before):
            continue
        # a bare run of digits is a phone only after a phone cue (10-digit order numbers
        # are valid US numbers); written like a phone (+, (0), spaces, dashes) it is one
        formatted = candidate[0] in "+(（0" or bool(re.search(r"\d[ \-.]\d", candidate))
        sure = formatted or bool(_PHONE_CUE.search(before))
        for region in _REGIONS:
            try:
                number = phonenumbers.parse(candidate, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                yield m.start(), m.end(), "phone", sure
                break


def _intl_valid(candidate: str, possible: bool = False) -> bool:
    import phonenumbers

    try:
        number = phonenumbers.parse(re.sub(r"[()（）]", " ", candidate), None)
    except phonenumbers.NumberParseException:
        return False
    if possible:  # written with +country code: a phone even when not (yet) assigned
        return phonenumbers.is_possible_number(number)
    return phonenumbers.is_valid_number(number)


def find_numbers(text: str) -> list[Hit]:
    """Phones, ID numbers and card numbers in a text (digits already ASCII).

    Unvalidated digit runs that look like one of them (an 11-digit run starting with 1, an
    ID-shaped run with a wrong check digit, 15-19 digits failing Luhn, digits after a phone
    cue) are returned as unsure hits; numbers after an order/invoice cue are left alone.

    Examples
    --------
    >>> [h for h in find_numbers("call 13812345678 or 13812345") if h[3]]
    [(5, 16, 'phone', True)]
    >>> find_numbers("订单号 20251003123456789")
    []
    """
    if sum(c.isdigit() for c in text) < 7:
        return []
    hits: list[Hit] = []
    for m in _ID18.finditer(text):
        if _ORDER_CUE.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        cue = bool(_ID_CUE.search(text[max(0, m.start() - 12) : m.start()]))
        hits.append((m.start(), m.end(), "id", cue or id_check_ok(m.group())))
    hits += [(m.start(), m.end(), "id", True) for m in _ID15.finditer(text)]
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if _ORDER_CUE.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        if luhn_ok(digits) and _card_brand_ok(digits):
            hits.append((m.start(), m.end(), "card", True))
        elif " " in m.group() or "-" in m.group():  # grouped like a card, failing Luhn
            hits.append((m.start(), m.end(), "card", False))
    hits += [(m.start(), m.end(), "phone", True) for m in _MOBILE.finditer(text)]
    for m in _INTL.finditer(text):
        hits.append((m.start(), m.end(), "phone", _intl_valid(m.group(), possible=True)))
    for m in _LANDLINE.finditer(text):
        if _intl_valid("+86" + re.sub(r"\D", "", m.group())[1:]):
            hits.append((m.start(), m.end(), "phone", True))
    hits += list(_phonenumbers_hits(text, [h for h in hits if h[3]]))
    for m in _DIGIT_RUN.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        before = text[max(0, m.start() - 12) : m.start()]
        if _DATE.match(m.group()) or _ORDER_CUE.search(before):
            continue
        looks = (len(digits) == 11 and digits[0] == "1") or 15 <= len(digits) <= 19
        if looks or _PHONE_CUE.search(before):
            hits.append((m.start(), m.end(), "digits", False))
    return hits
