"""``python -m bot flows import-notice FILE --region CODE [--source URL] [--write]``.

Prints a YAML patch for the region's file from what :mod:`bot.tools.notice` read, each figure with
its coverage year, the source (``official``) and today's date, and a comment quoting the sentence it came
from; then every sentence with a number that was not placed. ``--write`` applies the patch to the
region file with ruamel.yaml (comments, order and quoting of the rest of the file are kept) and lints
the file.

Provenance follows the flow schema in use (:func:`provenance`): with a ``retrieved`` field on figures
(coverage year and retrieved vs verified, issue 12) the patch sets ``retrieved`` to today and leaves
``verified`` out for the operator to add after reading; the resident window is written as dates
(``window: {start, end}``) when the schema has that figure. The older schema has only ``verified`` (required with a value), so
the patch puts today there with a comment saying it was only retrieved. That function is the one place
to change when the schema changes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bot.catalog.models import Figure, Figures
from bot.clock import SYSTEM_CLOCK
from bot.config import Settings
from bot.tools.notice import Notice, read_notice

RETRIEVED_ONLY = "retrieved by import-notice, not verified: compare with the notice, then set verified"


def provenance(year: int, source: str, today: dt.date) -> dict[str, Any]:
    """The provenance fields of one imported figure, in the schema the flows use now."""
    if "retrieved" in Figure.model_fields:  # coverage year + retrieved vs verified (issue 12)
        return {"year": year, "source": source, "source_kind": "official", "retrieved": today}
    return {"year": year, "source": source, "source_kind": "official", "verified": today}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


_LIST_MARK = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|\d+[、.)]|[(（][一二三四五六七八九十\d]+[)）])\s*")
_HALF = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}


def chinese_text(sentence: str) -> str:
    """A sentence fit to show users: list mark dropped, full-width punctuation next to Chinese text."""
    text = _LIST_MARK.sub("", sentence)
    return (
        re.sub(
            r"(?<=[^\x00-\x7f])[,:;()?!]|[,:;()?!](?=[^\x00-\x7f])", lambda m: _HALF[m.group()], text
        ).rstrip("，。；")
        + "。"
    )


def _figure(value: Any, year: int, source: str, today: dt.date, note: str = "") -> CommentedMap:
    fig = CommentedMap({"value": value, **provenance(year, source, today)})
    if note:
        fig["note"] = note
    if "retrieved" not in Figure.model_fields:
        fig.yaml_add_eol_comment(RETRIEVED_ONLY, "verified")
    return fig


def _put(parent: CommentedMap, name: str, fig: CommentedMap, sentence: str, indent: int) -> None:
    """Set ``parent[name]`` with a comment above quoting the notice's sentence."""
    parent[name] = fig
    parent.yaml_set_comment_before_after_key(
        name, before=f"「{chinese_text(sentence)[:120]}」", indent=indent
    )


def build_patch(notice: Notice, source: str, today: dt.date) -> CommentedMap:
    """The patch: ``identities.<identity>.figures.<name>`` (and ``subsidies``) for what was found."""
    patch = CommentedMap()
    year = notice.coverage_year
    resident = CommentedMap()
    figures = CommentedMap()
    if notice.resident_amount and year:
        yearly = _number(notice.resident_amount.value)
        _put(figures, "amount", _figure(yearly, year, source, today), notice.resident_amount.sentence, 6)
    if notice.window and year:
        start, end = notice.window.value
        if "window" in Figures.model_fields:  # the window as dates (issue 12's schema)
            value: Any = CommentedMap({"start": start.date, "end": end.date})
            value.fa.set_flow_style()
            _put(figures, "window", _figure(value, year, source, today), notice.window.sentence, 6)
        else:
            _put(
                figures, "period", _figure(f"{start}至{end}", year, source, today), notice.window.sentence, 6
            )
    if figures:
        resident["figures"] = figures
    if notice.groups and year:
        subsidies = CommentedSeq()
        for group, amount, sentence in notice.groups:
            item = CommentedMap({"group": group})
            if amount is not None:
                item["amount"] = _number(amount)
            item["text"] = chinese_text(sentence)[:200]
            item.update(provenance(year, source, today))
            if "retrieved" not in _subsidy_fields():
                item.pop("retrieved", None)
                item.yaml_add_eol_comment(RETRIEVED_ONLY, "verified")
            subsidies.append(item)
        resident["subsidies"] = subsidies
    if resident:
        patch["identities"] = CommentedMap({"resident": resident})
    flexible = CommentedMap()
    fyear = notice.flexible_year
    if fyear:
        note = ""
        if notice.flexible_period and isinstance(notice.flexible_period.value, tuple):
            start, end = notice.flexible_period.value
            note = f"适用于{start}至{end}"
        for name in ("base_floor", "base_ceiling", "rate"):
            found = getattr(notice, name)
            if found is not None:
                _put(
                    flexible,
                    name,
                    _figure(_number(found.value), fyear, source, today, note),
                    found.sentence,
                    6,
                )
    tiers_year = fyear or year
    if notice.tiers and tiers_year:
        fig = _figure(list(notice.tiers.value), tiers_year, source, today)
        _put(flexible, "tiers", fig, notice.tiers.sentence, 6)
    if flexible:
        patch.setdefault("identities", CommentedMap())["flexible"] = CommentedMap({"figures": flexible})
    return patch


def _subsidy_fields() -> set[str]:
    from bot.catalog.models import Subsidy

    return set(Subsidy.model_fields)


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.representer.ignore_aliases = lambda *args: True  # today's date once per figure, not as &id001
    return y


def dump(data: Any) -> str:
    """YAML text of ``data`` (comments included)."""
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def report_text(notice: Notice, patch: CommentedMap, region_file: Path | None) -> str:
    """What ``import-notice`` prints: the patch, the waiting period, and the sentences not placed."""
    lines = [f"# patch for {region_file or 'the region file'} (review, then run with --write)"]
    lines.append(dump(patch).rstrip() if patch else "# nothing found that the flows hold")
    if notice.waiting:
        lines.append(
            f"# waiting period in the notice: {notice.waiting.value} months; check identities.resident.coverage_start:"
        )
        lines.append(f"#   「{notice.waiting.sentence}」")
    if notice.coverage_year is None and (notice.resident_amount or notice.window):
        lines.append("# no coverage year found (年度): resident figures left out; add the year by hand")
    lines.append(f"# {len(notice.unplaced)} sentence(s) with numbers not placed:")
    lines.extend(f"#   {s}" for s in notice.unplaced)
    return "\n".join(lines) + "\n"


def _merge(target: CommentedMap, patch: CommentedMap) -> None:
    """Set every leaf mapping of ``patch`` in ``target`` (a figure or the subsidies list is replaced)."""
    for key, value in patch.items():
        if key in ("figures", "identities", "resident", "flexible") and isinstance(value, CommentedMap):
            if not isinstance(target.get(key), CommentedMap):
                target[key] = CommentedMap()
            _merge(target[key], value)
        else:
            target[key] = value


def region_file(flows_dir: Path, code: str) -> Path | None:
    """The region's own file under ``flows/regions/`` (``<code>-<slug>.yaml``), if there is one."""
    found = sorted((flows_dir / "regions").glob(f"{code}-*.yaml")) + sorted(
        (flows_dir / "regions").glob(f"{code}.yaml")
    )
    return found[0] if found else None


def write_patch(path: Path, patch: CommentedMap) -> None:
    """Apply ``patch`` to the file at ``path``, keeping its comments and layout."""
    y = _yaml()
    data = y.load(path.read_text(encoding="utf-8"))
    _merge(data, patch)
    out = io.StringIO()
    y.dump(data, out)
    path.write_text(out.getvalue(), encoding="utf-8")


def add_parser(flows: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``flows import-notice``."""
    p = flows.add_parser(
        "import-notice", help="read an official notice (text or saved HTML) into a YAML patch"
    )
    p.add_argument("file", help="the notice: a .txt or a saved .html page")
    p.add_argument("--region", required=True, help="the region code the notice is for (430000, 430100)")
    p.add_argument("--source", help="where the notice is published (its URL); default: the file name")
    p.add_argument("--write", action="store_true", help="apply the patch to the region file and lint it")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """``flows import-notice``: print the patch; with ``--write`` apply it and lint the file."""
    path = Path(args.file)
    try:
        raw = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        print(f"{path}: cannot read: {exc}", file=sys.stderr)
        return 1
    today = SYSTEM_CLOCK.today()
    source = args.source or f"通知原文({path.name})"
    notice = read_notice(raw)
    patch = build_patch(notice, source, today)
    target = region_file(settings.flows_dir, args.region)
    print(report_text(notice, patch, target), end="")
    if not args.write:
        return 0
    if target is None:
        print(
            f"{args.region}: no region file under {settings.flows_dir / 'regions'}; "
            f"create one first: python -m bot flows new {args.region}",
            file=sys.stderr,
        )
        return 1
    if not patch:
        print("nothing to write", file=sys.stderr)
        return 1
    write_patch(target, patch)
    print(f"# written to {target}; linting it:")
    from bot.tools.commands import run_lint

    return run_lint(settings, [str(target)])
