"""The TMC REST APIs answered for real, from the sandbox's message service."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from ..callerror import CallError
from .hub import DEFAULT_GROUP
from .registry import group_name_problem, session_user
from .service import Tmc, auth_token
from .store import Draft, Message, QueueFullError

MIN_CONSUME, MAX_CONSUME, DEFAULT_CONSUME = 10, 200, 100
MAX_CONFIRM = 200
MAX_PRODUCE = 50
TMC_PUBLISH_MEMBERS = ("topic", "content", "target_group")
DATE = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class Call:
    """One checked call of a TMC API: its parameters, the caller's app, the time in GMT+8."""

    params: Mapping[str, str]
    app_key: str
    app_secret: str
    now: datetime

    def text(self, name: str, default: str = "") -> str:
        """A parameter's text, or `default` when absent or empty."""
        return self.params.get(name) or default

    def names(self, name: str) -> list[str]:
        """A String[] parameter: its comma-separated items, blanks dropped."""
        return [item.strip() for item in self.text(name).split(",") if item.strip()]


def answer(tmc: Tmc, method: str, call: Call) -> dict[str, Any] | None:
    """The response fields of a TMC API call, or None when `method` is not one of them."""
    handler = _HANDLERS.get(method)
    return None if handler is None else handler(tmc, call)


def _invalid(name: str, why: str) -> CallError:
    return CallError(41, f"Invalid Arguments:{name}", "isv.invalid-parameter", f"{name}: {why}")


def _publisher(tmc: Tmc, call: Call, topic: str, content: str, group: str) -> Draft:
    return tmc.draft(call.app_key, call.params.get("session"), topic, content, group)


def _publish(tmc: Tmc, draft: Draft, available_ms: int | None) -> Message:
    try:
        return tmc.hub.publish(draft, available_ms)
    except QueueFullError as full:
        raise CallError(15, "Remote service error", "isp.tmc-queue-full", str(full)) from None


def _message_produce(tmc: Tmc, call: Call) -> dict[str, Any]:
    draft = _publisher(
        tmc, call, call.text("topic"), call.text("content"), call.text("target_group")
    )
    delay = call.text("delay_millis")  # the epoch milliseconds it is due at
    message = _publish(tmc, draft, int(delay) if delay else None)
    return {"is_success": True, "total": 1, "msg_ids": [str(message.id)]}


def _messages_produce(tmc: Tmc, call: Call) -> dict[str, Any]:
    items = json.loads(call.text("messages", "[]"))  # the gateway checked it is such a list
    if len(items) > MAX_PRODUCE:
        raise _invalid("messages", f"at most {MAX_PRODUCE} messages, not {len(items)}")
    results = []
    for index, item in enumerate(items):
        topic, content, group = (_member(item, index, key) for key in TMC_PUBLISH_MEMBERS)
        try:
            tmc.hub.publish(_publisher(tmc, call, topic, content, group))
        except QueueFullError as full:
            failed = {"error_code": "isp.tmc-queue-full", "error_message": str(full)}
            results.append({"is_success": False, **failed})
        else:
            results.append({"is_success": True})
    return {"is_all_success": all(r["is_success"] for r in results), "results": results}


def _member(item: dict[str, Any], index: int, key: str) -> str:
    value = item.get(key, "")
    if not isinstance(value, str):
        raise _invalid(f"messages[{index}].{key}", "is not a JSON string")
    return value


def _messages_consume(tmc: Tmc, call: Call) -> dict[str, Any]:
    quantity = int(call.text("quantity", str(DEFAULT_CONSUME)))
    if not MIN_CONSUME <= quantity <= MAX_CONSUME:
        raise _invalid("quantity", f"from {MIN_CONSUME} to {MAX_CONSUME}, not {quantity}")
    taken = tmc.hub.consume(call.text("group_name", DEFAULT_GROUP), quantity)
    return {"messages": [_rest_message(message, call.now.tzinfo) for message in taken]}


def _rest_message(message: Message, zone: tzinfo | None) -> dict[str, Any]:
    published = datetime.fromtimestamp(message.published_ms / 1000, zone)  # GMT+8, as `now`
    return {
        "id": message.id,
        "topic": message.topic,
        "content": message.content,
        "pub_time": published.strftime(DATE),
        "pub_app_key": message.publisher,
        "user_id": message.user_id,
        "user_nick": message.nick,
    }


def _messages_confirm(tmc: Tmc, call: Call) -> dict[str, Any]:
    texts = call.names("s_message_ids")
    if len(texts) > MAX_CONFIRM:
        raise _invalid("s_message_ids", f"at most {MAX_CONFIRM} ids, not {len(texts)}")
    ids = []
    for text in texts:
        if not text.isdigit():
            raise _invalid("s_message_ids", f"{text[:40]!r} is not a message id")
        ids.append(int(text))
    tmc.hub.confirm_ids(call.text("group_name", DEFAULT_GROUP), ids)
    return {"is_success": True}


def _user_permit(tmc: Tmc, call: Call) -> dict[str, Any]:
    user_id, nick = session_user(call.text("session"))
    tmc.registry.permit(user_id, nick, call.names("topics"), call.now)
    return {"is_success": True}


def _user_cancel(tmc: Tmc, call: Call) -> dict[str, Any]:
    return {"is_success": tmc.registry.cancel(call.text("nick"))}


def _user_get(tmc: Tmc, call: Call) -> dict[str, Any]:
    user = tmc.registry.users.get(call.text("nick"))
    if user is None:
        return {}
    every = {
        "created": user.created.strftime(DATE),
        "group_name": tmc.registry.group_of(user.nick),
        "is_valid": True,
        "modified": user.modified.strftime(DATE),
        "topics": user.topics,
        "user_id": user.user_id,
        "user_nick": user.nick,
        "user_platform": "tbUIC",
    }
    wanted = {*call.names("fields"), "topics"}
    return {"tmc_user": {key: value for key, value in every.items() if key in wanted}}


def _user_topics_get(tmc: Tmc, call: Call) -> dict[str, Any]:
    user = tmc.registry.users.get(call.text("nick"))
    return {"topics": user.topics if user else []}


def _groups_get(tmc: Tmc, call: Call) -> dict[str, Any]:
    wanted = call.names("group_names")
    names = sorted(name for name in tmc.registry.groups if not wanted or name in wanted)
    size = max(int(call.text("page_size", "40")), 1)
    start = (max(int(call.text("page_no", "1")), 1) - 1) * size
    page = names[start : start + size]
    return {"groups": [{"name": name} for name in page], "total_results": len(names)}


def _group_add(tmc: Tmc, call: Call) -> dict[str, Any]:
    name = call.text("group_name")
    problem = group_name_problem(name)
    if problem is not None:
        raise _invalid("group_name", problem)
    created = tmc.registry.add_group(name, call.names("nicks"), call.now)
    return {"created": created.strftime(DATE), "group_name": name}


def _group_delete(tmc: Tmc, call: Call) -> dict[str, Any]:
    name = call.text("group_name")
    problem = group_name_problem(name)
    if problem is not None:
        raise _invalid("group_name", problem)
    return {"is_success": tmc.registry.delete_group(name, call.names("nicks"))}


def _queue_get(tmc: Tmc, call: Call) -> dict[str, Any]:
    group = call.text("group_name")
    stats = tmc.hub.stats(group)
    info = {"name": group, "broker_name": "sandbox", "put_toal": stats.put, "get_total": stats.got}
    return {"datas": [info]}


def _auth_get(tmc: Tmc, call: Call) -> dict[str, Any]:
    return {"result": auth_token(call.app_secret, call.text("group", DEFAULT_GROUP))}


_HANDLERS: dict[str, Callable[[Tmc, Call], dict[str, Any]]] = {
    "taobao.tmc.message.produce": _message_produce,
    "taobao.tmc.messages.produce": _messages_produce,
    "taobao.tmc.messages.consume": _messages_consume,
    "taobao.tmc.messages.confirm": _messages_confirm,
    "taobao.tmc.user.permit": _user_permit,
    "taobao.tmc.user.cancel": _user_cancel,
    "taobao.tmc.user.get": _user_get,
    "taobao.tmc.user.topics.get": _user_topics_get,
    "taobao.tmc.groups.get": _groups_get,
    "taobao.tmc.group.add": _group_add,
    "taobao.tmc.group.delete": _group_delete,
    "taobao.tmc.queue.get": _queue_get,
    "taobao.tmc.auth.get": _auth_get,
}
