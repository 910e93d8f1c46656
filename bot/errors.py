"""Exceptions raised by the bot. Every one derives from :class:`BotError`."""

from __future__ import annotations

from dataclasses import dataclass


class BotError(Exception):
    """Base class of every error the bot raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a flow file, printed as ``file:line: field: message``."""

    file: str
    line: int
    field: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {self.field or '(file)'}: {prefix}{self.message}"


class FlowError(BotError):
    """The flow files are invalid; ``problems`` lists every error found in one pass."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None) -> None:
        self.problems = sorted(set(problems))
        self.warnings = sorted(set(warnings or ()))  # found in the same pass; printed by `flows lint`
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(BotError):
    """A setting in the environment is missing or malformed."""


class StoreUnavailableError(BotError):
    """The session store could not be read or written (database locked, disk full, server gone)."""


class SessionResetError(StoreUnavailableError):
    """The chat's stored session was damaged (a corrupt database page) and has been reset: the user is
    told so once, with an apology, and starts again; the next update works normally."""
