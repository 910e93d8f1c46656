"""Benchmark of the web pages: what each page weighs, how long the server takes to build one, and
pages per second over HTTP on 127.0.0.1.

Usage: python -m bench.web_bench [--renders 300] [--requests 2000] [--json out.json]
Prints figures; asserts nothing. Sizes are of the HTML as sent, raw and gzipped (the server compresses
for clients that accept it), plus the stylesheet and script every page loads once (cached a year).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import statistics
import time
from pathlib import Path

import aiohttp

from bot.adapters.web.server import Assets, build_routes, serve_web
from bot.adapters.web.site import WebSite
from bot.catalog.loader import load_catalog
from bot.config import Settings
from bot.deeplink import make_payload
from bot.render import Renderer
from bot.runtime import WizardHolder
from bot.wizard import Wizard

FLOWS = Path(__file__).resolve().parent.parent / "flows"
# (what, path) of the pages measured.
PAGES = (
    ("chooser: identity", "/"),
    ("chooser: province", "/?i=flex"),
    ("chooser: search", "/?i=flex&q=长沙"),
    ("chooser: channel", "/?i=res&p=430000&c=430100"),
    ("guide (flexible, 上海, 微信)", "/g/flex-310000-wechat"),
    ("guide (resident, 长沙, 微信)", "/g/res-430100-wechat"),
    ("calculator (上海, base 8000)", "/g/flex-310000-wechat?calc=8000"),
    ("answer (法律依据)", "/g/res-430100-wechat?faq=law"),
    ("Mini App guide", "/app/g/flex-310000-wechat?calc="),
    ("not found", "/g/nope"),
)


def _page(site: WebSite, path: str) -> tuple[int, str]:
    """Build ``path`` in-process, following redirects, as the server would answer it."""
    from urllib.parse import parse_qsl, urlsplit

    parts = urlsplit(path)
    query = dict(parse_qsl(parts.query))
    app = parts.path.startswith("/app")
    if "/g/" in parts.path:
        page = site.guide(parts.path.rsplit("/", 1)[1], query, app)
    else:
        page = site.choose(query, app)
    if page.location:
        return _page(site, page.location)
    return page.status, page.body


def sizes(site: WebSite, assets: Assets) -> list[dict[str, object]]:
    """Raw and gzipped bytes of each page and asset."""
    rows: list[dict[str, object]] = []
    for what, path in PAGES:
        _status, body = _page(site, path)
        raw = body.encode()
        rows.append({"what": what, "path": path, "bytes": len(raw), "gzip": len(gzip.compress(raw, 6))})
    for name, (data, _type) in assets.files.items():
        rows.append(
            {
                "what": f"asset {name}",
                "path": assets.urls[name],
                "bytes": len(data),
                "gzip": len(gzip.compress(data, 6)),
            }
        )
    return rows


def render_times(site: WebSite, catalog_payloads: list[str], renders: int) -> dict[str, float]:
    """Server-side time to build one guide page (ms), over every guide in turn: wall clock, and CPU time
    of the thread (on a shared machine the wall-clock tail mostly measures the scheduler)."""
    times, cpu = [], []
    for i in range(renders):
        payload = catalog_payloads[i % len(catalog_payloads)]
        t, c = time.perf_counter(), time.thread_time()
        site.guide(payload, {})
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
    times.sort()
    cpu.sort()
    return {
        "median_ms": statistics.median(times),
        "p99_ms": times[int(len(times) * 0.99) - 1],
        "cpu_median_ms": statistics.median(cpu),
        "cpu_p99_ms": cpu[int(len(cpu) * 0.99) - 1],
        "pages": len(times),
    }


async def throughput(wizard: Wizard, renderer: Renderer, requests: int) -> dict[str, float]:
    """Guide pages per second over HTTP on 127.0.0.1 (8 connections, gzip), one server process."""
    routes = build_routes(WizardHolder(wizard), renderer, None, Settings())
    stop = asyncio.Event()
    ready: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(serve_web(routes, "127.0.0.1", 0, stop, ready.set_result))
    port = await ready
    url = f"http://127.0.0.1:{port}/g/flex-310000-wechat"
    done = 0
    started, cpu = time.perf_counter(), time.process_time()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=8)) as http:

        async def worker(n: int) -> None:
            nonlocal done
            for _ in range(n):
                async with http.get(url, headers={"Accept-Encoding": "gzip"}) as r:
                    await r.read()
                    done += r.status == 200

        await asyncio.gather(*(worker(requests // 8) for _ in range(8)))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    stop.set()
    await task
    return {
        "requests": done,
        "seconds": elapsed,
        "pages_per_second": done / elapsed,
        "cpu_ms_per_page": cpu * 1000 / max(done, 1),
    }


def main() -> int:
    """Print the figures (and write them as JSON with --json)."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--renders", type=int, default=300)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    catalog = load_catalog(FLOWS)
    renderer = Renderer()
    wizard = Wizard(catalog, renderer.labels)
    assets = Assets()
    site = WebSite(WizardHolder(wizard), renderer, assets.urls)
    payloads = [
        make_payload(
            {
                "identity": i,
                "province": r.parent or r.code,
                **({"city": r.code} if r.parent else {}),
                "channel": c,
            }
        )
        for r in catalog.regions.values()
        for i in ("flexible", "resident")
        for c in catalog.channels(i, r.code)
    ]
    for p in payloads[:20]:  # warm the template caches
        site.guide(p, {})
    rows = sizes(site, assets)
    print("web pages (HTML as sent; the stylesheet and script load once and are cached):")
    print(f"  {'page':<32} {'bytes':>8} {'gzip':>7}")
    for r in rows:
        print(f"  {r['what']:<32} {r['bytes']:>8,} {r['gzip']:>7,}")
    guide = next(r for r in rows if str(r["what"]).startswith("guide"))
    first_visit = int(guide["gzip"]) + sum(int(r["gzip"]) for r in rows if str(r["what"]).startswith("asset"))  # type: ignore[call-overload]
    print(f"  first visit to a guide, everything included: {first_visit:,} bytes gzipped")
    rt = render_times(site, payloads, args.renders)
    print(
        f"server-side build of one guide page ({rt['pages']:.0f} pages over all {len(payloads)} guides): "
        f"wall median {rt['median_ms']:.2f} ms, p99 {rt['p99_ms']:.2f} ms; "
        f"CPU median {rt['cpu_median_ms']:.2f} ms, p99 {rt['cpu_p99_ms']:.2f} ms"
    )
    tp = asyncio.run(throughput(wizard, renderer, args.requests))
    print(
        f"over HTTP on 127.0.0.1 (server and client in one process, 8 connections, gzip): "
        f"{tp['pages_per_second']:.0f} guide pages/s ({tp['requests']:.0f} in {tp['seconds']:.1f} s); "
        f"CPU {tp['cpu_ms_per_page']:.2f} ms per page, client included"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {"sizes": rows, "render": rt, "http": tp, "first_visit_gzip": first_visit},
                ensure_ascii=False,
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
