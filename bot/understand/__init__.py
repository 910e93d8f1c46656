"""Understanding typed Chinese questions: identity, region, channel, intent and a money figure.

Pure and platform-neutral. Words come from the flows (region names and aliases) and from
``flows/vocabulary.yaml``; see ``docs/understanding.md`` for how a message is read.
"""

from bot.understand.lexicon import Lexicon, lexicon_for
from bot.understand.parse import understand
from bot.understand.result import Understanding

__all__ = ["Lexicon", "Understanding", "lexicon_for", "understand"]
