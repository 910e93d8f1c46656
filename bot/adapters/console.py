"""The terminal front end: the same wizard, with numbered options instead of buttons."""

from __future__ import annotations

from typing import TextIO

from bot.events import Event
from bot.render import Renderer, html_to_text
from bot.session import Session
from bot.view import CLIENT_ACTIONS, Button, View
from bot.wizard import Wizard

COLUMNS = 4


def format_view(view: View, renderer: Renderer) -> tuple[str, list[Button]]:
    """The view as plain text with numbered choices, and the buttons in that numbering."""
    # Reminders need a chat to be sent to, copy and URL buttons act in a client: the terminal leaves
    # them out.
    buttons = [
        b for b in (*view.options, *view.actions) if b.action not in CLIENT_ACTIONS and b.action != "remind"
    ]
    lines = [html_to_text(renderer.render(view)), ""]
    cells = [f"{i:>2}. {'✓' if b.selected else ''}{b.text}" for i, b in enumerate(buttons, 1)]
    per_row = COLUMNS if len(view.options) > 8 else 1
    for i in range(0, len(cells), per_row):
        lines.append("   ".join(c.ljust(16) for c in cells[i : i + per_row]).rstrip())
    return "\n".join(lines), buttons


def run_console(wizard: Wizard, renderer: Renderer, stdin: TextIO, stdout: TextIO) -> int:
    """Run the wizard in a terminal until the user quits or input ends."""
    quit_words = {str(w).lower() for w in renderer.labels.get("console_quit_words", [])}
    session, view = wizard.step(Session(), Event("show"))
    while True:
        text, buttons = format_view(view, renderer)
        stdout.write(text + "\n\n" + renderer.labels["console_prompt"])
        stdout.flush()
        line = stdin.readline()
        if not line or line.strip().lower() in quit_words:
            stdout.write("\n" + renderer.labels["console_bye"] + "\n")
            return 0
        answer = line.strip()
        if answer.isdigit() and 1 <= int(answer) <= len(buttons):
            b = buttons[int(answer) - 1]
            event = Event(b.action, b.value, session.version)
        else:
            event = Event("text", answer[:500])
        session, view = wizard.step(session, event)
        stdout.write("\n")
