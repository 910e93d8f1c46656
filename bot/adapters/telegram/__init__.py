"""The Telegram front end: inline-keyboard wizard over long polling, sessions in the store."""

from bot.adapters.telegram.app import announce, build_app, run_telegram, serve

__all__ = ["announce", "build_app", "run_telegram", "serve"]
