"""The Telegram front end: inline-keyboard wizard over long polling, sessions in the store."""

import os

# python-telegram-bot 22 warns (PTBDeprecationWarning) every time it builds a RetryAfter error unless the
# bot opts in to timedelta durations, which are what the delivery policy reads. Opt in before PTB runs.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from bot.adapters.telegram.app import announce, build_app, run_telegram, serve

__all__ = ["announce", "build_app", "run_telegram", "serve"]
