"""Test against a local TOP sandbox gateway, in three lines.

    from topapi.testing import sandbox

    with sandbox("specs") as top:
        response = top.client.alibaba_idle_tender_pre_pay_action(param0=..., session="any")

The sandbox (topgen's, which reads the specs) checks every call as TOP does and answers each
API's documented example, or your fixtures. As a pytest fixture, in conftest.py:

    pytest_plugins = ["topapi.testing"]

and then `def test_x(top_sandbox): top_sandbox.client...` (specs from $TOPGEN_SPECS, default
`specs`). The sandbox speaks TMC too: `top.publish(topic, content)` queues a message and
`top.tmc_client()` is a TmcClient of it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from topapi._client import AsyncTopClient, TopClient

if TYPE_CHECKING:
    from topapi.tmc import TmcClient

SANDBOX_APP_KEY = "sandbox-app-key"
SANDBOX_APP_SECRET = "sandbox-app-secret"


@dataclass(frozen=True)
class SandboxSession:
    """A running sandbox: its URL and clients configured for it."""

    url: str
    app_key: str
    client: TopClient
    _app_secret: str
    _options: dict[str, Any]
    _running: Any  # topgen's RunningSandbox

    def async_client(self) -> AsyncTopClient:
        """A new AsyncTopClient for the sandbox; use it as `async with` in your event loop."""
        return AsyncTopClient(
            self.app_key, self._app_secret, gateway=self.url, **self._options
        )

    @property
    def tmc_url(self) -> str:
        """Where the sandbox takes TMC long connections (ws://host:port/)."""
        url: str = self._running.tmc_url
        return url

    def publish(self, topic: str, content: str | None = None, **event: Any) -> int:
        """Queue a TMC message in the sandbox as TOP would push it; its id. Without
        `content`, the topic's example from its spec (a real message where it has one).

        `nick`, `user_id`, `group` and `publisher` (default Taobao's own, 12497914) are
        optional; the message goes to the group of its user (default `default`).
        """
        message = self._running.publish(topic, content, **event)
        message_id: int = message.id
        return message_id

    def tmc_client(self, **options: Any) -> TmcClient:
        """A new TmcClient for the sandbox's message service; run it in your event loop."""
        from topapi.tmc import TmcClient  # noqa: PLC0415 - websockets: only when asked

        return TmcClient(self.app_key, self._app_secret, url=self.tmc_url, **options)

    def __repr__(self) -> str:
        return f"SandboxSession(url={self.url!r}, app_key={self.app_key!r})"


NO_TOPGEN = (
    "topapi.testing starts topgen's sandbox, and topgen is not installed: install topgen "
    "(the generator that made this topapi) in this environment, e.g. `pip install -e <checkout>`"
)


def _topgen_serve() -> Any:
    """topgen's sandbox server, imported only when a sandbox is asked for."""
    try:
        from topgen.sandbox import serve  # noqa: PLC0415 - optional
    except ImportError as error:
        raise ImportError(NO_TOPGEN) from error
    return serve


@contextmanager
def sandbox(
    specs: str | Path = "specs",
    *,
    fixtures: str | Path | None = None,
    app_key: str = SANDBOX_APP_KEY,
    app_secret: str = SANDBOX_APP_SECRET,
    redeliver_after: float | None = None,
    **client_options: Any,
) -> Iterator[SandboxSession]:
    """Start the sandbox of `specs` on a free port of 127.0.0.1; stop it when the block ends.

    `redeliver_after` (seconds, default 300 as TOP) is when a failed TMC message comes back.
    """
    serve = _topgen_serve()
    gateway = serve.build_sandbox(
        Path(specs),
        app_key,
        app_secret,
        Path(fixtures) if fixtures else None,
        serve.message_service(redeliver_after),
    )
    running = serve.start_in_thread(gateway)
    try:
        with TopClient(
            app_key, app_secret, gateway=running.url, **client_options
        ) as client:
            yield SandboxSession(
                running.url, app_key, client, app_secret, client_options, running
            )
    finally:
        running.stop()


try:
    import pytest
except ImportError:  # pytest is optional: the context manager works without it
    pass
else:

    @pytest.fixture
    def top_sandbox() -> Iterator[SandboxSession]:
        """A running sandbox of the specs in $TOPGEN_SPECS (default: specs)."""
        with sandbox(os.environ.get("TOPGEN_SPECS", "specs")) as session:
            yield session
