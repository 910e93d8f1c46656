"""The Telegram front end: inline-keyboard wizard over long polling or a webhook, sessions in the store.

Imports nothing, so ``bot.adapters.telegram.split`` (used by the linter) loads without python-telegram-bot;
``app`` builds the Application and ``lifecycle`` starts and stops it.
"""
