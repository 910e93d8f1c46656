"""Keeping secrets out of logs: quiet the HTTP client's URL logging and redact every log line.

Two kinds of secrets: the bot token, and personal data users paste by mistake (ID, bank card and phone
numbers, masked with :func:`bot.privacy.redact`; at DEBUG level PTB logs every update it receives).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.privacy import redact

REDACTED = "<token>"
# httpx logs every request URL at INFO, and the Bot API URL contains the token.
_URL_LOGGERS = ("httpx", "httpcore")


class RedactingFormatter(logging.Formatter):
    """Wraps another formatter; replaces every secret and masks personal data in the formatted line
    (tracebacks included)."""

    def __init__(self, inner: logging.Formatter | None, secrets: Iterable[str]) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()
        self.secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        """Format with the wrapped formatter, then redact."""
        text = self.inner.format(record)
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return redact(text)


def protect_token(token: str, logger: logging.Logger | None = None) -> None:
    """Redact ``token`` in every handler of ``logger`` (default: root) and silence URL-logging loggers."""
    for name in _URL_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for handler in (logger or logging.getLogger()).handlers:
        if not isinstance(handler.formatter, RedactingFormatter):
            handler.setFormatter(RedactingFormatter(handler.formatter, [token]))
