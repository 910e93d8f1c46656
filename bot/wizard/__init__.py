"""The wizard: a pure function from (session, event) to (new session, view). No I/O, no Telegram."""

from bot.wizard.machine import CONDITIONS, MACHINE, MACHINE_TRANSITIONS, NOTICES, Event, Wizard, build_machine

__all__ = ["CONDITIONS", "MACHINE", "MACHINE_TRANSITIONS", "NOTICES", "Event", "Wizard", "build_machine"]
