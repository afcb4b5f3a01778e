"""Stage 3, model: turn validated spec documents into the typed model of `model.py`."""

from __future__ import annotations

from typing import Any

from . import names, toptypes
from .limits import DEFAULT, limits_of
from .load import Document, Mapping
from .model import (
    Api,
    BusinessResult,
    Direction,
    Envelope,
    Example,
    Field,
    Gateway,
    ObjectType,
    SessionUse,
    SignMethod,
    SystemParam,
    Topic,
    TopType,
)
from .validate import ROUTER_PATH, SYSTEM_PARAMS, property_class


def build_envelope(doc: Document) -> Envelope:
    """The model of the validated TOP envelope."""
    root = doc.root
    params = root["components"]["parameters"]
    error_examples = root["components"].get("responses", {}).get("Error", {})
    return Envelope(
        gateways=tuple(
            Gateway(s["x-top-gateway"], s["url"], s.get("description", "")) for s in root["servers"]
        ),
        system_params=tuple(
            SystemParam(
                name=name,
                required=bool(params[name].get("required", False)),
                description=params[name].get("description", ""),
                secret=bool(params[name].get("x-top-secret", False)),
            )
            for name in SYSTEM_PARAMS
        ),
        sign_methods=tuple(SignMethod(m["name"]) for m in root["x-top-sign-methods"]),
        default_sign_method=SignMethod(root["x-top-default-sign-method"]),
        error_fields=tuple(root["components"]["schemas"]["ErrorResponse"]["properties"]),
        error_examples=_examples(error_examples.get("content", {})),
    )


def build_api(doc: Document) -> Api:
    """The model of one validated API document."""
    root = doc.root
    op = root["paths"][ROUTER_PATH]["post"]
    method = op["x-top-method"]
    schemas = root["components"]["schemas"]
    prefix = names.class_prefix(method)
    request, response = prefix + "Request", prefix + "Response"
    responses = op["responses"]
    return Api(
        method=method,
        title=op.get("summary") or root["info"]["title"],
        description=op.get("description") or root["info"].get("description", ""),
        spec_file=doc.name,
        session=SessionUse(op["x-top-session"]),
        params=_fields(schemas.get(request, {})),
        response_fields=_fields(schemas[response]),
        types=_object_types(schemas, (request, response)),
        request_examples=_examples(op.get("requestBody", {}).get("content", {})),
        response_examples=_examples(responses["200"].get("content", {})),
        error_examples=_examples(responses.get("default", {}).get("content", {})),
        code_examples=tuple(sorted(op.get("x-top-request-examples", {}).items())),
        business_result=_business_result(op.get("x-top-business-result")),
    )


def build_topic(doc: Document) -> Topic:
    """The model of one validated topic document."""
    root = doc.root
    ((topic, item),) = root["webhooks"].items()
    op = item["post"]
    content = op["requestBody"]["content"]
    return Topic(
        topic=topic,
        title=op.get("summary") or root["info"]["title"],
        description=op.get("description") or root["info"].get("description", ""),
        category=op.get("x-top-category", ""),
        direction=Direction(op["x-top-direction"]),
        spec_file=doc.name,
        fields=_fields(root["components"]["schemas"][names.topic_class(topic)]),
        examples=_examples({k: v for k, v in content.items() if k == "application/json"}),
    )


def _fields(schema: Mapping | dict[str, Any]) -> tuple[Field, ...]:
    required = set(schema.get("required", []))
    return tuple(
        Field(
            wire_name=wire,
            top_type=_top_type(prop),
            required=wire in required,
            description=prop.get("description", ""),
            example=(prop.get("examples") or [None])[0],
            limits=limits_of(prop),
            default=prop.get(DEFAULT),
        )
        for wire, prop in (schema.get("properties") or {}).items()
    )


def _top_type(prop: Mapping) -> TopType:
    is_list = prop.get("type") == "array"
    class_name = property_class(prop)
    if class_name is not None:
        return TopType(None, class_name, is_list)
    scalar = toptypes.scalar_named(
        prop["x-top-type"].removesuffix("[]") if is_list else prop["x-top-type"]
    )
    return TopType(scalar, None, is_list)


def _object_types(schemas: Mapping, api_classes: tuple[str, ...]) -> tuple[ObjectType, ...]:
    """The API's own structures, in spec order, leaving out unused ones."""
    used = _reachable(schemas, api_classes)
    return tuple(
        ObjectType(
            class_name=name,
            top_name=schema.get("x-top-type", name),
            description=schema.get("description", ""),
            fields=_fields(schema),
        )
        for name, schema in schemas.items()
        if name in used and name not in api_classes
    )


def _reachable(schemas: Mapping, roots: tuple[str, ...]) -> set[str]:
    seen: set[str] = set()
    todo = [name for name in roots if name in schemas]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for field in _fields(schemas[name]):
            if field.top_type.class_name is not None:
                todo.append(field.top_type.class_name)
    return seen


def _examples(content: Mapping | dict[str, Any]) -> tuple[Example, ...]:
    return tuple(
        Example(
            name=name,
            media_type=media_type,
            value=example["value"],
            derived_from=example.get("x-top-derived-from"),
        )
        for media_type, entry in sorted(content.items())
        for name, example in (entry.get("examples") or {}).items()
    )


def _business_result(spec: Mapping | None) -> BusinessResult | None:
    if spec is None:
        return None
    path = spec.get("path")
    return BusinessResult(
        path=tuple(path.split(".")) if path else (),
        success=spec["success"],
        error_code=spec.get("error-code"),
        error_message=spec.get("error-message"),
    )
