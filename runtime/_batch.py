"""Batch calls: many TOP calls in one POST to /router/batch, each result typed.

The body is text: an optional `#PUBLIC#` part of parameters every call shares, then one
URL-encoded part per call (`N` for a call with none), joined by a separator. The query holds
the system parameters, signed with the body appended. The answer is split on the same
separator: one ordinary answer per call, in order; any other count is the whole batch's error.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeAlias, TypeVar, overload
from urllib.parse import urlencode, urlsplit, urlunsplit

from topapi._codec import decode_body, top_error
from topapi._core import (
    AsyncClientBase,
    ClientCore,
    PreparedCall,
    SignedParams,
    SyncClientBase,
    as_secret,
    check_text,
    log,
    put_session,
    redacted,
)
from topapi._errors import ResponseError, TopapiError, TopError, UsageError, quoted
from topapi._model import ResponseT, SessionUse, TopRequest, TopResponse
from topapi._sign import Secret

SEPARATOR = "\r\n-S-\r\n"
PUBLIC_MARK = "#PUBLIC#"
EMPTY_PART = "N"
REST_PATH, BATCH_PATH = "/router/rest", "/router/batch"

# One per request of a tuple, so that each result gets its own request's response type.
R1 = TypeVar("R1", bound=TopResponse)
R2 = TypeVar("R2", bound=TopResponse)
R3 = TypeVar("R3", bound=TopResponse)
R4 = TypeVar("R4", bound=TopResponse)
R5 = TypeVar("R5", bound=TopResponse)
R6 = TypeVar("R6", bound=TopResponse)


@dataclass(frozen=True, repr=False)
class BatchCall(Generic[ResponseT]):
    """One call of a batch with a session (the user it acts for) or a target app of its own."""

    request: TopRequest[ResponseT]
    session: Secret | str | None = None
    target_app_key: str | None = None

    def __post_init__(self) -> None:
        # Kept wrapped, so neither this object nor a frame holding it shows the key.
        object.__setattr__(self, "session", as_secret(self.session))

    def __repr__(self) -> str:
        shown = "None" if self.session is None else repr(self.session)
        return (
            f"BatchCall(request={self.request!r}, session={shown}, "
            f"target_app_key={self.target_app_key!r})"
        )


Call: TypeAlias = TopRequest[ResponseT] | BatchCall[ResponseT]
BatchResult: TypeAlias = ResponseT | TopError | ResponseError
"""What a batch gives for one call: its response, or the error it got, as a value."""


class BatchText(str):
    """A batch's body: its repr hides it, since it holds the calls' session keys."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<batch body of {len(self)} characters, not shown>"

    def __reduce__(self) -> tuple[Any, ...]:
        return (str, (repr(self),))


def batch_url(gateway: str) -> str:
    """The batch endpoint of a gateway: its /router/rest path as /router/batch."""
    parts = urlsplit(gateway)
    if parts.path.endswith(BATCH_PATH):
        return gateway
    if not parts.path.endswith(REST_PATH):
        raise UsageError(
            f"gateway {quoted(gateway)} does not end in {REST_PATH}: "
            f"topapi cannot tell its batch endpoint ({BATCH_PATH})"
        )
    path = parts.path.removesuffix(REST_PATH) + BATCH_PATH
    return urlunsplit(parts._replace(path=path))


def as_calls(
    items: Sequence[Any], shared: Secret | None, check: bool
) -> list[BatchCall[Any]]:
    """The calls of a batch, each checked as it would be before a single call is sent.

    `check`: refuse a request that breaks a documented limit (InvalidArgumentError).
    """
    calls: list[BatchCall[Any]] = []
    for index, item in enumerate(items):
        call = BatchCall(item) if isinstance(item, TopRequest) else item
        if not isinstance(call, BatchCall) or not isinstance(call.request, TopRequest):
            raise UsageError(
                f"batch call {index}: {type(item).__name__} is not a request "
                "(a TopRequest or a BatchCall)"
            )
        method = call.request.top_method
        if call.request.file_params():
            raise UsageError(
                f"batch call {index}: {method} has a file part: file uploads cannot "
                "be batched, call it alone"
            )
        session = call.session or shared
        if call.request.session_use is SessionUse.REQUIRED and not session:
            raise UsageError(
                f"batch call {index}: {method}: needs the user's session key: "
                "pass session=... or BatchCall(request, session=...)"
            )
        if check:
            call.request.check_limits()
        calls.append(call)
    return calls


def chunked(calls: list[BatchCall[Any]], size: int) -> list[list[BatchCall[Any]]]:
    """The calls in batches of at most `size`, in order."""
    if size < 1:
        raise UsageError("max_batch_size must be 1 or more")
    return [calls[start : start + size] for start in range(0, len(calls), size)]


def batches(
    client: ClientCore[Any],
    calls: Sequence[Any],
    shared: Secret | None,
    max_batch_size: int | None,
) -> list[list[BatchCall[Any]]]:
    """The calls checked and in batches of the call's, else the client's, max_batch_size."""
    size = client.max_batch_size if max_batch_size is None else max_batch_size
    return chunked(as_calls(calls, shared, client.check), size)


def _label(calls: Sequence[BatchCall[Any]]) -> str:
    return f"batch of {len(calls)} call{'s' if len(calls) != 1 else ''}"


def prepare_batch(
    core: ClientCore[Any],
    calls: list[BatchCall[Any]],
    shared: Secret | None,
    timestamp: datetime | None = None,
) -> PreparedCall:
    """The HTTP request of one batch: signed system parameters and the text body."""
    label = _label(calls)
    query = SignedParams(core.system_params(timestamp))
    put_session(query, shared)
    methods = {call.request.top_method for call in calls}
    public = {"method": methods.pop()} if len(methods) == 1 else {}
    parts = [_part(call, shared, core.target_app_key, not public) for call in calls]
    check_text(label, query)
    for index, part in enumerate(parts):
        check_text(f"{label}: call {index}", part)
    # Joined in one expression: no local holds the parts' text, sessions and all.
    body = BatchText(SEPARATOR.join(_texts(public, parts)))
    query["sign"] = core.sign(query, body)
    log.debug("%s: sending %s", label, redacted(query))
    return PreparedCall(label, query, {}, body, batch_url(core.gateway))


def _part(
    call: BatchCall[Any], shared: Secret | None, target: str | None, named: bool
) -> SignedParams:
    """A call's parameters: its own, its `method` unless shared, and its session and target
    app when they are its own."""
    part = SignedParams({"method": call.request.top_method} if named else {})
    part.update(call.request.to_params())
    if call.target_app_key and call.target_app_key.strip() != (target or "").strip():
        part["target_app_key"] = call.target_app_key
    own = call.session
    if (
        isinstance(own, Secret)
        and own.reveal().strip()
        and (shared is None or own.reveal() != shared.reveal())
    ):
        part["session"] = own.reveal()
    return part


def _texts(public: dict[str, str], parts: list[SignedParams]) -> Iterator[str]:
    """The body's parts as text: the shared one first, if any, then each call's."""
    if public:
        yield PUBLIC_MARK + urlencode(public)
    for part in parts:
        yield urlencode(part) if part else EMPTY_PART


def read_batch(
    core: ClientCore[Any], calls: list[BatchCall[Any]], body: bytes, status: int
) -> list[Any]:
    """One result per call: its typed response, or its TopError or ResponseError as a value.

    A part count other than the call count, or an HTTP error status, is the whole batch's
    failure: raised, as the error its first part says (a ResponseError when it says none).
    """
    pieces = [piece.strip() for piece in body.split(SEPARATOR.encode())]
    if len(pieces) != len(calls) or not 200 <= (status or 200) < 300:
        raise _batch_error(core, calls, pieces, body, status)
    results: list[Any] = []
    for call, piece in zip(calls, pieces, strict=True):
        try:
            results.append(core.read_response(call.request, piece, status))
        except (TopError, ResponseError) as error:
            results.append(error)
    return results


def finish_batch(
    core: ClientCore[Any],
    call: PreparedCall,
    calls: list[BatchCall[Any]],
    answer: tuple[bytes, int],
    started: float,
) -> list[Any]:
    """The results of a batch's answer, logged: how many calls failed, or the batch's error."""
    try:
        results = read_batch(core, calls, *answer)
    except TopapiError as error:
        core._log(call.method, type(error).__name__, started)
        raise
    failed = sum(isinstance(result, TopapiError) for result in results)
    core._log(call.method, f"answered ({failed} of the calls failed)", started)
    return results


def _batch_error(
    core: ClientCore[Any],
    calls: list[BatchCall[Any]],
    pieces: list[bytes],
    body: bytes,
    status: int,
) -> Exception:
    label = _label(calls)
    text = body.decode("utf-8", errors="replace")
    data = decode_body(pieces[0], core.format, status, label)
    if "error_response" in data:
        return top_error(label, data["error_response"], text, status)
    why = f"TOP answered {len(pieces)} parts for {len(calls)} calls"
    if status and not 200 <= status < 300:
        why = f"TOP answered HTTP {status} without error_response"
    return ResponseError(f"{label}: {why}", raw=text, status_code=status)


class SyncBatching(SyncClientBase):
    """`batch()` on the synchronous client: the batches one after the other."""

    @overload
    def batch(
        self,
        calls: tuple[Call[R1]],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> tuple[BatchResult[R1]]: ...
    @overload
    def batch(
        self,
        calls: tuple[Call[R1], Call[R2]],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> tuple[BatchResult[R1], BatchResult[R2]]: ...
    @overload
    def batch(
        self,
        calls: tuple[Call[R1], Call[R2], Call[R3]],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> tuple[BatchResult[R1], BatchResult[R2], BatchResult[R3]]: ...
    @overload
    def batch(
        self,
        calls: tuple[Call[R1], Call[R2], Call[R3], Call[R4]],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> tuple[BatchResult[R1], BatchResult[R2], BatchResult[R3], BatchResult[R4]]: ...
    @overload
    def batch(
        self,
        calls: tuple[Call[R1], Call[R2], Call[R3], Call[R4], Call[R5]],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> tuple[
        BatchResult[R1],
        BatchResult[R2],
        BatchResult[R3],
        BatchResult[R4],
        BatchResult[R5],
    ]: ...
    @overload
    def batch(
        self,
        calls: tuple[Call[R1], Call[R2], Call[R3], Call[R4], Call[R5], Call[R6]],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> tuple[
        BatchResult[R1],
        BatchResult[R2],
        BatchResult[R3],
        BatchResult[R4],
        BatchResult[R5],
        BatchResult[R6],
    ]: ...
    @overload
    def batch(
        self,
        calls: tuple[Call[ResponseT], ...],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> tuple[BatchResult[ResponseT], ...]: ...
    @overload  # a tuple always stops here: the Sequence below is for the rest
    def batch(  # type: ignore[overload-overlap]
        self,
        calls: tuple[Call[Any], ...],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> tuple[BatchResult[TopResponse], ...]: ...
    @overload
    def batch(
        self,
        calls: list[Call[ResponseT]],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> list[BatchResult[ResponseT]]: ...
    @overload
    def batch(
        self,
        calls: Sequence[Call[Any]],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> list[BatchResult[TopResponse]]: ...

    def batch(
        self,
        calls: Sequence[Call[Any]],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Any:
        """Send many calls in few round trips; one result per call, in order.

        Each result is the call's typed response, or the TopError (or ResponseError) it got,
        as a value. More calls than `max_batch_size` go as several batches. A failure of a
        whole batch raises; a tuple of requests gives a tuple of results.
        """
        shared = as_secret(session)
        del session
        results: list[Any] = []
        for chunk in batches(self, calls, shared, max_batch_size):
            results += self.retrying(
                functools.partial(self._batch_attempt, chunk, shared, timeout),
                _label(chunk),
                max_retries,
            )
        return tuple(results) if isinstance(calls, tuple) else results

    def _batch_attempt(
        self, calls: list[BatchCall[Any]], shared: Secret | None, timeout: float | None
    ) -> list[Any]:
        deadline = self._deadline(timeout)
        call = prepare_batch(self, calls, shared)
        started = time.perf_counter()
        body, status = self.exchange(call, deadline, started)
        return finish_batch(self, call, calls, (body, status), started)


class AsyncBatching(AsyncClientBase):
    """`batch()` on the asynchronous client: the batches sent concurrently."""

    @overload
    async def batch(
        self,
        calls: tuple[Call[R1]],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> tuple[BatchResult[R1]]: ...
    @overload
    async def batch(
        self,
        calls: tuple[Call[R1], Call[R2]],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> tuple[BatchResult[R1], BatchResult[R2]]: ...
    @overload
    async def batch(
        self,
        calls: tuple[Call[R1], Call[R2], Call[R3]],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> tuple[BatchResult[R1], BatchResult[R2], BatchResult[R3]]: ...
    @overload
    async def batch(
        self,
        calls: tuple[Call[R1], Call[R2], Call[R3], Call[R4]],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> tuple[BatchResult[R1], BatchResult[R2], BatchResult[R3], BatchResult[R4]]: ...
    @overload
    async def batch(
        self,
        calls: tuple[Call[R1], Call[R2], Call[R3], Call[R4], Call[R5]],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> tuple[
        BatchResult[R1],
        BatchResult[R2],
        BatchResult[R3],
        BatchResult[R4],
        BatchResult[R5],
    ]: ...
    @overload
    async def batch(
        self,
        calls: tuple[Call[R1], Call[R2], Call[R3], Call[R4], Call[R5], Call[R6]],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> tuple[
        BatchResult[R1],
        BatchResult[R2],
        BatchResult[R3],
        BatchResult[R4],
        BatchResult[R5],
        BatchResult[R6],
    ]: ...
    @overload
    async def batch(
        self,
        calls: tuple[Call[ResponseT], ...],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> tuple[BatchResult[ResponseT], ...]: ...
    @overload  # a tuple always stops here: the Sequence below is for the rest
    async def batch(  # type: ignore[overload-overlap]
        self,
        calls: tuple[Call[Any], ...],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> tuple[BatchResult[TopResponse], ...]: ...
    @overload
    async def batch(
        self,
        calls: list[Call[ResponseT]],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> list[BatchResult[ResponseT]]: ...
    @overload
    async def batch(
        self,
        calls: Sequence[Call[Any]],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> list[BatchResult[TopResponse]]: ...

    async def batch(
        self,
        calls: Sequence[Call[Any]],
        /,
        *,
        session: Secret | str | None = None,
        max_batch_size: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Any:
        """Send many calls in few round trips, the batches concurrently; results in order.

        As TopClient.batch. When a whole batch fails, the others still run to their end
        before its error is raised (none is left half-sent).
        """
        import asyncio  # noqa: PLC0415 (loaded already: this runs in its event loop)

        shared = as_secret(session)
        del session
        tasks = [
            self.retrying(
                functools.partial(self._batch_attempt, chunk, shared, timeout),
                _label(chunk),
                max_retries,
            )
            for chunk in batches(self, calls, shared, max_batch_size)
        ]
        done = await asyncio.gather(*tasks, return_exceptions=True)
        results: list[Any] = []
        for outcome in done:
            if isinstance(outcome, BaseException):
                raise outcome
            results += outcome
        return tuple(results) if isinstance(calls, tuple) else results

    async def _batch_attempt(
        self, calls: list[BatchCall[Any]], shared: Secret | None, timeout: float | None
    ) -> list[Any]:
        deadline = self._deadline(timeout)
        call = prepare_batch(self, calls, shared)
        started = time.perf_counter()
        body, status = await self.exchange(call, deadline, started)
        return finish_batch(self, call, calls, (body, status), started)
