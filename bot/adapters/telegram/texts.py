"""The Telegram front end's short texts, read from ``messages/telegram.yaml`` and checked at start-up."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from bot.errors import ConfigError
from bot.render import read_messages_yaml

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
# Telegram's limits: descriptions, short descriptions, toasts (answerCallbackQuery), command descriptions.
_MAX = {
    "description": 512,
    "short_description": 120,
    "toast_stale": 200,
    "toast_invalid": 200,
    "toast_error": 200,
    "toast_busy": 200,
}


@dataclass(frozen=True)
class TelegramTexts:
    """Command menu, bot descriptions, toasts and keyboard navigation labels."""

    commands: tuple[tuple[str, str], ...]
    description: str
    short_description: str
    toast_stale: str
    toast_invalid: str
    toast_error: str
    toast_busy: str
    group_button: str
    page_prev: str
    page_next: str
    selected_mark: str
    share_button: str  # URL button under the guide: its web page (when WEB_BASE_URL is set)
    menu_button: str  # the chat's menu button that opens the Mini App (when WEB_BASE_URL is https)


def load_texts(messages_dir: Path) -> TelegramTexts:
    """Read and validate ``telegram.yaml``; a missing or malformed key raises :class:`ConfigError`."""
    path = Path(messages_dir) / "telegram.yaml"
    data = read_messages_yaml(messages_dir, "telegram.yaml")
    problems: list[str] = []
    values: dict[str, Any] = {}
    for f in fields(TelegramTexts):
        raw = data.get(f.name)
        if f.name == "commands":
            if not isinstance(raw, dict) or not raw:
                problems.append("commands: must map command names to descriptions")
                continue
            for name, desc in raw.items():
                if (
                    not _COMMAND.fullmatch(str(name))
                    or not isinstance(desc, str)
                    or not 1 <= len(desc) <= 256
                ):
                    problems.append(f"commands.{name}: name must be a-z0-9_, description 1-256 characters")
            values[f.name] = tuple((str(k), str(v)) for k, v in raw.items())
        elif not isinstance(raw, str) or not raw:
            problems.append(f"{f.name}: missing or not a text")
        elif len(raw) > _MAX.get(f.name, 64):
            problems.append(f"{f.name}: longer than {_MAX.get(f.name, 64)} characters")
        else:
            values[f.name] = raw
    for key in sorted(set(data) - {f.name for f in fields(TelegramTexts)}):
        problems.append(f"{key}: unknown key")
    if problems:
        raise ConfigError("\n".join(f"{path}: {p}" for p in problems))
    return TelegramTexts(**values)
