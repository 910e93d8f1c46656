"""`flows lint`: every rule has a bad fixture; problems print as ``file:line: field: message`` in one pass.

Each fixture in ``tests/flows_invalid/`` says what the linter must report: ``# expect: <regex>`` for an
error, ``# expect-warning: <regex>`` for a warning (a fixture with only warnings must pass the lint).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.catalog.models import IDENTITIES
from bot.render import MESSAGES_DIR
from bot.tools import lint as lint_mod
from bot.tools.lint import lint, only_files, split_messages, telegram_length
from bot.tools.walk import PathError, drive, walk
from tests.helpers.trees import FLOWS, flows_tree

FIXTURES = sorted((Path(__file__).parent / "flows_invalid").glob("*.yaml"))
PROJECT = Path(__file__).resolve().parents[1]
HANG = 900  # seconds: a CLI run that takes longer is stuck
LINE = re.compile(r"^\S+?:(\d+:)? \S+: (warning: )?\S.*$")


def _expected(text: str, marker: str) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith(marker)]


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "flows", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
        # Only a guard against a hang, not a time limit: linting the whole tree walks every page (about
        # 15 s of CPU), which on a machine shared by several test runs took over a minute of wall time.
        timeout=HANG,
    )


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture_reported_by_lint(fixture: Path, tmp_path: Path) -> None:
    text = fixture.read_text(encoding="utf-8")
    errors, warnings = _expected(text, "# expect:"), _expected(text, "# expect-warning:")
    assert errors or warnings, "fixture must say what it expects"
    root = flows_tree(tmp_path, {f"regions/{fixture.name}": text})
    report = lint(root, [root / "regions" / fixture.name])
    error_text = "\n".join(str(p) for p in report.errors)
    warning_text = "\n".join(str(p) for p in report.warnings)
    for pattern in errors:
        assert re.search(pattern, error_text), f"{pattern!r} not among errors:\n{error_text}"
    for pattern in warnings:
        assert re.search(pattern, warning_text), f"{pattern!r} not among warnings:\n{warning_text}"
    if not errors:
        assert report.errors == [], "a warnings-only fixture must pass"


RENEW = "older than the coverage year"  # the one warning shipped flows may carry: figures to renew


def test_shipped_flows_are_clean() -> None:
    report = lint(FLOWS)
    assert report.errors == []
    assert [p for p in report.warnings if RENEW not in p.message] == []
    assert report.pages > 300  # every page of every path was rendered


def test_walk_reaches_exactly_the_defined_channels(catalog, wizard) -> None:
    hunan = {"430000", *(c.code for c in catalog.cities_of.get("430000", ()))}
    pages = list(walk(wizard, regions={"430000"}))
    reached = {
        (p.slots["identity"], p.slots.get("city") or p.slots["province"], p.slots["channel"])
        for p in pages
        if p.view.state == "instructions" and p.via is None
    }
    defined = {(i, c, ch) for c in hunan for i in IDENTITIES for ch in catalog.channels(i, c)}
    assert reached == defined
    assert {p.via[0] for p in pages if p.via} == {"calc", "faq", "more"}  # follow-ups are walked too


def test_drive_refuses_a_choice_not_offered(wizard) -> None:
    with pytest.raises(PathError) as info:
        drive(wizard, {"identity": "resident", "province": "999999"})
    assert info.value.step == "province" and "430000" in info.value.options


def test_cli_clean_tree_exits_0() -> None:
    result = _cli("lint")
    assert result.returncode == 0, result.stdout + result.stderr
    assert all(RENEW in line for line in result.stdout.splitlines())
    assert "0 error(s)" in result.stderr


def test_cli_broken_file_alone_is_checked_against_flows_dir() -> None:
    fixture = "tests/flows_invalid/unknown_variable.yaml"
    result = _cli("lint", fixture)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines and all(LINE.match(line) for line in lines), lines
    assert all(line.startswith(fixture + ":") for line in lines)  # only that file's problems
    assert any(":9: identities.resident.channels.wechat.steps[0]: 'provnce' is undefined" in x for x in lines)


def test_cli_warnings_do_not_fail() -> None:
    result = _cli("lint", "tests/flows_invalid/stale_verified.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning: retrieved 2020-01-01, over a year ago" in result.stdout


def test_cli_many_files_one_pass() -> None:
    result = _cli("lint", "tests/flows_invalid/")
    assert result.returncode == 1
    files = {line.split(":", 1)[0] for line in result.stdout.splitlines()}
    assert len(files) >= 10
    assert all(LINE.match(line) for line in result.stdout.splitlines())


def test_cli_file_inside_tree_and_missing_path() -> None:
    assert _cli("lint", "flows/regions/430100-changsha.yaml").returncode == 0
    result = _cli("lint", "no/such/file.yaml")
    assert result.returncode == 1
    assert "no/such/file.yaml: (file): no such file or directory" in result.stdout


def test_cli_uses_flows_dir(tmp_path: Path) -> None:
    root = flows_tree(tmp_path, {"regions/530000-yunnan.yaml": "code: '530000'\nnam: 云南\n"})
    result = _cli("lint", env={"FLOWS_DIR": str(root)})
    assert result.returncode == 1
    assert "flows/regions/530000-yunnan.yaml:2: nam: unknown field" in result.stdout


def test_schema_and_cross_file_problems_in_one_pass(tmp_path: Path) -> None:
    root = flows_tree(
        tmp_path,
        {
            "regions/530000-yunnan.yaml": "code: '530000'\nnam: 云南\n",
            "regions/430200-zhuzhou.yaml": "code: '430200'\nname: 株洲市\nparent: '430000'\naliases: [长沙]\n",
        },
    )
    text = "\n".join(str(p) for p in lint(root).problems)
    assert "530000-yunnan.yaml:2: nam: unknown field" in text
    assert "430200-zhuzhou.yaml:4: aliases: alias '长沙' also names 长沙市" in text


def test_file_name_must_start_with_code(tmp_path: Path) -> None:
    root = flows_tree(tmp_path, {"regions/zhuzhou.yaml": "code: '430200'\nname: 株洲市\nparent: '430000'\n"})
    warnings = [str(p) for p in lint(root, [root / "regions" / "zhuzhou.yaml"]).warnings]
    assert any(
        "zhuzhou.yaml:1: code: warning: file name should start with the region code" in w for w in warnings
    )


def test_unknown_vocabulary_name(tmp_path: Path) -> None:
    text = (
        (FLOWS / "vocabulary.yaml")
        .read_text(encoding="utf-8")
        .replace("channels:\n", "channels:\n  wechatt: [微微]\n")
    )
    root = flows_tree(tmp_path, {"vocabulary.yaml": text})
    errors = [str(p) for p in lint(root).errors]
    assert any(
        re.search(r"vocabulary\.yaml:\d+: channels\.wechatt: unknown name 'wechatt'", e) for e in errors
    )


def test_channel_without_button_label(tmp_path: Path) -> None:
    text = (FLOWS / "national.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^  hall: \{label:.*\n", "", text, flags=re.M)
    root = flows_tree(tmp_path, {"national.yaml": text})
    errors = [str(p) for p in lint(root).errors]
    assert any(
        re.search(r"national\.yaml:\d+: channel_labels\.hall: channel is offered but has no label", e)
        for e in errors
    )


def test_broken_page_template_is_reported_with_its_line(tmp_path: Path) -> None:
    import shutil

    messages = tmp_path / "messages"
    shutil.copytree(MESSAGES_DIR, messages)
    page = messages / "channel.html.j2"
    page.write_text(page.read_text(encoding="utf-8") + "{{ chanels }}\n", encoding="utf-8")
    report = lint(FLOWS, [FLOWS / "regions" / "430000-hunan.yaml"], messages_dir=messages)
    errors = [str(p) for p in report.errors]
    assert len(errors) == 1  # reported once, not once per page
    assert errors and all(
        re.match(
            r"messages/channel\.html\.j2:\d+: template: channel page for .* does not render: 'chanels' is undefined",
            e,
        )
        for e in errors
    )


def test_buttons_need_a_callback_encoding(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import callback

    monkeypatch.delitem(callback.ACTION_CODES, "channel")  # as if a new button had no callback code
    errors = [str(p) for p in lint(FLOWS, [FLOWS / "regions" / "430100-changsha.yaml"]).errors]
    assert errors and all("no callback code for action 'channel'" in e for e in errors)


def test_deeplink_payloads_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lint_mod, "deeplink_payload", lambda slots: "/".join(slots.values()))
    errors = [str(p) for p in lint(FLOWS, [FLOWS / "regions" / "430100-changsha.yaml"]).errors]
    assert any("deep-link payload 'resident/430000/430100/bank' must be 1-64 characters" in e for e in errors)


def test_real_encodings_fit() -> None:
    assert len(lint_mod.callback_data(lint_mod.MAX_VERSION, "restart", "").encode()) <= 64
    payload = lint_mod.deeplink_payload(
        {"identity": "flexible", "province": "430000", "city": "430100", "channel": "alipay"}
    )
    assert payload == "flex-430100-alipay"


def test_lint_splits_like_the_telegram_adapter() -> None:
    from bot.adapters.telegram.split import split_message

    markup = "\n\n".join(["<b>标题</b>", "甲" * 3000, "乙" * 3000, "丙" * 100])
    assert split_messages(markup) == split_message(markup) and len(split_messages(markup)) == 2
    assert telegram_length("<b>a&amp;b</b>😀") == 16  # the HTML as sent, in UTF-16 units (emoji: 2)


def test_file_in_a_tree_subfolder_is_checked_not_ignored(tmp_path: Path) -> None:
    broken = PROJECT / "docs" / "examples" / "broken" / "430200-zhuzhou.yaml"
    root = flows_tree(tmp_path, {"drafts/430200-zhuzhou.yaml": broken.read_text("utf-8")})
    report = lint(root, [root / "drafts" / "430200-zhuzhou.yaml"])
    mine, others = only_files(report)
    assert others == 0 and len(mine) >= 5
    assert all(p.file.endswith("drafts/430200-zhuzhou.yaml") for p in mine)


@pytest.mark.parametrize(
    "text",
    [
        "code: '530000'\naliases: 5\n",
        "code: '530000'\naliases: 长沙\n",
        "code: '530000'\nidentities: [1, 2]\n",
        "code: '530000'\nidentities:\n  resident:\n    figures:\n      amount: 400\n",
        "code: [1, 2]\n",
        "code: '530000'\nparent: {a: 1}\n",
        "code: '530000'\nidentities:\n  resident:\n    channels:\n      wechat:\n        steps: ['{{ place']\n",
    ],
)
def test_malformed_shapes_are_reported_never_raised(tmp_path: Path, text: str) -> None:
    report = lint(flows_tree(tmp_path, {"regions/530000-yunnan.yaml": text}))
    assert report.errors and all(p.file == "flows/regions/530000-yunnan.yaml" for p in report.errors)
