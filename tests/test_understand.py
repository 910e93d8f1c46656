"""Understanding typed questions: accuracy on the labelled phrasings, and the rules one by one."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.catalog.catalog import Catalog
from bot.catalog.loader import load_catalog
from bot.catalog.models import INTENTS
from bot.errors import FlowError
from bot.pages.answers import pending_question
from bot.understand import lexicon_for, understand
from bot.understand.evaluate import FIELDS, evaluate, held_out, load_cases, load_dir
from bot.understand.report import format_score
from bot.understand.report import main as report_main
from tests.helpers.trees import flows_tree
from tests.helpers.understood import fields_of

DATA = Path(__file__).parent / "data"
THRESHOLD = 0.95


@pytest.fixture(scope="module")
def score(catalog: Catalog):
    return evaluate(load_cases(DATA / "nlu_cases.yaml", catalog), catalog)


@pytest.fixture(scope="module")
def classes(catalog: Catalog):
    """The phrasings written per class (tests/data/nlu/), split into the tuning and the held-out part."""
    cases = load_dir(DATA / "nlu", catalog)
    return [c for c in cases if not held_out(c)], [c for c in cases if held_out(c)]


def test_data_set_is_large_and_covers_every_intent(score, classes) -> None:
    assert len(score.cases) >= 200
    every = [*score.cases, *classes[0], *classes[1]]
    assert len(every) >= 1000
    labelled = {c.expected["intent"] for c in every}
    assert set(INTENTS) <= labelled
    for f in ("identity", "region", "channel", "amount", "who", "people"):
        assert sum(c.expected[f] is not None for c in every) >= 20, f
    assert 0.25 <= len(classes[1]) / (len(classes[0]) + len(classes[1])) <= 0.35


# The issue's bar on the held-out part is 97 % per slot and 95 % of messages fully right; ``make
# nlu-report`` prints where it stands. These floors, just under the figures measured, only guard against
# regressions: the held-out part is never tuned on, so its misses are not fixed one by one. The files of
# the fourth pass (s4_*: written by another helper without reading the rules; n4_*: written before the
# rules read them) and of the fifth (s5_*: written by another helper without reading the rules or the
# data, added after the fifth pass's rules; s6_*: the same, session 6; s8_*: the same, session 8; s9_* to
# s39_*: the same, each a calibration pass for the fallback before it was tuned on) are harder than the
# older ones, so the older files keep their own, higher floor. With the statistical fallback on (session
# 8, n13g): held-out intent 93.8 -> 94.6 %, every field 88.6 -> 89.4 %; the 121 held-out messages of s9_
# then took intent to 94.5 %.
# Since then the held-out part grew with s10_ to s39_ (5,365 messages; sessions 13 to 15 audited every
# label blind and adjudicated the disputes); the figures after each step are in docs/understanding.md
# ("Evidence and speed", sessions 9 to 15), the latest: identity 96.6 %, channel 97.6 %, intent 94.9 %
# (88.3 % with the fallback off), who 98.1 %, every field 87.3 %.
HELD_OUT_FLOOR = {"intent": 0.948, "all": 0.870, "channel": 0.975, "identity": 0.964, "who": 0.978}
OLDER_FILES_FLOOR = {"intent": 0.935, "all": 0.910, "channel": 0.984, "identity": 0.979}
FOURTH_PASS_FILES = (
    "s4_",
    "s4b_",
    "n4_",
    "s5_",
    "s6_",
    "s8_",
    "s9_",
    "s10_",
    "s11_",
    "s12_",
    "s13_",
    "s14_",
    "s15_",
    "s16_",
    "s17_",
    "s18_",
    "s19_",
    "s20_",
    "s21_",
    "s22_",
    "s23_",
    "s24_",
    "s25_",
    "s26_",
    "s27_",
    "s28_",
    "s29_",
    "s30_",
    "s31_",
    "s32_",
    "s33_",
    "s34_",
    "s35_",
    "s36_",
    "s37_",
    "s38_",
    "s39_",
)


def test_held_out_classes(catalog: Catalog, classes) -> None:
    held = evaluate(classes[1], catalog)
    older = evaluate([c for c in classes[1] if not c.source.startswith(FOURTH_PASS_FILES)], catalog)
    for score, floor in ((held, HELD_OUT_FLOOR), (older, OLDER_FILES_FLOOR)):
        low = [f for f in FIELDS if score.accuracy(f) < floor.get(f, 0.97)]
        assert not low and score.all_right() >= floor["all"], (len(score.cases), low)  # no texts: held out


@pytest.mark.parametrize("field", FIELDS)
def test_accuracy_per_slot(score, field: str) -> None:
    misses = [(c.text, c.expected[field], got) for c, got in score.misses(field)]
    assert score.accuracy(field) >= THRESHOLD, misses


def test_accuracy_per_intent(score) -> None:
    low = {k: v for k, v in score.per_intent().items() if v[1] < THRESHOLD or v[2] < THRESHOLD}
    assert not low, (low, [(c.text, c.expected["intent"], g) for c, g in score.misses("intent")])


def test_holdout_accuracy_per_slot(catalog: Catalog) -> None:
    held = evaluate(load_cases(DATA / "nlu_holdout.yaml", catalog), catalog)
    for field in FIELDS:
        assert held.accuracy(field) >= THRESHOLD, (field, held.misses(field))


def test_issue_examples(catalog: Catalog) -> None:
    u = understand("我是灵活就业人员,在长沙,想用微信交医保怎么操作?", catalog)
    assert (u.identity, u.region, u.channel, u.intent) == ("flexible", "430100", "wechat", "how_to_pay")
    u = understand("基数5000每月交多少", catalog)
    assert (u.intent, u.amount) == ("amount", Decimal(5000))
    assert understand("交了医保交不了社保怎么回事", catalog).intent == "duplicate"
    assert understand("首次缴纳多久能用", catalog).intent == "coverage_start"


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("基数4千2", 4200),
        ("月薪1万2", 12000),
        ("打95588", None),
        ("95566", None),
        ("电话12345", None),
        ("基数13800", 13800),
        ("5000块", 5000),
        ("基数一万二一个月交多少", 12000),
        ("基数是叁仟伍佰", 3500),  # financial numerals
        ("交了叁佰捌拾元", 380),
        ("两千五的基数", 2500),
        ("基数1.2万", 12000),
        ("按3k算", 3000),
        ("交了380元", 380),
        ("5000", 5000),
        ("2025年交多少", None),
        ("断缴3个月", None),
        ("按60%交", None),
        ("打12393", None),
        ("我今年35岁", None),
        ("一个月多少", None),
        ("5kg", None),
        ("2000的基数能交吗", 2000),  # a cue after its figure, even a year-like one
    ],
)
def test_money_figures(catalog: Catalog, text: str, amount: int | None) -> None:
    found = understand(text, catalog).amount
    assert found == (Decimal(amount) if amount is not None else None)


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("不是学生", "identity", None),
        ("我不是学生,是个体户", "identity", "flexible"),
        ("不用微信,用支付宝", "channel", "alipay"),
        ("除了支付宝还有什么", "channel", None),
        ("已有职工医保还能交居民医保吗", "identity", None),  # schemes asked about, not who the person is
        ("我是灵活就业人员,已有职工医保还能交居民医保吗", "identity", "flexible"),
        ("我是个体户,想给孩子交医保", "identity", "resident"),
        ("灵活就业和城乡居民", "identity", None),  # two identities, no cue: ask instead of guessing
        ("医保定点医院", "region", None),
        ("缴费异常", "region", None),  # 异常 sounds like 宜昌 but shares no character with it
        ("打通电话", "region", None),
        ("happy", "channel", None),  # app only as a whole word
        ("湖南通过微信", "region", "430000"),  # not 南通
        ("湖南长沙", "region", "430100"),  # the city refines its province
        ("老家湖南,人在深圳", "region", None),  # home against the present place, no identity: the wizard asks
        ("老家湖南,人在深圳交医保", "region", "440300"),
        ("hunan changsha", "region", "430100"),  # not nanchang inside the run
        ("wo zai hang zhou", "region", "330100"),
        ("湘", "region", "430000"),
        ("在湘", "region", None),  # one-character short names only as the whole message
        ("長沙", "region", "430100"),
        ("长纱", "region", "430100"),
        ("guangzou", "region", "440100"),
        ("支付包", "channel", "alipay"),
        ("wechta", "channel", "wechat"),
        ("深圳税务公众号", "channel", "wechat"),
        ("支付宝app", "channel", "alipay"),
        ("重新开始", "command", "restart"),
        ("上一步", "intent", "back"),
    ],
)
def test_rules(catalog: Catalog, text: str, field: str, value: str | None) -> None:
    assert getattr(understand(text, catalog), field) == value


def test_lexicon_is_built_once_per_catalog(catalog: Catalog, tmp_path: Path) -> None:
    assert lexicon_for(catalog) is lexicon_for(catalog)
    other = load_catalog(flows_tree(tmp_path))
    assert lexicon_for(other) is not lexicon_for(catalog)


def test_words_come_from_the_flows(tmp_path: Path) -> None:
    vocabulary = (DATA.parent.parent / "flows/vocabulary.yaml").read_text(encoding="utf-8")
    vocabulary = vocabulary.replace("bank: [银行,", "bank: [农信社,")
    city = 'code: "430200"\nname: 株洲市\nparent: "430000"\naliases: [株洲]\n'
    divisions = (DATA.parent.parent / "flows/divisions.yaml").read_text(encoding="utf-8")
    root = flows_tree(
        tmp_path,
        {
            "vocabulary.yaml": vocabulary,
            "regions/430200-zhuzhou.yaml": city,
            "divisions.yaml": divisions.replace("湖南, 株洲,", "湖南,"),
        },
    )
    catalog = load_catalog(root)
    assert understand("农信社", catalog).channel == "bank"
    # A city file is enough for its name, its generated pinyin and its same-sound slips to work.
    assert [understand(t, catalog).region for t in ("株洲", "zhuzhou", "朱洲")] == ["430200"] * 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("intents:\n", "intents:\n  gossip: [八卦]\n"),
            r"vocabulary\.yaml:\d+: intents\.gossip: unknown name",
        ),
        (
            ("  hall: [大厅,", "  hall: [微信, 大厅,"),
            r"channels\.hall\[0\]: '微信' is also listed under 'wechat'",
        ),
        (
            ("  wechat: [微信,", "  wechat: [微…信,"),
            r"channels\.wechat\[0\]: '…' \(a gap\) is only allowed in",
        ),
        (("multipliers: {万: 10000,", "multipliers: {万: lots,"), r"multipliers\.万: 'lots' is not a number"),
        (("negations: [", "negatives: ["), r"negatives: unknown field"),
        (
            ("  resident: [child, grandchild,", "  resident: [kid, grandchild,"),
            r"who_identity\.resident\[0\]: unknown person 'kid'",
        ),
        (
            ("  grandchild: [孙子,", "  grandchild: [孩子,"),
            r"who\.grandchild\[0\]: '孩子' is also listed under 'child'",
        ),
        (("history: [以前,", "history: 以前\nhistory_words: [以前,"), r"history: must be a list of words"),
        (
            ("  ask_gap: 8", "  ask_gap: eight"),
            r"vocabulary\.yaml:\d+: reminder_requests\.ask_gap: 'eight' is not a whole number from 0 to 100",
        ),
        (
            ("  day_units: [号, 日]", "  day_units: [号, 日…子]"),
            r"vocabulary\.yaml:\d+: reminder_requests\.day_units\[1\]: a gap \(…\) only between two parts",
        ),
        (
            ("  keyword: 提醒", "  keywords: 提醒"),
            r"vocabulary\.yaml:\d+: reminder_requests\.keywords: unknown field",
        ),
        (
            ("  list: [我的…提醒,", "  list: {我的: 提醒}\n  lists: [我的…提醒,"),
            r"reminder_requests\.list: must be a list of words",
        ),
    ],
)
def test_bad_vocabulary_is_reported_with_line(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    text = (DATA.parent.parent / "flows/vocabulary.yaml").read_text(encoding="utf-8")
    assert change[0] in text
    root = flows_tree(tmp_path, {"vocabulary.yaml": text.replace(change[0], change[1], 1)})
    with pytest.raises(FlowError, match=message):
        load_catalog(root)


def test_report_prints_accuracy_misses_and_timing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        '- {text: "长沙微信", region: 长沙, channel: wechat}\n- {text: "长沙", region: 杭州}\n', "utf-8"
    )
    assert report_main([str(cases), "--rounds", "2"]) == 0
    out = capsys.readouterr().out
    assert "per slot" in out and "per intent" in out and "median" in out and "p99" in out
    assert "region            50.0%" in out
    assert "region: 杭州市(330100) -> 长沙市(430100): 1" in out


def test_report_counts_misses_sent_to_another_province(catalog: Catalog, tmp_path: Path) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        '- {text: "长沙微信", region: 杭州}\n- {text: "长沙", region: 株洲}\n- {text: "你好", region: 长沙}\n'
        '- {text: "长沙支付宝"}\n',
        "utf-8",
    )
    score = evaluate(load_cases(cases, catalog), catalog)
    kinds = score.region_misses(catalog)
    assert {k: len(v) for k, v in kinds.items()} == {
        "other province": 1, "same province": 1, "none found": 1, "none labelled": 1,
    }  # fmt: skip
    tuning = format_score(score, catalog, "tuning")
    assert "sent to a province other than the labelled one: 1" in tuning
    assert "长沙微信 -> 长沙市(430100)" in tuning
    held = format_score(score, catalog, "held out", summary_only=True)
    assert "sent to a province other than the labelled one: 1" in held
    assert "长沙微信" not in held  # a held-out part is counted, never listed


def test_cases_with_unknown_names_are_refused(tmp_path: Path, catalog: Catalog) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text('- {text: "x", region: 亚特兰蒂斯}\n', "utf-8")
    with pytest.raises(ValueError, match="names no region"):
        load_cases(cases, catalog)
    cases.write_text('- {text: "x", intent: gossip}\n', "utf-8")
    with pytest.raises(ValueError, match="intent 'gossip' is not one of"):
        load_cases(cases, catalog)


_ALPHABET = st.sampled_from(
    list("湖南长沙深圳广州杭州微信支付宝基数万千一二两三百块元不是学生交了吗?, 0123456789.kwchangsha")
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=60), st.text(_ALPHABET, max_size=30)))
def test_any_text_is_understood_without_error(catalog: Catalog, text: str) -> None:
    u = understand(text, catalog)
    assert u.region is None or u.region in catalog.regions
    assert u.intent is None or u.intent in INTENTS
    assert u.amount is None or u.amount >= 0


@pytest.mark.parametrize(
    ("text", "who", "people", "identity"),
    [
        ("给孙子交医保", ("grandchild",), None, "resident"),
        ("我和老婆两个人都没单位", ("self", "spouse"), 2, "flexible"),
        ("一家三口的居民医保", (), 3, "resident"),
        ("刚出生的宝宝", ("newborn",), None, "resident"),
        ("不是给自己交,给我妈交", ("parent",), None, None),  # a parent of unstated age: either
    ],
)
def test_who_and_how_many(catalog: Catalog, text: str, who, people, identity) -> None:
    u = understand(text, catalog)
    assert (u.who, u.people, u.identity) == (who, people, identity)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("你好", "greeting"),
        ("谢谢", "thanks"),
        ("行", "ok"),
        ("好贵啊", None),
        ("在吗", "ping"),
        ("👍🙏", "emoji"),
        ("你好,长沙", None),
        ("住院报销比例是多少", "reimbursement"),
        ("医保交了怎么没到账", "payment_status"),
        ("异地就医备案怎么弄", "remote_care"),
        ("医保卡丢了怎么补办", "card"),
        ("养老保险怎么交", "pension"),
        ("我以前从来没交过医保,现在能交吗", "how_to_pay"),
    ],
)
def test_small_talk_and_out_of_scope(catalog: Catalog, text: str, intent: str | None) -> None:
    assert understand(text, catalog).intent == intent


@pytest.mark.parametrize(
    ("text", "channel", "rejected"),
    [
        ("不要微信了,用支付宝", "alipay", (("channel", "wechat"),)),
        ("不要微信了", None, (("channel", "wechat"),)),
        ("微信还是支付宝好", None, ()),
        ("税务局电话多少", None, ()),
        ("威信怎么交医保", "wechat", ()),
        # a way that did not work is refused, so the wizard asks for the channel again
        ("微信上找不到了", None, (("channel", "wechat"),)),
        ("以前用微信交过,今年微信上找不到了,支付宝有吗", "alipay", (("channel", "wechat"),)),
        ("微信和支付宝都不会用 只能去大厅", "hall", (("channel", "wechat"), ("channel", "alipay"))),
    ],
)
def test_refusals_and_words_in_passing(catalog: Catalog, text: str, channel, rejected) -> None:
    u = understand(text, catalog)
    assert (u.channel, u.rejected) == (channel, rejected)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("居民医保400", "calc:"),  # a resident's yearly premium, not a base
        ("城乡居民医保交了380元", "calc:"),
        ("基数5000", "calc:5000"),
        ("灵活就业按4500交一个月多少", "calc:4500"),
        ("5000", "calc:5000"),
    ],
)
def test_a_resident_premium_is_not_a_base(catalog: Catalog, text: str, question: str) -> None:
    assert pending_question(understand(text, catalog)) == question


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a clause about the past loses to the present one (place, scheme) and never chooses a channel
        (
            "之前在深圳交过几年职工医保,现在回长沙了,居民医保怎么交",
            {"region": "430100", "identity": "resident", "intent": "how_to_pay"},
        ),
        ("之前都是去大厅交,今年能不能手机上交", {"channel": None, "intent": "how_to_pay"}),
        # the past alone counts
        ("前些年在天津交过,中间断了三年", {"region": "120000", "intent": "deadline"}),
        # reported speech does not choose the channel
        ("打12393问了说去税务局交", {"channel": None}),
        ("社区的人说要去税务局交,网上交不了吗", {"channel": None, "intent": "how_to_pay"}),
        # documents at hand are context, not a documents question
        ("出生证明和户口本都有了,现在去哪交", {"intent": "how_to_pay"}),
        ("交医保要带户口本吗", {"intent": "materials"}),
        # weighing channels up chooses none, unless a later clause settles it
        ("用微信交好还是支付宝交好", {"channel": None, "intent": "how_to_pay"}),
        ("支付宝跟银行哪个靠谱", {"channel": None, "intent": "how_to_pay"}),
        ("微信交好还是支付宝交好,我用支付宝吧", {"channel": "alipay"}),
        ("支付宝找不到入口,还是去银行吧", {"channel": "bank"}),
        # a pinyin two places share asks; a province named too decides it
        ("suzhou", {"region": None, "region_options": ("320000", "340000")}),
        ("jiangxi fuzhou", {"region": "360000"}),
        # a place below a guide is not refined to another city of its province
        ("去年在广州交的医保,今年人在佛山,在哪交", {"region": "440000", "place": "佛山市"}),
        # a how-to question outweighs a money figure; a figure alone asks the amount
        ("学生医保350块怎么交", {"intent": "how_to_pay", "amount": Decimal(350)}),
        ("居民医保400", {"intent": "amount", "identity": "resident"}),
    ],
)
def test_second_pass_rules(catalog: Catalog, text: str, expected: dict[str, object]) -> None:
    assert fields_of(text, catalog, expected) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # someone else's insurance: the user's own place is where they pay from, not the insurance's
        ("我在杭州上班 我妈在江西上饶农村 她的医保我能在网上交吗", {"region": "360000", "place": "上饶市"}),
        ("人在深圳 想给湖南老家的奶奶交城乡居民医保", {"region": "430000"}),
        ("老人在老家,我在深圳,怎么给老人交医保", {"region": "440300"}),  # the only place named
        # the user's own insurance: another person's place is theirs
        ("我朋友在杭州交的灵活就业 我在宁波 怎么交", {"region": "330000", "place": "宁波市"}),
        ("老公在深圳上班 我在东莞 我想交灵活就业", {"region": "440000", "place": "东莞市"}),
        ("老婆在长沙 我在株洲 想给她交医保", {"region": "430100"}),  # 给她: her insurance
        # a past place against an unnamed present one; named places against the insurance's unnamed one
        ("以前在苏州交的灵活就业 现在回老家了 老家怎么交", {"region": None}),
        ("以前在东莞 现在回赣州了 医保在哪交", {"region": "360000"}),
        ("看新闻说上海医保涨了 我们这也涨吗", {"region": None}),
        ("在上海打工 老家的医保在上海看病能用吗", {"region": None}),
        ("我在长沙 我们这边医保怎么交", {"region": "430100"}),
        ("我这边是长沙的 怎么交", {"region": "430100"}),  # a place next to the unnamed word names it
        ("我们这里是岳阳 新农合多少钱", {"region": "430000", "place": "岳阳市"}),
        ("本地户口 在长沙交医保", {"region": "430100"}),
        # everyday words that name a county only in full; streets named after places
        ("我长子今年上大学 医保怎么交", {"region": None}),
        ("长子县的医保", {"region": "140000", "place": "长子县"}),
        ("我在城区上班", {"region": None, "region_options": ()}),
        ("阳泉城区居民医保", {"region": "140000", "place": "阳泉市"}),
        ("广州北京路附近哪里交医保", {"region": "440100"}),
        ("中山路的社区", {"region": None, "region_options": ()}),
        ("长沙街道办能交医保吗", {"region": "430100"}),  # 街道 is an office, not a street
        # national-level new areas are not in the statistical codes: curated aliases (贵安新区 is not 安新县)
        ("贵安新区", {"region": "520000"}),
        ("两江新区灵活就业医保", {"region": "500000"}),
        ("江北新区医保", {"region": "320100"}),
        # a trip's destination, where care is sought and where something comes from are not the insurance's
        ("下个月去三亚旅游 医保卡能用吗", {"region": None}),
        ("出差到南京 突然想起医保还没交 长沙的能在手机上交吗", {"region": "430100"}),
        ("老家合肥的医保 在南京看病怎么备案", {"region": "340100"}),
        ("从广州寄材料到老家湛江交医保可以吗", {"region": "440000", "place": "湛江市"}),
        ("在长沙住院怎么报销", {"region": "430100"}),  # the only place named
        ("我是衡阳的 在北京协和医院住院 医保能报吗", {"region": "430000", "place": "衡阳市"}),
        ("北京银行能交医保吗", {"region": None}),  # a bank found in many provinces
        # which of two places in different provinces, asked anywhere in the message
        ("我爸在海南三亚养老 户口在黑龙江哈尔滨 他的居民医保在哪边交", {"region": None}),
        ("以前在东莞 现在回赣州了 医保在哪个地方交", {"region": "360000"}),  # the past is not a choice
        # a named place weighed against an unnamed one
        ("你好 我老家四川的 现在在成都开了个小店 医保是在成都交还是回老家交", {"region": None}),
        # occupations, farming and assistance; a preference names the identity; a speaker is not insured
        ("渔民的医保怎么交", {"identity": "resident"}),
        ("跑闪送的 医保交哪个", {"identity": "flexible"}),
        ("我以前交灵活就业 现在没钱了想改交居民医保", {"identity": "resident"}),
        ("我妈说今年医保要涨价", {"identity": None, "who": ()}),
        # another person's occupation is not the user's identity when the insurance is the user's
        ("我老公开货车的 我在家带娃 我想给自己交医保", {"identity": None}),
        ("儿子在深圳送外卖 他的医保能在深圳交吗", {"identity": "flexible", "region": "440300"}),
    ],
)
def test_whose_place_and_identity(catalog: Catalog, text: str, expected: dict[str, object]) -> None:
    assert fields_of(text, catalog, expected) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # advice without 说 is advice too; advice taken up, or followed by a how-question, is the choice;
        # advice then doubt is not (labelling convention 5)
        ("社区工作人员让我在支付宝交,在哪找", {"channel": "alipay", "intent": "how_to_pay"}),
        ("听说银行可以代扣,怎么办理", {"channel": "bank"}),
        ("朋友说支付宝能交,靠谱吗", {"channel": None}),
        ("让我去大厅交,非得去吗", {"channel": None}),
        ("税务局的人说手机上交就行,怎么交", {"channel": None}),  # the speaker is no advice
        ("居委会说可以去他们那刷卡交 我明天就去 要带啥", {"channel": "hall", "intent": "materials"}),
        ("客服叫我去电子税务局 我不会用电脑", {"channel": None, "intent": "how_to_pay"}),
        # all of several channels (都), and channels with 、 in one clause, are weighed up
        ("微信支付宝都能交吗", {"channel": None, "intent": "how_to_pay"}),
        ("微信、支付宝、银行都能交吗", {"channel": None, "intent": "how_to_pay"}),
        ("微信和支付宝都行吧,我选微信", {"channel": "wechat"}),
        # A不如B prefers B
        ("去大厅交不如手机上交省事吧", {"channel": None}),
        ("手机上交不如去大厅交放心吧", {"channel": "hall"}),
        # asking for another way drops the ways named before
        ("村干部说让在微信上交 我不会弄 还有别的办法吗", {"channel": None, "intent": "how_to_pay"}),
        # a student who graduated is no longer one; what came before is the past
        ("以前是学生医保在学校交的,毕业了现在怎么交", {"identity": None, "who": ()}),
        ("大学在武汉交的学生医保,毕业回长沙了还要交吗", {"identity": None, "region": "430100"}),
        # a frequency or still-in-time question asks; 一年交一次 is a premise
        ("医保一年交一次多少钱", {"intent": "amount"}),
        ("医保多久交一次", {"intent": "deadline"}),
        ("现在还能交今年的医保吗", {"intent": "deadline"}),
        # a space between Chinese words ends a clause
        ("去年在村里交的 今年怎么交", {"channel": None, "intent": "how_to_pay"}),
        # a negation does not reach across a clause
        ("原来在村委会交 今年不想去了 微信上交可以吗", {"channel": "wechat"}),
        # a person right before a reporting word spoke; a pronoun of paying for them points back
        ("我妈说去年是村里收的 今年让我网上交", {"identity": None, "who": ()}),
        ("我妈说去村委会交,我想自己在网上给她交", {"who": ("parent",), "identity": None}),
        # places weighed up choose none; a province and its city are one place
        ("长沙交和株洲交价格一样吗", {"region": None}),
        ("湖南长沙用微信还是支付宝", {"region": "430100", "channel": None}),
        # two schemes compared are not both held
        ("灵活就业交职工医保比居民医保贵多少", {"intent": "amount"}),
        # the question clause asks how to pay; specific words in clauses that ask nothing are background
        ("医院的人说赶紧去交医保 不然住院不能报 我现在去哪交最快", {"intent": "how_to_pay"}),
        ("户口本在我这,在哪交", {"intent": "how_to_pay"}),
        ("要带什么材料,在哪交", {"intent": "how_to_pay"}),  # the last question decides (convention 8)
        # paying for someone else: the place after 老家 is theirs
        ("我在广东 能不能在网上帮奶奶交 老家是江西赣州", {"region": "360000"}),
        ("老家湖南,人在深圳上班,灵活就业", {"region": "440300"}),
        ("我在成都读大学 老家重庆 学生医保在哪交", {"region": "510100"}),  # a student may be the user
        # not paying, asked, is a legal question
        ("我今年不想交了可以吗", {"intent": "legal"}),
        ("不交医保会咋样", {"intent": "legal"}),
    ],
)
def test_fourth_pass_rules(catalog: Catalog, text: str, expected: dict[str, object]) -> None:
    assert fields_of(text, catalog, expected) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # labelling conventions of the fifth pass (docs/understanding.md, "Labelling conventions")
        ("基数5000", {"identity": "flexible"}),
        ("失业了医保断了怎么办", {"identity": None}),
        ("辞职了 想自己接着交职工医保", {"identity": "flexible"}),
        ("离职后医保怎么续", {"identity": None}),  # no typo guess reads 职后医保 as 职工医保
        ("给我爸交医保", {"identity": None, "who": ("parent",)}),
        ("我爸七十多了没退休工资 医保怎么交", {"identity": "resident"}),
        ("给孩子交医保", {"identity": "resident"}),
        ("在深圳上班 回湖南老家住院怎么报", {"region": "440300"}),
        ("听同事说去银行交,银行真的能交吗", {"channel": None}),  # the advised channel named again, doubted
        ("热线说去银行柜台,哪个银行都行吗", {"channel": "bank"}),
        # a past place gives way to an unnamed present one
        ("去年在苏州交的 现在回老家了", {"region": None}),
    ],
)
def test_fifth_pass_rules(catalog: Catalog, text: str, expected: dict[str, object]) -> None:
    assert fields_of(text, catalog, expected) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the insurance's own place named outright wins over where the user works
        ("在上海上班 医保是安徽阜阳的 在上海看病咋办", {"region": "340000"}),
        ("在广州上班 医保在老家湖南交的", {"region": "430000"}),
        # home against the present place in another province: resident -> home, flexible -> present,
        # a pupil -> present, neither -> ask with both
        ("我是贵州遵义的 农合今年最晚交到什么时候 我现在在广东打工 回不去 能网上交吗", {"region": "520000"}),
        ("户口在河南,人在杭州,灵活就业", {"region": "330100"}),
        (
            "我是湖南邵阳人 在深圳打了十年工 医保怎么自己交",
            {"region": None, "region_options": ("430000", "440300")},
        ),
        ("孩子在上海读书 户口在江西", {"region": "310000"}),  # a pupil is insured through the school
        # where one paid gives way to where one wants to pay now
        ("在深圳交了三年 今年想回湖南交", {"region": "430000"}),
        ("在东莞交的 现在想在长沙交", {"region": "430100"}),
        # a parent's place gives way when the insurance is the user's own
        ("我妈在湖南 我在深圳 我自己的医保怎么交", {"region": "440300"}),
        # named as where to pay: that place
        ("我在上海工作 户口在安徽 想在上海交灵活就业", {"region": "310000"}),
    ],
)
def test_home_against_present_place(catalog: Catalog, text: str, expected: dict[str, object]) -> None:
    assert fields_of(text, catalog, expected) == expected


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # the insured place named, care sought or cover asked in another: care elsewhere
        ("在上海上班 医保是安徽阜阳的 在上海看病咋办", "remote_care"),
        ("东莞交的社保 在老家河源能用吗", "remote_care"),
        # the same place, or one inside it: not elsewhere
        ("湖南交的医保 在长沙能用吗", "coverage_start"),
    ],
)
def test_care_elsewhere(catalog: Catalog, text: str, intent: str) -> None:
    """The rules' reading. Session 14's model sees every place as one mark and overrules 湖南交的医保 在长沙能用吗
    (a place inside the insured province) to care away: a wrong overrule, kept visible as ``intent_guessed``;
    overruling toward care away gained 13 more calibration messages than it lost (docs/understanding.md,
    convention 8)."""
    assert understand(text, catalog, use_fallback=False).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("失业在家 医保还能交吗", "how_to_pay"),  # may one pay at all
        ("第3季度的还能交吗", "deadline"),  # still possible after a time named
        ("户口本身份证我都带着,窗口几点下班", "hotline"),
        ("村干部说不交医保以后低保就没了 真的假的", "legal"),
    ],
)
def test_sixth_pass_intent_words(catalog: Catalog, text: str, intent: str) -> None:
    assert understand(text, catalog).intent == intent


@pytest.mark.parametrize(
    ("text", "region", "options"),
    [
        # the home named first with no preference cue is weighed the same way
        ("我是河南的 北京上班 医保咋交", None, ("410000", "110000")),
        ("我是河南的 北京上班 居民医保咋交", "410000", ()),
        ("我是河南的 北京送外卖 医保咋交", "110000", ()),
        ("湖南人 在深圳打工 医保咋交", None, ("430000", "440300")),  # a home named by 人 after it
        ("江西老表 在广东打工 居民医保", "360000", ()),
        ("长沙人社局电话 在广州上班", "440100", ()),
        ("湖南户口 人在深圳", None, ("430000", "440300")),  # 人社局 is an office, not a home
        # a home chosen by a preference cue stays
        ("在上海交了几年灵活就业,今年回老家长沙了,上海的要停吗", "430100", ()),
    ],
)
def test_home_named_first(catalog: Catalog, text: str, region: str | None, options: tuple[str, ...]) -> None:
    u = understand(text, catalog)
    assert (u.region, u.region_options) == (region, options)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # conventions of session 6 (docs/understanding.md, "Labelling conventions" 9-12)
        ("用粤税通交居民医保", {"region": "440000", "place": ""}),  # a region's own app names it
        ("天府市民云怎么交医保", {"region": "510100"}),
        ("我在长沙 用粤税通交", {"region": "430100"}),  # a place named wins over the app
        ("不用粤税通", {"region": None}),
        ("我和我老婆都是灵活就业 怎么交", {"who": ("self", "spouse"), "identity": "flexible"}),
        ("我跟我妈的医保都要交", {"who": ("self", "parent")}),
        ("湖南石门城乡居民医保怎么交", {"region": "430000", "place": "石门县"}),
        ("北京朝阳区医保怎么交", {"region": "110000", "place": "朝阳区"}),
        ("打12393问了说去税务局交", {"intent": "how_to_pay"}),  # a number called: what it said is reported
        ("打12366问了 说可以用支付宝交", {"intent": "how_to_pay"}),
        ("打95566能问交医保的事吗", {"intent": "hotline"}),  # whether a number can answer
        ("打12393问了没人接", {"intent": "hotline"}),
        # session 6 rules: the last question decides; a switch is no duplicate; a command says nothing else
        ("在深圳跑外卖 不知道一个月要多少钱 还有就是在哪里交", {"intent": "how_to_pay"}),
        ("居民医保不交了 想转成灵活就业交职工医保", {"intent": "how_to_pay"}),
        ("社区通知今年只能在网上交,大厅还能交吗", {"intent": "how_to_pay"}),
        ("在学校交了,老家村里又让交,交哪个", {"intent": "duplicate"}),
        ("福州搞错了 应该是泉州", {"intent": None, "command": None}),
        ("今年在外地没回去 还能补交吗 怎么交", {"command": None}),
        ("选错了 回去", {"command": "back"}),
        ("重新开始,我是学生在深圳", {"command": "restart", "identity": "resident"}),  # new answers
        ("农行和邮储哪个能代收医保", {"intent": "how_to_pay"}),
    ],
)
def test_session_six_rules(catalog: Catalog, text: str, expected: dict[str, object]) -> None:
    assert fields_of(text, catalog, expected) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # convention 14: must one still pay after a change of life; another enrolment named is duplicate
        ("退休了 还要交医保吗", {"intent": "legal"}),
        ("没上班了,医保还要交吗", {"intent": "legal"}),
        ("交了社保还要交医保吗", {"intent": "duplicate"}),
        ("下岗了还能交医保吗", {"intent": "how_to_pay"}),
        # payment status and cover in everyday words
        ("交了医保怎么没显示", {"intent": "payment_status"}),
        ("交完了马上能去药店刷吗", {"intent": "coverage_start"}),
        ("门诊看病能报销吗", {"intent": "reimbursement"}),  # no word of paying: not cover
        ("唐山居民医保交了 单位又给交了 咋办", {"intent": "duplicate"}),
        ("送快递的 公司没交社保 我能自己交医保吗", {"intent": "how_to_pay"}),
        # convention 17: bare 自己交 names no person; 我自己 does
        ("钟点工 医保 自己交", {"who": ()}),
        ("我自己交医保", {"who": ("self",)}),
    ],
)
def test_session_six_second_pass(catalog: Catalog, text: str, expected: dict[str, object]) -> None:
    assert fields_of(text, catalog, expected) == expected
