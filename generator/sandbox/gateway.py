"""The local TOP gateway's logic: check a call as TOP does, and answer it from the specs.

Pure functions of the request parameters; `serve.py` puts them behind HTTP.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, NoReturn

from topgen.runtime import _limits  # the rule topapi checks limits by, one source

from ..spec.model import Api, Field, ObjectType, Project, Scalar, SessionUse, TopType
from ..spec.toptypes import TOP_TYPES
from .callerror import CallError
from .tmc import rest as tmc_rest
from .tmc.service import Tmc

DEFAULT_APP_KEY = "sandbox-app-key"
DEFAULT_APP_SECRET = "sandbox-app-secret"
APP_SECRET_ENV = "TOPGEN_APP_SECRET"  # `topgen serve`'s secret, out of sight of `ps`

GMT8 = timezone(timedelta(hours=8))
MAX_SKEW = timedelta(minutes=10)
MAX_DEPTH = 100
_VERSION = re.compile(r"^\d+\.\d+$")


@dataclass(frozen=True)
class Answer:
    """What the gateway answers: a body in the asked format, and the outcome for the log."""

    body: bytes
    content_type: str
    method: str
    outcome: str
    close: bool = False


@dataclass
class Sandbox:
    """The gateway state: the APIs of the specs, the one app it accepts, and fixtures."""

    project: Project
    app_key: str
    app_secret: str
    fixtures: dict[str, dict[str, Any]] = field(default_factory=dict)
    tmc: Tmc | None = None  # the message service whose REST APIs are answered for real
    calls: int = 0

    def __post_init__(self) -> None:
        self.apis = {api.method: api for api in self.project.apis}
        self.topics = {topic.topic: topic for topic in self.project.topics}
        self.notes: list[str] = []
        self.examples = {api.method: example_body(api, self.notes) for api in self.project.apis}

    def answer(
        self,
        params: Mapping[str, str],
        files: Mapping[str, int],
        now: datetime,
        signed: bool = False,
    ) -> Answer:
        """Check one call and answer it: a TOP error, a fixture, TMC's state or the example.

        `signed`: a call of a batch, whose signature was checked with the whole batch.
        """
        request_id = self.next_request_id()
        fmt = format_of(params)
        simplify = params.get("simplify") == "true"
        method = params.get("method", "")
        try:
            api = self._check(params, files, now, signed)
            body = self.fixtures.get(api.method) or self._live(api, params, now)
        except CallError as refused:
            return refused_answer(refused, fmt, method, request_id)
        body = body or self.examples[api.method]
        if "error_response" in body:
            body = {"error_response": {**body["error_response"], "request_id": request_id}}
            outcome = f"fixture error {body['error_response'].get('code')}"
            return Answer(render(body, fmt, simplify=False), _type(fmt), method, outcome)
        payload = {**_unwrapped(body, api.response_key), "request_id": request_id}
        wrapped = {api.response_key: payload}
        outcome = "fixture" if api.method in self.fixtures else "ok"
        return Answer(render(wrapped, fmt, simplify), _type(fmt), method, outcome)

    def next_request_id(self) -> str:
        """A new request id, one per call answered."""
        self.calls += 1
        return f"sandbox{self.calls:08x}"

    def check_batch(self, query: Mapping[str, str], body: str, now: datetime) -> None:
        """A batch's own checks: the app, the timestamp, the version, and the signature over
        the query with the raw body appended."""
        self._check_app(query, now)
        self._check_sign(query, body)

    def _live(self, api: Api, params: Mapping[str, str], now: datetime) -> dict[str, Any]:
        """The answer of an API the sandbox implements (TMC's), or {} for the example."""
        if self.tmc is None:
            return {}
        call = tmc_rest.Call(params, self.app_key, self.app_secret, now)
        fields = tmc_rest.answer(self.tmc, api.method, call)
        return {} if fields is None else {api.response_key: fields}

    def _check(
        self, params: Mapping[str, str], files: Mapping[str, int], now: datetime, signed: bool
    ) -> Api:
        method = params.get("method")
        if not method:
            raise CallError(21, "Missing Method")
        api = self.apis.get(method)
        if api is None:
            raise CallError(22, "Invalid Method")
        self._check_app(params, now)
        if not signed:
            self._check_sign(params)
        if api.session is SessionUse.REQUIRED and not params.get("session"):
            raise CallError(26, "Missing Session")
        check_params(api, params, files)
        return api

    def _check_app(self, params: Mapping[str, str], now: datetime) -> None:
        if not params.get("app_key"):
            raise CallError(28, "Missing App Key")
        if params["app_key"] != self.app_key:
            raise CallError(29, "Invalid App Key")
        _check_timestamp(params.get("timestamp"), now)
        _check_version(params.get("v"))

    def _check_sign(self, params: Mapping[str, str], body: str = "") -> None:
        given = params.get("sign")
        if not given:
            raise CallError(24, "Missing Signature")
        method = params.get("sign_method", "md5")
        if given.upper() != signature(params, self.app_secret, method, body):
            raise CallError(25, "Invalid Signature")


def signature(params: Mapping[str, str], secret: str, method: str, body: str = "") -> str:
    """The signature TOP expects (a batch's raw body appended to the parameters' text); an
    unknown method yields one that never matches."""
    joined = "".join(k + v for k, v in sorted(params.items()) if k != "sign" and v) + body
    text = joined.encode()
    key = secret.encode()
    if method == "md5":
        return hashlib.md5(key + text + key).hexdigest().upper()
    if method in ("hmac", "hmac-sha256"):
        digest = hashlib.md5 if method == "hmac" else hashlib.sha256
        return hmac.new(key, text, digest).hexdigest().upper()
    return ""


def _check_timestamp(text: str | None, now: datetime) -> None:
    if not text:
        raise CallError(30, "Missing Timestamp")
    try:
        sent = datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=GMT8)
    except ValueError:
        raise CallError(
            31, "Invalid Timestamp", "isv.invalid-timestamp", "yyyy-MM-dd HH:mm:ss"
        ) from None
    if abs(now - sent) > MAX_SKEW:
        raise CallError(
            31, "Invalid Timestamp", "isv.invalid-timestamp", "more than 10 minutes off"
        )


def _check_version(text: str | None) -> None:
    if not text:
        raise CallError(32, "Missing Version")
    if not _VERSION.match(text):
        raise CallError(33, "Invalid Version")
    if text != "2.0":
        raise CallError(34, "Unsupported Version")


def check_params(api: Api, params: Mapping[str, str], files: Mapping[str, int]) -> None:
    """Code 40 for a missing required parameter, 41 for one that does not fit its type or
    breaks a documented limit (a file by its size)."""
    types = {t.class_name: t for t in api.types}
    for param in api.params:
        if param.top_type.scalar is Scalar.BYTES:
            if param.required and param.wire_name not in files:
                _missing(param.wire_name)
            if param.wire_name in files:
                _check_file_size(param, files[param.wire_name])
            continue
        text = params.get(param.wire_name)
        if text is None or text == "":
            if param.required:
                _missing(param.wire_name)
            continue
        _check_text(param, text, types)
        _check_limits(param.wire_name, param, text)


def _check_file_size(param: Field, size: int) -> None:
    if param.limits.max_length is not None and size > param.limits.max_length:
        why = f"has {size} bytes, more than its maxLength {param.limits.max_length}"
        _out_of_limits(param.wire_name, why)


def _check_limits(path: str, param: Field, wire: str) -> None:
    """TOP's answer to a value that breaks a documented limit, by the rule topapi checks too."""
    if not param.limits:
        return
    top_type = param.top_type
    form = None if not top_type.is_list else "json" if top_type.class_name else "joined"
    why: str | None = _limits.broken_limit(param.limits, wire, form)
    if why is not None:
        _out_of_limits(path, why)


def _out_of_limits(path: str, why: str) -> NoReturn:
    _refused(path, f"{path} {why}")


def _missing(path: str) -> NoReturn:
    raise CallError(40, f"Missing Required Arguments:{path}", "isv.missing-parameter", path)


def _invalid(path: str, why: str) -> NoReturn:
    _refused(path, f"{path}: {why}")


def _refused(path: str, sub_msg: str) -> NoReturn:
    """TOP's 41, naming the parameter in msg and sub_code as the limit check in topapi does."""
    raise CallError(41, f"Invalid Arguments:{path}", f"isv.invalid-parameter:{path}", sub_msg)


def _check_text(param: Field, text: str, types: dict[str, ObjectType]) -> None:
    top_type = param.top_type
    if top_type.class_name is not None or top_type.scalar in (Scalar.MAP,):
        try:
            value = json.loads(text)
        except ValueError:
            _invalid(param.wire_name, "is not JSON")
        except RecursionError:  # json's C parser stops at the interpreter's depth, in no time
            _too_deep(param.wire_name)
        _check_value(param.wire_name, top_type, value, types)
    elif top_type.is_list:
        for item in text.split(","):
            _check_scalar(param.wire_name, top_type.scalar, item)
    else:
        _check_scalar(param.wire_name, top_type.scalar, text)


def _too_deep(path: str) -> NoReturn:
    _invalid(path, f"is nested deeper than {MAX_DEPTH} levels")


def _check_value(
    path: str, top_type: TopType, value: Any, types: dict[str, ObjectType], depth: int = 0
) -> None:
    if depth > MAX_DEPTH:  # a type that holds itself
        _too_deep(path)
    if top_type.is_list:
        if not isinstance(value, list):
            _invalid(path, "is not a JSON array")
        for index, item in enumerate(value):
            single = TopType(top_type.scalar, top_type.class_name)
            _check_value(f"{path}[{index}]", single, item, types, depth + 1)
    elif top_type.class_name is not None:
        if not isinstance(value, dict):
            _invalid(path, "is not a JSON object")
        _check_object(path, types[top_type.class_name], value, types, depth + 1)
    elif top_type.scalar is Scalar.MAP:
        if not isinstance(value, dict):
            _invalid(path, "is not a JSON object")
    else:
        _check_scalar(path, top_type.scalar, value)


def _check_object(
    path: str,
    object_type: ObjectType,
    value: dict[str, Any],
    types: dict[str, ObjectType],
    depth: int,
) -> None:
    for member in object_type.fields:
        inner = f"{path}.{member.wire_name}"
        if value.get(member.wire_name) is None:
            if member.required:
                _missing(inner)
            continue
        _check_value(inner, member.top_type, value[member.wire_name], types, depth)
        if member.limits:  # measured only where there is a limit: it re-encodes the subtree
            _check_limits(inner, member, _json_text(value[member.wire_name]))


def _json_text(value: Any) -> str:
    """A value inside a JSON parameter as the text its limits measure."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _check_scalar(path: str, scalar: Scalar | None, value: Any) -> None:
    if not fits(scalar, value):
        _invalid(path, f"{value!r} is not a {scalar.value if scalar else 'value'}")


def fits(scalar: Scalar | None, value: Any) -> bool:
    """Whether a wire value (text, or JSON inside an object parameter) fits a TOP scalar."""
    return scalar is None or TOP_TYPES[scalar].fits(value)


def example_body(api: Api, notes: list[str]) -> dict[str, Any]:
    """The API's documented JSON example, values that do not fit their type replaced (noted)."""
    examples = [e for e in api.response_examples if e.media_type == "application/json"]
    value = examples[0].value if examples else {}
    payload = _unwrapped(value if isinstance(value, dict) else {}, api.response_key)
    conformer = _Conformer({t.class_name: t for t in api.types}, notes, api.method)
    return {api.response_key: conformer.object(payload, api.response_fields, "")}


@dataclass
class _Conformer:
    """Makes every documented field of an example hold a value of its type.

    Documentation pages contradict themselves (text in a Number field); the gateway answers
    what TOP would, so such a value becomes a stand-in of the right type, and a note says so.
    """

    types: dict[str, ObjectType]
    notes: list[str]
    method: str

    def object(self, value: dict[str, Any], fields: tuple[Field, ...], path: str) -> dict[str, Any]:
        by_name = {f.wire_name: f for f in fields}
        result: dict[str, Any] = {}
        for key, item in value.items():
            member = by_name.get(key)
            inner = f"{path}.{key}" if path else key
            result[key] = item if member is None else self.value(item, member.top_type, inner)
        return result

    def value(self, value: Any, top_type: TopType, path: str) -> Any:
        if top_type.is_list:
            items = value if isinstance(value, list) else [value]
            single = TopType(top_type.scalar, top_type.class_name)
            return [self.value(item, single, f"{path}[{n}]") for n, item in enumerate(items)]
        if top_type.class_name is not None:
            inner = value if isinstance(value, dict) else {}
            return self.object(inner, self.types[top_type.class_name].fields, path)
        scalar = top_type.scalar or Scalar.STRING
        if fits(scalar, value):
            return int(value) if scalar is Scalar.NUMBER and isinstance(value, str) else value
        stand_in = TOP_TYPES[scalar].stand_in
        self.notes.append(
            f"{self.method}: the example {value!r} of {path} is not a {scalar.value}; "
            f"the sandbox answers {stand_in!r}"
        )
        return stand_in


def _unwrapped(body: dict[str, Any], response_key: str) -> dict[str, Any]:
    inner = body.get(response_key)
    return inner if isinstance(inner, dict) else body


def render(body: dict[str, Any], fmt: str, simplify: bool) -> bytes:
    """A body as TOP writes it: JSON (lists wrapped unless simplified) or XML."""
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="utf-8" ?>' + _xml(body)).encode()
    if simplify:
        (payload,) = body.values()
        return json.dumps(payload, ensure_ascii=False).encode()
    return json.dumps(_wrap_lists(body), ensure_ascii=False).encode()


def _wrap_lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _wrap_list(key, item) for key, item in value.items()}
    return value


def _wrap_list(key: str, value: Any) -> Any:
    if isinstance(value, list):
        return {_item_name(value): [_wrap_lists(item) for item in value]}
    return _wrap_lists(value)


def _item_name(items: list[Any]) -> str:
    return "string" if all(not isinstance(item, dict) for item in items) else "item"


def _xml(value: dict[str, Any]) -> str:
    parts = []
    for key, item in value.items():
        if isinstance(item, list):
            element = _item_name(item)
            inner = "".join(f"<{element}>{_xml_value(entry)}</{element}>" for entry in item)
        else:
            inner = _xml_value(item)
        parts.append(f"<{key}>{inner}</{key}>")
    return "".join(parts)


def _xml_value(value: Any) -> str:
    if isinstance(value, dict):
        return _xml(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def format_of(params: Mapping[str, str]) -> str:
    """The answer's format a call (or batch) asks for: "xml", else "json"."""
    return "xml" if params.get("format") == "xml" else "json"


def refused_answer(
    refused: CallError, fmt: str, method: str, request_id: str, close: bool = False
) -> Answer:
    """The error_response of a refused call (or batch, or unreadable body), as asked."""
    body = render(refused.body(request_id), fmt, simplify=False)
    return Answer(body, _type(fmt), method, f"error {refused.code}", close)


def _type(fmt: str) -> str:
    return "text/xml;charset=utf-8" if fmt == "xml" else "application/json;charset=utf-8"
