"""Parsing one flow file: the line of every key, duplicate keys, and files refused before they are built
(alias bombs, aliases inside themselves, nesting too deep)."""

from __future__ import annotations

import datetime as dt

from bot.catalog.yamlsrc import MAX_NODES, YamlSource


def test_lines_of_keys_and_items_and_duplicates() -> None:
    src = YamlSource.parse(
        "code: '430100'\nname: 长沙市\nnotes:\n  - a\n  - b\nidentities:\n  resident:\n    x: 1\n  resident: {}\n",
        "f.yaml",
    )
    assert src.lines[()] == 1 and src.lines[("code",)] == 1 and src.lines[("name",)] == 2
    assert src.lines[("notes", 0)] == 4 and src.lines[("notes", 1)] == 5
    # The later duplicate wins the key's line; its value's lines stay where they were first seen.
    assert src.lines[("identities", "resident")] == 9 and src.lines[("identities", "resident", "x")] == 8
    assert [str(p) for p in src.problems] == [
        "f.yaml:9: identities.resident: duplicate key (the later value would win)"
    ]
    assert src.line_of(("identities", "resident", "x", "deeper")) == 8
    assert src.line_of(("nothing",)) == 1


def test_aliases_are_followed_for_lines_and_values() -> None:
    src = YamlSource.parse("a: &x\n  k: 2026-11-01\nb: *x\nc:\n  <<: *x\n  j: 1\n", "f.yaml")
    assert src.data == {"a": {"k": dt.date(2026, 11, 1)}, "b": {"k": dt.date(2026, 11, 1)},
                        "c": {"k": dt.date(2026, 11, 1), "j": 1}}  # fmt: skip
    assert src.lines[("b", "k")] == 2 and src.lines[("b",)] == 3 and src.lines[("c", "k")] == 2
    assert src.problems == []


def test_an_alias_bomb_is_refused_before_it_is_built() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    src = YamlSource.parse("\n".join(lines) + "\n", "bomb.yaml")
    assert src.data is None and src.lines == {}
    assert [str(p) for p in src.problems] == [
        f"bomb.yaml:1: (file): aliases (*name) expand this file to more than {MAX_NODES} values; not loaded"
    ]


def test_a_file_just_under_the_limit_loads() -> None:
    items = MAX_NODES - 3  # the document, the key, the list
    src = YamlSource.parse("k: [" + ", ".join(["1"] * items) + "]\n", "big.yaml")
    assert src.problems == [] and len(src.data["k"]) == items
    over = YamlSource.parse("k: [" + ", ".join(["1"] * (items + 1)) + "]\n", "big.yaml")
    assert over.data is None and "more than" in over.problems[0].message


def test_complex_keys_count_towards_the_limit() -> None:
    key = "[" + ", ".join(["1"] * (MAX_NODES // 2)) + "]"
    src = YamlSource.parse(f"? &k {key}\n: 1\n? [*k]\n: 2\n", "keys.yaml")
    assert src.data is None and "more than" in src.problems[0].message


def test_an_alias_inside_itself_is_refused() -> None:
    src = YamlSource.parse("code: '1'\nloop: &l\n  - a\n  - *l\n", "loop.yaml")
    assert [str(p) for p in src.problems] == [
        "loop.yaml:2: (file): an alias (*name) refers to a value that contains it; not loaded"
    ]


def test_nesting_too_deep_is_refused() -> None:
    for depth in (990, 5000):  # libyaml refuses 1,000 levels itself
        src = YamlSource.parse("k: " + "[" * depth + "]" * depth + "\n", "deep.yaml")
        assert len(src.problems) <= 1
        assert not src.problems or src.data is None
