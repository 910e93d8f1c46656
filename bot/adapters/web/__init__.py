"""The guide on the web and the Telegram Mini App (``python -m bot web``; see ``server.py``).

Importing this package loads nothing: ``site.py`` builds pages, ``server.py`` serves them over HTTP,
``initdata.py`` checks what Telegram signs for the Mini App.
"""
