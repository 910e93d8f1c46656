"""Understanding typed questions, session 12's intent pass (t22): the classes of intent misses fixed in the
s13_, s14_ and s15_ tuning part, one test each, with sentences written for the test (not copied from the
data)."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from bot.understand.parse import read, understand
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    "text",
    [
        # the share a claim pays, the rest paid out of pocket, a stay settled at discharge, how to claim
        ("门诊看病大概能报个百分之多少"),
        ("生孩子住院 医保报完我还得自己掏多少"),
        ("出院那天医保的钱怎么算"),
        ("住院花了一万 怎么报"),
    ],
)
def test_reimbursement_in_everyday_words(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": "reimbursement"}


@pytest.mark.parametrize(
    "text",
    [
        # cover back after a lapse, at once after paying, counted from a day
        ("断了三个月 补上以后多久能恢复"),
        ("今天刚交 可以立即用吗"),
        ("孩子的医保是从办好那天起算吗"),
    ],
)
def test_cover_start_in_everyday_words(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": "coverage_start"}


@pytest.mark.parametrize(
    "text",
    [
        # still in time before a date, a time limit to do it within, a late fee
        ("拖到下周五交 还来得及吗"),
        ("宝宝上户口后几天之内要把医保办了"),
        ("晚交了几个月 会不会有滞纳金"),
    ],
)
def test_deadline_in_everyday_words(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": "deadline"}


@pytest.mark.parametrize(
    "text",
    [
        # what a back payment costs
        ("断了半年 要补多少钱"),
        ("漏了两个月 补交大概多少钱"),
    ],
)
def test_cost_of_a_back_payment(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": "amount"}


@pytest.mark.parametrize(
    "text",
    [
        # whether one still pays, plainly or as A-not-A, and whether not paying is all right
        ("我爷爷八十五了 今年医保还交吗"),
        ("医保又涨了 明年还交不交"),
        ("下岗了 医保要不要接着交"),
        ("居民医保不交也可以吧"),
    ],
)
def test_whether_one_still_pays(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": "legal"}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # paid already and asked again: a double enrolment
        ("孩子在幼儿园交过了 社区又来收 还交吗", "duplicate"),
        # the money paid into the card
        ("卡里交的钱能取出来吗", "card"),
    ],
)
def test_paid_already_and_the_money_in_the_card(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": intent}


@pytest.mark.parametrize(
    "text",
    [
        # which way pays best asks how to pay, not the price
        ("我们夫妻俩都是自由职业 医保怎样交最划算"),
        # whom to pay asks where to pay, not for a number
        ("农村合作医疗 今年找谁交"),
        # unemployment pay ended: going on with the medical insurance
        ("失业金停了 医保咋交"),
        # several people at once
        ("爸妈两个人的医保能一起交吗"),
        # going on paying, asked how
        ("厂里不干了 医保怎么继续交"),
        ("单位交了五年 离职了自己续上怎么办理"),
    ],
)
def test_how_to_pay_in_everyday_words(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": "how_to_pay"}


def test_the_medical_insurance_alone_without_the_pension(catalog: Catalog) -> None:
    """The rules find a question with no intent, so the model decides: session 12's model read how to pay,
    session 13's retrained one whether one may leave the pension out (legal). Session 13's adjudicator
    held such a question either way (docs/understanding.md, "Evidence and speed"), so both are accepted;
    a guess stays visible."""
    text = "个体户可以只交医保不交养老吗"
    assert read(text, catalog, use_fallback=False)[0].intent is None
    u = understand(text, catalog)
    assert u.intent in ("how_to_pay", "legal") and u.intent_guessed


@pytest.mark.parametrize(
    "text",
    [
        # a record looked up, a stopped status though paid, a failed payment's money, an overcharge refunded
        ("上网查出来说我去年没交"),
        ("我明明交过了 怎么还是停保状态"),
        ("银行缴费失败 钱没退回卡里"),
        ("被扣了两遍 多的钱怎么退"),
    ],
)
def test_payment_troubles(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": "payment_status"}


@pytest.mark.parametrize(
    "text",
    [
        # besides an employer, enrolled in two places, the own payment to stop, enrolled and asked again
        ("厂里每个月都扣了医保 我还用另外交吗"),
        ("我好像在两处都参了医保 要注销一个吗"),
        ("新单位交着职工医保 我之前自己交的会不会自动停"),
        ("孩子在幼儿园参保了 老家还要交吗"),
    ],
)
def test_enrolled_twice_in_everyday_words(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": "duplicate"}


@pytest.mark.parametrize(
    "text",
    [
        # care in the home town or here when insured elsewhere, a birth away, the holidays at home, a referral
        ("我在老家看病 这边交的职工医保能用吗"),
        ("爸爸老家的医保 在这里看病能用不"),
        ("老家交的合作医疗 在杭州生孩子怎么报"),
        ("在外地上大学 放暑假回家医保能用吗"),
        ("跨省转诊要办什么手续"),
    ],
)
def test_care_away_in_everyday_words(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": "remote_care"}


@pytest.mark.parametrize(
    "text",
    [
        # 谁 asks: the last question (找谁) decides
        ("缴费期过了 想补交 找谁"),
        ("医保扣多了 该找谁"),
    ],
)
def test_asking_whom(catalog: Catalog, text: str) -> None:
    """The rules' reading: where the model is sure of the earlier clause (缴费期过了 想补交: a deadline, 0.5
    or more, hotline at most 0.1) the fallback overrules it, a guess kept visible as ``intent_guessed``."""
    u, doubt = read(text, catalog, use_fallback=False)
    assert (u.intent, doubt) == ("hotline", None)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # what a back payment costs
        ("欠了两年 要补多少钱", "amount"),
        # a pension drawn is a change of life, not a second enrolment (convention 14)
        ("我妈退休了 有养老金 医保还要交吗", "legal"),
        # an employer that does not pay says who pays: a statement, nothing asked
        ("我跑滴滴的 没有公司给交社保", None),
        # a cover cue before whose channel it is asks about paying that way
        ("能不能用我的微信帮我妈交", "how_to_pay"),
    ],
)
def test_back_payments_pensions_and_whose_channel(catalog: Catalog, text: str, intent: str | None) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": intent}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # a time limit to do it within
        ("孩子落户了 医保几天内要办好", "deadline"),
        # how long until usable, asked whole
        ("断缴以后补上 要多久才可以用", "coverage_start"),
        # the documents of a claim, the rate asked or compared
        ("去医保局报销要带啥", "reimbursement"),
        ("住院报多少比例", "reimbursement"),
        ("职工医保和居民医保报销比例一样吗", "reimbursement"),
        # what not paying costs a child
        ("不交医保 小孩以后上学受影响不", "legal"),
    ],
)
def test_time_limits_claims_and_schooling(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": intent}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # not paying set aside, then asked how to pay: the how-to question, not whether one must
        ("不交违不违法无所谓 问下怎么交", "how_to_pay"),
        ("不交罚不罚我不管 医保怎么交", "how_to_pay"),
        # not paying, then what to do: still about not paying
        ("今年不交医保 咋办", "legal"),
    ],
)
def test_not_paying_set_aside(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": intent}
