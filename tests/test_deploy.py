"""docker-compose.yml, deploy/nginx.conf, the Dockerfile and .env.example agree with the code
(this machine cannot run Docker, so the files are parsed and cross-checked)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from dotenv import dotenv_values

from bot.adapters.telegram.webhook import DRAIN_TIMEOUT, SECRET_HEADER, webhook_path
from bot.config import load_settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
NGINX = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
ENV_EXAMPLE = dotenv_values(ROOT / ".env.example")
BOTS = ["bot1", "bot2"]
# Every variable the code reads: the quoted NAME_LIKE_THIS strings in bot/config.py (log level names such
# as "DEBUG" have no underscore).
CODE_VARS = set(
    re.findall(r'"([A-Z]+_[A-Z0-9_]+)"', (ROOT / "bot" / "config.py").read_text(encoding="utf-8"))
)


def bot_env(name: str) -> dict[str, str]:
    """A bot service's environment: .env.example (its env_file) overridden by `environment:`."""
    service = COMPOSE["services"][name]
    assert service["env_file"] == ".env"
    env = {k: v or "" for k, v in ENV_EXAMPLE.items()}
    env.update({k: str(v) for k, v in service["environment"].items()})
    return env


def duration(text: str) -> float:
    m = re.fullmatch(r"(\d+)(ms|s|m)", text)
    assert m, text
    return int(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60}[m.group(2)]


def test_services_two_bots_redis_and_a_proxy() -> None:
    assert set(COMPOSE["services"]) == {*BOTS, "redis", "proxy"}
    for name in BOTS:
        bot = COMPOSE["services"][name]
        assert bot["build"] == "." and bot["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "redis-server" in COMPOSE["services"]["redis"]["command"]
    assert set(COMPOSE["services"]["proxy"]["depends_on"]) == set(BOTS)


@pytest.mark.parametrize("name", BOTS)
def test_bot_environment_is_what_the_code_reads_and_valid(name: str) -> None:
    env = bot_env(name)
    assert set(env) <= CODE_VARS, set(env) - CODE_VARS
    settings = load_settings(env, env_file=ROOT / "no-such.env")  # raises on any invalid value
    assert settings.bot_mode == "webhook" and settings.webhook_listen == "0.0.0.0"
    store = urlsplit(settings.session_store)
    assert store.scheme == "redis" and store.hostname in COMPOSE["services"] and store.port == 6379
    assert str(settings.webhook_port) in COMPOSE["services"][name]["expose"]
    health = " ".join(COMPOSE["services"][name]["healthcheck"]["test"])
    assert f"127.0.0.1:{settings.webhook_port}/healthz" in health
    # Docker waits this long after SIGTERM before SIGKILL: longer than the bot drains.
    assert duration(COMPOSE["services"][name]["stop_grace_period"]) > DRAIN_TIMEOUT


def test_env_example_documents_every_variable_and_parses() -> None:
    assert set(ENV_EXAMPLE) >= CODE_VARS, CODE_VARS - set(ENV_EXAMPLE)
    load_settings({k: v or "" for k, v in ENV_EXAMPLE.items()}, env_file=ROOT / "no-such.env")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [v for v in sorted(CODE_VARS) if f"`{v}`" not in readme] == []


def test_nginx_sends_the_webhook_path_to_both_bots_and_retries_on_503() -> None:
    upstream = re.search(r"upstream (\w+) \{(.*?)\}", NGINX, re.S)
    assert upstream is not None
    servers = re.findall(r"server ([\w.-]+):(\d+)", upstream.group(2))
    port = bot_env("bot1")["WEBHOOK_PORT"]
    assert sorted(servers) == [(b, port) for b in BOTS]
    path = webhook_path("https://bot.example.com/telegram")
    location = re.search(rf"location = {re.escape(path)} \{{(.*?)\n    \}}", NGINX, re.S)
    assert location is not None, f"no location for {path}"
    body = location.group(1)
    assert f"proxy_pass http://{upstream.group(1)};" in body
    retry = re.search(r"proxy_next_upstream ([^;]+);", body)
    assert retry is not None and {"http_503", "non_idempotent"} <= set(retry.group(1).split())
    assert SECRET_HEADER.lower().replace("-", "_") not in body  # passed through, never rewritten or cleared
    assert "listen 443 ssl" in NGINX  # Telegram delivers webhooks over HTTPS only


def test_proxy_mounts_the_config_and_publishes_https() -> None:
    proxy = COMPOSE["services"]["proxy"]
    mounts = [v.split(":") for v in proxy["volumes"]]
    assert ["./deploy/nginx.conf", "/etc/nginx/conf.d/default.conf", "ro"] in mounts
    assert all((ROOT / src).exists() for src, *_ in mounts)
    certs = re.findall(r"ssl_certificate(?:_key)? (\S+);", NGINX)
    assert certs and all(c.startswith("/etc/nginx/certs/") for c in certs)
    assert any(dst == "/etc/nginx/certs" for _, dst, *_ in mounts)
    assert proxy["ports"] == ["443:443"]


def test_dockerfile_runs_the_webhook_bot_with_redis_support() -> None:
    assert re.search(r"^CMD \[\"python\", \"-m\", \"bot\", \"--webhook\"\]$", DOCKERFILE, re.M)
    # The image installs the versions the tests passed with (constraints.txt, `make lock`).
    assert "pip install -c constraints.txt '.[redis]'" in DOCKERFILE
    assert re.search(r"^COPY .*\bconstraints\.txt\b", DOCKERFILE, re.M)
    for folder in ("bot", "flows", "messages"):
        assert re.search(rf"^COPY {folder} \./{folder}$", DOCKERFILE, re.M)
    exposed = re.search(r"^EXPOSE (\d+)$", DOCKERFILE, re.M)
    assert exposed is not None and exposed.group(1) == bot_env("bot1")["WEBHOOK_PORT"]
    for var in re.findall(r"^\s+([A-Z_]+)=", DOCKERFILE, re.M):
        assert var in CODE_VARS or var.startswith(("PYTHON", "PIP_")), var
