"""The words users type, from ``flows/vocabulary.yaml``, checked at load and normalised once.

Python defines the names (identities, channels, intents, commands); the YAML maps words to them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

from bot.catalog.models import CHANNELS, COMMANDS, IDENTITIES, INTENTS, SLOTS, WHO
from bot.catalog.yamlsrc import YamlSource
from bot.errors import Problem

# Separates the parts of a cue that may have other words between them: "可以在…交吗".
GAP = "…"


def normalize(text: str) -> str:
    """Fold width, case and whitespace so ``ＨＵＮＡＮ `` and ``hunan`` compare equal."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def _word(w: Any) -> str:
    """A vocabulary word normalised like typed text; ``...`` is accepted for the gap mark."""
    return normalize(str(w)).replace("...", GAP)  # NFKC turns … into ..., so restore the gap mark


# section -> (shape, allowed names or None). "map": name -> list of words; "list": a list of words.
_SECTIONS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "region_suffixes": ("list", None),
    "identities": ("map", IDENTITIES),
    "channels": ("map", CHANNELS),
    "commands": ("map", COMMANDS),
    "intents": ("map", INTENTS),
    "beneficiaries": ("map", IDENTITIES),
    "who": ("map", WHO),
    "who_identity": ("map", IDENTITIES),
    "for_them": ("list", None),
    "their_own": ("list", None),
    "not_insured_after": ("list", None),
    "payer_for_me": ("list", None),
    "self_settled": ("list", None),
    "i_am_their": ("list", None),
    "this_time": ("list", None),
    "app_regions": ("map", None),
    "people": ("numbers", None),
    "person_counts": ("numbers", None),
    "resident_ages": ("numbers", None),
    "resident_age_after": ("list", None),
    "resident_age_before": ("list", None),
    "scheme_words": ("list", None),
    "named_schemes": ("list", None),
    "not_slots": ("map", SLOTS),
    "not_intents": ("list", None),
    "in_passing": ("map", SLOTS),
    "negations": ("list", None),
    "undecided": ("list", None),
    "both": ("list", None),
    "way_attributes": ("list", None),
    "history": ("list", None),
    "ended": ("list", None),
    "reported": ("list", None),
    "take_up": ("list", None),
    "take_up_how": ("list", None),
    "doubt": ("list", None),
    "at_hand": ("list", None),
    "failed": ("list", None),
    "other_way": ("list", None),
    "must_still": ("list", None),
    "switch_to": ("list", None),
    "rejoin": ("list", None),
    "on_ones_own": ("list", None),
    "tell_me": ("list", None),
    "medical_words": ("list", None),
    "medical_only": ("list", None),
    "retire_to": ("list", None),
    "retire_bare": ("list", None),
    "not_asking": ("list", None),
    "cover_from": ("list", None),
    "wish": ("list", None),
    "resume": ("list", None),
    "what_to_do": ("list", None),
    "corrections": ("list", None),
    "passing_joins": ("list", None),
    "interrogatives": ("list", None),
    "question_endings": ("list", None),
    "whether_words": ("list", None),
    "spoke": ("list", None),
    "exact_only_starts": ("list", None),
    "prefer_after": ("map", SLOTS),
    "self_place": ("list", None),
    "others_place": ("list", None),
    "which_place": ("list", None),
    "street_suffixes": ("list", None),
    "elsewhere_after": ("list", None),
    "elsewhere_before": ("list", None),
    "care_after": ("list", None),
    "away_place": ("list", None),
    "origin_before": ("list", None),
    "unnamed_place": ("list", None),
    "unnamed_insurance": ("list", None),
    "their_place": ("list", None),
    "insured_at": ("list", None),
    "insured_after": ("list", None),
    "work_after": ("list", None),
    "home_before": ("list", None),
    "home_after": ("list", None),
    "pay_after": ("list", None),
    "home_end": ("list", None),
    "past_aspect": ("list", None),
    "counter_words": ("list", None),
    "missing_words": ("list", None),
    "channel_owners": ("list", None),
    "self_alone": ("list", None),
    "pay_verbs": ("list", None),
    "i_am": ("list", None),
    "shared_status": ("list", None),
    "baby_words": ("list", None),
    "user_words": ("list", None),
    "hall_offices": ("list", None),
    "self_with": ("list", None),
    "couple_words": ("list", None),
    "we_counted": ("list", None),
    "asked_by": ("list", None),
    "school_words": ("list", None),
    "money_units": ("list", None),
    "money_cues": ("list", None),
    "money_cues_after": ("list", None),
    "not_money_units": ("list", None),
    "vague_numbers": ("list", None),
    "not_money_cues": ("list", None),
    "service_number_prefixes": ("list", None),
    "id_number_cues": ("list", None),
    "multipliers": ("numbers", None),
    "reminder_requests": ("reminders", None),
}
# Sections where a word may mean one name only (prefer_after and not_slots may share words).
_UNIQUE = frozenset({"identities", "channels", "commands", "intents", "beneficiaries", "who"})


@dataclass(frozen=True)
class ReminderWords:
    """Words of a typed reminder request (``reminder_requests``; read by :mod:`bot.reminders.typed`).

    A message asks for a reminder when it holds ``keyword`` and a word of ``ask``; a word of ``list``
    opens the list; a day of the month before a word of ``day_units`` (10号) makes it monthly. A cue
    with a gap (到时…提醒) allows up to ``ask_gap`` (``list_gap``) characters between its parts.
    """

    keyword: str = ""
    ask: tuple[str, ...] = ()
    ask_gap: int = 0
    list: tuple[str, ...] = ()
    list_gap: int = 0
    day_units: tuple[str, ...] = ()
    max_chars: int = 0


_REMINDER_WORDS = ("ask", "list", "day_units")
_REMINDER_NUMBERS = ("ask_gap", "list_gap", "max_chars")


@dataclass(frozen=True)
class Vocabulary:
    """Words users type, from ``flows/vocabulary.yaml``; every word is normalised (see :func:`normalize`).

    ``intents`` keeps the file's order: on a tie between two equally long cues the earlier intent wins.
    """

    region_suffixes: tuple[str, ...] = ()
    identities: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    channels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    commands: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    intents: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    beneficiaries: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    who: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    who_identity: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    for_them: tuple[str, ...] = ()
    their_own: tuple[str, ...] = ()  # 他, 她 before a person: that person's relative (孙子…他爸妈)
    this_time: tuple[str, ...] = ()  # 个月 after 我们这: a time (我们这个月刚搬到株洲), no unnamed place
    payer_for_me: tuple[str, ...] = ()  # 给我交 after a person: who pays for the user (我妈给我交的)
    self_settled: tuple[str, ...] = ()  # 我自己有职工医保 …: the user's own insurance is settled
    i_am_their: tuple[str, ...] = ()  # 我是他…: the person word after it is the user (我是他奶奶)
    not_insured_after: tuple[str, ...] = ()  # 去世, 生完 after a person: not insured (老伴去世了, 老婆刚生完)
    app_regions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # region name -> its own apps
    people: Mapping[str, Decimal] = field(default_factory=dict)
    person_counts: Mapping[str, Decimal] = field(default_factory=dict)  # 两个: people only by a person word
    resident_ages: Mapping[str, Decimal] = field(default_factory=dict)  # from, to: ages only residents pay at
    resident_age_after: tuple[str, ...] = ()  # after such an age it names one (82了, 七十三岁)
    resident_age_before: tuple[str, ...] = ()  # before such an age it names one (今年六十五, 老爷子八十三)
    not_intents: tuple[str, ...] = ()
    in_passing: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    not_money_cues: tuple[str, ...] = ()
    service_number_prefixes: tuple[str, ...] = ()
    scheme_words: tuple[str, ...] = ()
    named_schemes: tuple[str, ...] = ()
    not_slots: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    negations: tuple[str, ...] = ()
    undecided: tuple[str, ...] = ()
    both: tuple[str, ...] = ()
    way_attributes: tuple[str, ...] = ()  # 到账快: with channels weighed up, which way is the question
    history: tuple[str, ...] = ()
    ended: tuple[str, ...] = ()
    reported: tuple[str, ...] = ()
    take_up: tuple[str, ...] = ()
    take_up_how: tuple[str, ...] = ()
    doubt: tuple[str, ...] = ()
    at_hand: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    other_way: tuple[str, ...] = ()
    must_still: tuple[str, ...] = ()
    switch_to: tuple[str, ...] = ()  # 转成, 改成: one scheme given up for another, not two held at once
    rejoin: tuple[str, ...] = ()  # 接上: a lapse joined up again (asks about the lapse named before)
    on_ones_own: tuple[str, ...] = ()  # 自己 right before a rejoin word: joining up on one's own (how to pay)
    tell_me: tuple[str, ...] = ()  # 请告诉我, 先告诉我: the user asks the bot to tell, nothing reported
    medical_words: tuple[str, ...] = ()  # 医保, 新农合: medical insurance named (else pension is asked)
    medical_only: tuple[str, ...] = ()  # 只想交医保: the medical insurance alone (not the pension named)
    cover_from: tuple[str, ...] = ()  # 从哪天开始算: the day cover starts asked (no care away)
    not_asking: tuple[str, ...] = ()  # 好几, 十几: a count, no question (断了好几个月了)
    retire_to: tuple[str, ...] = ()  # 来, 搬到 before a place and 养老 (来成都养老): retiring there
    retire_bare: tuple[str, ...] = ()  # the bare pension cue that, after such a place, is retiring (养老)
    wish: tuple[str, ...] = ()  # 想, 打算: what the user means to do
    resume: tuple[str, ...] = ()  # 续交, 续上: going on paying
    passing_joins: tuple[str, ...] = ()  # 的 in 税务局的电话: a passing word may follow over one
    what_to_do: tuple[str, ...] = ()  # 怎么办, 咋整: after a trouble named, the trouble is the question
    corrections: tuple[str, ...] = ()  # 不对, 说错了: a slot named after one replaces the one named before
    interrogatives: tuple[str, ...] = ()
    question_endings: tuple[str, ...] = ()  # a clause ending in one asks (交完马上能用不)
    whether_words: tuple[str, ...] = ()  # 吗, 呢: ask whether, not how (2000的基数能交吗)
    spoke: tuple[str, ...] = ()
    exact_only_starts: tuple[str, ...] = ()
    prefer_after: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    self_place: tuple[str, ...] = ()
    others_place: tuple[str, ...] = ()
    which_place: tuple[str, ...] = ()
    street_suffixes: tuple[str, ...] = ()
    elsewhere_after: tuple[str, ...] = ()
    elsewhere_before: tuple[str, ...] = ()
    care_after: tuple[str, ...] = ()
    away_place: tuple[str, ...] = ()  # a place away from the insured one (外地): care there is remote care
    origin_before: tuple[str, ...] = ()
    unnamed_place: tuple[str, ...] = ()
    unnamed_insurance: tuple[str, ...] = ()
    their_place: tuple[str, ...] = ()
    insured_at: tuple[str, ...] = ()
    insured_after: tuple[str, ...] = ()  # 开封的医保: in a care question the place before it is insured
    work_after: tuple[str, ...] = ()  # 在北京上班: in a care question the place before it is insured
    home_before: tuple[str, ...] = ()
    home_after: tuple[str, ...] = ()
    pay_after: tuple[str, ...] = ()
    home_end: tuple[str, ...] = ()
    past_aspect: tuple[str, ...] = ()
    counter_words: tuple[str, ...] = ()  # a counter after a channel word is that channel's (银行柜台)
    missing_words: tuple[str, ...] = ()  # inside a document cue, the document is missing (户口还没上)
    channel_owners: tuple[str, ...] = ()  # whose channel, before it (能不能用我的支付宝)
    # the user named alone: persons named only in clauses before are background (我自己, 给自己)
    self_alone: tuple[str, ...] = ()
    # a pay verb: after 我自己 and before a scheme the scheme is paid, not a trade (给我自己交灵活就业医保)
    pay_verbs: tuple[str, ...] = ()
    i_am: tuple[str, ...] = ()  # the user saying outright who they are (我是个体户)
    shared_status: tuple[str, ...] = ()  # a status said of the user and others (我们都是个体户, 老婆也是)
    # a newborn unless an age of a year or more or a school follows (宝宝两岁了 -> child)
    baby_words: tuple[str, ...] = ()
    user_words: tuple[str, ...] = ()  # the user, shortly before an occupation in its clause (我跑外卖)
    hall_offices: tuple[str, ...] = ()  # the office a hall word names: two offices weighed up name none
    # the user named with others after (我和孩子): persons before are background
    self_with: tuple[str, ...] = ()
    # a couple counted (老两口): the payers, not the insured, when only another generation is insured
    couple_words: tuple[str, ...] = ()
    # the user counted with one other (我们俩): the user is insured when nobody else is named
    we_counted: tuple[str, ...] = ()
    # a person right before it who asks about another person named after is the asker (老头子问孙子医保…)
    asked_by: tuple[str, ...] = ()
    school_words: tuple[str, ...] = ()  # a school's insurance: ended with an ended status (毕业了)
    money_units: tuple[str, ...] = ()
    money_cues: tuple[str, ...] = ()
    money_cues_after: tuple[str, ...] = ()
    not_money_units: tuple[str, ...] = ()
    vague_numbers: tuple[str, ...] = ()  # before a numeral: no figure (几十块, 几百块)
    id_number_cues: tuple[str, ...] = ()  # before a number: it identifies, no money (尾号5678)
    multipliers: Mapping[str, Decimal] = field(default_factory=dict)
    reminder_requests: ReminderWords = field(default_factory=ReminderWords)

    @classmethod
    def from_source(cls, src: YamlSource, problems: list[Problem]) -> Vocabulary:
        """Build from a parsed file, adding a problem (file, line, field) for each malformed entry."""
        data = src.data if isinstance(src.data, dict) else {}
        out: dict[str, Any] = {}
        for key in sorted(set(data) - set(_SECTIONS)):
            problems.append(Problem(src.file, src.line_of((key,)), key, "unknown field"))
        for key, (shape, names) in _SECTIONS.items():
            value = data.get(key)
            if value is None:
                continue
            where = src.line_of((key,))
            if shape == "list":
                if not isinstance(value, list):
                    problems.append(Problem(src.file, where, key, "must be a list of words"))
                    continue
                out[key] = tuple(w for w in (_word(v) for v in value) if w)
            elif shape == "numbers":
                out[key] = MappingProxyType(_numbers(src, key, value, problems))
            elif shape == "reminders":
                out[key] = _reminders(src, key, value, problems)
            else:
                out[key] = MappingProxyType(_mapping(src, key, value, names, problems))
        for name, words in out.get("who_identity", {}).items():
            for i, w in enumerate(words):
                if w not in WHO:
                    where = src.line_of(("who_identity", name, i))
                    msg = f"unknown person {w!r}; known: {', '.join(WHO)}"
                    problems.append(Problem(src.file, where, f"who_identity.{name}[{i}]", msg))
        suffixes = out.get("region_suffixes", ())
        out["region_suffixes"] = tuple(sorted(suffixes, key=len, reverse=True))
        return cls(**out)


def _mapping(
    src: YamlSource, key: str, value: Any, names: tuple[str, ...] | None, problems: list[Problem]
) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
        problems.append(Problem(src.file, src.line_of((key,)), key, "must map each name to a list of words"))
        return {}
    out: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for name, words in value.items():
        name = str(name)
        if names is not None and name not in names:
            msg = f"unknown name {name!r}; known: {', '.join(names)}"
            problems.append(Problem(src.file, src.line_of((key, name)), f"{key}.{name}", msg))
            continue
        kept = []
        for i, w in enumerate(words):
            word = _word(w)
            if not word or (GAP in word and key != "intents"):
                msg = "empty word" if not word else f"'{GAP}' (a gap) is only allowed in intents"
                problems.append(Problem(src.file, src.line_of((key, name, i)), f"{key}.{name}[{i}]", msg))
                continue
            other = owner.setdefault(word, name)
            if other != name and key in _UNIQUE:
                msg = f"{str(w)!r} is also listed under {other!r}; a word may name one thing only"
                problems.append(Problem(src.file, src.line_of((key, name, i)), f"{key}.{name}[{i}]", msg))
                continue
            kept.append(word)
        out[name] = tuple(kept)
    return out


def _numbers(src: YamlSource, key: str, value: Any, problems: list[Problem]) -> dict[str, Decimal]:
    if not isinstance(value, dict):
        problems.append(Problem(src.file, src.line_of((key,)), key, "must map each word to a number"))
        return {}
    out: dict[str, Decimal] = {}
    for word, number in value.items():
        try:
            out[_word(word)] = Decimal(str(number))
        except InvalidOperation:
            msg = f"{number!r} is not a number"
            problems.append(Problem(src.file, src.line_of((key, word)), f"{key}.{word}", msg))
    return out


def _reminders(src: YamlSource, key: str, value: Any, problems: list[Problem]) -> ReminderWords:
    """``reminder_requests``: a keyword, lists of words (a gap only in ``ask`` and ``list``) and whole
    numbers; each malformed entry is a problem and is left out."""
    if not isinstance(value, dict):
        problems.append(
            Problem(src.file, src.line_of((key,)), key, "must map keyword, ask, list ... to values")
        )
        return ReminderWords()
    known = ("keyword", *_REMINDER_WORDS, *_REMINDER_NUMBERS)
    for name in sorted(set(map(str, value)) - set(known)):
        msg = f"unknown field; known: {', '.join(known)}"
        problems.append(Problem(src.file, src.line_of((key, name)), f"{key}.{name}", msg))
    out: dict[str, Any] = {}
    keyword = _word(value.get("keyword", ""))
    if not keyword or GAP in keyword:
        msg = "must be one word (the word every reminder request holds)"
        problems.append(Problem(src.file, src.line_of((key, "keyword")), f"{key}.keyword", msg))
    else:
        out["keyword"] = keyword
    for name in _REMINDER_WORDS:
        words = value.get(name, [])
        if not isinstance(words, list):
            problems.append(
                Problem(src.file, src.line_of((key, name)), f"{key}.{name}", "must be a list of words")
            )
            continue
        kept = []
        for i, w in enumerate(words):
            word = _word(w)
            where, field_name = src.line_of((key, name, i)), f"{key}.{name}[{i}]"
            if not word or word == GAP:
                problems.append(Problem(src.file, where, field_name, "empty word"))
            elif GAP in word and (name == "day_units" or word.startswith(GAP) or word.endswith(GAP)):
                msg = "a gap (…) only between two parts of an ask or list word"
                problems.append(Problem(src.file, where, field_name, msg))
            else:
                kept.append(word)
        out[name] = tuple(kept)
    for name in _REMINDER_NUMBERS:
        number = value.get(name, 0)
        if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number <= 100:
            msg = f"{number!r} is not a whole number from 0 to 100"
            problems.append(Problem(src.file, src.line_of((key, name)), f"{key}.{name}", msg))
        else:
            out[name] = number
    return ReminderWords(**out)
