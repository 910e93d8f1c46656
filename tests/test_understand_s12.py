"""Understanding typed questions, session 10's third pass (issue 13): the classes of misses fixed in the
s12_ tuning part, one test each, with sentences written for the test (not copied from the data)."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from bot.understand.parse import Doubt, read, understand
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    "text",
    [
        # going home for care, the card used away, a filing's state asked, care during a stay away
        ("在苏州交的社保 回老家生病了怎么办"),
        ("医保卡到外省药店可以刷吗"),
        ("备案办了 怎么查有没有通过"),
        ("去三亚过冬 住院了医保怎么弄"),
        ("出差到成都生病了 看病能用医保吗"),
    ],
)
def test_care_away_from_home(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": "remote_care"}


@pytest.mark.parametrize(
    ("text", "region"),
    [
        # the place after 医保在 with a care word is where the care is (convention 19)
        ("江西的医保在浙江住院怎么报", "江西"),
        ("广东的医保在湖南看病能报吗", "广东"),
    ],
)
def test_insurance_of_one_place_care_in_another(catalog: Catalog, text: str, region: str) -> None:
    u = fields_of(text, catalog, ("intent", "region"))
    assert u["intent"] == "remote_care"
    assert u["region"] == catalog.alias_index[region]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # care before joining or right after paying: when cover starts
        ("上周刚住院 现在交医保还能报吗", "coverage_start"),
        ("今天交了 下个月看病能报不", "coverage_start"),
        ("宝宝出生时的费用 补上医保能报吗", "coverage_start"),
        # a treatment named, or the money of a claim: reimbursement
        ("交了职工医保 补牙能报吗", "reimbursement"),
        ("报销的钱多久能打到卡上", "reimbursement"),
    ],
)
def test_cover_against_reimbursement(catalog: Catalog, text: str, intent: str) -> None:
    """The rules' reading: reimbursement and cover tie on 交了职工医保 补牙能报吗, and session 15's arbiter
    takes the model's cover (0.88), a wrong guess it makes visible (``intent_guessed``)."""
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": intent}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # one payment debited twice is a trouble with the payment
        ("支付宝上交医保 扣了两次", "payment_status"),
        ("银行卡被重复扣了 怎么回事", "payment_status"),
        # paying twice oneself, or an employer paying too, is a double enrolment
        ("医保交了两次 能退一个吗", "duplicate"),
        ("我自己交了居民医保 单位又补交了 咋办", "duplicate"),
        ("公司给交了 我还必须交居民医保吗", "duplicate"),
    ],
)
def test_paid_twice(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": intent}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # another insurance asked about and no medical one named: pension, whatever is asked of it
        ("不交养老保险会被罚款吗", "pension"),
        ("公积金的缴费记录在哪查", "pension"),
        # with the medical insurance named the question decides as before
        ("交了养老保险 医保缴费记录在哪查", "payment_status"),
    ],
)
def test_another_insurance_asked_about(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": intent}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # a time missed, then whether one may still pay
        ("错过了缴费时间 在网上还能交吗", "deadline"),
        ("这个月没交 下个月可以一起交吗", "deadline"),
        # a paper slip of a payment lost
        ("交现金的小票找不到了 怎么办", "payment_status"),
        ("收据丢了 能补一张吗", "payment_status"),
    ],
)
def test_missed_times_and_lost_slips(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": intent}


def test_people_paid_for_together_is_no_deadline_question(catalog: Catalog) -> None:
    """The rules read how to pay from general words alone (a ``weak`` doubt). Session 12's model guessed a
    second payment here (a wrong guess, visible as ``intent_guessed``); session 13's retrained model
    keeps the rules' answer. Either way it is no deadline question."""
    u, doubt = read("两个孩子能一起交吗", catalog, use_fallback=False)
    assert (u.intent, doubt) == ("how_to_pay", Doubt("weak"))
    assert understand("两个孩子能一起交吗", catalog).intent != "deadline"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # the bot addressed as 客服 asks for no number
        ("好的 感谢客服", "thanks"),
        ("客服你好 医保在哪交", "how_to_pay"),
        # a request to the bot to tell reports nothing: the last question decides (convention 8)
        ("门诊报多少 你告诉我在哪交", "how_to_pay"),
    ],
)
def test_the_bot_addressed(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": intent}


@pytest.mark.parametrize("text", ["帮我老汉儿交医保", "屋里老汉的医保咋个交"])
def test_sichuan_words_for_a_father(catalog: Catalog, text: str) -> None:
    who = fields_of(text, catalog, ("who",))["who"]
    assert isinstance(who, tuple) and who[0] == "parent"


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        # a hall collecting by force is named in passing
        ("社区强制收医保 这合法吗", None),
        ("村里强行收新农合 找谁", None),
        # a hall chosen is still chosen
        ("去社区交医保要带什么", "hall"),
    ],
)
def test_a_hall_collecting_by_force(catalog: Catalog, text: str, channel: str | None) -> None:
    assert fields_of(text, catalog, ("channel",)) == {"channel": channel}
