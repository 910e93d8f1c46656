"""Answer first, end to end (real Application, SQLite, fake Bot API): small talk, out-of-scope questions,
the identity asked first, a change of identity that keeps the region, and the way back from every
follow-up of the guide."""

from __future__ import annotations

from bot.testing.bot_client import ChatClient
from tests.e2e.conftest import running_bot  # noqa: F401  (the fixtures' module)

FOLLOWUPS = (
    "🧮 算一算要交多少",
    "📄 需要什么材料",
    "⏱ 什么时候生效",
    "📅 缴费期限/断缴怎么办",
    "❓ 已有职工医保还能交居民医保吗",
    "⚖️ 法律依据",
    "ℹ️ 电话、来源和更多",
)


async def _state(bot, chat: ChatClient) -> str:
    return (await bot.store.load(chat.chat_id)).session.state


async def test_small_talk_gets_a_friendly_reply_and_the_current_step(chat: ChatClient, bot) -> None:
    await chat.send("/start")
    await chat.click("城乡居民")
    for text, reply in (
        ("你好", "👋 你好"),
        ("谢谢", "不客气"),
        ("在吗", "我在"),
        ("好的", "好的"),
        ("👍", "好的"),
    ):
        answer = await chat.send(text)
        assert answer is not None and reply in answer.plain.splitlines()[0], (text, answer.plain[:40])
        assert "没看懂" not in answer.plain and "你在哪个省份参保" in answer.plain
        assert "湖南" in answer.labels and await _state(bot, chat) == "province"


async def test_out_of_scope_question_points_to_the_right_place(chat: ChatClient, bot) -> None:
    await chat.send("/start")
    await chat.click("灵活就业人员")
    answer = await chat.send("住院报销比例是多少")
    assert answer is not None and answer.plain.startswith("💡 报销比例")
    assert "12393" in answer.plain and "未经官方核实" in answer.plain and "你在哪个省份参保" in answer.plain
    copy = [b for b in answer.buttons if "copy_text" in b]
    assert copy and copy[0]["copy_text"] == {"text": "12393"} and "复制" in copy[0]["text"]
    assert await _state(bot, chat) == "province"
    status = await chat.send("怎么查我交没交上")
    assert status is not None and "国家医保服务平台" in status.plain and len(status.plain) < 700


async def test_question_before_the_identity_asks_it_first(chat: ChatClient) -> None:
    answer = await chat.send("长沙的医保要带什么材料")
    assert answer is not None and "先选一下你的参保身份" in answer.plain
    assert answer.plain.count("需要什么材料") == 0 and answer.labels[:2] == ["灵活就业人员", "城乡居民"]
    nxt = await chat.click("城乡居民")
    assert nxt is not None and nxt.plain.count("需要什么材料（长沙市 · 城乡居民）") == 1


async def test_changing_identity_keeps_the_region(chat: ChatClient, bot) -> None:
    guide = await chat.send("我是城乡居民，在长沙，用微信交")
    assert guide is not None and "📍 在哪交：" in guide.plain
    for _ in range(6):
        await chat.click("⬅️ 上一步")
        if await _state(bot, chat) == "identity":
            break
    assert await _state(bot, chat) == "identity"
    await chat.click("灵活就业人员")
    session = (await bot.store.load(chat.chat_id)).session
    assert session.slots["province"] == "430000" and session.slots["city"] == "430100"
    assert session.state in ("channel", "instructions")


async def test_every_followup_has_a_way_back_to_the_guide(chat: ChatClient) -> None:
    guide = await chat.send("我是灵活就业人员，在长沙，用微信交")
    assert guide is not None
    first = guide.plain[guide.plain.index("📋 缴费指南") :]  # below the "recognised" line
    assert "💰 交多少：" in first and "📅 什么时候交：" in first and "\n1. " in first
    assert len(first) <= 1000
    for label in FOLLOWUPS:
        page = await chat.click(label)
        assert page is not None and "📋 返回缴费指南" in page.labels, label
        back = await chat.click("📋 返回缴费指南")
        assert back is not None and back.plain.endswith(first), label


async def test_family_amount_is_the_total_for_everyone(chat: ChatClient, bot) -> None:
    """ "我和孙子两个人一共要交多少钱": the amount for both, before and on the guide."""
    await chat.send("我和孙子两个人一共要交多少钱")
    session = (await bot.store.load(chat.chat_id)).session
    assert session.people == 2 and session.who == "grandchild" and session.slots["identity"] == "resident"
    answer = await chat.send("长沙")
    assert answer is not None and "2 人合计：800 元/年" in answer.plain and "每人 400 元" in answer.plain
    guide = await chat.click("💬 微信")
    assert guide is not None and "2 人合计：800 元/年" in guide.plain and "📍 在哪交：" in guide.plain


async def test_a_student_hears_about_the_school_first(chat: ChatClient) -> None:
    guide = await chat.send("我家孩子是大学生，在成都，用支付宝交医保")
    assert guide is not None
    first = guide.plain[guide.plain.index("📋 缴费指南") :]
    assert first.index("🎒 学生：") < first.index("📍 在哪交：") and "学校" in first


async def test_small_talk_under_the_guide_is_short(chat: ChatClient) -> None:
    """Under the guide, small talk gets the reply and the guide's buttons, not the guide again."""
    guide = await chat.send("我是城乡居民，在长沙，用微信交")
    assert guide is not None and "📍 在哪交：" in guide.plain
    answer = await chat.send("谢谢")
    assert answer is not None and answer.plain.startswith("😊") and len(answer.plain) < 60
    assert "📋 返回缴费指南" in answer.labels and "🧮 算一算要交多少" in answer.labels
    again = await chat.click("📋 返回缴费指南")
    assert again is not None and "📍 在哪交：" in again.plain
