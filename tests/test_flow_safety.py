"""No flow file can make the bot import or call Python: names come from registries, strings only format."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot.catalog.loader import load_catalog
from bot.errors import FlowError
from bot.tools.lint import lint
from bot.wizard.machine import CONDITIONS, MACHINE, MACHINE_TRANSITIONS, build_machine
from tests.helpers.trees import flows_tree

CANARY = "tests.helpers.never_imported_canary"


def test_unknown_condition_names_are_refused_before_transitions_sees_them() -> None:
    bad = [{"trigger": "pick", "source": "identity", "dest": "province", "conditions": [f"{CANARY}.run"]}]
    with pytest.raises(ValueError, match="unknown condition"):
        build_machine(bad)  # type: ignore[arg-type]
    assert CANARY not in sys.modules  # transitions never got the dotted string to import


def test_machine_uses_only_registered_callables_and_no_auto_transitions() -> None:
    assert MACHINE.auto_transitions is False
    assert not [e for e in MACHINE.events if e.startswith("to_")]
    registered = set(CONDITIONS.values())
    for event in MACHINE.events.values():
        for transitions in event.transitions.values():
            for t in transitions:
                assert all(c.func in registered for c in t.conditions)
                assert not (t.before or t.after or t.prepare)
    declared = {(t["trigger"], t["source"], t["dest"]) for t in MACHINE_TRANSITIONS}
    assert len(declared) == len(MACHINE_TRANSITIONS)


@pytest.mark.parametrize(
    "snippet",
    [
        "conditions: [os.system]\n",
        "on_enter: os.system\n",
        "identities:\n  resident:\n    before: subprocess.run\n",
        "identities:\n  resident:\n    channels:\n      wechat:\n        callback: builtins.eval\n",
        "transitions: [{trigger: pick, source: identity, dest: province, after: os.system}]\n",
    ],
)
def test_flow_files_cannot_declare_callbacks(tmp_path: Path, snippet: str) -> None:
    root = flows_tree(tmp_path, {"regions/530000-yunnan.yaml": "code: '530000'\n" + snippet})
    with pytest.raises(FlowError, match="unknown field"):
        load_catalog(root)


@pytest.mark.parametrize(
    "step",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ lipsum.__globals__['os'] }}",
        "{{ region|attr('__class__') }}",
        "{% include '/etc/passwd' %}",
        "{% set x = 1 %}{{ x }}",
        "{{ range(10**9)|list }}",
    ],
)
def test_flow_strings_cannot_run_code(tmp_path: Path, step: str) -> None:
    text = (
        "code: '530000'\nidentities:\n  resident:\n    channels:\n      wechat:\n        title: 微信\n"
        f"        steps: [{step!r}]\n        source: x\n        source_kind: news\n        retrieved: 2026-01-01\n"
    )
    root = flows_tree(tmp_path, {"regions/530000-yunnan.yaml": text})
    report = lint(root)
    assert report.catalog is None
    assert any("flow strings may only insert variables" in p.message for p in report.errors), report.errors


def test_plain_variables_and_conditions_are_allowed(tmp_path: Path) -> None:
    text = (
        "code: '530000'\nidentities:\n  resident:\n    channels:\n      wechat:\n        title: 微信\n"
        "        steps: ['在{{ place }}{% if city %}({{ province }}){% endif %}打开微信', '拨打 {{ hotline }}']\n"
        "        source: x\n        source_kind: news\n        retrieved: 2026-01-01\n"
    )
    root = flows_tree(tmp_path, {"regions/530000-yunnan.yaml": text})
    assert lint(root, [root / "regions" / "530000-yunnan.yaml"]).errors == []
