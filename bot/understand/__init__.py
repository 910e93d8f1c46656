"""Understanding typed Chinese questions: identity, region, channel, intent and a money figure.

Pure and platform-neutral. Words come from the flows (region names and aliases) and from
``flows/vocabulary.yaml``; see ``docs/understanding.md`` for how a message is read.
"""

from bot.understand.lexicon import Lexicon, lexicon_for
from bot.understand.parse import SELF, understand
from bot.understand.result import Understanding
from bot.understand.text import clean_text

__all__ = ["SELF", "Lexicon", "Understanding", "clean_text", "lexicon_for", "understand"]
