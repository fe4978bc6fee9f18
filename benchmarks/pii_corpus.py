"""A labelled set of zh/en customer comments with planted personal data, written for the PII
benchmark (``bench_pii.py``) and test (``tests/test_redact.py``).

Seeded and self-contained: the names, streets and numbers below are written here (the
redactor's own word lists are not used to make them), the numbers are valid of their kind
(mobiles of real prefixes, landlines, UK/US numbers that ``phonenumbers`` accepts, resident
IDs with the right check character, Luhn-valid card numbers), the e-mails are plain and
obfuscated. Clean comments carry traps: product and place names ("Apple Store", "Great
Wall", 东方明珠, 西门子), dates, prices, order and tracking numbers.

Each record: ``comment``, ``language``, ``planted`` (list of ``(kind, value, parts)``; a value
is caught when none of its ``parts`` is left in the redacted text).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

__all__ = ["KINDS", "Record", "make_corpus"]

KINDS = ("phone", "email", "id", "card", "zh_name", "en_name", "zh_address", "en_address")

ZH_SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
)
ZH_COMPOUND = ["欧阳", "司马", "上官", "诸葛", "慕容", "司徒", "皇甫", "令狐"]
ZH_GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "娜娜",
    "子涵",
    "浩然",
    "欣怡",
    "梓萱",
    "一诺",
    "俊杰",
    "雨桐",
    "思远",
    "佳琪",
    "宇轩",
    "诗涵",
    "晓明",
    "志强",
    "建华",
    "丽娟",
    "海燕",
    "文博",
    "嘉怡",
    "子轩",
    "梦琪",
    "立新",
    "晨曦",
    "婉清",
    "鹏飞",
    "雪梅",
    "国庆",
    "春燕",
    "家豪",
    "若曦",
    "天宇",
    "欣然",
    "明轩",
    "静怡",
    "俊熙",
    "雅婷",
]
EN_FIRST = [
    "Johnathan",
    "Emily",
    "Olivia",
    "James",
    "Sophie",
    "Daniel",
    "Hannah",
    "Michael",
    "Charlotte",
    "Oliver",
    "Amelia",
    "Thomas",
    "Jessica",
    "Benjamin",
    "Chloe",
    "William",
    "Lucy",
    "Samuel",
    "Grace",
    "Harry",
    "Ella",
    "Jack",
    "Isabella",
    "George",
    "Megan",
    "Priya",
    "Aoife",
    "Siobhan",
    "Connor",
    "Liam",
    "Zoe",
    "Ethan",
    "Ava",
    "Noah",
    "Mia",
    "Lucas",
    "Ruby",
    "Leo",
    "Freya",
    "Arjun",
    "Mei",
    "Kevin",
    "Laura",
    "Rachel",
    "Steven",
    "Natalie",
    "Andrew",
    "Rebecca",
    "Patrick",
    "Fiona",
    "Gareth",
    "Bethany",
]
EN_LAST = [
    "Smithers",
    "Zhang-Hart",
    "Thompson",
    "Okafor",
    "McAllister",
    "O'Brien",
    "Fitzgerald",
    "Patel",
    "Nguyen",
    "Kowalski",
    "Henderson",
    "Blackwood",
    "Whitfield",
    "Harrington",
    "Castellano",
    "Lindqvist",
    "Abernathy",
    "Wainwright",
    "Ramsey",
    "Chen",
    "Wong",
    "Singh",
    "Murphy",
    "Campbell",
    "Stewart",
    "Robertson",
    "Hughes",
    "Edwards",
    "Clarke",
    "Turner",
    "Baker-Lewis",
    "Montgomery",
    "Sutherland",
    "Ellison",
    "Garrison",
    "Pemberton",
    "Holloway",
    "Davenport",
    "Ashworth",
    "Thornton",
]
ZH_CITIES = [
    ("北京市", "朝阳区"),
    ("北京市", "海淀区"),
    ("上海市", "浦东新区"),
    ("上海市", "徐汇区"),
    ("广东省广州市", "天河区"),
    ("广东省深圳市", "南山区"),
    ("浙江省杭州市", "西湖区"),
    ("江苏省南京市", "鼓楼区"),
    ("四川省成都市", "武侯区"),
    ("湖北省武汉市", "洪山区"),
    ("天津市", "和平区"),
    ("重庆市", "渝中区"),
    ("陕西省西安市", "雁塔区"),
    ("山东省青岛市", "市南区"),
    ("福建省厦门市", "思明区"),
    ("湖南省长沙市", "岳麓区"),
]
ZH_ROADS = [
    "建国路",
    "中山北路",
    "人民路",
    "解放大道",
    "南京西路",
    "张江路",
    "文三路",
    "体育西路",
    "科技园南路",
    "长安街",
    "淮海中路",
    "天府大道",
    "珞喻路",
    "雁塔北路",
    "香港中路",
    "湖滨南路",
    "麓山南路",
    "学院路",
    "和平里东街",
    "五一大道",
]
ZH_ESTATES = [
    "阳光花园",
    "金色家园",
    "翠湖小区",
    "华府公寓",
    "世纪新村",
    "万科城",
    "锦绣大厦",
    "碧桂园",
]
EN_STREETS = [
    "Baker Street",
    "Oak Rd",
    "High Street",
    "Station Road",
    "Elm Avenue",
    "Church Lane",
    "Victoria Road",
    "Maple Drive",
    "Park Avenue",
    "Queens Road",
    "Mill Lane",
    "Kings Way",
    "Willow Close",
    "Chestnut Grove",
    "Market Street",
    "Sunset Blvd",
    "Harbour View Road",
    "Old Kent Road",
    "Abbey Road",
    "Pine St",
]
EN_TOWNS = ["London", "Manchester", "Leeds", "Bristol", "Boston", "Seattle", "Cambridge", "Oxford"]
MAIL_HOSTS = [
    "gmail.com",
    "qq.com",
    "163.com",
    "outlook.com",
    "hotmail.com",
    "yahoo.co.uk",
    "icloud.com",
    "126.com",
]
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "170",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "195",
    "198",
    "199",
]
ID_REGIONS = [
    "110105",
    "310115",
    "440106",
    "330106",
    "320102",
    "510107",
    "420111",
    "120101",
    "500103",
]
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@dataclass
class Record:
    comment: str
    language: str
    planted: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)


def _mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))


def _phone(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    """A phone as written, and its digits (caught when the digits are gone)."""
    m = _mobile(rng)
    style = rng.randrange(9)
    if style == 0:
        shown = m
    elif style == 1:
        shown = f"{m[:3]} {m[3:7]} {m[7:]}"
    elif style == 2:
        shown = f"+86 {m[:3]}-{m[3:7]}-{m[7:]}"
    elif style == 3:
        shown = "".join(chr(ord(c) + 0xFEE0) for c in m)  # full-width digits
    elif style == 4:
        area = rng.choice(["010", "021", "020", "0755", "0571"])
        shown = f"{area}-{rng.randrange(2, 9)}{rng.randrange(1000000, 9999999)}"
        return shown, (shown,)
    elif style == 5:
        shown = f"020 7946 {rng.randrange(1000, 9999)}"  # London
        return shown, (shown, shown.replace(" ", ""))
    elif style == 6:
        shown = f"+44 7700 900{rng.randrange(100, 999)}"
        return shown, (shown, shown.replace(" ", ""))
    elif style == 7:
        shown = f"({rng.choice(['212', '415', '617', '206'])}) {rng.randrange(200, 999)}-{rng.randrange(1000, 9999)}"
        return shown, (shown,)
    else:
        shown = f"+1 {rng.choice(['212', '415', '617', '206'])} {rng.randrange(200, 999)} {rng.randrange(1000, 9999)}"
        return shown, (shown,)
    return shown, (m, shown)


def _resident_id(rng: random.Random) -> str:
    body = (
        rng.choice(ID_REGIONS)
        + str(rng.randrange(1950, 2005))
        + f"{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
        + f"{rng.randrange(0, 1000):03d}"
    )
    total = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def _card(rng: random.Random) -> str:
    prefix = rng.choice(["4", "51", "53", "62", "4", "55"])
    body = prefix + "".join(rng.choice("0123456789") for _ in range(15 - len(prefix)))
    digits = [int(c) for c in body]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    number = body + str((10 - total % 10) % 10)
    if rng.random() < 0.5:
        return " ".join(number[i : i + 4] for i in range(0, 16, 4))
    return number


def _email(rng: random.Random, first: str, last: str) -> tuple[str, tuple[str, ...]]:
    user = (
        rng.choice(
            [
                f"{first}.{last}",
                f"{first}{rng.randrange(10, 99)}",
                f"{first[0]}{last}",
                f"{last}_{first}",
            ]
        )
        .lower()
        .replace("'", "")
        .replace("-", "")
    )
    host = rng.choice(MAIL_HOSTS)
    name, _, tld = host.partition(".")
    style = rng.randrange(7)
    shown = {
        0: f"{user}@{host}",
        1: f"{user} at {name} dot {tld.replace('.', ' dot ')}",
        2: f"{user}＠{host}",
        3: f"{user}[at]{host}",
        4: f"{user} (at) {name} (dot) {tld}",
        5: f"{user} AT {host}",
        6: f"{user}@{name}点{tld}",
    }[style]
    return shown, (user + "@", f"{user}@{host}", shown)


def _zh_name(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    surname = rng.choice(ZH_COMPOUND) if rng.random() < 0.15 else rng.choice(ZH_SURNAMES)
    given = rng.choice(ZH_GIVEN)
    full = surname + given
    return full, (full,)


def _en_name(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    first, last = rng.choice(EN_FIRST), rng.choice(EN_LAST)
    return f"{first} {last}", (first, last)


def _zh_address(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    city, district = rng.choice(ZH_CITIES)
    road = rng.choice(ZH_ROADS)
    number = f"{rng.randrange(1, 999)}号"
    style = rng.randrange(4)
    if style == 0:
        shown = f"{city}{district}{road}{number}"
    elif style == 1:
        shown = f"{district}{road}{number}{rng.choice(ZH_ESTATES)}{rng.randrange(1, 30)}栋{rng.randrange(101, 2505)}室"
    elif style == 2:
        shown = f"{road}{number}"
    else:
        shown = f"{city}{district}{rng.choice(ZH_ESTATES)}{rng.randrange(1, 30)}号楼{rng.randrange(1, 6)}单元{rng.randrange(101, 2505)}"
        return shown, (shown[len(city) + len(district) :],)
    return shown, (f"{road}{number}",)


def _en_address(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    street = rng.choice(EN_STREETS)
    number = f"{rng.randrange(1, 400)}{rng.choice(['', '', '', 'B', 'a'])}"
    style = rng.randrange(4)
    line = f"{number} {street}"
    if style == 0:
        shown = line
    elif style == 1:
        shown = f"{line}, Apt {rng.randrange(1, 40)}"
    elif style == 2:
        shown = f"Flat {rng.randrange(1, 20)}, {line}, {rng.choice(EN_TOWNS)}"
    else:
        shown = line.lower()
    return shown, (line, line.lower())


_ZH_TEMPLATES = {
    "phone": [
        "请回电{v}，谢谢",
        "快递一直没到，我的手机是{v}",
        "电话：{v} 有问题打我",
        "客服不回复，请联系{v}",
        "号码{v}，尽快处理退款",
    ],
    "email": [
        "发票请发到{v}",
        "邮箱 {v} 收不到验证码",
        "请把合同发{v}，谢谢",
        "退款说明发我邮箱{v}吧",
    ],
    "id": ["实名认证一直失败，身份证{v}", "我的证件号{v}，请核实", "身份证号码 {v} 已经上传了"],
    "card": ["扣款两次，卡号{v}", "银行卡 {v} 退款没到账", "我用{v}这张卡付的钱"],
    "zh_name": [
        "客服{v}态度很好，点赞",
        "感谢{v}的耐心解答",
        "我叫{v}，订单一直没发货",
        "{v}帮我解决了问题，很满意",
        "快递员{v}很负责",
        "投诉{v}，服务太差",
        "这次是{v}接待的，很专业",
        "收件人{v}，请改地址",
    ],
    "zh_address": [
        "请送到{v}，谢谢",
        "我住在{v}，配送太慢",
        "收货地址{v}，改一下",
        "快递放在{v}门口就行",
    ],
    "en_name": ["客服 {v} 很专业", "Thanks {v}!"],
    "en_address": ["寄到 {v}", "收货地址 {v}"],
}
_EN_TEMPLATES = {
    "phone": [
        "Please call me back on {v}",
        "Support never replied, my number is {v}",
        "Text {v} when the courier arrives",
        "Call {v} please, the order is wrong",
    ],
    "email": [
        "Send the invoice to {v}",
        "My email is {v}, no reply yet",
        "Contact me at {v} about the refund",
        "Reach me on {v} please",
    ],
    "id": ["They asked for my ID {v} twice", "Real-name check failed for ID number {v}"],
    "card": [
        "I was charged twice on card {v}",
        "Refund to my card {v} never arrived",
        "Paid with {v} and got no receipt",
    ],
    "en_name": [
        "{v} at support was really helpful",
        "Thanks to {v}, the problem was solved",
        "My name is {v} and my order is late",
        "I spoke to {v} who promised a refund",
        "The courier {v} left the parcel outside",
        "Ask for {v}, she knows the case",
        "Great service from {v}, thank you",
        "Complaint about {v}, very rude on the phone",
        "{v} fixed my account in minutes",
        "Please tell {v} the parcel was damaged",
    ],
    "en_address": [
        "Deliver to {v} please",
        "I live at {v} and the parcel never came",
        "Wrong address, it should be {v}",
        "Send the replacement to {v}",
    ],
    "zh_name": ["Agent {v} was very patient", "{v} from support called me back"],
    "zh_address": ["Ship to {v}", "Address: {v}"],
}
_CLEAN = [
    ("zh", "快递很慢，客服一直不回复"),
    ("zh", "东方明珠附近的门店服务很好"),
    ("zh", "西门子冰箱质量不错，就是价格贵"),
    ("zh", "订单号 20251103123456789 一直显示待发货"),
    ("zh", "运单号 SF1234567890123 查不到"),
    ("zh", "11月11日下单，11月20日才到"),
    ("zh", "价格 1,299 元，比上次贵了 200"),
    ("zh", "会员积分 12500 还没到账"),
    ("zh", "王者荣耀联名款很好看"),
    ("zh", "上海的物流太慢了"),
    ("zh", "华为手机的售后不错"),
    ("zh", "黄金会员的权益不值这个价"),
    ("zh", "周末送货很方便"),
    ("zh", "谢谢客服，问题解决了"),
    ("zh", "荣耀手机壳做工一般"),
    ("zh", "北京烤鸭礼盒包装破了"),
    ("zh", "评论区的人说质量不好"),
    ("zh", "等了 3 天才有人回复"),
    ("zh", "包装很好，下次还买"),
    ("zh", "工单 20251003001 已经重开三次"),
    ("zh", "长城宽带的安装师傅很准时"),
    ("zh", "小米手环的表带断了"),
    ("zh", "成都门店的服务员很热情"),
    ("zh", "APP下单很方便，物流也快"),
    ("zh", "2025-12-01 的订单还没退款"),
    ("en", "We visited the Great Wall and bought gifts at the Apple Store"),
    ("en", "Order 20251231000123 never arrived"),
    ("en", "Tracking number 1Z999AA10123456784 shows no update"),
    ("en", "Paid 12.99 on 2025-11-03 at 10:30, still waiting"),
    ("en", "Black Friday deals were great, delivery was slow"),
    ("en", "Customer Service was friendly and quick"),
    ("en", "The iPhone case from the Apple Store broke in 2 days"),
    ("en", "Great service, will buy again"),
    ("en", "Prime Day shipping took 5 days"),
    ("en", "Ordered 3 items, received 2"),
    ("en", "Five Star service at the London store"),
    ("en", "Waited 45 minutes on hold"),
    ("en", "The Hong Kong branch fixed my order"),
    ("en", "Invoice #458812 was wrong"),
    ("en", "Delivery On Time And Well Packed"),
    ("en", "Loved the WeChat Pay option at checkout"),
    ("en", "My Galaxy Buds arrived broken"),
    ("en", "Price went up 20% since March"),
    ("en", "Called support twice, no answer"),
    ("en", "The New Year sale was disappointing"),
    ("en", "Good value for money, the Christmas box was lovely"),
    ("en", "Will order again next month"),
    ("en", "Reference no. 88231 still open after a week"),
    ("en", "Support replied within 2 hours"),
    ("en", "Shipping from Shanghai took 9 days"),
]


def make_corpus(n_pii: int = 320, n_clean: int = 160, seed: int = 7) -> list[Record]:
    """``n_pii`` comments with one or two planted values (every kind equally often) and
    ``n_clean`` clean comments built on the traps (with a random tail so they differ).

    Examples
    --------
    >>> corpus = make_corpus(16, 4, seed=1)
    >>> len(corpus), sum(bool(r.planted) for r in corpus)
    (20, 16)
    """
    rng = random.Random(seed)
    makers = {
        "phone": lambda: _phone(rng),
        "id": lambda: (v := _resident_id(rng), (v,)),
        "card": lambda: (v := _card(rng), (v, v.replace(" ", ""))),
        "zh_name": lambda: _zh_name(rng),
        "en_name": lambda: _en_name(rng),
        "zh_address": lambda: _zh_address(rng),
        "en_address": lambda: _en_address(rng),
    }
    out: list[Record] = []
    for i in range(n_pii):
        kind = KINDS[i % len(KINDS)]
        language = "zh" if rng.random() < 0.5 else "en"
        if kind == "email":
            first, last = rng.choice(EN_FIRST), rng.choice(EN_LAST)
            if rng.random() < 0.3:
                first, last = "zhang", rng.choice(["wei", "na", "lei", "min"])
            value, parts = _email(rng, first, last)
        else:
            value, parts = makers[kind]()
        templates = (_ZH_TEMPLATES if language == "zh" else _EN_TEMPLATES)[kind]
        comment = rng.choice(templates).format(v=value)
        planted = [(kind, value, parts)]
        if rng.random() < 0.25:  # a second value of another kind in the same comment
            other = rng.choice([k for k in KINDS if k not in (kind, "email")])
            v2, p2 = makers[other]()
            extra = (" 另外 " if language == "zh" else " Also ") + rng.choice(
                (_ZH_TEMPLATES if language == "zh" else _EN_TEMPLATES)[other]
            ).format(v=v2)
            comment += extra
            planted.append((other, v2, p2))
        out.append(Record(comment, language, planted))
    tails_zh = ["", "，希望改进", "。", "，下次还会买", "，体验一般"]
    tails_en = ["", ".", ", please improve", " - overall ok", "!"]
    for i in range(n_clean):
        language, text = _CLEAN[i % len(_CLEAN)]
        tail = rng.choice(tails_zh if language == "zh" else tails_en)
        out.append(Record(text + tail, language))
    rng.shuffle(out)
    return out


def _digits(text: str) -> str:
    return "".join(c for c in text.translate(_FW) if c.isdigit())


_FW = str.maketrans("０１２３４５６７８９＠", "0123456789@")


def caught(kind: str, parts: tuple[str, ...], redacted: str) -> bool:
    """Whether none of a planted value's parts is left in the redacted text."""
    low = redacted.lower()
    for part in parts:
        if part.translate(_FW).lower() in low.translate(_FW):
            return False
        if (
            kind in ("phone", "id", "card")
            and len(_digits(part)) >= 7
            and _digits(part) in _digits(redacted)
        ):
            return False
    return True


def evaluate(corpus: list[Record], scans: list) -> dict:
    """Recall per kind, precision of the masks, and the share of clean comments withheld.

    ``scans`` are :class:`custops.ingest.redact.Redaction` results of the comments.
    """
    import re

    hit = dict.fromkeys(KINDS, 0)
    total = dict.fromkeys(KINDS, 0)
    tp = fp = 0
    clean = clean_unsure = pii_unsure = 0
    for record, done in zip(corpus, scans, strict=True):
        masks = len(re.findall(r"\[(?:phone|email|id|card|address|name)\]", done.text))
        for kind, _value, parts in record.planted:
            total[kind] += 1
            hit[kind] += caught(kind, parts, done.text)
        if record.planted:
            tp += min(masks, len(record.planted))
            fp += max(0, masks - len(record.planted))
            pii_unsure += done.is_unsure
        else:
            clean += 1
            fp += masks
            clean_unsure += done.is_unsure
    return {
        "recall": {k: hit[k] / total[k] for k in KINDS if total[k]},
        "n": total,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "clean_comments": clean,
        "clean_dropped_share": clean_unsure / clean if clean else 0.0,
        "pii_unsure_share": pii_unsure / (len(corpus) - clean),
    }
