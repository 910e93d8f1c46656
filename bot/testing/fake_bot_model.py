"""Data and rules of the fake Bot API: messages, calls, offers, fault knobs and Telegram's limits."""

from __future__ import annotations

import html
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.testing.html_check import telegram_html_errors

TOKEN = "7000000001:AAFakeTokenForTests_0123456789abcdef"
BOT_USER = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "医保缴费向导",
    "username": "yibao_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
JSON_FIELDS = (
    "reply_markup",
    "commands",
    "allowed_updates",
    "link_preview_options",
    "scope",
    "entities",
    "results",
    "button",
)
MAX_INLINE_RESULTS = 50
_BUTTON_KINDS = (
    "callback_data",
    "url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "login_url",
    "web_app",
    "callback_game",
    "pay",
    "copy_text",
)
_START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
_TAG = re.compile(r"<[^>]+>")
CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
WEBHOOK_ACTIVE = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


class ApiError(Exception):
    """An error answer: HTTP status = ``code``, Telegram's ``description`` and optional ``parameters``."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


FAULT_KINDS = ("429", "5xx", "reset", "timeout", "403", "chat_not_found")


@dataclass
class Faults:
    """Failure knobs, applied to ``methods`` before the method runs. Random draws use ``seed``.

    ``script`` queues faults for the next calls of one method, whatever ``methods`` says (e.g.
    ``{"sendMessage": ["429", "5xx"]}``); ``injected`` counts every fault applied, by kind
    (:data:`FAULT_KINDS`). A "reset" drops the connection without an answer; a "timeout" holds the
    request for ``hang`` seconds first. Neither applies the call.

    ``no_flood`` names methods that a random draw never answers 429 (a draw that would is no fault, so
    the other kinds keep their rates and the draws stay in step): Telegram's flood control limits what a
    bot sends, and the Bot API server has no flood limit of its own on ``getUpdates`` (see
    docs/reliability.md, "The fault model"). A ``script`` still injects any fault anywhere.
    """

    rate_429: float = 0.0  # fraction of calls answered 429 Too Many Requests
    retry_after: int = 1
    rate_5xx: float = 0.0  # fraction answered 502 Bad Gateway
    rate_reset: float = 0.0  # fraction whose connection is dropped without an answer
    rate_timeout: float = 0.0  # fraction held for ``hang`` seconds, then dropped
    hang: float = 2.0
    blocked: set[int] = field(default_factory=set)  # chats answering 403 "bot was blocked by the user"
    missing: set[int] = field(default_factory=set)  # chats answering 400 "chat not found"
    delay: float = 0.0  # seconds added before every answer
    conflict: bool = False  # every getUpdates answers 409 Conflict
    methods: frozenset[str] = frozenset(
        {"sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery"}
    )
    no_flood: frozenset[str] = frozenset()
    seed: int = 0
    script: dict[str, list[str]] = field(default_factory=dict)
    injected: Counter[str] = field(default_factory=Counter)


@dataclass
class Call:
    """One request the bot made: method, decoded parameters, when, and the error answered (if any)."""

    method: str
    params: dict[str, Any]
    at: float
    error: str | None = None
    instance: str = ""  # which bot process made the call (see FakeBotApi.base_url_for)
    fault: str | None = None  # the injected fault (see FAULT_KINDS), if any


@dataclass
class Sent:
    """A message in a chat as the fake server holds it (bot messages keep the HTML they were sent with)."""

    chat_id: int
    message_id: int
    from_bot: bool
    text: str
    markup: dict[str, Any] | None = None
    edits: int = 0
    touched: float = 0.0

    @property
    def plain(self) -> str:
        """The text as the user reads it."""
        return html.unescape(_TAG.sub("", self.text))

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Inline buttons, row by row, flattened."""
        return [b for row in (self.markup or {}).get("inline_keyboard", []) for b in row]

    @property
    def labels(self) -> list[str]:
        """Button labels in order."""
        return [b["text"] for b in self.buttons]

    def data_for(self, label: str) -> str:
        """callback_data of the button whose label is ``label`` (or ends with it, after a ✅ mark)."""
        for b in self.buttons:
            if b["text"] == label or b["text"].endswith(" " + label):
                return str(b["callback_data"])
        raise KeyError(f"no button {label!r} in message {self.message_id}; buttons: {self.labels}")


@dataclass
class Offer:
    """Bookkeeping of one injected update: when the bot was handed it and when it answered."""

    update_id: int
    chat_id: int
    body: dict[str, Any]
    query_id: str | None = None
    offered_at: float | None = None
    pushed_at: float = field(default_factory=time.perf_counter)  # when the user sent it (before getUpdates)
    answered_at: float | None = None  # first send/edit in the chat after the offer arrived
    answered_by: str = ""  # Call.instance of that send/edit
    replied_at: float | None = None  # ... and was answered by the fake server
    delivered_at: float | None = None  # first send/edit for it that succeeded (or changed nothing)
    acked_at: float | None = None  # answerCallbackQuery
    toast: str | None = None
    answers: int = 0
    inline_id: str | None = None  # an inline query (answered with answerInlineQuery)
    abandoned: bool = False  # handed to a bot process that was killed before answering it

    @property
    def kind(self) -> str:
        """The update's type as named in ``allowed_updates`` (message, callback_query, inline_query)."""
        return next(k for k in self.body if k != "update_id")


@dataclass
class InlineAnswer:
    """What the bot answered to an inline query: results, button and caching, as Telegram got them."""

    results: list[dict[str, Any]]
    button: dict[str, Any] | None
    cache_time: int | None
    is_personal: bool | None

    @property
    def ids(self) -> list[str]:
        """Result ids in order."""
        return [str(r["id"]) for r in self.results]

    def result(self, result_id: str) -> dict[str, Any]:
        """The result with ``result_id``."""
        return next(r for r in self.results if str(r["id"]) == result_id)

    def text(self, result_id: str) -> str:
        """The message a result sends, as the reader sees it (tags dropped, entities unescaped)."""
        return html.unescape(_TAG.sub("", self.result(result_id)["input_message_content"]["message_text"]))


def user(chat_id: int, name: str) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": name, "language_code": "zh-hans"}


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class RuleError(ApiError):
    """The bot broke one of Telegram's rules (recorded as a violation by the server)."""


def check_text(text: str, parse_mode: str | None) -> str:
    """Telegram's checks on a message text: valid HTML, not empty, at most 4096 characters."""
    plain = text
    if parse_mode == "HTML":
        errors = telegram_html_errors(text)
        if errors:
            raise RuleError(400, f"Bad Request: can't parse entities: {errors[0]}")
        plain = html.unescape(_TAG.sub("", text))
    if not plain.strip():
        raise RuleError(400, "Bad Request: message text is empty")
    if utf16(plain) > 4096:
        raise RuleError(400, "Bad Request: message is too long")
    return text


def check_markup(markup: Any) -> dict[str, Any] | None:
    """Telegram's checks on an inline keyboard: shape, at most 100 buttons, callback_data of 1-64 bytes."""
    if markup in (None, "", {}):
        return None
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise RuleError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if sum(len(r) for r in rows) > 100 or any(len(r) > 8 for r in rows):
        raise RuleError(400, "Bad Request: too many inline keyboard buttons")
    for b in (b for r in rows for b in r):
        data, url = b.get("callback_data"), b.get("url")
        if not b.get("text") or (data is not None and not 1 <= len(str(data).encode()) <= 64):
            raise RuleError(400, "Bad Request: BUTTON_DATA_INVALID")
        if url is not None and not re.match(r"(https?|tg)://\S+$", str(url)):
            raise RuleError(400, "Bad Request: BUTTON_URL_INVALID")
        if sum(k in b for k in _BUTTON_KINDS) != 1:
            raise RuleError(400, "Bad Request: a button needs exactly one kind (callback_data, url, ...)")
    return markup


def _flag(value: Any) -> bool | None:
    if value is None:
        return None
    return value if isinstance(value, bool) else str(value).lower() == "true"


def check_inline_answer(p: dict[str, Any]) -> InlineAnswer:
    """Telegram's checks on answerInlineQuery: at most 50 results, unique ids of 1-64 bytes, a title,
    message texts like sendMessage's, valid keyboards and a start_parameter of 1-64 [A-Za-z0-9_-]."""
    results = p.get("results")
    if not isinstance(results, list):
        raise RuleError(400, "Bad Request: can't parse inline query results JSON object")
    if len(results) > MAX_INLINE_RESULTS:
        raise RuleError(400, "Bad Request: RESULTS_TOO_MUCH")
    seen: set[str] = set()
    for r in results:
        rid = str(r.get("id", ""))
        if not 1 <= len(rid.encode()) <= 64:
            raise RuleError(400, "Bad Request: RESULT_ID_INVALID")
        if rid in seen:
            raise RuleError(400, "Bad Request: RESULT_ID_DUPLICATE")
        seen.add(rid)
        if r.get("type") != "article" or not str(r.get("title", "")).strip():
            raise RuleError(400, "Bad Request: RESULT_TYPE_INVALID or title missing")
        content = r.get("input_message_content") or {}
        check_text(str(content.get("message_text", "")), content.get("parse_mode"))
        check_markup(r.get("reply_markup"))
    button = p.get("button")
    if button is not None:
        if not str(button.get("text", "")).strip():
            raise RuleError(400, "Bad Request: button text is empty")
        if not _START_PARAMETER.fullmatch(str(button.get("start_parameter", ""))):
            raise RuleError(400, "Bad Request: START_PARAM_INVALID")
    cache = p.get("cache_time")
    if cache is not None and (not str(cache).isdigit()):
        raise RuleError(400, "Bad Request: cache_time must be a non-negative integer")
    return InlineAnswer(
        results, button, int(cache) if cache is not None else None, _flag(p.get("is_personal"))
    )


def media(kind: str) -> dict[str, Any]:
    """Message content for a sticker, photo, voice, video or document."""
    file = {"file_id": f"F{kind}", "file_unique_id": f"U{kind}"}
    contents: dict[str, Any] = {
        "sticker": {
            **file,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        },
        "photo": [{**file, "width": 90, "height": 90}],
        "voice": {**file, "duration": 2},
        "video": {**file, "width": 320, "height": 240, "duration": 3},
        "document": {**file, "file_name": "医保.pdf"},
    }
    return contents[kind]
