"""Pages from ``messages/``: Telegram HTML (autoescaped, sandboxed, StrictUndefined).

Strings inside flow files (steps, materials, tips) are rendered by ``bot.catalog.flowstrings``: plain text
with a few variables, escaped later by the page template that shows them.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from jinja2 import FileSystemLoader, StrictUndefined, Template
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bot.errors import ConfigError
from bot.view import View

MESSAGES_DIR = Path(__file__).resolve().parent.parent / "messages"


def yuan(value: Decimal | int | float | str) -> str:
    """Format money: ``240`` -> ``240``, ``240.5`` -> ``240.50``, thousands separated."""
    d = Decimal(str(value))
    return f"{d:,.0f}" if d == d.to_integral_value() else f"{d:,.2f}"


def percent(value: Decimal | int | float | str) -> str:
    """Format a percentage without trailing zeros: ``8.50`` -> ``8.5``."""
    d = Decimal(str(value)).normalize()
    return f"{d:f}"


def read_messages_yaml(messages_dir: Path, name: str) -> dict[str, Any]:
    """The mapping in ``messages/<name>``; unreadable YAML or anything but a mapping raises ConfigError."""
    path = Path(messages_dir) / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must be a mapping of keys to texts")
    return data


class Renderer:
    """Renders :class:`View` objects to Telegram HTML using the templates in ``messages/``."""

    def __init__(self, messages_dir: Path = MESSAGES_DIR) -> None:
        self.env = ImmutableSandboxedEnvironment(
            loader=FileSystemLoader(str(messages_dir)),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            # Templates are read once (pages are cached below); without this every include, import and
            # extends would stat its file on each render.
            auto_reload=False,
        )
        self.env.filters["yuan"] = yuan
        self.env.filters["percent"] = percent
        self.labels: dict[str, str] = yaml.safe_load(
            (messages_dir / "labels.yaml").read_text(encoding="utf-8")
        )
        self.env.globals["labels"] = self.labels
        self._templates: dict[str, Template] = {}

    def template(self, name: str) -> Template:
        """A compiled page template, cached."""
        t = self._templates.get(name)
        if t is None:
            t = self._templates[name] = self.env.get_template(f"{name}.html.j2")
        return t

    def render(self, view: View) -> str:
        """The view's text as Telegram HTML."""
        out = []
        for part in view.parts:
            try:
                out.append(self.template(part.template).render(part.context).strip())
            except Exception as exc:
                exc.add_note(f"in template messages/{part.template}.html.j2")
                raise
        return "\n\n".join(x for x in out if x)

    def text(self, name: str, **context: Any) -> str:
        """Render a standalone message template (help, errors, notices) to Telegram HTML."""
        try:
            return self.template(name).render(context).strip()
        except Exception as exc:
            exc.add_note(f"in template messages/{name}.html.j2")
            raise


_TAG = re.compile(r"<[^>]+>")


def html_to_text(markup: str) -> str:
    """Plain text for the terminal: drop Telegram HTML tags and unescape entities."""
    return html.unescape(_TAG.sub("", markup))
