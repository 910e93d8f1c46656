"""Understanding typed questions, session 14 (helper t28): the classes of intent misses fixed in the
s24_-s27_ tuning part, one test each, with sentences written for the test (not copied from the data)."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    "text",
    [
        # a report to make is a hotline question, as a complaint is: where to report outweighs the trouble told
        ("社区的人挨家挨户逼着交医保 我要举报"),
        ("有人冒充税务局收医保钱 想举报"),
        ("乡里硬性要求交新农合 怎么举报"),
    ],
)
def test_a_report_to_make_asks_for_a_number(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": "hotline"}


@pytest.mark.parametrize(
    "text",
    [
        # both enrolments asked whether to pay: a double enrolment, not another insurance named (五险)
        ("单位交了五险 村里又要收合作医疗 两边都要交吗"),
        ("学校收了学生医保 老家也在收 两个都得交吗"),
    ],
)
def test_both_asked_whether_to_pay_is_a_double_enrolment(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": "duplicate"}


@pytest.mark.parametrize(
    "text",
    [
        # whether every one paid for went through is a status question, not two enrolments (都交了)
        ("爷爷奶奶的新农合都交了吗"),
        ("孩子和我的医保都交上了吗"),
    ],
)
def test_whether_all_were_paid_asks_the_status(catalog: Catalog, text: str) -> None:
    # the rules alone: the model overrules the first towards a double enrolment
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": "payment_status"}


@pytest.mark.parametrize(
    "text",
    [
        # one account shared to pay is no personal account (个账)
        ("我跟我妈的医保能在同一个账户上交吗"),
        ("两个孩子的医保能在一个账号里交吗"),
    ],
)
def test_one_account_to_pay_with_is_no_personal_account(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": "how_to_pay"}


@pytest.mark.parametrize(
    "text",
    [
        # a question already asked or a way already tried is no missed time (过了)
        ("在税务局窗口问过了 说要在手机上交 怎么弄"),
        ("微信试过了 支付宝上怎么交"),
    ],
)
def test_something_already_asked_is_no_missed_time(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": "how_to_pay"}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # settled (就这样) is an acknowledgement; a count of people asked about calls nobody (人呢)
        ("那就这样吧", "ok"),
        ("行 就这样", "ok"),
        ("那我们三个人呢", None),
        ("爸妈两个人呢", None),
        # calling for someone still is
        ("人呢", "ping"),
    ],
)
def test_small_talk_of_settling_and_counts(catalog: Catalog, text: str, intent: str | None) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": intent}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # a word of switching between two schemes (转成, 改成) gives one up for the other: how to pay
        ("交的居民医保想转成职工医保怎么办理", "how_to_pay"),
        ("之前是城乡居民医保 现在改成灵活就业的职工医保 在哪办", "how_to_pay"),
        # two schemes held at once still are a double enrolment
        ("职工医保和居民医保能同时交吗", "duplicate"),
    ],
)
def test_a_switch_of_scheme_is_no_double_enrolment(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": intent}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # whether the insurance pays, asked of care away from the insured place, is remote care (convention 19)
        ("女儿在外省读书 发烧了在那边医院看病 家里交的新农合能报吗", "remote_care"),
        ("办了异地备案 回参保地住院还能报吗", "remote_care"),
        # with no care away, when cover starts stays the question
        ("交完医保多久能报", "coverage_start"),
    ],
)
def test_whether_care_away_is_paid_is_remote_care(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": intent}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # a new card waited for is the card, not a document to bring
        ("医保卡办下来要多久才能领到手", "card"),
        ("新办的医保卡几天能拿到", "card"),
        ("要不要带社保卡", "materials"),
    ],
)
def test_a_new_card_waited_for_is_the_card(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": intent}


@pytest.mark.parametrize(
    "text",
    [
        # the office to pay at asks where to pay, not for a number
        ("灵活就业医保该找什么部门交"),
        ("学生医保去哪个部门交啊"),
    ],
)
def test_the_office_to_pay_at_asks_how_to_pay(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": "how_to_pay"}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # how to join a lapse up again (接上, 续上) asks about the lapse named before
        ("失业以后医保中断了 怎么接上", "deadline"),
        ("断缴了半年 咋续上", "deadline"),
        # on one's own, or going on paying, still asks how to pay
        ("医保断了 能不能自己接上", "how_to_pay"),
        ("刚被裁员 医保断了 怎么接着交", "how_to_pay"),
    ],
)
def test_joining_a_lapse_up_again_asks_about_the_lapse(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": intent}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # whether one still can pay after a missed time asks about the missed time
        ("错过了缴费期 在网上还能交吗", "deadline"),
        ("孩子的医保过期了没交 现在去大厅还可以交吗", "deadline"),
    ],
)
def test_still_paying_after_a_missed_time_asks_the_deadline(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": intent}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # a base told and a way to pay chosen, with no question, is how to pay (convention 7)
        ("基数4000 支付宝交", "how_to_pay"),
        ("灵活就业 按5000的基数 用微信交", "how_to_pay"),
        # the base alone, or with a channel and no pay verb, still starts the calculator
        ("基数4000", "amount"),
        ("基数4000 微信", "amount"),
    ],
)
def test_a_base_told_with_a_way_chosen_asks_how_to_pay(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": intent}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # the papers of care away from the insured place are those of remote care
        ("我在杭州上班 医保在杭州 下个月回江西老家住院 要准备什么材料", "remote_care"),
        # the papers of paying or of a claim where one is insured are not
        ("参保登记要带什么材料", "materials"),
    ],
)
def test_the_papers_of_care_away_are_remote_care(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",)) == {"intent": intent}
