"""Test doubles shared by ``tests/`` and ``bench/``: a real HTTP fake of the Bot API on 127.0.0.1, a chat
client that drives it, and a throw-away redis-server."""
