"""Strings in flow files (steps, materials, tips): their variables, rendering and what they may contain.

A flow string is plain text with a few variables (:func:`flow_context` gives their values for a region),
rendered without escaping; the page template that shows it escapes it.

Flow strings are Jinja templates rendered in a sandbox, but the linter allows far less than the sandbox:
text, the variables in :data:`FLOW_VARIABLES`, constants and ``{% if %}``. No calls, filters, loops,
attribute access or includes, so no YAML value can make the bot call Python.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bot.catalog.catalog import Catalog
from bot.catalog.models import Flow
from bot.catalog.yamlsrc import Path_, YamlSource, dotted
from bot.errors import Problem

# Variables a flow string may use; the loader renders every string with these to catch typos early.
FLOW_VARIABLES = (
    "region", "province", "city", "place", "hotline", "home", "tax_app", "tax_wechat", "tax_alipay", "tax_web",
)  # fmt: skip
MEDICAL_HOTLINE = "12393"
TAX_KINDS = ("app", "wechat", "alipay", "web")

_TEXT_ENV = ImmutableSandboxedEnvironment(
    undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False
)


@lru_cache(maxsize=16384)
def _compile_flow_string(source: str) -> Template:
    return _TEXT_ENV.from_string(source)


def parse_flow_string(source: str) -> nodes.Template:
    """The Jinja syntax tree of a flow string (the linter checks it uses no calls, filters or loops)."""
    return _TEXT_ENV.parse(source)


def flow_text(source: str, context: dict[str, Any]) -> str:
    """Render one string from a flow file (compiled once, cached)."""
    if "{" not in source:
        return source
    try:
        return _compile_flow_string(source).render(context)
    except Exception as exc:
        exc.add_note(f"in flow string {source!r}")
        raise


def tax_names(flow: Flow | None) -> dict[str, str]:
    """The flow variables naming the province's tax channels (empty where none is known)."""
    tax = flow.tax_channels if flow is not None else None
    out = {}
    for k in TAX_KINDS:
        named = getattr(tax, k) if tax is not None else None
        out[f"tax_{k}"] = named.name if named is not None else ""
    return out


def flow_context(catalog: Catalog, code: str) -> dict[str, str]:
    """Variables available to strings in flow files (see :data:`FLOW_VARIABLES`).

    ``city`` is the city chosen, or the municipality itself (北京市 is a city); empty on a province page,
    where strings say "所在城市" rather than naming the province as a city. ``hotline`` is the
    medical-insurance line: the region's own line (``topic: medical``) if it lists one, else 12393 (never 12366).
    ``home`` is the home word for the province's kind of division (本省, 本市 or 本区, from
    ``flows/divisions.yaml``); ``tax_*`` name the province's tax channels ("" where unknown).
    """
    region = catalog.regions[code]
    province = catalog.regions[region.parent] if region.parent else region
    flow = catalog.flows[code]
    medical = [h.number for h in flow.hotlines if h.topic == "medical" and h.number != MEDICAL_HOTLINE]
    city = region.name if region.parent or region.kind == "municipality" else ""
    return {
        "region": region.name,
        "province": province.name,
        "city": city,
        "place": region.name,
        "hotline": medical[0] if medical else MEDICAL_HOTLINE,
        "home": catalog.home_word(code),
        **tax_names(flow),
    }


# Syntax a flow string may use: text, variables, constants and simple conditions. No calls, attribute
# or item access, filters, loops, assignments or includes: YAML names things, Python does things.
_FLOW_NODES: tuple[type[nodes.Node], ...] = (
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.Const,
    nodes.If,
    nodes.CondExpr,
    nodes.Not,
    nodes.And,
    nodes.Or,
    nodes.Compare,
    nodes.Operand,
    nodes.Concat,
)


@lru_cache(maxsize=4096)  # merged flows repeat the national strings: parse each distinct one once
def flow_string_problem(text: str) -> str | None:
    """Why a flow string is refused (None when it only inserts variables, optionally inside ``{% if %}``)."""
    try:
        tree = parse_flow_string(text)
    except TemplateSyntaxError as exc:
        return f"template syntax error: {exc.message}"
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, _FLOW_NODES):
            kind = type(node).__name__.lower()
            return (
                f"flow strings may only insert variables such as {{{{ place }}}} (found a {kind}); "
                "calls, filters and loops are not allowed"
            )
        if isinstance(node, nodes.Name) and node.name not in FLOW_VARIABLES:
            return f"'{node.name}' is undefined; flow strings may use only " + ", ".join(
                f"{{{{ {v} }}}}" for v in FLOW_VARIABLES
            )
    return None


def raw_string_problems(src: YamlSource, strings: list[tuple[Path_, str]]) -> list[Problem]:
    """Flow strings use only known variables and no code: checked in each file (even one that failed
    validation). ``strings`` are the file's strings (:func:`~bot.catalog.yamlsrc.strings_in`)."""
    out: list[Problem] = []
    if not isinstance(src.data, dict):
        return out
    for path, text in strings:
        if "{" not in text or path[0] in ("channel_labels", "legal_basis"):
            continue
        refused = flow_string_problem(text)
        if refused:
            out.append(Problem(src.file, src.line_of(path), dotted(path), refused))
    return out
