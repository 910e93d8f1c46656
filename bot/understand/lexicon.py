"""The per-catalog index the understanding module matches against, built once per catalog.

Every word (vocabulary, region names and aliases, generated pinyin of place names) goes into one
Aho-Corasick automaton (pyahocorasick), so a message is scanned once whatever the vocabulary's size.
Typo tolerance is indexed too: the exact parts of each Chinese word, for same-sound slips (长纱 -> 长沙;
typos.py), and a list of ASCII words for typo correction (changshaa -> changsha).
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import ahocorasick

from bot.catalog.catalog import Catalog, normalize
from bot.catalog.models import SLOTS
from bot.catalog.vocabulary import GAP
from bot.understand.fallback import ARBITER_FILE, MODEL_FILE, Arbiter, IntentModel, load_arbiter, load_model
from bot.understand.nearest import NearestWords
from bot.understand.numerals import write_tens
from bot.understand.place_words import PlaceMatch, place_words
from bot.understand.text import fold, is_hanzi, word_readings
from bot.understand.typos import TypoIndex, TypoWord

# ASCII words shorter than this only match a whole word ("app" not in "happy"); longer ones may also
# match inside a run of letters ("wozaichangsha"), and are the ones typos are corrected in (nearest.py).
LONG_ASCII = 5
# Most characters allowed between the parts of a gap cue ("可以在…交吗").
GAP_SPAN = 12
ASCII_WORD = re.compile(r"[a-z]+")

# An entry says what a word means: (kind, value). Kinds: the slots (identity, region, channel), "command",
# "intent", "part" (value: (cue number, part number) of a gap cue; in the automaton one entry per word, its
# value the cues the word begins), "neg", "prefer" (value: slot), "beneficiary" (value: identity), "who"
# (value: person), "people" (value: a count), "count" (value: a count of people only right before or after a
# person word: 两个孙子, 孙子孙女两个), "not_intent", "passing" (value: slot), "passing_join" (的: a passing
# word may follow its slot word over it), "undecided", "both" (a word meaning all the channels before it),
# "attribute" (到账快: what ways are weighed on), "history", "reported", "at_hand" (words that mark a clause),
# "take_up" (advice taken up), "ended" (a status that ended: what comes before is the past), "failed" (a way
# that did not work), "other_way" (asking for a way other than those named before), "switch_to" (转成: one
# scheme given up for another), "rejoin" (接上: a lapse joined up again), "on_ones_own"
# (自己: right before a rejoin word, joining up on one's own), "must_still" (must one
# still pay), "wish" and "resume" (想…续交: a wish to go on paying), "medical" (the medical insurance named),
# "cover_from" (从哪天开始算: the day cover starts, asked in the last question, is no care away),
# "not_asking" (好几, 十几: an interrogative inside them counts, it asks nothing),
# "medical_only" (只想交医保: the medical insurance alone is asked about, not the pension named with it),
# "tell_me" (请告诉我: a request, not a report), "what_to_do" (怎么办: asks what to do, not how to pay),
# "correction" (不对, 说错了: the slot named after it replaces the one before), "asks" (an interrogative
# word), "spoke" (a hotline before it is who spoke), "for_them" (paying for a person named before),
# "their_own" (他 before a person: their relative), "not_insured_after" (去世, 生完 after a person: not insured),
# "payer_for_me" (给我交 after a person: who pays for the user, not whom it is for), "self_settled" (有职工医保
# after 我自己: the user's own insurance is settled, another person's is asked about), "i_am_their" (我是他 before
# a person: the user's relation to the one insured, 我是他奶奶),
# "this_time" (个月 right after an unnamed place word ending in 这: a time, 我们这个月),
# "their_place" (the home of the person paid for),
# "self_place" (the user's own whereabouts: 我在…), "others_place" (another person's: 朋友在…), "which_place"
# (哪边), "street" (北京路 is a street), "trip", "trip_to" and "care" (a place one travels to or seeks care
# in), "away" (a place away from the insured one: 外地), "origin" (one comes from), "unnamed_place" and
# "unnamed_insurance" (a place referred to without its name: 老家, 我们这), "insured_at" (the insurance's own
# place follows: 医保是…), "insured_after" and "work" (in a care question the place before is the insured one:
# 开封的医保, 在北京上班), "home" and "home_after" (the user's home follows or comes before: 我是…的, 户口在;
# 长沙人), "pay" (paying there: 在西安交), "app_region" (value: the region whose own app or service it is:
# 粤税通), "scheme", "place" (value: a PlaceMatch from the gazetteer; found as a region).
Entry = tuple[str, object]


@dataclass(frozen=True)
class GapCue:
    """An intent cue in parts that must appear in order: 可以在…交吗."""

    intent: str
    parts: tuple[str, ...]


@dataclass
class Lexicon:
    """Everything :func:`bot.understand.understand` needs from one catalog, indexed for speed."""

    automaton: ahocorasick.Automaton
    gap_cues: tuple[GapCue, ...]
    intent_order: tuple[str, ...]
    scheme_words: frozenset[str]
    named_schemes: frozenset[str]  # schemes named outright, which outweigh an implied identity
    any_scheme: frozenset[str]  # scheme_words and named_schemes: a scheme, not an occupation
    # 六十九岁, 今年六十五: an age only residents pay at, which outweighs an occupation
    resident_ages: frozenset[str]
    whole_message: dict[str, str]  # folded alias (also one-character short names) -> region code
    fuzzy_ascii: dict[str, tuple[Entry, ...]]  # long ASCII slot words, for typo correction
    fuzzy_words: NearestWords  # the same words, indexed for the nearest one to a typed word
    typos: dict[str, TypoIndex]  # slot -> its Chinese words, for same-sound slips (长纱 -> 长沙)
    region_parent: dict[str, str | None]
    region_province: dict[str, str]
    home_end: tuple[str, ...]  # after a home_after word: the home ends (长沙人 在…, 长沙人的…)
    past_aspect: tuple[str, ...]  # after a pay word: paid before (交了, 交过, 交的)
    question_endings: tuple[str, ...]  # a clause ending in one of these asks (能用不, 交了没)
    whether_words: tuple[str, ...]  # interrogatives asking whether, not how (吗, 呢), and question_endings
    counter_words: frozenset[str]  # a counter right after another channel word is that channel's (银行柜台)
    missing_words: tuple[str, ...]  # inside a document cue: the document is missing (户口还没上, 没有身份证)
    channel_owners: tuple[str, ...]  # whose channel, right before it (能不能用我的支付宝)
    retire_to: tuple[str, ...]  # before a place and 养老 (来成都养老): retiring there, no pension asked
    retire_bare: frozenset[str]  # the bare pension cues that retire_to makes retiring (养老)
    # the user named alone: persons named only in clauses before are background (我自己, 给自己)
    self_alone: tuple[str, ...]
    # a pay verb: after 我自己 and before a scheme the scheme is paid, not a trade (给我自己交灵活就业医保)
    pay_verbs: tuple[str, ...]
    i_am: tuple[str, ...]  # the user saying outright who they are (我是个体户)
    shared_status: tuple[str, ...]  # a status said of the user and others (我们都是个体户, 老婆也是)
    # a newborn unless an age of a year or more or a school follows (宝宝两岁了 -> child)
    baby_words: tuple[str, ...]
    user_words: tuple[str, ...]  # the user, shortly before an occupation in its clause (我跑外卖)
    hall_offices: tuple[str, ...]  # the office a hall word names: two offices weighed up name none
    self_with: tuple[str, ...]  # the user named with others after (我和孩子): persons before are background
    # a couple counted (老两口): no count when only another generation is insured
    couple_words: frozenset[str]
    # the user counted with one other (我们俩): the user, when no person is named
    we_counted: frozenset[str]
    # a region's own app (app_regions) -> the region's code, for an app typed with a slip (皖事同 -> 安徽)
    app_region_of: dict[str, str]
    # a person right before it asking about another person is the asker (老头子问孙子医保)
    asked_by: tuple[str, ...]
    school_words: frozenset[str]  # a school's insurance: ended with an ended status (毕业了)
    money_units: tuple[str, ...]
    money_cues: tuple[str, ...]
    money_cues_after: tuple[str, ...]  # cues that follow their figure (2000的基数)
    money_cue_words: frozenset[str]  # money_cues and money_cues_after: a cue that tells a figure
    not_money_units: tuple[str, ...]
    vague_numbers: tuple[str, ...]  # right before a numeral they make it no figure (几十块)
    not_money_cues: tuple[str, ...]
    id_number_cues: tuple[str, ...]  # a number shortly after one identifies (尾号5678): no money
    service_number_prefixes: tuple[str, ...]
    who_identity: dict[str, str]  # person (child, parent ...) -> the identity paying for them implies
    multipliers: dict[str, Decimal]
    hotline_numbers: frozenset[str]
    model_path: Path  # the intent fallback's weights (flows/intent_model.tsv, its arbiter beside it)


def resident_age_words(
    ages: Mapping[str, Decimal], after: Iterable[str], before: Iterable[str] = ()
) -> list[str]:
    """The words of an age at which only residents pay (``resident_ages``): each age from ``from`` to
    ``to`` in digits and in Chinese numerals, before each word of ``after`` (82了, 七十三岁), or after each
    word of ``before`` (今年六十五, 老爷子八十三; ``after`` then empty)."""
    if "from" not in ages or "to" not in ages:
        return []
    low, high = int(ages["from"]), int(ages["to"])
    numbers = [str(n) for n in range(low, high + 1)]
    numbers += [write_tens(n) for n in range(max(low, 10), min(high, 99) + 1)]
    return [n + a for n in numbers for a in after] + [b + n for n in numbers for b in before]


def _build(catalog: Catalog) -> Lexicon:
    voc = catalog.vocabulary
    words: dict[str, list[Entry]] = defaultdict(list)

    def add(word: str, entry: Entry) -> None:
        word = fold(word)
        if word and entry not in words[word]:
            words[word].append(entry)

    for slot, section in (("identity", voc.identities), ("channel", voc.channels)):
        for name, ws in section.items():
            for w in ws:
                add(w, (slot, name))
    for name, ws in voc.commands.items():
        for w in ws:
            add(w, ("command", name))
    for name, ws in voc.beneficiaries.items():
        for w in ws:
            add(w, ("beneficiary", name))
    for name, ws in voc.who.items():
        for w in ws:
            add(w, ("who", name))
    for name, ws in voc.app_regions.items():
        code = catalog.alias_index.get(normalize(name))
        if code is None:
            continue  # a region this catalog does not hold: the loader has warned about it
        for w in ws:
            add(w, ("app_region", code))
    for w, n in voc.people.items():
        add(w, ("people", int(n)))
    for w, n in voc.person_counts.items():
        add(w, ("count", int(n)))
    ages_after = resident_age_words(voc.resident_ages, voc.resident_age_after)  # 82了, 七十三岁
    ages_before = resident_age_words(voc.resident_ages, (), voc.resident_age_before)  # 今年六十五
    for w in ages_after:
        add(w, ("identity", "resident"))
    for w in ages_before:
        add(w, ("age", "resident"))  # an identity word when no digit, numeral or money unit follows (scan)
    for w in voc.not_intents:
        add(w, ("not_intent", None))
    for slot, ws in voc.in_passing.items():
        for w in ws:
            add(w, ("passing", slot))
    for slot, ws in voc.not_slots.items():
        for w in ws:
            add(w, (slot, None))
    for w in voc.negations:
        add(w, ("neg", None))
    for kind, ws in (
        ("undecided", voc.undecided),
        ("both", voc.both),
        ("attribute", voc.way_attributes),
        ("history", voc.history),
        ("ended", voc.ended),
        ("reported", voc.reported),
        ("take_up", voc.take_up),
        ("take_up_how", voc.take_up_how),
        ("doubt", voc.doubt),
        ("at_hand", voc.at_hand),
        ("failed", voc.failed),
        ("other_way", voc.other_way),
        ("must_still", voc.must_still),
        ("switch_to", voc.switch_to),
        ("rejoin", voc.rejoin),
        ("on_ones_own", voc.on_ones_own),
        ("medical", voc.medical_words),
        ("medical_only", voc.medical_only),
        ("not_asking", voc.not_asking),
        ("cover_from", voc.cover_from),
        ("tell_me", voc.tell_me),
        ("what_to_do", voc.what_to_do),
        ("correction", voc.corrections),
        ("passing_join", voc.passing_joins),
        ("asks", voc.interrogatives),
        ("spoke", voc.spoke),
        ("for_them", voc.for_them),
        ("their_own", voc.their_own),
        ("not_insured_after", voc.not_insured_after),
        ("payer_for_me", voc.payer_for_me),
        ("self_settled", voc.self_settled),
        ("i_am_their", voc.i_am_their),
        ("this_time", voc.this_time),
        ("self_place", voc.self_place),
        ("others_place", voc.others_place),
        ("which_place", voc.which_place),
        ("street", voc.street_suffixes),
        ("trip", voc.elsewhere_after),
        ("trip_to", voc.elsewhere_before),
        ("care", voc.care_after),
        ("away", voc.away_place),
        ("origin", voc.origin_before),
        ("unnamed_place", voc.unnamed_place),
        ("unnamed_insurance", voc.unnamed_insurance),
        ("their_place", voc.their_place),
        ("insured_at", voc.insured_at),
        ("insured_after", voc.insured_after),
        ("work", voc.work_after),
        ("home", voc.home_before),
        ("home_after", voc.home_after),
        ("pay", voc.pay_after),
        ("wish", voc.wish),
        ("resume", voc.resume),
    ):
        for w in ws:
            add(w, (kind, None))
    for slot, ws in voc.prefer_after.items():
        for w in ws:
            add(w, ("prefer", slot))
    gaps: list[GapCue] = []
    for name, cues in voc.intents.items():
        for cue in cues:
            if GAP in cue:
                parts = tuple(fold(p) for p in cue.split(GAP) if p)
                for i, p in enumerate(parts):
                    add(p, ("part", (len(gaps), i)))
                gaps.append(GapCue(name, parts))
            else:
                add(cue, ("intent", name))

    gazetteer, curated = place_words(catalog, words)
    whole: dict[str, str] = {}
    for alias, code in catalog.alias_index.items():
        whole[fold(alias)] = code
        if len(alias) >= 2:
            add(alias, ("region", curated.get(fold(alias), code)))
    _add_pinyin(catalog, words, gazetteer)
    for word, match in gazetteer.items():
        if word not in words:
            words[word].append(("place", match))

    automaton = ahocorasick.Automaton()
    for word, entries in words.items():
        automaton.add_word(word, (word, _one_part_entry(entries)))
    automaton.make_automaton()

    fuzzy_ascii: dict[str, tuple[Entry, ...]] = {}
    exact_starts = tuple(fold(w) for w in voc.exact_only_starts)
    typo_words: dict[str, dict[str, TypoWord]] = {slot: {} for slot in SLOTS}
    for rank, (word, entries) in enumerate(words.items()):
        slot_entries = tuple(e for e in entries if e[0] in SLOTS and e[1] is not None)
        if not slot_entries:
            continue
        if ASCII_WORD.fullmatch(word) and len(word) >= LONG_ASCII:
            if len(word) > LONG_ASCII:  # five letters are one slip from everyday pinyin (wushi: woshi 我是)
                fuzzy_ascii[word] = slot_entries
        elif (
            all(is_hanzi(c) for c in word)
            and len(word) >= (2 if slot_entries[0][0] == "region" else 3)
            and not word.startswith(exact_starts)  # 不给交社保 is not 不能交社保 one character off
        ):
            sounds = word_readings(word)  # each character's reading in this word (长沙: chang, sha)
            for slot, value in slot_entries:  # a word's first value in a slot is its typo's value
                typo_words[slot].setdefault(word, TypoWord(word, sounds, value, rank))
    hotlines = {h.number for f in catalog.flows.values() for h in f.hotlines}
    hotlines.update(h.number for h in catalog.national.hotlines)
    return Lexicon(
        automaton=automaton,
        gap_cues=tuple(gaps),
        intent_order=tuple(voc.intents),
        scheme_words=frozenset(fold(w) for w in voc.scheme_words),
        named_schemes=frozenset(fold(w) for w in voc.named_schemes),
        any_scheme=frozenset(fold(w) for w in (*voc.scheme_words, *voc.named_schemes)),
        resident_ages=frozenset(fold(w) for w in ages_after + ages_before),
        whole_message=whole,
        fuzzy_ascii=fuzzy_ascii,
        fuzzy_words=NearestWords(tuple(fuzzy_ascii)),
        typos={slot: TypoIndex(index.values()) for slot, index in typo_words.items()},
        region_parent={code: r.parent for code, r in catalog.regions.items()},
        region_province={code: r.parent or code for code, r in catalog.regions.items()},
        home_end=tuple(fold(w) for w in voc.home_end),
        past_aspect=tuple(fold(w) for w in voc.past_aspect),
        question_endings=tuple(fold(w) for w in voc.question_endings),
        whether_words=tuple(fold(w) for w in (*voc.whether_words, *voc.question_endings)),
        counter_words=frozenset(fold(w) for w in voc.counter_words),
        missing_words=tuple(fold(w) for w in voc.missing_words),
        channel_owners=tuple(fold(w) for w in voc.channel_owners),
        retire_to=tuple(fold(w) for w in voc.retire_to),
        retire_bare=frozenset(fold(w) for w in voc.retire_bare),
        self_alone=tuple(fold(w) for w in voc.self_alone),
        pay_verbs=tuple(fold(w) for w in voc.pay_verbs),
        i_am=tuple(fold(w) for w in voc.i_am),
        shared_status=tuple(fold(w) for w in voc.shared_status),
        baby_words=tuple(fold(w) for w in voc.baby_words),
        user_words=tuple(fold(w) for w in voc.user_words),
        hall_offices=tuple(fold(w) for w in voc.hall_offices),
        self_with=tuple(fold(w) for w in voc.self_with),
        couple_words=frozenset(fold(w) for w in voc.couple_words),
        we_counted=frozenset(fold(w) for w in voc.we_counted),
        app_region_of={w: str(e[1]) for w, es in words.items() for e in es if e[0] == "app_region"},
        asked_by=tuple(fold(w) for w in voc.asked_by),
        school_words=frozenset(fold(w) for w in voc.school_words),
        money_units=tuple(fold(w) for w in voc.money_units),
        money_cues=tuple(fold(w) for w in voc.money_cues),
        money_cues_after=tuple(fold(w) for w in voc.money_cues_after),
        money_cue_words=frozenset(fold(w) for w in (*voc.money_cues, *voc.money_cues_after)),
        not_money_units=tuple(fold(w) for w in voc.not_money_units),
        vague_numbers=tuple(fold(w) for w in voc.vague_numbers),
        not_money_cues=tuple(fold(w) for w in voc.not_money_cues),
        id_number_cues=tuple(fold(w) for w in voc.id_number_cues),
        service_number_prefixes=tuple(voc.service_number_prefixes),
        who_identity={who: ident for ident, people in voc.who_identity.items() for who in people},
        multipliers={fold(k): v for k, v in voc.multipliers.items()},
        hotline_numbers=frozenset(hotlines),
        model_path=catalog.root / MODEL_FILE,
    )


def _one_part_entry(entries: list[Entry]) -> tuple[Entry, ...]:
    """``entries`` with its gap-cue parts as one last entry ("part", the cues the word begins): the
    scan keeps a part word's spans once, however many cues share it (交 is a part of dozens)."""
    parts = [value for kind, value in entries if kind == "part"]
    if not parts:
        return tuple(entries)
    firsts = tuple(sorted(part[0] for part in parts if isinstance(part, tuple) and part[1] == 0))
    return (*(e for e in entries if e[0] != "part"), ("part", firsts))


def _add_pinyin(catalog: Catalog, words: dict[str, list[Entry]], gazetteer: dict[str, PlaceMatch]) -> None:
    """Pinyin of every Chinese place name (长沙 -> changsha), unless it is ambiguous (玉林/榆林 -> yulin;
    苏州/宿州 -> suzhou, found in the gazetteer, which then offers both) or already a word with another
    meaning. Explicit ASCII aliases in the flows always win."""
    generated: dict[str, set[str]] = defaultdict(set)
    for alias, code in catalog.alias_index.items():
        if len(alias) >= 2 and all(is_hanzi(c) for c in alias):
            generated["".join(word_readings(alias))].add(code)
    for word, codes in generated.items():
        shared = word in gazetteer and gazetteer[word].region is None
        if len(codes) == 1 and word not in words and not shared:
            words[word].append(("region", next(iter(codes))))


_CACHE: dict[int, Lexicon] = {}
_LOCK = threading.Lock()


def lexicon_for(catalog: Catalog) -> Lexicon:
    """The lexicon of ``catalog``, built on first use and kept as long as the catalog lives."""
    lex = _CACHE.get(id(catalog))
    if lex is None:
        with _LOCK:
            lex = _CACHE.get(id(catalog))
            if lex is None:
                lex = _build(catalog)
                _CACHE[id(catalog)] = lex
                weakref.finalize(catalog, _CACHE.pop, id(catalog), None)
    return lex


_MODELS: dict[int, tuple[IntentModel, Arbiter] | None] = {}


def _fallback(lex: Lexicon) -> tuple[IntentModel, Arbiter] | None:
    """The intent fallback's model and arbiter for ``lex``, or None when its flows lack either. Read the
    first time the fallback is asked (a process with it off never holds them) and kept as long as the
    lexicon lives, so a reloaded catalog, which gets a new lexicon, reads the files again."""
    key = id(lex)
    if key not in _MODELS:
        with _LOCK:
            if key not in _MODELS:
                model = load_model(lex.model_path)
                arbiter = load_arbiter(lex.model_path.with_name(ARBITER_FILE))
                _MODELS[key] = (model, arbiter) if model is not None and arbiter is not None else None
                weakref.finalize(lex, _MODELS.pop, key, None)
    return _MODELS[key]


def intent_model(lex: Lexicon) -> IntentModel | None:
    """The intent fallback's weights for ``lex`` (``flows/intent_model.tsv``), or None (see ``_fallback``)."""
    both = _fallback(lex)
    return both[0] if both else None


def intent_arbiter(lex: Lexicon) -> Arbiter | None:
    """Whether the model's guess replaces the rules' reading (``flows/intent_arbiter.tsv``), or None."""
    both = _fallback(lex)
    return both[1] if both else None
