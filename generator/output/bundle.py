"""`topgen bundle`: every spec merged into one OpenAPI 3.1 document, for documentation tools.

Each API keeps its own path (/router/rest/<method>) and its schemas, renamed with the API's
class prefix so that two APIs' `CommonResult` stay two schemas; the envelope's components are
merged in and its `$ref`s made local. Each topic is a webhook, its payload schema named after
the whole topic.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..spec import names
from ..spec.load import Specs
from ..spec.validate import ENVELOPE_REF, ROUTER_PATH, SCHEMA_REF


def bundle(specs: Specs) -> dict[str, Any]:
    """One OpenAPI document holding the envelope and every API."""
    envelope = _plain(specs.envelope.root)
    document: dict[str, Any] = {
        "openapi": envelope["openapi"],
        "info": {**envelope["info"], "title": "Taobao Open Platform APIs (bundled by topgen)"},
        **{k: v for k, v in envelope.items() if k.startswith("x-top-")},
        "servers": envelope["servers"],
        "paths": {},
        "components": {
            "parameters": envelope["components"].get("parameters", {}),
            "schemas": dict(envelope["components"].get("schemas", {})),
            "responses": envelope["components"].get("responses", {}),
        },
    }
    for doc in sorted(specs.apis, key=lambda d: d.name):
        _add_api(document, _plain(doc.root))
    if specs.topics:
        document["webhooks"] = {}
    for doc in sorted(specs.topics, key=lambda d: d.name):
        _add_topic(document, _plain(doc.root))
    return document


def _add_topic(document: dict[str, Any], spec: dict[str, Any]) -> None:
    """A topic's webhook; its payload schema is named after the whole topic."""
    ((topic, item),) = spec["webhooks"].items()
    prefix = names.class_prefix(topic)
    schemas = spec["components"]["schemas"]
    renames = {
        name: prefix if name == names.topic_class(topic) else prefix + name for name in schemas
    }
    document["webhooks"][topic] = _rewrite(item, renames)
    for name, schema in schemas.items():
        document["components"]["schemas"][renames[name]] = _rewrite(schema, renames)


def _add_api(document: dict[str, Any], spec: dict[str, Any]) -> None:
    operation = spec["paths"][ROUTER_PATH]["post"]
    method = operation["x-top-method"]
    prefix = names.class_prefix(method)
    schemas = spec["components"]["schemas"]
    renames = {name: name if name.startswith(prefix) else prefix + name for name in schemas}
    document["paths"][f"{ROUTER_PATH}/{method}"] = _rewrite(spec["paths"][ROUTER_PATH], renames)
    for name, schema in schemas.items():
        document["components"]["schemas"][renames[name]] = _rewrite(schema, renames)


def _rewrite(node: Any, renames: dict[str, str]) -> Any:
    """A copy with local schema references renamed and envelope references made local."""
    if isinstance(node, dict):
        return {
            key: _ref(value, renames) if key == "$ref" else _rewrite(value, renames)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite(item, renames) for item in node]
    return node


def _ref(ref: str, renames: dict[str, str]) -> str:
    if ref.startswith(SCHEMA_REF):
        name = ref.removeprefix(SCHEMA_REF)
        return SCHEMA_REF + renames.get(name, name)
    if ref.startswith(ENVELOPE_REF):
        return "#" + ref.removeprefix(ENVELOPE_REF)
    return ref


def _plain(node: Any) -> Any:
    """Plain dicts and lists instead of the loader's line-tracking ones."""
    return json.loads(json.dumps(node, ensure_ascii=False))


def write_bundle(document: dict[str, Any], target: Path) -> None:
    """Write the bundle as JSON (.json) or YAML (anything else)."""
    if target.suffix == ".json":
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    else:
        from ..importing.specwriter import dump_spec  # noqa: PLC0415 - only YAML bundles need the dumper

        text = dump_spec(document)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
