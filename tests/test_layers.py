"""Imports go one way only: data types -> catalog (+ store) -> understanding and pages -> wizard ->
tools and adapters -> cli (docs/architecture.md). Every ``import`` in ``bot/`` is read from the syntax
tree, including imports inside functions, so a new upward import fails here, with its file and line."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[1] / "bot"

# Module prefix -> layer; the longest matching prefix wins. A module may import its own layer and below.
LAYERS: dict[str, int] = {
    # 0 data types
    "bot.errors": 0,
    "bot.session": 0,
    "bot.view": 0,
    "bot.events": 0,
    "bot.callback": 0,
    "bot.money": 0,
    "bot.config": 0,
    # 1 catalog and store
    "bot.catalog": 1,
    "bot.store": 1,
    "bot.retention": 1,
    # 2 understanding and page getters (and the page renderer)
    "bot.understand": 2,
    "bot.pages": 2,
    "bot.render": 2,
    "bot.deeplink": 2,
    "bot.privacy": 2,
    "bot.reminders": 2,
    # 3 the wizard
    "bot.wizard": 3,
    "bot.runtime": 3,
    # 4 operator tools, adapters, the test doubles
    "bot.tools": 4,
    "bot.adapters": 4,
    "bot.testing": 4,
    # 5 the command line
    "bot.cli": 5,
    "bot.__main__": 5,
    "bot": 5,
}
NAMES = {
    0: "data types",
    1: "catalog/store",
    2: "pages/understand",
    3: "wizard",
    4: "tools/adapters",
    5: "cli",
}


def layer_of(module: str) -> int:
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in LAYERS:
            return LAYERS[prefix]
    raise KeyError(module)


def module_name(path: Path) -> str:
    rel = path.relative_to(BOT.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """``(line, module)`` of every ``bot`` import in the file, at any depth (functions included)."""
    out = []
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*pkg, *([base] if base else [])])
            # `from bot.x import y` may import the module bot.x.y: judge it by the deeper name when one exists.
            for a in node.names:
                deeper = f"{base}.{a.name}"
                is_module = (BOT.parent / Path(*deeper.split("."))).with_suffix(".py").exists() or (
                    BOT.parent / Path(*deeper.split("."))
                ).is_dir()
                out.append((node.lineno, deeper if is_module else base))
    return [(line, m) for line, m in out if m == "bot" or m.startswith("bot.")]


FILES = sorted(BOT.rglob("*.py"))


def upward_imports(files: list[Path]) -> list[str]:
    bad = []
    for path in files:
        me = module_name(path)
        mine = layer_of(me)
        for line, target in imports(path):
            if layer_of(target) > mine:
                bad.append(
                    f"{path.relative_to(BOT.parent)}:{line}: {me} ({NAMES[mine]}) imports {target} "
                    f"({NAMES[layer_of(target)]})"
                )
    return bad


def test_every_module_has_a_layer() -> None:
    for path in FILES:
        layer_of(module_name(path))


def test_imports_go_down_only() -> None:
    assert upward_imports(FILES) == []


def test_the_check_fails_on_an_upward_import(tmp_path: Path) -> None:
    """The test above would catch a new upward import, also one hidden inside a function."""
    fake = BOT / "catalog" / "_layer_probe.py"
    try:
        fake.write_text("def f():\n    from bot.wizard import Wizard\n    return Wizard\n", encoding="utf-8")
        assert upward_imports([fake]) == [
            "bot/catalog/_layer_probe.py:2: bot.catalog._layer_probe (catalog/store) imports "
            "bot.wizard (wizard)"
        ]
    finally:
        fake.unlink()


def test_catalog_is_a_leaf() -> None:
    """The catalog imports only itself and the data types."""
    for path in sorted((BOT / "catalog").rglob("*.py")):
        for line, target in imports(path):
            assert target.startswith("bot.catalog") or layer_of(target) == 0, f"{path}:{line}: {target}"


@pytest.mark.parametrize(
    ("module", "must_not_load"),
    [
        ("bot.catalog.loader", ("telegram", "bot.wizard", "bot.adapters", "bot.tools", "bot.pages")),
        ("bot.adapters.telegram.split", ("telegram", "bot.wizard", "bot.catalog")),
        ("bot.wizard", ("telegram", "bot.adapters", "bot.tools")),
    ],
)
def test_importing_a_lower_module_loads_nothing_above(module: str, must_not_load: tuple[str, ...]) -> None:
    code = (
        f"import sys, {module}\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('telegram', 'bot'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.split()
    leaked = [m for m in loaded if any(m == p or m.startswith(p + ".") for p in must_not_load)]
    assert leaked == []
