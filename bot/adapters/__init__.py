"""Front ends over the same wizard: a terminal console and the Telegram bot."""
