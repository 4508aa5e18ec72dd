"""Checks that keep one hostile file from costing unbounded memory or time (settings ``max_*``).

Each check is cheap next to the parsing it guards: nesting depth is counted on the raw text before
a parser recurses into it, and a record's size is known before it is parsed.
"""

from __future__ import annotations

import io
import re

import numpy as np

from corroborator.errors import MalformedInput, TooLarge
from corroborator.settings import Settings

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_OPEN = np.frombuffer(b"[{", dtype=np.uint8)
_BRACKETS = np.frombuffer(b"[{]}", dtype=np.uint8)


def json_depth(data: bytes) -> int:
    """How deeply the arrays and objects of a JSON text nest (brackets inside strings do not count)."""
    if data.count(b"[") + data.count(b"{") < 2:
        return min(1, data.count(b"[") + data.count(b"{"))
    bare = np.frombuffer(_JSON_STRING.sub(b"", data), dtype=np.uint8)
    brackets = bare[np.isin(bare, _BRACKETS)]
    if brackets.size == 0:
        return 0
    steps = np.where(np.isin(brackets, _OPEN), 1, -1).astype(np.int32)
    return int(np.cumsum(steps, dtype=np.int32).max())


def check_json_depth(data: bytes, origin: str, settings: Settings) -> None:
    depth = json_depth(data)
    if depth > settings.max_nesting:
        raise MalformedInput(origin, _too_deep("JSON values", depth, settings))


def xml_depth(data: bytes, stop_at: int) -> int:
    """How deeply the elements of an XML document nest, counted up to ``stop_at`` (damaged XML: as far as it parses)."""
    import lxml.etree

    depth = deepest = 0
    try:
        for event, _ in lxml.etree.iterparse(
            io.BytesIO(data),
            events=("start", "end"),
            recover=True,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        ):
            depth += 1 if event == "start" else -1
            if depth > deepest:
                deepest = depth
                if deepest > stop_at:
                    break
    except lxml.etree.LxmlError:
        pass  # the feed parser reports damage in its own words; only the depth matters here
    return deepest


def check_xml_depth(data: bytes, origin: str, settings: Settings) -> None:
    depth = xml_depth(data, settings.max_nesting)
    if depth > settings.max_nesting:
        raise MalformedInput(origin, _too_deep("XML elements", depth, settings, at_least=True))


def _too_deep(what: str, depth: int, settings: Settings, at_least: bool = False) -> str:
    found = f"more than {settings.max_nesting}" if at_least else str(depth)
    return (
        f"{what} nest {found} levels deep, over the limit of {settings.max_nesting} "
        "(setting max_nesting); this is not an article export"
    )


def record_too_large(where: str, size: int, limit: int, what: str = "the record") -> TooLarge:
    """A record over ``limit`` (the setting max_record_bytes) bytes; ``size`` may be a lower bound."""
    return TooLarge(
        where,
        f"{what} is {size:,} bytes or more, over the limit of {limit:,} "
        "(setting max_record_bytes: raise it with --set max_record_bytes=N)",
    )


def too_many_records(origin: str, settings: Settings, what: str = "records") -> TooLarge:
    return TooLarge(
        origin,
        f"more than {settings.max_records:,} {what}; the first {settings.max_records:,} were read, the rest "
        "were not (setting max_records: raise it with --set max_records=N, or split the file)",
    )
