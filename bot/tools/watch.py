"""Optional: reload the flows when files under ``FLOWS_DIR`` change (``watchfiles``, debounced).

The bot starts :func:`watch_flows` as a background task when configured to; every batch of changes calls
the same :meth:`Reloader.reload` as ``/reload``, and ``on_result`` tells the admins what happened.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import Problem
from bot.tools.reload import Changes, Reloader

if TYPE_CHECKING:
    from watchfiles import Change

log = logging.getLogger(__name__)

OnResult = Callable[[bool, list[Problem], Changes], Awaitable[None] | None]


def _is_flow_file(change: Change, path: str) -> bool:
    """Only YAML files count; editors' swap and backup files do not."""
    return Path(path).suffix in (".yaml", ".yml")


async def watch_flows(
    reloader: Reloader,
    on_result: OnResult | None = None,
    *,
    stop: asyncio.Event | None = None,
    debounce_ms: int = 500,
) -> None:
    """Reload after each batch of changes to YAML files under the reloader's root, until ``stop`` is set."""
    from watchfiles import awatch  # loaded only when FLOWS_WATCH is on (0.6 MB of memory otherwise)

    async for batch in awatch(
        reloader.root, watch_filter=_is_flow_file, debounce=debounce_ms, stop_event=stop
    ):
        log.info("flow files changed: %s", ", ".join(sorted(Path(p).name for _c, p in batch)))
        # Loading and linting take a few hundred milliseconds: keep the event loop free meanwhile.
        swapped, problems, diff = await asyncio.to_thread(reloader.reload)
        if on_result is not None:
            result = on_result(swapped, problems, diff)
            if asyncio.iscoroutine(result):
                await result
