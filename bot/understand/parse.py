"""Reading one message: one value per slot and one intent, chosen from the hits of a scan.

Rules (see docs/understanding.md): overlapping words of a slot resolve longest first; a negated word
(不是学生) does not count; when a slot is named twice the mention after a preference cue wins (人在深圳),
else the first, refined to a city of the chosen province (湖南长沙 -> 长沙); two identities with no cue
are ambiguous and give none. Typo fallbacks run only for a slot that found nothing exactly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.catalog.catalog import Catalog
from bot.catalog.models import SMALL_TALK
from bot.understand.amounts import find_amount
from bot.understand.lexicon import Lexicon, lexicon_for
from bot.understand.result import Understanding
from bot.understand.scan import Hit, Scan, fuzzy_slots, scan
from bot.understand.text import Prepared, prepare

# Longer messages are cut: nobody types a question this long, and the cost stays bounded.
MAX_CHARS = 500
# The general intent: it wins only when no specific intent (materials, deadline, ...) is asked.
GENERAL_INTENT = "how_to_pay"
# An intent that a money figure implies when no other specific intent is asked (基数5000 -> calculator).
FIGURE_INTENT = "amount"
_CUE_REACH = 2  # characters allowed between a negation or preference cue and the word it governs
_NOT_WORD = re.compile(r"[\W_]+")
_WORDLIKE = re.compile(r"[^\W_]")  # a letter, digit or Chinese character


def _only_emoji(text: str) -> bool:
    """True when ``text`` has a pictograph (👍) and no letter, digit or Chinese character."""
    return not _WORDLIKE.search(text) and any(unicodedata.category(ch) == "So" for ch in text)


def understand(text: str, catalog: Catalog) -> Understanding:
    """Extract a command, identity, region, channel, intent and money figure from ``text``."""
    lex = lexicon_for(catalog)
    p = prepare(text[:MAX_CHARS])
    s = scan(p, lex)
    amount = find_amount(p.key, lex)
    command = _command(s)
    intent = command or _intent(s, lex, amount is not None)
    if intent is None and _only_emoji(text):
        intent = "emoji"  # nothing but emoji (👍, 🙏): small talk
    return Understanding(
        command=command,
        identity=_identity(s, p, lex, intent),
        region=_region(s, p, lex),
        channel=_channel(s, p, lex),
        intent=intent,
        amount=amount,
    )


def _before(cues: Iterable[Hit], hit: Hit) -> bool:
    return any(c.end <= hit.start and hit.start - c.end <= _CUE_REACH for c in cues)


def _live(hits: Iterable[Hit], s: Scan) -> list[Hit]:
    """Non-overlapping hits (aligned, then longest, then leftmost first), without negated ones or
    words listed in ``not_slots``, in order of position."""
    taken: list[Hit] = []
    for h in sorted(hits, key=lambda h: (not h.aligned, -h.size, h.start)):
        if all(h.end <= t.start or h.start >= t.end for t in taken):
            taken.append(h)
    negations = s.other.get("neg", ())
    return sorted(
        (h for h in taken if h.value is not None and not _before(negations, h)), key=lambda h: h.start
    )


def _preferred(hits: list[Hit], s: Scan, slot: str) -> list[Hit]:
    cues = s.other.get(f"prefer:{slot}", ())
    return [h for h in hits if _before(cues, h)]


def _slot_hits(s: Scan, p: Prepared, lex: Lexicon, slot: str) -> list[Hit]:
    return _live(s.slots.get(slot, ()), s) or _live(fuzzy_slots(p, lex, slot), s)


def _identity(s: Scan, p: Prepared, lex: Lexicon, intent: str | None) -> str | None:
    for b in _live(s.other.get("beneficiary", ()), s):
        return str(b.value)
    hits = _live(s.slots.get("identity", ()), s)
    if not hits:
        hits = _live(fuzzy_slots(p, lex, "identity"), s)
    if intent == "duplicate":
        hits = [h for h in hits if h.word not in lex.scheme_words]
    values = {str(h.value) for h in hits}
    if len(values) > 1:
        values = {str(h.value) for h in _preferred(hits, s, "identity")}
    return values.pop() if len(values) == 1 else None


def _region(s: Scan, p: Prepared, lex: Lexicon) -> str | None:
    hits = _live(s.slots.get("region", ()), s)
    if not hits:
        whole = _NOT_WORD.sub("", p.key)
        if whole in lex.whole_message:
            return lex.whole_message[whole]
        hits = _live(fuzzy_slots(p, lex, "region"), s)
    if not hits:
        return None
    chosen = str((_preferred(hits, s, "region") or hits)[0].value)
    for h in hits:
        if lex.region_parent.get(str(h.value)) == chosen:
            return str(h.value)
    return chosen


def _channel(s: Scan, p: Prepared, lex: Lexicon) -> str | None:
    hits = _slot_hits(s, p, lex, "channel")
    return str((_preferred(hits, s, "channel") or hits)[0].value) if hits else None


def _command(s: Scan) -> str | None:
    hits = _live(s.other.get("command", ()), s)
    return str(max(hits, key=lambda h: h.size).value) if hits else None


def _intent(s: Scan, lex: Lexicon, has_figure: bool) -> str | None:
    """The specific intent with the most characters of cues (ties: listed first), else the money
    figure's intent, else the general one."""
    best, best_score = None, 0
    for name in lex.intent_order:
        if name == GENERAL_INTENT or name in SMALL_TALK or name not in s.intents:
            continue
        score = _covered(s.intents[name])
        if score > best_score:
            best, best_score = name, score
    if best:
        return best
    if has_figure:
        return FIGURE_INTENT
    if GENERAL_INTENT in s.intents:
        return GENERAL_INTENT
    # Small talk counts only when nothing else is asked (你好，怎么交 asks how to pay).
    return next((n for n in SMALL_TALK if n in s.intents), None)


def _covered(matches: list[tuple[tuple[int, int], ...]]) -> int:
    """Characters covered by non-overlapping cue matches, longest first (交多少钱 counts 3, not 6)."""
    taken: set[int] = set()
    score = 0
    for spans in sorted(matches, key=lambda m: -sum(e - b for b, e in m)):
        cells = {i for b, e in spans for i in range(b, e)}
        if taken.isdisjoint(cells):
            taken |= cells
            score += len(cells)
    return score
