"""`topgen demo`: one API called through the sandbox with the generated client, result printed."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..sandbox.gateway import DEFAULT_APP_KEY, DEFAULT_APP_SECRET
from ..sandbox.serve import build_sandbox, start_in_thread
from ..spec.model import Api, SessionUse

if TYPE_CHECKING:
    from topapi import TopRequest

DEMO_SESSION = "sandbox-session-key"
NO_TOPAPI = (
    "the generated topapi is not installed: `topgen generate`, then `pip install -e generated`"
)


def run_demo(specs: Path, method: str, fixtures: Path | None = None) -> list[str]:
    """Start the sandbox, call `method` with its documented request example, describe the call.

    ValueError, in one line naming the method, when the call fails (a TopapiError).
    """
    sandbox = build_sandbox(specs, fixtures=fixtures)
    api = sandbox.apis.get(method)
    if api is None:
        raise ValueError(f"no spec in {specs} for {method}")
    request = _example_request(api)
    running = start_in_thread(sandbox)
    try:
        with _topapi().TopClient(
            DEFAULT_APP_KEY, DEFAULT_APP_SECRET, gateway=running.url
        ) as client:
            session = None if api.session is SessionUse.NONE else DEMO_SESSION
            response = client.execute(request, session=session)
    except _topapi().TopapiError as exc:
        # topapi's errors name the method already: said once, first.
        problem = _one_line(exc).removeprefix(f"{method}: ")
        raise ValueError(f"{method} failed: {type(exc).__name__}: {problem}") from None
    finally:
        running.stop()
    return [
        f"sandbox gateway: {running.url}",
        f"request: {request!r}",
        f"application parameters: {request.to_params()}",
        f"response: {response!r}",
    ]


def _one_line(error: Exception) -> str:
    """An error's message on one line: a decoding error's lists its problems on several."""
    return "; ".join(line.strip() for line in str(error).splitlines() if line.strip())


def _topapi() -> ModuleType:
    """topapi, which topgen generates and does not depend on: imported only for the demo."""
    try:
        return importlib.import_module("topapi")
    except ImportError:
        raise ValueError(NO_TOPAPI) from None


def _example_request(api: Api) -> TopRequest[Any]:
    _topapi()
    try:
        module = importlib.import_module(f"topapi.apis.{api.module_name}")
    except ImportError:
        raise ValueError(f"topapi has no module for {api.method}: run `topgen generate`") from None
    request_class: type[TopRequest[Any]] = getattr(module, api.request_class)
    examples = [e.value for e in api.request_examples if isinstance(e.value, dict)]
    return request_class.model_validate(examples[0] if examples else {})
