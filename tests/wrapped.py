"""Bodies in TOP's wrapped list shapes (JSON `{"items": {"item": [...]}}`, XML), and their check.

Each API's answer is made from its spec: every field holds a value, every list two items; the
sandbox's `render` writes it as TOP does. A fresh interpreter decodes each with topapi and
compares the shape of what it read (dicts, lists and their lengths) with what was sent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from topgen.sandbox.gateway import render
from topgen.spec.model import Api, Field, ObjectType, Scalar
from topgen.spec.toptypes import TOP_TYPES

from .conftest import run_python

MAX_DEPTH = 6
_SKIPPED = (Scalar.BYTES, Scalar.MAP)  # neither has an XML text form that says what it holds


def has_object_list(api: Api) -> bool:
    """Whether any response field, at any depth, is a list of objects."""
    fields = [*api.response_fields, *(f for t in api.types for f in t.fields)]
    return any(f.top_type.is_list and f.top_type.class_name for f in fields)


def payload(api: Api) -> dict[str, Any]:
    """A value for every response field of `api`, lists with two items each."""
    types = {t.class_name: t for t in api.types}
    return _object(api.response_fields, types, MAX_DEPTH)


def _object(fields: tuple[Field, ...], types: dict[str, ObjectType], depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for field in fields:
        top_type = field.top_type
        if top_type.scalar in _SKIPPED:
            continue
        if top_type.class_name is not None:
            if depth == 0:
                continue
            item: Any = _object(types[top_type.class_name].fields, types, depth - 1)
            if not item:
                continue
        else:
            item = TOP_TYPES[top_type.scalar or Scalar.STRING].stand_in
        value[field.wire_name] = [item, item] if top_type.is_list else item
    return value


def cases(apis: list[Api]) -> list[dict[str, Any]]:
    """One JSON and one XML case per API: module, class, the body and the value it holds."""
    found = []
    for api in apis:
        body = {api.response_key: payload(api)}
        for fmt in ("json", "xml"):
            found.append(
                {
                    "module": api.module_name,
                    "response": api.response_class,
                    "format": fmt,
                    "body": render(body, fmt, simplify=False).decode(),
                    "sent": body[api.response_key],
                }
            )
    return found


_SCRIPT = """
import importlib, json, sys
from topapi._codec import decode_response

def shape(value):
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return None

def within(actual, expected):
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            within(actual.get(k), v) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and all(
            within(a, e) for a, e in zip(actual, expected)
        )
    return not isinstance(actual, (dict, list))

failures = []
for case in json.load(open(sys.argv[1], encoding="utf-8")):
    module = importlib.import_module("topapi.apis." + case["module"])
    response_type = getattr(module, case["response"])
    label = case["module"] + " " + case["format"]
    try:
        response = decode_response(response_type, case["body"].encode(), case["format"])
    except Exception as exc:
        failures.append(label + ": " + str(exc)[:300])
        continue
    if not within(shape(response.model_dump(by_alias=True)), shape(case["sent"])):
        failures.append(label + ": read a different shape")
print(json.dumps(failures))
"""


def failures(apis: list[Api], generated: Path, scratch: Path) -> list[str]:
    """What went wrong decoding each API's wrapped JSON and XML bodies, in a fresh interpreter."""
    data = scratch / "wrapped-cases.json"
    data.write_text(json.dumps(cases(apis), ensure_ascii=False), encoding="utf-8")
    script = _SCRIPT.replace("sys.argv[1]", repr(str(data)))
    run = run_python(script, generated)
    assert run.returncode == 0, run.stderr[-3000:]
    result: list[str] = json.loads(run.stdout)
    return result
