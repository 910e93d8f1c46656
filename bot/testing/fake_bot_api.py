"""A small, real Bot API server on 127.0.0.1 for end-to-end tests.

The real python-telegram-bot Application talks to it over HTTP (``base_url`` = :attr:`FakeBotApi.base_url`).
It keeps chats and messages, lets tests inject updates (text, commands, stickers and other media,
button presses), long-polls like Telegram (a newer getUpdates terminates a pending one with 409 Conflict),
records every call with a timestamp, and enforces Telegram's rules: callback_data of 1-64 bytes, text of
at most 4096 characters, valid Telegram HTML, "message is not modified" on identical edits, one answer per
callback query, and for inline queries (answerInlineQuery): at most 50 results with unique ids of 1-64
bytes, message texts checked like sendMessage's, a valid start_parameter, one answer per query. Updates
whose type is not in the bot's ``allowed_updates`` are not delivered, as Telegram does not deliver them
(they are kept in :attr:`filtered`). Command menus are kept per scope (default, or one chat); as on
Telegram, a chat scope names a chat that has written to the bot, else "chat not found".
Breaking a rule is recorded in :attr:`violations` (tests assert it stays empty).
:class:`Faults` holds knobs for failure tests (429 with retry_after, 5xx, dropped connections, timeouts,
blocked and vanished chats, delays, 409), applied at random or scripted per method.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import random
import re
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot.testing.fake_bot_model import (
    BOT_USER,
    CONFLICT,
    JSON_FIELDS,
    NOT_MODIFIED,
    QUERY_TOO_OLD,
    TOKEN,
    WEBHOOK_ACTIVE,
    ApiError,
    Call,
    Faults,
    InlineAnswer,
    Offer,
    RuleError,
    Sent,
    check_inline_answer,
    check_markup,
    check_text,
    media,
    user,
)

_DUMPS = functools.partial(json.dumps, ensure_ascii=False)


def _json_response(body: Any, status: int = 200) -> web.Response:
    """JSON as Telegram sends it: UTF-8, not ASCII escapes."""
    return web.json_response(body, status=status, dumps=_DUMPS)


_ANSWERS = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup"})
_DROPPED = ("reset", "timeout")
__all__ = ["TOKEN", "ApiError", "FakeBotApi", "Faults", "InlineAnswer", "Sent"]


class FakeBotApi:
    """The server. ``await start()`` it, point the bot at :attr:`base_url`, inject updates, read results."""

    def __init__(self, token: str = TOKEN, faults: Faults | None = None) -> None:
        self.token = token
        self.faults = faults or Faults()
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.messages: dict[tuple[int, int], Sent] = {}
        self.deleted: set[tuple[int, int]] = set()
        self.too_old: set[tuple[int, int]] = set()  # messages Telegram no longer lets the bot edit (48 h)
        self.offers: dict[int, Offer] = {}
        self.inline_answers: dict[str, InlineAnswer] = {}
        self.allowed_updates: list[str] | None = None  # as last given to getUpdates
        self.filtered: list[Offer] = []  # updates of a type the bot did not ask for (never delivered)
        # False: deliver every update whatever ``allowed_updates`` says, to prove the bot ignores the rest.
        self.honour_allowed_updates = True
        self.commands: list[dict[str, Any]] = []  # the default scope's menu
        self.chat_commands: dict[int, list[dict[str, Any]]] = {}  # menus of BotCommandScopeChat scopes
        self.chats: set[int] = set()  # chats (users) that have written to the bot
        self.description = ""
        self.short_description = ""
        self.menu_button: dict[str, Any] = {"type": "default"}  # setChatMenuButton without a chat_id
        self.webhook: dict[str, Any] = {}  # setWebhook's parameters while a webhook is set
        self.get_updates_answer: Any = None  # when set, getUpdates answers this (a malformed result)
        # Indexes, so that a load of thousands of chats (bench/bot_bench.py) stays linear:
        self._chat_msgs: dict[int, list[Sent]] = {}  # bot messages per chat, oldest first
        self._unanswered: dict[int, list[Offer]] = {}  # offered, not yet answered, per chat
        self._queries: dict[str, Offer] = {}  # callback query id -> its update
        self._waiters: dict[int, list[asyncio.Future[None]]] = {}  # update id -> wait_answered futures
        self._queue: list[Offer] = []
        self._next_update = 1
        self._next_message: dict[int, int] = {}
        self._poller: asyncio.Future[str] | None = None
        self._changed = asyncio.Event()
        self._rng = random.Random(self.faults.seed)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._methods: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getMe": lambda p: BOT_USER,
            "logOut": lambda p: True,
            "close": lambda p: True,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": lambda p: {
                "url": self.webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": len(self._queue),
                **({"max_connections": self.webhook["max_connections"]} if self.webhook else {}),
            },
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_reply_markup,
            "answerCallbackQuery": self._answer_callback,
            "answerInlineQuery": self._answer_inline,
            "setMyCommands": self._set_commands,
            "getMyCommands": self._get_commands,
            "deleteMyCommands": lambda p: self._set_commands({**p, "commands": []}),
            "setMyDescription": self._set_description,
            "getMyDescription": lambda p: {"description": self.description},
            "setMyShortDescription": self._set_short_description,
            "getMyShortDescription": lambda p: {"short_description": self.short_description},
            "sendChatAction": lambda p: True,
            "getChatMenuButton": lambda p: self.menu_button,
            "setChatMenuButton": self._set_menu_button,
            "deleteMessage": self._delete_message,
        }

    # ----- lifecycle -------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """TELEGRAM_BASE_URL for the bot: requests go to ``{base_url}{token}/{method}``."""
        return f"http://127.0.0.1:{self.port}/bot"

    def base_url_for(self, instance: str) -> str:
        """A TELEGRAM_BASE_URL that tags each call with ``instance`` (:attr:`Call.instance`), so tests
        with several bot processes know which one made a call."""
        return f"http://127.0.0.1:{self.port}/i/{instance}/bot"

    async def start(self) -> FakeBotApi:
        """Listen on a free port of 127.0.0.1."""
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ----- injecting updates ---------------------------------------------------------------------
    def _message_id(self, chat_id: int) -> int:
        self._next_message[chat_id] = self._next_message.get(chat_id, 0) + 1
        return self._next_message[chat_id]

    def _chat(self, chat_id: int, name: str) -> dict[str, Any]:
        if chat_id < 0:
            return {"id": chat_id, "type": "supergroup", "title": "医保交流群"}
        return {"id": chat_id, "type": "private", "first_name": name}

    def push_update(self, chat_id: int, body: dict[str, Any]) -> int:
        """Inject any update ``body`` (without ``update_id``) belonging to ``chat_id``; its update id."""
        query = body.get("callback_query")
        return self._push(
            chat_id, body, str(query["id"]) if isinstance(query, dict) and "id" in query else None
        )

    def _push(
        self, chat_id: int, body: dict[str, Any], query_id: str | None = None, inline_id: str | None = None
    ) -> int:
        uid = self._next_update
        self._next_update += 1
        offer = Offer(uid, chat_id, {"update_id": uid, **body}, query_id, inline_id=inline_id)
        self.chats.add(chat_id)
        self.offers[uid] = offer
        if query_id is not None:
            self._queries[query_id] = offer
        self._queue.append(offer)
        if self._poller is not None and not self._poller.done():
            self._poller.set_result("wake")
        self._tick()
        return uid

    def push_message(self, chat_id: int, name: str = "小王", **content: Any) -> int:
        """Inject a message update with ``content`` (``text=...``, ``sticker={...}``, ...); its update id."""
        msg = {
            "message_id": self._message_id(chat_id),
            "date": int(time.time()),
            "chat": self._chat(chat_id, name),
            "from": user(chat_id, name),
            **content,
        }
        text = content.get("text", "")
        if text.startswith("/") and "entities" not in content:
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if isinstance(text, str) and text:
            self.messages[(chat_id, msg["message_id"])] = Sent(chat_id, msg["message_id"], False, text)
        return self._push(chat_id, {"message": msg})

    def message_body(
        self, chat_id: int, text: str, name: str = "小王", user_id: int | None = None, **extra: Any
    ) -> dict[str, Any]:
        """A message object from a user in ``chat_id`` (for edited messages, channel posts and groups);
        the sender is ``user_id`` (default: the private chat's user, or user 100001 in a group)."""
        sender = user_id if user_id is not None else (chat_id if chat_id > 0 else 100001)
        return {
            "message_id": self._message_id(chat_id),
            "date": int(time.time()),
            "chat": self._chat(chat_id, name),
            "from": user(sender, name),
            "text": text,
            **extra,
        }

    def push_text(self, chat_id: int, text: str, name: str = "小王") -> int:
        """Inject a text message (a command when it starts with '/')."""
        return self.push_message(chat_id, name, text=text)

    def push_media(self, chat_id: int, kind: str, name: str = "小王") -> int:
        """Inject a sticker, photo, voice, video or document."""
        return self.push_message(chat_id, name, **{kind: media(kind)})

    def push_callback(self, chat_id: int, message_id: int, data: str, name: str = "小王") -> int:
        """Inject a press of a button with ``data`` on the bot's message ``message_id``."""
        msg = self.messages[(chat_id, message_id)]
        qid = f"q{self._next_update}"
        body = {
            "callback_query": {
                "id": qid,
                "from": user(chat_id, name),
                "message": self._api_message(msg),
                "chat_instance": f"ci{chat_id}",
                "data": data,
            }
        }
        return self._push(chat_id, body, qid)

    def push_inline_query(
        self, user_id: int, query: str, name: str = "小王", chat_type: str = "sender"
    ) -> int:
        """Inject an inline query (the user typed ``@bot <query>`` in a chat of ``chat_type``)."""
        qid = f"iq{self._next_update}"
        body = {
            "inline_query": {
                "id": qid,
                "from": user(user_id, name),
                "query": query,
                "offset": "",
                "chat_type": chat_type,
            }
        }
        return self._push(user_id, body, inline_id=qid)

    def push_inline_choice(self, chat_id: int, update_id: int, result_id: str, name: str = "小王") -> int:
        """Inject the message a user sends into ``chat_id`` by choosing result ``result_id`` of the inline
        query injected as ``update_id`` (as Telegram does: a message from the user ``via_bot``)."""
        answer = self.inline_answers[self.offers[update_id].inline_id or ""]
        return self.push_message(chat_id, name, text=answer.text(result_id), via_bot=BOT_USER)

    # ----- reading results -----------------------------------------------------------------------
    def chat_messages(self, chat_id: int) -> list[Sent]:
        """The bot's messages in a chat, oldest first."""
        return list(self._chat_msgs.get(chat_id, ()))

    def last_touched(self, chat_id: int) -> Sent | None:
        """The bot message in the chat most recently sent or edited."""
        msgs = self.chat_messages(chat_id)
        return max(msgs, key=lambda m: m.touched) if msgs else None

    def calls_of(self, method: str) -> list[Call]:
        """Calls of one method, in order."""
        return [c for c in self.calls if c.method == method]

    def menu_for(self, chat_id: int) -> list[str]:
        """The command names Telegram shows in ``chat_id``'s menu (its own scope, else the default)."""
        return [c["command"] for c in self.chat_commands.get(chat_id, self.commands)]

    def latencies(self) -> list[float]:
        """Seconds from offering each answered update to the bot's first message or edit for it."""
        return [o.answered_at - o.offered_at for o in self.offers.values() if o.answered_at and o.offered_at]

    def abandon_pending(self) -> int:
        """After killing the bot: updates it had fetched and long polling had confirmed, but not answered,
        died with it. Leave them out of attribution and of :meth:`undelivered`; how many.

        Fetched updates not yet confirmed are still queued and go to the next process, which answers them
        (again, if the dead one had: polling keeps no record of processed updates). They stay expected,
        so their answers are not taken for answers to the chat's later updates."""
        queued = {o.update_id for o in self._queue}
        pending = [
            o
            for o in self.offers.values()
            if o.offered_at and not o.delivered_at and not o.abandoned and o.update_id not in queued
        ]
        for o in pending:
            o.abandoned = True
        for o in self._queue:
            if o.offered_at and o.delivered_at and not o.inline_id:
                o.delivered_at = o.replied_at = o.answered_at = None
                waiting = self._unanswered.setdefault(o.chat_id, [])
                if o not in waiting:
                    waiting.append(o)
        return len(pending)

    def undelivered(self) -> list[Offer]:
        """Updates handed to the bot that never got a successful message, edit or button answer, leaving
        out chats that cannot be written to (blocked, vanished) and updates with no chat (ignored)."""
        unreachable = self.faults.blocked | self.faults.missing
        return [
            o
            for o in self.offers.values()
            if o.offered_at
            and not o.abandoned
            and o.chat_id not in unreachable
            and (o.delivered_at is None if o.query_id is None else (o.delivered_at is None or not o.answers))
        ]

    def problems(self) -> list[str]:
        """Rule violations plus button presses that were handed to the bot but never answered."""
        unanswered = [
            f"callback query {o.query_id} (update {o.update_id}) never answered"
            for o in self.offers.values()
            if o.query_id and o.offered_at and not o.answers
        ]
        unanswered += [
            f"inline query {o.inline_id} (update {o.update_id}) never answered"
            for o in self.offers.values()
            if o.inline_id and o.offered_at and o.inline_id not in self.inline_answers
        ]
        return self.violations + unanswered

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until ``predicate()`` holds (checked after every call and injection)."""
        deadline = time.monotonic() + timeout
        while not predicate():
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("condition not met in time")
            event = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), left)

    async def wait_answered(self, update_id: int, timeout: float = 10.0) -> None:
        """Wait until the bot answered ``update_id`` (and acknowledged it, for a button press)."""
        o = self.offers[update_id]
        if self._complete(o):
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(update_id, []).append(done)
        try:
            await asyncio.wait_for(done, timeout)
        except TimeoutError:
            raise TimeoutError(f"update {update_id} not answered within {timeout}s") from None

    @staticmethod
    def _complete(o: Offer) -> bool:
        return o.replied_at is not None and (o.query_id is None or o.answers > 0)

    def _wake(self, o: Offer) -> None:
        """Resolve the waiters of ``o`` once it is answered (and acknowledged, for a button press)."""
        if self._complete(o):
            for fut in self._waiters.pop(o.update_id, ()):
                if not fut.done():
                    fut.set_result(None)

    def _tick(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    # ----- HTTP ----------------------------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            data = dict(await request.json())
        elif request.method == "POST":
            data = {k: v for k, v in (await request.post()).items() if isinstance(v, str)}
        else:
            data = {}
        data.update(request.query)
        for key in JSON_FIELDS:
            if isinstance(data.get(key), str):
                data[key] = json.loads(data[key])
        return data

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.path
        m = re.fullmatch(r"(?:/i/([A-Za-z0-9_-]+))?/bot([^/]+)/([A-Za-z]+)", path)
        if m is None or m.group(2) != self.token:
            return _json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = m.group(3)
        params = await self._params(request)
        call = Call(method, params, time.perf_counter(), instance=m.group(1) or "")
        self.calls.append(call)
        answering = None
        if method in _ANSWERS and "chat_id" in params:
            # Even an edit refused as identical counts: the bot did answer.
            answering = self._answered(int(params["chat_id"]), call.at)
            if answering is not None:
                answering.answered_by = call.instance
        self._tick()
        try:
            await self._fault(method, params, call)
            if call.fault in _DROPPED:
                call.error = call.fault
                if call.fault == "timeout":
                    await asyncio.sleep(self.faults.hang)  # the bot gives up first (handler cancelled)
                if request.transport is not None:
                    request.transport.abort()
                return web.Response(status=500)
            if method == "getUpdates":
                result = await self._get_updates(params)
            elif method in self._methods:
                result = self._methods[method](params)
            else:
                raise RuleError(404, "Not Found: method not found")
        except ApiError as exc:
            call.error = exc.description
            if isinstance(exc, RuleError):
                self.violations.append(f"{method}: {exc.description}")
            body: dict[str, Any] = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
            return _json_response(body, status=exc.code)
        finally:
            if answering is not None and call.fault is None:
                answering.replied_at = time.perf_counter()
                if call.error is None or call.error == NOT_MODIFIED:
                    answering.delivered_at = answering.replied_at
                    pending = self._unanswered.get(answering.chat_id)
                    if pending and answering in pending:
                        pending.remove(answering)
                        if not pending:
                            del self._unanswered[answering.chat_id]
                self._wake(answering)
            self._tick()
        return _json_response({"ok": True, "result": result})

    def _next_fault(self, method: str, p: dict[str, Any]) -> str | None:
        f = self.faults
        if f.script.get(method):
            return f.script[method].pop(0)
        if method not in f.methods:
            return None
        chat = int(p["chat_id"]) if "chat_id" in p else None
        if chat in f.blocked:
            return "403"
        if chat in f.missing:
            return "chat_not_found"
        draw = self._rng.random()
        for kind, rate in (
            ("429", f.rate_429),
            ("5xx", f.rate_5xx),
            ("reset", f.rate_reset),
            ("timeout", f.rate_timeout),
        ):
            if draw < rate:
                return None if kind == "429" and method in f.no_flood else kind
            draw -= rate
        return None

    async def _fault(self, method: str, p: dict[str, Any], call: Call) -> None:
        """Apply the fault due for this call (recorded in ``call.fault``): raise its error answer, or
        leave "reset"/"timeout" for the caller, which drops the connection."""
        f = self.faults
        if f.delay:
            await asyncio.sleep(f.delay)
        if method == "getUpdates" and f.conflict:
            raise ApiError(409, CONFLICT)
        kind = self._next_fault(method, p)
        if kind is None:
            return
        f.injected[kind] += 1
        call.fault = kind
        if kind in _DROPPED:
            return
        raise {
            "429": ApiError(
                429, f"Too Many Requests: retry after {f.retry_after}", {"retry_after": f.retry_after}
            ),
            "5xx": ApiError(502, "Bad Gateway"),
            "403": ApiError(403, "Forbidden: bot was blocked by the user"),
            "chat_not_found": ApiError(400, "Bad Request: chat not found"),
        }[kind]

    # ----- methods -------------------------------------------------------------------------------
    async def _get_updates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook:
            raise ApiError(409, WEBHOOK_ACTIVE)
        if self.get_updates_answer is not None:
            return self.get_updates_answer
        offset = int(p.get("offset") or 0)
        limit = int(p.get("limit") or 100)
        timeout = float(p.get("timeout") or 0)
        if offset > 0:
            self._queue = [o for o in self._queue if o.update_id >= offset]
        if p.get("allowed_updates") is not None:
            self.allowed_updates = list(p["allowed_updates"])
        self._drop_unwanted()
        if self._poller is not None and not self._poller.done():
            self._poller.set_result("conflict")  # like Telegram: the newer request wins
        me: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._poller = me
        try:
            if not self._queue and timeout > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(me), timeout)
            if me.done() and me.result() == "conflict":
                raise ApiError(409, CONFLICT)
        finally:
            if self._poller is me:
                self._poller = None
        self._drop_unwanted()
        batch = self._queue[:limit]
        now = time.perf_counter()
        for o in batch:
            self._offer(o, now)
        return [o.body for o in batch]

    def _drop_unwanted(self) -> None:
        """Telegram does not deliver updates of types left out of ``allowed_updates`` (empty list: all)."""
        if not self.allowed_updates or not self.honour_allowed_updates:
            return
        keep = [o for o in self._queue if o.kind in self.allowed_updates]
        self.filtered += [o for o in self._queue if o.kind not in self.allowed_updates]
        self._queue = keep

    def _offer(self, o: Offer, now: float) -> None:
        """Mark ``o`` as handed to the bot (the first time counts)."""
        if o.offered_at is None and not o.inline_id:  # inline answers are matched by query id
            self._unanswered.setdefault(o.chat_id, []).append(o)
        o.offered_at = now

    def _answered(self, chat_id: int, at: float) -> Offer | None:
        """Attribute a send/edit to the oldest offered update of the chat not yet delivered (one chat's
        updates are handled in order, so that is the update the bot is answering)."""
        # The chat's oldest update handed to the bot and not yet delivered (an attempt that failed, e.g.
        # with 429, leaves it waiting for the retry).
        waiting = [o for o in self._unanswered.get(chat_id, ()) if not o.abandoned]
        if not waiting:
            return None
        offer = min(waiting, key=lambda o: o.update_id)
        if offer.answered_at is None:
            offer.answered_at = at
        return offer

    def _api_message(self, m: Sent) -> dict[str, Any]:
        out: dict[str, Any] = {
            "message_id": m.message_id,
            "date": int(time.time()),
            "chat": self._chat(m.chat_id, "小王"),
            "from": BOT_USER,
            "text": m.plain,
        }
        if m.markup:
            out["reply_markup"] = m.markup
        return out

    def _send_message(self, p: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        text = check_text(str(p.get("text", "")), p.get("parse_mode"))
        markup = check_markup(p.get("reply_markup"))
        msg = Sent(chat_id, self._message_id(chat_id), True, text, markup, touched=time.perf_counter())
        self.messages[(chat_id, msg.message_id)] = msg
        self._chat_msgs.setdefault(chat_id, []).append(msg)
        return self._api_message(msg)

    def _target(self, p: dict[str, Any]) -> Sent:
        msg = self.messages.get((int(p["chat_id"]), int(p["message_id"])))
        if msg is None or not msg.from_bot:
            raise ApiError(400, "Bad Request: message to edit not found")
        if (msg.chat_id, msg.message_id) in self.too_old:
            raise ApiError(400, "Bad Request: message can't be edited")
        return msg

    def _edit_message_text(self, p: dict[str, Any]) -> dict[str, Any]:
        msg = self._target(p)
        text = check_text(str(p.get("text", "")), p.get("parse_mode"))
        markup = check_markup(p.get("reply_markup"))
        return self._edit(msg, text, markup)

    def _edit_reply_markup(self, p: dict[str, Any]) -> dict[str, Any]:
        msg = self._target(p)
        return self._edit(msg, msg.text, check_markup(p.get("reply_markup")))

    def _edit(self, msg: Sent, text: str, markup: dict[str, Any] | None) -> dict[str, Any]:
        if text == msg.text and markup == msg.markup:
            raise ApiError(400, NOT_MODIFIED)
        msg.text, msg.markup, msg.edits, msg.touched = text, markup, msg.edits + 1, time.perf_counter()
        return self._api_message(msg)

    def _delete_message(self, p: dict[str, Any]) -> bool:
        key = (int(p["chat_id"]), int(p["message_id"]))
        if key not in self.messages or key in self.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        self.deleted.add(key)
        return True

    def _answer_callback(self, p: dict[str, Any]) -> bool:
        qid = str(p.get("callback_query_id"))
        offer = self._queries.get(qid)
        text = p.get("text")
        if text is not None and len(str(text)) > 200:
            raise RuleError(400, "Bad Request: MESSAGE_TOO_LONG")
        if offer is None or offer.answers:
            raise ApiError(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        offer.answers += 1
        offer.acked_at = time.perf_counter()
        offer.toast = text
        self._wake(offer)
        return True

    def _answer_inline(self, p: dict[str, Any]) -> bool:
        qid = str(p.get("inline_query_id"))
        offer = next((o for o in self.offers.values() if o.inline_id == qid), None)
        answer = check_inline_answer(p)
        if offer is None or qid in self.inline_answers:
            raise ApiError(400, QUERY_TOO_OLD)
        self.inline_answers[qid] = answer
        offer.answered_at = offer.replied_at = offer.delivered_at = time.perf_counter()
        return True

    def _set_webhook(self, p: dict[str, Any]) -> bool:
        url = str(p.get("url") or "")
        secret = p.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise RuleError(400, "Bad Request: secret token contains unallowed characters")
        if not url:
            return self._delete_webhook(p)
        if not url.startswith("https://"):
            raise RuleError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {**p, "max_connections": int(p.get("max_connections") or 40)}
        return True

    def _delete_webhook(self, p: dict[str, Any]) -> bool:
        self.webhook = {}
        if p.get("drop_pending_updates") in (True, "true", "True"):
            self._queue.clear()
        return True

    def take(self, update_id: int) -> dict[str, Any]:
        """Hand ``update_id`` over for webhook delivery (the test posts it): it leaves the getUpdates
        queue and counts as offered now. Its JSON body."""
        offer = self.offers[update_id]
        self._queue = [o for o in self._queue if o.update_id != update_id]
        if offer.offered_at is None:
            self._offer(offer, time.perf_counter())
        return offer.body

    def _set_commands(self, p: dict[str, Any]) -> bool:
        commands = p.get("commands") or []
        for c in commands:
            if (
                not re.fullmatch(r"[a-z0-9_]{1,32}", c.get("command", ""))
                or not 1 <= len(c.get("description", "")) <= 256
            ):
                raise RuleError(400, f"Bad Request: invalid command {c}")
        chat = self._scope_chat(p)
        if chat is None:
            self.commands = commands
        else:
            self.chat_commands[chat] = commands
        return True

    def _scope_chat(self, p: dict[str, Any]) -> int | None:
        """The chat of a BotCommandScopeChat (None for the default scope); like Telegram, a chat that
        never wrote to the bot is "not found"."""
        scope = p.get("scope") or {"type": "default"}
        if scope.get("type") == "default":
            return None
        if scope.get("type") != "chat":
            raise RuleError(400, f"Bad Request: scope {scope.get('type')!r} is not used by this bot")
        chat = int(scope.get("chat_id", 0))
        if chat not in self.chats:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _get_commands(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        chat = self._scope_chat(p)
        return self.commands if chat is None else self.chat_commands.get(chat, [])

    def _set_menu_button(self, p: dict[str, Any]) -> bool:
        button = p.get("menu_button") or {"type": "default"}
        if isinstance(button, str):
            button = json.loads(button)
        if button.get("type") == "web_app" and not str(button.get("web_app", {}).get("url", "")).startswith(
            "https://"
        ):
            raise RuleError(400, "Bad Request: WEB_APP_URL_INVALID: only https links are allowed")
        self.menu_button = button
        return True

    def _set_description(self, p: dict[str, Any]) -> bool:
        if len(p.get("description", "")) > 512:
            raise RuleError(400, "Bad Request: description is too long")
        self.description = p.get("description", "")
        return True

    def _set_short_description(self, p: dict[str, Any]) -> bool:
        if len(p.get("short_description", "")) > 120:
            raise RuleError(400, "Bad Request: short description is too long")
        self.short_description = p.get("short_description", "")
        return True
