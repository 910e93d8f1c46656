"""Understanding typed questions, session 10 (issue 13): the classes of misses fixed, one test each."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.catalog.catalog import Catalog
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        # a thousands separator, half- or full-width, is part of the figure
        ("基数6,500元 一个月交多少", Decimal(6500)),
        ("按12，000的基数算", Decimal(12000)),
        ("工资3,800块", Decimal(3800)),
        ("一年交1,050.5元", Decimal("1050.5")),
    ],
)
def test_a_thousands_separator_keeps_the_figure_whole(catalog: Catalog, text: str, amount: Decimal) -> None:
    assert fields_of(text, catalog, ("amount",)) == {"amount": amount}


@pytest.mark.parametrize(
    ("text", "people"),
    [
        # a household counted by its mouths, an old couple, the user with a spouse and a child
        ("四口之家的居民医保怎么交", 4),
        ("老两口都在农村 医保交多少", 2),
        ("一家两口的医保", 2),
        ("我和老公孩子都要交医保", 3),
        # a count right before or after a person word
        ("给三个外孙交医保", 3),
        ("外孙外孙女两个 在哪交", 2),
        # an age or a time after a person word is no count
        ("孩子两个月 能交医保吗", None),
        ("孙女3岁 医保怎么交", None),
    ],
)
def test_people_counted_with_family_words(catalog: Catalog, text: str, people: int | None) -> None:
    assert fields_of(text, catalog, ("people",)) == {"people": people}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a slot named after a correction word replaces the one before, which is refused
        ("长沙 不对 是株洲", {"region": "430000", "place": "株洲市", "rejected": (("region", "430100"),)}),
        ("我在泉州 说错了 在福州", {"region": "350100", "rejected": (("region", "350000"),)}),
        ("用支付宝 打错了 用微信", {"channel": "wechat", "rejected": (("channel", "alipay"),)}),
        ("是株洲不是长沙", {"region": "430000", "rejected": (("region", "430100"),)}),
        # a province before its own city is narrowed, not refused; 对不对 asks
        ("湖南 打错了 长沙", {"region": "430100", "rejected": ()}),
        ("长沙交对不对 微信能交吗", {"region": "430100", "channel": "wechat", "rejected": ()}),
    ],
)
def test_a_correction_replaces_the_slot_named_before(
    catalog: Catalog, text: str, expected: dict[str, object]
) -> None:
    assert fields_of(text, catalog, expected) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # told not to go to or use a way: the way is refused
        ("别去大厅了 用支付宝吧", {"channel": "alipay", "rejected": (("channel", "hall"),)}),
        ("别在微信上交 去银行", {"channel": "bank", "rejected": (("channel", "wechat"),)}),
        ("不想在支付宝交", {"channel": None, "rejected": (("channel", "alipay"),)}),
        # no way in: the way did not work (a switch to another with no pay verb asks nothing, convention 16)
        ("微信里找不到入口了 客服让去税务app交 税务app怎么交", {"channel": "tax", "intent": "how_to_pay"}),
        ("支付宝没有入口了 还是去大厅吧", {"channel": "hall", "intent": None}),
        # a debit asked about asks how to pay
        ("银行卡扣可以吗", {"channel": "bank", "intent": "how_to_pay"}),
        ("医保费能代扣吗", {"intent": "how_to_pay"}),
    ],
)
def test_a_way_told_not_to_is_refused_and_a_debit_asks_how(
    catalog: Catalog, text: str, expected: dict[str, object]
) -> None:
    assert fields_of(text, catalog, expected) == expected


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # whether one must still pay at all (convention 14), also asked as A-not-A
        ("我妈七十多了 还用交吗", "legal"),
        ("退休以后医保还要不要交", "legal"),
        ("医保还用不用每年交", "legal"),
        # a payment or an enrolment named elsewhere makes it a second payment
        ("老家交了新农合 这边还要不要交", "duplicate"),
        ("公司已经给上了 自己还用交吗", "duplicate"),
    ],
)
def test_must_one_still_pay_is_legal_unless_paid_elsewhere(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": intent}


@pytest.mark.parametrize(
    "text",
    [
        # a receipt lost or to print again
        "缴费回执丢了 能补吗",
        "收据不见了 可以补打吗",
        # still shown as unpaid after paying, or a payment that did not go through
        "钱付了 状态还是未缴费",
        "app上显示未参保 明明交了",
        "昨天交了没成功",
        "扣了钱 是不是没交上",
    ],
)
def test_receipts_and_an_unpaid_status_ask_payment_status(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": "payment_status"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # X的医保 names the insured place in a care question; care sought elsewhere is remote care
        ("我是郑州的医保 在北京住院能报吗", {"region": "410100", "intent": "remote_care"}),
        ("我是长沙的医保 去三亚旅游生病了能用吗", {"region": "430100", "intent": "remote_care"}),
        # the place one works in is insured when care is sought at another
        ("在深圳上班 回湖南老家看病能报吗", {"region": "440300", "intent": "remote_care"}),
        # a place of care the user is at names no insured region when the insurance is an unnamed one
        ("人在上海住院 老家交的医保能用吗", {"region": None, "intent": "remote_care"}),
        # care where one is insured stays reimbursement
        ("在长沙住院怎么报销", {"region": "430100", "intent": "reimbursement"}),
    ],
)
def test_care_away_from_the_insured_place_is_remote_care(
    catalog: Catalog, text: str, expected: dict[str, object]
) -> None:
    assert fields_of(text, catalog, expected) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a shop of one's own is an occupation (flexible) and names no person (convention 17)
        ("做理发 自己的店 医保怎么交", {"identity": "flexible", "who": ()}),
        ("自己开了个小吃店 交医保", {"identity": "flexible", "who": ()}),
        # 我自己 names the user; 自己的医保 is no shop one character off
        ("我自己的医保在哪交", {"identity": None, "who": ("self",)}),
        ("给自己交了 什么时候能用", {"identity": None, "who": ("self",)}),
    ],
)
def test_a_shop_of_ones_own_names_no_person(catalog: Catalog, text: str, expected: dict[str, object]) -> None:
    assert fields_of(text, catalog, expected) == expected


@pytest.mark.parametrize(
    "text",
    [
        # an employer that does not insure, in other words
        "雇主没交社保 医保怎么交",
        "在工地干活 老板没给买社保",
        "店里没社保 想自己交医保",
        # trades without an employer
        "我是做导游的 医保怎么交",
        "平时接跑腿的单 医保在哪交",
    ],
)
def test_no_insurance_from_the_employer_or_a_trade_means_flexible(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("identity",)) == {"identity": "flexible"}


def test_an_employer_not_paying_asks_nothing_legal(catalog: Catalog) -> None:
    assert fields_of("雇主不交社保 医保自己怎么交", catalog, ("intent",)) == {"intent": "how_to_pay"}


@pytest.mark.parametrize(
    "text",
    [
        # a way named as a workplace, a job, savings, a message or a card chooses no channel
        "我姐在银行柜台上班 我的医保怎么交",
        "我做微信推广的 医保怎么交",
        "在农行存了钱 医保交多少",
        "收到税务局的短信 让交医保 交多少",
        "微信里的医保卡能用 今年交多少",
    ],
)
def test_a_way_named_in_passing_chooses_no_channel(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("channel",)) == {"channel": None}


@pytest.mark.parametrize(
    ("text", "channel"),
    [("去银行柜台交", "bank"), ("微信上的医保怎么交", "wechat"), ("在村委会交新农合", "hall")],
)
def test_a_way_to_pay_at_is_still_chosen(catalog: Catalog, text: str, channel: str) -> None:
    assert fields_of(text, catalog, ("channel",)) == {"channel": channel}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # when care is paid by the insurance, asked with a time word, and a start named
        ("刚交上 什么时候能去医院用医保看病", {"intent": "coverage_start"}),
        ("啥时候可以拿医保卡看病", {"intent": "coverage_start"}),
        ("居民医保几月开始生效", {"intent": "coverage_start"}),
        ("交完医保多久生校", {"intent": "coverage_start"}),
        # a child just born is the newborn
        ("孩子刚生下来 医保怎么办", {"who": ("newborn",)}),
        ("宝贝还没满月 能上医保吗", {"who": ("newborn",)}),
    ],
)
def test_cover_asked_with_a_time_word_and_a_child_just_born(
    catalog: Catalog, text: str, expected: dict[str, object]
) -> None:
    """The rules' reading. Session 13's model (7,599 messages) overrules 啥时候可以拿医保卡看病 to a card
    question (the card's n-grams weigh more than the time word): a wrong overrule, kept visible as
    ``intent_guessed``; the overrule gains more than such guesses lose (docs/understanding.md, convention 8)."""
    assert fields_of(text, catalog, expected, use_fallback=False) == expected


@pytest.mark.parametrize(
    ("text", "region"),
    [
        # where one pays, named with a pay word, beats a place of work or a home named elsewhere
        ("单位在长沙 想给我爸在株洲交医保", "430000"),
        ("公司在广州 户口在湛江 给孩子在湛江交", "440000"),
        # a place where one paid before gives way too; a place told by someone else does not win
        ("在深圳交了三年 今年想回长沙交", "430100"),
        ("听同事说东莞交医保便宜 我在中山 中山多少钱", "442000"),
    ],
)
def test_where_one_pays_beats_a_place_named_otherwise(catalog: Catalog, text: str, region: str) -> None:
    assert fields_of(text, catalog, ("region",)) == {"region": region}
