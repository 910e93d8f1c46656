"""Sessions are plain data that survive a JSON round trip; bad data never raises."""

from __future__ import annotations

from bot.session import Session


def test_round_trip() -> None:
    s = Session("channel", {"identity": "resident", "province": "430000"}, 7)
    text = s.to_json()
    assert Session.from_json(text) == s
    assert len(text) < 120
    waiting = s.with_question("calc:5000")
    assert waiting.version == 8 and Session.from_json(waiting.to_json()) == waiting
    assert '"q"' not in text  # no key when no question waits


def test_evolve_bumps_version_only_on_change() -> None:
    s = Session()
    assert s.evolve("identity", {}) is s
    assert s.evolve("province", {"identity": "flexible"}).version == 1


def test_malformed_json_gives_fresh_session() -> None:
    for bad in ["", "{", "[]", '{"s":"nowhere","v":1,"d":{}}', '{"s":"identity","v":"x","d":{}}', "null"]:
        assert Session.from_json(bad) == Session()
