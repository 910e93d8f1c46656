"""Understanding typed questions, session 13's intent pass (t23): the classes of intent misses fixed in the
s16_ to s19_ tuning part, one test each, with sentences written for the test (not copied from the
data)."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # someone on duty or alive, no answer for a while, the message received
        ("请问有人在没", "ping"),
        ("现在有人值班吗", "ping"),
        ("到底有没有活人", "ping"),
        ("发了半天不回", "ping"),
        ("我发的消息你能收到吗", "ping"),
        # dialect and spoken forms of "got it"
        ("嗯哪", "ok"),
        ("晓得啦", "ok"),
        ("中", "ok"),
        # a greeting or an acknowledgement leads in to other small talk
        ("您好 有人在不", "ping"),
        ("嗯嗯 知道了 多谢", "thanks"),
        # a one-character word inside another stays no small talk
        ("中山", None),
    ],
)
def test_small_talk_in_everyday_words(catalog: Catalog, text: str, intent: str | None) -> None:
    assert fields_of(text, catalog, ("intent",))["intent"] == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # the personal account in short, what goes into it each month, what is left in it
        ("个账的钱能给家里人用吗", "card"),
        ("职工医保每个月往个人账户划多少", "card"),
        ("个账里的钱还剩多少", "card"),
        # the age of retirement
        ("延迟退休以后女的几岁退", "pension"),
        ("我的退休年龄怎么算", "pension"),
        # a payment that failed, in other words
        ("支付宝付款失败了 钱被扣了", "payment_status"),
        # the share a claim pays, asked with 多少
        ("门诊看病报销百分之多少", "reimbursement"),
        # which office to ask
        ("这种情况该找什么部门咨询", "hotline"),
        # the details of the insured asked for
        ("帮朋友交居民医保 需要知道他哪些信息", "materials"),
        # a message that an ID was refused is no question of documents
        ("交的时候提示身份信息不符 怎么交", "how_to_pay"),
    ],
)
def test_out_of_scope_and_documents_in_everyday_words(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",))["intent"] == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # the sum a month, a back payment's cost weighed, a reduction asked
        ("灵活就业每个月多少", "amount"),
        ("停了一年 现在补缴贵不贵", "amount"),
        ("残疾人交医保有减免吗", "amount"),
        # still in time, a last day named with still paying, a gap to make up
        ("这个月交还来得及不", "deadline"),
        ("后天就截止了 支付宝还能交吗", "deadline"),
        ("中间断了两个月 怎么补上", "deadline"),
        # all at once or in parts, joining up, a collector asked, paying here after moving
        ("爸妈的医保能一次交完吗", "how_to_pay"),
        ("学生医保能不能分期", "how_to_pay"),
        ("辞职了 医保要怎么接上", "how_to_pay"),
        ("村里还收不收医保", "how_to_pay"),
        ("户口迁过来了 这里咋交", "how_to_pay"),
        # the other enrolment to stop
        ("单位给上了医保 以前交的居民医保要停吗", "duplicate"),
    ],
)
def test_money_time_and_ways_in_everyday_words(catalog: Catalog, text: str, intent: str) -> None:
    """The rules' reading: the model may guess otherwise on a short message (session 14's model reads
    学生医保能不能分期 as cover)."""
    assert fields_of(text, catalog, ("intent",), use_fallback=False)["intent"] == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # insured at home, care here; the insurance used away from home
        ("老家交的新农合 在深圳住院能报吗", "remote_care"),
        ("我爸老家的医保 来杭州看病能不能用", "remote_care"),
        ("人在外地 医保怎么用", "remote_care"),
        # counted from the start again after a lapse: a question, not the command to start again
        ("断了 以前交的年限要从头开始算吗", "coverage_start"),
        ("断缴半年 要从头算吗", "coverage_start"),
        ("停了又交 是不是重新计算", "coverage_start"),
    ],
)
def test_care_here_when_insured_at_home_and_counting_again(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",))["intent"] == intent


@pytest.mark.parametrize("text", ["从头开始", "重新开始 我在长沙"])
def test_starting_again_is_still_a_command(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("command",)) == {"command": "restart"}
