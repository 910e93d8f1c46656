"""Safe YAML loading that remembers the line of every key, so errors can name ``file:line``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from bot.errors import Problem

Path_ = tuple[str | int, ...]
# Values (keys, scalars, lists, mappings) one file may expand to once aliases are followed. The largest
# flow file has a few thousand; an alias bomb of a few hundred bytes has billions.
MAX_NODES = 200_000
MERGE_TAG = "tag:yaml.org,2002:merge"


# libyaml's C parser when PyYAML was built with it (it is ~10x faster); same safe constructors either way.
_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    """Safe loading only: no Python objects, no custom tags. A subclass, so the global loader is untouched."""


class _TooBig(Exception):
    """The document expands to more than :data:`MAX_NODES` values."""


class _Recursive(Exception):
    """An alias inside the node it refers to."""

    def __init__(self, node: yaml.Node) -> None:
        self.node = node


class _Walk:
    """One pass over a composed document, aliases followed: the line of every path and the duplicate
    keys, stopping with :class:`_TooBig` past :data:`MAX_NODES` values (a "billion laughs" file would
    take minutes and gigabytes to build and validate) and :class:`_Recursive` at an alias inside the value
    it names. It runs before the document is built, so a refused file is never built; the walk stops
    after at most :data:`MAX_NODES` steps whatever the file holds."""

    def __init__(self, limit: int = MAX_NODES) -> None:
        self.lines: dict[Path_, int] = {}
        self.dups: list[tuple[Path_, int]] = []
        self.limit = limit
        self.count = 0
        self.on_path: set[int] = set()
        self.merges = False  # a merge key (<<: *name) seen: building the document rewrites its mapping

    def node(self, node: yaml.Node, path: Path_ | None) -> None:
        """Walk ``node`` at ``path``; a key's own nodes (``path`` None) are counted, not recorded."""
        self.count += 1
        if self.count > self.limit:
            raise _TooBig
        if path is not None:
            self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            return
        ident = id(node)
        if ident in self.on_path:
            raise _Recursive(node)
        self.on_path.add(ident)
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                self.node(key_node, None)
                self.merges = self.merges or key_node.tag == MERGE_TAG
                if path is None:
                    self.node(value_node, None)
                    continue
                key = str(key_node.value)
                if key in seen:
                    self.dups.append(((*path, key), key_node.start_mark.line + 1))
                seen.add(key)
                self.lines[(*path, key)] = key_node.start_mark.line + 1
                self.node(value_node, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.node(item, None if path is None else (*path, i))
        self.on_path.discard(ident)


def _refused(walk: _Walk, root: yaml.Node, file: str) -> Problem | None:
    """Walk the document (see :class:`_Walk`); a problem when it may not be built, None otherwise."""
    try:
        walk.node(root, ())
    except _TooBig:
        return Problem(
            file, 1, "", f"aliases (*name) expand this file to more than {MAX_NODES} values; not loaded"
        )
    except _Recursive as exc:
        line = exc.node.start_mark.line + 1
        return Problem(file, line, "", "an alias (*name) refers to a value that contains it; not loaded")
    except RecursionError:
        return Problem(file, 1, "", "nested too deeply; not loaded")
    return None


def strings_in(data: Any, path: Path_ = ()) -> list[tuple[Path_, str]]:
    """Every string in parsed YAML or a dumped model, with its path (models hold sequences as tuples)."""
    out: list[tuple[Path_, str]] = []
    _collect_strings(data, path, out)
    return out


def _collect_strings(data: Any, path: Path_, out: list[tuple[Path_, str]]) -> None:
    if isinstance(data, str):
        out.append((path, data))
    elif isinstance(data, dict):
        for k, v in data.items():
            _collect_strings(v, (*path, k), out)
    elif isinstance(data, list | tuple):
        for i, v in enumerate(data):
            _collect_strings(v, (*path, i), out)


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
            walk = _Walk()
            try:
                node = loader.get_single_node()
                refused = _refused(walk, node, file) if node is not None else None
                if refused is not None:
                    return cls(file, None, {}, [refused])
                data = loader.construct_document(node) if node is not None else None
                if walk.merges:  # lines as the built mapping has them (merged keys in place of <<)
                    walk = _Walk(limit=sys.maxsize)
                    walk.node(node, ())
            finally:
                loader.dispose()
        except yaml.MarkedYAMLError as exc:
            mark = exc.context_mark or exc.problem_mark  # the context is where the broken construct starts
            line = mark.line + 1 if mark else 0
            msg = " ".join(str(x) for x in (exc.context, exc.problem) if x)
            return cls(file, None, {}, [Problem(file, line, "", f"YAML syntax error: {msg}")])
        except yaml.YAMLError as exc:
            return cls(file, None, {}, [Problem(file, 0, "", f"YAML error: {exc}")])
        problems = [
            Problem(file, ln, dotted(p), "duplicate key (the later value would win)") for p, ln in walk.dups
        ]
        if data is None:
            problems.append(Problem(file, 1, "", "file is empty"))
        elif not isinstance(data, dict):
            problems.append(Problem(file, 1, "", "top level must be a mapping of fields"))
        return cls(file, data, walk.lines, problems)

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
