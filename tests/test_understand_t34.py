"""Understanding typed questions, session 15 (helper t34): the classes of intent misses fixed in the
s36_-s39_ tuning part, one test each, with sentences written for the test (not copied from the data).
The rules alone are tested: the fallback model, recalibrated by the lead, may still overrule some."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # the usual questions typed in pinyin, spaces or not
        ("wo de shebao ka diu le", "card"),
        ("buban yibaoka yao duojiu", "card"),
        ("xiaohai yibao duojiu keyi yong", "coverage_start"),
        ("jiaole yihou shenme shihou neng yong", "coverage_start"),
        ("yidi kanbing zenme baoxiao", "remote_care"),
        ("nongcun yanglao baoxian duoshao qian", "pension"),
        ("zhuyuan baoxiao bili shi duoshao", "reimbursement"),
        ("banli yibao yao dai shenme", "materials"),
        ("yibao duanjiao liang nian le", "deadline"),
        ("linghuo jiuye jishu you jige", "amount"),
        ("wo xiang tousu", "hotline"),
        ("yibao zai nali jiao", "how_to_pay"),
        ("haode", "ok"),
        ("zhidao le", "ok"),
    ],
)
def test_questions_in_pinyin(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": intent}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Wu small talk
        ("侬好呀", "greeting"),
        ("晓得额", "ok"),
        ("还有人在伐", "ping"),
        # whether one must still pay, or may not, in Cantonese and Wu (convention 14)
        ("我阿嫲七十几岁 医保使唔使交", "legal"),
        ("退休了医保可以勿交伐", "legal"),
        # an employer paying and whether to pay again, in Cantonese
        ("单位帮我交咗社保 仲使唔使自己再买医保", "duplicate"),
        # how long until cover, in Cantonese and in the south-west (好久 for 多久)
        ("买咗医保几耐可以用", "coverage_start"),
        ("居民医保交了好久能刷卡", "coverage_start"),
        # care back home and how to buy, in Cantonese
        ("我喺深圳交医保 返老家睇病点算", "remote_care"),
        ("个体户医保点买", "how_to_pay"),
    ],
)
def test_questions_in_dialect(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": intent}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # the step before or the choice just made, said wrong: going back
        ("回到前面一步", "back"),
        ("刚才那个选得不对", "back"),
        # what the state pays for a special group (全包, 全额代缴, 照顾政策): the amount
        ("五保户的医保是不是国家全包", "amount"),
        ("重度残疾人医保能全额代缴吗", "amount"),
        ("烈士家属交医保有没有照顾", "amount"),
    ],
)
def test_going_back_and_what_the_state_pays(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": intent}
