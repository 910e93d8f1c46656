"""scripts/label_audit.py: a blind relabel and its adjudication move only the labels the adjudicator gives
to the relabel, never a text, and the tool's checks name problems by line without printing a text."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from bot.catalog.catalog import Catalog
from bot.understand.evaluate import held_out, load_dir

ROOT = Path(__file__).resolve().parents[1]
FILE = """\
# a labelled file
- {text: "长沙灵活就业 微信怎么交", identity: flexible, region: 长沙, channel: wechat, intent: how_to_pay}
- {text: "给孩子交医保要带什么", identity: resident, who: child, intent: materials}
- {text: "用皖事通交医保", intent: how_to_pay}  # a comment kept
"""


@pytest.fixture(scope="module")
def audit():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("label_audit", ROOT / "scripts/label_audit.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["label_audit"] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop("label_audit", None)


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def test_relabel_dispute_and_apply(audit, catalog: Catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data, work = tmp_path / "nlu", tmp_path / "work"
    data.mkdir()
    (data / "x.yaml").write_text(FILE, encoding="utf-8")
    cases = load_dir(data, catalog)
    assert audit.export(data, catalog, work, "T", cases, 1) == [3]
    blind = [json.loads(line) for line in (work / "blind/T1.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["text"] for r in blind} == {c.text for c in cases} and all(
        set(r) == {"id", "text"} for r in blind
    )
    ids = {r["text"]: r["id"] for r in blind}
    same = {"identity": None, "region": None, "channel": None, "amount": None, "who": None, "people": None}
    _write(
        work / "relabel/T1.jsonl",
        [
            {**same, "id": ids[cases[0].text], "identity": "flexible", "region": "长沙", "channel": "wechat", "intent": "how_to_pay"},
            {**same, "id": ids[cases[1].text], "identity": "resident", "intent": "how_to_pay", "who": "child"},
            {**same, "id": ids[cases[2].text], "channel": "tax", "intent": "how_to_pay", "note": "an app"},
        ],
    )  # fmt: skip
    assert audit.check(catalog, work, "T1") == []
    rows = audit.pairs(data, catalog, work)
    agreed = audit.agreement(rows)
    assert agreed["intent"] == (2, 3) and agreed["channel"] == (2, 3) and agreed["every field"] == (1, 3)
    assert audit.disputes(catalog, rows, work, 1) == 2
    disputes = [
        json.loads(line) for line in (work / "adj/ADJ1.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    sides = json.loads((work / "key/disputes.json").read_text())
    picks = []
    for d in disputes:  # the adjudicator sides with the relabel on the channel, keeps the materials question
        relabel = next(k for k in "AB" if sides[d["aid"]][k] == "relabel")
        picks.append(
            {"aid": d["aid"], "pick": relabel if d["field"] == "channel" else "AB".replace(relabel, "")}
        )
    _write(work / "adj/ADJ1.out.jsonl", picks)
    tally = audit.apply(data, work)
    assert tally[("channel", "moved")] == 1 and tally[("intent", "kept")] == 1
    after = load_dir(data, catalog)
    assert [c.text for c in after] == [c.text for c in cases]
    assert [held_out(c) for c in after] == [held_out(c) for c in cases]
    assert after[2].expected["channel"] == "tax" and after[1].expected["intent"] == "materials"
    assert (data / "x.yaml").read_text(encoding="utf-8").splitlines()[3].endswith("# a comment kept")


def test_check_names_problems_by_line(audit, catalog: Catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _write(tmp_path / "blind/T1.jsonl", [{"id": "T1-001", "text": "x"}, {"id": "T1-002", "text": "y"}])
    _write(tmp_path / "relabel/T1.jsonl", [{"id": "T1-001", "intent": "pay", "region": "不存在的地方"}])
    problems = audit.check(catalog, tmp_path, "T1")
    assert any(p.startswith("line 1: intent 'pay'") for p in problems)
    assert any(p.startswith("line 1: region") for p in problems)
    assert problems[-1] == "1 ids missing, first T1-002"


def test_rewrite_keeps_a_line_it_cannot_read(audit) -> None:  # type: ignore[no-untyped-def]
    assert audit.rewrite("  text: 不是一行的映射", {"intent": None}) is None
    line = '- {text: "医保 交了", intent: how_to_pay, who: self}'
    assert audit.rewrite(line, {"who": None}) == '- {text: "医保 交了", intent: how_to_pay}'
    assert (
        audit.rewrite(line, {"amount": 2000.0})
        == '- {text: "医保 交了", intent: how_to_pay, amount: 2000, who: self}'
    )
