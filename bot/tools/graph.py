"""``flows graph``: draw the wizard with the ``transitions`` diagrams extension.

With a region, every path a user can take there is drawn, found by walking the real wizard:
identity -> region (-> city) -> each channel actually offered -> its instructions (title, step count,
source kind, retrieved date). Without a region, the shared step machine itself is drawn with its
conditions. Pictures (PNG, SVG, PDF) need Graphviz's ``dot``; ``--format mermaid`` and ``dot`` need
nothing but Python.

Only labels taken from the flows are put into the machine: no callbacks, no conditions that name code.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transitions import State
from transitions.extensions.diagrams import GraphMachine

from bot.catalog.catalog import Catalog
from bot.catalog.models import as_identity
from bot.render import Renderer
from bot.tools.walk import walk
from bot.wizard import Wizard
from bot.wizard.machine import MACHINE_TRANSITIONS

PICTURE_FORMATS = ("svg", "png", "pdf")
TEXT_FORMATS = ("mermaid", "dot")


class _LabelledState(State):
    """A state that carries a display label (the diagrams extension draws ``label`` when present)."""

    def __init__(self, name: str, label: str = "", **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.label = label or name


def _styles(font: str | None) -> dict[str, Any]:
    styles: dict[str, Any] = copy.deepcopy(GraphMachine.style_attributes)
    styles["node"]["official"] = {"fillcolor": "honeydew", "color": "darkgreen"}
    styles["node"]["reference"] = {"fillcolor": "lightyellow", "color": "darkgoldenrod"}
    styles["node"]["step"] = {"fillcolor": "aliceblue"}
    if font:
        styles["node"]["default"]["fontname"] = font
        styles["edge"]["default"]["fontname"] = font
    return styles


class _FlowGraph(GraphMachine):
    state_cls = _LabelledState
    style_attributes = _styles(None)


class _DotGraph(_FlowGraph):
    # A sans-serif font: fontconfig then picks a CJK one (scripts/system-deps.sh installs one) for PNGs.
    machine_attributes = {  # noqa: RUF012 (transitions reads it as a class default; never mutated)
        **GraphMachine.machine_attributes,
        "fontname": "sans-serif",
    }
    style_attributes = _styles("sans-serif")


@dataclass
class _Diagram:
    """Nodes (id -> label, style) and edges (source, dest, label), collected before building the machine."""

    title: str
    nodes: dict[str, tuple[str, str]] = field(default_factory=dict)
    edges: list[tuple[str, str, str]] = field(default_factory=list)

    def node(self, node_id: str, lines: list[str], style: str = "") -> str:
        self.nodes.setdefault(node_id, ("\n".join(lines), style))
        return node_id

    def edge(self, source: str, dest: str, label: str) -> None:
        if (source, dest, label) not in self.edges:
            self.edges.append((source, dest, label))


def region_diagram(catalog: Catalog, renderer: Renderer, code: str) -> _Diagram:
    """Every path through the wizard for a region (a province with its cities, or one city)."""
    region = catalog.regions[code]
    province = region.parent or code
    wizard = Wizard(catalog, renderer.labels)
    labels = catalog.national.channel_labels
    d = _Diagram(
        f"{region.name} ({code}): every path · green = official source, yellow = news/aggregator (参考)"
    )
    d.node("start", ["/start"], "step")
    start: dict[str, str] = {"province": province}
    if region.parent:
        start["city"] = code
    for page in walk(wizard, start):
        s, state = page.slots, page.view.state
        if "identity" not in s or "province" not in s:
            continue
        ident = s["identity"]
        id_node = d.node(ident, [catalog.national.identities[as_identity(ident)].label])
        d.edge("start", id_node, "")
        prov_node = d.node(f"{ident}_{province}", [catalog.regions[province].name])
        d.edge(id_node, prov_node, "")
        here = prov_node
        if "city" in s:
            city = s["city"]
            name = catalog.regions[city].name if city != province else renderer.labels["city_other"]
            here = d.node(f"{ident}_{city}" if city != province else f"{ident}_{province}_other", [name])
            d.edge(prov_node, here, "")
        if state != "instructions":
            continue
        ch_id = s["channel"]
        region_code = s.get("city") or province
        ch = catalog.channel(ident, region_code, ch_id)
        assert ch is not None
        official = ch.source_kind == "official"
        lines = [
            ch.title,
            f"{len(ch.steps)} steps · {ch.source_kind} · retrieved {ch.retrieved}",
            f"from {_origin(catalog, region_code, ident, ch_id)}",
        ]
        leaf = d.node(f"{ident}_{region_code}_{ch_id}", lines, "official" if official else "reference")
        offered = catalog.channels(ident, region_code)
        label = labels[ch_id].label  # type: ignore[index]
        d.edge(here, leaf, label if len(offered) > 1 else f"{label} (only channel: skipped)")
    return d


def _origin(catalog: Catalog, code: str, ident: str, channel: str) -> str:
    """Which file a region's channel comes from: the city's, the province's or the national defaults."""
    region = catalog.regions[code]
    for c in (code, region.parent):
        src = catalog.sources.get(c or "")
        data: Any = src.data if src else None
        for key in ("identities", ident, "channels", channel):
            data = data.get(key) if isinstance(data, dict) else None
        if data is not None:
            return catalog.regions[c].name if c else ""
    return "national defaults"


def machine_diagram() -> _Diagram:
    """The shared step machine (identity -> province -> city -> channel -> instructions) with conditions."""
    d = _Diagram("医保缴费向导: steps")
    for t in MACHINE_TRANSITIONS:
        sources = t["source"] if isinstance(t["source"], list) else [t["source"]]
        for src in sources:
            if src == "*":
                continue
            cond = " [" + ", ".join(t.get("conditions", [])) + "]" if t.get("conditions") else ""
            d.node(src, [src])
            d.node(t["dest"], [t["dest"]])
            d.edge(src, t["dest"], t["trigger"] + cond)
    for state in list(d.nodes):
        if state != "identity":
            d.edge(state, "identity", "restart")
    return d


def _machine(d: _Diagram, engine: str) -> GraphMachine:
    newline = "<br/>" if engine == "mermaid" else r"\l"
    states = [
        {"name": n, "label": newline.join(_clean(x, engine) for x in label.split("\n"))}
        for n, (label, _style) in d.nodes.items()
    ]
    transitions = [
        {"trigger": "go", "source": s, "dest": t, "label": _clean(label, engine) or " "}
        for s, t, label in d.edges
    ]
    initial = "start" if "start" in d.nodes else next(iter(d.nodes))
    cls = _FlowGraph if engine == "mermaid" else _DotGraph
    m = cls(
        states=states,
        transitions=transitions,
        initial=initial,
        auto_transitions=False,  # only the edges drawn here; never to_<state> shortcuts
        graph_engine="mermaid" if engine == "mermaid" else "graphviz",
        title=d.title,
    )
    m.get_graph()  # creates the machine's graph object, which holds the node styles
    graph = m.model_graphs[id(m)]
    for n, (_label, style) in d.nodes.items():
        if style:
            graph.set_node_style(n, style)
    return m


def _clean(text: str, engine: str) -> str:
    if engine == "mermaid":
        return text.replace('"', "'").replace(":", "：")
    return text


def render(d: _Diagram, fmt: str) -> bytes:
    """The diagram in ``fmt``: svg/png/pdf (needs ``dot``), mermaid or dot source."""
    machine = _machine(d, "mermaid" if fmt == "mermaid" else "graphviz")
    graph: Any = machine.get_graph()
    if fmt in TEXT_FORMATS:
        return (graph.source.rstrip() + "\n").encode()
    return graph.pipe(format=fmt)


def write(d: _Diagram, output: Path, fmt: str | None = None) -> str:
    """Write the diagram to ``output``; the format defaults to the file's extension. Returns the format."""
    fmt = fmt or output.suffix.lstrip(".").lower() or "svg"
    if fmt == "mmd":
        fmt = "mermaid"
    if fmt == "gv":
        fmt = "dot"
    if fmt not in (*PICTURE_FORMATS, *TEXT_FORMATS):
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join((*PICTURE_FORMATS, *TEXT_FORMATS))}")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(render(d, fmt))
    return fmt


def summary(d: _Diagram) -> Mapping[str, int]:
    """Counts for the command's closing line."""
    return {"nodes": len(d.nodes), "edges": len(d.edges)}
