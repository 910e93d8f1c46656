"""Reading one message: one value per slot and one intent, chosen from the hits of a scan.

Rules (see docs/understanding.md): overlapping words of a slot resolve longest first; a negated word
(不是学生) does not count; when a slot is named twice the mention after a preference cue wins (人在深圳),
else the first, refined to a city of the chosen province (湖南长沙 -> 长沙); two identities with no cue
are ambiguous and give none. Typo fallbacks run only for a slot that found nothing exactly.

Where the rule families live (each function's docstring lists its rules with an example):

* words and clauses: ``_respect_words`` (no word across a word boundary), ``_Marks`` (clauses about the
  past, reported advice, documents at hand, an ended status), ``_live``/``_segment`` (the words that
  cover the message best);
* whom it is for: ``_who``, ``_implied_identity``, ``_speaks``;
* region: ``_region`` -> ``_place_hits``, ``_insured_places``, ``_whose_places``, ``_paid_now``,
  ``_home_against``, ``_settle``;
* channel: ``_channel`` -> ``_refused_channels``, ``_taken_up``, ``_undecided``;
* identity: ``_identity``;
* intent: ``_drop_context_cues`` (one helper per kind of context cue), then ``_intent``;
  ``_care_elsewhere`` (care sought away from the insured place); ``_doubt`` (when the rules are unsure)
  and ``_arbitrate`` (the statistical fallback: ``USE_FALLBACK``).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from bot.catalog.catalog import Catalog
from bot.catalog.models import SMALL_TALK
from bot.understand.amounts import figure_spans, find_amount
from bot.understand.fallback import NONE_LABEL, arbiter_features, model_key
from bot.understand.lexicon import Lexicon, intent_arbiter, intent_model, lexicon_for
from bot.understand.place_words import PlaceMatch
from bot.understand.result import Understanding
from bot.understand.scan import Hit, Scan, fuzzy_slots, scan
from bot.understand.text import Prepared, prepare

# Longer messages are cut: nobody types a question this long, and the cost stays bounded.
MAX_CHARS = 500
# The general intent: it wins only when no specific intent (materials, deadline, ...) is asked.
GENERAL_INTENT = "how_to_pay"
# An intent that a money figure implies when no other specific intent is asked (基数5000 -> calculator).
FIGURE_INTENT = "amount"
_FAILED_REACH = 6  # characters allowed between a channel and a word saying it did not work
_CUE_REACH = 2  # characters allowed between a negation or preference cue and the word it governs
# characters between a person and a word saying they died or pay for the user (老伴前年去世了)
_NOT_INSURED_REACH = 4
_AWAY_REACH = 6  # characters allowed between a grandchild's parent and their work (儿子媳妇在外打工)
_CARE_REACH = 6  # characters allowed between a place and a word of seeking care (北京协和医院住院)
_NOT_WORD = re.compile(r"[\W_]+")
_NO_PLACE = PlaceMatch(None)
_WORD_CHAR = re.compile(r"[^\W_]")
_IN_CLAUSE = re.compile(r"[^\W_]*")  # characters with no punctuation between them
# A clause: a run of word characters between punctuation marks; an enumeration comma (、) joins, not ends
# one (微信、支付宝都能交吗).
_CLAUSE = re.compile(r"[^\W_]+(?:、[^\W_]+)*")
_HISTORY_REACH = 3  # a history word opens a clause when at most this many characters into it (我以前在…)
# Intents whose cues name a thing one can have at hand (户口本, 医保卡): in an at_hand clause, context.
MATERIALS_INTENT = "materials"
AT_HAND_INTENTS = (MATERIALS_INTENT, "card")
_ASKS_HOW = 3  # characters of how-to cues (怎么交, 在哪交) that outweigh a money figure
EMOJI_INTENT = "emoji"
RESTART = "restart"  # the command that may carry new answers (重新开始,我是学生在深圳)
COVER_INTENT = "coverage_start"
CARE_INTENT = "remote_care"  # care in another place than the insured one (异地就医)
REFUND_INTENT = "reimbursement"
# An intent whose cues can name who spoke (12393说…, 客服告诉我…): then they are not the question.
SPEAKER_INTENT = "hotline"
_SPEAKER_REACH = 2  # characters allowed between a speaker and the reporting word (12393那边说)
_NUMBER = re.compile(r"\d+")
_CALLED_DIGITS = 5  # a number called (打95566) has at least this many digits; shorter ones are not lines
# The "who" values that may be the user (我自己, a student): they do not make the message about someone else.
MAYBE_SELF = ("self", "student")
# The person whose status the ``ended`` words end (毕业了: no longer a student).
ENDED_PERSON = "student"
SELF = "self"  # the person of ``who`` that is the user
_USER_REACH = 6  # characters from 我 to the user's occupation (我在苏州送快递)
# A baby word (`baby_words`: 宝宝) is a newborn unless an age of a year or more follows (convention 22).
_AGED = re.compile(r"(?:今年|已经|现在|都|刚|才)?满?(?:[1-9]\d?|[一两二三四五六七八九十]{1,3})(?:周岁|岁)")
# A child named right before an age under a year is a newborn (娃娃五个月, 孩子才两个多月大, 娃娃刚半岁).
_INFANT = re.compile(
    r"(?:今年|才|刚|已经|现在|都)?(?:满?(?:[1-9]|1[01]|[一两二三四五六七八九十]|十一)个多?月|半岁)"
    # …or right before the month of its birth, no year said (娃9月份出生的, 孩子去年九月出生的, 上个月刚出生)
    r"|(?:去年|今年)?(?:(?:[1-9]|1[012]|[一二三四五六七八九十]|十[一二])月份?(?:底|初|末|中旬|上旬|下旬)?|上个?月)"
    r"(?:刚|才)?(?:在[^\s，,。？?！!]{1,4})?出生"
    # …or right before a recent day or week of its birth (闺女上礼拜生的, 儿子前天刚出生)
    r"|(?:上礼拜|上星期|上周|前几天|昨天|前天|这周|这礼拜)(?:刚|才)?出?生"
)
# A child named right before a newborn word is that newborn (孩子刚生下来), a time word of two characters
# at most between them (小孩今年刚出生).
_BORN_GAP = 2
CHILD, NEWBORN, GRANDCHILD = "child", "newborn", "grandchild"
# The people of ``who`` insured where they go to school rather than at home (student insurance).
PUPILS = frozenset({"child", "student", "grandchild"})
SPOUSE = "spouse"
PARENT = "parent"
# An intent whose cues in parts name two things held at once (职工医保…居民医保); with a word of choice
# between the parts they are compared instead.
PAIR_INTENT = "duplicate"
HALL = "hall"  # the channel of paying in person
PENSION_INTENT = "pension"  # other insurance: schemes compared with it are asked about (新农保和新农合)
MUST_INTENT = "legal"  # must one pay at all (convention 14: 退休了 还要交吗)
DEADLINE_INTENT = "deadline"
STATUS_INTENT = "payment_status"
# Kinds of one-character function words that mark others rather than compete for characters (都, 的)
_MARKERS = frozenset({"both", "passing_join"})
# The spans of one intent cue as the scan found it (several for a cue with gaps: 交了…还能交).
Cue = tuple[tuple[int, int], ...]


# The statistical fallback (bot/understand/fallback.py): where the model's most likely intent differs from
# the rules' reading, an arbiter fitted on messages the rules had not seen decides which stands, weighing
# how sure the rules are (``Doubt``) and the model's probabilities (scripts/calibrate_intents.py;
# docs/understanding.md, labelling convention 8). ``use_fallback=False`` gives the rules alone.
USE_FALLBACK = True


@dataclass(frozen=True)
class Doubt:
    """Why the rules are unsure of a message's intent, one ``kind`` (the fallback's arbiter weighs each
    kind apart):

    * ``tie``: specific intents whose cues cover as many characters as the one chosen (the vocabulary's
      order broke the tie);
    * ``asks``: the message asks something (an interrogative word or a question mark) and no intent was
      found;
    * ``weak``: how to pay, read from the general cues alone (the bare pay words 交, 缴费, 要交吗 or a how
      question) with no specific cue at all: a specific question in words the vocabulary lacks reads so
      (交了两天了还是待确认)."""

    kind: str


SURE = "sure"  # the kind the arbiter weighs where the rules have no doubt
_ASKS_UNKNOWN = Doubt("asks")
_WEAK = Doubt("weak")
_TIE = Doubt("tie")


def understand(text: str, catalog: Catalog, use_fallback: bool = USE_FALLBACK) -> Understanding:
    """Extract a command, identity, region, channel, intent and money figure from ``text``."""
    return read(text, catalog, use_fallback)[0]


def read(
    text: str, catalog: Catalog, use_fallback: bool = USE_FALLBACK
) -> tuple[Understanding, Doubt | None]:
    """:func:`understand`, and whether the rules are unsure of the intent (None when they are sure).
    With ``use_fallback`` the statistical fallback's intent may replace the rules' where its arbiter
    prefers it (``_arbitrate``; ``Understanding.intent_guessed``); the doubt returned is the rules' own."""
    lex = lexicon_for(catalog)
    p = prepare(text[:MAX_CHARS])
    s = scan(p, lex)
    places = _place_spans(s)  # for the model, as the scan found them (later steps drop some)
    _add_question_endings(s, lex)
    _drop_questions_of_negation(s)
    _drop_counts_asking_nothing(s)
    _drop_weighed_other_ways(s)
    _respect_words(s)
    _drop_corrected(s, lex)
    marks = _Marks.of(s, p.key)
    who = _who(s, marks, lex)
    people = _live(s.other.get("people", ()), s)  # no later step changes the counts or the negations
    if not who and any(h.word in lex.we_counted for h in people):
        who = (SELF,)  # 我们俩都是灵活就业 两个人交多少: the user counted with one other, nobody named
    place = _region(s, p, lex, marks, _for_someone_else(who, s))
    amount = find_amount(p.key, lex)
    command = _command(s)
    _drop_context_cues(s, marks, p.key, lex)
    channel, undecided, failed = _channel(s, p, lex, marks)
    ruled, scores = (command, {}) if command else _intent(s, lex, amount is not None, p.key)
    intent = ruled or _symbols_only(p.key)
    if intent == COVER_INTENT and _asks_cover_from(s, p.key):
        pass  # 寒假回家生病能用吗 从哪天开始算: the day cover starts is the last question
    elif intent in (GENERAL_INTENT, COVER_INTENT, REFUND_INTENT, MATERIALS_INTENT, None) and (
        _care_away(s) or _care_elsewhere(s, lex)
    ):
        # 在上海上班 医保是安徽阜阳的 在上海看病咋办; 东莞交的社保 在老家河源能用吗; the papers of care away
        # (医保在上海 要回安徽老家住院 要先办什么手续) are those of remote care
        intent = CARE_INTENT
    elif intent in (COVER_INTENT, MATERIALS_INTENT) and s.intents.get(CARE_INTENT):
        # 儿子在外省上学 生病了在那边看病 老家的医保能报吗, 异地备案以后 回参保地看病还能报吗: whether the
        # insurance pays, asked of care away from the insured place, is remote care (convention 19); so are
        # its papers (异地安置备案 需要什么材料)
        intent = CARE_INTENT
    elif (
        intent == COVER_INTENT
        and s.intents.get(REFUND_INTENT)
        and not (s.intents.get(GENERAL_INTENT) or s.other.get("pay") or marks.history)
        and _cover_only_reimburses(s)
    ):
        # 门诊看病能报销吗: with no word of paying, joining or the past, cover is not asked
        intent = REFUND_INTENT
    if undecided and intent and _only_attributes(s, intent):
        intent = GENERAL_INTENT  # 微信交医保和支付宝交医保哪个到账快: which way to pay is the question
    if intent is None and (undecided or (failed and not channel) or _advised(s, marks)):
        # 支付宝跟银行哪个靠谱, 粤省事交不了, 客服叫我去电子税务局: which way to pay is the question
        intent = GENERAL_INTENT
    doubt = _doubt(intent, scores, s, ruled)
    guessed = False
    if use_fallback and command is None and (intent is not None or _found_any(s)):
        guess = _arbitrate(intent, doubt, model_key(p.key, places), lex)
        if guess is not None:
            intent, guessed = (None if guess == NONE_LABEL else guess), True
    identity = _identity(s, p, lex, intent, marks, who) or _implied_identity(who, lex)
    if intent == PAIR_INTENT and channel == HALL:
        # 老家村里交了新农合 在城里还要再交吗: the village or community is where the other enrolment is,
        # not a way to pay chosen (the tuning labels of such questions name no channel)
        channel = None
    elif intent == SPEAKER_INTENT and channel == HALL and not any(w in p.key for w in lex.counter_words):
        # 我要投诉 社区收医保, 去大厅办不了 打哪个电话: in a hotline question the office named is whom to call
        # or complain about, not a way to pay (a counter's hours, 窗口几点下班, are about going there)
        channel = None
    elif intent == STATUS_INTENT and channel is None and marks.history and not s.intents.get(STATUS_INTENT):
        # 昨天在微信交的 今天想查一下: a status question found without a status cue (the fallback's guess)
        # counts the way paid with too (convention 15)
        channel = _channel(s, p, lex, marks, status=True)[0]
    counts = _couples_aside(people, who, lex) or _counts_by_person(s, lex)
    return Understanding(
        command=command,
        identity=identity,
        region=place.region,
        region_options=place.options,
        place=place.place,
        channel=channel,
        intent=intent,
        intent_guessed=guessed,
        amount=amount,
        who=who,
        people=max(int(str(h.value)) for h in counts) if counts else None,
        rejected=_rejected(s, {"identity": identity, "region": place.region, "channel": channel}, failed),
        other_way=bool(s.other.get("other_way")),
    ), doubt


def fallback_key(text: str, catalog: Catalog) -> str:
    """The text the intent model reads for ``text`` (``fallback.model_key``), as :func:`read` gives it:
    for the scripts that train and calibrate the model, and for tests."""
    p = prepare(text[:MAX_CHARS])
    return model_key(p.key, _place_spans(scan(p, lexicon_for(catalog))))


def _place_spans(s: Scan) -> list[tuple[int, int]]:
    """Where the scan found place names: what ``fallback.model_key`` masks."""
    return [(h.start, h.end) for h in s.slots.get("region", ())]


def _found_any(s: Scan) -> bool:
    """True when the scan found any word the vocabulary or the places know besides an asking word. A
    message with no intent in which nothing else is known is left to the rules: the model's n-grams of
    foreign text say nothing (`1 OR 1=1; SELECT * FROM chats`), and a question about something else
    (`今天天气怎么样`, read as the deadline at 0.6 by session 15's model) is not understood, not answered
    with a page it did not ask for."""
    return (
        any(s.slots.values())
        or any(found for kind, found in s.other.items() if found and kind != "asks")
        or any(s.intents.values())
    )


def _doubt(intent: str | None, scores: dict[str, int], s: Scan, ruled: str | None) -> Doubt | None:
    """Whether the rules are unsure of ``intent`` (``ruled`` is what ``_intent`` chose, before the rules
    on care elsewhere and which way to pay): two specific intents tied on characters of cues, a message
    that asks something with no intent found, or how to pay read from the general cues alone."""
    if intent is None:
        return _ASKS_UNKNOWN if s.other.get("asks") or "?" in s.key else None
    if intent == ruled == GENERAL_INTENT and not _specific_cues(s):
        return _WEAK
    best = scores.get(intent)
    if best is None:
        return None
    return _TIE if sum(v == best for v in scores.values()) > 1 else None


# Readings the fallback never overrules: the rules make them from what character n-grams do not see. Care
# away from the insured place read from the places named (在外省住院了 能报多少; the model sees every place as
# one mark), another insurance named (公积金的缴费记录在哪查). Session 15: overruling them gained 10 of 8,058
# calibration messages, too few to give up a reading the model cannot make.
NOT_OVERRULED = frozenset({CARE_INTENT, PENSION_INTENT})


def _arbitrate(intent: str | None, doubt: Doubt | None, key: str, lex: Lexicon) -> str | None:
    """The model's most likely intent (``none`` for no intent; never small talk: a lone ? is no emoji)
    where it differs from the rules' reading ``intent`` and the arbiter prefers it (``fallback.Arbiter``:
    the guess reaches the floor for this kind of doubt, and the fitted weights favour it); None where the
    rules' reading stands, is one of ``NOT_OVERRULED``, or the flows have no model or arbiter."""
    model, arbiter = intent_model(lex), intent_arbiter(lex)
    if model is None or arbiter is None or intent in NOT_OVERRULED:
        return None
    probabilities = dict(zip(model.labels, model.probabilities(key), strict=True))
    guess = max(guessable(model.labels), key=probabilities.__getitem__)
    rules = intent or NONE_LABEL
    if guess == rules:
        return None
    kind = doubt.kind if doubt else SURE
    features = arbiter_features(rules, guess, probabilities, kind, GENERAL_INTENT)
    return guess if arbiter.prefers_model(features, kind) else None


@functools.cache
def guessable(labels: tuple[str, ...]) -> tuple[str, ...]:
    """The labels the fallback may guess: any but small talk (a lone ? is no emoji). Once per model's
    labels; ``scripts/calibrate_intents.py`` guesses the same way."""
    return tuple(n for n in labels if n not in SMALL_TALK)


def _only_attributes(s: Scan, intent: str) -> bool:
    """True when every cue of ``intent`` lies inside a ``way_attributes`` word (到账快, 快多少)."""
    words = s.other.get("attribute", [])
    cues = s.intents.get(intent, [])
    return bool(words and cues) and all(_inside_any(m, words) for m in cues)


def _cover_only_reimburses(s: Scan) -> bool:
    """True when every cover cue overlaps a reimbursement cue (能报销 inside 报销) or names care (住院, 买药:
    ``care_after``): a cover cue of its own (等待期内住院了能报销吗, 要等几个月才能报销) asks about cover, not
    what is reimbursed."""
    refund = [sp for m in s.intents.get(REFUND_INTENT, ()) for sp in m]
    refund += [(h.start, h.end) for h in s.other.get("care", ())]
    return all(
        any(b < e2 and b2 < e for b, e in m for b2, e2 in refund) for m in s.intents.get(COVER_INTENT, ())
    )


def _asks_cover_from(s: Scan, key: str) -> bool:
    """True when the last clause that asks holds a word asking the day cover starts (``cover_from``:
    从哪天开始算) and no remote-care cue: when cover starts is asked, not care away named before."""
    words = s.other.get("cover_from")
    if not words:
        return False
    question = _question_clause(key, s.other.get("asks", ()))
    if question is None or not any(_within((w.start, w.end), (question,)) for w in words):
        return False
    return not any(_within(m[-1], (question,)) for m in s.intents.get(CARE_INTENT, ()))


def _add_question_endings(s: Scan, lex: Lexicon) -> None:
    """A clause ending in a ``question_endings`` word asks (交完马上能用不, 医保交了没): its last word
    counts as an interrogative."""
    key = s.key
    for b, e in _clauses(key):
        for w in lex.question_endings:
            if e - b > len(w) and key.startswith(w, e - len(w)):
                s.other["asks"].append(Hit(e - len(w), e, None, w))
                break


def _drop_counts_asking_nothing(s: Scan) -> None:
    """An interrogative inside a vague count (``not_asking``: 断了好几个月了, 交了十几年) asks nothing."""
    counts = s.other.get("not_asking")
    if counts and s.other.get("asks"):
        s.other["asks"] = [a for a in s.other["asks"] if not _inside_any(((a.start, a.end),), counts)]


def _drop_questions_of_negation(s: Scan) -> None:
    """A negation inside an A-not-A question (要不要, 能不能用, 是不是, 有没有用: the character before the
    negation is the one after its first) asks, it refuses nothing: 要不要用微信交, 能不能用支付宝交 name
    the channel; 是不是学生都要交 does not deny being a student."""
    negations = s.other.get("neg")
    if negations:
        key = s.key
        s.other["neg"] = [
            n for n in negations if not (n.start > 0 and n.size > 1 and key[n.start - 1] == key[n.start + 1])
        ]


def _drop_weighed_other_ways(s: Scan) -> None:
    """Another way named right after a word of choice (用支付宝还是别的方式) is weighed against the channel
    named, not asked for instead of it (labelling convention 18): the channel is chosen, not refused. One
    followed by a channel names that channel (换个渠道,去大厅: a switch, convention 16)."""
    ways = s.other.get("other_way")
    if not ways:
        return
    later = [h.start for h in s.slots.get("channel", ()) if h.value is not None]
    s.other["other_way"] = [
        o
        for o in ways
        if not _before(s.other.get("undecided", ()), o, s.key) and not any(b >= o.end for b in later)
    ]


def _care_elsewhere(s: Scan, lex: Lexicon) -> bool:
    """True when the message names where the insurance is paid (after ``insured_at``: 医保是安徽阜阳的; or
    before ``pay_after``: 东莞交的社保) and another region where it is to be used: a place followed by a
    care word (在上海看病) or in the clause of a cover cue (在老家河源能用吗). That is care elsewhere (异地就医),
    not how to pay nor when cover starts."""
    hits = _live(s.slots.get("region", ()), s)
    if len(hits) < 2:
        return False
    paid = [m for h in hits if _insured_here(h, s) and (m := _as_place(h.value)).region]
    if not paid:  # where one works, when no place is named as the insurance's (在北京上班 回河北老家住院)
        paid = [m for h in hits if _followed(h, s, "work") and (m := _as_place(h.value)).region]
    if not paid:
        return False
    clauses = _clauses(s.key)
    cover = [_clause_at(*m[-1], clauses) for m in s.intents.get(COVER_INTENT, ())]
    used = [_as_place(h.value) for h in hits if _followed(h, s, "care", _CARE_REACH) or _within(h, cover)]
    return any(u.region and not any(_contains(m, u, lex) or _contains(u, m, lex) for m in paid) for u in used)


def _insured_here(h: Hit, s: Scan) -> bool:
    """True when place ``h`` is named as where the insurance is: after ``insured_at`` (医保是安徽阜阳的),
    before ``pay_after`` (东莞交的社保) or ``insured_after`` (开封的医保)."""
    return _stated_insured(h, s) or _followed(h, s, "pay") or _followed(h, s, "insured_after")


def _stated_insured(h: Hit, s: Scan) -> bool:
    """True when place ``h`` follows an ``insured_at`` word (医保是安徽阜阳的), unless a care word follows it:
    湖南的医保在贵州住院 names where the care is, not where the insurance is."""
    return _before(s.other.get("insured_at", ()), h, s.key) and not _followed(h, s, "care", _CARE_REACH)


def _care_away(s: Scan) -> bool:
    """True when care is sought away from the insured place, named or not: at an ``away_place`` (孩子在外地
    上学生病了 医保能用吗), or at a named place while the insurance is an unnamed one (在北京住院 老家的新农合能
    报吗). Remote care (异地就医), also when it asks what is reimbursed (labelling convention 19)."""
    if not s.other.get("care"):
        return False
    if any(_followed(a, s, "care", _CARE_REACH) for a in s.other.get("away", ())):
        return True
    places = [h for h in _live(s.slots.get("region", ()), s) if _followed(h, s, "care", _CARE_REACH)]
    return bool(places) and bool(_unnamed(s, "unnamed_insurance", places))


def _contains(outer: PlaceMatch, inner: PlaceMatch, lex: Lexicon) -> bool:
    """True when ``outer`` is ``inner`` or holds it (湖南 holds 长沙 and 湘潭; 广东's 东莞 does not hold 河源)."""
    if outer == inner:
        return True
    return not outer.place and outer.region in (inner.region, lex.region_province.get(inner.region or ""))


def _who(s: Scan, marks: _Marks, lex: Lexicon) -> tuple[str, ...]:
    """Whom the insurance is for, in order of mention: the ``who`` words, except a student whose studies
    ended (毕业了), a person who spoke (我妈说…), a person who died or gave birth (老伴前年去世了, 老婆刚生完:
    ``not_insured_after``) or who pays for the user (老家那份是我妈给交的: ``payer_for_me``), a person
    inside a word that insures nobody (带孩子), the
    user inside an occupation (自己的店, 自己开店: convention 17) and,
    after another person, one right after ``their_own`` (孙子…他爸妈: the grandchild's parents)."""
    not_people = [h for h in s.slots.get("identity", ()) if h.value is None]
    trades = [h for h in s.slots.get("identity", ()) if h.value is not None]
    hits = [
        h
        for h in _live(s.other.get("who", ()), s)
        if not _ended(h, marks, lex, person=True)
        and not _speaks(h, s)
        and not _asks_for_another(h, s, lex)
        and not _inside_any(((h.start, h.end),), not_people)
        and not (h.value == SELF and _inside_any(((h.start, h.end),), trades))  # 自己的店 is a shop
        # 我自己做个体 孩子的医保…: the user's work right after, with another person, is the payer's
        and not (h.value == SELF and _works_after(h, trades, lex, s.key) and _others_named(s))
        and not _followed(h, s, "not_insured_after", _NOT_INSURED_REACH)  # 老伴前年去世了, 老婆刚生完
        and not (h.value != SELF and _followed(h, s, "payer_for_me", _NOT_INSURED_REACH))  # 我妈给我交的
        # 我是他奶奶 孙子的医保…: the user's relation to the one insured names the user (and 孩子 inside 我是孩子的
        # only points to the one insured, named again later if at all)
        and not any(w.end == h.start or w.start < h.end <= w.end for w in s.other.get("i_am_their", ()))
        # 我自己有职工医保 我儿子的怎么交: the user's own insurance is settled, another's named after is asked about
        and not (
            h.value == SELF
            and h.word in lex.self_alone
            and _followed(h, s, "self_settled", _NOT_INSURED_REACH)
            and any(w.value != SELF and w.start > h.end for w in s.other.get("who", ()))
        )
    ]
    born = [h for h in hits if h.value == NEWBORN]
    if born:  # 孩子刚生下来: the child is the newborn
        hits = [
            h for h in hits if not (h.value == CHILD and any(0 <= b.start - h.end <= _BORN_GAP for b in born))
        ]
    hits = [
        replace(h, value=NEWBORN) if h.value == CHILD and _INFANT.match(s.key, h.end) else h for h in hits
    ]
    given = [h for h in hits if h.value == NEWBORN and _holds_child(h, s)]
    if given:  # 生完孩子 娃的医保…: the child just given birth to, named again after, is the newborn
        hits = [h for h in hits if not (h.value == CHILD and h.start >= given[0].end)]
    hits = _background_others(hits, s, lex)
    grown = [h for h in hits if h.value == NEWBORN and h.word in lex.baby_words and _grown(h, hits, s.key)]
    if grown:  # 宝宝两岁了, 宝宝上幼儿园: a child past the first year, named once (convention 22)
        hits = [
            replace(h, value=CHILD) if h in grown else h
            for h in hits
            if not (h.value in PUPILS and any(0 <= h.start - g.end <= _CUE_REACH for g in grown))
        ]
    grand = [h for h in hits if h.value == GRANDCHILD]
    if grand:  # 儿子媳妇在外打工 孙子的医保我来交: the grandchild's parents away at work are background
        hits = [
            h
            for h in hits
            if not (h.value == CHILD and h.end <= grand[0].start and _followed(h, s, "work", _AWAY_REACH))
        ]
    own = s.other.get("their_own")
    if own and len(hits) > 1:  # 孙子…他爸妈: the grandchild's parents, not insured
        hits = [h for i, h in enumerate(hits) if not (i and any(o.end == h.start for o in own))]
    return tuple(dict.fromkeys(str(h.value) for h in hits))


def _holds_child(h: Hit, s: Scan) -> bool:
    """True when a newborn word holds a child word (生完孩子, 生了个女儿): the birth of a child named."""
    return any(c.value == CHILD and h.start <= c.start and c.end <= h.end for c in s.other.get("who", ()))


def _asks_for_another(h: Hit, s: Scan, lex: Lexicon) -> bool:
    """A person right before an ``asked_by`` word (老头子问…) with another person named after it, and no
    pronoun pointing back (…她的医保), is the one asking, not whom the insurance is for (convention 23)."""
    if h.value == SELF or not s.key.startswith(lex.asked_by, h.end):
        return False
    if any(t.start >= h.end for t in (*s.other.get("for_them", ()), *s.other.get("their_own", ()))):
        return False
    return any(w.start > h.end and w.value not in (SELF, h.value) for w in s.other.get("who", ()))


def _grown(h: Hit, hits: list[Hit], key: str) -> bool:
    """A baby word followed by an age of a year or more (宝宝两岁了, 宝宝今年3岁) or by a school or a
    kindergarten (宝宝上幼儿园) in its clause: a child, not a newborn."""
    return bool(_AGED.match(key, h.end)) or any(
        g.value in PUPILS and 0 <= g.start - h.end <= _CUE_REACH for g in hits
    )


def _works_after(h: Hit, trades: list[Hit], lex: Lexicon, key: str) -> bool:
    """An occupation (no scheme named) starts right after the person word, at most one character between
    (我自己做个体, 我自己跑车; not 给我自己交灵活就业医保, a scheme paid)."""
    return any(
        0 <= t.start - h.end <= 1
        and not key[h.start : t.start].endswith(lex.pay_verbs)
        and t.value == "flexible"
        and t.word not in lex.any_scheme
        for t in trades
    )


def _others_named(s: Scan) -> bool:
    return any(w.value != SELF for w in s.other.get("who", ()))


def _background_others(hits: list[Hit], s: Scan, lex: Lexicon) -> list[Hit]:
    """Persons named only in clauses before the user names themselves alone (``self_alone``: 我自己, 给自己)
    are background, not insured (老公在单位有医保 我自己怎么交 -> self; convention 23), unless a later
    pronoun of paying for someone points back to them (…我自己的交了 想给她也交)."""
    own = [h for h in hits if h.value == SELF and h.word in lex.self_alone]
    if own and not any(t.start >= own[0].end for t in s.other.get("for_them", ())):
        start = _clause_start(own[0], s.key)
        others = [h for h in hits if h.value != SELF]
        if others and all(h.end <= start for h in others):
            return [h for h in hits if h.value == SELF]
    if not any(h.value == SELF for h in hits) and (said := _status_said(s, lex)) is not None:
        # 我老婆是老师 有单位交 我是自由职业 …怎么交: the wife is background to the user's own status
        # (convention 23), unless a later pronoun points back to her (…她怎么弄)
        pointed = [*s.other.get("for_them", ()), *s.other.get("their_own", ())]
        if not any(t.start >= said for t in pointed) and all(h.end <= said for h in hits):
            return [h for h in hits if _listed(h, hits, s.key)]
    hits = _spouse_told_before(hits, s)
    joined = [h for h in hits if h.value == SELF and h.word in lex.self_with]
    if joined and not any(t.start >= joined[0].end for t in s.other.get("for_them", ())):
        # 老公在外地上班 我和孩子在老家交: the husband is background, the user and the child are insured
        # …but not a person merely listed, a clause of its own (家里五口人 爸妈 我和老婆 …)
        start = _clause_start(joined[0], s.key)
        return [h for h in hits if h.value == SELF or h.start >= start or _listed(h, hits, s.key)]
    return hits


def _spouse_told_before(hits: list[Hit], s: Scan) -> list[Hit]:
    """A spouse told of in a clause before the one where another person's insurance is named (孙子的医保,
    娃的医保), with no word of insurance in the spouse's clause, is background (老伴不会弄手机 孙子的医保能去镇上交不
    -> grandchild; convention 23), unless the user is insured too, a pronoun points back (她和娃的医保) or the
    persons are merely listed. Only the spouse: a child named twice (孩子在上学 孩子的医保) is one person."""
    owners = [h for h in hits if h.value not in (SELF, SPOUSE) and _followed(h, s, "insured_after", 1)]
    if not owners or any(h.value == SELF for h in hits):
        return hits
    start = _clause_start(owners[0], s.key)
    if any(t.start >= start for t in (*s.other.get("for_them", ()), *s.other.get("their_own", ()))):
        return hits
    clauses = _clauses(s.key)
    medical = {_clause_of(m, clauses) for m in s.other.get("medical", ())}
    return [
        h
        for h in hits
        if h.value != SPOUSE
        or h.start >= start
        or _listed(h, hits, s.key)
        or _clause_of(h, clauses) in medical
    ]


def _listed(h: Hit, hits: list[Hit], key: str) -> bool:
    """A person merely listed: after it its clause holds only other persons (爸妈 我和老婆, 老婆孩子), at most
    one character besides."""
    end = _clause_end(h, key)
    others = sum(min(o.end, end) - max(o.start, h.end) for o in hits if o.start >= h.end and o.start < end)
    return end - h.end - others < 2


def _status_said(s: Scan, lex: Lexicon) -> int | None:
    """The start of the clause where the user states their own identity outright (我是灵活就业, 我是自由职业),
    if any."""
    said = [
        h for h in s.slots.get("identity", ()) if h.value is not None and s.key.endswith(lex.i_am, 0, h.start)
    ]
    return _clause_start(min(said, key=lambda h: h.start), s.key) if said else None


def _couples_aside(counts: list[Hit], who: tuple[str, ...], lex: Lexicon) -> list[Hit]:
    """A couple counted (``couple_words``: 夫妻俩, 老两口) when the insurance is only for another generation
    (孙子医保, 孩子的医保) counts the payers, not the insured: 老两口带孙子 孙子医保在安庆交 -> no count
    (convention 23). Not when the user, a spouse or a parent is insured too."""
    if not who or {SELF, SPOUSE, PARENT} & set(who):
        return counts
    return [c for c in counts if c.word not in lex.couple_words]


def _counts_by_person(s: Scan, lex: Lexicon) -> list[Hit]:
    """Counts (``person_counts``: 两个, 俩) right before or right after a person word other than the user
    (给两个孙子交, 孙子孙女两个), except one followed by a unit that is not people (孩子两个月, 3岁)."""
    persons = [h for h in _live(s.other.get("who", ()), s) if h.value != SELF]
    if not persons:
        return []
    return [
        c
        for c in _live(s.other.get("count", ()), s)
        if any(p.end == c.start or c.end == p.start for p in persons)
        and not s.key.startswith(lex.not_money_units, c.end)
    ]


def _implied_identity(who: tuple[str, ...], lex: Lexicon) -> str | None:
    """The identity whom the insurance is for implies when all of them imply the same one (孙子的医保 ->
    resident); a parent, a spouse or the user implies none. The user paying along with others (我和孙子)
    pays as they do: only the others are weighed."""
    others = [w for w in who if w != SELF] or list(who)
    implied = {lex.who_identity.get(w) for w in others}
    return implied.pop() if len(implied) == 1 else None


@dataclass(frozen=True)
class _Marks:
    """Spans of the message that speak of the past (history), report what someone else said (reported),
    or name documents already at hand (at_hand); see ``history``, ``reported`` and ``at_hand`` in
    flows/vocabulary.yaml."""

    history: tuple[tuple[int, int], ...] = ()
    reported: tuple[tuple[int, int], ...] = ()
    at_hand: tuple[tuple[int, int], ...] = ()
    ended: tuple[tuple[int, int], ...] = ()  # the message up to a word saying a status ended (毕业了)

    @classmethod
    def of(cls, s: Scan, key: str) -> _Marks:
        if not any(s.other.get(k) for k in ("history", "reported", "at_hand", "ended")):
            return _NO_MARKS
        clauses = _clauses(key)
        history = tuple(
            (h.start, _clause_of(h, clauses)[1])
            for h in s.other.get("history", ())
            if h.start - _clause_of(h, clauses)[0] <= _HISTORY_REACH
        )
        asked = s.other.get("tell_me", ())  # 先告诉我怎么交 asks the bot; nothing someone said is reported
        reported = tuple(
            _clause_of(h, clauses)
            for h in s.other.get("reported", ())
            if not _inside_any(((h.start, h.end),), asked)
        )
        at_hand = tuple(_clause_of(h, clauses) for h in s.other.get("at_hand", ()))
        ended = tuple((0, h.end) for h in s.other.get("ended", ()))  # with the status the word names
        return cls(history + ended, reported, at_hand, ended)


_NO_MARKS = _Marks()


def _within(h: Hit | tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    start, end = (h.start, h.end) if isinstance(h, Hit) else h
    return any(b <= start and end <= e for b, e in spans)


def _ended(h: Hit, marks: _Marks, lex: Lexicon, person: bool = False) -> bool:
    """True for an identity word, or a student (``person``: a ``who`` word), named before a word saying
    that status ended (学生医保在学校交的,毕业了): it no longer says who the person is; a school's insurance
    (``school_words``) also after it (毕业了…学校的医保到期了)."""
    if not marks.ended or (person and h.value != ENDED_PERSON):
        return False
    return _within(h, marks.ended) or h.word in lex.school_words


def _not_history(hits: list[Hit], marks: _Marks) -> list[Hit]:
    """``hits`` without those told as the past, unless nothing else is left (a past place alone counts)."""
    if not marks.history:
        return hits
    now = [h for h in hits if not _within(h, marks.history)]
    return now or hits


def _drop_context_cues(s: Scan, marks: _Marks, key: str, lex: Lexicon) -> None:
    """Remove the intent cues that are context, not the question, rule by rule (each rule's docstring
    has its example). The order matters: later rules look at the cues the earlier ones left."""
    _drop_cues_inside_other_words(s)
    _drop_cues_inside_longer_cues(s)
    _drop_deadline_of_a_wish(s, key)
    _drop_cover_of_a_channel(s, lex)
    _drop_speakers(s)
    _drop_documents_at_hand(s, marks)
    _drop_retiring_in_a_place(s, key, lex)
    _drop_background_documents(s, key, lex)
    _drop_compared_schemes(s)
    _drop_switched_schemes(s)
    _drop_cues_split_by_the_past(s, marks)
    _drop_cues_opening_the_past(s, marks)
    asking = _asking_clauses(key, s.other.get("asks", ()))
    _drop_cues_joining_questions(s, key, asking)
    for spans in (marks.history, marks.reported):
        _drop_cues_told_in(spans, s, asking)


def _keep_cues(s: Scan, name: str, keep: Callable[[Cue], bool]) -> None:
    """Keep only the cues of intent ``name`` for which ``keep`` is true."""
    if s.intents.get(name):
        s.intents[name] = [m for m in s.intents[name] if keep(m)]


def _drop_cues_inside_other_words(s: Scan) -> None:
    """Words that hide a cue (``not_intents``): 从来没交过 is history, not a missed deadline (没交). Small
    talk is never hidden: 谢谢客服 hides the hotline, not the thanks."""
    blocked = s.other.get("not_intent", ())
    if blocked:
        for name in list(s.intents):
            if name not in SMALL_TALK:
                _keep_cues(s, name, lambda m: not _inside_any(m, blocked))


def _drop_cues_inside_longer_cues(s: Scan) -> None:
    """A specific cue inside a longer how-to cue is part of that question (续交 in 怎么继续交, 续上 in
    怎么续上): how to go on paying, not a lapse; so is the last part of a cue in parts from another clause."""
    # one-character how cues (交) hold no other cue
    how = [m[0] for m in s.intents.get(GENERAL_INTENT, ()) if len(m) == 1 and m[0][1] - m[0][0] > 1]
    if not how:
        return
    what = s.other.get("what_to_do", ())
    how_to_pay = [(b, e) for b, e in how if not any(w.start < e and b < w.end for w in what)]
    clauses: tuple[tuple[int, int], ...] = ()

    def inside(m: Cue) -> bool:
        nonlocal clauses
        size = sum(e - b for b, e in m)
        if any(e2 - b2 > size and all(b2 <= b and e <= e2 for b, e in m) for b2, e2 in how):
            return True
        # a cue in parts across clauses whose last part is the question word of a how-to-pay cue (不交医保
        # 犯不犯法我不管 就问怎么交: 不交…怎么 is no question of not paying); asking what to do (不交医保 咋办)
        # still asks about not paying
        b, e = m[-1]
        if len(m) == 1 or not any(b2 <= b and e <= e2 and e2 - b2 > e - b for b2, e2 in how_to_pay):
            return False
        clauses = clauses or _clauses(s.key)
        return _clause_at(*m[0], clauses) != _clause_at(b, e, clauses)

    for name, cues in s.intents.items():
        if cues and name != GENERAL_INTENT and name not in SMALL_TALK and any(inside(m) for m in cues):
            s.intents[name] = [m for m in cues if not inside(m)]


def _drop_deadline_of_a_wish(s: Scan, key: str) -> None:
    """A wish to go on paying (``wish`` then ``resume`` in one clause: 打算自己续交职工医保, 医保断了
    想按灵活就业续上) in a message that asks nothing states what the user will do: the wizard goes on
    from it (how to pay, as a past payment stated is: convention 13), so its words of a lapse are no
    deadline question."""
    wishes, resumes = s.other.get("wish"), s.other.get("resume")
    if not (wishes and resumes and s.intents.get(DEADLINE_INTENT)) or s.other.get("asks") or "?" in key:
        return
    clauses = _clauses(key)
    if any(
        w.end <= r.start and _clause_of(w, clauses) == _clause_of(r, clauses) for w in wishes for r in resumes
    ):
        del s.intents[DEADLINE_INTENT]
        s.intents[GENERAL_INTENT].extend(((r.start, r.end),) for r in resumes)  # going on paying is paying


def _drop_cover_of_a_channel(s: Scan, lex: Lexicon) -> None:
    """A cover cue ending right before a channel (能不能用支付宝交, 可以用微信吗; or before whose it is:
    能不能用我的支付宝帮她交) asks about using that way to pay, not whether the insurance can be used yet."""
    channels = s.slots.get("channel")
    if channels and s.intents.get(COVER_INTENT):
        starts = {h.start for h in channels if h.value is not None}
        starts |= {b - len(w) for b in starts for w in lex.channel_owners if s.key.startswith(w, b - len(w))}
        _keep_cues(s, COVER_INTENT, lambda m: m[-1][1] not in starts)


def _drop_speakers(s: Scan) -> None:
    """A hotline cue that names who spoke (12393说让我去大厅交) asks for no number; but 打12393问了说…
    asked it (see ``_spoke``)."""
    if s.other.get("spoke"):
        _keep_cues(s, SPEAKER_INTENT, lambda m: not _spoke(m, s))


def _drop_documents_at_hand(s: Scan, marks: _Marks) -> None:
    """Documents (or a card) named in an ``at_hand`` clause are had, not asked about (户口本都有了,
    医保卡带着呢)."""
    if marks.at_hand:
        for name in AT_HAND_INTENTS:
            _keep_cues(s, name, lambda m: not all(_within(x, marks.at_hand) for x in m))


def _drop_retiring_in_a_place(s: Scan, key: str, lex: Lexicon) -> None:
    """A bare 养老 right after a place named with a word of moving or living before it (``retire_to``:
    爸妈来成都养老了, 我爸在海南三亚养老) is retiring there, background; 在长沙交养老保险 keeps its longer cue."""
    places = s.slots.get("region")
    if not (places and s.intents.get(PENSION_INTENT)):
        return
    starts = {h.end: h.start for h in places}
    ends = set()
    for h in places:
        b = h.start
        while b in starts and starts[b] < b:  # 海南三亚: a place narrowed by the one before it
            b = starts[b]
        if any(key.endswith(w, 0, b) for w in lex.retire_to):
            ends.add(h.end)

    def retiring(m: Cue) -> bool:
        return len(m) == 1 and m[0][0] in ends and key[m[0][0] : m[0][1]] in lex.retire_bare

    if ends:
        _keep_cues(s, PENSION_INTENT, lambda m: not retiring(m))


def _drop_background_documents(s: Scan, key: str, lex: Lexicon) -> None:
    """Documents named in a clause that asks nothing are background when the question clause asks
    something else (户口本在我这,在哪交 asks how to pay); 要带什么材料,在哪交 asks both, and keeps them."""
    question = _question_clause(key, s.other.get("asks", ()))
    if not question or not any(s.intents.get(n) for n in AT_HAND_INTENTS):
        return
    asked = [
        m for n, ms in s.intents.items() if n not in SMALL_TALK for m in ms if _within(m[-1], (question,))
    ]
    if _covered(asked) < 2:
        return
    asking = _asking_clauses(key, s.other.get("asks", ()))
    for name in AT_HAND_INTENTS:
        if s.intents.get(name) and not any(_within(m[-1], (question,)) for m in s.intents[name]):
            # a document still missing (户口还没上 医保怎么弄, 出生证明还没拿到 能先交吗) is the trouble asked about
            _keep_cues(s, name, lambda m: _within(m[-1], asking) or _missing(key[m[0][0] : m[-1][1]], lex))


def _missing(cue: str, lex: Lexicon) -> bool:
    """True when a document cue says the document is missing (``missing_words``: 户口还没上, 没有身份证)."""
    return any(w in cue for w in lex.missing_words)


def _drop_compared_schemes(s: Scan) -> None:
    """Two schemes in a duplicate cue with a word of choice between them, or after them in the clause of
    the last, are compared, not both held (职工医保跟居民医保报销差多少 asks about reimbursement)."""
    words = s.other.get("undecided", ())
    if words:
        clauses = _clauses(s.key)

        def compared(m: Cue) -> bool:  # between the parts, or after them in the clause of the last
            end = _clause_at(*m[-1], clauses)[1]
            return any(m[0][1] <= u.start and u.end <= end for u in words)

        _keep_cues(s, PAIR_INTENT, lambda m: len(m) == 1 or not compared(m))


def _drop_switched_schemes(s: Scan) -> None:
    """A duplicate cue one of whose parts is negated right before or after it (in its clause), or whose
    parts have a word of switching between them (``switch_to``: 居民医保想转成…职工医保), names one thing
    given up for another, not two held at once: 居民医保不交了 想转成…职工医保, 改成在合肥交 不在老家交了
    ask how to pay in the new one."""
    negations = s.other.get("neg", ())
    switches = s.other.get("switch_to", ())
    if not (negations or switches) or not s.intents.get(PAIR_INTENT):
        return

    def switched(m: Cue) -> bool:
        # a word of switching between the parts (居民医保想转成…职工医保) names the one given up and the new one
        if len(m) > 1 and any(m[0][1] <= w.start and w.end <= m[-1][0] for w in switches):
            return True
        return any(
            (0 <= b - n.end <= _CUE_REACH and _IN_CLAUSE.fullmatch(s.key[n.end : b]))
            or (0 <= n.start - e <= _CUE_REACH and _IN_CLAUSE.fullmatch(s.key[e : n.start]))
            for b, e in m
            for n in negations
        )

    _keep_cues(s, PAIR_INTENT, lambda m: not switched(m))


def _drop_cues_split_by_the_past(s: Scan, marks: _Marks) -> None:
    """A cue in parts cannot join a clause about the past, or one reporting what someone said, to a
    present question (去年交了…今年还能交: the parts are no duplicate-enrolment question; 社区通知今年只能
    在网上交,大厅还能交吗 asks no deadline)."""
    for spans in (marks.history, marks.reported):
        if spans:
            _drop_split_cues(s, spans)


def _drop_cues_opening_the_past(s: Scan, marks: _Marks) -> None:
    """A cue that begins with the history word opening its clause tells the past (之前交灵活就业太贵了:
    之前交 is not "pay before a date")."""
    if marks.history:
        opens = {b for b, _ in marks.history}
        for name in list(s.intents):
            _keep_cues(s, name, lambda m: m[0][0] not in opens)


def _drop_cues_joining_questions(s: Scan, key: str, asking: list[tuple[int, int]]) -> None:
    """A cue in parts cannot join a clause that asks its own question to a later clause (农合最晚交到什么
    时候,…,能网上交吗: 什么时候…交 is no deadline cue there; 单位交了,我还要交吗 still joins)."""
    if not asking:
        return
    clauses = _clauses(key)
    for name in list(s.intents):
        _keep_cues(
            s,
            name,
            lambda m: (
                len(m) == 1
                or _clause_at(*m[0], clauses) == _clause_at(*m[-1], clauses)
                or not _within(m[0], asking)
            ),
        )


def _drop_split_cues(s: Scan, spans: tuple[tuple[int, int], ...]) -> None:
    """Drop the cues in parts some of whose parts lie inside ``spans`` and some outside."""
    for name in list(s.intents):
        _keep_cues(s, name, lambda m: len(m) == 1 or len({_within(x, spans) for x in m}) == 1)


def _drop_cues_told_in(spans: tuple[tuple[int, int], ...], s: Scan, asking: list[tuple[int, int]]) -> None:
    """Cues told as the past or reported (inside ``spans``) give way to a cue outside them, in a clause
    that asks when any clause does: 去年没交,今年在咸阳交可以吗 asks how to pay, not about a missed
    deadline; 工作人员说身份证复印件就行,那我在哪交 asks how to pay, not for documents."""
    if not spans:
        return
    said = s.other.get("reported", ())

    def told(m: Cue) -> bool:  # a cue holding the reporting word is what is asked about (村里又让交)
        return all(_within(x, spans) for x in m) and not any(_within(r, m) for r in said)

    cues = [m for name, ms in s.intents.items() if name not in SMALL_TALK for m in ms]
    inside = [m for m in cues if told(m)]
    outside = [m for m in cues if not told(m)]
    if asking:
        outside = [m for m in outside if _within(m[-1], asking)]
    if inside and outside:
        for name in list(s.intents):
            _keep_cues(s, name, lambda m: not told(m))


def _advised(s: Scan, marks: _Marks) -> bool:
    """True when a channel is named in a reported clause (客服叫我去电子税务局) or the message asks for
    another way (还有别的办法吗)."""
    if s.other.get("other_way"):
        return True
    # a channel right before the reporting word is who spoke, not advice (支付宝老让我刷脸 刷不过)
    said = s.other.get("reported", ())
    return bool(marks.reported) and any(
        _within(h, marks.reported) and not any(0 <= r.start - h.end <= _SPEAKER_REACH for r in said)
        for h in s.slots.get("channel", ())
    )


def _speaks(h: Hit, s: Scan) -> bool:
    """True for a person named right before a reporting word (我妈说…, 我老公让我…): the one who spoke,
    not whom the insurance is for, unless a later pronoun points back (…,我想在网上给她交)."""
    if any(t.start >= h.end for t in s.other.get("for_them", ())):
        return False
    return any(
        0 <= r.start - h.end <= _SPEAKER_REACH for k in ("reported", "spoke") for r in s.other.get(k, ())
    )


def _spoke(cue: tuple[tuple[int, int], ...], s: Scan) -> bool:
    """True when a ``spoke`` word follows ``cue`` (at most ``_SPEAKER_REACH`` characters on: 12393说,
    客服告诉我), also after a word of asking (打12393问了说…: a number called and what it answered is
    reported, not a question for a number, also when a comma follows the asking: 打12366问了,说…; but
    打12393问了没人接 still asks for one). A word of speaking may open the next clause (打了12393，他们说…)."""
    end = cue[-1][1]
    for step in range(2):  # the cue, then at most one word of asking (问了) between it and what was said
        near = [
            h
            for k in ("reported", "spoke")
            for h in s.other.get(k, ())
            if 0 <= h.start - end <= _SPEAKER_REACH
            and (step or k == "spoke" or _IN_CLAUSE.fullmatch(s.key[end : h.start]))
        ]
        if not near:
            return False
        first = min(h.start for h in near)
        if any(h.start == first for h in s.other.get("spoke", ())):
            return True
        end = max(h.end for h in near if h.start == first)
    return False


def _add_numbers_called(s: Scan, key: str, lex: Lexicon) -> None:
    """A number of five digits or more right after a word of calling (打95566, 拨12345) is a hotline
    cue, like the hotlines the vocabulary lists (打95566能问交医保的事吗), unless it answered (``_spoke``)."""
    cues = s.intents.get(SPEAKER_INTENT, [])
    for m in _NUMBER.finditer(key):
        b, e = m.span()
        if e - b < _CALLED_DIGITS or any(x <= b and e <= y for c in cues for x, y in c):
            continue
        call = next((w for w in lex.not_money_cues if key.startswith(w, b - len(w))), None)
        if call and not _spoke(((b, e),), s):
            s.intents[SPEAKER_INTENT] = [*cues, ((b - len(call), e),)]


def _symbols_only(key: str) -> str | None:
    """The intent of a message of emoji or symbols alone (👍, 🙏): small talk, not a question."""
    if key and not _WORD_CHAR.search(key) and any(unicodedata.category(ch) == "So" for ch in key):
        return EMOJI_INTENT
    return None


def _rejected(
    s: Scan, chosen: dict[str, str | None], failed: tuple[str, ...] = ()
) -> tuple[tuple[str, str], ...]:
    """(slot, value) of each slot word the message negates (不要微信了, 不在长沙了) and of each channel that
    did not work (微信上找不到了), unless also chosen."""
    out: dict[tuple[str, str], None] = {("channel", c): None for c in failed if c != chosen.get("channel")}
    for slot in ("region", "channel"):  # named before a correction (福州 不对 是抚州)
        for h in s.other.get("corrected:" + slot, ()):
            value = _value_of(h, slot)
            if value and value != chosen.get(slot):
                out[(slot, value)] = None
    negations = s.other.get("neg", ())
    if not negations:
        return tuple(out)
    for slot, hits in s.slots.items():
        for h in hits:
            if h.value is None or not _before(negations, h, s.key):
                continue
            value = _as_place(h.value).region if slot == "region" else str(h.value)
            if value and value != chosen.get(slot):
                out[(slot, value)] = None
    return tuple(out)


def _drop_corrected(s: Scan, lex: Lexicon) -> None:
    """A region or channel named before a correction word (``corrections``: 不对, 说错了) and named again,
    with another value, after it is replaced: the earlier mention is dropped and refused (福州 不对 是抚州
    -> 抚州, 福州 refused), unless it is the province of the later one (湖南 打错了 长沙). A 不对 inside 对不对
    asks, and corrects nothing."""
    # an A-not-A question (对不对: the character before is the one after the first) corrects nothing
    fixes = [
        c for c in s.other.get("correction", ()) if not (c.start and s.key[c.start - 1] == s.key[c.start + 1])
    ]
    if not fixes:
        return
    for slot in ("region", "channel"):
        hits = [h for h in s.slots.get(slot, ()) if h.value is not None]
        after = [c for c in fixes if any(h.start >= c.end for h in hits)]
        if not after:
            continue
        cut = after[-1].start
        later = [_value_of(h, slot) for h in hits if h.start >= after[-1].end]
        above = {lex.region_province.get(v or "") for v in later} if slot == "region" else set()
        earlier = [
            h
            for h in hits
            if h.end <= cut
            and _value_of(h, slot) not in later
            and not (_value_of(h, slot) in above and not _as_place(h.value).place)  # 湖南 打错了 长沙
        ]
        if earlier:
            s.slots[slot] = [h for h in s.slots[slot] if h not in earlier]
            s.other["corrected:" + slot].extend(earlier)


def _value_of(h: Hit, slot: str) -> str | None:
    """What a slot word names: a region's code (for a place, its nearest region with a flow), a channel."""
    return _as_place(h.value).region if slot == "region" else str(h.value)


def _respect_words(s: Scan) -> None:
    """Drop slot words that cross the boundary of a longer (or earlier, equally long) word of any slot:
    in 乐山城乡居民 the alias 山城 spans 乐山 and 城乡居民, so it is not a word of this message."""
    for slot, slot_hits in list(s.slots.items()):
        s.slots[slot] = _not_passing(slot_hits, s, slot)
    hits = [h for k in ("identity", "region", "channel") for h in s.slots.get(k, ())]
    hits += s.other.get("beneficiary", ())
    hits += s.other.get("who", ())
    if len(hits) < 2:
        return
    taken: list[Hit] = _segment(hits)  # the words that cover the message best (微信 + 支付宝 in 微信支付宝)
    whom = {id(h) for h in s.other.get("who", ())}
    aged = {id(h) for h in s.slots.get("identity", ()) if h.value == "resident"}
    chosen = {id(h) for h in taken}
    dropped: set[int] = set()
    for h in sorted(hits, key=lambda h: (not h.aligned, -h.size, h.start)):
        if id(h) in chosen:
            continue
        crosses = any(
            h.start < t.end and t.start < h.end and (h.start, h.end) != (t.start, t.end) for t in taken
        )
        if crosses and id(h) in whom and _aged_after(h, taken, aged):
            taken.append(h)  # 家里老太太八十五: the person keeps their word, the age still says resident
            continue
        if crosses and not any(t.start <= h.start and h.end <= t.end for t in taken):
            dropped.add(id(h))  # crosses a boundary; a word inside a longer one is left to each slot
            continue
        taken.append(h)
    if dropped:
        for group in (s.slots, s.other):
            for k in list(group):
                group[k] = [h for h in group[k] if id(h) not in dropped]


def _aged_after(h: Hit, taken: list[Hit], aged: set[int]) -> bool:
    """True when every word crossing person ``h`` is a resident word starting inside it and running past
    its end: an age said of the person (老太太八十五 after 家里老太太), not a word the person is part of."""
    cross = [t for t in taken if h.start < t.end and t.start < h.end]
    return bool(cross) and all(id(t) in aged and h.start < t.start and t.end > h.end for t in cross)


def _before(cues: Iterable[Hit], hit: Hit, key: str) -> bool:
    """True when a cue ends at most ``_CUE_REACH`` characters before ``hit``, in the same clause (不想去了,
    微信上交可以吗: the negation does not reach across the comma)."""
    return any(
        c.end <= hit.start
        and hit.start - c.end <= _CUE_REACH
        and _IN_CLAUSE.fullmatch(key[c.end : hit.start])
        for c in cues
    )


def _live(hits: Iterable[Hit], s: Scan) -> list[Hit]:
    """Non-overlapping hits covering the most characters (微信支付宝 is 微信 + 支付宝, not 微信支付 + a
    remainder), without negated ones or words listed in ``not_slots``, in order of position."""
    taken = _segment(list(hits))
    negations = s.other.get("neg", ())
    return sorted(
        (h for h in taken if h.value is not None and not _before(negations, h, s.key)), key=lambda h: h.start
    )


def _segment(hits: list[Hit]) -> list[Hit]:
    """The non-overlapping hits that cover the most characters; on a tie fewer (longer) words, then the
    longest-first choice. Hits overlap rarely; a dynamic programme over them, O(n log n)."""
    if len(hits) < 2:
        return hits
    spans = sorted((h.start, h.end) for h in hits)
    if all(e <= b for (_, e), (b, _) in itertools.pairwise(spans)):
        return hits  # no two words overlap: nothing to choose
    order = sorted(hits, key=lambda h: (not h.aligned, -h.size, h.start))
    greedy: list[Hit] = []
    for h in order:
        if all(h.end <= t.start or h.start >= t.end for t in greedy):
            greedy.append(h)
    by_end = sorted(order, key=lambda h: h.end)  # stable: among equal ends, the longest-first order
    ends = [h.end for h in by_end]
    # score[i]: (characters covered, -words) of the best choice among by_end[: i + 1] ending with by_end[i],
    # whose previous word is by_end[parent[i]]; lead[i]: the first best of score[: i + 1]. The words
    # ending before by_end[i] starts are a prefix of by_end, so its first best is one lookup.
    score: list[tuple[int, int]] = []
    parent: list[int] = []
    lead: list[int] = []
    for i, h in enumerate(by_end):
        k = bisect.bisect_right(ends, h.start)
        j = lead[k - 1] if k else -1
        covered, words = score[j] if k else (0, 0)
        score.append((covered + h.size * h.aligned, words - 1))
        parent.append(j)
        lead.append(i if not i or score[i] > score[lead[-1]] else lead[-1])
    top = lead[-1]
    if (sum(h.size * h.aligned for h in greedy), -len(greedy)) >= score[top]:
        return greedy
    chain: list[Hit] = []
    while top >= 0:
        chain.append(by_end[top])
        top = parent[top]
    return chain[::-1]


def _preferred(hits: list[Hit], s: Scan, slot: str) -> list[Hit]:
    """The hits right after a preference cue; when several are, those after the longest cue (户口在河南,
    人在杭州: 人在 beats the bare 在)."""
    cues = s.other.get(f"prefer:{slot}", ())
    strength = {id(h): max((c.size for c in cues if _before((c,), h, s.key)), default=0) for h in hits}
    best = max(strength.values(), default=0)
    return [h for h in hits if best and strength[id(h)] == best]


def _slot_hits(s: Scan, p: Prepared, lex: Lexicon, slot: str) -> list[Hit]:
    return _live(s.slots.get(slot, ()), s) or _live(_fuzzy(s, p, lex, slot), s)


def _fuzzy(s: Scan, p: Prepared, lex: Lexicon, slot: str) -> list[Hit]:
    """Typo guesses for ``slot``, except over words the message has exactly (太远 listed as not a place)
    and words named in passing."""
    exact = s.slots.get(slot, ())
    guesses = [
        h for h in fuzzy_slots(p, lex, slot) if all(h.end <= e.start or h.start >= e.end for e in exact)
    ]
    return _not_passing(guesses, s, slot)


def _whole_token(h: Hit, s: Scan, key: str) -> bool:
    """A same-sound guess at a two-character place (长纱 -> 长沙) counts only as a word of its own: at the
    start of a clause or right after a place cue (我在长纱), and overlapping no word the scan found (和上次
    is not 沪上). Longer guesses carry enough characters to stand on their own."""
    if h.size > 2:
        return True
    starts = {b for b, _ in _clauses(key)} | {c.end for c in s.other.get("prefer:region", ())}
    if h.start not in starts:
        return False
    found = [x for k, hits in (*s.slots.items(), *s.other.items()) if k not in _MARKERS for x in hits]
    spans = [(x.start, x.end) for x in found] + [sp for ms in s.intents.values() for m in ms for sp in m]
    return all(e <= h.start or b >= h.end for b, e in spans)


def _not_passing(hits: list[Hit], s: Scan, slot: str) -> list[Hit]:
    """``hits`` without the words named in passing (税务局电话: a number asked for, not a channel)."""
    passing = s.other.get(f"passing:{slot}")
    if not passing:
        return hits
    # right before the word, or with a ``passing_joins`` word between (税务局的电话); not across another
    # character (村委会交新农合 keeps the hall)
    joins = s.other.get("passing_join", ())
    ends = {h.start for h in passing} | {j.start for h in passing for j in joins if j.end == h.start}
    named = [h for h in hits if h.end in ends]
    while extra := [h for h in hits if h not in named and any(h.end == n.start for n in named)]:
        named += extra  # a word right before one named in passing is too (银行柜台上班: 银行 and 柜台)
    return [h for h in hits if not any(n.start <= h.start and h.end <= n.end for n in named)]


def _identity(
    s: Scan, p: Prepared, lex: Lexicon, intent: str | None, marks: _Marks, who: tuple[str, ...] = ()
) -> str | None:
    """The identity the message states. Rules, in order:

    * paying for a child decides it (给孩子交, 孩子的医保 -> resident), whatever the payer is;
    * identity words (exact, else typo guesses), without another person's occupation when the insurance
      is the user's (我老公开货车的 …我想给自己交), the words of an ended status (学生…毕业了) and, when
      another clause names one, the past (以前交灵活就业 现在交居民医保 -> resident);
    * in a duplicate-enrolment question scheme names are what is asked about, not who the person is
      (已有职工医保还能交居民医保吗 -> none);
    * two identities: the one after a preference cue (想改交居民医保), else a scheme named outright over
      what an occupation implies (老婆没单位,想给她交个居民医保 -> resident), unless the message asks
      which scheme (打零工,交职工的还是居民的 -> flexible), then an age only residents pay at over an
      occupation (父亲六十九岁 没有单位 -> resident); still two: none, the wizard asks."""
    for b in _live(s.other.get("beneficiary", ()), s):
        return str(b.value)
    hits = _live(s.slots.get("identity", ()), s)
    if not hits:
        hits = _live(_fuzzy(s, p, lex, "identity"), s)
    if SELF in who:  # 我老公开货车的 …我想给自己交: the husband's occupation is not the user's identity
        people = _live(s.other.get("who", ()), s)
        selves = [w for w in people if w.value == SELF]
        # …unless joined to the user (我和老公都是灵活就业: the identity is both of theirs)
        others = [w for w in people if w.value != SELF and not _before(selves, w, s.key)]
        hits = [h for h in hits if not _before(others, h, s.key)]
    elif who:  # 给我妈交医保 …我在苏州送快递: the user's own work, paying for others only, is the payer's
        hits = [h for h in hits if not _users_work(h, s, lex)]
    hits = _not_history([h for h in hits if not _ended(h, marks, lex)], marks)
    if (
        intent == PAIR_INTENT
        and len({h.value for h in hits}) > 1
        and not any(s.key.endswith(lex.i_am, 0, h.start) for h in hits)
    ):
        # 在上海交了灵活就业 老家的居民医保要不要停: two schemes held at once give no identity (convention 25),
        # unless the user says which they are (我是灵活就业人员,已经有职工医保了…)
        return None
    if intent == PAIR_INTENT and len({h.start for h in hits}) > 1 and len({h.value for h in hits}) == 1:
        # 老家交了新农合 在株洲又交了居民医保: both enrolments are of one scheme, which is the identity
        return str(hits[0].value)
    if intent == PAIR_INTENT or (intent == PENSION_INTENT and s.other.get("undecided")):
        # 已有职工医保还能交居民医保吗, 新农保和新农合是一回事吗: the schemes are asked about, not the person
        hits = [h for h in hits if h.word not in lex.scheme_words]
    values = {str(h.value) for h in hits}
    if len(values) > 1:
        preferred = _preferred(hits, s, "identity")
        # 我是自由职业…今年想换成居民医保: of two preferences the later one is the user's last word
        values = {str(max(preferred, key=lambda h: h.start).value)} if preferred else set()
    if not values:
        asks = bool(s.other.get("undecided"))
        values = {str(h.value) for h in hits if (h.word in lex.named_schemes) != asks}
        if not values and not asks and any(h.word in lex.resident_ages for h in hits):
            # 父亲六十九岁 没有单位: at that age only residents still pay (convention 3)
            values = {"resident"}
    return values.pop() if len(values) == 1 else None


def _users_work(h: Hit, s: Scan, lex: Lexicon) -> bool:
    """An occupation (no scheme) said of the user: 我 shortly before it in its clause (我跑外卖, 我在苏州送快递),
    with no other person between; not one stated outright (我是个体户) or shared (我们都是个体户)."""
    if h.value != "flexible" or h.word in lex.any_scheme:
        return False
    start = max(_clause_start(h, s.key), h.start - _USER_REACH)
    mine = max(s.key.rfind(w, start, h.start) for w in lex.user_words) if lex.user_words else -1
    return (
        mine >= 0
        and not s.key.startswith(lex.i_am, mine)  # 我是个体户: who the user is, said outright
        # 我们都是个体户, 老婆也是: the work is both of theirs
        and not any(w in s.key for w in lex.shared_status)
        and not any(mine <= w.start < h.start for w in s.other.get("who", ()))
    )


def _for_someone_else(who: tuple[str, ...], s: Scan) -> bool:
    """True when the insurance is for another person only (给我妈交, 帮奶奶交), not also for the user (nor
    for a spouse, who usually lives where the user does, nor for a student, who may be the user)."""
    if SELF in who:
        return False
    return bool(set(who) - {*MAYBE_SELF, SPOUSE} or _live(s.other.get("beneficiary", ()), s))


def _users_place(hits: list[Hit], s: Scan) -> list[Hit]:
    """The places named right after a ``self_place`` word (我在上海), unless the word is part of a person
    word (老人在农村: 人在 belongs to 老人; 别人在杭州)."""
    persons = [*s.other.get("who", ()), *s.slots.get("identity", ()), *s.other.get("others_place", ())]
    cues = [c for c in s.other.get("self_place", ()) if not any(p.start < c.start < p.end for p in persons)]
    return [h for h in hits if _before(cues, h, s.key)]


def _apart(hits: list[Hit], lex: Lexicon) -> bool:
    """True when two of the places named lie in different provinces (neither contains the other)."""
    provinces = {lex.region_province[m.region] for m in map(_as_place, (h.value for h in hits)) if m.region}
    return len(provinces) > 1


def _weighed_against_unnamed(hits: list[Hit], unnamed: list[Hit], s: Scan) -> bool:
    """True when a word of choice shares its clause with a named place and an unnamed one (是在成都交还是
    回老家交), like two named places weighed up."""
    clauses = _clauses(s.key)
    for u in s.other.get("undecided", ()):
        span = _clause_of(u, clauses)
        if any(_within(h, (span,)) for h in hits) and any(_within(w, (span,)) for w in unnamed):
            return True
    return False


def _followed(h: Hit, s: Scan, kind: str, reach: int = _CUE_REACH) -> bool:
    """True when a word of ``kind`` follows ``h`` at most ``reach`` characters later in its clause."""
    return any(
        0 <= w.start - h.end <= reach and _IN_CLAUSE.fullmatch(s.key[h.end : w.start])
        for w in s.other.get(kind, ())
    )


def _unnamed(s: Scan, kind: str, places: list[Hit]) -> list[Hit]:
    """The words of ``kind`` (unnamed_place, unnamed_insurance) not next to one of ``places`` (at most one
    character between): a place right before or after names it (湖南老家, 长沙这边, 老家是江西, 我这边是长沙).
    The caller leaves out places where care is sought (老家的医保在上海看病 is not 上海's insurance)."""
    words = _segment(list(s.other.get(kind, ())))  # 我们这里, not 我们这 inside it
    times = {t.start for t in s.other.get("this_time", ())}  # 我们这个月刚搬到株洲: a time, not a place
    return [
        u
        for u in words
        if u.end not in times
        and not any(-1 <= u.start - h.end <= 1 or -1 <= h.start - u.end <= 1 for h in places)
    ]


def _region(s: Scan, p: Prepared, lex: Lexicon, marks: _Marks, for_other: bool = False) -> PlaceMatch:
    """The region a message names, in three stages: the place words found (``_place_hits``); those that
    say where the insurance is paid (``_insured_places``: none when places are weighed up or the place is
    elsewhere); and the one chosen among them (the home of the person paid for, else the mention after a
    preference cue, else the first), settled with the others (``_settle``). With ``for_other`` (the
    insurance is someone else's) the user's own place (我在上海) gives way to another place named."""
    found = _place_hits(s, p, lex)
    if isinstance(found, PlaceMatch):
        return found
    if not found:
        return _app_place(s, p, lex)
    hits = _insured_places(found, s, lex, marks, for_other)
    if not hits:
        return _NO_PLACE
    stated = [h for h in hits if _stated_insured(h, s)]
    if not stated and s.other.get("care"):  # 我是哈尔滨的…想在这边看病 哈尔滨的医保能用吗
        stated = [h for h in hits if _followed(h, s, "insured_after")]
    theirs = _their_place(hits, s) if _for_others(s) else []
    preferred = _preferred(hits, s, "region")
    chosen = (stated or theirs or preferred or hits)[0]
    if not stated and not theirs:
        chosen = _paid_now(chosen, hits, s, lex, marks)
        home = _home_against(chosen, hits, s, lex, bool(preferred))
        if isinstance(home, PlaceMatch):
            return home
        chosen = home
    return _settle(_as_place(chosen.value), [_as_place(h.value) for h in hits if h is not chosen], lex)


def _app_place(s: Scan, p: Prepared, lex: Lexicon) -> PlaceMatch:
    """With no place named, the region whose own app or service the message names (``app_regions``:
    用粤税通交居民医保 -> 广东; 天府市民云 -> 成都): its users are insured there. Apps of two regions, or
    a refused one (不用粤税通), name none. An app typed with a slip that the channel's typo guess reads
    (皖事同 -> 皖事通) names its region too."""
    regions = {str(h.value) for h in _live(s.other.get("app_region", ()), s)}
    if not regions and not s.slots.get("channel"):
        guessed = [h for h in _fuzzy(s, p, lex, "channel") if h.word in lex.app_region_of]
        regions = {lex.app_region_of[h.word] for h in _live(guessed, s)}
    return PlaceMatch(regions.pop()) if len(regions) == 1 else _NO_PLACE


def _paid_now(chosen: Hit, hits: list[Hit], s: Scan, lex: Lexicon, marks: _Marks) -> Hit:
    """A place named as where one paid (在深圳交了三年: the pay word then a ``past_aspect`` word), or not named as
    where one pays at all (上班的公司在长沙), gives way to one named as where to pay now (今年想回湖南交, 想给我妈在
    邵阳交)."""

    def paying(h: Hit) -> str | None:
        for w in s.other.get("pay", ()):
            if 0 <= w.start - h.end <= _CUE_REACH and _IN_CLAUSE.fullmatch(s.key[h.end : w.start]):
                return "past" if s.key[w.end : w.end + 1] in lex.past_aspect else "now"
        return None

    paid = paying(chosen)
    if paid == "now":
        return chosen
    if paid is None:  # not where one paid: a place where one pays now, not as told (朋友说佛山交…)
        hits = [h for h in hits if not _within(h, marks.reported)]
    return next((h for h in hits if paying(h) == "now"), chosen)


def _home_against(chosen: Hit, hits: list[Hit], s: Scan, lex: Lexicon, preferred: bool) -> Hit | PlaceMatch:
    """The user's home (right after a ``home_before`` word: 我是贵州遵义的, 户口在安徽) against the place
    they are now, when the two lie in different provinces and neither is named as where to pay
    (``pay_after``: 在西安交). Resident insurance is paid at home (我是贵州遵义的 农合… 我现在在广东打工 ->
    贵州), a flexible worker's and a pupil's where they are (户口在河南,人在杭州,灵活就业 -> 杭州; 我在成都读大学
    老家重庆 -> 成都: student insurance is paid through the school); with neither identity named, or
    both, the message is ambiguous and the wizard asks, naming both (我是湖南邵阳人 在深圳打了十年工…). A
    home chosen by a preference cue stays (今年回老家长沙了)."""
    cues = s.other.get("home", ())
    after = [c for c in s.other.get("home_after", ()) if _ends_home(s.key, c.end, lex)]
    if not cues and not after:
        return chosen
    province = lex.region_province

    def prov(h: Hit) -> str | None:
        m = _as_place(h.value)
        return province[m.region] if m.region else None

    def at_home(h: Hit) -> bool:
        return any(c.end == h.start for c in cues) or any(c.start == h.end for c in after)

    if prov(chosen) is None or (preferred and at_home(chosen)):
        return chosen
    homes = [h for h in hits if at_home(h) and prov(h)]
    if not homes or len({prov(h) for h in homes}) > 1:
        return chosen
    home_province = prov(homes[0])
    now = [h for h in hits if not at_home(h) and prov(h) not in (None, home_province)]
    if not now or len({prov(h) for h in now}) > 1:
        return chosen
    home = chosen if prov(chosen) == home_province else homes[0]
    present = chosen if prov(chosen) == prov(now[0]) else now[0]
    if any(_followed(h, s, "pay") for h in hits if prov(h) == prov(present)):
        return present
    if any(_followed(h, s, "pay") for h in hits if prov(h) == home_province):
        return home
    identities = {h.value for h in _live(s.slots.get("identity", ()), s)}
    if identities == {"flexible"} or any(h.value in PUPILS for h in s.other.get("who", ())):
        return present
    if identities == {"resident"}:
        return home
    options = (_as_place(home.value).region, _as_place(present.value).region)
    return PlaceMatch(None, options=tuple(str(o) for o in options))


def _ends_home(key: str, pos: int, lex: Lexicon) -> bool:
    """True when a ``home_after`` word ending at ``pos`` ends the home: the clause ends there or a
    ``home_end`` word follows (江西人 在广东, 长沙人的医保; not 长沙人社局)."""
    return not _WORD_CHAR.match(key, pos) or key.startswith(lex.home_end, pos)


def _place_hits(s: Scan, p: Prepared, lex: Lexicon) -> list[Hit] | PlaceMatch:
    """The place words of the message, streets left out (北京路); with none, a whole message that is a
    one-character short name (湘) as its region, else same-sound guesses that stand as words (我在长纱)."""
    streets = {h.start for h in s.other.get("street", ())}
    hits = [h for h in _live(s.slots.get("region", ()), s) if h.end not in streets]
    if hits:
        return hits
    whole = _NOT_WORD.sub("", p.key)
    if whole in lex.whole_message:
        return PlaceMatch(lex.whole_message[whole])
    return _live([h for h in _fuzzy(s, p, lex, "region") if _whole_token(h, s, p.key)], s)


def _insured_places(hits: list[Hit], s: Scan, lex: Lexicon, marks: _Marks, for_other: bool) -> list[Hit]:
    """The places among ``hits`` that may be where the insurance is paid; none when the message weighs
    places up. Rules, in order:

    * places weighed up with a word of choice: none (长沙交和株洲交价格一样吗; 在成都交还是回老家交);
    * a trip's destination is no place of the insurance (下个月去三亚旅游);
    * a place of care or of origin gives way to any other (老家合肥的医保 在南京看病 -> 合肥; 从广州寄到湛江);
    * a place told only in the past gives way to an unnamed present one (以前在苏州交的 现在回老家了: none),
      and to any present place (以前在东莞交的,现在回长沙了 -> 长沙);
    * a question of which place, with places in two provinces: none (三亚…哈尔滨…在哪边交);
    * whose place it is (``_whose_places``)."""
    if _compared(hits, s, s.key, lex):
        return []
    hits = [h for h in hits if not (_followed(h, s, "trip") or _before(s.other.get("trip_to", ()), h, s.key))]
    if not hits:
        return []
    aside = [
        h
        for h in hits
        if _followed(h, s, "care", _CARE_REACH) or _before(s.other.get("origin", ()), h, s.key)
    ]
    hits = [h for h in hits if h not in aside] or hits
    named = [h for h in hits if h not in aside]
    unnamed = _unnamed(s, "unnamed_place", named) + _unnamed(s, "unnamed_insurance", named)
    if _weighed_against_unnamed(hits, unnamed, s):
        return []
    past = marks.history and all(_within(h, marks.history) for h in hits)
    if past and any(not _within(u, marks.history) for u in unnamed):
        return []
    hits = _not_history(hits, marks)
    if s.other.get("which_place") and _apart([h for h in hits if h not in aside], lex):
        return []
    return _whose_places(hits, s, for_other, aside, marks)


def _whose_places(hits: list[Hit], s: Scan, for_other: bool, aside: list[Hit], marks: _Marks) -> list[Hit]:
    """Places of the insurance, not of the people around it:

    * paying for someone else, the user's own place gives way (我在上海 帮老家湖北孝感的妈妈交 -> 孝感);
    * paying for oneself, another person's place gives way (我朋友在杭州交的 我在宁波 -> 宁波), unless a
      pronoun of paying for them points to that person (老婆在长沙 我在株洲 想给她交医保 -> 长沙);
    * the insurance's unnamed place (我们这) outweighs every named place but the user's own (看新闻说上海
      医保涨了 我们这也涨吗: none; 我在长沙 我们这边… -> 长沙), except where the user seeks care (人在北京住院
      了 老家交的医保能用吗: none), unless it is told in the past and a place is named outside it (去年在老家交的
      医保 今年搬到株洲来了 -> 株洲)."""
    own = _users_place(hits, s)
    if for_other and own:
        hits = [h for h in hits if h not in own] or hits
    elif not for_other and not s.other.get("for_them"):
        theirs = [h for h in hits if _before(s.other.get("others_place", ()), h, s.key)]
        hits = [h for h in hits if h not in theirs] or hits
    unnamed = _unnamed(s, "unnamed_insurance", [h for h in hits if h not in aside])
    if marks.history and any(not _within(h, marks.history) for h in hits if h not in aside):
        unnamed = [u for u in unnamed if not _within(u, marks.history)]  # 去年在老家交的医保 今年在株洲
    if unnamed:
        return [h for h in own if h not in aside]  # 人在北京住院了 老家交的医保: no place of the insurance
    return hits


def _settle(chosen: PlaceMatch, others: list[PlaceMatch], lex: Lexicon) -> PlaceMatch:
    """``chosen`` with the other mentions' help: a name shared by several provinces is narrowed to the
    one another mention names (江苏 suzhou), and a region is refined to a more specific mention in its
    province (湖南长沙 -> 长沙, 湖南湘潭 -> 湖南 with the place 湘潭市). A place below a region's guide is
    as specific as the message gets (人在佛山…去年在广州: 佛山)."""
    province = lex.region_province
    if chosen.region is None:
        near = {province[o.region] for o in others if o.region}
        narrowed = [c for c in chosen.options if province[c] in near]
        if not narrowed or len({province[c] for c in narrowed}) > 1:
            return chosen
        chosen = chosen.option(narrowed[0]) if len(narrowed) == 1 else PlaceMatch(province[narrowed[0]])
    if chosen.place:
        return chosen
    best = chosen
    home = province[chosen.region or ""]
    for o in others:
        if o.region is None:  # a name shared by several provinces, decided by the one named (江苏 suzhou)
            inside = [c for c in o.options if province[c] == home]
            o = o.option(inside[0]) if len(inside) == 1 else o  # 湖南石门 -> 湖南, the place 石门县
        if o.region and province[o.region] == home and _depth(o, lex) > _depth(best, lex):
            best = o
    return best


def _for_others(s: Scan) -> bool:
    """True when the message pays for someone other than the user (给孩子, 帮她交, 我奶奶…)."""
    if s.other.get("beneficiary") or s.other.get("for_them"):
        return True
    return any(h.value not in MAYBE_SELF for h in s.other.get("who", ()))


def _their_place(hits: list[Hit], s: Scan) -> list[Hit]:
    """The places right after a word naming the home of the person paid for (老家是江西赣州)."""
    return [h for h in hits if _before(s.other.get("their_place", ()), h, s.key)]


def _compared(hits: list[Hit], s: Scan, key: str, lex: Lexicon) -> bool:
    """True when two places neither of which lies in the other are named with a word of choice in the
    clause of one of them (在上海交和在老家安徽交哪个好; not 湖南长沙用微信还是支付宝)."""
    words = s.other.get("undecided", ())
    if not words:
        return False
    province = lex.region_province

    def contains(x: PlaceMatch, y: PlaceMatch) -> bool:  # 湖南 contains 长沙 and 湘潭; 长沙 contains 长沙
        return x == y or (not x.place and x.region in (y.region, province[y.region or ""]))

    places = [(h, _as_place(h.value)) for h in hits]
    clauses = _clauses(key)
    for (a, ma), (b, mb) in itertools.combinations(places, 2):
        if not ma.region or not mb.region or contains(ma, mb) or contains(mb, ma):
            continue
        spans = {_clause_of(a, clauses), _clause_of(b, clauses)}
        if any(_within(u, spans) for u in words):
            return True
    return False


def _as_place(value: object) -> PlaceMatch:
    return value if isinstance(value, PlaceMatch) else PlaceMatch(str(value))


def _depth(m: PlaceMatch, lex: Lexicon) -> int:
    """How specific a mention is: a city with its own flow (2), a place below a region's flow (+1)."""
    return 2 * (lex.region_parent.get(m.region or "") is not None) + bool(m.place)


def _channel(
    s: Scan, p: Prepared, lex: Lexicon, marks: _Marks, status: bool = False
) -> tuple[str | None, bool, tuple[str, ...]]:
    """The channel chosen, whether the message weighs up several (then none is chosen and how to pay is
    the question), and the channels that did not work. Rules, in order:

    * a channel that did not work, or named before a request for another way, is refused
      (``_refused_channels``: 微信上找不到了,支付宝有吗 -> alipay, wechat refused);
    * a channel told as the past is no choice (以前去大厅交,今年想在手机上交 -> none); nor is one someone
      else advised, unless the advice is taken up (``_taken_up``: 社区说去税务局交 -> none; 客服说用支付宝交,
      怎么找 -> alipay), nor the advised channel named again to doubt it (``_doubted``: 听同事说去银行交,
      银行真的能交吗 -> none); weighing up advised channels still asks (他们说微信支付宝都可以,那哪个快);
    * channels weighed up with a word of choice are a question (用微信交好还是支付宝交好 -> none), unless
      a preference in a later clause settles it (…,还是用支付宝吧);
    * else the mention after a preference cue (不行就换成支付宝), else the first."""
    hits, broken = _refused_channels(_at_counters(_slot_hits(s, p, lex, "channel"), s, lex), s, p.key)
    if marks.history or marks.reported:
        named = hits
        # in a status question the way paid with counts, also when told as the past (convention 15:
        # 昨天在粤税通交的 怎么查记录)
        past = () if status or s.intents.get(STATUS_INTENT) else marks.history
        hits = [
            h
            for h in hits
            if (not _within(h, past) or _same_way_again(h, s, p.key))
            and (not _within(h, marks.reported) or _taken_up(h, s, p.key))
        ]
        advised = [h for h in named if _within(h, marks.reported)]
        hits = [h for h in hits if not _doubted(h, advised, s, p.key)]
        if len(hits) < 2 and not _preferred(hits, s, "channel") and _undecided(named, s, p.key, lex):
            return (str(hits[0].value) if hits else None), True, broken
    preferred = _preferred(hits, s, "channel")
    choices = _undecided(hits + _apps_named(hits, s), s, p.key, lex)
    if choices:
        first = min(u.start for u in choices)
        settled = _clause_at(first, first, _clauses(p.key))[1]
        preferred = [h for h in preferred if h.start >= settled]
        if not preferred:
            return None, True, broken
    return (str((preferred or hits)[0].value) if hits else None), False, broken


def _at_counters(hits: list[Hit], s: Scan, lex: Lexicon) -> list[Hit]:
    """``hits`` without the counters right after another channel word (at most one character between, in
    its clause): 银行柜台 is the bank's counter, 跑一趟柜台 the hall's; a counter alone stays (去柜台交)."""
    if len(hits) < 2 or not any(h.word in lex.counter_words for h in hits):
        return hits
    return [
        h
        for h in hits
        if h.word not in lex.counter_words
        or not any(
            g is not h and 0 <= h.start - g.end <= 1 and _IN_CLAUSE.fullmatch(s.key[g.end : h.start])
            for g in hits
        )
    ]


def _refused_channels(hits: list[Hit], s: Scan, key: str) -> tuple[list[Hit], tuple[str, ...]]:
    """``hits`` without the channels that did not work (``_failed``) or that come before a request for
    another way (村干部说让在微信上交 我不会弄 还有别的办法吗), and the values of those refused."""
    failed = list(s.other.get("failed", ()))
    other = s.other.get("other_way", ())
    if not (failed or other) or not hits:
        return hits, ()
    both = s.other.get("both", ())
    gone = [h for h in hits if _failed(h, hits, failed, key, both) or any(o.start >= h.end for o in other)]
    return [h for h in hits if h not in gone], tuple(dict.fromkeys(str(h.value) for h in gone))


def _same_way_again(h: Hit, s: Scan, key: str) -> bool:
    """True when a later clause pays the way told as the past again (``take_up``: 平时用支付宝交水电费 医保也能
    那么交吗 -> alipay)."""
    end = _clause_end(h, key)
    return any(t.start >= end for t in s.other.get("take_up", ()))


def _doubted(h: Hit, advised: list[Hit], s: Scan, key: str) -> bool:
    """True when ``h`` names again, in a clause holding a word of doubt, a channel someone advised before
    it: 听同事说去银行交,银行真的能交吗 doubts the advice rather than choosing the bank."""
    if not any(a.value == h.value and a.end <= h.start for a in advised):
        return False
    begin, end = _clause_start(h, key), _clause_end(h, key)
    return any(begin <= d.start < end for d in s.other.get("doubt", ()))


def _taken_up(h: Hit, s: Scan, key: str) -> bool:
    """True when advice naming the channel ``h`` is taken up in a later clause: by a word of taking it
    up (…说用税务的小程序交 我按那个来), or by a question of how or where to do it (朋友说用支付宝交,怎么弄)
    with no word of doubt or trouble after the advice (朋友说支付宝能交,靠谱吗; …,我找不到在哪交). A channel
    before the reporting word in its clause names who spoke (税务局的人说…,怎么交), not the advice."""
    end = _clause_end(h, key)
    begin = _clause_start(h, key)
    reported = s.other.get("reported", ())
    advice = any(begin <= r.start and h.start >= r.end for r in reported)
    if any(t.start >= end for t in s.other.get("take_up", ())) and (
        advice
        or not any(begin <= r.start < end for r in reported)
        or not any(h.end <= g.start < end for g in s.slots.get("channel", ()) if g.value is not None)
    ):
        # …but not the speaker when the advice names another way (大厅的人说可以在支付宝上交 今年还这么交吗
        # -> alipay; 居委会说可以去他们那刷卡交 我明天就去 -> hall)
        return True
    if not advice:
        return False  # the speaker (银行的人说…), or advice that is not reported before it
    how = [t for t in s.other.get("take_up_how", ()) if t.start >= end]
    doubts = [
        d for d in s.other.get("doubt", ()) if d.start >= h.end and not _inside_any(((d.start, d.end),), how)
    ]
    return bool(how) and not doubts  # 怎么办理 asks how; the 怎么办 inside it is no doubt


def _failed(h: Hit, hits: list[Hit], failed: list[Hit], key: str, both: Iterable[Hit] = ()) -> bool:
    """True when a failure word (交不了, 找不到) follows ``h`` in its clause with no other channel between,
    or right after a ``both`` word that follows it (微信和支付宝都不会用: each of them)."""
    end = _clause_end(h, key)
    alls = {b.end for b in both if h.end <= b.start}
    return any(
        h.end <= f.start
        and f.end <= end
        and (
            f.start in alls
            or (f.start - h.end <= _FAILED_REACH and not any(h.end <= o.start < f.start for o in hits))
        )
        for f in failed
    )


def _apps_named(hits: list[Hit], s: Scan) -> list[Hit]:
    """A region's own app that is no channel word (粤医保, 湘医保: they read as a province's insurance), as
    one more named way to weigh: 用粤税通还是粤医保交 weighs two named apps up (no channel), as two channels."""
    return [
        Hit(a.start, a.end, a.word, a.word)
        for a in s.other.get("app_region", ())
        if not any(h.start < a.end and a.start < h.end for h in hits)
    ]


def _undecided(hits: list[Hit], s: Scan, key: str, lex: Lexicon) -> list[Hit]:
    """The words of choice when two different values are named with one (微信还是支付宝, 比较微信和支付宝).
    A word of choice that opens a preference with no other value before it in its clause settles
    rather than asks (支付宝找不到入口,还是去银行吧). Two offices paid at in person (``hall_offices``) are two
    ways too (去税务大厅和去医保局交有什么区别: which office is the question)."""
    offices = {
        next((o for o in lex.hall_offices if o in h.word), "") if h.value == HALL else "" for h in hits
    }
    if len({str(h.value) for h in hits}) < 2 and len(offices) < 2:
        return []
    cues = {c.start for c in s.other.get("prefer:channel", ())}
    clauses = _clauses(key)

    def settles(u: Hit) -> bool:
        b = _clause_of(u, clauses)[0]
        return u.start in cues and not any(b <= h.start < u.start for h in hits)

    # 微信支付宝都能交吗: a word meaning all the channels named before it in its clause weighs them up
    both = [
        u
        for u in s.other.get("both", ())
        if len({str(h.value) for h in hits if _clause_of(u, clauses)[0] <= h.start < u.start}) > 1
    ]
    return [u for u in s.other.get("undecided", ()) if not settles(u)] + both


@functools.lru_cache(maxsize=4)
def _clauses(key: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) of each clause of the prepared message ``key``: found once per message, however
    many rules ask (the cache holds the last few messages)."""
    return tuple((m.start(), m.end()) for m in _CLAUSE.finditer(key))


def _clause_at(start: int, end: int, clauses: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The clause holding position ``start``; (start, end) itself when none does (punctuation)."""
    return next(((b, e) for b, e in clauses if b <= start < e), (start, end))


def _clause_of(h: Hit, clauses: Sequence[tuple[int, int]]) -> tuple[int, int]:
    return _clause_at(h.start, h.end, clauses)


def _clause_end(h: Hit, key: str) -> int:
    return _clause_of(h, _clauses(key))[1]


def _clause_start(h: Hit, key: str) -> int:
    return _clause_of(h, _clauses(key))[0]


def _command(s: Scan) -> str | None:
    """A command. Going back (返回, 搞错了) only when the message says nothing else: with a slot word it
    corrects that slot (福州搞错了 应该是泉州), and with a question it is a word of the story (今年在外地没回去
    …怎么交). Starting again may bring the new answers (重新开始,我是学生在深圳)."""
    hits = _live(s.other.get("command", ()), s)
    cues = [m for n, ms in s.intents.items() if n not in SMALL_TALK for m in ms]
    # 断了 重新交要从头开始算吗: a command word inside a question's cue is part of the question
    hits = [h for h in hits if not any(m[0][0] <= h.start and h.end <= m[-1][1] for m in cues)]
    if not hits:
        return None
    if any(h.value == RESTART for h in hits):
        return RESTART
    if any(_live(s.slots.get(k, ()), s) for k in ("identity", "region", "channel")):
        return None
    if any(not _inside_any(m, hits) for m in cues):
        return None
    return str(max(hits, key=lambda h: h.size).value)


def _intent(s: Scan, lex: Lexicon, has_figure: bool, key: str) -> tuple[str | None, dict[str, int]]:
    """The specific intent with the most characters of cues (ties: listed first), counting only the cues
    of the question clause when two specific intents compete and it holds one; else the money figure's
    intent, else the general one. Also the score of each specific intent weighed (characters of cues),
    empty when none was: ``_doubt`` reads ties from it."""
    if any(ch.isdigit() for ch in key):
        _add_numbers_called(s, key, lex)
    specific = _specific_cues(s)
    if specific.get(PAIR_INTENT) and specific.get(MUST_INTENT):
        # 交了社保还要交医保吗: must one still pay, asked with another enrolment named, is about paying twice
        still = [(h.start, h.end) for h in s.other.get("must_still", ())]
        kept = [m for m in specific[MUST_INTENT] if not _within(m[0], still)]
        # the must-still words then ask whether to pay again (厂里交了医保 村里又来收新农合 这个还要不要交)
        specific[PAIR_INTENT] = specific[PAIR_INTENT] + [
            m for m in specific[MUST_INTENT] if _within(m[0], still)
        ]
        if kept:
            specific[MUST_INTENT] = kept
        else:
            del specific[MUST_INTENT]
    if specific.get(PENSION_INTENT) and s.other.get("medical_only"):
        # 养老和医保能分开交吗 我只想交医保: the medical insurance alone is what is asked about
        del specific[PENSION_INTENT]
    elif specific.get(PENSION_INTENT) and not s.other.get("medical"):
        # 不交养老保险犯法吗, 养老保险缴费记录怎么查: another insurance asked about, no medical one named
        return PENSION_INTENT, {}
    if has_figure and set(specific) == {FIGURE_INTENT} and _figure_told(s, key, lex):
        if _asks_how_to_pay(s, lex):
            # 缴费基数5000 在手机上怎么操作: the base word tells the figure; the figure and a how question decide
            del specific[FIGURE_INTENT]
        elif (
            not s.other.get("asks") and s.intents.get(GENERAL_INTENT) and _live(s.slots.get("channel", ()), s)
        ):
            # 灵活就业 基数3600 微信交: the base told and a way to pay chosen, asking nothing (convention 7)
            return GENERAL_INTENT, {}
    if specific and _asks_how_only(s, key, specific):
        return GENERAL_INTENT, {}  # 不然住院不能报,我现在去哪交最快: the question clause asks how to pay
    if len(specific) > 1:
        asked = _question_clause(key, s.other.get("asks", ()))
        if asked:
            # a cue in parts (交了…还能交) belongs to the clause of its last part
            inside = {n: [m for m in ms if _within(m[-1], (asked,))] for n, ms in specific.items()}
            if any(inside.values()):
                specific = inside
    best, best_score = None, 0
    scores: dict[str, int] = {}
    for name in lex.intent_order:
        if not specific.get(name):
            continue
        scores[name] = score = _covered(specific[name])
        if score > best_score:
            best, best_score = name, score
    if best:
        return best, scores
    if has_figure and _covered(s.intents.get(GENERAL_INTENT, [])) < _ASKS_HOW:
        return FIGURE_INTENT, {}  # 居民医保400 asks about the amount; 学生医保350块怎么交 asks how to pay
    if s.intents.get(GENERAL_INTENT):
        return GENERAL_INTENT, {}
    if any(s.slots.get(k) for k in ("identity", "region", "channel")):
        return None, {}  # small talk only when the message carries nothing else
    whole = _NOT_WORD.sub("", key)
    # a count of people holds no small talk (那我和老公两个人呢 asks about two persons; 人呢 calls nobody)
    counts = [(h.start, h.end) for h in s.other.get("people", ())]
    talk = [
        (-_covered(matches), i, n)
        for i, n in enumerate(lex.intent_order)
        if n in SMALL_TALK
        and (
            matches := [
                m for m in s.intents.get(n, ()) if _talk_counts(m, whole) and not _overlaps(m, counts)
            ]
        )
    ]
    if len({n for _, _, n in talk}) > 1:
        # 哈喽 有人值班没 -> ping, 好的 明白了 谢谢 -> thanks: a greeting or an acknowledgement leads in to the
        # other small talk, which is what the message says
        talk = [t for t in talk if t[2] not in _TALK_LEAD_INS] or talk
    return (min(talk)[2] if talk else None), {}


_TALK_LEAD_INS = ("greeting", "ok")


def _asks_how_to_pay(s: Scan, lex: Lexicon) -> bool:
    """True when, the figure being told (``_figure_told``: it asks nothing), a question of how to pay with
    a question word in it (在手机上怎么操作, 微信能交吗) is what the message asks."""
    # a bare whether (2000的基数能交吗) asks about that base; a way named or a how word asks how to pay
    named = bool(s.slots.get("channel"))
    asks = [a for a in s.other.get("asks", ()) if named or a.word not in lex.whether_words]
    how = [
        m
        for m in s.intents.get(GENERAL_INTENT, ())
        if any(m[0][0] <= a.start and a.end <= m[-1][1] for a in asks)
    ]
    return _covered(how) >= _ASKS_HOW


def _figure_told(s: Scan, key: str, lex: Lexicon) -> bool:
    """True when every amount cue is a money cue (基数) right before or after a figure (基数选5000, 按4千的
    基数): it tells the figure the calculator starts from."""
    figures = figure_spans(key, lex)

    def tells(m: Cue) -> bool:
        if len(m) > 1 or key[m[0][0] : m[0][1]] not in lex.money_cue_words:
            return False
        b, e = m[0]
        return any(e <= f < e + 2 or b - 2 < t <= b for f, t in figures)

    return all(tells(m) for m in s.intents.get(FIGURE_INTENT, ()))


def _specific_cues(s: Scan) -> dict[str, list[Cue]]:
    """The cues of each specific intent found (not how to pay, not small talk)."""
    return {n: ms for n, ms in s.intents.items() if ms and n != GENERAL_INTENT and n not in SMALL_TALK}


def _asks_how_only(s: Scan, key: str, specific: dict[str, list[Cue]]) -> bool:
    """True when the last clause that asks, asks how or where to pay with a question word (去哪交, 怎么交)
    and holds no specific cue: the specific words before it are background or an earlier question, and
    the last question decides (labelling convention 8: …不知道一个月要多少钱 还有就是在哪里交). Asking what to
    do (``what_to_do``: 怎么办, 咋整) is no such question: after a trouble named it asks about the trouble
    (两个老板都给交医保 怎么弄 -> duplicate); nor is asking how to join up again (``rejoin``: 怎么接上) after
    a lapse or a missed time named (医保断了 怎么接上 -> deadline)."""
    asks = s.other.get("asks", ())
    question = _question_clause(key, asks)
    if question is None:
        return False
    if any(_within(m[-1], (question,)) for ms in specific.values() for m in ms):
        return False
    how = [
        m
        for m in s.intents.get(GENERAL_INTENT, ())
        if _within(m[-1], (question,)) and any(m[0][0] <= a.start and a.end <= m[-1][1] for a in asks)
    ]
    what = s.other.get("what_to_do", ())
    if what:
        how = [m for m in how if not _inside_any(m, what)]
    # 辞职了医保断了 怎么接上: how to join a lapse up again asks about the lapse named before; joining up on
    # one's own (能不能自己接上) says how, as 自己交 does (convention 17)
    own = {h.end for h in s.other.get("on_ones_own", ())}
    rejoin = [r for r in s.other.get("rejoin", ()) if r.start not in own]
    if rejoin and specific.get(DEADLINE_INTENT):
        how = [m for m in how if not any(m[0][0] < r.end and r.start < m[-1][1] for r in rejoin)]
    return _covered(how) >= _ASKS_HOW


def _asking_clauses(key: str, asks: Iterable[Hit]) -> list[tuple[int, int]]:
    """The spans of the clauses that ask (hold an ``interrogatives`` word or end in a question mark)."""
    starts = [h.start for h in asks]
    return [(b, e) for b, e in _clauses(key) if key.startswith("?", e) or any(b <= x < e for x in starts)]


def _question_clause(key: str, asks: Iterable[Hit]) -> tuple[int, int] | None:
    """The span of the last clause that asks (holds an ``interrogatives`` word or ends in a question
    mark), when the message has more than one clause."""
    clauses = _clauses(key)
    if len(clauses) < 2:
        return None
    starts = [h.start for h in asks]
    for b, e in reversed(clauses):
        if key.startswith("?", e) or any(b <= x < e for x in starts):
            return b, e
    return None


def _talk_counts(spans: tuple[tuple[int, int], ...], whole: str) -> bool:
    """A one-character small-talk word (好, 嗯) counts only as the whole message (好好, 嗯嗯): inside
    a sentence it is part of another word (好贵, 银行)."""
    return sum(e - b for b, e in spans) > 1 or len(set(whole)) == 1


def _overlaps(spans: tuple[tuple[int, int], ...], words: Iterable[tuple[int, int]]) -> bool:
    return any(b < we and ws < e for b, e in spans for ws, we in words)


def _inside_any(spans: tuple[tuple[int, int], ...], words: Iterable[Hit]) -> bool:
    return any(w.start <= b and e <= w.end for b, e in spans for w in words)


def _covered(matches: list[Cue]) -> int:
    """Characters covered by non-overlapping cue matches, longest first (交多少钱 counts 3, not 6)."""
    taken: set[int] = set()
    score = 0
    for spans in sorted(matches, key=lambda m: -sum(e - b for b, e in m)):
        cells = {i for b, e in spans for i in range(b, e)}
        if taken.isdisjoint(cells):
            taken |= cells
            score += len(cells)
    return score
