"""The JSON Schema of ``corroborator.comparison/3.2``, generated from the document's classes, and a validator.

The shape is declared once, as the dataclasses of :mod:`corroborator.results` (field names are the keys,
type hints the JSON types, docstrings the descriptions); :data:`SCHEMA` is derived from them
(JSON Schema draft 2020-12). ``validate`` checks a document with the ``jsonschema`` library (the ``dev``
extra, or ``pip install jsonschema``). A change that breaks a consumer bumps the version in the
``schema`` field (docs/schema.md keeps the history).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

from corroborator.errors import CorroboratorError
from corroborator.results import SCHEMA_VERSION, ComparisonDoc

_SCALARS: dict[Any, str] = {str: "string", int: "integer", float: "number", bool: "boolean", type(None): "null"}


def json_schema(tp: Any) -> dict[str, Any]:
    """The JSON Schema of a type hint: a document dataclass, a scalar, a tuple, a dict, a Literal, an Optional."""
    if tp in _SCALARS:
        return {"type": _SCALARS[tp]}
    origin = get_origin(tp)
    if origin is Literal:
        values = list(get_args(tp))
        return {"const": values[0]} if len(values) == 1 else {"enum": values}
    if origin in (Union, types.UnionType):
        members = get_args(tp)
        if all(m in _SCALARS for m in members):
            return {"type": [_SCALARS[m] for m in members]}
        return {"anyOf": [json_schema(m) for m in members]}
    if origin in (tuple, list):
        args = get_args(tp)
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            raise TypeError(f"only tuple[X, ...] is a JSON array, not {tp}")
        return {"type": "array", "items": json_schema(args[0])}
    if origin is dict:
        key, value = get_args(tp)
        if key is not str:
            raise TypeError(f"JSON object keys are strings, not {key}")
        return {"type": "object", "additionalProperties": json_schema(value)}
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = typing.get_type_hints(tp)
        fields = dataclasses.fields(tp)
        out: dict[str, Any] = {"type": "object"}
        if tp.__doc__ and not tp.__doc__.startswith(tp.__name__ + "("):  # not the dataclass-made docstring
            out["description"] = tp.__doc__.strip()
        out["required"] = [f.name for f in fields if not f.metadata.get("optional")]
        out["properties"] = {f.name: json_schema(hints[f.name]) for f in fields}
        return out
    raise TypeError(f"no JSON Schema for {tp!r}")


SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://corroborator.invalid/schema/comparison/3.2",
    "title": "corroborator comparison",
    **json_schema(ComparisonDoc),
}
if SCHEMA["properties"]["schema"] != {"const": SCHEMA_VERSION}:
    raise AssertionError("ComparisonDoc.schema must be Literal[SCHEMA_VERSION]")


def validate(doc: Any, schema: dict[str, Any] | None = None) -> list[str]:
    """Problems found in ``doc`` against ``schema`` (default: :data:`SCHEMA`), as '$.path: problem' lines."""
    try:
        import jsonschema
    except ImportError as exc:
        raise CorroboratorError(
            "validating a comparison needs the jsonschema package: pip install 'corroborator[dev]'"
        ) from exc
    validator = jsonschema.Draft202012Validator(SCHEMA if schema is None else schema)
    problems = []
    for error in sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path]):
        path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        problems.append(f"{path}: {error.message}")
    return problems
