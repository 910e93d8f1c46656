"""Deployment settings (BOT_MODE, SESSION_STORE, WEBHOOK_*, TELEGRAM_RATE_LIMIT) and `--webhook`."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.telegram.builder import make_rate_limiter
from bot.cli import main
from bot.config import Settings, load_settings
from bot.errors import ConfigError


def settings(tmp_path: Path, **env: str) -> Settings:
    return load_settings(env, env_file=tmp_path / "none")


def test_defaults_poll_with_sqlite_and_telegrams_rate(tmp_path: Path) -> None:
    s = settings(tmp_path)
    assert (s.bot_mode, s.session_store, s.webhook_url) == ("polling", "", "")
    assert (s.webhook_listen, s.webhook_port, s.webhook_max_connections) == ("127.0.0.1", 8080, 40)
    assert s.telegram_rate_limit == 30


def test_webhook_settings_are_read_and_the_secret_is_never_printed(tmp_path: Path) -> None:
    s = settings(
        tmp_path,
        BOT_MODE="Webhook",
        SESSION_STORE="redis://:pw@redis:6379/0",
        WEBHOOK_URL="https://bot.example.com/telegram",
        WEBHOOK_LISTEN="0.0.0.0",
        WEBHOOK_PORT="8443",
        WEBHOOK_SECRET="abc_DEF-123",
        WEBHOOK_MAX_CONNECTIONS="10",
        TELEGRAM_RATE_LIMIT="0",
    )
    assert (s.bot_mode, s.session_store, s.webhook_port, s.webhook_max_connections) == (
        "webhook",
        "redis://:pw@redis:6379/0",
        8443,
        10,
    )
    assert s.webhook_listen == "0.0.0.0" and s.telegram_rate_limit == 0
    assert "abc_DEF-123" not in repr(s)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("BOT_MODE", "push", "BOT_MODE must be polling or webhook"),
        ("SESSION_STORE", "postgres://x", "SESSION_STORE must be"),
        ("WEBHOOK_SECRET", "has space", "WEBHOOK_SECRET must be"),
        ("WEBHOOK_URL", "bot.example.com/hook", "WEBHOOK_URL must be"),
        ("WEBHOOK_PORT", "70000", "WEBHOOK_PORT must be a whole number from 1 to 65535"),
        ("WEBHOOK_MAX_CONNECTIONS", "0", "WEBHOOK_MAX_CONNECTIONS"),
        ("TELEGRAM_RATE_LIMIT", "-1", "TELEGRAM_RATE_LIMIT"),
        ("WEB_BASE_URL", "bot.example.com", "WEB_BASE_URL must be an https:// address"),
        ("WEB_BASE_URL", "https://bot.example.com/?a=1", "WEB_BASE_URL must be an https:// address"),
        ("WEB_BASE_URL", "https://bot.example.com/yibao", "WEB_BASE_URL must be the site's root"),
        ("WEB_PORT", "0", "WEB_PORT must be a whole number from 1 to 65535"),
    ],
)
def test_bad_values_are_named(tmp_path: Path, key: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings(tmp_path, **{key: value})


def test_web_settings(tmp_path: Path) -> None:
    s = settings(tmp_path, WEB_LISTEN="0.0.0.0", WEB_PORT="9000", WEB_BASE_URL="https://bot.example.com/")
    assert (s.web_listen, s.web_port, s.web_base_url) == ("0.0.0.0", 9000, "https://bot.example.com")
    assert (Settings().web_listen, Settings().web_port, Settings().web_base_url) == ("127.0.0.1", 8081, "")


def test_rate_limit_zero_means_no_overall_cap_but_429_retries() -> None:
    assert make_rate_limiter(Settings(telegram_rate_limit=0))._overall is None
    capped = make_rate_limiter(Settings(telegram_rate_limit=30))
    assert capped._overall is not None and capped.rate == 30
    assert capped.attempts > 1


def test_webhook_without_token_is_a_configuration_error(monkeypatch, capsys) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    assert main(["--webhook"]) == 2
    assert "webhook mode needs TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


def test_webhook_without_secret_refuses_to_start(monkeypatch, tmp_path, caplog) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:abc")
    monkeypatch.setenv("WEBHOOK_SECRET", "")
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path))
    assert main(["--webhook"]) == 2
    assert "BOT_MODE=webhook needs WEBHOOK_SECRET" in caplog.text
