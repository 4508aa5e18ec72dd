"""The JSON schema of ``corroborator.comparison/1`` and a small validator for it.

The schema is JSON Schema (draft 2020-12 vocabulary, the subset used here: type, properties, required,
items, enum, const, additionalProperties for maps). ``validate`` checks that subset without a
dependency, so the tests and ``corroborator compare --format json`` consumers can rely on it. A change
that breaks a consumer bumps the version in the ``schema`` field (docs/schema.md keeps the history).
"""

from __future__ import annotations

from typing import Any

from corroborator.compare import SCHEMA_VERSION

_STR = {"type": "string"}
_INT = {"type": "integer"}
_NUM = {"type": "number"}
_BOOL = {"type": "boolean"}
_OPT_STR = {"type": ["string", "null"]}
_IDS = {"type": "array", "items": _STR}
_CITATION = {
    "type": "object",
    "required": ["article", "start", "end"],
    "properties": {"article": _STR, "start": _INT, "end": _INT},
}
_STATUS = {"enum": ["corroborated", "single-source", "disputed"]}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://corroborator.invalid/schema/comparison/1",
    "title": "corroborator comparison",
    "type": "object",
    "required": [
        "schema",
        "title",
        "articles",
        "claims",
        "points",
        "alignments",
        "conflicts",
        "rewrites",
        "framing",
        "brief",
        "timeline",
        "matrix",
        "summary",
    ],
    "properties": {
        "schema": {"const": SCHEMA_VERSION},
        "title": _STR,
        "articles": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "external_id", "source", "label", "title", "url", "published", "group"],
                "properties": {
                    "id": _STR,
                    "external_id": _OPT_STR,
                    "source": _OPT_STR,
                    "label": _STR,
                    "title": _OPT_STR,
                    "url": _OPT_STR,
                    "byline": _OPT_STR,
                    "published": _OPT_STR,
                    "origin": _OPT_STR,
                    "group": _STR,
                },
            },
        },
        "claims": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "id",
                    "text",
                    "article",
                    "start",
                    "end",
                    "status",
                    "sources",
                    "disputed_by",
                    "independent_sources",
                    "citations",
                    "facts",
                ],
                "properties": {
                    "id": _STR,
                    "text": _STR,
                    "article": _STR,
                    "sentence": _INT,
                    "start": _INT,
                    "end": _INT,
                    "status": _STATUS,
                    "sources": _IDS,
                    "disputed_by": _IDS,
                    "independent_sources": _INT,
                    "citations": {"type": "array", "items": _CITATION},
                    "facts": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["kind", "text", "start", "end", "norm"],
                            "properties": {
                                "kind": _STR,
                                "text": _STR,
                                "start": _INT,
                                "end": _INT,
                                "norm": _STR,
                                "number": _NUM,
                                "unit": _STR,
                                "earliest": _STR,
                                "latest": _STR,
                                "label": _STR,
                                "speaker": _STR,
                                "approximate": _BOOL,
                            },
                        },
                    },
                },
            },
        },
        "points": {
            "type": "array",
            "items": {"type": "object", "required": ["claims", "status"], "properties": {"claims": _IDS}},
        },
        "alignments": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["a", "b", "relation", "similarity"],
                "properties": {
                    "a": _STR,
                    "b": _STR,
                    "relation": {"enum": ["same", "overlap", "conflict"]},
                    "similarity": _NUM,
                },
            },
        },
        "conflicts": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["kind", "explanation", "precision_only", "claims", "sides"],
                "properties": {
                    "kind": {"enum": ["number", "date", "entity", "attribution", "polarity", "quote"]},
                    "explanation": _STR,
                    "precision_only": _BOOL,
                    "claims": _IDS,
                    "sides": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["article", "text", "start", "end", "value"],
                            "properties": {
                                "article": _STR,
                                "text": _STR,
                                "start": _INT,
                                "end": _INT,
                                "value": _STR,
                            },
                        },
                    },
                },
            },
        },
        "rewrites": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "a",
                    "b",
                    "carried_share",
                    "order_kept",
                    "verbatim_runs",
                    "direction",
                    "rewrite",
                    "evidence",
                    "added_by_a",
                    "added_by_b",
                ],
                "properties": {
                    "a": _STR,
                    "b": _STR,
                    "carried_share": _NUM,
                    "order_kept": _NUM,
                    "verbatim_runs": _INT,
                    "direction": {"enum": ["a->b", "b->a", "shared origin"]},
                    "rewrite": _BOOL,
                    "evidence": _STR,
                    "added_by_a": _IDS,
                    "added_by_b": _IDS,
                    "credited": _IDS,
                },
            },
        },
        "framing": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["article", "subjectivity", "tone", "terms", "voices"],
                "properties": {
                    "article": _STR,
                    "subjectivity": _NUM,
                    "tone": _NUM,
                    "terms": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["text", "start", "end", "category"],
                            "properties": {"text": _STR, "start": _INT, "end": _INT, "category": _STR},
                        },
                    },
                    "voices": {"type": "object", "additionalProperties": _IDS},
                },
            },
        },
        "brief": {
            "type": "object",
            "required": ["title", "sentences", "left_out"],
            "properties": {
                "title": _STR,
                "left_out": _STR,
                "sentences": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["text", "status", "citations"],
                        "properties": {
                            "text": _STR,
                            "status": {"enum": ["corroborated", "single-source", "disputed", "timeline", "note"]},
                            "citations": {"type": "array", "items": _CITATION},
                        },
                    },
                },
            },
        },
        "timeline": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["when", "sort_key", "what", "citation"],
                "properties": {"when": _STR, "sort_key": _STR, "what": _STR, "citation": _CITATION},
            },
        },
        "matrix": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["kind", "claim", "text", "cells"],
                "properties": {
                    "kind": _STATUS,
                    "claim": _STR,
                    "text": _STR,
                    "cells": {
                        "type": "object",
                        "additionalProperties": {"enum": ["supports", "disputes", "silent"]},
                    },
                },
            },
        },
        "summary": {"type": "object", "additionalProperties": _INT},
    },
}

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
    "null": (type(None),),
}


def validate(doc: Any, schema: dict[str, Any] | None = None, path: str = "$") -> list[str]:
    """Problems found in ``doc`` against ``schema`` (default: :data:`SCHEMA`), as 'path: problem' lines."""
    schema = SCHEMA if schema is None else schema
    problems: list[str] = []
    if "const" in schema and doc != schema["const"]:
        problems.append(f"{path}: expected {schema['const']!r}, got {doc!r}")
    if "enum" in schema and doc not in schema["enum"]:
        problems.append(f"{path}: {doc!r} is not one of {schema['enum']}")
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        ok = False
        for name in names:
            # bool is an int subclass in Python; JSON keeps them apart
            if isinstance(doc, _TYPES[name]) and not (name in ("integer", "number") and isinstance(doc, bool)):
                ok = True
        if not ok:
            problems.append(f"{path}: expected {'/'.join(names)}, got {type(doc).__name__}")
            return problems
    if isinstance(doc, dict):
        for key in schema.get("required", []):
            if key not in doc:
                problems.append(f"{path}: missing required field {key!r}")
        props = schema.get("properties", {})
        for key, value in doc.items():
            if key in props:
                problems.extend(validate(value, props[key], f"{path}.{key}"))
            elif isinstance(schema.get("additionalProperties"), dict):
                problems.extend(validate(value, schema["additionalProperties"], f"{path}.{key}"))
    if isinstance(doc, list) and "items" in schema:
        for i, item in enumerate(doc):
            problems.extend(validate(item, schema["items"], f"{path}[{i}]"))
    return problems
