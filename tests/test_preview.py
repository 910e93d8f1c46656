"""`flows preview`: the exact page the bot shows, found by typing codes, names or words."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.catalog.loader import load_catalog
from bot.render import Renderer, html_to_text
from bot.session import Session
from bot.tools.preview import preview
from tests.helpers.trees import flows_tree


def _run(catalog, renderer, *args: str, html: bool = False) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = preview(catalog, renderer, *args, html=html, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_preview_is_the_page_the_wizard_shows(catalog, renderer, wizard) -> None:
    status, out, err = _run(catalog, renderer, "长沙", "居民", "银行")
    assert status == 0, err
    slots = {"identity": "resident", "province": "430000", "city": "430100", "channel": "bank"}
    page = html_to_text(renderer.render(wizard.view(Session("instructions", slots, 1))))
    assert out.strip() == page.strip()
    assert "银行：湖南农行微银行公众号或合作银行网点" in out
    assert "1. 关注微信公众号“湖南农行微银行”" in out
    assert "<b>" not in out
    assert "长沙市 (430100) · resident · bank" in err and "characters" in err


@pytest.mark.parametrize(
    ("region", "identity", "channel", "expect"),
    [
        ("430100", "resident", "bank", "湖南农行微银行"),
        ("长沙市", "城乡居民", "bank", "湖南农行微银行"),
        ("湖南", "flexible", "wechat", "湘税社保小程序"),
        ("湘", "灵活就业", "微信", "湘税社保小程序"),
        ("430000", "个体户", "税务App/电子税务局", "湘税社保App"),
        ("北京", "居民", "支付宝", "市民中心"),
    ],
)
def test_names_codes_and_words(catalog, renderer, region, identity, channel, expect) -> None:
    status, out, err = _run(catalog, renderer, region, identity, channel)
    assert status == 0, err
    assert expect in out


def test_html_output(catalog, renderer) -> None:
    status, out, _ = _run(catalog, renderer, "430100", "flexible", "alipay", html=True)
    assert status == 0
    assert "<b>操作步骤</b>" in out


def test_unknown_names(catalog, renderer) -> None:
    assert _run(catalog, renderer, "火星", "resident", "wechat")[2].startswith("error: unknown region '火星'")
    assert "unknown identity" in _run(catalog, renderer, "湖南", "外星人", "wechat")[2]
    status, _, err = _run(catalog, renderer, "湖南", "resident", "信鸽")
    assert status == 1 and "unknown channel '信鸽'" in err


def test_channel_not_offered(tmp_path: Path, renderer) -> None:
    text = "code: '530000'\nidentities:\n  resident:\n    channels:\n      bank: null\n"
    catalog = load_catalog(flows_tree(tmp_path, {"regions/530000-yunnan.yaml": text}))
    status, out, err = _run(catalog, renderer, "云南", "resident", "bank")
    assert status == 1 and out == ""
    assert "'bank' is not offered at the channel step for 云南省" in err
    assert "(wechat)" in err and "(bank)" not in err


def test_long_page_is_shown_as_several_messages(tmp_path: Path) -> None:
    fixture = Path(__file__).parent / "flows_invalid" / "long_page_warning.yaml"
    catalog = load_catalog(
        flows_tree(tmp_path, {"regions/150000-neimenggu.yaml": fixture.read_text("utf-8")})
    )
    status, out, err = _run(catalog, Renderer(), "内蒙古", "resident", "wechat")
    assert status == 0
    assert "----- message 1/2 -----" in out and "----- message 2/2 -----" in out
    assert "2 message(s)" in err
