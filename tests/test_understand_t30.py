"""Understanding typed questions, session 15 (helper t30): the classes of intent misses fixed in the
s28_-s31_ tuning part, one test each, with sentences written for the test (not copied from the data)."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    "text",
    [
        # a pension named as background (none drawn, the age not reached, the pension paying) asks no pension
        ("我爸退休金没有 他的医保在哪交"),
        ("还没到退休年龄 厂子关了 医保怎么自己交"),
        ("爸爸退休了 医保能从退休金里扣吗"),
        ("老两口一分钱退休金都没有 居民医保去哪交"),
    ],
)
def test_a_pension_named_as_background_asks_how_to_pay(catalog: Catalog, text: str) -> None:
    # the rules alone: the model, trained before, may still guess the pension
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": "how_to_pay"}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # the medical insurance alone asked about (只想交医保, 不想交养老): the pension named is left out
        ("养老跟医保可以分开吗 我只想交医保", "how_to_pay"),
        ("个体户 不想交养老 医保怎么单独交", "how_to_pay"),
        ("养老保险先不交 能不能单独交医保", "how_to_pay"),
        # the pension alone chosen stays a pension question
        ("养老和医保可以分开吗 我只想交养老", "pension"),
    ],
)
def test_the_medical_insurance_alone_is_no_pension_question(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": intent}


@pytest.mark.parametrize(
    "text",
    [
        # the tier to pay at (档), a discount, the price asked with 好多 after a period: how much
        ("做微商的 医保选哪一档划得来"),
        ("灵活就业医保最低的档是几百"),
        ("医保交三年能打折不"),
        ("新农合一个月交好多哦"),
    ],
)
def test_a_tier_or_a_discount_asks_the_amount(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": "amount"}


@pytest.mark.parametrize(
    "text",
    [
        # whether one may stop paying, refuse, or be held to account for a lapse: whether paying is compulsory
        ("今年手头紧 新农合可以停交吗"),
        ("失业了 医保停一段时间行不行"),
        ("村干部天天上门催 医保可以拒绝不"),
        ("好几年没交医保了 以后会被追究责任吗"),
    ],
)
def test_stopping_refusing_or_being_held_to_account_is_legal(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": "legal"}


@pytest.mark.parametrize(
    "text",
    [
        # the other enrolment to stop, one of two to choose, urged again after paying, both debiting: two enrolments
        ("去了新公司 公司给上了医保 原来自己交的是不是要停"),
        ("职工医保和居民医保只能选一个吧"),
        ("孩子在幼儿园交过医保了 村里又来催 咋回事"),
        ("打零工时自己交着 现在厂里也交 两边都扣 怎么处理"),
    ],
)
def test_stopping_the_other_or_choosing_one_of_two_is_a_double_enrolment(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": "duplicate"}


@pytest.mark.parametrize(
    "text",
    [
        # who paid a payment found made, proof of it kept, money gone after a failure: a payment's status
        ("想给我爸交医保 系统说已经交过了 谁帮交的"),
        ("微信交完医保要不要留个底"),
        ("缴费页面卡住了 卡里的钱少了 医保交上没"),
    ],
)
def test_who_paid_or_proof_kept_asks_the_status(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": "payment_status"}


@pytest.mark.parametrize(
    "text",
    [
        # a newborn's registration or identity number not there yet, or what is required: documents
        ("闺女才出生十天 户口还没上 能先办医保吗"),
        ("宝宝还没落户 能先在支付宝上交医保吗"),
        ("小孩没有身份证 交医保咋整"),
        ("摆地摊的 交灵活就业医保有什么要求"),
    ],
)
def test_a_missing_document_or_a_requirement_asks_the_materials(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": "materials"}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # a lapse, a postponement, a gap between two payers, a back payment as a condition: the deadline
        ("医保被停保了 还能重新交上吗", "deadline"),
        ("今年实在交不起 新农合可以缓缴不", "deadline"),
        ("换工作中间空一个月 医保咋样才能不断档", "deadline"),
        ("医保断了两年 要补的话上哪办", "deadline"),
        # its cost or base asked after it is the amount
        ("前几年没交 补的话要多少钱", "amount"),
        ("医保补缴按什么基数算", "amount"),
    ],
)
def test_a_lapse_or_a_postponement_asks_the_deadline(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": intent}


@pytest.mark.parametrize(
    "text",
    [
        # how to reach an office asks for a number or a contact
        ("县里的医保中心怎么联系啊"),
        ("税务局那边咋联系 想问下医保的事"),
    ],
)
def test_how_to_reach_an_office_is_a_hotline_question(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": "hotline"}


@pytest.mark.parametrize(
    "text",
    [
        # paying in parts with a sum named, whom to hand it to, a debit set up again, all enrolled, moved home
        ("一家五口医保两千多 能不能分几次交"),
        ("新农合三百八一个人 交给村会计吗 还是交给谁"),
        ("以前的银行代扣停了 想重新开通"),
        ("爷爷奶奶的医保都要办"),
        ("在外地干了十年 医保想转回老家"),
    ],
)
def test_paying_in_parts_or_handing_it_over_asks_how_to_pay(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": "how_to_pay"}


@pytest.mark.parametrize(
    "text",
    [
        # care across a province line, or in a home-town hospital, with a claim or its papers: remote care
        ("跨省看病回来 报销要等多久"),
        ("孩子过年在老家医院挂了急诊 我们在佛山交的医保能报吗"),
        ("异地长期居住备案 要带什么证件"),
    ],
)
def test_care_across_a_border_or_its_papers_is_remote_care(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": "remote_care"}


@pytest.mark.parametrize(
    "text",
    [
        # care right after paying, asked whether it is paid, and at once or after a wait: when cover starts
        ("新农合刚交上 隔天就住院了 这能报吗"),
        ("居民医保交了第二天孩子就住院了 能报不"),
        ("今天交的医保 是立马能用还是得等"),
    ],
)
def test_care_right_after_paying_asks_when_cover_starts(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": "coverage_start"}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # another insurance in short is out of scope (pension); an accident cover an employer bought is background
        ("生育险一个月交多少钱", "pension"),
        ("重疾险有必要买吗", "pension"),
        ("厂里只给买了意外险 医保我怎么自己交", "how_to_pay"),
        # a card locked is the card
        ("社保卡锁卡了 怎么解锁", "card"),
        # told one need not pay any more, asked with 是不是: whether paying is compulsory
        ("在领低保 医保是不是不用再交了", "legal"),
    ],
)
def test_other_insurance_a_locked_card_and_no_need_to_pay(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": intent}


@pytest.mark.parametrize(
    "text",
    [
        # a collector asked, where to register, which scheme to pay: how to pay
        ("今年社区还挨家挨户收吗"),
        ("第一次参保 去哪登记"),
        ("我开了个修车铺 营业执照有 医保该交哪种"),
    ],
)
def test_a_collector_registering_or_which_scheme_asks_how_to_pay(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": "how_to_pay"}
