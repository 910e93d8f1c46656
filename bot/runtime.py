"""Shared mutable state of a running bot: the current wizard, swappable as a whole.

Front ends read ``holder.current`` once per update, so one update always sees one catalog. A reload
(issue: admin /reload) builds a new :class:`Wizard` and calls :meth:`WizardHolder.swap`; assigning one
attribute is atomic on the event loop, so no update ever sees half of a new catalog.
"""

from __future__ import annotations

from bot.wizard import Wizard


class WizardHolder:
    """Holds the wizard (catalog + labels) in use."""

    __slots__ = ("current",)

    def __init__(self, wizard: Wizard) -> None:
        self.current = wizard

    def swap(self, wizard: Wizard) -> Wizard:
        """Put ``wizard`` in use; return the one it replaces."""
        old, self.current = self.current, wizard
        return old
