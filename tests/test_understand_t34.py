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
