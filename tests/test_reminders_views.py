"""Every reminder page renders for every shipped region and both identities: valid Telegram HTML, short,
with the year of every figure and Beijing time; the deep link of a reminder opens that region's guide."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.catalog.loader import load_catalog
from bot.config import PROJECT_DIR
from bot.deeplink import make_payload, parse_payload
from bot.events import Event
from bot.reminders.plan import BEIJING, make_reminder, monthly_option, resident_options
from bot.reminders.views import due_view, list_view, options_view, set_view
from bot.render import html_to_text
from bot.session import Session
from bot.testing.html_check import telegram_html_errors

NOW = dt.datetime(2026, 12, 1, 12, tzinfo=BEIJING).timestamp()
REGIONS = sorted(load_catalog(PROJECT_DIR / "flows").regions)


@pytest.mark.parametrize("code", REGIONS)
@pytest.mark.parametrize("identity", ["resident", "flexible"])
def test_every_region_renders_reminder_pages(catalog, renderer, wizard, code: str, identity: str) -> None:
    region = catalog.regions[code]
    slots = {"identity": identity, "province": region.parent or code}
    if region.parent:
        slots["city"] = code
    channels = catalog.channels(identity, code)
    if not channels:
        pytest.skip("no channel for this identity here")
    slots["channel"] = channels[0]
    offer = options_view(catalog, renderer.labels, slots, NOW)
    assert offer.options, "dates to choose from"
    option = (
        resident_options(catalog, slots, NOW)[1][0] if identity == "resident" else monthly_option(10, NOW)
    )
    reminder = make_reminder(1, slots, option)
    pages = [
        offer,
        set_view(catalog, renderer.labels, reminder, None),
        list_view(catalog, renderer.labels, [reminder]),
    ]
    due = due_view(catalog, reminder, reminder.due)
    for view in (*pages, due):
        text = renderer.render(view)
        assert telegram_html_errors(text) == [] and len(text) < 1500
        assert "，" in text or "：" in text  # full-width punctuation in the Chinese sentences
    plain = html_to_text(renderer.render(due))
    assert "缴什么" in plain and "缴多少" in plain and "截止" in plain
    # A figure's year reads as a coverage year ("2026年度标准"), never a bare "（2026标准".
    assert re.search(r"（\d{4}(标准|缴费基数)", plain) is None, plain
    assert "北京时间" in html_to_text(renderer.render(pages[1]))
    # The reminder's button opens this region's guide for this channel.
    found = parse_payload(make_payload(dict(reminder.slots)), catalog)
    assert found is not None
    session, view = wizard.step(Session(), Event("fill", slots=found))
    assert view.state == "instructions" and dict(session.slots)["channel"] == slots["channel"]


def test_due_reminder_names_the_coverage_year_of_its_figures(catalog, renderer) -> None:
    """The amount and the base of a due reminder carry "年度" as every other page says a coverage year."""
    slots = {"identity": "resident", "province": "430000", "city": "430100", "channel": "wechat"}
    if slots["channel"] not in catalog.channels("resident", "430100"):
        slots["channel"] = catalog.channels("resident", "430100")[0]
    reminder = make_reminder(1, slots, resident_options(catalog, slots, NOW)[1][0])
    plain = html_to_text(renderer.render(due_view(catalog, reminder, reminder.due)))
    line = next(x for x in plain.splitlines() if x.startswith("缴多少"))
    assert re.search(r"（(约)?\d{4}年度标准", line), line
    flexible = {**slots, "identity": "flexible", "channel": catalog.channels("flexible", "430100")[0]}
    monthly = make_reminder(1, flexible, monthly_option(10, NOW))
    plain = html_to_text(renderer.render(due_view(catalog, monthly, monthly.due)))
    line = next(x for x in plain.splitlines() if x.startswith("缴多少"))
    assert "年度缴费基数和费率" in line or "缴费页面会显示" in line, line
