"""What the client promises a caller, over real HTTP against the scripted gateway."""

from __future__ import annotations

from typing import ClassVar

from topapi import TopClient, TopRequest, TopResponse
from topapi._envelope import SYSTEM_PARAMS
from topapi._model import SessionUse

from .topserver import APP_KEY, APP_SECRET, scripted_gateway


class Echo(TopResponse):
    response_key: ClassVar[str] = "test_echo_response"
    top_method: ClassVar[str] = "test.echo"


class EchoRequest(TopRequest[Echo]):
    top_method: ClassVar[str] = "test.echo"
    session_use: ClassVar[SessionUse] = SessionUse.NONE

    text: str
    blank: str | None = None
    count: int | None = None
    flag: bool | None = None
    ids: list[int] | None = None
    note: str | None = None


def test_to_params_is_what_is_sent() -> None:
    """to_params() lists exactly the application parameters the gateway receives."""
    request = EchoRequest(text="", blank="  ", count=0, flag=False, ids=[], note="n")
    with scripted_gateway() as gateway, TopClient(APP_KEY, APP_SECRET, gateway=gateway.url) as top:
        top.execute(request)
    (seen,) = gateway.received
    application = {key: value for key, value in seen.params.items() if key not in SYSTEM_PARAMS}
    assert application == {"count": "0", "flag": "false", "note": "n"}
    assert request.to_params() == application
