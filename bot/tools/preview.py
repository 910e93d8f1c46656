"""``flows preview REGION IDENTITY CHANNEL``: the exact page the bot shows, printed in the terminal."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.catalog.catalog import Catalog
from bot.render import Renderer, html_to_text
from bot.tools import resolve
from bot.tools.lint import TELEGRAM_TEXT_LIMIT, split_messages, telegram_length
from bot.tools.walk import PathError, drive
from bot.wizard import Wizard


def preview(
    catalog: Catalog,
    renderer: Renderer,
    region: str,
    identity: str,
    channel: str,
    *,
    html: bool = False,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Print the instructions page for the given names; 0 on success, 1 when a name or path is wrong."""
    try:
        code = resolve.region(catalog, region)
        ident = resolve.identity(catalog, identity)
        ch = resolve.channel(catalog, channel)
    except resolve.NameError_ as exc:
        print(f"error: {exc}", file=err)
        return 1
    wizard = Wizard(catalog, renderer.labels)
    try:
        page = drive(wizard, resolve.choices(catalog, code, ident, ch))
    except PathError as exc:
        offered = ", ".join(f"{text} ({value})" for value, text in exc.options.items()) or "nothing"
        name = catalog.regions[code].name
        print(
            f"error: {exc.value!r} is not offered at the {exc.step} step for {name}; offered: {offered}",
            file=err,
        )
        return 1
    markup = renderer.render(page.view)
    messages = split_messages(markup)
    for i, message in enumerate(messages, 1):
        if len(messages) > 1:
            print(f"----- message {i}/{len(messages)} -----", file=out)
        print(message if html else html_to_text(message), file=out)
    size = telegram_length(markup)
    print(
        f"{catalog.regions[code].name} ({code}) · {ident} · {ch}: {size} characters, "
        f"{len(messages)} message(s) (Telegram allows {TELEGRAM_TEXT_LIMIT} per message)",
        file=err,
    )
    return 0
