"""Safe YAML loading that remembers the line of every key, so errors can name ``file:line``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.errors import Problem

Path_ = tuple[str | int, ...]
# Values (keys, scalars, lists, mappings) one file may expand to once aliases are followed. The largest
# flow file has a few thousand; an alias bomb of a few hundred bytes has billions.
MAX_NODES = 200_000


# libyaml's C parser when PyYAML was built with it (it is ~10x faster); same safe constructors either way.
_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    """Safe loading only: no Python objects, no custom tags. A subclass, so the global loader is untouched."""


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int], dups: list[tuple[Path_, int]]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                dups.append(((*path, key), key_node.start_mark.line + 1))
            seen.add(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*path, key), lines, dups)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), lines, dups)


class _Recursive(Exception):
    """An alias inside the node it refers to."""

    def __init__(self, node: yaml.Node) -> None:
        self.node = node


def _too_big(root: yaml.Node, file: str) -> Problem | None:
    """A problem when aliases make the document expand beyond :data:`MAX_NODES` nodes (a "billion
    laughs" file would take minutes and gigabytes to walk and validate), refer to themselves, or the
    document is nested too deeply; None otherwise. Linear in the size of the file: each distinct node
    is sized once."""
    memo: dict[int, int] = {}
    on_path: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in memo:
            return memo[key]
        if key in on_path:
            raise _Recursive(node)
        on_path.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += size(k) + size(v)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                total += size(item)
        on_path.discard(key)
        memo[key] = total = min(total, MAX_NODES + 1)
        return total

    try:
        if size(root) > MAX_NODES:
            return Problem(
                file, 1, "", f"aliases (*name) expand this file to more than {MAX_NODES} values; not loaded"
            )
    except _Recursive as exc:
        line = exc.node.start_mark.line + 1
        return Problem(file, line, "", "an alias (*name) refers to a value that contains it; not loaded")
    except RecursionError:
        return Problem(file, 1, "", "nested too deeply; not loaded")
    return None


def dotted(path: Path_) -> str:
    """Turn ``("identities", "resident", "steps", 2)`` into ``identities.resident.steps[2]``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class YamlSource:
    """One parsed YAML file: its data, the line of every path, and any problems found while parsing."""

    def __init__(self, file: str, data: Any, lines: dict[Path_, int], problems: list[Problem]) -> None:
        self.file = file
        self.data = data
        self.lines = lines
        self.problems = problems

    def line_of(self, path: Path_) -> int:
        """Line of the deepest prefix of ``path`` that exists in this file (0 when none does)."""
        for n in range(len(path), -1, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]]
        return 0

    @classmethod
    def parse(cls, text: str, file: str) -> YamlSource:
        """Parse ``text``; syntax errors become problems instead of exceptions."""
        try:
            loader = _Loader(text)
            try:
                node = loader.get_single_node()
                too_big = _too_big(node, file) if node is not None else None
                if too_big is not None:
                    return cls(file, None, {}, [too_big])
                data = loader.construct_document(node) if node is not None else None
            finally:
                loader.dispose()
        except yaml.MarkedYAMLError as exc:
            mark = exc.context_mark or exc.problem_mark  # the context is where the broken construct starts
            line = mark.line + 1 if mark else 0
            msg = " ".join(str(x) for x in (exc.context, exc.problem) if x)
            return cls(file, None, {}, [Problem(file, line, "", f"YAML syntax error: {msg}")])
        except yaml.YAMLError as exc:
            return cls(file, None, {}, [Problem(file, 0, "", f"YAML error: {exc}")])
        lines: dict[Path_, int] = {}
        dups: list[tuple[Path_, int]] = []
        if node is not None:
            _walk(node, (), lines, dups)
        problems = [
            Problem(file, ln, dotted(p), "duplicate key (the later value would win)") for p, ln in dups
        ]
        if data is None:
            problems.append(Problem(file, 1, "", "file is empty"))
        elif not isinstance(data, dict):
            problems.append(Problem(file, 1, "", "top level must be a mapping of fields"))
        return cls(file, data, lines, problems)

    @staticmethod
    def name_for(path: Path, root: Path | None = None) -> str:
        """How problems name ``path``: relative to the parent of the flows ``root`` when inside it."""
        return str(path.relative_to(root.parent)) if root and path.is_relative_to(root.parent) else str(path)

    @classmethod
    def read(cls, path: Path, root: Path | None = None) -> YamlSource:
        """Read and parse a file; its name is shown relative to ``root`` when given."""
        name = cls.name_for(path, root)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return cls(name, None, {}, [Problem(name, 0, "", f"cannot read file: {exc}")])
        return cls.parse(text, name)
