"""Understanding typed questions, session 12's intent pass (t22): the classes of intent misses fixed in the
s13_, s14_ and s15_ tuning part, one test each, with sentences written for the test (not copied from the
data)."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
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
