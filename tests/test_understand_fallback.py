"""The statistical intent fallback (bot/understand/fallback.py, flows/intent_model.tsv): its weights, its
arbiter (flows/intent_arbiter.tsv, fitted by ``scripts/calibrate_intents.py``), what it may change and
what it costs. It is on in the bot (``parse.USE_FALLBACK``)."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
import tracemalloc
from pathlib import Path

import pytest

from bot.catalog.catalog import Catalog
from bot.catalog.loader import load_catalog
from bot.understand import fallback, lexicon, parse
from bot.understand.evaluate import Case, tuning_part
from bot.understand.fallback import (
    ARBITER_FILE,
    MODEL_FILE,
    NONE_LABEL,
    Arbiter,
    HashedWeights,
    IntentModel,
    load_arbiter,
    load_model,
    read_weights,
    unpack,
)
from bot.understand.lexicon import intent_model, lexicon_for
from bot.understand.parse import read, understand
from bot.understand.scan import scan
from bot.understand.text import prepare

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests/data"
MODEL = ROOT / "flows" / MODEL_FILE
ARBITER = ROOT / "flows" / ARBITER_FILE
RETRAIN = "flows/intent_model.tsv is not what the labelled data trains: run `make intent-model` and commit it"
# The bot's peak memory is close to its budget: the loaded weights may add this much at most (session 10's
# 5,000 n-grams: 0.69 MiB by tracemalloc in a dictionary, 0.20 MiB in HashedWeights).
MAX_MIB = 0.3

# Clear messages of the tuning part (a test below checks that none is held out) and their labelled intent.
CLEAR = {
    "医保怎么交": "how_to_pay",
    "最低交多少": "amount",
    "需要什么材料": "materials",
    "交了多久能用": "coverage_start",
    "不交医保违法吗": "legal",
    "打哪个电话问": "hotline",
    "门诊能报多少": "reimbursement",
    "医保卡丢了怎么补": "card",
    "深圳支付宝": "none",
}


@pytest.fixture(scope="module")
def model(catalog: Catalog) -> IntentModel:
    loaded = intent_model(lexicon_for(catalog))
    assert loaded is not None, f"flows/{MODEL_FILE} is missing or unreadable"
    return loaded


@pytest.fixture(scope="module")
def tuning(catalog: Catalog) -> list[Case]:
    return tuning_part(DATA, catalog)


def test_the_clear_messages_are_tuning_messages(tuning: list[Case]) -> None:
    labelled = {c.text: c.expected["intent"] for c in tuning}
    for text, intent in CLEAR.items():
        assert labelled.get(text, "absent") == (None if intent == NONE_LABEL else intent), text


@pytest.mark.parametrize(("text", "intent"), CLEAR.items())
def test_weights_load_and_predict_clear_messages(model: IntentModel, text: str, intent: str) -> None:
    label, probability = model.choose(prepare(text).key)
    assert (label, probability > 0.5) == (intent, True)


def test_model_file_header(model: IntentModel) -> None:
    assert NONE_LABEL in model.labels
    assert len(model.bias) == len(model.labels)


def test_arbiter_file() -> None:
    """The arbiter (scripts/calibrate_intents.py --write) weighs every kind of doubt and the model's
    probabilities; an absent or unreadable file reads as no arbiter (the fallback then stays silent)."""
    arbiter = load_arbiter(ARBITER)
    assert arbiter is not None
    assert {"kind:sure", "kind:weak", "kind:asks", "p_model", "p_rules", "log_p_rules"} <= set(
        arbiter.weights
    )
    assert arbiter.weights["p_model"] > 0 > arbiter.weights["log_p_rules"]  # the likelier, the more it counts
    assert arbiter.floors == {"sure": 0.5, "tie": 0.4, "asks": 0.4, "weak": 0.4}


def test_below_its_floor_the_guess_is_not_weighed() -> None:
    """However the weights lean, a guess less likely than the floor of its kind of doubt leaves the rules'
    reading (a kind without a floor: never)."""
    eager = Arbiter({"p_model": 10.0}, 5.0, {"sure": 0.5, "weak": 0.4})
    assert eager.prefers_model({"p_model": 0.5}, "sure")
    assert not eager.prefers_model({"p_model": 0.49}, "sure")
    assert eager.prefers_model({"p_model": 0.4}, "weak")
    assert not eager.prefers_model({"p_model": 0.99}, "tie")


def test_unreadable_arbiter_means_no_fallback(tmp_path: Path) -> None:
    assert load_arbiter(tmp_path / ARBITER_FILE) is None
    (tmp_path / ARBITER_FILE).write_text("p_model\t1.5\n", encoding="utf-8")  # no @bias
    assert load_arbiter(tmp_path / ARBITER_FILE) is None
    (tmp_path / ARBITER_FILE).write_text("@bias\tnone\n", encoding="utf-8")
    assert load_arbiter(tmp_path / ARBITER_FILE) is None


@pytest.mark.parametrize("text", ["?", "95566是哪个银行"])
def test_no_guess_for_a_question_the_model_is_unsure_of(catalog: Catalog, text: str) -> None:
    """A lone question mark and an out-of-scope question stay without an intent (a model with balanced
    label weights read the lone ? as emoji above 0.9)."""
    u, doubt = read(text, catalog)
    assert doubt is not None and doubt.kind == "asks"
    assert u.intent is None and not u.intent_guessed


def test_the_fallback_changes_only_the_intent(
    catalog: Catalog, model: IntentModel, tuning: list[Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With an arbiter that always prefers the model and no floors, the intent is the model's most likely
    (never small talk; ``none`` for no intent), whatever the rules' doubt, except a reading never overruled
    (``NOT_OVERRULED``); and nothing else changes but what the intent
    decides (the identity, and the channel of a double-enrolment or status question)."""
    no_floors = dict.fromkeys((parse.SURE, "tie", "asks", "weak"), 0.0)
    monkeypatch.setattr(parse, "intent_arbiter", lambda lex: Arbiter({}, 1.0, no_floors))
    fired = 0
    for c in tuning[::5]:
        off, doubt = read(c.text, catalog, use_fallback=False)
        on, doubt_on = read(c.text, catalog, use_fallback=True)
        assert doubt_on == doubt
        unread = off.intent is None and not parse._found_any(scan(prepare(c.text), lexicon_for(catalog)))
        if off.command or off.intent in parse.NOT_OVERRULED or unread:
            # a command, a reading never overruled, or no intent and nothing known but an asking word
            assert on == off, c.text
            continue
        p = dict(zip(model.labels, model.probabilities(parse.fallback_key(c.text, catalog)), strict=True))
        guess = max(parse.guessable(model.labels), key=p.__getitem__)
        assert (on.intent or NONE_LABEL) == guess, c.text
        assert on.intent_guessed == ((off.intent or NONE_LABEL) != guess), c.text
        fired += on.intent_guessed
        assert (
            dataclasses.replace(
                on, intent=off.intent, intent_guessed=False, identity=off.identity, channel=off.channel
            )
            == off
        )
    assert fired  # the test exercised the fallback


def test_an_arbiter_that_prefers_the_rules_keeps_them(
    catalog: Catalog, tuning: list[Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parse, "intent_arbiter", lambda lex: Arbiter({}, -1.0, {}))
    for c in tuning[::11]:
        assert understand(c.text, catalog) == understand(c.text, catalog, use_fallback=False), c.text


@pytest.mark.parametrize(
    ("text", "rules", "guess"),
    [
        # a pension does not make a second payment: whether one must pay at all
        ("我爸有退休金了 医保还要另外交吗", "duplicate", "legal"),
        # paid, yet the e-voucher shows not insured: the payment's status, not the card
        ("电子医保凭证显示没参保 可是我交过了", "card", "payment_status"),
    ],
)
def test_overrule_where_the_model_firmly_disagrees(
    catalog: Catalog, text: str, rules: str, guess: str
) -> None:
    off, doubt = read(text, catalog, use_fallback=False)
    assert (off.intent, doubt) == (rules, None)
    on = understand(text, catalog)
    assert (on.intent, on.intent_guessed) == (guess, True)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("在外省住院了 能报多少", "remote_care"),  # care away from the insured place
        ("公积金的缴费记录在哪查", "pension"),  # another insurance named
    ],
)
def test_readings_the_rules_keep(catalog: Catalog, model: IntentModel, text: str, intent: str) -> None:
    """The model is sure of another intent here (reimbursement, payment status at 0.87 to 1.0), but these
    readings come from what n-grams do not see, and they are never overruled (``parse.NOT_OVERRULED``)."""
    u = understand(text, catalog)
    assert (u.intent, u.intent_guessed) == (intent, False)


def test_the_last_clause_decides_for_the_model_too(catalog: Catalog) -> None:
    """How to pay when the last question decides (convention 8): the model reads the last clause's n-grams
    apart (session 14), and the rules' reading stands."""
    u = understand("基数5000一个月多少 用税务app交吗", catalog)
    assert (u.intent, u.intent_guessed) == ("how_to_pay", False)


def test_fallback_is_on_by_default_and_can_be_turned_off(catalog: Catalog, tuning: list[Case]) -> None:
    assert parse.USE_FALLBACK is True
    assert not any(understand(c.text, catalog, use_fallback=False).intent_guessed for c in tuning[:300])
    assert understand("交完了过几天能去看病", catalog).intent_guessed


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("交医保", "weak"),  # the bare pay words, no specific cue
        ("怎么交医保", "weak"),  # a how question alone: weak too (the model keeps how to pay)
        ("交完了过几天能去看病", "weak"),  # when cover starts, in words the vocabulary lacks
        ("门诊报销比例是多少", "tie"),
        ("95566是哪个银行", "asks"),
    ],
)
def test_kinds_of_doubt(catalog: Catalog, text: str, kind: str) -> None:
    doubt = read(text, catalog, use_fallback=False)[1]
    assert doubt is not None and doubt.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "医保交多少钱",  # a specific cue (amount)
        "微信交医保和支付宝交医保哪个到账快",  # which way to pay, decided after _intent chose
        "支付宝跟银行哪个靠谱",  # which way to pay, no intent cue
    ],
)
def test_no_weak_doubt_where_a_specific_cue_or_a_choice_of_way_decides(catalog: Catalog, text: str) -> None:
    doubt = read(text, catalog, use_fallback=False)[1]
    assert doubt is None or doubt.kind != "weak"


def test_weights_are_read_once_per_lexicon_and_only_when_asked() -> None:
    catalog = load_catalog(ROOT / "flows")
    lex = lexicon_for(catalog)
    unsure = "门诊报销比例是多少"  # reimbursement and amount tie
    assert read(unsure, catalog, use_fallback=False)[1] is not None
    assert id(lex) not in lexicon._MODELS  # the fallback off: the weights are never read
    understand(unsure, catalog, use_fallback=True)
    first = lexicon._MODELS[id(lex)]
    assert first is not None
    understand(unsure, catalog, use_fallback=True)
    assert lexicon._MODELS[id(lex)] is first


def test_loaded_weights_stay_small() -> None:
    tracemalloc.start()
    try:
        loaded = load_model(MODEL)
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert loaded is not None
    assert kept / 2**20 <= MAX_MIB


def test_hashed_weights_hold_what_the_file_holds(tuning: list[Case]) -> None:
    """The loaded model finds every n-gram of the file with its weights, none it lacks, and gives the
    same probabilities as the same weights in a dictionary."""
    _, in_file = read_weights(MODEL)
    shipped = load_model(MODEL)
    assert shipped is not None and isinstance(shipped.weights, HashedWeights)
    assert len(shipped.weights) == len(in_file)
    for gram, packed in in_file.items():
        assert shipped.weights.get(gram) == packed == shipped.weights[gram], gram
    for missing in ("医保医保医保", "zzz", "", "𠀀"):
        assert missing not in in_file and shipped.weights.get(missing) is None
        with pytest.raises(KeyError):
            shipped.weights[missing]
    plain = dataclasses.replace(shipped, weights=in_file)
    for c in tuning[::7]:
        key = prepare(c.text).key
        assert shipped.probabilities(key) == plain.probabilities(key), c.text


def test_hashed_weights_refuse_a_shared_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two n-grams of one model with the same hash would read each other's weights: refused, and a file
    that holds them loads as no model (the fallback then stays silent)."""
    weights = {"交": b"\x00\x05", "缴": b"\x01\x05"}
    assert HashedWeights(weights.items(), 2).get("缴") == b"\x01\x05"
    # a string's own hash hashes its internal form: 整 (U+6574, bytes 74 65) and te share it
    assert HashedWeights([("整", b"\x00\x01"), ("te", b"\x00\x02")], 2).get("te") == b"\x00\x02"
    monkeypatch.setattr(fallback, "_hash", lambda gram: 7)
    with pytest.raises(ValueError, match="share a hash"):
        HashedWeights(weights.items(), 2)
    with pytest.raises(TypeError):
        iter(HashedWeights([("交", b"\x00\x05")], 1))


def test_unreadable_weights_mean_no_fallback(tmp_path: Path) -> None:
    assert load_model(tmp_path / MODEL_FILE) is None
    (tmp_path / MODEL_FILE).write_text("@labels\ta b\n@bias\t0.1\n", encoding="utf-8")
    assert load_model(tmp_path / MODEL_FILE) is None


@pytest.mark.slow
def test_weights_file_is_what_the_script_produces() -> None:
    """Retrain as scripts/train_intents.py does and compare with the file; the fit's floating point may
    differ a little between machines, so a weight may be one unit off and a few n-grams at the pruning
    edge may differ."""
    pytest.importorskip("sklearn")
    spec = importlib.util.spec_from_file_location("train_intents", ROOT / "scripts/train_intents.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    sys.modules["train_intents"] = script  # dataclasses look their module up by name
    try:
        spec.loader.exec_module(script)
        fresh = script.train(script.examples())
    finally:
        sys.modules.pop("train_intents", None)
    shipped = load_model(MODEL)
    assert shipped is not None, RETRAIN
    assert fresh.labels == shipped.labels, RETRAIN
    assert fresh.bias == pytest.approx(shipped.bias, abs=1e-3), RETRAIN
    assert fresh.scale == pytest.approx(shipped.scale, rel=1e-3), RETRAIN
    _, in_file = read_weights(MODEL)
    common = fresh.weights.keys() & in_file.keys()
    assert len(common) >= 0.99 * len(in_file), RETRAIN
    for gram in common:
        a, b = fresh.weights[gram], shipped.weights[gram]
        assert dict(unpack(a)).keys() ^ dict(unpack(b)).keys() <= _small(a) | _small(b), f"{gram}: {RETRAIN}"
        for label, w in unpack(a):
            assert abs(w - dict(unpack(b)).get(label, 0)) <= 1, f"{gram}: {RETRAIN}"


def _small(packed: bytes) -> set[int]:
    """Labels whose weight is one unit: rounding may drop or keep them."""
    return {label for label, w in unpack(packed) if abs(w) <= 1}
