"""POST /router/batch: many calls in one text body, each answered as the gateway answers it alone.

The query holds the system parameters, signed with the raw body appended; the body holds an
optional `#PUBLIC#` part of parameters every call shares, then one URL-encoded part per call
(`N` for a call with none), joined by `\\r\\n-S-\\r\\n` or the `top-api-separator` header's
separator. The answer joins the calls' answers with the same separator; a batch the gateway
refuses as a whole is one error_response.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from .callerror import CallError
from .form import Limits, body_error, first_wins, parse_pairs, read_body, utf8
from .gateway import Answer, Sandbox, format_of, refused_answer

BATCH_PATH = "/router/batch"
SEPARATOR = "\r\n-S-\r\n"
SEPARATOR_HEADER = "top-api-separator"
PUBLIC_MARK = "#PUBLIC#"
EMPTY_PART = "N"
CONTENT_TYPE = "text/plain;charset=utf-8"


@dataclass(frozen=True)
class Batch:
    """A batch as it arrived: the query's parameters, the raw body and its separator."""

    query: dict[str, str]
    body: str
    separator: str
    limits: Limits

    def answer(self, sandbox: Sandbox, now: datetime) -> Answer:
        """Each call's answer in order, or the whole batch's error_response."""
        fmt = format_of(self.query)
        try:
            sandbox.check_batch(self.query, self.body, now)
            public, parts = split_batch(self.body, self.separator, self.limits)
        except CallError as refused:
            return refused_answer(refused, fmt, "batch", sandbox.next_request_id())
        shared = shared_params(self.query)
        answers = [
            sandbox.answer({**shared, **public, **part}, {}, now, signed=True) for part in parts
        ]
        body = self.separator.encode().join(answer.body for answer in answers)
        failed = sum(answer.outcome.startswith(("error", "fixture error")) for answer in answers)
        outcome = f"batch of {len(answers)}: {len(answers) - failed} ok, {failed} errors"
        return Answer(body, CONTENT_TYPE, "batch", outcome)


async def read_batch(request: web.Request, limits: Limits) -> Batch:
    """The query, the body (bounded, strictly UTF-8) and the separator of a batch request."""
    query = request.rel_url.raw_query_string
    params = first_wins(parse_pairs(query, limits) if query else [])
    body = utf8(await read_body(request, limits))
    separator = request.headers.get(SEPARATOR_HEADER) or SEPARATOR
    return Batch(params, body, separator, limits)


def split_batch(
    body: str, separator: str, limits: Limits
) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The shared `#PUBLIC#` parameters and each call's; code 43 for a body that is not a batch."""
    texts = body.split(separator)
    public: dict[str, str] = {}
    if texts[0].startswith(PUBLIC_MARK):
        public = _part(texts.pop(0).removeprefix(PUBLIC_MARK), "the #PUBLIC# part", limits)
    if not texts or texts == [""]:
        raise body_error("the batch holds no call")
    if len(texts) > limits.max_fields:
        raise body_error(f"more than {limits.max_fields} calls in a batch (the sandbox's limit)")
    return public, [_part(text, f"call {index}", limits) for index, text in enumerate(texts)]


def _part(text: str, what: str, limits: Limits) -> dict[str, str]:
    """One part's parameters: `N` is none; anything but `name=value&...` is refused."""
    if text == EMPTY_PART:
        return {}
    if text.startswith(PUBLIC_MARK):
        raise body_error(f"{what}: #PUBLIC# may only be the first part")
    if not text or any("=" not in field for field in text.split("&")):
        raise body_error(f"{what} is not URL-encoded parameters (name=value&...) nor N")
    return first_wins(parse_pairs(text, limits))


def shared_params(query: Mapping[str, str]) -> dict[str, str]:
    """The query's parameters every call of the batch inherits: all but the signature."""
    return {key: value for key, value in query.items() if key != "sign"}
