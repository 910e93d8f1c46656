"""Inherited parts of region flows are validated once and shared; what a region overrides is its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.catalog.loader import load_catalog
from bot.catalog.models import Channel, shared_validation
from tests.helpers.trees import flows_tree

CITY = """\
code: "430199"
name: 测试市
parent: "430000"
identities:
  resident:
    channels:
      wechat:
        title: 微信:测试市社保
        steps: [打开微信, 搜索“测试社保”, 支付]
        source: test
        source_kind: official
        retrieved: 2026-11-01
"""


def test_a_city_shares_what_it_inherits_and_owns_what_it_overrides(tmp_path: Path) -> None:
    cat = load_catalog(flows_tree(tmp_path, {"regions/430199-ceshi.yaml": CITY}))
    city, province = cat.flows["430199"], cat.flows["430000"]
    assert city.identities["flexible"] is province.identities["flexible"]  # not mentioned: shared
    res_city, res_prov = city.identities["resident"], province.identities["resident"]
    assert res_city is not res_prov and res_city.channels["wechat"] != res_prov.channels["wechat"]
    assert res_city.channels["wechat"].title == "微信:测试市社保"
    for kind, channel in res_prov.channels.items():  # the other channels: the province's very objects
        if kind != "wechat":
            assert res_city.channels[kind] is channel
    assert res_city.faq is not None and res_city.faq == res_prov.faq


def test_sharing_needs_the_same_mapping_object_and_ends_with_the_block() -> None:
    data = {"title": "t", "steps": ["a"], "source": "s", "source_kind": "official", "retrieved": "2026-01-01"}
    with shared_validation():
        first = Channel.model_validate(data)
        assert Channel.model_validate(data) is first
        assert Channel.model_validate(dict(data)) is not first  # an equal copy is validated anew
    assert Channel.model_validate(data) is not first  # outside a load, nothing is cached


def test_an_invalid_mapping_is_reported_every_time_it_is_validated() -> None:
    bad = {"title": "t", "steps": [], "source": "s", "source_kind": "official", "retrieved": "2026-01-01"}
    with shared_validation():
        for _ in range(2):
            with pytest.raises(ValidationError, match="steps"):
                Channel.model_validate(bad)
