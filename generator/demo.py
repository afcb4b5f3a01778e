"""`topgen demo`: one API called through the sandbox with the generated client, result printed."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from topapi import TopClient, TopRequest

from .model import Api, SessionUse
from .sandbox import DEFAULT_APP_KEY, DEFAULT_APP_SECRET
from .serve import build_sandbox, start_in_thread

DEMO_SESSION = "sandbox-session-key"


def run_demo(specs: Path, method: str) -> list[str]:
    """Start the sandbox, call `method` with its documented request example, describe the call."""
    sandbox = build_sandbox(specs)
    api = sandbox.apis.get(method)
    if api is None:
        raise ValueError(f"no spec in {specs} for {method}")
    request = _example_request(api)
    running = start_in_thread(sandbox)
    try:
        with TopClient(DEFAULT_APP_KEY, DEFAULT_APP_SECRET, gateway=running.url) as client:
            session = None if api.session is SessionUse.NONE else DEMO_SESSION
            response = client.execute(request, session=session)
    finally:
        running.stop()
    return [
        f"sandbox gateway: {running.url}",
        f"request: {request!r}",
        f"application parameters: {request.to_params()}",
        f"response: {response!r}",
    ]


def _example_request(api: Api) -> TopRequest[Any]:
    try:
        module = importlib.import_module(f"topapi.apis.{api.module_name}")
    except ImportError:
        raise ValueError(f"topapi has no module for {api.method}: run `topgen generate`") from None
    request_class: type[TopRequest[Any]] = getattr(module, api.request_class)
    examples = [e.value for e in api.request_examples if isinstance(e.value, dict)]
    return request_class.model_validate(examples[0] if examples else {})
