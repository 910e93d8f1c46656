"""Checks on a web page: every resource it loads comes from its own site, and the basics of the layout
(``lang="zh-CN"``, a mobile viewport, one ``<h1>``)."""

from __future__ import annotations

from html.parser import HTMLParser

# Elements and attributes through which a page loads something (links <a href> only navigate).
_RESOURCE_ATTRS = {
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.resources: list[str] = []
        self.styles: list[str] = []
        self.lang: str | None = None
        self.viewport = False
        self.h1 = 0
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "meta" and a.get("name") == "viewport":
            self.viewport = "width=device-width" in (a.get("content") or "")
        if tag == "h1":
            self.h1 += 1
        for attr in _RESOURCE_ATTRS.get(tag, ()):
            if a.get(attr):
                self.resources.append(str(a[attr]))
        if a.get("style"):
            self.styles.append(str(a["style"]))
        self._in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def off_site(url: str) -> bool:
    """True when ``url`` would load from another site (absolute, protocol-relative or a data scheme
    other than an inline image)."""
    u = url.strip().lower()
    return not u.startswith("/") or u.startswith("//")


def page_problems(html: str, full_page: bool = True) -> list[str]:
    """What is wrong with ``html``: resources from elsewhere, and (for a whole page) the basics."""
    p = _Page()
    p.feed(html)
    problems = [f"loads {u!r} from another site" for u in p.resources if off_site(u)]
    problems += [f"style loads {s!r}" for s in p.styles if "url(" in s or "@import" in s]
    if full_page:
        if p.lang != "zh-CN":
            problems.append(f'<html lang="{p.lang}">, not zh-CN')
        if not p.viewport:
            problems.append("no mobile viewport")
        if p.h1 != 1:
            problems.append(f"{p.h1} <h1> elements")
    return problems
