"""What the bot loads at start: never the libraries it only needs at build time or in another mode.

pypinyin (55 MB of phrase tables) and OpenCC (3.4 MB) are read once by ``make text-tables``; aiohttp
(7 MB) serves webhooks only; watchfiles only FLOWS_WATCH; trio (2.7 MB, installed by selenium for the
browser tests) is never used, though httpcore would import it if ``python -m bot`` let it
(``cli.leave_out_trio``); cn2an (with proces, 2.5 MB), rapidfuzz (3.1 MB) and python-stdnum (with the
pydoc and pkgutil it imports, 1.35 MB) check ``understand/numerals.py``, ``understand/nearest.py`` and
``privacy.py`` in the tests; scikit-learn (with numpy and scipy) fits the intent fallback's weights in
``scripts/train_intents.py``, which the bot reads with plain Python.
The memory figures are ``make bench``'s.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOT_AT_START = (
    "pypinyin", "opencc", "aiohttp", "watchfiles", "trio", "cn2an", "proces", "rapidfuzz", "stdnum", "pydoc",
    "sklearn", "numpy", "scipy",
)  # fmt: skip


@pytest.mark.slow
def test_polling_bot_start_loads_no_build_time_or_webhook_library(tmp_path: Path) -> None:
    """Build the wizard, the typed-text index and the Telegram Application as ``python -m bot`` does,
    and understand a typed message (same-sound slip and traditional characters)."""
    code = (
        "import os, sys\n"
        f"os.environ.update(TELEGRAM_BOT_TOKEN='123456:test', BOT_DATA_DIR={str(tmp_path)!r})\n"
        "from bot.cli import build_wizard, leave_out_trio\n"
        "leave_out_trio()\n"
        "from bot.adapters.telegram.app import build_app\n"
        "from bot.config import load_settings\n"
        "from bot.runtime import WizardHolder\n"
        "from bot.store.factory import make_store\n"
        "from bot.understand import understand\n"
        "settings = load_settings()\n"
        "catalog, renderer, wizard = build_wizard(settings)\n"
        "build_app(settings, WizardHolder(wizard), renderer, make_store(settings))\n"
        "assert understand('我在長紗', catalog).region == '430100'\n"
        f"print(' '.join(m for m in {NOT_AT_START!r} if sys.modules.get(m)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == []
