"""A scripted TOP gateway on 127.0.0.1 for client tests; it checks signatures on its own.

The signature check here is written independently of topapi._sign, so a bug there cannot
hide itself.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

APP_KEY = "12345678"
APP_SECRET = "helloworld-secret"
SESSION = "user-session-key"
GMT8 = timezone(timedelta(hours=8))


BATCH_SEPARATOR = "\r\n-S-\r\n"


@dataclass
class Received:
    """One request as the server saw it; a batch's `params` are its query's, `body` its text."""

    params: dict[str, str]
    files: dict[str, tuple[str, str, bytes]]
    content_type: str
    client_port: int
    path: str = "/router/rest"
    body: str = ""


@dataclass
class Action:
    """What the server answers next: a body (dict for JSON/XML, bytes as is), after a delay.

    `drip` sends the body one byte per that many seconds (with `drip_head`, the status line
    and headers too); `chunked` sends it in chunks without a Content-Length, `repeat` times over.
    """

    body: dict[str, Any] | bytes | None = None
    delay: float = 0.0
    status: int = 200
    drip: float = 0.0
    drip_head: bool = False
    chunked: bool = False
    repeat: int = 1
    parts: list[dict[str, Any] | None] | None = None  # a batch's answers; None: a success


@dataclass
class ScriptedGateway:
    """Answers scripted actions in order, then the API's success response; records requests."""

    url: str = ""
    script: list[Action] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_action(self) -> Action:
        with self.lock:
            return self.script.pop(0) if self.script else Action()


def expected_sign(params: dict[str, str], secret: str, body: str = "") -> str:
    """TOP's signature, computed from the protocol description alone (a batch's body appended)."""
    text = "".join(k + v for k, v in sorted(params.items()) if k != "sign" and v) + body
    method = params.get("sign_method")
    key, data = secret.encode(), text.encode()
    if method == "md5":
        return hashlib.md5(key + data + key).hexdigest().upper()
    if method == "hmac":
        return hmac.new(key, data, hashlib.md5).hexdigest().upper()
    if method == "hmac-sha256":
        return hmac.new(key, data, hashlib.sha256).hexdigest().upper()
    return "unknown sign method"


def error_body(code: int, msg: str, sub_code: str = "", sub_msg: str = "") -> dict[str, Any]:
    """An error_response body."""
    error: dict[str, Any] = {"code": code, "msg": msg, "request_id": "err-request"}
    if sub_code:
        error["sub_code"] = sub_code
        error["sub_msg"] = sub_msg
    return {"error_response": error}


def success_body(params: dict[str, str]) -> dict[str, Any]:
    """The first API's documented response, echoing the order id it was asked about."""
    order_id = json.loads(params.get("param0", "{}")).get("order_id", "1234")
    result = {
        "data": {
            "order_id": order_id,
            "pre_pay_amount": 1234,
            "pre_pay_no": "1234",
            "pre_pay_status": "2",
            "pre_pay_action": 2,
            "app_key": "123",
            "request_id": "xxx",
        },
        "success": True,
        "error_code": "S_E_ERROR",
        "error_msg": "系统异常",
    }
    key = params.get("method", "").replace(".", "_").removeprefix("taobao_") + "_response"
    return {key: {"result": result, "request_id": "ok-request"}}


def to_xml(data: dict[str, Any]) -> str:
    """A dict as TOP's XML: one element per key, lists as repeated elements."""
    parts = []
    for key, value in data.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict):
                inner = to_xml(item)
            elif isinstance(item, bool):
                inner = "true" if item else "false"
            else:
                inner = str(item)
            parts.append(f"<{key}>{inner}</{key}>")
    return "".join(parts)


def render(body: dict[str, Any], params: dict[str, str]) -> bytes:
    """A body in the format and shape the call asked for."""
    if params.get("format") == "xml":
        return ('<?xml version="1.0" encoding="utf-8"?>' + to_xml(body)).encode()
    if params.get("simplify") == "true" and "error_response" not in body:
        (body,) = body.values()
    return json.dumps(body, ensure_ascii=False).encode()


def check(params: dict[str, str], body: str = "") -> dict[str, Any] | None:
    """TOP's own checks on system parameters, as an error body, or None when all is well."""
    if params.get("app_key") != APP_KEY:
        return error_body(29, "Invalid app Key")
    if params.get("sign") != expected_sign(params, APP_SECRET, body):
        return error_body(25, "Invalid signature")
    try:
        sent = datetime.strptime(params.get("timestamp", ""), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return error_body(31, "Invalid timestamp")
    if abs(datetime.now(GMT8).replace(tzinfo=None) - sent) > timedelta(minutes=10):
        return error_body(31, "Invalid timestamp")
    return None


def parse_body(
    content_type: str, raw: bytes
) -> tuple[dict[str, str], dict[str, tuple[str, str, bytes]]]:
    """Form fields and file parts of a urlencoded or multipart body."""
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + raw
        )
        params, files = {}, {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            filename = part.get_filename()
            if filename is not None:
                files[str(name)] = (filename, part.get_content_type(), payload)
            else:
                params[str(name)] = payload.decode("utf-8")
        return params, files
    return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True)), {}


def batch_parts(params: dict[str, str], body: str) -> list[dict[str, str]]:
    """Each call of a batch body, its #PUBLIC# parameters and the query's merged in."""
    texts = body.split(BATCH_SEPARATOR)
    public: dict[str, str] = {}
    if texts[0].startswith("#PUBLIC#"):
        public = dict(parse_qsl(texts.pop(0).removeprefix("#PUBLIC#")))
    return [
        {**params, **public, **({} if text == "N" else dict(parse_qsl(text)))} for text in texts
    ]


def batch_answer(params: dict[str, str], body: str, action: Action) -> bytes:
    """The scripted answer of each call (a success where the script says None or nothing)."""
    calls = batch_parts(params, body)
    scripted = action.parts or []
    answers = [
        render((scripted[n] if n < len(scripted) else None) or success_body(call), call)
        for n, call in enumerate(calls)
    ]
    return BATCH_SEPARATOR.encode().join(answers)


def _handler(gateway: ScriptedGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            content_type = self.headers.get("Content-Type", "")
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            path, _, query = self.path.partition("?")
            if path.endswith("/router/batch"):
                params, files = dict(parse_qsl(query, keep_blank_values=True)), {}
            else:
                params, files = parse_body(content_type, raw)
            port = self.client_address[1]
            text = raw.decode("utf-8") if path.endswith("/router/batch") else ""
            gateway.received.append(Received(params, files, content_type, port, path, text))
            action = gateway.next_action()
            time.sleep(action.delay)
            if isinstance(action.body, bytes):
                body = action.body
            elif text:
                refused = check(params, text) or (
                    action.body if isinstance(action.body, dict) else None
                )
                body = render(refused, params) if refused else batch_answer(params, text, action)
            else:
                answer = check(params) or action.body or success_body(params)
                body = render(answer, params)
            if action.drip_head:
                self._drip_whole(action, body)
                return
            self.send_response(action.status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            if action.chunked:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for _ in range(action.repeat):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(body), body))
                self.wfile.write(b"0\r\n\r\n")
                return
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not action.drip:
                self.wfile.write(body)
                return
            for index in range(len(body)):  # bounded by the body; a client gone ends it
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
                time.sleep(action.drip)

        def _drip_whole(self, action: Action, body: bytes) -> None:
            """The whole answer, from its status line on, one byte per `action.drip` seconds."""
            head = (
                f"HTTP/1.1 {action.status} OK\r\nContent-Type: application/json;charset=UTF-8\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            whole = head + body
            for index in range(len(whole)):  # bounded by the answer; a client gone ends it
                self.wfile.write(whole[index : index + 1])
                self.wfile.flush()
                time.sleep(action.drip)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests read `gateway.received` instead."""

    return Handler


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # the default of 5 resets connections under 50 concurrent calls
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timeout test) closed its end: nothing to report."""


@contextmanager
def scripted_gateway() -> Iterator[ScriptedGateway]:
    """A gateway on a free port of 127.0.0.1, stopped when the block ends."""
    gateway = ScriptedGateway()
    server = _Server(("127.0.0.1", 0), _handler(gateway))
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/router/rest"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
