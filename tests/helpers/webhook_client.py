"""Delivering updates by webhook, as Telegram does: POST with the secret header, next one after the answer."""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def post_update(url: str, body: dict[str, Any] | str, secret: str | None) -> int:
    """POST one update (a dict, or raw text) to a webhook URL; the HTTP status of the answer."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    data = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    async with aiohttp.ClientSession() as http, http.post(url, data=data.encode(), headers=headers) as resp:
        await resp.read()
        return resp.status


async def get_json(url: str) -> tuple[int, dict[str, Any]]:
    """GET a JSON endpoint such as /healthz: status and body."""
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        return resp.status, await resp.json()


class WebhookChat(ChatClient):
    """A chat whose updates go to the webhook ``urls`` in turn (round robin, like a load balancer).
    A webhook answer comes after the update was processed, so nothing else needs waiting for."""

    def __init__(
        self, api: FakeBotApi, urls: list[str], secret: str, chat_id: int, name: str = "小王"
    ) -> None:
        super().__init__(api, None, chat_id, name)
        self.urls, self.secret = urls, secret
        self.routes: dict[int, int] = {}  # update id -> index of the URL it was posted to
        self.statuses: list[int] = []

    async def _settle(self, update_id: int) -> None:
        self.last_update = update_id
        target = len(self.routes) % len(self.urls)
        self.routes[update_id] = target
        self.statuses.append(await post_update(self.urls[target], self.api.take(update_id), self.secret))
