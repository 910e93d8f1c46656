# ruff: noqa: F811 - pytest fixtures imported from test_admin_e2e are parameters here
"""Issue 15, item 6 (operators' files): an alias bomb and a link out of FLOWS_DIR are refused by
/reload with ``file:line: message``, quickly, and the bot keeps serving the last good catalog."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.testing.bot_client import ChatClient
from tests.e2e.test_admin_e2e import admin_chat, bot, tree  # noqa: F401 - fixtures

pytestmark = pytest.mark.unmeasured
USER = 100001

# About 550 bytes that expand to 9^9 (387 million) strings once the aliases are followed.
_LEVELS = [("a", '"x"')] + [(k, "*" + p) for p, k in zip("abcdefgh", "bcdefghi", strict=True)]
BOMB = "code: '430200'\nname: 株洲市\nparent: '430000'\nnotes:\n" + "".join(
    f"  {k}: &{k} [{', '.join([item] * 9)}]\n" for k, item in _LEVELS
)


async def test_a_yaml_alias_bomb_is_refused_at_once_by_reload(api, bot, tree: Path) -> None:
    (tree / "regions" / "430200-zhuzhou.yaml").write_text(BOMB, encoding="utf-8")
    admin, user = admin_chat(api, bot), ChatClient(api, bot.tracker, USER)
    first = bot.holder.current
    started = time.monotonic()
    await admin.send("/reload")
    took = time.monotonic() - started
    print(f"/reload with an alias bomb answered in {took:.2f}s")
    reply = "\n".join(m.plain for m in admin.messages)
    assert "没有重新加载" in reply and "flows/regions/430200-zhuzhou.yaml:1:" in reply and "aliases" in reply
    assert bot.holder.current is first
    assert (await user.send("/start")).buttons


async def test_a_flow_file_linking_outside_flows_dir_is_not_read(
    api,
    bot,
    tree: Path,
    tmp_path: Path,
) -> None:
    secret = tmp_path / "elsewhere" / "secret.yaml"
    secret.parent.mkdir()
    secret.write_text("code: '430300'\nname: 湘潭市\nparent: '430000'\n", encoding="utf-8")
    (tree / "regions" / "430300-xiangtan.yaml").symlink_to(secret)
    admin = admin_chat(api, bot)
    await admin.send("/reload")
    reply = "\n".join(m.plain for m in admin.messages)
    assert "flows/regions/430300-xiangtan.yaml" in reply and "outside the flows directory" in reply
    assert "430300" not in bot.holder.current.catalog.regions  # the last good catalog stays


def test_flows_lint_refuses_a_bomb_quickly_and_in_little_memory(tmp_path: Path) -> None:
    from tests.helpers.trees import small_flows_tree

    root = small_flows_tree(tmp_path)
    (root / "regions" / "430200-zhuzhou.yaml").write_text(BOMB, encoding="utf-8")
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c",
         "import resource, sys\nfrom bot.cli import main\ncode = main(['flows', 'lint', sys.argv[1]])\n"
         "print('maxrss_kib', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\nsys.exit(code)",
         str(root)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "FLOWS_DIR": str(root)},
    )  # fmt: skip
    took = time.monotonic() - started
    rss_mib = int(proc.stdout.split("maxrss_kib")[-1].split()[0]) / 1024 if "maxrss_kib" in proc.stdout else 0
    print(f"flows lint with an alias bomb: {took:.1f}s, peak {rss_mib:.0f} MiB")
    assert proc.returncode != 0 and "430200-zhuzhou.yaml:1:" in proc.stdout + proc.stderr
    assert rss_mib < 500  # before: 2.3 GB
