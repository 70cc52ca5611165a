"""Shape checks: JSON Schemas generated from the models, errors located and translated."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from maturity.errors import Problem
from maturity.framework.yaml_loader import Document, PathKey
from maturity.i18n import Message, Plain, did_you_mean

if TYPE_CHECKING:  # jsonschema costs ~35 ms to import: only a rule file that fails the
    # strict pydantic fast path (or `maturity schema` tests) needs it
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError


SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


_TYPE_NAMES = {
    "number": ("a number", "một số"),
    "integer": ("a whole number", "một số nguyên"),
    "string": ("text", "văn bản"),
    "boolean": ("true or false", "true hoặc false"),
    "array": ("a list", "một danh sách"),
    "object": ("a mapping (key: value)", "một ánh xạ (khóa: giá trị)"),
    "null": ("nothing", "giá trị rỗng"),
}


def _describe_type(name: str | list[str]) -> str:
    from maturity.i18n import language

    names = name if isinstance(name, list) else [name]
    idx = 1 if language() == "vi" else 0
    return " / ".join(_TYPE_NAMES.get(n, (n, n))[idx] for n in names)


def _describe_value(value: Any) -> str:
    if value is None:
        return _describe_type("null")
    if isinstance(value, bool):
        return f"{_describe_type('boolean')} ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"{_describe_type('number')} ({value})"
    if isinstance(value, str):
        return f"{_describe_type('string')} '{value[:40]}'"
    if isinstance(value, list):
        return _describe_type("array")
    return _describe_type("object")


def _number(value: Any) -> Any:
    """A number as a message shows it (``1000000``, not ``1000000.0``)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return Plain(value)
    return value


def model_schema(model: type[BaseModel], title: str, schema_id: str) -> dict[str, Any]:
    """A draft 2020-12 JSON Schema for ``model`` (aliases as keys, as written in files)."""
    schema = model.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": SCHEMA_DIALECT, "$id": schema_id, "title": title, **schema}


_VALIDATORS: dict[str, Draft202012Validator] = {}


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    """One checked validator per schema (by its ``$id``)."""
    key = str(schema.get("$id") or id(schema))
    if key not in _VALIDATORS:
        from jsonschema import Draft202012Validator

        Draft202012Validator.check_schema(schema)
        _VALIDATORS[key] = Draft202012Validator(schema)
    return _VALIDATORS[key]


def shape_problems(doc: Document, schema: dict[str, Any]) -> list[Problem]:
    """Every shape problem of ``doc`` against ``schema``, located."""
    validator = _validator(schema)
    problems: list[Problem] = []
    for error in validator.iter_errors(doc.data):
        problems.extend(_translate(doc, error))
    # a misspelt key also makes the right key "missing": report the misspelling alone
    suggested = {
        (p.location.path.rsplit(".", 1)[0], p.args["hint"].args["name"])
        for p in problems
        if p.code == "shape.unknown_key" and isinstance(p.args.get("hint"), Message)
    }
    return [
        p
        for p in problems
        if not (p.code == "shape.required" and (p.location.path, p.args["key"]) in suggested)
    ]


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """Descend anyOf/oneOf to the branch that explains the error best."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.schema_path[0], []).append(sub)
        candidates = [
            errs
            for errs in branches.values()
            if not (
                len(errs) == 1 and errs[0].validator == "type" and errs[0].validator_value == "null"
            )
        ]
        if candidates:
            # the branch whose errors go deepest into the value is the one the author meant
            best = max(
                candidates, key=lambda errs: (max(len(e.absolute_path) for e in errs), -len(errs))
            )
            for sub in best:
                yield from _leaves(sub)
            return
    yield error


def _translate(doc: Document, top: ValidationError) -> Iterator[Problem]:
    for error in _leaves(top):
        path: PathKey = tuple(error.absolute_path)
        validator = str(error.validator)  # a keyword of the schema (typed `str | Unset`)
        expected: Any = error.validator_value
        value = error.instance
        if validator == "additionalProperties" and isinstance(value, dict):
            schema: Any = error.schema
            allowed = sorted(schema.get("properties", {}) if isinstance(schema, dict) else {})
            for key in sorted(set(value) - set(allowed)):
                hint = did_you_mean(key, allowed)
                yield Problem.at(
                    doc.locate((*path, key), key=True),
                    "shape.unknown_key",
                    key=key,
                    hint=hint,
                    allowed=", ".join(allowed),
                )
            continue
        if validator == "required":
            missing = [k for k in expected if isinstance(value, dict) and k not in value]
            for key in missing:
                yield Problem.at(doc.locate(path), "shape.required", key=key)
            continue
        if validator == "type":
            args: dict[str, Any] = {
                "expected": _describe_type(expected),
                "got": _describe_value(value),
            }
            code = "shape.type"
        elif validator in {"enum", "const"}:
            allowed_values = expected if validator == "enum" else [expected]
            args = {"value": value, "allowed": ", ".join(str(v) for v in allowed_values)}
            code = "shape.enum"
        elif validator in ("minimum", "maximum", "exclusiveMinimum"):
            key = {
                "minimum": "shape.minimum",
                "maximum": "shape.maximum",
                "exclusiveMinimum": "shape.exclusive_minimum",
            }[validator]
            args, code = {"value": _number(value), "limit": _number(error.validator_value)}, key
        elif validator == "pattern":
            args, code = {"value": value, "pattern": error.validator_value}, "shape.pattern"
        elif validator == "minItems":
            args, code = {"limit": error.validator_value}, "shape.min_items"
        elif validator == "minLength":
            args, code = {}, "shape.min_length"
        else:
            args, code = {"what": error.message}, "shape.other"
        yield Problem.at(doc.locate(path), code, **args)
