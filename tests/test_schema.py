"""The comparison JSON's shape is declared once (corroborator.results) and everything else follows it: the
generated JSON Schema, the encoder, real outputs and docs/schema.md."""

from __future__ import annotations

import dataclasses
import json
import re
import typing
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest

from corroborator.render.document import encode
from corroborator.render.schema import SCHEMA, validate
from corroborator.results import SCHEMA_VERSION, ComparisonDoc, FactDoc
from tests.conftest import REPO

DOC = REPO / "docs" / "schema.md"


def document_classes(root: type = ComparisonDoc) -> list[tuple[type, type | None]]:
    """Every document class reachable from the root, with the class it is first reached from."""
    seen: dict[type, type | None] = {root: None}
    todo = [root]
    while todo:
        cls = todo.pop(0)
        for hint in typing.get_type_hints(cls).values():
            stack: list[Any] = [hint]
            while stack:
                t = stack.pop()
                if dataclasses.is_dataclass(t) and isinstance(t, type):
                    if t not in seen:
                        seen[t] = cls
                        todo.append(t)
                else:
                    stack.extend(get_args(t))
    return list(seen.items())


def sections(markdown: str) -> dict[str, str]:
    """Heading text -> the text under it (## and ### headings)."""
    parts = re.split(r"^#{2,3} (.+)$", markdown, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def section_of(cls: type, parents: dict[type, type | None], found: dict[str, str]) -> str:
    """The docs section explaining a class: its own (name without "Doc"), else its parent's."""
    name = "Top level" if cls is ComparisonDoc else cls.__name__.removesuffix("Doc")
    if name in found:
        return name
    parent = parents[cls]
    assert parent is not None, f"docs/schema.md has no section for {cls.__name__}"
    return section_of(parent, parents, found)


def test_schema_is_valid_json_schema_with_the_version_as_const() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["schema"] == {"const": SCHEMA_VERSION}
    assert SCHEMA["required"] == [f.name for f in dataclasses.fields(ComparisonDoc) if not f.metadata.get("optional")]
    # 3.2 added fields a 3.1 consumer does not know: optional, and no part of the document forbids unknown keys
    assert "as_of" not in SCHEMA["required"] and "as_of" in SCHEMA["properties"]
    article = SCHEMA["properties"]["articles"]["items"]
    assert "version" not in article["required"] and "version" in article["properties"]
    assert "additionalProperties" not in article and "additionalProperties" not in SCHEMA


def test_schema_docs_explain_every_field_in_its_section() -> None:
    found = sections(DOC.read_text(encoding="utf-8"))
    classes = document_classes()
    parents = dict(classes)
    missing = []
    for cls, _ in classes:
        text = found[section_of(cls, parents, found)]
        missing += [f"{cls.__name__}.{f.name}" for f in dataclasses.fields(cls) if f"`{f.name}`" not in text]
    assert not missing, f"fields not explained in docs/schema.md: {missing}"


def test_schema_docs_tables_name_no_field_that_does_not_exist() -> None:
    found = sections(DOC.read_text(encoding="utf-8"))
    classes = document_classes()
    parents = dict(classes)
    by_section: dict[str, set[str]] = {}
    for cls, _ in classes:
        by_section.setdefault(section_of(cls, parents, found), set()).update(f.name for f in dataclasses.fields(cls))
    stale = []
    for name, fields in by_section.items():
        for row in re.findall(r"^\| (`[^|]+) \|", found[name], flags=re.MULTILINE):
            stale += [f"{name}: {w}" for w in re.findall(r"`(\w+)`", row) if w not in fields]
    assert not stale, f"docs/schema.md tables name fields the document does not have: {stale}"


def test_schema_optional_fields_are_left_out_at_their_default() -> None:
    fact = FactDoc(kind="number", text="340", start=0, end=3, norm="340", number=340.0)
    assert encode(fact) == {"kind": "number", "text": "340", "start": 0, "end": 3, "norm": "340", "number": 340.0}
    fact_schema = SCHEMA["properties"]["claims"]["items"]["properties"]["facts"]["items"]
    assert validate(encode(fact), fact_schema) == []
    assert "approximate" not in fact_schema["required"]
    wrong = {**encode(fact), "approximate": "yes"}
    assert validate(wrong, fact_schema) == ["$.approximate: 'yes' is not of type 'boolean'"]


@pytest.mark.slow
@pytest.mark.parametrize("story", ["port-elvan-fire", "dunmere-water"])
def test_schema_real_comparisons_validate(story: str) -> None:
    from corroborator.compare import compare_articles
    from corroborator.ingest import read_paths
    from corroborator.render import render
    from corroborator.settings import Settings

    files = sorted(Path(REPO / "examples" / story).glob("*.md"))
    articles = [a for a in read_paths(files, Settings()) if not isinstance(a, Exception)]
    doc = json.loads(render(compare_articles(articles), "json"))
    assert validate(doc) == []
    assert doc["claims"] and doc["brief"]["sentences"]
    # the schema is not vacuous: the same document with one field of the wrong type fails
    doc["claims"][0]["start"] = "0"
    assert validate(doc) == ["$.claims[0].start: '0' is not of type 'integer'"]
