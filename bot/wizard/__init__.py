"""The wizard: a pure function from (session, event) to (new session, view). No I/O, no Telegram.

``wizard`` (the step function), ``machine`` (the steps as data), ``navigation`` (moving between steps),
``typed`` (typed text and questions) and ``views`` (what is shown).
"""

from bot.wizard.wizard import Wizard

__all__ = ["Wizard"]
